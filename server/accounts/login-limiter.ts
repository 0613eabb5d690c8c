import { createHmac, randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';

export interface LoginLimits {
  /** Failures in a row for one account from one address before that pair waits out `windowMs`. */
  failuresPerAccount: number;
  /** Failures from one address, across accounts it has never signed in to, per `windowMs`. */
  failuresPerAddress: number;
  windowMs: number;
  /** Failures per account per day, from addresses that never signed in to it, before such attempts are paced. */
  accountFailuresPerDay: number;
  /** Once paced, those addresses together get one attempt on the account per this many seconds. */
  accountDelaySeconds: number;
  registrationsPerAddressPerHour: number;
}

/** One reserved sign-in attempt. A wrong password needs no call: its reserved points stay spent. */
export interface LoginAttempt {
  /** The password was right: clears the failures in a row, gives the reservation back, remembers the address. */
  succeeded(): Promise<void>;
  /** The password was never checked (the server was too busy): gives the reservation back. */
  cancelled(): Promise<void>;
}

/**
 * Sign-in and registration limits. Every attempt is reserved *before* the
 * password is hashed, so parallel requests cannot all slip past a limit that
 * is only counted afterwards. Throws 429 `rate_limited` with
 * `retryAfterSeconds` when a limit is reached.
 */
export interface LoginLimiter {
  reserve(account: string, address: string): Promise<LoginAttempt>;
  reserveRegistration(address: string): Promise<void>;
  /** Remembers `address` as one the account's owner uses (they registered from it). */
  remember(account: string, address: string): Promise<void>;
}

/** Builds one counter; memory by default, a shared store (RateLimiterMongo, RateLimiterRedis) behind several nodes. */
export type LimiterFactory = (options: ConstructorParameters<typeof RateLimiterMemory>[0] & { keyPrefix: string }) => RateLimiterAbstract;

const daySeconds = 86_400;
/** How long a successful address stays trusted for its account: under RateLimiterMemory's ~24-day timer ceiling. */
const knownSeconds = 21 * daySeconds;

type Taken = { ok: true; res: RateLimiterRes } | { ok: false; res: RateLimiterRes };

/** consume() rejects with a RateLimiterRes when over the limit, and with an Error when the store fails. */
async function take(limiter: RateLimiterAbstract, key: string): Promise<Taken> {
  try {
    return { ok: true, res: await limiter.consume(key) };
  } catch (err) {
    if (err instanceof RateLimiterRes) return { ok: false, res: err };
    throw err;
  }
}

const limited = (message: string, res: RateLimiterRes) =>
  new AppError(ErrorCode.rateLimited, message, { retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) });

/**
 * The unit an address is counted in: an IPv4 address, or the /64 an IPv6
 * address belongs to, since one household or server usually holds a whole /64
 * and could otherwise try from 2^64 "different" addresses.
 */
export function addressGroup(address: string): string {
  const ip = address.split('%')[0]!;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail] = ip.split('::');
  const part = (text: string) => (text ? text.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const groups = part(head);
  // "::" stands for as many zero groups as make eight; an embedded IPv4 tail counts as two (its value is past /64).
  if (tail !== undefined) groups.push(...Array<string>(8 - groups.length - part(tail).length).fill('0'), ...part(tail));
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * rate-limiter-flexible's login-endpoint pattern, with points consumed up front:
 * - failures in a row per (account, address) block that pair; a success clears them;
 * - failures per address across accounts block the address (slow brute force from one place);
 * - failures per account from *new* addresses only slow further new addresses down to one
 *   attempt per `accountDelaySeconds`: an attacker can make strangers wait, never lock the
 *   owner out of an address they have signed in from before, which only the pair limit governs.
 * Keys are HMACs, so the limiter's store holds no email or IP address in the clear.
 */
export class FlexibleLoginLimiter implements LoginLimiter {
  readonly #pair: RateLimiterAbstract;
  readonly #address: RateLimiterAbstract;
  readonly #account: RateLimiterAbstract;
  readonly #pace: RateLimiterAbstract;
  readonly #known: RateLimiterAbstract;
  readonly #registrations: RateLimiterAbstract;

  constructor(
    limits: LoginLimits,
    make: LimiterFactory = (options) => new RateLimiterMemory(options),
    /** Shared by every node when the counters live in a shared store. */
    private readonly keySecret: Buffer = randomBytes(32),
  ) {
    const window = Math.max(1, Math.ceil(limits.windowMs / 1000));
    this.#pair = make({ keyPrefix: 'login_fails_account_address', points: limits.failuresPerAccount, duration: window, blockDuration: window });
    this.#address = make({ keyPrefix: 'login_fails_address', points: limits.failuresPerAddress, duration: window, blockDuration: window });
    this.#account = make({ keyPrefix: 'login_fails_account_day', points: limits.accountFailuresPerDay, duration: daySeconds });
    this.#pace = make({ keyPrefix: 'login_pace_account', points: 1, duration: limits.accountDelaySeconds });
    this.#known = make({ keyPrefix: 'login_known_address', points: 1, duration: knownSeconds });
    this.#registrations = make({ keyPrefix: 'register_address', points: limits.registrationsPerAddressPerHour, duration: 3600 });
  }

  async reserve(account: string, rawAddress: string): Promise<LoginAttempt> {
    const address = addressGroup(rawAddress);
    const pairKey = this.#key('pair', account, address);
    const addressKey = this.#key('address', address);
    const accountKey = this.#key('account', account);
    const known = (await this.#known.get(pairKey)) !== null;
    const spent: [RateLimiterAbstract, string][] = [];
    const giveBack = () => Promise.all(spent.map(([limiter, key]) => limiter.reward(key))).then(() => undefined);
    const message = 'Too many failed sign-ins; try again later';
    try {
      const pair = await take(this.#pair, pairKey);
      if (!pair.ok) throw limited(message, pair.res);
      spent.push([this.#pair, pairKey]);
      if (!known) {
        const byAddress = await take(this.#address, addressKey);
        if (!byAddress.ok) throw limited(message, byAddress.res);
        spent.push([this.#address, addressKey]);
        const byAccount = await take(this.#account, accountKey);
        if (byAccount.ok) spent.push([this.#account, accountKey]);
        else {
          const pace = await take(this.#pace, accountKey);
          if (!pace.ok) throw limited(message, pace.res);
        }
      }
    } catch (err) {
      await giveBack();
      throw err;
    }
    return {
      succeeded: async () => {
        await this.#pair.delete(pairKey);
        await Promise.all(spent.filter(([limiter]) => limiter !== this.#pair).map(([limiter, key]) => limiter.reward(key)));
        await this.#known.set(pairKey, 1, knownSeconds);
      },
      cancelled: giveBack,
    };
  }

  async reserveRegistration(address: string): Promise<void> {
    const taken = await take(this.#registrations, this.#key('register', addressGroup(address)));
    if (!taken.ok) throw limited('Too many accounts created from this address; try again later', taken.res);
  }

  async remember(account: string, address: string): Promise<void> {
    await this.#known.set(this.#key('pair', account, addressGroup(address)), 1, knownSeconds);
  }

  #key(...parts: string[]): string {
    return createHmac('sha256', this.keySecret).update(parts.join('\n')).digest('base64url').slice(0, 32);
  }
}
