import { toApiError, type ApiError } from './api.ts';

/**
 * One action at a time from a control: whether it is under way, and why the
 * last one failed. `run` resolves true when the work succeeded.
 */
export class Pending {
  #busy = $state(false);
  #error = $state.raw<ApiError | null>(null);

  get busy(): boolean {
    return this.#busy;
  }
  get error(): ApiError | null {
    return this.#error;
  }

  async run(work: () => Promise<unknown>): Promise<boolean> {
    if (this.#busy) return false;
    this.#busy = true;
    this.#error = null;
    try {
      await work();
      return true;
    } catch (cause) {
      this.#error = toApiError(cause);
      return false;
    } finally {
      this.#busy = false;
    }
  }

  clear(): void {
    this.#error = null;
  }
}
