/**
 * The export thread: lays out a plan as XLSX or DOCX. Building a Word
 * document of 300 actions takes about half a second of solid CPU (docx
 * compiles every paragraph's XML in one synchronous step), which on the event
 * loop would hold up every keystroke the server relays meanwhile.
 */
import { parentPort } from 'node:worker_threads';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { labelsFor } from './labels.ts';
import { planXlsx } from './export.xlsx.ts';
import { planDocx } from './export.docx.ts';
import type { ExportRequest, ExportResponse } from './export-thread.ts';

const port = parentPort;
if (!port) throw new Error('export.worker.ts runs only as a worker thread');

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(stream, new Writable({ write: (chunk: Buffer, _enc, done) => (chunks.push(chunk), done()) }));
  return Buffer.concat(chunks);
}

port.on('message', ({ id, format, data }: ExportRequest) => {
  const x = { ...data, t: labelsFor(data.locale) };
  (format === 'xlsx' ? collect(planXlsx(x)) : planDocx(x)).then(
    (file) => {
      // A copy of its own to hand over: a small Buffer may share a pooled ArrayBuffer that must not be detached.
      const own = new Uint8Array(file.byteLength);
      own.set(file);
      port.postMessage({ id, file: own } satisfies ExportResponse, [own.buffer]);
    },
    (err: unknown) => port.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies ExportResponse),
  );
});
