/**
 * Runs a relay at the end of the current turn of the event loop, or, if it
 * last ran less than `intervalMs()` ago, once that interval has passed.
 * Requests made meanwhile fold into that one run: a lone event waits for
 * nothing, and a burst goes out at most once per interval.
 */
export class Throttle {
  #last = -Infinity;
  #cancel: (() => void) | undefined;

  /** `run` returns false when it found nothing to send: that does not count as a run. */
  constructor(
    private readonly run: () => boolean,
    private readonly intervalMs: () => number,
  ) {}

  request(): void {
    this.#cancel ??= schedule(this.#last + this.intervalMs(), () => this.flush());
  }

  /** Runs now, in place of any run pending. */
  flush(): void {
    this.cancel();
    if (this.run()) this.#last = performance.now();
  }

  cancel(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }
}

/** Runs `fn` at `at` (a `performance.now()` time), or at the end of this turn of the event loop if that has passed; returns a canceller. */
function schedule(at: number, fn: () => void): () => void {
  const ms = at - performance.now();
  if (ms <= 0) {
    const handle = setImmediate(fn);
    return () => clearImmediate(handle);
  }
  const handle = setTimeout(fn, Math.ceil(ms));
  return () => clearTimeout(handle);
}
