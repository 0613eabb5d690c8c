import { WorkerThread, type WorkerResponse } from '../worker-thread.ts';
import type { Locale } from '../../client/src/lib/i18n/locales.ts';
import type { Minutes } from '../../shared/minutes.ts';
import type { ReportData } from './report.data.ts';

export type LayoutRequest = { id: number } & (
  | { kind: 'report.docx' | 'report.html'; data: ReportData }
  | { kind: 'minutes.docx' | 'minutes.html'; minutes: Minutes; locale: Locale }
);
type Work = LayoutRequest extends infer R ? (R extends LayoutRequest ? Omit<R, 'id'> : never) : never;
export type LayoutResponse = WorkerResponse;

/** Lays out reports and minutes in a worker thread (see layout.worker.ts). */
export class LayoutThread {
  readonly #thread: WorkerThread<Work>;

  constructor(maxQueued = 8) {
    this.#thread = new WorkerThread(new URL('./layout.worker.ts', import.meta.url), 'convene-reports', maxQueued);
  }

  lay(work: Work): Promise<Buffer> {
    return this.#thread.run(work);
  }

  close(): Promise<void> {
    return this.#thread.close();
  }
}
