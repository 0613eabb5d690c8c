/**
 * Workload a's reader: one client on the same document, applying what the
 * server relays. An edit has arrived when the reader's state vector clock for
 * the writer reaches that edit's clock.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { serve } from '../lib/ipc.ts';
import { now, until } from '../lib/clock.ts';
import { readFrame, syncStep1Frame } from '../lib/wire.ts';

let ws: WebSocket | undefined;
let doc = new Y.Doc();
let arrivals = new Float64Array(0);
let lastMessageAt = 0;
let messages = 0;
let o: { writerClient: number; sampleClocks: Float64Array; finalClock: number; endContent: string };

serve({
  async connect(params: { url: string; cookie: string; writerClient: number; sampleClocks: Float64Array; finalClock: number; endContent: string }) {
    o = params;
    doc = new Y.Doc();
    arrivals = new Float64Array(o.sampleClocks.length).fill(NaN);
    messages = 0;
    let next = 0;
    ws = new WebSocket(params.url, { headers: params.cookie ? { cookie: params.cookie } : {}, perMessageDeflate: false });
    let synced = false;
    ws.on('open', () => ws!.send(syncStep1Frame()));
    ws.on('message', (data: Buffer) => {
      const t = now();
      const msg = readFrame(data, false);
      if (msg.kind !== 'update') return;
      if (msg.step2) synced = true;
      messages++;
      lastMessageAt = t;
      Y.applyUpdate(doc, msg.update);
      const clock = Y.getState(doc.store, o.writerClient);
      while (next < o.sampleClocks.length && clock >= o.sampleClocks[next]!) arrivals[next++] = t;
    });
    if (!(await until(() => synced, 30_000))) throw new Error('reader did not sync');
  },

  /** Leaves the document without waiting for anything (after the warm-up). */
  close() {
    ws?.close();
    ws = undefined;
  },

  /** Waits (bounded) for the final text, then reports arrival times. */
  async wait({ timeoutMs }: { timeoutMs: number }) {
    const text = doc.getText('t');
    const done = () => Y.getState(doc.store, o.writerClient) >= o.finalClock && text.length === o.endContent.length && text.toString() === o.endContent;
    const textOk = await until(done, timeoutMs, 25);
    ws?.close();
    return { arrivals, lastMessageAt, messages, textOk, textLength: text.length };
  },
});
