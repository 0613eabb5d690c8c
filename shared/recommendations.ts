import { z } from 'zod';
import { PageQuery } from './schemas.ts';

/**
 * The recommendations register: what UN bodies recommended to the country,
 * imported from exports of the Universal Human Rights Index (UHRI) or added by
 * hand. Plan actions will link to a recommendation by its `id`, which is
 * stable: the annotation id from the file, or one the server generates for a
 * row added by hand (prefixed `manual-`, so it cannot clash with an import).
 */
export const positions = ['supported', 'noted'] as const;
export type Position = (typeof positions)[number];

/** Default for `RECOMMENDATIONS_MAX_IMPORT_BYTES`: the largest file one import accepts. */
export const defaultMaxImportBytes = 20 * 1024 * 1024;

export const recommendationLimits = {
  idChars: 200,
  textChars: 20_000,
  cellChars: 2_000,
  listItems: 200,
} as const;

/** A SDG goal ("16") or target ("16.10", "16.a"), checked loosely: the reference data lives elsewhere. */
export const SdgRef = z.string().regex(/^(?:[1-9]|1[0-7])(?:\.(?:\d{1,2}|[a-z]))?$/, 'Not an SDG goal (e.g. 16) or target (e.g. 16.10)');

export const RecommendationId = z
  .string()
  .trim()
  .min(1)
  .max(recommendationLimits.idChars)
  // Ids go in URLs and in links from plan actions: printable, no slashes.
  .regex(/^[^\s/\\?#%]+$/, 'An id may not contain spaces, slashes, ?, # or %');

const Cell = z.string().trim().max(recommendationLimits.cellChars);
const List = <T extends z.ZodType>(item: T) => z.array(item).max(recommendationLimits.listItems);

const fieldShapes = {
  symbol: Cell,
  body: Cell,
  type: Cell,
  countries: List(Cell.min(1)),
  themes: List(Cell.min(1)),
  affectedPersons: List(Cell.min(1)),
  sdgs: List(SdgRef),
  text: z.string().trim().min(1, 'The text is required').max(recommendationLimits.textChars),
  session: Cell,
  recommendingStates: List(Cell.min(1)),
  position: z.enum(positions).nullable(),
};

/** The editable fields of a recommendation: what an import row or a hand-made entry sets. */
export const RecommendationFields = z.object({
  ...fieldShapes,
  symbol: Cell.default(''),
  body: Cell.default(''),
  type: Cell.default(''),
  countries: fieldShapes.countries.default([]),
  themes: fieldShapes.themes.default([]),
  affectedPersons: fieldShapes.affectedPersons.default([]),
  sdgs: fieldShapes.sdgs.default([]),
  session: Cell.default(''),
  recommendingStates: fieldShapes.recommendingStates.default([]),
  position: fieldShapes.position.default(null),
});
export type RecommendationFields = z.infer<typeof RecommendationFields>;

export const Recommendation = RecommendationFields.extend({
  id: z.string(),
  consultationId: z.uuid(),
  /** `import` for rows from a file; `manual` for rows added by hand. A manual edit keeps the source. */
  source: z.enum(['import', 'manual']),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Recommendation = z.infer<typeof Recommendation>;

/** Adding one by hand: the id is optional (the server makes one); the rest as in an import row. */
export const CreateRecommendationInput = RecommendationFields.extend({ id: RecommendationId.optional() });
export type CreateRecommendationInput = z.input<typeof CreateRecommendationInput>;

/** Editing by hand: any of the fields; the id never changes. */
export const UpdateRecommendationInput = z
  .object(fieldShapes)
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to change');
export type UpdateRecommendationInput = z.input<typeof UpdateRecommendationInput>;

/** Browse and filter: each filter is an exact match on one value (for lists, on one of the values). */
export const RecommendationListQuery = PageQuery.extend({
  body: z.string().max(recommendationLimits.cellChars).optional(),
  theme: z.string().max(recommendationLimits.cellChars).optional(),
  affectedPersons: z.string().max(recommendationLimits.cellChars).optional(),
  /** `supported`, `noted`, or `none` for rows without a position yet. */
  position: z.enum([...positions, 'none']).optional(),
});
export type RecommendationListQuery = z.infer<typeof RecommendationListQuery>;

/** The distinct values of the filterable fields, for the filter menus (each list sorted, at most `facetValues` long). */
export const RecommendationFacets = z.object({
  bodies: z.array(z.string()),
  themes: z.array(z.string()),
  affectedPersons: z.array(z.string()),
});
export type RecommendationFacets = z.infer<typeof RecommendationFacets>;
export const facetValues = 500;

/**
 * A recommendation as the plan's table, coverage view and exports need it:
 * what it is filtered and counted by, and the start of its text. The whole
 * register in one answer, since coverage is over every row.
 */
export const RecommendationSummary = Recommendation.pick({ id: true, symbol: true, body: true, themes: true, affectedPersons: true, sdgs: true, position: true }).extend({
  text: z.string(),
});
export type RecommendationSummary = z.infer<typeof RecommendationSummary>;
/** How much of a recommendation's text a summary carries. */
export const summaryTextChars = 240;

export const RecommendationParams = z.object({ id: z.uuid(), recommendationId: RecommendationId });

/** Every field a column can map to. `id` and `text` are required columns. */
export const importFields = [
  'id',
  'symbol',
  'body',
  'type',
  'countries',
  'themes',
  'affectedPersons',
  'sdgs',
  'text',
  'session',
  'recommendingStates',
  'position',
] as const;
export type ImportField = (typeof importFields)[number];
export const requiredImportFields = ['id', 'text'] as const satisfies readonly ImportField[];

/**
 * An explicit mapping for headers the server did not recognise (or to
 * override one it did): file header → field, or null to ignore the column.
 * Sent as JSON in the `mapping` query parameter of both import requests.
 */
export const ImportMapping = z.record(z.string().max(200), z.enum(importFields).nullable());
export type ImportMapping = z.infer<typeof ImportMapping>;

export const ImportQuery = z.object({
  mapping: z
    .string()
    .max(10_000)
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return {};
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'The mapping is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(ImportMapping),
});
export type ImportQuery = z.infer<typeof ImportQuery>;

/** One problem in the file: `line` is the line in the file (1 = header) or the sheet's row number; `column` the header as written. */
/**
 * What is wrong, as a code the client translates (`recommendations.problem.<code>`
 * with `params`); `reason` is the same in English, for scripts and logs.
 */
export const importProblemCodes = [
  'unreadable',
  'cellCount',
  'cellWithoutHeader',
  'fieldTwice',
  'fieldMissing',
  'badPosition',
  'idEmpty',
  'idInvalid',
  'idRepeated',
  'textRequired',
  'badSdg',
  'tooLong',
  'tooMany',
  'invalid',
] as const;
export type ImportProblemCode = (typeof importProblemCodes)[number];

export const ImportProblem = z.object({
  line: z.number().int(),
  column: z.string().nullable(),
  code: z.enum(importProblemCodes),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  reason: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportPreview = z.object({
  format: z.enum(['csv', 'xlsx']),
  /** For CSV: the encoding and delimiter that were detected. */
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  /** The headers as written in the file, in order. */
  columns: z.array(z.string()),
  /** Each header → the field it fills, or null when it is ignored. */
  mapping: z.record(z.string(), z.enum(importFields).nullable()),
  /** Required fields that no column fills. */
  missingFields: z.array(z.enum(importFields)),
  rows: z.number().int(),
  newRows: z.number().int(),
  updatedRows: z.number().int(),
  /** Every bad row, with its line, column and reason; an import with any is refused whole. */
  problems: z.array(ImportProblem),
  /** A few parsed rows, for the person to check the mapping. */
  sample: z.array(RecommendationFields.extend({ id: z.string() })),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportResult = z.object({ rows: z.number().int(), created: z.number().int(), updated: z.number().int() });
export type ImportResult = z.infer<typeof ImportResult>;

/** What the import routes accept as the raw request body. */
export const importContentTypes = {
  csv: ['text/csv', 'text/plain', 'text/tab-separated-values'],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
} as const;
