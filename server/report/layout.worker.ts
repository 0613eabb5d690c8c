/**
 * The report's layout thread: builds DOCX files and the HTML printed to PDF.
 * A consultation's report holds every thread and every meeting; docx
 * compiles all of it in one synchronous step, which on the event loop would
 * hold up every keystroke the server relays meanwhile (see plan/export.worker.ts).
 */
import { parentPort } from 'node:worker_threads';
import { reportDocx, minutesDocx } from './report.docx.ts';
import { reportHtml, minutesHtml } from './report.html.ts';
import type { LayoutRequest, LayoutResponse } from './layout-thread.ts';

const port = parentPort;
if (!port) throw new Error('layout.worker.ts runs only as a worker thread');

async function lay(request: LayoutRequest): Promise<Uint8Array> {
  switch (request.kind) {
    case 'report.docx':
      return reportDocx(request.data);
    case 'report.html':
      return new TextEncoder().encode(reportHtml(request.data));
    case 'minutes.docx':
      return minutesDocx(request.minutes, request.locale);
    case 'minutes.html':
      return new TextEncoder().encode(minutesHtml(request.minutes, request.locale));
  }
}

port.on('message', (request: LayoutRequest) => {
  lay(request).then(
    (file) => {
      // A copy of its own to hand over: a small Buffer may share a pooled ArrayBuffer that must not be detached.
      const own = new Uint8Array(file.byteLength);
      own.set(file);
      port.postMessage({ id: request.id, file: own } satisfies LayoutResponse, [own.buffer]);
    },
    (err: unknown) => port.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) } satisfies LayoutResponse),
  );
});
