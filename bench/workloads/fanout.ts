/**
 * d: comment fan-out over Socket.IO. `clients` participants watch one
 * consultation and one document; a commenter creates `events` comment
 * threads `intervalMs` apart (`thread:create`); every watcher must receive
 * every thread (Convene announces `threads:changed`, several threads to a
 * message in a burst; the bare Socket.IO server one `thread:changed` per
 * thread). Run against Convene and a bare Socket.IO server.
 */
import { Child } from '../lib/ipc.ts';
import { startServer, type ServerKind } from '../lib/server-proc.ts';
import { ConveneApi } from '../lib/convene-api.ts';
import { concat, summarize } from '../lib/stats.ts';
import { withUnit, rate, type Row } from '../lib/report.ts';
import type { ProcMetrics } from '../lib/metrics.ts';

export interface FanoutOptions {
  clients: number;
  events: number;
  intervalMs: number;
  procs: number;
  profile: boolean;
  log: (line: string) => void;
}

interface Waited { watchers: number; lost: number; identical: number; sendTimes: Float64Array; latencies: Float64Array; lastArrival: number }

export async function fanout(kind: ServerKind, o: FanoutOptions): Promise<Row> {
  const server = await startServer(kind, { profile: o.profile, name: `server-${kind}-fanout` });
  const gens = Array.from({ length: o.procs }, (_, i) => Child.start('gen/socketio-clients.ts', { name: `gen-sio-${i}` }));
  const commenter = Child.start('gen/socketio-clients.ts', { name: 'gen-sio-commenter' });
  const label = kind === 'convene' ? 'convene' : 'bare socket.io';
  try {
    let consultationId = 'consultation-1';
    let documentId = 'document-1';
    let cookie = '';
    if (kind === 'convene') {
      const api = new ConveneApi(server.httpUrl);
      await api.signIn();
      consultationId = await api.consultation();
      documentId = await api.document(consultationId, 'Draft with comments');
      cookie = api.cookie;
    }
    o.log(`d ${label}: connecting ${o.clients} Socket.IO clients (consultation:watch + document:watch)`);
    const share = (i: number) => Math.floor(o.clients / o.procs) + (i < o.clients % o.procs ? 1 : 0);
    const connected = await Promise.all(
      gens.map((g, i) =>
        g.call<{ connected: number; failed: number; firstError?: string }>('connect', { url: server.httpUrl, cookie, consultationId, documentId, count: share(i), concurrency: 20 }, 180_000),
      ),
    );
    const failed = connected.reduce((n, c) => n + c.failed, 0);
    if (failed > 0) o.log(`d ${label}: ${failed} clients failed (${connected.find((c) => c.firstError)?.firstError})`);
    o.log(`d ${label}: ${o.events} comment threads, ${o.intervalMs} ms apart`);
    await Promise.all([server.measureStart(), ...gens.map((g) => g.call('measure-start'))]);
    const sent = await commenter.call<{ firstSend: number; ackMs: Float64Array; refused: number }>(
      'comment', { url: server.httpUrl, cookie, documentId, count: o.events, intervalMs: o.intervalMs }, 120_000,
    );
    const waited = await Promise.all(gens.map((g) => g.call<Waited>('wait', { expected: o.events - sent.refused, timeoutMs: 20_000 }, 60_000)));
    const metrics = await server.measureStop();
    const genMetrics = await Promise.all(gens.map((g) => g.call<ProcMetrics>('measure-stop')));
    await Promise.all(gens.map((g) => g.call('close').catch(() => undefined)));
    const lat = summarize(concat(waited.map((w) => w.latencies)));
    const watchers = waited.reduce((n, w) => n + w.watchers, 0);
    const identical = waited.reduce((n, w) => n + w.identical, 0);
    const seconds = (Math.max(...waited.map((w) => w.lastArrival)) - sent.firstSend) / 1000;
    const ack = summarize(sent.ackMs.filter((v) => !Number.isNaN(v)));
    return {
      workload: 'd. comment fan-out',
      server: label,
      p50: lat.p50,
      p95: lat.p95,
      p99: lat.p99,
      throughput: rate(lat.count / seconds, 'deliv'),
      serverMetrics: metrics,
      lost: waited.reduce((n, w) => n + w.lost, 0) + sent.refused * watchers,
      identical: identical === o.clients ? 'yes' : `no (${identical}/${o.clients} got all in order)`,
      genCpuMaxPct: Math.max(...genMetrics.map((g) => g.cpuPct)),
      notes: `thread:create → ${label === 'convene' ? 'threads:changed' : 'thread:changed'} to ${watchers} watchers; ${sent.refused} refused; create ack p50 ${withUnit(ack.p50)} p95 ${withUnit(ack.p95)}`,
      detail: { latency: lat, ack, watchers, connected: connected.map((c) => c.connected), generators: genMetrics },
    };
  } finally {
    await Promise.all([...gens, commenter].map((g) => g.stop(5_000)));
    await server.stop();
  }
}
