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

  /** Puts a changed copy of a listed item in its place. Returns false if it is not listed. */
  replace(item: T): boolean {
    if (!this.#ids.has(item.id)) return false;
    this.#items = this.#items.map((x) => (x.id === item.id ? item : x));
    return true;
  }

  /** Takes an item out of the list. Returns false if it was not listed. */
  remove(id: string): boolean {
    if (!this.#ids.delete(id)) return false;
    this.#items = this.#items.filter((x) => x.id !== id);
    return true;
  }

  /**
   * Adds an item where `before` says it belongs (the first listed item it
   * comes before), or at the end if everything is loaded. An item that sorts
   * after the loaded part waits for its page. Returns false if it was already there.
   */
  insert(item: T, before: (item: T, other: T) => boolean): boolean {
    if (this.#ids.has(item.id)) return false;
    const at = this.#items.findIndex((other) => before(item, other));
    if (at < 0 && this.hasMore) return false;
    this.#ids.add(item.id);
    this.#items = at < 0 ? [...this.#items, item] : [...this.#items.slice(0, at), item, ...this.#items.slice(at)];
    return true;
  }

  /** Stops any request in flight; call when the view goes away. */
  dispose(): void {
    this.#abort.abort();
  }
}
