/**
 * a: the automerge-paper trace (259,778 single-character edits) replayed
 * through the server by one writer to one reader, twice: paced at a target
 * rate, then unpaced (as fast as the writer's socket drains) for the maximum
 * sustained rate. Each run starts on a fresh server with 2 s of warm-up (the
 * trace's first edits into another document). Also reports what the server
 * stored for the document.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Child } from '../lib/ipc.ts';
import { startServer } from '../lib/server-proc.ts';
import { ConveneApi } from '../lib/convene-api.ts';
import { summarize } from '../lib/stats.ts';
import { rate, type Row } from '../lib/report.ts';
import { WRITER_CLIENT } from '../gen/trace-writer.ts';

export interface TraceOptions {
  rate: number;
  profile: boolean;
  log: (line: string) => void;
}

/** Seconds of the trace sent to another document first (at the paced rate), as warm-up. */
const warmUpSeconds = 2;

interface Prepared { edits: number; sampleClocks: Float64Array; finalClock: number; stateBytes: number; endContent: string }
interface Written { sent: number; sendTimes: Float64Array; firstSendAt: number; lastSendAt: number; maxBuffered: number }
interface Read { arrivals: Float64Array; lastMessageAt: number; messages: number; textOk: boolean; textLength: number }

export async function traceReplay(o: TraceOptions): Promise<Row[]> {
  const writer = Child.start('gen/trace-writer.ts');
  const reader = Child.start('gen/trace-reader.ts');
  const rows: Row[] = [];
  try {
    o.log('a: generating the 259,778 updates of the automerge-paper trace (takes a few seconds)');
    const prep = await writer.call<Prepared>('prepare', { sampleEvery: 100 }, 180_000);
    for (const paced of [o.rate, 0]) {
      const label = paced > 0 ? `a. trace @${paced / 1000}k/s` : 'a. trace unpaced';
      const server = await startServer('convene', { profile: o.profile, name: `server-convene-trace-${paced}` });
      try {
        const api = new ConveneApi(server.httpUrl);
        await api.signIn();
        const consultation = await api.consultation();
        // Warm-up, as b and c have: the trace's first edits into another document, unmeasured, so the
        // replay is timed on a server whose code is compiled rather than on its first seconds. The
        // reader reads it too: a reader on cold code takes the first quarter second's latency to 100 ms.
        const warmUpDoc = await api.document(consultation, 'Warm-up');
        const warmUp = Math.round(warmUpSeconds * (paced || o.rate));
        o.log(`${label}: warm-up, the first ${warmUp} edits into another document`);
        const readerParams = { cookie: api.cookie, writerClient: WRITER_CLIENT, sampleClocks: prep.sampleClocks, finalClock: prep.finalClock, endContent: prep.endContent };
        await reader.call('connect', { url: server.yjsUrl(warmUpDoc), ...readerParams });
        await writer.call<Written>('run', { url: server.yjsUrl(warmUpDoc), cookie: api.cookie, rate: paced || o.rate, bufferLimit: 256 * 1024, timeoutMs: 20_000, count: warmUp }, 45_000);
        await reader.call('close', {});
        const docId = await api.document(consultation, 'The automerge paper');
        const url = server.yjsUrl(docId);
        await reader.call('connect', { url, ...readerParams });
        o.log(`${label}: replaying ${prep.edits} edits ${paced > 0 ? `at ${paced}/s` : 'as fast as the socket drains'}`);
        await server.measureStart();
        // Bounded: at 15k/s the replay takes ~17 s; a server that falls behind is reported, not waited for.
        const w = await writer.call<Written>('run', { url, cookie: api.cookie, rate: paced, bufferLimit: 256 * 1024, timeoutMs: 45_000 }, 75_000);
        o.log(`${label}: writer done (${w.sent} sent), waiting for the reader`);
        const r = await reader.call<Read>('wait', { timeoutMs: 20_000 }, 45_000);
        const metrics = await server.measureStop();
        const stored = await server.child.call<{ entries: number; bytes: number }>('stats', { docId }, 15_000).catch(() => undefined);
        let onDisk = NaN;
        await server.stop({
          graceMs: 10_000,
          beforeRemove: async (dir) => void (onDisk = (await stat(path.join(dir, 'yjs_updates.db')).catch(() => ({ size: NaN }))).size),
        });
        const latencies = Array.from(r.arrivals, (t, i) => t - w.sendTimes[i]!).filter((v) => !Number.isNaN(v));
        const lat = summarize(latencies);
        const arrived = r.arrivals.filter((t) => !Number.isNaN(t)).length;
        // Edits delivered ≈ the share of sampled edits that arrived (samples are spread evenly over the trace).
        const delivered = r.textOk ? prep.edits : Math.round((prep.edits * arrived) / r.arrivals.length);
        const seconds = (r.lastMessageAt - w.firstSendAt) / 1000;
        const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
        const storage = stored
          ? `stored log ${stored.entries} entries ${kib(stored.bytes)} = ${(stored.bytes / prep.stateBytes).toFixed(2)}× encodeStateAsUpdate (${kib(prep.stateBytes)})`
          : 'server could not report its stored log';
        rows.push({
          workload: label,
          server: 'convene',
          p50: lat.p50,
          p95: lat.p95,
          p99: lat.p99,
          throughput: rate(delivered / seconds, 'upd'),
          serverMetrics: metrics,
          lost: r.textOk ? 0 : `${Math.max(0, w.sent - delivered)} undelivered${w.sent < prep.edits ? `, ${prep.edits - w.sent} unsent` : ''}`,
          identical: r.textOk ? 'yes' : `no (length ${r.textLength})`,
          notes:
            `${delivered}/${prep.edits} edits at the reader in ${seconds.toFixed(1)} s; writer sent ${w.sent}${w.sent < prep.edits ? ' (stopped at its 45 s limit: the server held it back)' : ''} at ` +
            `${rate(w.sent / ((w.lastSendAt - w.firstSendAt) / 1000), 'upd')}; ${lat.count} timed; ${storage}; ` +
            `yjs_updates.db after SIGTERM ${Number.isNaN(onDisk) ? '?' : kib(onDisk)}; ${r.messages} messages at the reader`,
          detail: { perSec: delivered / seconds, latency: lat, stored, stateBytes: prep.stateBytes, onDiskBytes: onDisk, writer: { ...w, sendTimes: undefined }, readerMessages: r.messages },
        });
      } finally {
        await server.stop();
      }
    }
  } finally {
    await Promise.all([writer.stop(5_000), reader.stop(5_000)]);
  }
  return rows;
}
