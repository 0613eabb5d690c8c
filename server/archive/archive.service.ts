import { randomBytes, randomUUID } from 'node:crypto';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { BaseDoc, Store } from '../store/types.ts';
import { DuplicateKeyError } from '../store/types.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { archiveFormat, archiveVersion, type ArchiveHeader, type ArchiveImportResult, type ArchiveProblem } from '../../shared/archive.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';
import { AppError } from '../errors.ts';
import { KeyedLock } from '../lock.ts';
import type { Logger } from '../logger.ts';
import type { Access } from '../members/access.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import type { RoomRegistry } from '../collab/rooms.ts';
import { consultationsCollection, type ConsultationRecord } from '../consultations/consultations.repository.ts';
import { membershipsCollection, type MembershipRecord } from '../members/members.repository.ts';
import { consentOnJoining } from '../members/identity.ts';
import { pollSecretsCollection } from '../polls/polls.repository.ts';
import { archiveCollections, collectionByName, type ArchiveCollection, type ExportContext, type ImportContext } from './collections.ts';
import { LineWriter, readArchive, toPlain } from './format.ts';

export interface ArchiveLimits {
  maxImportBytes: number;
  maxUnpackedBytes: number;
}

const invalid = (reason: ArchiveProblem, message: string, details: Record<string, unknown> = {}) =>
  new AppError(ErrorCode.archiveInvalid, message, { reason, ...details });

const batchSize = 200;

/**
 * A whole consultation as one file, and back (shared/archive.ts has the format,
 * collections.ts what goes in). Importing is all or nothing: the whole file is
 * read and checked before anything is written, and if a write fails midway
 * what was written is removed again.
 */
export class ArchiveService {
  /** One import at a time: a failed import removes exactly the records it wrote, which no other import can have written too. */
  readonly #importing = new KeyedLock();

  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly audit: AuditLog,
    private readonly rooms: RoomRegistry,
    private readonly logger: Logger,
    readonly limits: ArchiveLimits,
  ) {}

  /** Checks the caller may export, and records that they did; `write` then streams the file. */
  async prepareExport(userId: string, consultationId: string): Promise<{ consultation: ConsultationRecord; write: (out: Writable) => Promise<void> }> {
    const { consultation, membership } = await this.access.authorize(userId, consultationId, 'archive.export');
    // Recorded first, so that the archive itself says when and by whom it was taken.
    await this.audit.record(consultationId, membership, 'consultation.exported', {
      subject: { type: 'consultation', id: consultationId, name: consultation.title },
      details: { format: archiveFormat, version: archiveVersion },
    });
    // Edits still waiting to be written are written now, so the archive holds everything typed so far.
    await this.rooms.flushAll();
    return { consultation, write: (out) => this.#write(consultation, membership, out) };
  }

  async #write(consultation: ConsultationRecord, exporter: MembershipRecord, out: Writable): Promise<void> {
    const documentIds = (await this.store.collection('documents').find({ consultationId: consultation._id }, { sort: { _id: 1 } })).map((d) => d._id);
    const pollIds = (await this.store.collection('polls').find({ consultationId: consultation._id }, { sort: { _id: 1 } })).map((p) => p._id);
    const ctx: ExportContext = { store: this.store, consultation, exporter, documentIds, pollIds };
    const gzip = createGzip();
    // A download cut short ends the pipeline: the export stops reading instead of waiting for a drain that never comes.
    const cut = new AbortController();
    const piped = pipeline(gzip, out).catch((err: unknown) => {
      cut.abort(err);
      throw err;
    });
    piped.catch(() => undefined);
    const push = async (bytes: Buffer) => {
      cut.signal.throwIfAborted();
      // Back-pressure: a slow download holds the reading of further records, not memory.
      if (!gzip.write(bytes)) await once(gzip, 'drain', { signal: cut.signal });
    };
    const lines = new LineWriter();
    const header: ArchiveHeader = {
      format: archiveFormat,
      version: archiveVersion,
      exportedAt: new Date().toISOString(),
      consultationId: consultation._id,
      collections: archiveCollections.map((c) => c.name),
    };
    await push(lines.line(header));
    const counts: Record<string, number> = {};
    for (const collection of archiveCollections) {
      let n = 0;
      for await (const record of collection.select(ctx)) {
        await push(lines.line({ c: collection.name, r: toPlain(record) }));
        n += 1;
      }
      counts[collection.name] = n;
    }
    gzip.end(lines.trailer(counts));
    await piped;
  }

  /** Restores an archive as a new consultation on this server, the caller its facilitator. */
  async import(userId: string, file: Uint8Array, group: StakeholderGroup): Promise<ArchiveImportResult> {
    const { header, ids } = await this.#check(file);
    return this.#importing.run('import', async () => {
      await this.#refuseExisting(ids);
      return this.#restore(userId, file, header, group);
    });
  }

  /** First pass: the whole file read and every record checked; nothing is written. Returns the ids per store collection. */
  async #check(file: Uint8Array): Promise<{ header: ArchiveHeader; ids: Map<string, Set<string>> }> {
    const seen = new Map<string, Set<string>>();
    const ids = new Map<string, Set<string>>();
    let cid = '';
    let order = 0;
    const { header } = await readArchive(
      file,
      { maxUnpackedBytes: this.limits.maxUnpackedBytes },
      (h) => {
        cid = h.consultationId;
      },
      (name, raw, line) => {
        const collection = collectionByName.get(name);
        if (!collection) throw invalid('schema', `The archive holds records of an unknown kind, "${name}"`, { collection: name, line });
        // Records come collection by collection in the registry's order, so each one's links can be checked against those before it.
        const position = archiveCollections.indexOf(collection);
        if (position < order) throw invalid('order', `The "${name}" records are out of order`, { collection: name, line });
        order = position;
        const parsed = collection.schema.safeParse(raw);
        if (!parsed.success) {
          throw invalid('schema', `A "${name}" record is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { collection: name, line });
        }
        const badKey = unsafeKey(raw);
        if (badKey !== null) throw invalid('schema', `A "${name}" record has a field named "${badKey}", which no store accepts`, { collection: name, line });
        const id = String(raw._id);
        const mine = seen.get(name) ?? new Set<string>();
        seen.set(name, mine);
        if (mine.has(id)) throw invalid('duplicate', `The archive holds "${name}" ${id} twice`, { collection: name, id, line });
        const problem = collection.check(raw, cid, seen);
        if (problem) throw invalid(problem, problemMessage(problem, name, id), { collection: name, id, line });
        mine.add(id);
        const targetIds = ids.get(collection.target) ?? new Set<string>();
        ids.set(collection.target, targetIds);
        targetIds.add(id);
      },
    );
    if ((seen.get('consultations')?.size ?? 0) !== 1) throw invalid('missing', 'The archive holds no consultation', { collection: 'consultations' });
    return { header, ids };
  }

  /** Nothing of the archive may be here already: importing twice, or into the server it came from, would mix two copies. */
  async #refuseExisting(ids: Map<string, Set<string>>): Promise<void> {
    for (const [target, set] of ids) {
      const all = [...set];
      for (let i = 0; i < all.length; i += batchSize) {
        const found = await this.store.collection(target).find({ _id: { $in: all.slice(i, i + batchSize) } }, { limit: 1 });
        if (found.length > 0) {
          throw new AppError(ErrorCode.archiveExists, 'Records of this archive are already on this server', { collection: target, id: found[0]!._id });
        }
      }
    }
  }

  /** Second pass: write, collection by collection; on any failure remove everything written and report it. */
  async #restore(userId: string, file: Uint8Array, header: ArchiveHeader, group: StakeholderGroup): Promise<ArchiveImportResult> {
    const now = new Date().toISOString();
    const ctx: ImportContext = { consultationId: header.consultationId, now };
    const written: { target: string; ids: string[] }[] = [];
    const counts: Record<string, number> = {};
    let batch: { collection: ArchiveCollection; docs: BaseDoc[] } | null = null;
    let consultation: ConsultationRecord | null = null;
    const openAnonymous: string[] = [];

    const flush = async () => {
      if (!batch || batch.docs.length === 0) return;
      const { collection, docs } = batch;
      batch = null;
      // Noted before the write: a batch that fails halfway may have landed in part.
      written.push({ target: collection.target, ids: docs.map((d) => d._id) });
      await this.store.collection(collection.target).insertMany(docs);
    };

    try {
      await readArchive(file, { maxUnpackedBytes: this.limits.maxUnpackedBytes }, () => undefined, async (name, raw) => {
        const collection = collectionByName.get(name)!;
        if (batch && (batch.collection !== collection || batch.docs.length >= batchSize)) await flush();
        batch ??= { collection, docs: [] };
        const doc = collection.restore ? collection.restore(raw, ctx) : (raw as unknown as BaseDoc);
        batch.docs.push(doc);
        counts[name] = (counts[name] ?? 0) + 1;
        if (name === 'consultations') consultation = doc as ConsultationRecord;
        if (name === 'polls' && raw.anonymous === true && raw.status === 'open') openAnonymous.push(String(raw._id));
      });
      await flush();
      const restored = consultation as ConsultationRecord | null;
      if (!restored) throw new Error('an archive without a consultation passed the check');

      // An open anonymous poll needs a secret to take votes; the old one never left its server, so a new one
      // starts (the archived ballots stay counted, and stay unlinkable to anyone).
      const secrets = openAnonymous.map((pollId) => ({ _id: pollId, secret: randomBytes(32).toString('base64url') }));
      if (secrets.length > 0) {
        written.push({ target: 'poll_secrets', ids: secrets.map((s) => s._id) });
        await pollSecretsCollection(this.store).insertMany(secrets);
      }

      // Whoever imports becomes a facilitator of the restored consultation, with the next alias.
      const memberships = membershipsCollection(this.store);
      const highest = (await memberships.find({ consultationId: restored._id }, { sort: { alias: -1 }, limit: 1 }))[0]?.alias ?? 0;
      const alias = Math.max(highest, restored.memberSeq) + 1;
      await consultationsCollection(this.store).updateOne({ _id: restored._id }, { $set: { memberSeq: alias } });
      const membership: MembershipRecord = {
        _id: randomUUID(),
        consultationId: restored._id,
        userId,
        role: 'facilitator',
        group,
        organisation: null,
        alias,
        joinedAt: now,
        mutedUntil: null,
        namedInEpoch: consentOnJoining(restored),
      };
      written.push({ target: 'memberships', ids: [membership._id] });
      await memberships.insertOne(membership);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      await this.audit.record(restored._id, membership, 'consultation.imported', {
        subject: { type: 'consultation', id: restored._id, name: restored.title },
        details: { format: archiveFormat, version: archiveVersion, exportedAt: header.exportedAt, records: total },
      });
      this.logger.info({ consultationId: restored._id, records: total }, 'consultation archive imported');
      return { consultationId: restored._id, title: restored.title, counts };
    } catch (err) {
      await this.#undo(written);
      if (err instanceof AppError) throw err;
      if (err instanceof DuplicateKeyError) throw new AppError(ErrorCode.archiveExists, 'Records of this archive are already on this server');
      throw err;
    }
  }

  /**
   * Removes what a failed import wrote, audit entries included: they were
   * written moments ago by this import and describe a consultation that is not here.
   */
  async #undo(written: { target: string; ids: string[] }[]): Promise<void> {
    for (const { target, ids } of written.reverse()) {
      try {
        for (let i = 0; i < ids.length; i += batchSize) await this.store.collection(target).deleteMany({ _id: { $in: ids.slice(i, i + batchSize) } });
      } catch (err) {
        this.logger.error({ err, target }, 'could not remove what a failed archive import wrote');
      }
    }
  }
}

/**
 * A field name a store would refuse or read as an operator (`$…`, or with a
 * dot): caught while checking, so that it cannot fail the write halfway.
 */
function unsafeKey(value: unknown): string | null {
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    if (!Array.isArray(value) && (key.startsWith('$') || key.includes('.') || key.includes('\0'))) return key;
    const found = unsafeKey(child);
    if (found !== null) return found;
  }
  return null;
}

function problemMessage(problem: ArchiveProblem, name: string, id: string): string {
  switch (problem) {
    case 'foreign':
      return `The "${name}" record ${id} belongs to another consultation, or to something not in the archive`;
    case 'missing':
      return `The "${name}" record ${id} points at something the archive does not hold`;
    case 'duplicate':
      return `The archive holds more than one "${name}" record`;
    default:
      return `The "${name}" record ${id} is not valid`;
  }
}
