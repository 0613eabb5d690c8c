/**
 * A load-generator process holding many simulated Yjs participants (see
 * sim-client.ts). The orchestrator sets it up, connects it, starts typing at
 * an agreed instant, then asks it to verify against the expected state.
 * Every phase is bounded in time.
 */
import { serve } from '../lib/ipc.ts';
import { now, sleep, until } from '../lib/clock.ts';
import { SelfMetrics, type ProcMetrics } from '../lib/metrics.ts';
import { SimClient, type ClientSpec } from './sim-client.ts';

let clients: SimClient[] = [];
let cookie = '';
let typing: Promise<void> = Promise.resolve();
let stopAt = Infinity;
const metrics = new SelfMetrics();
let measured: ProcMetrics | undefined;
const delivered = { atWarmupEnd: 0, atEnd: 0 };
const totalDelivered = () => clients.reduce((n, c) => n + c.delivered, 0);

async function type(o: { startAt: number; warmupMs: number; durationMs: number; rate: number; awarenessRate: number }): Promise<void> {
  stopAt = o.startAt + o.durationMs;
  const typists = clients.filter((c) => c.spec.typist && c.synced);
  const every = 1000 / o.rate;
  const awEvery = o.awarenessRate > 0 ? 1000 / o.awarenessRate : Infinity;
  // Random phases, so that typists do not all fire in the same millisecond.
  for (const c of typists) {
    c.nextTypeAt = o.startAt + Math.random() * every;
    c.nextAwarenessAt = o.awarenessRate > 0 ? o.startAt + Math.random() * awEvery : Infinity;
  }
  while (now() < o.startAt) await sleep(Math.min(5, o.startAt - now()));
  let measuring = false;
  for (;;) {
    const t = now();
    if (!measuring && t >= o.startAt + o.warmupMs) {
      measuring = true;
      metrics.start();
      delivered.atWarmupEnd = totalDelivered();
    }
    if (t >= stopAt) break;
    for (const c of typists) {
      if (c.ws?.readyState !== 1) continue;
      // At most one of each per tick: a late generator falls behind rather than bursting.
      if (t >= c.nextTypeAt) {
        c.type();
        c.nextTypeAt += every;
      }
      if (t >= c.nextAwarenessAt) {
        c.announce();
        c.nextAwarenessAt += awEvery;
      }
    }
    await sleep(2);
  }
  if (!measuring) metrics.start();
  measured = metrics.stop();
  delivered.atEnd = totalDelivered();
}

serve({
  setup(o: { clients: ClientSpec[]; cookie: string }) {
    clients = o.clients.map((spec) => new SimClient(spec));
    cookie = o.cookie;
  },

  /** Connects everyone, `concurrency` handshakes at a time; resolves when all synced or failed. */
  async connect(o: { concurrency: number; timeoutMs: number }) {
    let next = 0;
    const worker = async () => {
      while (next < clients.length) await clients[next++]!.connect(cookie, o.timeoutMs);
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    const failed = clients.filter((c) => !c.synced);
    return { synced: clients.length - failed.length, failed: failed.length, firstError: failed[0]?.closedBy };
  },

  start(o: { startAt: number; warmupMs: number; durationMs: number; rate: number; awarenessRate: number }) {
    typing = type(o);
  },

  /** Ends typing early (the window's end is then now). */
  stop() {
    stopAt = Math.min(stopAt, now());
  },

  /** Waits for typing to end; reports each typist's final clock per room. */
  async finish() {
    await typing;
    return {
      typists: clients.filter((c) => c.spec.typist && c.sent > 0).map((c) => [c.spec.room, c.spec.clientId, c.clock] as const),
      sent: clients.reduce((n, c) => n + c.sent, 0),
    };
  },

  /** Waits (bounded) until every client has the expected state, then reports loss, latency and checks. */
  async verify(o: { expected: Record<string, [number, number][]>; timeoutMs: number }) {
    const expectedOf = (c: SimClient) => o.expected[c.spec.room] ?? [];
    await until(() => clients.every((c) => c.missing(expectedOf(c)) === 0 || c.ws?.readyState !== 1), o.timeoutMs, 50);
    const lost = clients.reduce((n, c) => n + c.missing(expectedOf(c)), 0);
    const complete = clients.filter((c) => c.missing(expectedOf(c)) === 0).length;
    const mirrors = clients.filter((c) => c.spec.sampled).map((c) => ({ room: c.spec.room, ...c.mirrorCheck(expectedOf(c)) }));
    const pick = (f: (c: SimClient) => number[]) => Float64Array.from(clients.flatMap(f));
    return {
      clients: clients.length,
      complete,
      disconnected: clients.filter((c) => c.ws?.readyState !== 1).length,
      lost,
      mirrors,
      sendTimes: pick((c) => c.sendTimes),
      latencies: pick((c) => c.latencies),
      awarenessLatencies: pick((c) => c.awarenessLatencies),
      messages: clients.reduce((n, c) => n + c.messages, 0),
      delivered: delivered.atEnd - delivered.atWarmupEnd,
      metrics: measured,
    };
  },

  async close() {
    for (const c of clients) c.close();
    await sleep(100);
  },
});
