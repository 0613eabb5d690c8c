/**
 * The plan's export formats and where they are served, without the request
 * schema (shared/plan-export.ts): the document page's first view imports these,
 * and zod is not part of that view's budget.
 */
export const planExportFormats = ['csv', 'xlsx', 'docx'] as const;
export type PlanExportFormat = (typeof planExportFormats)[number];

export const planExportTypes: Record<PlanExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** Where a document's export is served, below /api; the client builds its links with it. */
export const planExportPath = (documentId: string, format: PlanExportFormat, lang: string): string =>
  `/documents/${encodeURIComponent(documentId)}/export.${format}?lang=${encodeURIComponent(lang)}`;
