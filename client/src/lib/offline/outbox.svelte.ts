import * as idb from 'lib0/indexeddb';
import type { AnchorInput, Stance } from '../../../../shared/comments.ts';
import { outboxDbName } from './names.ts';

const storeName = 'items';

/** A comment, reply or position written while it could not be sent, with the key that makes its sending happen once. */
export type QueuedItem = { key: string; documentId: string; at: number } & (
  | { kind: 'create'; anchor: AnchorInput; body: string; proposal?: string; quote: string }
  | { kind: 'reply'; threadId: string; body: string }
  | { kind: 'position'; threadId: string; stance: Stance | null }
);

/**
 * The queue of comments, replies and positions not yet acknowledged by the
 * server, kept in IndexedDB (per account) so that they survive a reload and a
 * closed tab. An item leaves the queue only once the server has answered it
 * (accepted, or refused for good); the server remembers each item's key, so a
 * resend after a lost answer does not make a second comment.
 */
class Outbox {
  #items = $state.raw<QueuedItem[]>([]);
  /** Items written but not yet stored on the device (IndexedDB slow or unavailable). */
  #unsaved = $state.raw<ReadonlySet<string>>(new Set());
  #userId: string | null = null;
  #db: Promise<IDBDatabase> | null = null;

  get items(): QueuedItem[] {
    return this.#items;
  }

  forDocument(documentId: string): QueuedItem[] {
    return this.#items.filter((item) => item.documentId === documentId);
  }

  /** Whether some item of this document exists only in this page (it would be lost on leaving). */
  hasUnsaved(documentId: string): boolean {
    return this.#items.some((item) => item.documentId === documentId && this.#unsaved.has(item.key));
  }

  /** Opens the signed-in account's queue (once per account); resolves when its items are loaded. */
  async open(userId: string): Promise<void> {
    if (this.#userId === userId && this.#db) {
      await this.#db.catch(() => undefined);
      return;
    }
    this.close();
    this.#userId = userId;
    const db = idb.openDB(outboxDbName(userId), (db) => idb.createStores(db, [[storeName, { keyPath: 'key' }]]));
    this.#db = db;
    try {
      const [store] = idb.transact(await db, [storeName], 'readonly');
      const stored = (await idb.getAll(store!)) as QueuedItem[];
      if (this.#userId !== userId) return;
      const held = new Set(this.#items.map((item) => item.key));
      this.#items = [...this.#items, ...stored.filter((item) => !held.has(item.key))].sort((a, b) => a.at - b.at);
    } catch {
      // No IndexedDB (a private window in some browsers): the queue lives in this page only, and the guard says so.
    }
  }

  /** Forgets the queue in memory (signed out, or another account): the device copy is removed by `forgetDevice`. */
  close(): void {
    void this.#db?.then((db) => db.close()).catch(() => undefined);
    this.#db = null;
    this.#userId = null;
    this.#items = [];
    this.#unsaved = new Set();
  }

  async add(item: QueuedItem): Promise<void> {
    this.#items = [...this.#items, item];
    this.#unsaved = new Set([...this.#unsaved, item.key]);
    try {
      if (!this.#db) throw new Error('no queue open');
      const [store] = idb.transact(await this.#db, [storeName]);
      await idb.put(store!, item as unknown as string);
      const unsaved = new Set(this.#unsaved);
      unsaved.delete(item.key);
      this.#unsaved = unsaved;
    } catch {
      // kept in memory: sent when possible, and the leave-page guard warns
    }
  }

  async remove(key: string): Promise<void> {
    this.#items = this.#items.filter((item) => item.key !== key);
    if (this.#unsaved.has(key)) {
      const unsaved = new Set(this.#unsaved);
      unsaved.delete(key);
      this.#unsaved = unsaved;
    }
    try {
      if (!this.#db) return;
      const [store] = idb.transact(await this.#db, [storeName]);
      await idb.del(store!, key);
    } catch {
      // a leftover is resent once more, and the server answers it from its memory of the key
    }
  }
}

export const outbox = new Outbox();
