import { WorkerThread, type WorkerResponse } from '../worker-thread.ts';
import type { PlanExport } from './cells.ts';

/** What the thread needs: the export without its label function (functions do not cross threads), which it rebuilds from the locale. */
export type ExportData = Omit<PlanExport, 't'>;

export interface ExportRequest {
  id: number;
  format: 'xlsx' | 'docx';
  data: ExportData;
}

export type ExportResponse = WorkerResponse;

/** Lays out XLSX and DOCX exports of the plan in a worker thread (see export.worker.ts). */
export class ExportThread {
  readonly #thread: WorkerThread<Omit<ExportRequest, 'id'>>;

  constructor(maxQueued = 8) {
    this.#thread = new WorkerThread(new URL('./export.worker.ts', import.meta.url), 'convene-exports', maxQueued);
  }

  render(format: 'xlsx' | 'docx', data: ExportData): Promise<Buffer> {
    return this.#thread.run({ format, data });
  }

  close(): Promise<void> {
    return this.#thread.close();
  }
}
