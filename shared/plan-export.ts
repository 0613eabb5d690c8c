import { z } from 'zod';
import { locales } from '../client/src/lib/i18n/locales.ts';

/**
 * The plan's exports: CSV (one row per action), XLSX (plan, register,
 * coverage) and DOCX (narrative and matrix). `lang` picks the language of the
 * labels (headers, status names, sheet names, headings): one of the six the
 * client speaks, from the same list the language picker reads.
 */
export const planExportFormats = ['csv', 'xlsx', 'docx'] as const;
export type PlanExportFormat = (typeof planExportFormats)[number];

export const PlanExportQuery = z.object({
  lang: z.enum(locales).default('en'),
});
export type PlanExportQuery = z.infer<typeof PlanExportQuery>;

export const planExportTypes: Record<PlanExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** Where a document's export is served, below /api; the client builds its links with it. */
export const planExportPath = (documentId: string, format: PlanExportFormat, lang: string): string =>
  `/documents/${encodeURIComponent(documentId)}/export.${format}?lang=${encodeURIComponent(lang)}`;
