import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { Store } from '../store/types.ts';
import type { Phase } from '../../shared/groups.ts';
import type { Page, PageQuery } from '../../shared/schemas.ts';
import type { Version, VersionReason } from '../../shared/history.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import { paginate } from '../pagination.ts';
import type { Logger } from '../logger.ts';
import type { DomainEventBus } from '../events.ts';
import type { Access } from '../members/access.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { publicFace } from '../members/identity.ts';
import { membershipsCollection, type MembershipRecord } from '../members/members.repository.ts';
import { documentsCollection, type DocumentRecord } from '../documents/documents.repository.ts';
import { DocumentUnavailableError, type RoomRegistry } from '../collab/rooms.ts';
import { EditedBy, type Room, type Principal } from '../collab/room.ts';
import { versionsCollection, visitsCollection, type VersionRecord } from './versions.repository.ts';
import { deletionsSince, documentAt, encodeDeleteSet, unionOf } from './versions.snapshots.ts';
import { replaceContent } from './versions.restore.ts';
import { VersionTextCache } from './versions.cache.ts';

interface NewVersion {
  name: string | null;
  reason: VersionReason;
  phase: Phase | null;
  createdBy: MembershipRecord | null;
  restoredFrom: string | null;
}

/**
 * A document's versions: made by the server at every phase change and at
 * adoption, and by facilitators and drafters on demand; read read-only;
 * restored as a new change. Also where each member last left each document,
 * the start of "since my last visit".
 */
export class VersionsService {
  readonly #records;
  readonly #visits;
  readonly #documents;
  readonly #memberships;
  /** Per document, the version work under way: one at a time, so each delta is taken against the version before it. */
  readonly #chains = new Map<string, Promise<unknown>>();
  /** Versions' texts as sent, up to 32 MiB of them. */
  readonly #texts = new VersionTextCache(32 * 2 ** 20);

  constructor(
    store: Store,
    private readonly access: Access,
    private readonly rooms: RoomRegistry,
    private readonly audit: AuditLog,
    private readonly events: DomainEventBus,
    private readonly logger: Logger,
  ) {
    this.#records = versionsCollection(store);
    this.#visits = visitsCollection(store);
    this.#documents = documentsCollection(store);
    this.#memberships = membershipsCollection(store);
  }

  /** A named version, on demand (facilitators and drafters). */
  async create(userId: string, documentId: string, name: string): Promise<Version> {
    const { membership, document } = await this.access.authorizeDocument(userId, documentId, 'version.create');
    const record = await this.#serial(documentId, () =>
      this.#withRoom(documentId, (room) => this.#insert(room, document, { name, reason: 'manual', phase: null, createdBy: membership, restoredFrom: null })),
    );
    return this.#announce(document, record, membership);
  }

  /**
   * The server's versions of every document of a consultation, at a phase
   * change (`adopted`: the adoption version). One document that cannot be
   * read does not keep the others from theirs.
   */
  async atPhase(consultationId: string, phase: Phase): Promise<void> {
    const reason: VersionReason = phase === 'adopted' ? 'adoption' : 'phase';
    for (const document of await this.#documents.find({ consultationId }, { sort: { createdAt: 1 } })) {
      try {
        const record = await this.#serial(document._id, () =>
          this.#withRoom(document._id, (room) => this.#insert(room, document, { name: null, reason, phase, createdBy: null, restoredFrom: null })),
        );
        await this.#announce(document, record, null);
      } catch (err) {
        this.logger.error({ err, documentId: document._id, phase }, 'could not make the version of a document at a phase change');
      }
    }
  }

  /**
   * At start-up: makes the adoption version of any document of an adopted
   * plan that lacks one (a crash came between the phase change and its
   * versions). Nobody edits an adopted plan, so its text now is its text at adoption.
   */
  async sweep(adoptedConsultationIds: readonly string[]): Promise<void> {
    if (adoptedConsultationIds.length === 0) return;
    const documents = await this.#documents.find({ consultationId: { $in: [...adoptedConsultationIds] } });
    for (const document of documents) {
      if (await this.#records.findOne({ documentId: document._id, reason: 'adoption' })) continue;
      try {
        const record = await this.#serial(document._id, () =>
          this.#withRoom(document._id, (room) => this.#insert(room, document, { name: null, reason: 'adoption', phase: 'adopted', createdBy: null, restoredFrom: null })),
        );
        await this.#announce(document, record, null);
      } catch (err) {
        this.logger.error({ err, documentId: document._id }, 'could not make the adoption version of a document after a restart');
      }
    }
  }

  /** Newest first, paged; who made each as their public face (alias and group, never a name). */
  async list(userId: string, documentId: string, query: PageQuery): Promise<Page<Version>> {
    await this.access.authorizeDocument(userId, documentId, 'document.view');
    const page = await paginate(this.#records, { documentId }, query, (r) => r);
    const faces = await this.#faces(page.items.map((r) => r.createdBy));
    return { items: page.items.map((r) => toWire(r, faces)), nextCursor: page.nextCursor };
  }

  /** A version and the document as it was then, as one Yjs update (for read-only viewing). */
  async get(userId: string, documentId: string, versionId: string): Promise<{ version: Version; update: string }> {
    await this.access.authorizeDocument(userId, documentId, 'document.view');
    const record = await this.#find(documentId, versionId);
    const faces = await this.#faces([record.createdBy]);
    return { version: toWire(record, faces), update: await this.#encoded(record) };
  }

  /** A version's text as a base64 Yjs update, rebuilt once and then kept (it never changes). */
  async #encoded(record: VersionRecord): Promise<string> {
    const kept = this.#texts.get(record._id);
    if (kept !== undefined) return kept;
    const doc = await this.documentAtVersion(record);
    try {
      const update = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
      this.#texts.set(record._id, update);
      return update;
    } finally {
      doc.destroy();
    }
  }

  /**
   * Brings a version's text back as a new change: one transaction in the live
   * room (reaching every editor, stored like any edit), then a `restore` version.
   */
  async restore(userId: string, documentId: string, versionId: string): Promise<Version> {
    const { membership, document } = await this.access.authorizeDocument(userId, documentId, 'version.restore');
    // Locked and archived documents are read-only for everyone (Access.documentAccess): a restore is an edit.
    if (document.locked || document.archivedAt) throw new AppError(ErrorCode.conflict, 'The document is locked or archived; unlock or restore it first');
    const source = await this.#find(documentId, versionId);
    const record = await this.#serial(documentId, () =>
      this.#withRoom(documentId, async (room) => {
        const snapshot = await this.snapshotOf(source);
        const old = documentAt(room.doc, snapshot);
        try {
          // Attributed to the facilitator who restored it, like any edit of theirs.
          room.doc.transact(() => replaceContent(room.doc, old), new EditedBy({ membershipId: membership._id, group: membership.group }, 'restore'));
        } finally {
          old.destroy();
        }
        return this.#insert(room, document, { name: null, reason: 'restore', phase: null, createdBy: membership, restoredFrom: source._id });
      }),
    );
    await this.audit.record(document.consultationId, membership, 'version.restored', {
      subject: { type: 'document', id: document._id, name: document.title },
      details: { versionId: source._id, versionName: source.name, newVersionId: record._id },
    });
    return this.#announce(document, record, membership);
  }

  /** A version's snapshot: its state vector and the union of the deletions up to it. */
  async snapshotOf(record: VersionRecord): Promise<Y.Snapshot> {
    const upTo = await this.#records.find({ documentId: record.documentId, seq: { $lte: record.seq } });
    return Y.createSnapshot(unionOf(upTo.map((r) => r.deletions)), Y.decodeStateVector(record.stateVector));
  }

  /** A version as one end of a comparison: its snapshot and when it was made; null when the document has no such version. */
  async versionEnd(documentId: string, versionId: string): Promise<{ snapshot: Y.Snapshot; at: string } | null> {
    const record = await this.#records.findOne({ _id: versionId, documentId });
    return record && { snapshot: await this.snapshotOf(record), at: record.createdAt };
  }

  /** The version's snapshot by id, for the diff; null when the document has no such version. */
  async versionSnapshot(documentId: string, versionId: string): Promise<Y.Snapshot | null> {
    const record = await this.#records.findOne({ _id: versionId, documentId });
    return record && this.snapshotOf(record);
  }

  /** The document as it was at a version, as a fresh document (destroy it when done). */
  async documentAtVersion(record: VersionRecord): Promise<Y.Doc> {
    return this.documentAtSnapshot(record.documentId, await this.snapshotOf(record));
  }

  /**
   * The document as a snapshot (a version's, a last visit's) describes it, as
   * a fresh document (destroy it when done), rebuilt from the document's
   * room, which holds everything a version or a visit covers (both are written
   * only once the log does). A room loaded for this stays for its idle time:
   * whoever reads one version usually reads its neighbours next, and those
   * then cost a fraction of the first (bench/RESULTS.md, v).
   */
  async documentAtSnapshot(documentId: string, snapshot: Y.Snapshot): Promise<Y.Doc> {
    return this.#withRoom(documentId, async (room) => documentAt(room.doc, snapshot));
  }

  /**
   * Called when a member's last Yjs connection to a document closes: keeps
   * where they left it. The snapshot is taken now; it is written once the
   * room has stored everything it covers.
   */
  recordVisit(room: Room, principal: Principal): void {
    if (room.destroyed) return;
    const snapshot = Y.encodeSnapshot(room.snapshot());
    const at = new Date().toISOString();
    void (async () => {
      const membership = await this.#memberships.findOne({ consultationId: principal.consultationId, userId: principal.userId });
      if (!membership) return;
      await room.flush();
      const _id = `${membership._id}:${room.docId}`;
      await this.#visits.updateOne({ _id }, { $set: { membershipId: membership._id, documentId: room.docId, snapshot, at } }, { upsert: true });
    })().catch((err: unknown) => this.logger.error({ err, docId: room.docId }, 'could not record where a member left a document'));
  }

  /** Where a member last left a document (for "since my last visit"), or null if they never did. */
  async lastVisit(membershipId: string, documentId: string): Promise<Y.Snapshot | null> {
    return (await this.lastVisitAt(membershipId, documentId))?.snapshot ?? null;
  }

  /** The same, with when they left (the diff's `from.at`). */
  async lastVisitAt(membershipId: string, documentId: string): Promise<{ snapshot: Y.Snapshot; at: string } | null> {
    const visit = await this.#visits.findOne({ _id: `${membershipId}:${documentId}` });
    return visit && { snapshot: Y.decodeSnapshot(visit.snapshot), at: visit.at };
  }

  /**
   * Takes the snapshot, makes sure the log holds everything it covers, then
   * writes the version in one insert.
   */
  async #insert(room: Room, document: DocumentRecord, v: NewVersion): Promise<VersionRecord> {
    const snapshot = Y.snapshot(room.doc);
    await room.flush();
    const earlier = await this.#records.find({ documentId: document._id }, { sort: { seq: 1 } });
    const last = earlier.at(-1);
    // Strictly later than the version before, so that "newest first" is the order they were made in.
    const createdAt = new Date(Math.max(Date.now(), last ? Date.parse(last.createdAt) + 1 : 0)).toISOString();
    const record: VersionRecord = {
      _id: randomUUID(),
      documentId: document._id,
      consultationId: document.consultationId,
      seq: (last?.seq ?? 0) + 1,
      name: v.name,
      reason: v.reason,
      phase: v.phase,
      createdBy: v.createdBy?._id ?? null,
      createdAt,
      restoredFrom: v.restoredFrom,
      stateVector: Y.encodeStateVector(snapshot.sv),
      deletions: encodeDeleteSet(deletionsSince(snapshot.ds, unionOf(earlier.map((r) => r.deletions)))),
    };
    await this.#records.insertOne(record);
    return record;
  }

  async #announce(document: DocumentRecord, record: VersionRecord, by: MembershipRecord | null): Promise<Version> {
    const version = toWire(record, new Map(by ? [[by._id, by]] : []));
    this.events.emit('versionCreated', document.consultationId, version);
    await this.audit.record(document.consultationId, by, 'version.created', {
      subject: { type: 'document', id: document._id, name: document.title },
      details: { versionId: record._id, versionName: record.name, reason: record.reason, phase: record.phase },
    });
    return version;
  }

  async #find(documentId: string, versionId: string): Promise<VersionRecord> {
    const record = await this.#records.findOne({ _id: versionId, documentId });
    if (!record) throw AppError.notFound('Version');
    return record;
  }

  async #faces(ids: (string | null)[]): Promise<Map<string, MembershipRecord>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    const members = wanted.length === 0 ? [] : await this.#memberships.find({ _id: { $in: wanted } });
    return new Map(members.map((m) => [m._id, m]));
  }

  async #withRoom<T>(documentId: string, work: (room: Room) => Promise<T>): Promise<T> {
    const room = await this.rooms.acquire(documentId).catch((err: unknown) => {
      throw err instanceof DocumentUnavailableError ? new AppError(ErrorCode.unavailable, 'The document could not be read; try again later') : err;
    });
    try {
      return await work(room);
    } finally {
      this.rooms.release(room);
    }
  }

  #serial<T>(documentId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#chains.get(documentId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    const settled = next.catch(() => undefined);
    this.#chains.set(documentId, settled);
    void settled.then(() => {
      if (this.#chains.get(documentId) === settled) this.#chains.delete(documentId);
    });
    return next;
  }
}

function toWire(r: VersionRecord, faces: Map<string, MembershipRecord>): Version {
  const by = r.createdBy ? faces.get(r.createdBy) : undefined;
  return {
    id: r._id,
    documentId: r.documentId,
    name: r.name,
    reason: r.reason,
    phase: r.phase,
    createdBy: by ? publicFace(by) : null,
    createdAt: r.createdAt,
    restoredFrom: r.restoredFrom,
  };
}
