/**
 * Workload a's reader: one client on the same document. It times what the
 * server relays the way the other workloads' counting receivers do: an edit
 * has arrived when the clock ranges read from the updates (struct headers
 * only) reach that edit's clock. It keeps every update and applies them once
 * the replay is over, so its final text is checked against the trace's
 * without its own Yjs work (a transaction per keystroke, and the collections
 * of a growing document) delaying the arrivals it times.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { serve } from '../lib/ipc.ts';
import { now, until } from '../lib/clock.ts';
import { clockRanges, readFrame, syncStep1Frame } from '../lib/wire.ts';

let ws: WebSocket | undefined;
let received: Uint8Array[] = [];
let writerClock = 0;
let arrivals = new Float64Array(0);
let lastMessageAt = 0;
let messages = 0;
let o: { writerClient: number; sampleClocks: Float64Array; finalClock: number; endContent: string };

serve({
  async connect(params: { url: string; cookie: string; writerClient: number; sampleClocks: Float64Array; finalClock: number; endContent: string }) {
    o = params;
    received = [];
    writerClock = 0;
    arrivals = new Float64Array(o.sampleClocks.length).fill(NaN);
    messages = 0;
    let next = 0;
    const ranges: number[] = [];
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
      received.push(msg.update);
      ranges.length = 0;
      clockRanges(msg.update, ranges);
      for (let i = 0; i < ranges.length; i += 3) if (ranges[i] === o.writerClient) writerClock = Math.max(writerClock, ranges[i + 2]!);
      while (next < o.sampleClocks.length && writerClock >= o.sampleClocks[next]!) arrivals[next++] = t;
    });
    if (!(await until(() => synced, 30_000))) throw new Error('reader did not sync');
  },

  /** Leaves the document without waiting for anything (after the warm-up). */
  close() {
    ws?.close();
    ws = undefined;
  },

  /**
   * Waits (bounded) for the writer's last insert, then applies what was
   * received, going on as long as the text is not yet the trace's (the last
   * edits may be deletions, which move no clock); reports arrival times.
   */
  async wait({ timeoutMs }: { timeoutMs: number }) {
    const deadline = now() + timeoutMs;
    await until(() => writerClock >= o.finalClock, timeoutMs, 25);
    const doc = new Y.Doc();
    const text = doc.getText('t');
    let applied = 0;
    const done = () => {
      doc.transact(() => {
        for (; applied < received.length; applied++) Y.applyUpdate(doc, received[applied]!);
      });
      return Y.getState(doc.store, o.writerClient) >= o.finalClock && text.length === o.endContent.length && text.toString() === o.endContent;
    };
    const textOk = await until(done, Math.max(0, deadline - now()), 25);
    ws?.close();
    received = [];
    return { arrivals, lastMessageAt, messages, textOk, textLength: text.length };
  },
});
