import type { Thread } from '../../shared/comments.ts';
import type { CommentKeys } from './comment-keys.ts';

/** How long a member's idempotency key is remembered: longer than any client keeps retrying one queued item. */
export const idempotencyTtlMs = 24 * 60 * 60 * 1000;
/** Keys remembered in memory at most, all members together; the oldest are forgotten first (the store keeps them all). */
export const idempotencyMaxKeys = 100_000;

/** Called by the action right after its change is stored, with the thread it changed. */
export type Remember = (thread: { _id: string; consultationId: string }) => Promise<void>;

export interface StoredKeys {
  keys: Pick<CommentKeys, 'find' | 'remember'>;
  /** The thread a stored key acted on, as this member may see it now. */
  replay(userId: string, threadId: string): Promise<Thread>;
}

/**
 * Makes a comment, reply or position sent with a client-generated key happen
 * once: a client that queued it offline resends it until it has an
 * acknowledgement, and an acknowledgement lost on a dropped connection must not
 * make a second comment. Keys are per member (one member's key never answers
 * another's) and last a day.
 *
 * In memory: a resend while the first is still running waits for it and gets
 * the thread as the first attempt left it (clients keep the newest copy by
 * `seq`, and the live broadcasts carry anything newer); a first attempt that
 * failed is forgotten, so the retry runs. In the store (`stored`): keys
 * outlive a restart, and a resend answered from there gets the thread as it
 * is now.
 */
export class IdempotentActions {
  readonly #done = new Map<string, { at: number; result: Promise<Thread> }>();
  readonly #stored: StoredKeys | null;
  readonly #ttlMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor({ stored = null, ttlMs = idempotencyTtlMs, maxKeys = idempotencyMaxKeys, now = () => Date.now() }: { stored?: StoredKeys | null; ttlMs?: number; maxKeys?: number; now?: () => number } = {}) {
    this.#stored = stored;
    this.#ttlMs = ttlMs;
    this.#maxKeys = maxKeys;
    this.#now = now;
  }

  run(userId: string, action: string, key: string | undefined, work: (remember?: Remember) => Promise<Thread>): Promise<Thread> {
    if (key === undefined) return work();
    this.#forgetOld();
    // The action is part of the key: a reply's key cannot answer for a position.
    const id = `${userId}\u0000${action}\u0000${key}`;
    const held = this.#done.get(id);
    if (held) return held.result;
    const result = this.#first(userId, action, key, work);
    this.#done.set(id, { at: this.#now(), result });
    result.catch(() => {
      if (this.#done.get(id)?.result === result) this.#done.delete(id);
    });
    return result;
  }

  get size(): number {
    return this.#done.size;
  }

  async #first(userId: string, action: string, key: string, work: (remember?: Remember) => Promise<Thread>): Promise<Thread> {
    if (!this.#stored) return work();
    const { keys, replay } = this.#stored;
    const threadId = await keys.find(userId, action, key);
    if (threadId !== null) return replay(userId, threadId);
    return work((thread) => keys.remember(userId, action, key, thread));
  }

  #forgetOld(): void {
    const oldest = this.#now() - this.#ttlMs;
    // Insertion order is age order: stop at the first one still fresh.
    for (const [id, entry] of this.#done) {
      if (entry.at > oldest && this.#done.size < this.#maxKeys) break;
      this.#done.delete(id);
    }
  }
}
