/**
 * Workload d's generator. Watchers are raw `ws` clients speaking the
 * Engine.IO 4 / Socket.IO 5 text protocol (`0` open, `40` connect, `42…`
 * event, `43…` ack, `2`/`3` ping/pong): the server does exactly the same work
 * as for `socket.io-client`, but a watcher costs a Buffer.indexOf per message
 * instead of a full decode, so 1,000 of them do not saturate the machine.
 * The commenter, which creates the timed threads, is a real socket.io-client.
 */
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import * as Y from 'yjs';
import { serve } from '../lib/ipc.ts';
import { now, sleep, until } from '../lib/clock.ts';
import { SelfMetrics } from '../lib/metrics.ts';
import { readFrame, syncStep1Frame, updateFrame } from '../lib/wire.ts';
import { encodeRange } from '../../shared/anchors.ts';
import { fragmentName, yjsPath } from '../../shared/collab.ts';

type Ack = { ok: boolean; error?: { message: string } };
const sockets: WebSocket[] = [];
const received: number[][] = [];
const sendTimes: number[] = [];
const latencies: number[] = [];
let lastArrival = 0;
const metrics = new SelfMetrics();
const marker = Buffer.from('"body":"bench ');

/**
 * Reads every `bench <k> <sendTime>` from an event packet without parsing the
 * JSON: Convene's `threads:changed` may carry several threads, the bare
 * server's `thread:changed` one.
 */
function onPacket(i: number, data: Buffer, t: number): void {
  if (data[0] !== 0x34 || data[1] !== 0x32) return; // "42…" events only
  for (let at = data.indexOf(marker); at >= 0; at = data.indexOf(marker, at + marker.length)) {
    const end = data.indexOf(0x22, at + marker.length); // closing quote of the body
    const [k, sent] = data.toString('latin1', at + marker.length, end).split(' ').map(Number) as [number, number];
    received[i]!.push(k);
    sendTimes.push(sent);
    latencies.push(t - sent);
    lastArrival = t;
  }
}

/** Opens a watcher: handshake, namespace connect, then each watch event acknowledged in turn. */
function watcher(i: number, url: string, cookie: string, watches: [string, string][]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      headers: cookie ? { cookie } : {},
      perMessageDeflate: false,
    });
    let step = 0;
    const timer = setTimeout(() => (ws.terminate(), reject(new Error('watcher handshake timed out'))), 30_000);
    const next = () => {
      const w = watches[step - 1];
      if (w) return ws.send(`42${step}${JSON.stringify(w)}`);
      clearTimeout(timer);
      resolve(ws);
    };
    ws.on('message', (data: Buffer) => {
      const t = now();
      if (data.length === 1 && data[0] === 0x32) return ws.send('3'); // ping → pong
      if (step > watches.length) return onPacket(i, data, t);
      const text = data.toString();
      if (text.startsWith('0{')) return ws.send('40');
      if (text.startsWith('44')) return reject(new Error(`connect refused: ${text}`));
      if (text.startsWith('40')) return (step = 1), next();
      if (text.startsWith(`43${step}`)) {
        const [reply] = JSON.parse(text.slice(2 + String(step).length)) as [Ack];
        if (!reply.ok) return reject(new Error(`${watches[step - 1]![0]} refused: ${reply.error?.message}`));
        step++;
        return next();
      }
    });
    ws.on('error', reject);
  });
}

const passage = 'the right to participate in public affairs';

/**
 * A real anchor. Convene reads a thread's words from its live document and
 * refuses an anchor on words it does not hold, so the commenter first writes
 * a paragraph there over the Yjs endpoint; the sync reply to its own step 1,
 * sent after the update, means the server has handled the update. The bare
 * server takes any anchor.
 */
async function anchorInDocument(o: { url: string; cookie: string; documentId: string }) {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText(passage);
  paragraph.insert(0, [text]);
  doc.getXmlFragment(fragmentName).insert(0, [paragraph]);
  const anchor = encodeRange(text, 0, passage.length);
  if (!o.cookie) return anchor;
  const ws = new WebSocket(`${o.url.replace(/^http/, 'ws')}${yjsPath}/${o.documentId}`, { headers: { cookie: o.cookie } });
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => {
      ws.send(updateFrame(Y.encodeStateAsUpdate(doc)));
      ws.send(syncStep1Frame(Y.encodeStateVector(doc)));
    });
    ws.on('message', (data: Buffer) => {
      const frame = readFrame(new Uint8Array(data), false);
      if (frame.kind === 'update' && frame.step2) resolve();
    });
  });
  ws.close();
  return anchor;
}

serve({
  async connect(o: { url: string; cookie: string; consultationId: string; documentId: string; count: number; concurrency: number }) {
    let next = 0;
    let firstError: string | undefined;
    const watches: [string, string][] = [['consultation:watch', o.consultationId], ['document:watch', o.documentId]];
    const worker = async () => {
      while (next < o.count) {
        const i = next++;
        received[i] = [];
        try {
          sockets.push(await watcher(i, o.url, o.cookie, watches));
        } catch (err) {
          firstError ??= String(err);
        }
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    return { connected: sockets.length, failed: o.count - sockets.length, firstError };
  },

  /** The commenter: `count` threads, `intervalMs` apart, each body carrying its send time. */
  async comment(o: { url: string; cookie: string; documentId: string; count: number; intervalMs: number }) {
    const s = io(o.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: o.cookie ? { cookie: o.cookie } : {} });
    await new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
    const anchor = await anchorInDocument(o);
    const t0 = now() + 50;
    const acks: Promise<number>[] = [];
    let firstSend = 0;
    for (let k = 0; k < o.count; k++) {
      while (now() < t0 + k * o.intervalMs) await sleep(Math.max(0, Math.min(2, t0 + k * o.intervalMs - now())));
      const sent = now();
      firstSend ||= sent;
      const input = { documentId: o.documentId, anchor, body: `bench ${k} ${sent.toFixed(3)}` };
      acks.push(s.timeout(30_000).emitWithAck('thread:create', input).then((r: Ack) => (r.ok ? now() - sent : NaN), () => NaN));
    }
    const ackMs = await Promise.all(acks);
    s.close();
    return { firstSend, ackMs: Float64Array.from(ackMs), refused: ackMs.filter(Number.isNaN).length };
  },

  /** Waits (bounded) until every watcher has `expected` threads, then reports. */
  async wait(o: { expected: number; timeoutMs: number }) {
    await until(() => received.every((r) => r.length >= o.expected), o.timeoutMs, 25);
    const inOrder = (r: number[]) => r.length === o.expected && r.every((k, i) => k === i);
    return {
      watchers: received.length,
      lost: received.reduce((n, r) => n + Math.max(0, o.expected - new Set(r).size), 0),
      identical: received.filter(inOrder).length,
      sendTimes: Float64Array.from(sendTimes),
      latencies: Float64Array.from(latencies),
      lastArrival,
    };
  },

  'measure-start': () => metrics.start(),
  'measure-stop': () => metrics.stop(),
  async close() {
    for (const s of sockets) s.terminate();
    await sleep(100);
  },
});
