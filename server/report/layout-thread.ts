import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { Locale } from '../../client/src/lib/i18n/locales.ts';
import type { Minutes } from '../../shared/minutes.ts';
import type { ReportData } from './report.data.ts';

export type LayoutRequest = { id: number } & (
  | { kind: 'report.docx' | 'report.html'; data: ReportData }
  | { kind: 'minutes.docx' | 'minutes.html'; minutes: Minutes; locale: Locale }
);
type Work = LayoutRequest extends infer R ? (R extends LayoutRequest ? Omit<R, 'id'> : never) : never;
export type LayoutResponse = { id: number; file: Uint8Array } | { id: number; error: string };

/**
 * One worker thread that lays out reports and minutes, one at a time in the
 * order asked; started on first use, again if it dies, closed with the
 * server. The same shape as the plan's ExportThread (plan/export-thread.ts),
 * which is bound to the plan's worker module.
 */
export class LayoutThread {
  constructor(private readonly maxQueued = 8) {}

  #worker: Worker | undefined;
  readonly #waiting = new Map<number, { resolve: (file: Buffer) => void; reject: (e: Error) => void }>();
  #nextId = 0;
  #closed = false;

  lay(work: Work): Promise<Buffer> {
    if (this.#closed) return Promise.reject(new AppError(ErrorCode.unavailable, 'The server is shutting down'));
    if (this.#waiting.size >= this.maxQueued)
      return Promise.reject(new AppError(ErrorCode.unavailable, 'Many files are being prepared right now; try again in a moment', { retryAfterSeconds: 5 }));
    const id = this.#nextId++;
    const result = new Promise<Buffer>((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
    this.#start().postMessage({ ...work, id } as LayoutRequest);
    return result;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new Error('The layout thread is closed'));
    await worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    // The server runs its TypeScript through tsx; the worker registers it too before loading its module.
    const api = import.meta.resolve('tsx/esm/api');
    const module = new URL('./layout.worker.ts', import.meta.url).href;
    const worker = new Worker(`import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module)}); });`, {
      eval: true,
      name: 'convene-reports',
    });
    worker.unref();
    worker.on('message', (response: LayoutResponse) => {
      const waiting = this.#waiting.get(response.id);
      if (!waiting) return;
      this.#waiting.delete(response.id);
      if ('error' in response) waiting.reject(new Error(`Laying out the file failed: ${response.error}`));
      else waiting.resolve(Buffer.from(response.file.buffer, response.file.byteOffset, response.file.byteLength));
    });
    const lost = (err: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(err);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`The layout thread stopped (exit code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  #failAll(err: Error): void {
    for (const { reject } of this.#waiting.values()) reject(err);
    this.#waiting.clear();
  }
}
