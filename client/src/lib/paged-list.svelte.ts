import type { Page } from '../../../shared/schemas.ts';
import { toApiError, type ApiError } from './api.ts';

/**
 * A cursor-paginated list that can also receive items pushed live, without
 * ever showing the same item twice.
 */
export class PagedList<T extends { id: string }> {
  #fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>;
  #items = $state.raw<T[]>([]);
  #nextCursor = $state<string | null>(null);
  #loading = $state(false);
  #loaded = $state(false);
  #error = $state.raw<ApiError | null>(null);
  #ids = new Set<string>();
  #abort = new AbortController();

  constructor(fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>) {
    this.#fetchPage = fetchPage;
  }

  get items(): T[] {
    return this.#items;
  }
  get hasMore(): boolean {
    return this.#nextCursor !== null;
  }
  get loading(): boolean {
    return this.#loading;
  }
  /** True once the first page arrived. */
  get loaded(): boolean {
    return this.#loaded;
  }
  get error(): ApiError | null {
    return this.#error;
  }

  /** Loads the first page, or the next one after that. */
  async loadMore(): Promise<void> {
    if (this.#loading || (this.#loaded && this.#nextCursor === null)) return;
    this.#loading = true;
    this.#error = null;
    try {
      const page = await this.#fetchPage(this.#nextCursor ?? undefined, this.#abort.signal);
      const fresh = page.items.filter((item) => !this.#ids.has(item.id));
      for (const item of fresh) this.#ids.add(item.id);
      this.#items = [...this.#items, ...fresh];
      this.#nextCursor = page.nextCursor;
      this.#loaded = true;
    } catch (error) {
      if (!this.#abort.signal.aborted) this.#error = toApiError(error);
    } finally {
      this.#loading = false;
    }
  }

  /** Adds a new item at the top (lists are newest first). Returns false if it was already there. */
  prepend(item: T): boolean {
    if (this.#ids.has(item.id)) return false;
    this.#ids.add(item.id);
    this.#items = [item, ...this.#items];
    return true;
  }

  /** Stops any request in flight; call when the view goes away. */
  dispose(): void {
    this.#abort.abort();
  }
}
