import { ApiError, errorOfResponse } from './api.ts';
import { planExportPath, type PlanExportFormat } from '../../../shared/plan-export-formats.ts';

/** The download URL of a document's export, labels in `lang`. */
export const planExportUrl = (documentId: string, format: PlanExportFormat, lang: string): string =>
  `/api${planExportPath(documentId, format, lang)}`;

/** The file name the server gave (RFC 5987 `filename*` first, then the plain `filename`), else `fallback`. */
export function dispositionName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      // a malformed escape: fall back to the plain name
    }
  }
  return /filename\s*=\s*"([^"]*)"/i.exec(header)?.[1] || fallback;
}

/**
 * Fetches an export and hands it to the browser as a download. Fetching
 * (rather than following a link) lets the page say why a download failed,
 * instead of the browser saving an error page as the file.
 */
export async function downloadPlanExport(documentId: string, format: PlanExportFormat, lang: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(planExportUrl(documentId, format, lang), { credentials: 'same-origin' });
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : 'Network error');
  }
  if (!response.ok) throw await errorOfResponse(response);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = dispositionName(response.headers.get('content-disposition'), `plan.${format}`);
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // After the click has handed the blob to the download; revoking at once can cancel it in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}
