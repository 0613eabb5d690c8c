import { Worker } from 'node:worker_threads';
import { AppError } from './errors.ts';
import { ErrorCode } from '../shared/errors.ts';

/** What a worker module answers for each request: the file it made, or why it could not. */
export type WorkerResponse = { id: number; file: Uint8Array } | { id: number; error: string };

/**
 * One worker thread that makes files (plan exports, reports, minutes) one at
 * a time in the order asked, so that laying out a large document never holds
 * up the keystrokes the server relays meanwhile. Started on first use, again
 * if it dies, closed with the server. The module receives `{ id, ...work }`
 * and posts a `WorkerResponse`.
 */
export class WorkerThread<Work extends object> {
  #worker: Worker | undefined;
  readonly #waiting = new Map<number, { resolve: (file: Buffer) => void; reject: (e: Error) => void }>();
  #nextId = 0;
  #closed = false;

  constructor(
    private readonly module: URL,
    private readonly name: string,
    /** At most this many files waiting or being made: beyond, 503 rather than a queue without end. */
    private readonly maxQueued = 8,
  ) {}

  run(work: Work): Promise<Buffer> {
    if (this.#closed) return Promise.reject(new AppError(ErrorCode.unavailable, 'The server is shutting down'));
    if (this.#waiting.size >= this.maxQueued)
      return Promise.reject(new AppError(ErrorCode.unavailable, 'Many files are being prepared right now; try again in a moment', { retryAfterSeconds: 5 }));
    const id = this.#nextId++;
    const result = new Promise<Buffer>((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
    this.#start().postMessage({ ...work, id });
    return result;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new Error(`The ${this.name} thread is closed`));
    await worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    // The server runs its TypeScript through tsx; the worker registers it too before loading its module.
    const api = import.meta.resolve('tsx/esm/api');
    const worker = new Worker(`import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(this.module.href)}); });`, {
      eval: true,
      name: this.name,
    });
    worker.unref();
    worker.on('message', (response: WorkerResponse) => {
      const waiting = this.#waiting.get(response.id);
      if (!waiting) return;
      this.#waiting.delete(response.id);
      if ('error' in response) waiting.reject(new Error(`Making the file failed: ${response.error}`));
      else waiting.resolve(Buffer.from(response.file.buffer, response.file.byteOffset, response.file.byteLength));
    });
    const lost = (err: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(err);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`The ${this.name} thread stopped (exit code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  #failAll(err: Error): void {
    for (const { reject } of this.#waiting.values()) reject(err);
    this.#waiting.clear();
  }
}
