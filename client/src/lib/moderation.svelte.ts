import type { ModerationItem, ModerationStatus } from '../../../shared/moderation.ts';
import { toApiError, type ApiError } from './api.ts';
import { facilitationApi } from './facilitation-api.ts';
import { listen, send } from './realtime.ts';

export type ModerationFilter = ModerationStatus | 'all';

/**
 * The facilitators' moderation queue of one consultation, filtered by status,
 * newest first, paginated, and kept live: the socket follows the queue
 * (`moderation:watch`) and every `moderation:changed` moves an item into,
 * within or out of the list shown.
 */
export class ModerationQueue {
  readonly consultationId: string;
  #filter = $state<ModerationFilter>('pending');
  #items = $state.raw<ModerationItem[]>([]);
  #nextCursor = $state<string | null>(null);
  #loading = $state(false);
  #loaded = $state(false);
  #error = $state.raw<ApiError | null>(null);
  #live = $state(true);
  #request = 0;
  #abort = new AbortController();

  constructor(consultationId: string) {
    this.consultationId = consultationId;
  }

  get filter(): ModerationFilter {
    return this.#filter;
  }
  get items(): ModerationItem[] {
    return this.#items;
  }
  get hasMore(): boolean {
    return this.#nextCursor !== null;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get error(): ApiError | null {
    return this.#error;
  }
  /** False when the live feed was refused or lost: the list may then be out of date. */
  get live(): boolean {
    return this.#live;
  }

  start(): () => void {
    void this.#loadPage(true);
    const stop = listen({
      // After every (re)connection: follow the queue again and catch up on what was missed.
      connect: () => {
        send('moderation:watch', this.consultationId).then(
          () => {
            if (!this.#live) void this.#loadPage(true);
            this.#live = true;
          },
          () => (this.#live = false),
        );
      },
      disconnect: () => (this.#live = false),
      'moderation:changed': (item) => {
        if (item.consultationId === this.consultationId) this.apply(item);
      },
    });
    return () => {
      stop();
      this.#abort.abort();
      void send('moderation:unwatch', this.consultationId).catch(() => undefined);
    };
  }

  setFilter(filter: ModerationFilter): void {
    if (filter === this.#filter) return;
    this.#filter = filter;
    void this.#loadPage(true);
  }

  loadMore(): void {
    if (!this.#loading && this.hasMore) void this.#loadPage(false);
  }

  retry(): void {
    void this.#loadPage(!this.#loaded);
  }

  /** Places a changed item: updated where it is, added on top, or removed if it no longer matches the filter. */
  apply(item: ModerationItem): void {
    const held = this.#items.find((i) => i.id === item.id);
    if (held && held.updatedAt > item.updatedAt) return;
    const matches = this.#filter === 'all' || this.#filter === item.status;
    if (!matches) this.#items = this.#items.filter((i) => i.id !== item.id);
    else if (held) this.#items = this.#items.map((i) => (i.id === item.id ? item : i));
    else this.#items = [item, ...this.#items];
  }

  hide = (item: ModerationItem, reason: string) => this.#decide(send('moderation:hide', { threadId: item.threadId, commentId: item.commentId, reason }));
  restore = (item: ModerationItem, reason?: string) =>
    this.#decide(send('moderation:restore', { threadId: item.threadId, commentId: item.commentId, ...(reason ? { reason } : {}) }));
  dismiss = (item: ModerationItem, reason?: string) =>
    this.#decide(send('moderation:dismiss', { threadId: item.threadId, commentId: item.commentId, ...(reason ? { reason } : {}) }));

  async #decide(action: Promise<ModerationItem>): Promise<ModerationItem> {
    const item = await action;
    this.apply(item);
    return item;
  }

  async #loadPage(first: boolean): Promise<void> {
    const request = ++this.#request;
    const filter = this.#filter;
    this.#loading = true;
    this.#error = null;
    if (first) {
      this.#items = [];
      this.#nextCursor = null;
      this.#loaded = false;
    }
    try {
      const status = filter === 'all' ? undefined : filter;
      const page = await facilitationApi.moderationQueue(this.consultationId, status, first ? undefined : (this.#nextCursor ?? undefined), this.#abort.signal);
      if (request !== this.#request) return;
      const ids = new Set(this.#items.map((i) => i.id));
      this.#items = [...this.#items, ...page.items.filter((i) => !ids.has(i.id))];
      this.#nextCursor = page.nextCursor;
      this.#loaded = true;
    } catch (cause) {
      if (!this.#abort.signal.aborted && request === this.#request) this.#error = toApiError(cause);
    } finally {
      if (request === this.#request) this.#loading = false;
    }
  }
}
