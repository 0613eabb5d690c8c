import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';

/**
 * Runs password hashes a few at a time. Each scrypt holds 32 MiB and a
 * thread-pool thread for tens of milliseconds, so a burst of sign-ins or
 * registrations would otherwise take all the memory and every libuv thread
 * (which file and DNS work share). Past `maxWaiting` queued hashes the caller
 * gets 503 with a Retry-After instead of a queue that grows without bound.
 */
export class HashQueue {
  readonly #waiting: (() => void)[] = [];
  #running = 0;
  #peak = 0;
  /** A moving average of how long one hash takes, to suggest when to come back. */
  #averageMs = 100;

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {
    if (concurrency < 1) throw new Error('HashQueue needs a concurrency of at least 1');
  }

  /** How many hashes run now, wait now, and the most that ever ran at once (for tests and metrics). */
  stats(): { running: number; waiting: number; peak: number } {
    return { running: this.#running, waiting: this.#waiting.length, peak: this.#peak };
  }

  async run<T>(hash: () => Promise<T>): Promise<T> {
    if (this.#running >= this.concurrency) {
      if (this.#waiting.length >= this.maxWaiting) {
        const seconds = Math.ceil(((this.#waiting.length / this.concurrency + 1) * this.#averageMs) / 1000);
        throw new AppError(ErrorCode.unavailable, 'The server is busy checking passwords; try again shortly', {
          retryAfterSeconds: Math.max(1, seconds),
        });
      }
      // A slot is handed over directly by the hash that finishes, so #running never overshoots.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    this.#peak = Math.max(this.#peak, this.#running);
    const started = performance.now();
    try {
      return await hash();
    } finally {
      this.#averageMs = this.#averageMs * 0.8 + (performance.now() - started) * 0.2;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
