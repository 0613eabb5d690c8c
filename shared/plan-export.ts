import { z } from 'zod';
import { locales } from '../client/src/lib/i18n/locales.ts';

/**
 * The plan's exports: CSV (one row per action), XLSX (plan, register,
 * coverage) and DOCX (narrative and matrix). `lang` picks the language of the
 * labels (headers, status names, sheet names, headings): one of the six the
 * client speaks, from the same list the language picker reads.
 */
// The formats, their types and paths hold no schema: the client imports them from there without zod.
export { planExportFormats, planExportTypes, planExportPath, type PlanExportFormat } from './plan-export-formats.ts';

export const PlanExportQuery = z.object({
  lang: z.enum(locales).default('en'),
});
export type PlanExportQuery = z.infer<typeof PlanExportQuery>;
