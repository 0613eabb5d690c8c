import { randomUUID } from 'node:crypto';
import type { Filter, Store } from '../store/types.ts';
import { DuplicateKeyError } from '../store/types.ts';
import type { Page } from '../../shared/schemas.ts';
import type {
  CreateRecommendationInput,
  ImportMapping,
  ImportPreview,
  ImportResult,
  Recommendation,
  RecommendationListQuery,
  UpdateRecommendationInput,
} from '../../shared/recommendations.ts';
import { RecommendationFields, facetValues, summaryTextChars, type RecommendationFacets, type RecommendationSummary } from '../../shared/recommendations.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { Access } from '../members/access.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import type { MembershipRecord } from '../members/members.repository.ts';
import type { Logger } from '../logger.ts';
import type { DomainEventBus } from '../events.ts';
import { recommendationsCollection, recordId, type RecommendationRecord } from './recommendations.repository.ts';
import { SummaryCache } from './summary-cache.ts';
import { nextTurn, readTable } from './import.read.ts';
import { mapHeaders, parseRows, type ParsedRow } from './import.rows.ts';

const fieldNames = Object.keys(RecommendationFields.shape) as (keyof RecommendationFields)[];
const fieldsOf = (r: RecommendationFields): RecommendationFields => Object.fromEntries(fieldNames.map((k) => [k, r[k]])) as RecommendationFields;
const sameValue = (x: unknown, y: unknown): boolean =>
  Array.isArray(x) && Array.isArray(y) ? x.length === y.length && x.every((v, i) => v === y[i]) : x === y;
const sameFields = (a: RecommendationFields, b: RecommendationFields) => fieldNames.every((k) => sameValue(a[k], b[k]));

const summaryOf = (r: RecommendationRecord): RecommendationSummary => ({
  id: r.recId,
  symbol: r.symbol,
  body: r.body,
  themes: r.themes,
  affectedPersons: r.affectedPersons,
  sdgs: r.sdgs,
  position: r.position,
  text: textStart(r.text),
});

export const recommendationToWire = (r: RecommendationRecord): Recommendation => ({
  id: r.recId,
  consultationId: r.consultationId,
  ...fieldsOf(r),
  source: r.source,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const encodeCursor = (recId: string) => Buffer.from(recId, 'utf8').toString('base64url');
const decodeCursor = (raw: string) => Buffer.from(raw, 'base64url').toString('utf8');

/**
 * How much larger than the import limit a workbook's decompressed XML may be.
 * Spreadsheet XML compresses about 5–10×; a 20 MiB workbook of 50,000 rows
 * stays well inside 16× (320 MiB), a zip bomb does not.
 */
const xlsxExpansion = 16;

/** Rows per insertMany while an import stores its new rows. */
const insertSlice = 2000;

/** How many writes are in flight at once while an import stores its rows. */
const writeBatch = 500;

interface Analysis {
  preview: ImportPreview;
  /** The rows sorted once, for the preview's counts and for the writes: new ones, and stored ones whose fields change. */
  fresh: ParsedRow[];
  changed: { before: RecommendationRecord; row: ParsedRow }[];
  /** How many rows the file holds once read. */
  parsedRows: number;
}

/**
 * The recommendations register of each consultation: imports from UHRI-shaped
 * CSV and XLSX files (preview, then commit, all or nothing), hand-made
 * entries and edits, and browsing with filters.
 */
export class RecommendationsService {
  readonly #records;
  /** Consultations with an import being written right now: one at a time each, so two cannot interleave. */
  readonly #importing = new Set<string>();
  readonly #summaries = new SummaryCache<RecommendationSummary[]>();

  constructor(
    store: Store,
    private readonly access: Access,
    private readonly audit: AuditLog,
    private readonly logger: Logger,
    /** The largest file an import accepts; a workbook may expand to `xlsxExpansion` times that in memory. */
    private readonly maxImportBytes: number,
    private readonly events: DomainEventBus,
  ) {
    this.#records = recommendationsCollection(store);
    // Every write to the register goes through this service and announces itself, or ends an import.
    this.events.on('recommendationsChanged', (consultationId) => this.#summaries.forget(consultationId));
  }

  /** What an import of this file would do, without storing anything. */
  async preview(userId: string, consultationId: string, file: Uint8Array, mapping: ImportMapping): Promise<ImportPreview> {
    await this.access.authorize(userId, consultationId, 'recommendation.import');
    return (await this.#analyse(consultationId, file, mapping)).preview;
  }

  /**
   * Imports the file whole or not at all. Everything is read and validated
   * before the first write, so a bad row can never leave half a file behind.
   * The store has no multi-document transactions; what is left is a store
   * failure part-way through the writes, and for that the import undoes what it
   * wrote (new rows deleted, updated rows put back as they were). Should even
   * that fail, every write is keyed by (consultation, id), so importing the
   * same file again completes it without duplicates.
   */
  async import(userId: string, consultationId: string, file: Uint8Array, mapping: ImportMapping): Promise<ImportResult> {
    const { membership } = await this.access.authorize(userId, consultationId, 'recommendation.import');
    if (this.#importing.has(consultationId)) throw new AppError(ErrorCode.conflict, 'Another import into this consultation is under way; try again when it is done');
    this.#importing.add(consultationId);
    try {
      const { preview, fresh, changed, parsedRows } = await this.#analyse(consultationId, file, mapping);
      if (preview.problems.length > 0) {
        throw new AppError(ErrorCode.validation, `The file has ${preview.problems.length} problem(s); nothing was imported`, { problems: preview.problems });
      }
      const result = await this.#write(consultationId, parsedRows, fresh, changed);
      await this.audit.record(consultationId, membership, 'recommendations.imported', {
        details: { format: preview.format, rows: result.rows, created: result.created, updated: result.updated },
      });
      if (result.created + result.updated > 0) this.events.emit('recommendationsChanged', consultationId);
      return result;
    } finally {
      this.#importing.delete(consultationId);
      // A failed import may have written and undone rows: read the register afresh either way.
      this.#summaries.forget(consultationId);
    }
  }

  async #analyse(consultationId: string, file: Uint8Array, explicit: ImportMapping): Promise<Analysis> {
    const table = await readTable(file, this.maxImportBytes * xlsxExpansion);
    const mapped = mapHeaders(table.headers, explicit);
    const parsed = mapped.missingFields.length > 0 ? { rows: [], problems: [] } : await parseRows(table, mapped);
    const existing = parsed.rows.length === 0 ? new Map<string, RecommendationRecord>() : new Map((await this.#records.find({ consultationId })).map((r) => [r.recId, r]));
    const fresh: ParsedRow[] = [];
    const changed: Analysis['changed'] = [];
    // A field the file has no column for keeps its stored value: a re-import of a narrower file must not wipe what was set by hand.
    const present = new Set(mapped.columns.filter((f): f is NonNullable<typeof f> => f !== null));
    const absent = fieldNames.filter((k) => !present.has(k));
    for (const [n, parsedRow] of parsed.rows.entries()) {
      // Long loops let the event loop turn now and then, so live editing on this server carries on meanwhile.
      if (n > 0 && n % 2000 === 0) await nextTurn();
      const before = existing.get(parsedRow.id);
      if (!before) {
        fresh.push(parsedRow);
        continue;
      }
      const row: ParsedRow = absent.length === 0 ? parsedRow : { ...parsedRow, ...Object.fromEntries(absent.map((k) => [k, before[k]])) };
      if (!sameFields(before, row)) changed.push({ before, row });
    }
    const problems = [...mapped.problems, ...table.problems, ...parsed.problems].sort((a, b) => a.line - b.line);
    const preview: ImportPreview = {
      format: table.format,
      encoding: table.encoding,
      delimiter: table.delimiter,
      columns: table.headers,
      mapping: mapped.mapping,
      missingFields: mapped.missingFields,
      rows: table.rows.length + table.problems.length,
      newRows: fresh.length,
      updatedRows: changed.length,
      problems,
      sample: parsed.rows.slice(0, 5),
    };
    return { preview, fresh, changed, parsedRows: parsed.rows.length };
  }

  async #write(consultationId: string, rows: number, fresh: ParsedRow[], changes: Analysis['changed']): Promise<ImportResult> {
    const now = new Date().toISOString();
    const created: RecommendationRecord[] = fresh.map((row) => ({ _id: recordId(consultationId, row.id), consultationId, recId: row.id, ...fieldsOf(row), source: 'import', createdAt: now, updatedAt: now }));
    const changed = changes.map(({ before, row }) => ({ before, fields: fieldsOf(row) }));
    try {
      // In slices: the embedded store indexes a whole insertMany in one go, which for 50,000 rows stalls the event loop.
      for (let i = 0; i < created.length; i += insertSlice) await this.#records.insertMany(created.slice(i, i + insertSlice));
      await inBatches(changed, ({ before, fields }) => this.#records.updateOne({ _id: before._id }, { $set: { ...fields, updatedAt: now } }));
    } catch (err) {
      await this.#undo(consultationId, created, changed.map((c) => c.before));
      if (err instanceof DuplicateKeyError) throw new AppError(ErrorCode.conflict, 'Some of these recommendations were added meanwhile; nothing was imported, try again');
      throw new AppError(ErrorCode.unavailable, 'The import could not be stored; nothing was imported, try again');
    }
    return { rows, created: created.length, updated: changed.length };
  }

  /** Takes back a failed import's writes; if the store still refuses, the log says so and a repeat of the import repairs it. */
  async #undo(consultationId: string, created: RecommendationRecord[], before: RecommendationRecord[]): Promise<void> {
    try {
      if (created.length > 0) await this.#records.deleteMany({ consultationId, _id: { $in: created.map((r) => r._id) }, createdAt: created[0]!.createdAt });
      await inBatches(before, (r) => this.#records.updateOne({ _id: r._id }, { $set: { ...fieldsOf(r), updatedAt: r.updatedAt } }));
    } catch (err) {
      this.logger.error({ err, consultationId }, 'undoing a failed recommendations import failed; importing the same file again completes it');
    }
  }

  async list(userId: string, consultationId: string, query: RecommendationListQuery): Promise<Page<Recommendation>> {
    await this.access.authorize(userId, consultationId, 'recommendation.view');
    const where: Filter = { consultationId };
    if (query.body) where.body = query.body;
    if (query.theme) where.themes = query.theme;
    if (query.affectedPersons) where.affectedPersons = query.affectedPersons;
    if (query.position) where.position = query.position === 'none' ? null : query.position;
    // Ordered by id, which is what plan actions will cite; keyset on it, stable while rows are added.
    if (query.cursor) where.recId = { $gt: decodeCursor(query.cursor) };
    const records = await this.#records.find(where, { sort: { recId: 1 }, limit: query.limit + 1 });
    const more = records.length > query.limit;
    const items = more ? records.slice(0, query.limit) : records;
    return { items: items.map(recommendationToWire), nextCursor: more ? encodeCursor(items[items.length - 1]!.recId) : null };
  }

  /** Every body, theme and group of affected persons in the register, for the filter menus. */
  async facets(userId: string, consultationId: string): Promise<RecommendationFacets> {
    await this.access.authorize(userId, consultationId, 'recommendation.view');
    const bodies = new Set<string>();
    const themes = new Set<string>();
    const persons = new Set<string>();
    for (const r of await this.#records.find({ consultationId })) {
      if (r.body) bodies.add(r.body);
      r.themes.forEach((x) => themes.add(x));
      r.affectedPersons.forEach((x) => persons.add(x));
    }
    const sorted = (set: Set<string>) => [...set].sort((a, b) => a.localeCompare(b)).slice(0, facetValues);
    return { bodies: sorted(bodies), themes: sorted(themes), affectedPersons: sorted(persons) };
  }

  /** Every recommendation, by id, in short: what the plan's views filter and count by. */
  async summaries(userId: string, consultationId: string): Promise<RecommendationSummary[]> {
    await this.access.authorize(userId, consultationId, 'recommendation.view');
    return this.#summaries.get(consultationId, async () => {
      const records = await this.#records.find({ consultationId }, { sort: { recId: 1 } });
      return records.map(summaryOf);
    });
  }

  async get(userId: string, consultationId: string, recId: string): Promise<Recommendation> {
    await this.access.authorize(userId, consultationId, 'recommendation.view');
    const record = await this.#records.findOne({ _id: recordId(consultationId, recId) });
    if (!record) throw AppError.notFound('Recommendation');
    return recommendationToWire(record);
  }

  /** Adds one by hand; without an id it gets `manual-<uuid>`, which no import can clash with by accident. */
  async create(userId: string, consultationId: string, input: CreateRecommendationInput): Promise<Recommendation> {
    const { membership } = await this.access.authorize(userId, consultationId, 'recommendation.edit');
    const { id, ...rest } = input;
    const recId = id ?? `manual-${randomUUID()}`;
    const now = new Date().toISOString();
    const record: RecommendationRecord = {
      _id: recordId(consultationId, recId),
      consultationId,
      recId,
      ...fieldsOf(RecommendationFields.parse(rest)),
      source: 'manual',
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.#records.insertOne(record);
    } catch (err) {
      if (err instanceof DuplicateKeyError) throw new AppError(ErrorCode.conflict, `A recommendation with the id ${recId} exists already`);
      throw err;
    }
    await this.#audit(membership, record, 'recommendation.added', {});
    this.events.emit('recommendationsChanged', consultationId);
    return recommendationToWire(record);
  }

  /** Changes the given fields; the id stays. The audit entry names the fields that changed. */
  async update(userId: string, consultationId: string, recId: string, input: UpdateRecommendationInput): Promise<Recommendation> {
    const { membership } = await this.access.authorize(userId, consultationId, 'recommendation.edit');
    const _id = recordId(consultationId, recId);
    const before = await this.#records.findOne({ _id });
    if (!before) throw AppError.notFound('Recommendation');
    const changes = Object.fromEntries(
      Object.entries(input).filter(([k, v]) => v !== undefined && !sameValue(v, before[k as keyof RecommendationFields])),
    );
    if (Object.keys(changes).length === 0) return recommendationToWire(before);
    const record = await this.#records.findOneAndUpdate({ _id }, { $set: { ...changes, updatedAt: new Date().toISOString() } });
    if (!record) throw AppError.notFound('Recommendation');
    await this.#audit(membership, record, 'recommendation.edited', { fields: Object.keys(changes).join(', ') });
    this.events.emit('recommendationsChanged', consultationId);
    return recommendationToWire(record);
  }

  #audit(membership: MembershipRecord, r: RecommendationRecord, action: 'recommendation.added' | 'recommendation.edited', details: Record<string, string>) {
    const name = r.symbol || (r.text.length > 80 ? `${r.text.slice(0, 79)}…` : r.text);
    return this.audit.record(r.consultationId, membership, action, { subject: { type: 'recommendation', id: r.recId, name }, details });
  }

  /** The whole register, by id, in full (the plan's exports list it with each row's text). */
  async all(userId: string, consultationId: string): Promise<Recommendation[]> {
    await this.access.authorize(userId, consultationId, 'recommendation.view');
    return (await this.#records.find({ consultationId }, { sort: { recId: 1 } })).map(recommendationToWire);
  }
}

/**
 * The start of a text, at most `summaryTextChars` UTF-16 units with the
 * ellipsis. The cut never falls inside a surrogate pair: half an emoji or a
 * rare CJK character would be a lone surrogate, shown as a replacement character.
 */
function textStart(text: string): string {
  if (text.length <= summaryTextChars) return text;
  let end = summaryTextChars - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

async function inBatches<T>(items: T[], write: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += writeBatch) await Promise.all(items.slice(i, i + writeBatch).map(write));
}
