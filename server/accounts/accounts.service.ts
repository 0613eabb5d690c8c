import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Store } from '../store/types.ts';
import { DuplicateKeyError } from '../store/types.ts';
import type { ChangePasswordInput, LoginInput, Me, RegisterInput, SessionInfo, UpdateProfileInput } from '../../shared/accounts.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { DomainEventBus } from '../events.ts';
import type { Config } from '../config.ts';
import { scryptHasher, type PasswordHasher } from './passwords.ts';
import { HashQueue } from './hash-queue.ts';
import { FlexibleLoginLimiter, type LoginLimiter, type LoginLimits } from './login-limiter.ts';
import { sessionsCollection, usersCollection, type SessionRecord, type UserRecord } from './accounts.repository.ts';

export interface AccountsOptions {
  sessionTtlMs: number;
  limits: LoginLimits;
  hashing: { concurrency: number; queue: number };
  /** Stand-ins for tests; scrypt and in-memory counters otherwise. */
  hasher?: PasswordHasher;
  limiter?: LoginLimiter;
}

export const accountsOptions = (config: Config): AccountsOptions => ({
  sessionTtlMs: config.sessionTtlMs,
  limits: { ...config.login, ...config.loginSlowdown, registrationsPerAddressPerHour: config.registrationsPerAddressPerHour },
  hashing: config.passwordHashing,
});

export interface Authenticated {
  user: UserRecord;
  session: SessionRecord;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

const toMe = (u: UserRecord): Me => ({ id: u._id, email: u.email, displayName: u.displayName, language: u.language });

export class AccountsService {
  readonly #users;
  readonly #sessions;
  readonly #hasher: PasswordHasher;
  readonly #limiter: LoginLimiter;
  /** Every password hash and check goes through here. */
  readonly hashing: HashQueue;

  constructor(
    store: Store,
    private readonly events: DomainEventBus,
    private readonly options: AccountsOptions,
  ) {
    this.#users = usersCollection(store);
    this.#sessions = sessionsCollection(store);
    this.#hasher = options.hasher ?? scryptHasher;
    this.#limiter = options.limiter ?? new FlexibleLoginLimiter(options.limits);
    this.hashing = new HashQueue(options.hashing.concurrency, options.hashing.queue);
  }

  async register(input: RegisterInput, address: string): Promise<{ me: Me; token: string }> {
    await this.#limiter.reserveRegistration(address);
    const passwordHash = await this.hashing.run(() => this.#hasher.hash(input.password));
    const now = new Date().toISOString();
    const user: UserRecord = {
      _id: randomUUID(),
      email: input.email,
      passwordHash,
      displayName: input.displayName,
      language: input.language,
      createdAt: now,
    };
    try {
      await this.#users.insertOne(user);
    } catch (err) {
      if (err instanceof DuplicateKeyError) throw new AppError(ErrorCode.emailTaken, 'An account with this email already exists');
      throw err;
    }
    await this.#limiter.remember(user.email, address);
    return { me: toMe(user), token: await this.#startSession(user._id) };
  }

  async login(input: LoginInput, address: string): Promise<{ me: Me; token: string }> {
    const user = await this.#checkPassword(input.email, input.password, address);
    if (!user) throw new AppError(ErrorCode.invalidCredentials, 'The email or password is not right');
    return { me: toMe(user), token: await this.#startSession(user._id) };
  }

  /**
   * The account when the password is right, else null. The attempt is reserved
   * with the limiter before anything is hashed; a wrong password keeps it spent.
   */
  async #checkPassword(email: string, password: string, address: string, known?: UserRecord): Promise<UserRecord | null> {
    const attempt = await this.#limiter.reserve(email, address);
    let ok: boolean;
    let user: UserRecord | null;
    try {
      // A signed-in person's record was read with their session: not read again.
      user = known ?? (await this.#users.findOne({ email }));
      const stored = user?.passwordHash ?? (await this.#hasher.dummy());
      ok = await this.hashing.run(() => this.#hasher.verify(password, stored));
    } catch (err) {
      await attempt.cancelled();
      throw err;
    }
    if (!user || !ok) return null;
    await attempt.succeeded();
    return user;
  }

  /** The user and session behind a cookie token, or null when it is unknown, expired or revoked. */
  async authenticate(token: string | undefined): Promise<Authenticated | null> {
    if (!token || token.length > 100) return null;
    const session = await this.#sessions.findOne({ _id: tokenHash(token) });
    if (!session) return null;
    const now = Date.now();
    if (Date.parse(session.expiresAt) <= now) {
      await this.#sessions.deleteOne({ _id: session._id });
      return null;
    }
    const user = await this.#users.findOne({ _id: session.userId });
    if (!user) return null;
    // Touch at most once a minute: this runs on every request.
    if (now - Date.parse(session.lastSeenAt) > 60_000) {
      session.lastSeenAt = new Date(now).toISOString();
      await this.#sessions.updateOne({ _id: session._id }, { $set: { lastSeenAt: session.lastSeenAt } });
    }
    return { user, session };
  }

  me(user: UserRecord): Me {
    return toMe(user);
  }

  async updateProfile(userId: string, input: UpdateProfileInput): Promise<Me> {
    const $set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const user = await this.#users.findOneAndUpdate({ _id: userId }, { $set });
    if (!user) throw AppError.notFound('Account');
    return toMe(user);
  }

  /** Limited like a sign-in: a stolen session must not become a way to guess the password. */
  async changePassword(auth: Authenticated, input: ChangePasswordInput, address: string): Promise<void> {
    if (!(await this.#checkPassword(auth.user.email, input.currentPassword, address, auth.user)))
      throw new AppError(ErrorCode.invalidCredentials, 'The current password is not right');
    const passwordHash = await this.hashing.run(() => this.#hasher.hash(input.newPassword));
    await this.#users.updateOne({ _id: auth.user._id }, { $set: { passwordHash } });
    // Anyone else signed in as this person is signed out.
    const others = await this.#sessions.find({ userId: auth.user._id, _id: { $ne: auth.session._id } });
    for (const s of others) await this.#revoke(s);
  }

  /** For steps that need the password again (deleting the account): limited like a sign-in. */
  async confirmPassword(auth: Authenticated, password: string, address: string): Promise<void> {
    if (!(await this.#checkPassword(auth.user.email, password, address, auth.user)))
      throw new AppError(ErrorCode.invalidCredentials, 'The password is not right');
  }

  /**
   * Deletes the account record and ends every session of it, closing their
   * live connections. The record goes first: from then on no session of it
   * authenticates, whatever is still in flight.
   */
  async erase(userId: string): Promise<void> {
    await this.#users.deleteOne({ _id: userId });
    for (const s of await this.#sessions.find({ userId })) await this.#revoke(s);
  }

  async listSessions(auth: Authenticated): Promise<SessionInfo[]> {
    const sessions = await this.#sessions.find({ userId: auth.user._id }, { sort: { createdAt: -1 } });
    return sessions.map((s) => ({
      id: s.publicId,
      current: s._id === auth.session._id,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      expiresAt: s.expiresAt,
    }));
  }

  async revokeSession(userId: string, publicId: string): Promise<void> {
    const session = await this.#sessions.findOne({ userId, publicId });
    if (!session) throw AppError.notFound('Session');
    await this.#revoke(session);
  }

  async logout(session: SessionRecord): Promise<void> {
    await this.#revoke(session);
  }

  async #revoke(session: SessionRecord): Promise<void> {
    await this.#sessions.deleteOne({ _id: session._id });
    this.events.emit('sessionRevoked', session._id);
  }

  async #startSession(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await this.#sessions.insertOne({
      _id: tokenHash(token),
      publicId: randomUUID(),
      userId,
      createdAt: new Date(now).toISOString(),
      lastSeenAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.options.sessionTtlMs).toISOString(),
    });
    return token;
  }
}
