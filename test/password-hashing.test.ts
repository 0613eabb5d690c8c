import { describe, expect, it } from 'vitest';
import { AccountsService } from '../server/accounts/accounts.service.ts';
import { ensureAccountIndexes } from '../server/accounts/accounts.repository.ts';
import type { PasswordHasher } from '../server/accounts/passwords.ts';
import { AppError } from '../server/errors.ts';
import { DomainEventBus } from '../server/events.ts';
import { openEmbeddedStore } from '../server/store/embedded.ts';
import { onCleanup } from './helpers/cleanup.ts';
import { tempDir } from './helpers/server.ts';

/**
 * A stand-in for scrypt whose checks wait until the test lets them finish, so
 * the test can see how many run at once and what happens meanwhile.
 */
class GatedHasher implements PasswordHasher {
  running = 0;
  peak = 0;
  finished = 0;
  readonly #gates: (() => void)[] = [];

  async hash(password: string): Promise<string> {
    return this.#gated(`fake$${password}`);
  }
  async verify(password: string, stored: string): Promise<boolean> {
    return this.#gated(stored === `fake$${password}`);
  }
  async dummy(): Promise<string> {
    return 'fake$';
  }

  /** Lets the oldest waiting hash finish. */
  release(): void {
    this.#gates.shift()?.();
  }
  /** Lets every hash through from now on. */
  open(): void {
    this.#open = true;
    while (this.#gates.length) this.release();
  }
  /** Makes hashes wait again. */
  close(): void {
    this.#open = false;
  }

  #open = false;
  async #gated<T>(result: T): Promise<T> {
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    if (!this.#open) await new Promise<void>((resolve) => this.#gates.push(resolve));
    this.running--;
    this.finished++;
    return result;
  }
}

const limits = {
  failuresPerAccount: 5,
  failuresPerAddress: 20,
  windowMs: 15 * 60_000,
  accountFailuresPerDay: 20,
  accountDelaySeconds: 60,
  registrationsPerAddressPerHour: 1000,
};

async function service(hashing: { concurrency: number; queue: number }) {
  const store = await openEmbeddedStore(await tempDir());
  onCleanup(() => store.close());
  await ensureAccountIndexes(store);
  const hasher = new GatedHasher();
  const accounts = new AccountsService(store, new DomainEventBus(), { sessionTtlMs: 60_000, limits, hashing, hasher });
  return { accounts, hasher };
}

/** Waits (on the event loop, not the clock) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

const settle = <T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> => p.then((value) => ({ value }), (error: unknown) => ({ error }));
const codeOf = (outcome: { error?: unknown }) => (outcome.error instanceof AppError ? outcome.error.code : undefined);

describe('password hashing', () => {
  it('runs at most `concurrency` hashes at once, however many requests arrive', async () => {
    const { accounts, hasher } = await service({ concurrency: 3, queue: 100 });
    const logins = Array.from({ length: 30 }, (_, i) => settle(accounts.login({ email: `p${i}@example.org`, password: 'guess' }, `10.1.0.${i}`)));
    await until(() => accounts.hashing.stats().waiting === 27);
    expect(hasher.running).toBe(3);
    for (let done = 0; done < 30; done++) {
      hasher.release();
      await until(() => hasher.finished === done + 1 && hasher.running === Math.min(3, 30 - done - 1));
      expect(accounts.hashing.stats().running).toBeLessThanOrEqual(3);
    }
    const outcomes = await Promise.all(logins);
    expect(outcomes.map(codeOf)).toEqual(Array(30).fill('invalid_credentials'));
    expect(hasher.peak).toBe(3);
    expect(accounts.hashing.stats()).toEqual({ running: 0, waiting: 0, peak: 3 });
  });

  it('refuses with 503 and Retry-After once the queue is full, and that refusal costs no sign-in attempt', async () => {
    const { accounts, hasher } = await service({ concurrency: 1, queue: 2 });
    const pending = Array.from({ length: 3 }, (_, i) => settle(accounts.login({ email: `q${i}@example.org`, password: 'guess' }, '10.2.0.1')));
    await until(() => accounts.hashing.stats().waiting === 2);
    const refused = await settle(accounts.login({ email: 'late@example.org', password: 'guess' }, '10.2.0.2'));
    expect(codeOf(refused)).toBe('unavailable');
    const error = refused.error as AppError;
    expect(error.status).toBe(503);
    expect((error.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    hasher.open();
    await Promise.all(pending);
    // The refused attempt gave its reservation back: five real failures still remain for that pair.
    for (let i = 0; i < 5; i++) expect(codeOf(await settle(accounts.login({ email: 'late@example.org', password: 'x' }, '10.2.0.2')))).toBe('invalid_credentials');
    expect(codeOf(await settle(accounts.login({ email: 'late@example.org', password: 'x' }, '10.2.0.2')))).toBe('rate_limited');
  });

  it('counts an attempt before its password is checked: with five checks pending, the right password is refused', async () => {
    const { accounts, hasher } = await service({ concurrency: 4, queue: 100 });
    hasher.open();
    await accounts.register({ email: 'owner@example.org', password: 'right passphrase', displayName: 'O', language: 'en' }, '10.3.0.1');
    hasher.close();
    const wrong = Array.from({ length: 5 }, () => settle(accounts.login({ email: 'owner@example.org', password: 'wrong' }, '10.3.0.2')));
    await until(() => hasher.running === 4 && accounts.hashing.stats().waiting === 1);
    // None of the five has failed yet; they are only reserved.
    const right = await settle(accounts.login({ email: 'owner@example.org', password: 'right passphrase' }, '10.3.0.2'));
    expect(codeOf(right)).toBe('rate_limited');
    hasher.open();
    expect((await Promise.all(wrong)).map(codeOf)).toEqual(Array(5).fill('invalid_credentials'));
    // From the address it registered from, the owner is unaffected.
    expect(await accounts.login({ email: 'owner@example.org', password: 'right passphrase' }, '10.3.0.1')).toHaveProperty('token');
  });
});
