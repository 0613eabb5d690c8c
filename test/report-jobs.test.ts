import { describe, expect, it } from 'vitest';
import { ReportJobs } from '../server/report/report.jobs.ts';
import type { ReportService } from '../server/report/report.service.ts';
import type { LayoutThread } from '../server/report/layout-thread.ts';
import type { PdfPrinter } from '../server/report/pdf.ts';
import type { ReportData } from '../server/report/report.data.ts';
import { capturingLogger } from './helpers/logger.ts';
import { onCleanup } from './helpers/cleanup.ts';
import { eventually } from './helpers/yjs.ts';

const consultationId = '11111111-1111-4111-8111-111111111111';

/** Jobs over a gathering that finishes only when the test says so. */
function jobs(limits: { running: number; perPerson: number; kept: number; keepMs: number }, pdfAvailable = true) {
  const release: (() => void)[] = [];
  const reports = {
    authorize: async () => undefined,
    gather: (_u: string, _c: string, _l: string, progress: (d: number, t: number) => void) =>
      new Promise<ReportData>((resolve) => {
        progress(1, 3);
        release.push(() => resolve({} as ReportData));
      }),
  } as unknown as ReportService;
  const layout = { lay: async () => Buffer.from('PK file') } as unknown as LayoutThread;
  const pdf = { available: pdfAvailable, print: async () => new Uint8Array([37, 80, 68, 70]) } as unknown as PdfPrinter;
  const j = new ReportJobs(reports, layout, pdf, capturingLogger().logger, limits);
  onCleanup(() => j.close());
  return { j, release };
}

describe('report jobs', () => {
  it('follow progress to the end, belong to their requester, and are forgotten after their time', async () => {
    const { j, release } = jobs({ running: 4, perPerson: 2, kept: 10, keepMs: 300 });
    const job = await j.create('ana', consultationId, 'docx', 'en');
    await eventually(() => j.get('ana', job.id).done === 1, 'the first step');
    expect(j.get('ana', job.id)).toMatchObject({ status: 'running', done: 1, total: 4 });
    expect(() => j.file('ana', job.id)).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => j.get('bo', job.id)).toThrow(expect.objectContaining({ code: 'not_found' }));
    release.shift()!();
    await eventually(() => j.get('ana', job.id).status === 'done', 'the job to finish');
    expect(j.get('ana', job.id)).toMatchObject({ done: 4, total: 4, error: null });
    expect(j.file('ana', job.id).file.toString()).toBe('PK file');
    expect(() => j.file('bo', job.id)).toThrow(expect.objectContaining({ code: 'not_found' }));
    await eventually(() => {
      try {
        j.get('ana', job.id);
        return false;
      } catch (err) {
        return (err as { code?: string }).code === 'not_found';
      }
    }, 'the job to expire');
  });

  it('refuses beyond the limits with 503 and a Retry-After, per person and on the whole server', async () => {
    const { j, release } = jobs({ running: 3, perPerson: 2, kept: 10, keepMs: 60_000 });
    await j.create('ana', consultationId, 'docx', 'en');
    await j.create('ana', consultationId, 'docx', 'en');
    await expect(j.create('ana', consultationId, 'docx', 'en')).rejects.toMatchObject({ code: 'unavailable', details: { retryAfterSeconds: 10 } });
    await j.create('bo', consultationId, 'docx', 'en');
    await expect(j.create('cy', consultationId, 'docx', 'en')).rejects.toMatchObject({ code: 'unavailable', status: 503 });
    release.shift()!();
    await eventually(async () => (await j.create('cy', consultationId, 'docx', 'en').then(() => true, () => false)), 'room for another job');
  });

  it('refuses PDF up front where the server has no Chromium; DOCX still works', async () => {
    const { j } = jobs({ running: 4, perPerson: 2, kept: 10, keepMs: 60_000 }, false);
    await expect(j.create('ana', consultationId, 'pdf', 'en')).rejects.toMatchObject({ code: 'unavailable', details: { reason: 'pdf_unavailable' } });
    expect((await j.create('ana', consultationId, 'docx', 'en')).status).toBe('running');
  });
});
