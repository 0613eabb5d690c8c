/**
 * Runs the changes made under one key (a document, a meeting, a poll) one at
 * a time, in the order they came, so each reads what the one before wrote
 * and their announcements go out in sequence order. Keys with nothing
 * pending are forgotten.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const settled = next.catch(() => undefined);
    this.#tails.set(key, settled);
    void settled.then(() => {
      if (this.#tails.get(key) === settled) this.#tails.delete(key);
    });
    return next;
  }
}
