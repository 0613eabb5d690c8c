import { describe, expect, it } from 'vitest';
import { startServer } from './helpers/server.ts';
import type { ErrorBody } from '../shared/errors.ts';

/**
 * Sign-in and registration limits under parallel load, over real HTTP. The
 * server trusts X-Forwarded-For from loopback (TRUST_PROXY=loopback), so a
 * test can act as several client addresses.
 */
interface Reply {
  status: number;
  body: ErrorBody & { email?: string };
  retryAfter: number;
  cookie: string | null;
}

async function post(base: string, route: string, body: unknown, address: string): Promise<Reply> {
  const res = await fetch(`${base}/api${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? JSON.parse(text) : undefined,
    retryAfter: Number(res.headers.get('retry-after') ?? 0),
    cookie: res.headers.get('set-cookie'),
  };
}

const password = 'the owner’s long passphrase';

async function registerFrom(base: string, address: string, email: string): Promise<void> {
  const res = await post(base, '/auth/register', { email, password, displayName: 'Owner' }, address);
  expect(res.status).toBe(201);
}

const statuses = (replies: Reply[]) => replies.map((r) => r.status);
const count = (replies: Reply[], status: number) => replies.filter((r) => r.status === status).length;

describe('sign-in limits under parallel requests', () => {
  it('evaluates at most the limit of 50 parallel wrong passwords for one account; the rest get 429 with Retry-After', async () => {
    const s = await startServer();
    await registerFrom(s.url, '10.0.1.1', 'target@example.org');
    const burst = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post(s.url, '/auth/login', { email: 'target@example.org', password: `wrong guess ${i}` }, '10.0.1.2')),
    );
    expect(count(burst, 401), statuses(burst).join()).toBe(5);
    expect(count(burst, 429)).toBe(45);
    for (const r of burst.filter((r) => r.status === 429)) {
      expect(r.body.error.code).toBe('rate_limited');
      expect(r.retryAfter).toBeGreaterThan(0);
    }
    for (const r of burst.filter((r) => r.status === 401)) expect(r.body.error.code).toBe('invalid_credentials');
  });

  it('does not sign in with the right password sent at the end of a parallel burst of wrong ones', async () => {
    const s = await startServer();
    await registerFrom(s.url, '10.0.2.1', 'burst@example.org');
    // Sent last, so that on a loaded machine it is still behind the five guesses the limit lets through.
    const attempts = Array.from({ length: 50 }, (_, i) => (i === 49 ? password : `wrong guess ${i}`));
    const burst = await Promise.all(attempts.map((p) => post(s.url, '/auth/login', { email: 'burst@example.org', password: p }, '10.0.2.2')));
    const right = burst[49]!;
    expect(right.status).toBe(429);
    expect(right.cookie).toBeNull();
    expect(count(burst, 401)).toBe(5);
  });

  it('lets the owner sign in from their usual address after attackers elsewhere exhaust the account’s failures', async () => {
    const s = await startServer({ config: { loginSlowdown: { accountFailuresPerDay: 10, accountDelaySeconds: 600 } } });
    const owner = '10.0.3.1';
    await registerFrom(s.url, owner, 'owner@example.org');
    // Ten attacking addresses, ten guesses each, all at once.
    const attack = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        post(s.url, '/auth/login', { email: 'owner@example.org', password: `guess ${i}` }, `10.0.4.${i % 10}`),
      ),
    );
    // The owner, from the address they registered from, is not locked out, typo included…
    expect((await post(s.url, '/auth/login', { email: 'owner@example.org', password: 'a typo of mine' }, owner)).status).toBe(401);
    const signedIn = await post(s.url, '/auth/login', { email: 'owner@example.org', password }, owner);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.email).toBe('owner@example.org');
    expect(signedIn.cookie).toMatch(/convene_session=/);

    // …while the attack was held to ten failures before the slowdown, then one paced attempt.
    expect(count(attack, 401), statuses(attack).join()).toBeLessThanOrEqual(11);
    expect(count(attack, 200)).toBe(0);
    expect(count(attack, 429)).toBeGreaterThanOrEqual(89);

    // A new address, even with the right password, now waits its turn.
    const stranger = await post(s.url, '/auth/login', { email: 'owner@example.org', password }, '10.0.5.1');
    expect(stranger.status).toBe(429);
    expect(stranger.body.error.code).toBe('rate_limited');
    expect(stranger.retryAfter).toBeGreaterThan(0);
    expect(stranger.retryAfter).toBeLessThanOrEqual(600);
  });

  it('accepts only the allowed number of 100 parallel registrations from one address', async () => {
    const s = await startServer({ config: { registrationsPerAddressPerHour: 5 } });
    const burst = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        post(s.url, '/auth/register', { email: `new${i}@example.org`, password, displayName: `New ${i}` }, '10.0.6.1'),
      ),
    );
    expect(count(burst, 201), statuses(burst).join()).toBe(5);
    expect(count(burst, 429)).toBe(95);
    for (const r of burst.filter((r) => r.status === 429)) {
      expect(r.body.error.code).toBe('rate_limited');
      expect(r.retryAfter).toBeGreaterThan(0);
    }
    // The limit is per address: someone elsewhere still registers.
    expect((await post(s.url, '/auth/register', { email: 'elsewhere@example.org', password, displayName: 'E' }, '10.0.6.2')).status).toBe(201);
  });

  it('answers 503 with Retry-After, not an ever longer queue, when too many passwords wait to be hashed', async () => {
    const s = await startServer({ config: { passwordHashing: { concurrency: 1, queue: 2 } } });
    // Forty people, forty addresses: no sign-in limit applies, only the hashing queue.
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(s.url, '/auth/login', { email: `p${i}@example.org`, password: 'not registered' }, `10.0.7.${i}`)),
    );
    const busy = burst.filter((r) => r.status === 503);
    expect(busy.length, statuses(burst).join()).toBeGreaterThan(0);
    for (const r of busy) {
      expect(r.body.error.code).toBe('unavailable');
      expect(r.retryAfter).toBeGreaterThan(0);
    }
    expect(count(burst, 401) + busy.length).toBe(40);
  });
});
