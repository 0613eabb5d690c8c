/**
 * Workload a's writer: replays the automerge-paper trace into its own Y.Doc,
 * one transaction per edit, and sends each resulting update as one
 * y-websocket update message. Updates are generated before the timed phase
 * (Yjs needs seconds for the local edits) so the send loop measures the server.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { serve } from '../lib/ipc.ts';
import { now, sleep } from '../lib/clock.ts';
import { applyEdit, edits, loadTrace } from '../lib/trace.ts';
import { updateFrame } from '../lib/wire.ts';

/** A writer's client id as large as a browser's random one, so update sizes are realistic. */
export const WRITER_CLIENT = 0x9e3779b1;

let frames: Buffer[] = [];
let sampleEdits: number[] = [];

serve({
  /** Generates every update; samples the first insert at or after every `sampleEvery`-th edit. */
  prepare({ sampleEvery }: { sampleEvery: number }) {
    const trace = loadTrace();
    const doc = new Y.Doc({ gc: true });
    doc.clientID = WRITER_CLIENT;
    const text = doc.getText('t');
    let last: Uint8Array | undefined;
    doc.on('update', (u: Uint8Array) => (last = u));
    const sampleClocks: number[] = [];
    let wantSample = false;
    let i = 0;
    for (const edit of edits(trace)) {
      doc.transact(() => applyEdit(text, edit));
      frames.push(updateFrame(last!));
      if (i % sampleEvery === 0) wantSample = true;
      // Only inserts move the writer's clock, and the reader detects arrival by that clock.
      if (wantSample && edit[2].length > 0) {
        sampleEdits.push(i);
        sampleClocks.push(Y.getState(doc.store, WRITER_CLIENT));
        wantSample = false;
      }
      i++;
    }
    if (text.toString() !== trace.endContent) throw new Error('the writer did not reach endContent');
    return {
      edits: frames.length,
      sampleClocks: Float64Array.from(sampleClocks),
      finalClock: Y.getState(doc.store, WRITER_CLIENT),
      stateBytes: Y.encodeStateAsUpdate(doc).length,
      endContent: trace.endContent,
    };
  },

  /**
   * Sends every update (or the first `count`) at `rate` per second (0: as
   * fast as the socket drains), never letting more than `bufferLimit` bytes
   * queue in the socket.
   */
  async run(o: { url: string; cookie: string; rate: number; bufferLimit: number; timeoutMs: number; count?: number }) {
    const total = Math.min(frames.length, o.count ?? frames.length);
    const ws = new WebSocket(o.url, { headers: o.cookie ? { cookie: o.cookie } : {}, perMessageDeflate: false });
    // The server sends sync step 1 once the room is ready; sending earlier only queues frames there.
    await new Promise<void>((resolve, reject) => {
      ws.once('message', () => resolve());
      ws.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()}`)));
      ws.once('error', reject);
    });
    const sendTimes = new Float64Array(sampleEdits.length);
    const deadline = now() + o.timeoutMs;
    const t0 = now();
    let next = 0;
    let sample = 0;
    let maxBuffered = 0;
    while (next < total && now() < deadline) {
      const due = o.rate > 0 ? Math.min(total, Math.floor(((now() - t0) * o.rate) / 1000) + 1) : total;
      let burst = 0;
      while (next < due && burst < 1000 && ws.bufferedAmount < o.bufferLimit) {
        if (sampleEdits[sample] === next) sendTimes[sample++] = now();
        ws.send(frames[next++]!);
        burst++;
      }
      maxBuffered = Math.max(maxBuffered, ws.bufferedAmount);
      if (ws.bufferedAmount >= o.bufferLimit) await sleep(1);
      else if (next >= due) await sleep(1);
      else await new Promise((r) => setImmediate(r));
    }
    const lastSendAt = now();
    await sleep(200);
    ws.close();
    return { sent: next, sendTimes, firstSendAt: t0, lastSendAt, maxBuffered };
  },
});
