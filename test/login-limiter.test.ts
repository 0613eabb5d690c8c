import { describe, expect, it } from 'vitest';
import { FlexibleLoginLimiter, addressGroup } from '../server/accounts/login-limiter.ts';
import { AppError } from '../server/errors.ts';

const limits = {
  failuresPerAccount: 5,
  failuresPerAddress: 3,
  windowMs: 15 * 60_000,
  accountFailuresPerDay: 100,
  accountDelaySeconds: 60,
  registrationsPerAddressPerHour: 2,
};

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'reserved',
    (err: unknown) => (err instanceof AppError ? err.code : 'thrown'),
  );

describe('login limiter', () => {
  it('counts IPv6 addresses by their /64, and IPv4-mapped addresses as IPv4', () => {
    expect(addressGroup('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:0db8:0001:0002::9')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressGroup('a:b::c:d:e:f:1')).toBe('a:b:0:c::/64');
    expect(addressGroup('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(addressGroup('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressGroup('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(addressGroup('198.51.100.7')).toBe('198.51.100.7');
  });

  it('makes a whole IPv6 /64 share one per-address limit', async () => {
    const limiter = new FlexibleLoginLimiter(limits);
    // Three failures (reserved and never marked successful) from three addresses of one /64.
    for (const [i, address] of ['2001:db8::1', '2001:db8::2', '2001:db8::3'].entries())
      expect(await outcome(limiter.reserve(`person${i}@example.org`, address))).toBe('reserved');
    expect(await outcome(limiter.reserve('another@example.org', '2001:db8::ffff'))).toBe('rate_limited');
    expect(await outcome(limiter.reserve('another@example.org', '2001:db8:0:1::1'))).toBe('reserved');
    expect(await outcome(limiter.reserveRegistration('2001:db8::10'))).toBe('reserved');
    expect(await outcome(limiter.reserveRegistration('2001:db8::11'))).toBe('reserved');
    expect(await outcome(limiter.reserveRegistration('2001:db8::12'))).toBe('rate_limited');
  });

  it('gives back what a successful or cancelled attempt reserved, clears the failures in a row, and trusts a known pair', async () => {
    const limiter = new FlexibleLoginLimiter(limits);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) expect(await outcome(limiter.reserve('someone@example.org', '192.0.2.1'))).toBe('reserved');
      const right = await limiter.reserve('someone@example.org', '192.0.2.1');
      await right.succeeded();
    }
    // Six failures, never five in a row. Only the two before the first success counted for the address:
    // after it, the pair is known and its failures are the pair limit's business alone.
    const cancelled = await limiter.reserve('else@example.org', '192.0.2.1');
    await cancelled.cancelled();
    expect(await outcome(limiter.reserve('else@example.org', '192.0.2.1'))).toBe('reserved');
    expect(await outcome(limiter.reserve('else@example.org', '192.0.2.1'))).toBe('rate_limited');
  });
});
