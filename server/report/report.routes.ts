import { z } from 'zod';
import { IdParams, type ApiRegistry } from '../http/route.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { CreateReportInput, MinutesExportQuery, ReportJob, reportFormats, reportTypes } from '../../shared/report.ts';
import type { PdfPrinter } from './pdf.ts';
import type { ReportJobs } from './report.jobs.ts';
import type { ReportService } from './report.service.ts';
import type { LayoutThread } from './layout-thread.ts';
import { pdfUnavailable } from './report.jobs.ts';
import { fileName } from '../plan/cells.ts';
import { labelsFor } from '../plan/labels.ts';

const tag = 'Reports';
const binary = z.string().meta({ format: 'binary' });
const langNote = '`lang` (ar, zh, en, fr, ru, es; default en) is the language of every label in the file';

export function reportRoutes(api: ApiRegistry, deps: { jobs: ReportJobs; reports: ReportService; layout: LayoutThread; pdf: PdfPrinter }): void {
  const { jobs, reports, layout, pdf } = deps;

  api.add(
    {
      method: 'post',
      path: '/consultations/:id/reports',
      tag,
      summary: `Starts making the consultation report (DOCX, or PDF where the server has Chromium): the text, every thread by section with positions and proposals, participation by group with charts, every meeting's minutes, poll results by group and a moderation summary; people appear by alias and group only. Answers 202 with a job to follow (\`GET /reports/{id}\`). Facilitators and drafters in every phase; every member once the plan is adopted. ${langNote}. 503 with Retry-After while too many reports are being made`,
      params: IdParams,
      body: CreateReportInput,
      response: ReportJob,
      status: 202,
      errors: [ErrorCode.unavailable],
    },
    async ({ auth, params, body, res }) => {
      const job = await jobs.create(auth.user._id, params.id, body.format, body.lang);
      res.location(`/api/reports/${job.id}`);
      return job;
    },
  );

  api.add(
    { method: 'get', path: '/reports/:id', tag, summary: 'A report job of yours: its progress (`done` of `total` steps) and status. Jobs are kept for 15 minutes; others’ jobs are not found', params: IdParams, response: ReportJob },
    async ({ auth, params }) => jobs.get(auth.user._id, params.id),
  );

  api.add(
    {
      method: 'get',
      path: '/reports/:id/file',
      tag,
      summary: 'The finished report of a job of yours (DOCX or PDF, as asked); 409 while it is still being made',
      params: IdParams,
      response: binary,
      contentType: reportTypes.docx,
      operationId: 'downloadReport',
      errors: [ErrorCode.conflict, ErrorCode.unavailable, ErrorCode.internal],
    },
    async ({ auth, params, res }) => {
      const { job, file, title } = jobs.file(auth.user._id, params.id);
      res.attachment(fileName(`${labelsFor(job.lang)('report.title')} - ${title}`, job.format));
      res.type(reportTypes[job.format]);
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('Content-Length', file.length);
      res.status(200).end(file);
      return '';
    },
  );

  for (const format of reportFormats) {
    api.add(
      {
        method: 'get',
        path: `/meetings/:id/minutes.${format}`,
        tag,
        summary: `One meeting's minutes as ${format === 'docx' ? 'a Word document' : 'a PDF (where the server has Chromium; 503 otherwise)'}: times, agenda with notes, who spoke (alias and group) for how long, decisions and poll results by group; any member of the consultation. ${langNote}`,
        params: IdParams,
        query: MinutesExportQuery,
        response: binary,
        contentType: reportTypes[format],
        operationId: `exportMinutes${format === 'docx' ? 'Docx' : 'Pdf'}`,
        errors: [ErrorCode.unavailable],
      },
      async ({ auth, params, query, res }) => {
        const minutes = await reports.meetingMinutes(auth.user._id, params.id);
        if (format === 'pdf' && !pdf.available) throw pdfUnavailable();
        // Laid out and printed before any header is set: a failure answers as a JSON error, not a download.
        let file = await layout.lay({ kind: `minutes.${format === 'docx' ? 'docx' : 'html'}`, minutes, locale: query.lang });
        if (format === 'pdf') file = Buffer.from(await pdf.print(file.toString('utf8')));
        res.attachment(fileName(minutes.title.trim() || labelsFor(query.lang)('report.minutes.title', { title: '' }), format));
        res.type(reportTypes[format]);
        res.setHeader('Cache-Control', 'private, no-store');
        res.setHeader('Content-Length', file.length);
        res.status(200).end(file);
        return '';
      },
    );
  }
}
