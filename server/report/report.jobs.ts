import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { Locale } from '../../client/src/lib/i18n/locales.ts';
import type { ReportFormat, ReportJob } from '../../shared/report.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { PdfPrinter } from './pdf.ts';
import type { ReportService } from './report.service.ts';
import type { LayoutThread } from './layout-thread.ts';

export interface ReportJobLimits {
  /** Reports being made at once, on the whole server. */
  running: number;
  /** Reports one person may have being made at once. */
  perPerson: number;
  /** Jobs kept (finished ones with their files in memory) before new ones are refused. */
  kept: number;
  /** How long a job and its file are kept after it was asked for. */
  keepMs: number;
}

export const defaultReportJobLimits: ReportJobLimits = { running: 4, perPerson: 2, kept: 64, keepMs: 15 * 60_000 };

interface Job {
  wire: ReportJob;
  owner: string;
  file: Buffer | null;
  /** The consultation's title, for the file's name. */
  title: string;
}

/** The answer where the server has no Chromium to print with: DOCX still works. */
export const pdfUnavailable = () =>
  new AppError(ErrorCode.unavailable, 'PDF needs Chromium on the server (set CHROMIUM_PATH); DOCX is available', { reason: 'pdf_unavailable' });

/**
 * Reports are made as jobs: asked for (202 with an id), their progress
 * read, then their file fetched. A job is its requester's alone (anyone else
 * gets 404), is forgotten `keepMs` after it was asked for, and only so many
 * run at once: beyond that the request is refused with 503 and Retry-After
 * rather than queued without end. Files stay in memory only: nothing of a
 * report is written to disk.
 */
export class ReportJobs {
  readonly #jobs = new Map<string, Job>();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly reports: ReportService,
    private readonly layout: LayoutThread,
    private readonly pdf: PdfPrinter,
    private readonly logger: Logger,
    private readonly limits: ReportJobLimits = defaultReportJobLimits,
  ) {
    this.#timer = setInterval(() => this.#sweep(), Math.min(60_000, limits.keepMs)).unref();
  }

  async create(userId: string, consultationId: string, format: ReportFormat, lang: Locale): Promise<ReportJob> {
    // Refusals first: non-members 404, roles the table does not allow 403, no Chromium 503.
    await this.reports.authorize(userId, consultationId);
    if (format === 'pdf' && !this.pdf.available) throw pdfUnavailable();
    this.#sweep();
    const running = [...this.#jobs.values()].filter((j) => j.wire.status === 'running');
    if (running.length >= this.limits.running || running.filter((j) => j.owner === userId).length >= this.limits.perPerson || this.#jobs.size >= this.limits.kept)
      throw new AppError(ErrorCode.unavailable, 'Many reports are being made right now; try again in a moment', { retryAfterSeconds: 10 });
    const now = Date.now();
    const wire: ReportJob = {
      id: randomUUID(),
      consultationId,
      format,
      lang,
      status: 'running',
      done: 0,
      total: 1,
      error: null,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.limits.keepMs).toISOString(),
    };
    const job: Job = { wire, owner: userId, file: null, title: '' };
    this.#jobs.set(wire.id, job);
    void this.#run(job);
    return { ...wire };
  }

  get(userId: string, jobId: string): ReportJob {
    return { ...this.#own(userId, jobId).wire };
  }

  /** The finished file; 409 while it is still being made, the job's error if it failed. */
  file(userId: string, jobId: string): { job: ReportJob; file: Buffer; title: string } {
    const job = this.#own(userId, jobId);
    if (job.wire.status === 'running') throw new AppError(ErrorCode.conflict, 'The report is not ready yet', { done: job.wire.done, total: job.wire.total });
    if (!job.file) throw new AppError((job.wire.error as ErrorCode | null) ?? ErrorCode.internal, 'The report could not be made');
    return { job: { ...job.wire }, file: job.file, title: job.title };
  }

  close(): void {
    clearInterval(this.#timer);
    this.#jobs.clear();
  }

  #own(userId: string, jobId: string): Job {
    this.#sweep();
    const job = this.#jobs.get(jobId);
    // Someone else's job is as unknown as a job that never was.
    if (!job || job.owner !== userId) throw AppError.notFound('Report');
    return job;
  }

  async #run(job: Job): Promise<void> {
    const { wire } = job;
    const layoutSteps = wire.format === 'pdf' ? 2 : 1;
    try {
      const data = await this.reports.gather(job.owner, wire.consultationId, wire.lang, (done, total) => {
        wire.done = done;
        wire.total = total + layoutSteps;
      });
      job.title = data.title;
      if (wire.format === 'docx') job.file = await this.layout.lay({ kind: 'report.docx', data });
      else {
        const html = (await this.layout.lay({ kind: 'report.html', data })).toString('utf8');
        wire.done++;
        job.file = Buffer.from(await this.pdf.print(html));
      }
      wire.done = wire.total;
      wire.status = 'done';
    } catch (err) {
      wire.status = 'failed';
      wire.error = err instanceof AppError ? err.code : ErrorCode.internal;
      if (!(err instanceof AppError)) this.logger.error({ err, consultationId: wire.consultationId }, 'making a report failed');
    }
  }

  #sweep(): void {
    const now = Date.now();
    // A running job is kept until it ends, so that its work is not lost mid-way; then its time is up too.
    for (const [id, job] of this.#jobs) if (job.wire.status !== 'running' && Date.parse(job.wire.expiresAt) <= now) this.#jobs.delete(id);
  }
}
