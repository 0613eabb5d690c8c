import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { PlanExport } from './cells.ts';

/** What the thread needs: the export without its label function (functions do not cross threads), which it rebuilds from the locale. */
export type ExportData = Omit<PlanExport, 't'>;

export interface ExportRequest {
  id: number;
  format: 'xlsx' | 'docx';
  data: ExportData;
}

export type ExportResponse = { id: number; file: Uint8Array } | { id: number; error: string };

/**
 * Lays out XLSX and DOCX exports in a worker thread (see export.worker.ts),
 * one at a time in the order asked. Like the compactor: one thread, started
 * on first use, started again if it dies, closed with the server.
 */
export class ExportThread {
  /**
   * At most this many files waiting or being laid out: each costs up to a
   * second of CPU, so a flood of requests is refused (503) rather than queued
   * without end.
   */
  constructor(private readonly maxQueued = 8) {}

  #worker: Worker | undefined;
  readonly #waiting = new Map<number, { resolve: (file: Buffer) => void; reject: (e: Error) => void }>();
  #nextId = 0;
  #closed = false;

  render(format: 'xlsx' | 'docx', data: ExportData): Promise<Buffer> {
    if (this.#closed) return Promise.reject(new Error('The export thread is closed'));
    if (this.#waiting.size >= this.maxQueued)
      return Promise.reject(new AppError(ErrorCode.unavailable, 'Many exports are being prepared right now; try again in a moment', { retryAfterSeconds: 5 }));
    const id = this.#nextId++;
    const result = new Promise<Buffer>((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
    this.#start().postMessage({ id, format, data } satisfies ExportRequest);
    return result;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new Error('The export thread is closed'));
    await worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    // The server runs its TypeScript through tsx; the worker registers it too before loading its module.
    const api = import.meta.resolve('tsx/esm/api');
    const module = new URL('./export.worker.ts', import.meta.url).href;
    const worker = new Worker(`import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module)}); });`, {
      eval: true,
      name: 'convene-exports',
    });
    worker.unref();
    worker.on('message', (response: ExportResponse) => {
      const waiting = this.#waiting.get(response.id);
      if (!waiting) return;
      this.#waiting.delete(response.id);
      if ('error' in response) waiting.reject(new Error(`Laying out the export failed: ${response.error}`));
      else waiting.resolve(Buffer.from(response.file.buffer, response.file.byteOffset, response.file.byteLength));
    });
    const lost = (err: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(err);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`The export thread stopped (exit code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  #failAll(err: Error): void {
    for (const { reject } of this.#waiting.values()) reject(err);
    this.#waiting.clear();
  }
}
