import * as Y from 'yjs';
import { LOAD, Room } from './room.ts';
import { deletedBlocks, insertedBlockIds, RecentlyDeleted, type DeletedBlock } from './block-moves.ts';
import type { PlanReferences } from './plan-check.ts';
import type { ActionLinkChange } from './plan-links.ts';
import type { Principal } from './room.ts';
import { DocumentWriter, type WriterOptions } from './writer.ts';
import { Compactor } from './compactor.ts';
import type { UpdateLog } from './persistence.ts';
import type { Logger } from '../logger.ts';
import type { Editor, StoredRun } from '../history/attribution.runs.ts';
import type { EditCounts } from '../history/attribution.capture.ts';

export class DocumentUnavailableError extends Error {
  override readonly name = 'DocumentUnavailableError';
}

interface Entry {
  room: Promise<Room>;
  ready?: Room;
  idleTimer?: NodeJS.Timeout;
  /** Set while the room is being written out and unloaded; a newcomer waits for it, then loads anew. */
  unloading?: Promise<void>;
}

/**
 * Loaded rooms by document id. A room is loaded once however many people
 * arrive together, refused (never served empty) when its log cannot be read,
 * and unloaded after it has stood empty for `idleMs`.
 */
export class RoomRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #compactor = new Compactor();
  readonly #recentlyDeleted = new RecentlyDeleted();

  constructor(
    private readonly log: UpdateLog,
    private readonly writerOptions: WriterOptions,
    private readonly idleMs: number,
    private readonly logger: Logger,
    private readonly planRefs: PlanReferences | null = null,
    /** Told of every change to an action's links, per document, with who made it (the audit log). */
    private readonly onLinksChanged: ((docId: string, who: Principal | undefined, changes: ActionLinkChange[]) => void) | null = null,
  ) {}

  /** Told when an edit deletes plan blocks (a move is a deletion and an insertion), so that comments on them can follow. */
  onBlocksDeleted: ((docId: string, blocks: DeletedBlock[]) => void) | null = null;

  /** Told of every attributed edit, and of a member's last connection to a document closing (edit sessions in the audit log). */
  editSessions: { edited(docId: string, editor: Editor, counts: EditCounts): void; left(docId: string, editor: Editor): void } | null = null;

  get loadedCount(): number {
    return this.#entries.size;
  }

  /** Rooms that are loaded and serving. */
  *loaded(): IterableIterator<Room> {
    for (const entry of this.#entries.values()) if (entry.ready && !entry.ready.destroyed) yield entry.ready;
  }

  isLoaded(docId: string): boolean {
    return this.#entries.has(docId);
  }

  async acquire(docId: string): Promise<Room> {
    let entry = this.#entries.get(docId);
    while (entry?.unloading) {
      await entry.unloading;
      entry = this.#entries.get(docId);
    }
    if (!entry) {
      const created: Entry = { room: this.#load(docId) };
      entry = created;
      this.#entries.set(docId, created);
      created.room.then((room) => (created.ready = room), () => undefined);
      entry.room.catch(() => {
        if (this.#entries.get(docId) === entry) this.#entries.delete(docId);
      });
    }
    clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    return entry.room;
  }

  /** Called when a connection leaves; an empty room starts its idle countdown. */
  release(room: Room): void {
    const entry = this.#entries.get(room.docId);
    if (!entry || room.connections.size > 0 || entry.unloading) return;
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => void this.#unload(room.docId, entry, room), this.idleMs);
    entry.idleTimer.unref();
  }

  async #load(docId: string): Promise<Room> {
    let stored;
    try {
      stored = await this.log.loadEntries(docId);
    } catch (err) {
      this.logger.error({ err, docId }, 'loading a document failed; refusing to serve it');
      throw new DocumentUnavailableError('The document could not be loaded');
    }
    const writer = new DocumentWriter(docId, this.log, this.#compactor, this.writerOptions, this.logger, {
      lastSeq: stored.lastSeq,
      entries: stored.entries.length,
    });
    // Deleted content is kept: versions and differences rebuild past states from it (Y.createDocFromSnapshot).
    const doc = new Y.Doc({ gc: false });
    // Read before the transaction's deleted content is collected; loading the stored log replays old moves, not new ones.
    doc.on('afterTransaction', (transaction) => {
      if (transaction.origin === LOAD || !this.onBlocksDeleted) return;
      // A block pasted back after a cut in an earlier change: its comments follow it now, as in a move.
      const back = this.#recentlyDeleted.takeBack(docId, insertedBlockIds(transaction));
      const blocks = deletedBlocks(transaction);
      if (blocks.length > 0) this.#recentlyDeleted.remember(docId, blocks);
      if (blocks.length + back.length > 0) this.onBlocksDeleted(docId, [...blocks, ...back]);
    });
    const onLinks = this.onLinksChanged;
    const room = new Room(docId, doc, writer, this.logger, stored, this.planRefs, onLinks && ((conn, changes) => onLinks(docId, conn.principal, changes)));
    room.onEdited = (editor, counts) => this.editSessions?.edited(docId, editor, counts);
    room.onLeft = (conn) => conn.editor && this.editSessions?.left(docId, conn.editor);
    return room;
  }

  async #unload(docId: string, entry: Entry, room: Room): Promise<void> {
    if (room.connections.size > 0 || entry.unloading) return;
    entry.unloading = (async () => {
      try {
        await room.flush();
        room.destroy();
        this.#entries.delete(docId);
      } catch (err) {
        // Keep it loaded: the writer retries, and the next idle countdown tries again.
        this.logger.error({ err, docId }, 'could not write a document before unloading it');
      } finally {
        entry.unloading = undefined;
      }
    })();
    await entry.unloading;
    if (this.#entries.get(docId) === entry) this.release(room);
  }

  /** Attribution a loaded room holds and has not stored yet (none if the document is not loaded). */
  async pendingAttribution(docId: string): Promise<StoredRun[]> {
    const entry = this.#entries.get(docId);
    if (!entry) return [];
    const room = await entry.room.catch(() => null);
    return room && !room.destroyed ? room.pendingAttribution() : [];
  }

  /** Writes every loaded room; rejects if any write failed. */
  async flushAll(): Promise<void> {
    const rooms = await this.#settledRooms();
    await Promise.all(rooms.map((r) => r.flush()));
  }

  /** Shutdown: closes every connection, writes everything, unloads. */
  async closeAll(code: number, reason: string): Promise<void> {
    const rooms = await this.#settledRooms();
    for (const r of rooms) r.closeAll(code, reason);
    const results = await Promise.allSettled(rooms.map((r) => r.flush()));
    for (const [i, result] of results.entries()) {
      if (result.status === 'rejected') this.logger.error({ err: result.reason, docId: rooms[i]!.docId }, 'final write failed');
      else rooms[i]!.destroy();
    }
    for (const entry of this.#entries.values()) clearTimeout(entry.idleTimer);
    this.#entries.clear();
    await this.#compactor.close();
  }

  async #settledRooms(): Promise<Room[]> {
    const settled = await Promise.allSettled([...this.#entries.values()].map((e) => e.room));
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }
}
