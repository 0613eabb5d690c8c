import type { Thread } from '../../shared/comments.ts';

/** How long a member's idempotency key is remembered: longer than any client keeps retrying one queued item. */
export const idempotencyTtlMs = 24 * 60 * 60 * 1000;
/** Keys remembered at most, all members together; the oldest are forgotten first. */
export const idempotencyMaxKeys = 100_000;

/**
 * Makes a comment, reply or position sent with a client-generated key happen
 * once: a client that queued it offline resends it until it has an
 * acknowledgement, and an acknowledgement lost on a dropped connection must not
 * make a second comment. Keys are per member (one member's key never answers
 * another's) and kept in memory for a day. A resend while the first is still
 * running waits for it; a first attempt that failed is forgotten, so the retry runs.
 * The reply to a resend is the thread as the first attempt left it: clients keep
 * the newest copy by `seq`, and the live broadcasts carry anything newer.
 */
export class IdempotentActions {
  readonly #done = new Map<string, { at: number; result: Promise<Thread> }>();

  constructor(
    private readonly ttlMs = idempotencyTtlMs,
    private readonly maxKeys = idempotencyMaxKeys,
    private readonly now = () => Date.now(),
  ) {}

  run(userId: string, action: string, key: string | undefined, work: () => Promise<Thread>): Promise<Thread> {
    if (key === undefined) return work();
    this.#forgetOld();
    // The action is part of the key: a reply's key cannot answer for a position.
    const id = `${userId}\u0000${action}\u0000${key}`;
    const held = this.#done.get(id);
    if (held) return held.result;
    const result = work();
    this.#done.set(id, { at: this.now(), result });
    result.catch(() => {
      if (this.#done.get(id)?.result === result) this.#done.delete(id);
    });
    return result;
  }

  get size(): number {
    return this.#done.size;
  }

  #forgetOld(): void {
    const oldest = this.now() - this.ttlMs;
    // Insertion order is age order: stop at the first one still fresh.
    for (const [id, entry] of this.#done) {
      if (entry.at > oldest && this.#done.size < this.maxKeys) break;
      this.#done.delete(id);
    }
  }
}
