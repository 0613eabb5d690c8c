/**
 * The compactor's thread: rebuilds a document from its stored log and encodes
 * it as one update, so the server's event loop never blocks on it.
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import type { CompactRequest, CompactResponse } from './compactor.ts';
import { mergeRuns } from '../history/attribution.runs.ts';

const port = parentPort;
if (!port) throw new Error('compactor.worker.ts runs only as a worker thread');

// Compaction is background work: on busy cores the event loop should run
// first. Linux keeps a priority per thread, so this lowers this thread's
// alone; elsewhere it would lower the whole server's, so it is left as is.
if (process.platform === 'linux') {
  try {
    setPriority(Math.min(19, getPriority() + 10));
  } catch {
    // Not permitted here: compact at the server's priority.
  }
}

port.on('message', ({ id, entries, attribution }: CompactRequest) => {
  let response: CompactResponse;
  try {
    // Deleted content is kept: versions and differences rebuild past states from it (Y.createDocFromSnapshot).
    const doc = new Y.Doc({ gc: false });
    doc.transact(() => {
      for (const entry of entries) Y.applyUpdate(doc, entry);
    });
    response = { id, update: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc), attribution: mergeRuns(attribution) };
    doc.destroy();
  } catch (err) {
    response = { id, error: err instanceof Error ? err.message : String(err) };
  }
  const transfer = 'update' in response ? [response.update.buffer, response.stateVector.buffer] : [];
  port.postMessage(response, transfer as ArrayBuffer[]);
});
