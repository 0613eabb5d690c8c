import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types.ts';
import type { CreateDocumentInput, DocumentMeta, Page, PageQuery } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { paginate } from '../pagination.ts';
import type { DomainEventBus } from '../events.ts';
import type { ConsultationsService } from '../consultations/consultations.service.ts';
import { documentsCollection, type DocumentRecord } from './documents.repository.ts';

const toWire = (r: DocumentRecord): DocumentMeta => ({
  id: r._id,
  consultationId: r.consultationId,
  title: r.title,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export class DocumentsService {
  readonly #records;

  constructor(
    store: Store,
    private readonly consultations: ConsultationsService,
    private readonly events: DomainEventBus,
  ) {
    this.#records = documentsCollection(store);
  }

  async create(consultationId: string, input: CreateDocumentInput): Promise<DocumentMeta> {
    await this.consultations.get(consultationId);
    const now = new Date().toISOString();
    const record: DocumentRecord = { _id: randomUUID(), consultationId, title: input.title, createdAt: now, updatedAt: now };
    await this.#records.insertOne(record);
    const document = toWire(record);
    this.events.emit('documentCreated', document);
    return document;
  }

  async list(consultationId: string, query: PageQuery): Promise<Page<DocumentMeta>> {
    await this.consultations.get(consultationId);
    return paginate(this.#records, { consultationId }, query, toWire);
  }

  async get(id: string): Promise<DocumentMeta> {
    const record = await this.#records.findOne({ _id: id });
    if (!record) throw AppError.notFound('Document');
    return toWire(record);
  }

  /** Whether a document exists: the Yjs endpoint serves no room for an unknown id. */
  async exists(id: string): Promise<boolean> {
    return (await this.#records.countDocuments({ _id: id })) > 0;
  }
}
