import { z } from 'zod';
import { locales } from '../client/src/lib/i18n/locales.ts';

/**
 * The consultation report and a meeting's minutes as files. A report is
 * produced as a job (it may take a while for a large consultation): it is
 * asked for, its progress read, then its file fetched. `lang` picks the
 * language of every label in the file.
 */
export const reportFormats = ['docx', 'pdf'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export const reportTypes: Record<ReportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

export const CreateReportInput = z.object({
  format: z.enum(reportFormats),
  lang: z.enum(locales).default('en'),
});
export type CreateReportInput = z.infer<typeof CreateReportInput>;

export const reportStatuses = ['running', 'done', 'failed'] as const;

/** A report being made: `done` of `total` steps (one per document and per meeting, then the layout). */
export const ReportJob = z.object({
  id: z.uuid(),
  consultationId: z.uuid(),
  format: z.enum(reportFormats),
  lang: z.enum(locales),
  status: z.enum(reportStatuses),
  done: z.number().int().min(0),
  total: z.number().int().min(1),
  /** Why it failed: an error code from shared/errors.ts (e.g. `unavailable` when the server cannot print PDF). */
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** When the job and its file are forgotten. */
  expiresAt: z.iso.datetime(),
});
export type ReportJob = z.infer<typeof ReportJob>;

export const MinutesExportQuery = z.object({ lang: z.enum(locales).default('en') });

/** Paths below /api, for the client's links. */
export const reportPaths = {
  create: (consultationId: string) => `/consultations/${encodeURIComponent(consultationId)}/reports`,
  job: (jobId: string) => `/reports/${encodeURIComponent(jobId)}`,
  file: (jobId: string) => `/reports/${encodeURIComponent(jobId)}/file`,
  minutes: (meetingId: string, format: ReportFormat, lang: string) =>
    `/meetings/${encodeURIComponent(meetingId)}/minutes.${format}?lang=${encodeURIComponent(lang)}`,
};
