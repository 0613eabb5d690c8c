import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types.ts';
import type { Consultation, CreateConsultationInput, Page, PageQuery } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { paginate } from '../pagination.ts';
import { consultationsCollection, type ConsultationRecord } from './consultations.repository.ts';

const toWire = (r: ConsultationRecord): Consultation => ({
  id: r._id,
  title: r.title,
  summary: r.summary,
  country: r.country,
  phase: r.phase,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export class ConsultationsService {
  readonly #records;

  constructor(store: Store) {
    this.#records = consultationsCollection(store);
  }

  async create(input: CreateConsultationInput): Promise<Consultation> {
    const now = new Date().toISOString();
    const record: ConsultationRecord = { _id: randomUUID(), ...input, phase: 'preparation', createdAt: now, updatedAt: now };
    await this.#records.insertOne(record);
    return toWire(record);
  }

  list(query: PageQuery): Promise<Page<Consultation>> {
    return paginate(this.#records, {}, query, toWire);
  }

  async get(id: string): Promise<Consultation> {
    const record = await this.#records.findOne({ _id: id });
    if (!record) throw AppError.notFound('Consultation');
    return toWire(record);
  }
}
