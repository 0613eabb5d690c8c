import type { EmailMode, Notification, NotificationSettings, UnreadCount } from '../../../shared/notifications.ts';
import type { Page } from '../../../shared/schemas.ts';
import { pageQuery, request, toApiError, type ApiError } from './api.ts';
import { getSocket, type ConveneSocket } from './socket.ts';

export const notificationsApi = {
  list: (cursor?: string, limit?: number) => request<Page<Notification>>('GET', `/api/notifications${pageQuery(cursor, limit)}`),
  unread: () => request<UnreadCount>('GET', '/api/notifications/unread'),
  markRead: (ids: string[]) => request<UnreadCount>('POST', '/api/notifications/read', { ids }),
  markAllRead: () => request<UnreadCount>('POST', '/api/notifications/read-all'),
  settings: () => request<NotificationSettings>('GET', '/api/notifications/settings'),
  setEmail: (email: EmailMode) => request<NotificationSettings>('PUT', '/api/notifications/settings', { email }),
};

/**
 * The signed-in person's notifications: the unread count for the badge, the
 * list for the centre (loaded when it is first opened), and new ones as the
 * server sends them to this person's own sockets.
 */
export class NotificationCentre {
  unread = $state(0);
  items = $state.raw<Notification[]>([]);
  nextCursor = $state<string | null>(null);
  loaded = $state(false);
  loading = $state(false);
  error = $state.raw<ApiError | null>(null);
  #socket: ConveneSocket | null = null;
  #stopped = false;

  readonly #onNew = ({ notification, unread }: { notification: Notification; unread: number }) => {
    this.unread = unread;
    if (this.loaded && !this.items.some((n) => n.id === notification.id)) this.items = [notification, ...this.items];
  };
  /** After a reconnection: what arrived meanwhile is only in the count. */
  readonly #onConnect = () => void this.refreshCount();

  start(): void {
    void this.refreshCount();
    void getSocket().then((socket) => {
      if (this.#stopped) return;
      this.#socket = socket;
      socket.on('notification:new', this.#onNew);
      socket.on('connect', this.#onConnect);
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#socket?.off('notification:new', this.#onNew);
    this.#socket?.off('connect', this.#onConnect);
  }

  async refreshCount(): Promise<void> {
    try {
      this.unread = (await notificationsApi.unread()).unread;
      if (this.loaded) await this.load();
    } catch {
      // the badge keeps its last count; the next event or reconnection corrects it
    }
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const page = await notificationsApi.list();
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.loaded = true;
    } catch (cause) {
      this.error = toApiError(cause);
    } finally {
      this.loading = false;
    }
  }

  async more(): Promise<void> {
    if (!this.nextCursor || this.loading) return;
    this.loading = true;
    try {
      const page = await notificationsApi.list(this.nextCursor);
      const known = new Set(this.items.map((n) => n.id));
      this.items = [...this.items, ...page.items.filter((n) => !known.has(n.id))];
      this.nextCursor = page.nextCursor;
    } catch (cause) {
      this.error = toApiError(cause);
    } finally {
      this.loading = false;
    }
  }

  async markRead(id: string): Promise<void> {
    if (!this.items.some((n) => n.id === id && !n.read)) return;
    this.items = this.items.map((n) => (n.id === id ? { ...n, read: true } : n));
    this.unread = (await notificationsApi.markRead([id])).unread;
  }

  async markAllRead(): Promise<void> {
    this.items = this.items.map((n) => ({ ...n, read: true }));
    this.unread = (await notificationsApi.markAllRead()).unread;
  }
}
