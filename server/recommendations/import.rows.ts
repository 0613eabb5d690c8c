import {
  RecommendationFields,
  RecommendationId,
  importFields,
  requiredImportFields,
  type ImportField,
  type ImportMapping,
  type ImportProblem,
} from '../../shared/recommendations.ts';
import type { z } from 'zod';
import { nextTurn, type Table } from './import.read.ts';

/** Headers compare lower-cased, trimmed, with punctuation and runs of spaces as one space. */
export const normalizeHeader = (h: string) => h.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** The names UHRI exports (and people editing them) use for each field. */
const synonyms: Record<ImportField, string[]> = {
  id: ['annotation id', 'annotationid', 'id', 'recommendation id', 'uhri id'],
  symbol: ['document symbol', 'symbol', 'document'],
  body: ['recommending body', 'body', 'mechanism', 'treaty body', 'source'],
  type: ['type', 'document type', 'annotation type', 'recommendation type'],
  countries: ['countries', 'country', 'state under review', 'states under review'],
  themes: ['themes', 'theme', 'human rights themes', 'thematic areas'],
  affectedPersons: ['affected persons', 'affected person', 'persons affected', 'affected groups', 'groups of persons'],
  sdgs: ['sdgs', 'sdg', 'sustainable development goals', 'sdg goals', 'sdg targets', 'goals'],
  text: ['text', 'annotation', 'recommendation', 'recommendation text', 'annotation text'],
  session: ['upr session', 'session', 'cycle', 'upr cycle', 'session cycle', 'upr session cycle', 'upr session or cycle'],
  recommendingStates: ['recommending states', 'recommending state', 'recommending countries', 'recommending country'],
  position: ['position', 'response', 'upr position', 'state position'],
};
const byName = new Map(Object.entries(synonyms).flatMap(([field, names]) => names.map((n) => [n, field as ImportField] as const)));

export interface Mapped {
  /** Header as written → field (null: ignored). */
  mapping: Record<string, ImportField | null>;
  /** For each column index, the field it fills. */
  columns: (ImportField | null)[];
  missingFields: ImportField[];
  problems: ImportProblem[];
}

/**
 * Matches headers to fields: an explicit mapping first (its keys compared the
 * same way as headers), then the known names. A field filled by two columns,
 * or a required field filled by none, is a problem on line 1.
 */
export function mapHeaders(headers: string[], explicit: ImportMapping): Mapped {
  const chosen = new Map(Object.entries(explicit).map(([h, f]) => [normalizeHeader(h), f]));
  const columns = headers.map((h) => {
    const key = normalizeHeader(h);
    return chosen.has(key) ? chosen.get(key)! : (byName.get(key) ?? null);
  });
  const problems: ImportProblem[] = [];
  const seen = new Map<ImportField, string>();
  columns.forEach((field, i) => {
    if (!field) return;
    const first = seen.get(field);
    if (first !== undefined)
      problems.push({ line: 1, column: headers[i]!, code: 'fieldTwice', params: { field, first }, reason: `Both "${first}" and "${headers[i]}" map to ${field}; map one of them to another field or ignore it` });
    else seen.set(field, headers[i]!);
  });
  const missingFields = requiredImportFields.filter((f) => !seen.has(f));
  for (const f of missingFields) problems.push({ line: 1, column: null, code: 'fieldMissing', params: { field: f }, reason: `No column holds the ${f}; map one of the columns to it` });
  return { mapping: Object.fromEntries(headers.map((h, i) => [h, columns[i]!])), columns, missingFields, problems };
}

/**
 * Multi-valued cells: values are separated by semicolons or line breaks (as
 * UHRI exports them). Commas are NOT separators, because names contain them
 * ("Korea, Republic of"); only SDG cells, whose values never contain one, also
 * split on commas and spaces.
 */
export const splitList = (cell: string) => cell.split(/[;\n\r]+/).map((v) => v.trim()).filter(Boolean);
const splitSdgs = (cell: string) =>
  cell
    .replace(/\b(?:sdg|goal|target)s?\s*/gi, '')
    .split(/[;,\s]+/)
    .map((v) => v.trim().replace(/\.$/, ''))
    .filter(Boolean);

const listFields = new Set<ImportField>(['countries', 'themes', 'affectedPersons', 'recommendingStates']);

const positionWords: Record<string, 'supported' | 'noted'> = { supported: 'supported', support: 'supported', accepted: 'supported', noted: 'noted', note: 'noted' };

/** A zod issue on one field as a code the client can translate. */
function problemOf(field: ImportField, issue: z.core.$ZodIssue, item: string | null): Pick<ImportProblem, 'code' | 'params'> {
  if (field === 'text' && issue.code === 'too_small') return { code: 'textRequired', params: {} };
  if (field === 'sdgs' && item !== null) return { code: 'badSdg', params: { value: item } };
  if (issue.code === 'too_big') {
    const max = Number(issue.maximum);
    return issue.origin === 'array' ? { code: 'tooMany', params: { max } } : { code: 'tooLong', params: { max } };
  }
  return { code: 'invalid', params: {} };
}

export type ParsedRow = RecommendationFields & { id: string };

/** Validates every row; a row is either parsed whole or reported with each of its problems. */
export async function parseRows(table: Table, mapped: Mapped): Promise<{ rows: ParsedRow[]; problems: ImportProblem[] }> {
  const rows: ParsedRow[] = [];
  const problems: ImportProblem[] = [];
  const headerOf = new Map<ImportField, string>();
  mapped.columns.forEach((f, i) => f && !headerOf.has(f) && headerOf.set(f, table.headers[i]!));
  const firstLine = new Map<string, number>();
  for (const [n, { line, cells }] of table.rows.entries()) {
    // Validation of a large file takes a while: let the event loop turn every so often (see readCsv).
    if (n > 0 && n % 2000 === 0) await nextTurn();
    const raw: Record<string, unknown> = {};
    const rowProblems: ImportProblem[] = [];
    mapped.columns.forEach((field, i) => {
      if (!field || raw[field] !== undefined) return;
      const cell = cells[i] ?? '';
      if (field === 'sdgs') raw[field] = splitSdgs(cell);
      else if (listFields.has(field)) raw[field] = splitList(cell);
      else if (field === 'position') {
        const word = cell.trim().toLowerCase();
        if (word === '') raw[field] = null;
        else if (positionWords[word]) raw[field] = positionWords[word];
        else rowProblems.push({ line, column: table.headers[i]!, code: 'badPosition', params: { value: cell.trim() }, reason: `The position "${cell.trim()}" is neither supported nor noted` });
      } else raw[field] = cell;
    });
    const id = RecommendationId.safeParse(raw.id ?? '');
    const idColumn = headerOf.get('id') ?? null;
    if (!id.success) {
      const empty = String(raw.id ?? '').trim() === '';
      rowProblems.push({ line, column: idColumn, code: empty ? 'idEmpty' : 'idInvalid', params: {}, reason: empty ? 'The id is empty' : id.error.issues[0]!.message });
    } else if (firstLine.has(id.data)) {
      const other = firstLine.get(id.data)!;
      rowProblems.push({ line, column: idColumn, code: 'idRepeated', params: { id: id.data, line: other }, reason: `The id ${id.data} is also on line ${other}` });
    } else firstLine.set(id.data, line);
    const fields = RecommendationFields.safeParse(raw);
    if (!fields.success) {
      for (const issue of fields.error.issues) {
        const field = issue.path[0] as ImportField;
        if (rowProblems.some((p) => p.column === headerOf.get(field))) continue;
        const item = issue.path.length > 1 ? String((raw[field] as unknown[])[issue.path[1] as number]) : null;
        rowProblems.push({ line, column: headerOf.get(field) ?? null, ...problemOf(field, issue, item), reason: `${issue.message}${item === null ? '' : ` ("${item}")`}` });
      }
    }
    if (rowProblems.length > 0) problems.push(...rowProblems);
    else if (id.success && fields.success) rows.push({ ...fields.data, id: id.data });
  }
  return { rows, problems };
}

