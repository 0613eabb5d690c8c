import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types.ts';
import type { CreateDocumentInput, DocumentListQuery, DocumentMeta, Page } from '../../shared/schemas.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import { paginate } from '../pagination.ts';
import type { DomainEventBus } from '../events.ts';
import type { Access } from '../members/access.ts';
import { documentsCollection, type DocumentRecord } from './documents.repository.ts';
import type { AuditDetails, AuditLog } from '../audit/audit.service.ts';
import type { AuditAction } from '../../shared/audit.ts';
import type { MembershipRecord } from '../members/members.repository.ts';

export const documentToWire = (r: DocumentRecord): DocumentMeta => ({
  id: r._id,
  consultationId: r.consultationId,
  title: r.title,
  locked: r.locked,
  archivedAt: r.archivedAt ?? null,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export class DocumentsService {
  readonly #records;

  constructor(
    store: Store,
    private readonly access: Access,
    private readonly events: DomainEventBus,
    private readonly audit: AuditLog,
  ) {
    this.#records = documentsCollection(store);
  }

  async create(userId: string, consultationId: string, input: CreateDocumentInput): Promise<DocumentMeta> {
    await this.access.authorize(userId, consultationId, 'document.create');
    const now = new Date().toISOString();
    const record: DocumentRecord = { _id: randomUUID(), consultationId, title: input.title, locked: false, archivedAt: null, createdAt: now, updatedAt: now };
    await this.#records.insertOne(record);
    const document = documentToWire(record);
    this.events.emit('documentCreated', document);
    return document;
  }

  /** The plan's documents; archived ones only on request, and only for those who may archive and restore them. */
  async list(userId: string, consultationId: string, query: DocumentListQuery): Promise<Page<DocumentMeta>> {
    await this.access.authorize(userId, consultationId, query.archived ? 'document.archive' : 'document.view');
    return paginate(this.#records, { consultationId, archivedAt: query.archived ? { $ne: null } : null }, query, documentToWire);
  }

  async get(userId: string, id: string): Promise<DocumentMeta> {
    return documentToWire((await this.access.authorizeDocument(userId, id, 'document.view')).document);
  }

  async setLocked(userId: string, id: string, locked: boolean, reason?: string): Promise<DocumentMeta> {
    const { membership } = await this.access.authorizeDocument(userId, id, 'document.lock');
    const record = await this.#records.findOneAndUpdate({ _id: id }, { $set: { locked, updatedAt: new Date().toISOString() } });
    if (!record) throw AppError.notFound('Document');
    return this.#announce(record, membership, locked ? 'document.locked' : 'document.unlocked', { reason });
  }

  /** A new title; the audit entry keeps the old one. The same title again changes nothing. */
  async rename(userId: string, id: string, title: string): Promise<DocumentMeta> {
    const { membership, document: before } = await this.access.authorizeDocument(userId, id, 'document.rename');
    if (before.title === title) return documentToWire(before);
    const record = await this.#records.findOneAndUpdate({ _id: id }, { $set: { title, updatedAt: new Date().toISOString() } });
    if (!record) throw AppError.notFound('Document');
    return this.#announce(record, membership, 'document.renamed', { details: { from: before.title, to: title } });
  }

  /**
   * Takes a document out of the plan (archived) or puts it back. Nothing is
   * deleted: the text, its threads and the audit trail stay, and while it is
   * archived nobody may edit it (see `Access.documentAccess`).
   */
  async setArchived(userId: string, id: string, archived: boolean, reason?: string): Promise<DocumentMeta> {
    const { membership } = await this.access.authorizeDocument(userId, id, 'document.archive');
    const now = new Date().toISOString();
    // Conditional on the current state, so that two facilitators acting at once get one change and one conflict.
    const record = await this.#records.findOneAndUpdate(
      { _id: id, archivedAt: archived ? null : { $ne: null } },
      { $set: { archivedAt: archived ? now : null, updatedAt: now } },
    );
    if (!record) throw new AppError(ErrorCode.conflict, archived ? 'The document is archived already' : 'The document is not archived');
    return this.#announce(record, membership, archived ? 'document.archived' : 'document.restored', { reason });
  }

  /** Tells watchers and access of a changed document, and records the change in the audit log under its (new) title. */
  async #announce(
    record: DocumentRecord,
    membership: MembershipRecord,
    action: AuditAction,
    entry: Omit<AuditDetails, 'subject'>,
  ): Promise<DocumentMeta> {
    const document = documentToWire(record);
    this.events.emit('documentChanged', document);
    await this.audit.record(record.consultationId, membership, action, { subject: { type: 'document', id: record._id, name: record.title }, ...entry });
    return document;
  }
}
