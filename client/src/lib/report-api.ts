import { request } from './api.ts';
import { reportPaths, type ReportFormat, type ReportJob } from '../../../shared/report.ts';

/** The consultation report and minutes files, through the API. */
export const reportApi = {
  start: (consultationId: string, format: ReportFormat, lang: string) => request<ReportJob>('POST', `/api${reportPaths.create(consultationId)}`, { format, lang }),
  status: (jobId: string, signal?: AbortSignal) => request<ReportJob>('GET', `/api${reportPaths.job(jobId)}`, undefined, signal),
};

export const minutesUrl = (meetingId: string, format: ReportFormat, lang: string) => `/api${reportPaths.minutes(meetingId, format, lang)}`;
export const reportFileUrl = (jobId: string) => `/api${reportPaths.file(jobId)}`;

export { downloadFile } from './download.ts';
