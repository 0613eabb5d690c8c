import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types.ts';
import type { CreateDocumentInput, DocumentMeta, Page, PageQuery } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { paginate } from '../pagination.ts';
import type { DomainEventBus } from '../events.ts';
import type { Access } from '../members/access.ts';
import { documentsCollection, type DocumentRecord } from './documents.repository.ts';
import type { AuditLog } from '../audit/audit.service.ts';

export const documentToWire = (r: DocumentRecord): DocumentMeta => ({
  id: r._id,
  consultationId: r.consultationId,
  title: r.title,
  locked: r.locked,
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
    const record: DocumentRecord = { _id: randomUUID(), consultationId, title: input.title, locked: false, createdAt: now, updatedAt: now };
    await this.#records.insertOne(record);
    const document = documentToWire(record);
    this.events.emit('documentCreated', document);
    return document;
  }

  async list(userId: string, consultationId: string, query: PageQuery): Promise<Page<DocumentMeta>> {
    await this.access.authorize(userId, consultationId, 'document.view');
    return paginate(this.#records, { consultationId }, query, documentToWire);
  }

  async get(userId: string, id: string): Promise<DocumentMeta> {
    return documentToWire((await this.access.authorizeDocument(userId, id, 'document.view')).document);
  }

  async setLocked(userId: string, id: string, locked: boolean, reason?: string): Promise<DocumentMeta> {
    const { membership } = await this.access.authorizeDocument(userId, id, 'document.lock');
    const record = await this.#records.findOneAndUpdate({ _id: id }, { $set: { locked, updatedAt: new Date().toISOString() } });
    if (!record) throw AppError.notFound('Document');
    const document = documentToWire(record);
    this.events.emit('documentLockChanged', document);
    await this.audit.record(record.consultationId, membership, locked ? 'document.locked' : 'document.unlocked', {
      subject: { type: 'document', id, name: record.title },
      reason,
    });
    return document;
  }
}
