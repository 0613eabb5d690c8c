import { DuplicateKeyError, type Collection, type Store } from '../store/types.ts';
import type { Logger } from '../logger.ts';

/**
 * One idempotency key a member sent with a comment, reply or position, and
 * the thread it acted on. Stored so that a resend after a server restart
 * (the acknowledgement lost with the connection) is answered, not done again.
 * Ephemeral: not in consultation archives (server/archive/collections.ts lists
 * what is), erased with the member (server/privacy/erase.ts), and gone a day
 * after it was written.
 */
export interface CommentKeyRecord {
  /**
   * `userId \0 action \0 key`: unique in the store, so a key is recorded once and the first record stands.
   * Convene runs as one process, whose in-memory record stops a second run; a second process sharing the
   * store would only find the clash after doing the action, and logs it.
   */
  _id: string;
  userId: string;
  /** Which consultation the thread is in: a member's keys there go when the member is erased. */
  consultationId: string;
  action: string;
  key: string;
  threadId: string;
  createdAt: string;
}

export const commentKeysCollection = (store: Store): Collection<CommentKeyRecord> => store.collection<CommentKeyRecord>('comment_keys');

export async function ensureCommentKeyIndexes(store: Store): Promise<void> {
  await commentKeysCollection(store).createIndex({ userId: 1, consultationId: 1 });
  await commentKeysCollection(store).createIndex({ createdAt: 1 });
}

export const keyId = (userId: string, action: string, key: string) => `${userId}\u0000${action}\u0000${key}`;

/**
 * The stored keys. Expiry is exact on read (a key older than the TTL answers
 * nothing); the records themselves are deleted by a sweep that runs at most
 * once per `sweepEveryMs`, started by a write: the store abstraction has no
 * TTL index, and most keys are never read again.
 */
export class CommentKeys {
  readonly #keys: Collection<CommentKeyRecord>;
  #sweptAt = -Infinity;

  constructor(
    store: Store,
    private readonly ttlMs: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly sweepEveryMs = Math.min(ttlMs, 3_600_000),
  ) {
    this.#keys = commentKeysCollection(store);
  }

  /** The thread a key acted on, if the key is known and fresh. */
  async find(userId: string, action: string, key: string): Promise<string | null> {
    const found = await this.#keys.findOne({ _id: keyId(userId, action, key), createdAt: { $gt: this.#cutoff() } });
    return found?.threadId ?? null;
  }

  /**
   * Records a key once its action is stored. Never throws: the action stands
   * and an error would only make the client send it again; the in-memory
   * record still answers resends until this process stops.
   */
  async remember(userId: string, action: string, key: string, thread: { _id: string; consultationId: string }): Promise<void> {
    const _id = keyId(userId, action, key);
    const record = { userId, consultationId: thread.consultationId, action, key, threadId: thread._id, createdAt: new Date(this.now()).toISOString() };
    try {
      // Replaces only an expired record of the same key (not yet swept); a fresh one makes the upsert clash, and the first stands.
      await this.#keys.updateOne({ _id, createdAt: { $lte: this.#cutoff() } }, { $set: record }, { upsert: true });
    } catch (err) {
      // A clash: another process recorded the same key meanwhile (within one process the in-memory record stops a second run).
      if (err instanceof DuplicateKeyError) this.logger.warn({ action }, 'an idempotency key was recorded twice');
      else this.logger.error({ err, action }, 'recording an idempotency key failed');
    }
    this.#sweep();
  }

  #cutoff(): string {
    return new Date(this.now() - this.ttlMs).toISOString();
  }

  #sweep(): void {
    if (this.now() - this.#sweptAt < this.sweepEveryMs) return;
    this.#sweptAt = this.now();
    this.#keys.deleteMany({ createdAt: { $lte: this.#cutoff() } }).catch((err: unknown) => this.logger.error({ err }, 'sweeping expired idempotency keys failed'));
  }
}
