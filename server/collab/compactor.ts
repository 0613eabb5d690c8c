import { Worker } from 'node:worker_threads';
import type { StoredRun } from '../history/attribution.runs.ts';

export interface CompactRequest {
  id: number;
  entries: Uint8Array[];
  attribution: StoredRun[];
}

export type CompactResponse = { id: number; update: Uint8Array; stateVector: Uint8Array; attribution: StoredRun[] } | { id: number; error: string };

export interface Compacted {
  /** Everything the entries hold, as one update encoded from the rebuilt document. */
  update: Uint8Array;
  stateVector: Uint8Array;
  /** The entries' attribution merged per member and editing session (server/history/attribution.runs.ts). */
  attribution: StoredRun[];
}

/**
 * Merges stored update logs in a worker thread. Encoding a whole document
 * takes from a few milliseconds (the automerge paper) to seconds (a document
 * a hundred times its size); on the event loop that delayed every keystroke
 * relayed meanwhile. One worker serves every room, one log at a time; it
 * starts on first use and starts again if it dies.
 */
export class Compactor {
  #worker: Worker | undefined;
  readonly #waiting = new Map<number, { resolve: (c: Compacted) => void; reject: (e: Error) => void }>();
  #nextId = 0;
  #closed = false;

  merge(entries: Uint8Array[], attribution: StoredRun[] = []): Promise<Compacted> {
    if (this.#closed) return Promise.reject(new Error('The compactor is closed'));
    const id = this.#nextId++;
    const result = new Promise<Compacted>((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
    // Copied, not transferred: small stored entries may share one pooled buffer with other data.
    this.#start().postMessage({ id, entries, attribution } satisfies CompactRequest);
    return result;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new Error('The compactor is closed'));
    await worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    // The server runs its TypeScript through tsx; the worker registers it too before loading its module.
    const api = import.meta.resolve('tsx/esm/api');
    const module = new URL('./compactor.worker.ts', import.meta.url).href;
    const worker = new Worker(`import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module)}); });`, {
      eval: true,
      name: 'convene-compactor',
    });
    worker.unref();
    worker.on('message', (response: CompactResponse) => {
      const waiting = this.#waiting.get(response.id);
      if (!waiting) return;
      this.#waiting.delete(response.id);
      if ('error' in response) waiting.reject(new Error(`Compacting failed: ${response.error}`));
      else waiting.resolve({ update: response.update, stateVector: response.stateVector, attribution: response.attribution });
    });
    const lost = (err: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(err);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`The compactor thread stopped (exit code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  #failAll(err: Error): void {
    for (const { reject } of this.#waiting.values()) reject(err);
    this.#waiting.clear();
  }
}
