import { downloadFile } from './download.ts';
import { planExportPath, type PlanExportFormat } from '../../../shared/plan-export-formats.ts';

/** The download URL of a document's export, labels in `lang`. */
export const planExportUrl = (documentId: string, format: PlanExportFormat, lang: string): string =>
  `/api${planExportPath(documentId, format, lang)}`;

/** Downloads a document's export, or throws the server's refusal for the page to show. */
export const downloadPlanExport = (documentId: string, format: PlanExportFormat, lang: string): Promise<void> =>
  downloadFile(planExportUrl(documentId, format, lang), `plan.${format}`);
