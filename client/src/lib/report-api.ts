import { ApiError, errorOfResponse, request } from './api.ts';
import { dispositionName } from './plan-export.ts';
import { reportPaths, type ReportFormat, type ReportJob } from '../../../shared/report.ts';

/** The consultation report and minutes files, through the API. */
export const reportApi = {
  start: (consultationId: string, format: ReportFormat, lang: string) => request<ReportJob>('POST', `/api${reportPaths.create(consultationId)}`, { format, lang }),
  status: (jobId: string, signal?: AbortSignal) => request<ReportJob>('GET', `/api${reportPaths.job(jobId)}`, undefined, signal),
};

export const minutesUrl = (meetingId: string, format: ReportFormat, lang: string) => `/api${reportPaths.minutes(meetingId, format, lang)}`;
export const reportFileUrl = (jobId: string) => `/api${reportPaths.file(jobId)}`;

/**
 * Fetches a file and hands it to the browser as a download; a refusal or a
 * failure is thrown as an ApiError for the page to show, rather than saved
 * as the file.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : 'Network error');
  }
  if (!response.ok) throw await errorOfResponse(response);
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = href;
    link.download = dispositionName(response.headers.get('content-disposition'), fallbackName);
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // After the click has handed the blob to the download; revoking at once can cancel it in some browsers.
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  }
}
