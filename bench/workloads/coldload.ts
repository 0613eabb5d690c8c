/**
 * e: cold load. Two documents are seeded before the server starts: the
 * paper's whole history, and 100 independent copies of it (the same edits
 * under 100 client ids, merged). A newcomer then opens each while no one has
 * it open (cold: read from the store and built in memory) and once while
 * someone has (warm). Meanwhile small rooms keep typing and are timed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Child } from '../lib/ipc.ts';
import { now, sleep } from '../lib/clock.ts';
import { startServer } from '../lib/server-proc.ts';
import { ConveneApi } from '../lib/convene-api.ts';
import { runYjsClients } from '../lib/yclients.ts';
import { summarize, type Summary } from '../lib/stats.ts';
import { withUnit, yjsRow, type Row } from '../lib/report.ts';

export interface ColdLoadOptions {
  copies: number;
  paperRepeats: number;
  bigRepeats: number;
  procs: number;
  profile: boolean;
  log: (line: string) => void;
}

interface Load { openMs: number; receivedMs: number; syncedMs: number; bytes: number; ok: boolean; length: number }

/** Rooms unload 1 s after their last client leaves (default 30 s), so each repeat is cold again. */
const config = { roomIdleMs: 1000 };

export async function coldLoad(o: ColdLoadOptions): Promise<Row[]> {
  // 1. Create the documents through the API, then stop the server so the store can be seeded.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-bench-e-'));
  const first = await startServer('convene', { dataDir, config, name: 'server-convene-coldload-setup' });
  const api = new ConveneApi(first.httpUrl);
  await api.signIn();
  const consultation = await api.consultation();
  const [paperId, bigId] = [await api.document(consultation, 'The automerge paper'), await api.document(consultation, `${o.copies} copies`)];
  const small = await api.documents(consultation, 5, 'Small room');
  await first.stop();

  o.log(`e: seeding the update log (paper history, and ${o.copies}× that)`);
  const seeder = Child.start('gen/seed-store.ts');
  const sizes = await seeder.call<Record<string, { bytes: number; length: number }>>('seed', { dataDir, docs: [{ docId: paperId, copies: 1 }, { docId: bigId, copies: o.copies }] }, 300_000);
  await seeder.stop(5_000);

  // 2. Serve the seeded store; time newcomers while five small rooms type.
  const server = await startServer('convene', { dataDir, config, profile: o.profile, name: 'server-convene-coldload' });
  const newcomer = Child.start('gen/cold-load.ts');
  const loads: Record<string, Load[]> = { paper: [], big: [], warm: [] };
  let warmUp: Load | undefined;
  const intervals: [number, number][] = [];
  const load = async (docId: string, hold = false) => {
    const from = now();
    const r = await newcomer.call<Load>('load', { url: server.yjsUrl(docId), cookie: api.cookie, expectLength: sizes[docId]!.length, timeoutMs: 120_000, hold }, 150_000);
    intervals.push([from, from + r.syncedMs]);
    return r;
  };
  /** Waits until the server has unloaded the document, so that the next load is cold again. */
  const coldAgain = async (docId: string) => {
    for (let i = 0; i < 100 && (await server.child.call<boolean>('loaded', { docId }, 30_000)); i++) await sleep(100);
  };
  try {
    const small_ = await runYjsClients({
      label: 'e small rooms',
      server,
      cookie: api.cookie,
      participants: small.flatMap((room) => Array.from({ length: 4 }, () => ({ room, typist: true, sampled: true }))),
      rate: 2,
      awarenessRate: 0,
      warmupMs: 2000,
      durationMs: 300_000,
      procs: 1,
      log: o.log,
      during: async () => {
        // One unmeasured load first, as a and the reader warm up: the newcomer's own code is cold on its first
        // load (Yjs took 60+ ms to apply the paper then, 13 ms once compiled), which measures the newcomer, not the server.
        o.log('e: one unmeasured load of the paper document, to warm up the newcomer');
        warmUp = await load(paperId);
        await coldAgain(paperId);
        for (const [key, docId, n] of [['paper', paperId, o.paperRepeats], ['big', bigId, o.bigRepeats]] as const) {
          o.log(`e: ${n} cold loads of the ${key === 'paper' ? 'paper' : `${o.copies}×`} document (${(sizes[docId]!.bytes / 2 ** 20).toFixed(1)} MiB)`);
          for (let i = 0; i < n; i++) {
            loads[key]!.push(await load(docId));
            await coldAgain(docId);
          }
        }
        o.log('e: warm load of the big document (someone already has it open)');
        await load(bigId, true);
        loads.warm!.push(await load(bigId));
        await newcomer.call('release');
        await sleep(1000);
      },
    });
    const sum = (l: Load[]): Summary => summarize(l.map((x) => x.syncedMs));
    const loadRow = (key: 'paper' | 'big', label: string): Row => {
      const s = sum(loads[key]!);
      const l = loads[key]!;
      return {
        workload: label,
        server: 'convene',
        p50: s.p50,
        p95: s.p95,
        p99: s.p99,
        throughput: `${(l[0]!.bytes / 2 ** 20).toFixed(1)} MiB state`,
        serverMetrics: small_.server,
        lost: '–',
        identical: l.every((x) => x.ok) ? 'yes' : 'no (text length differs)',
        notes: `${l.length} cold loads (connect → state applied), p50 received after ${withUnit(summarize(l.map((x) => x.receivedMs)).p50)}; ` +
          (key === 'big' ? `warm load ${withUnit(loads.warm![0]?.syncedMs)}; ` : `after one unmeasured warm-up load (${withUnit(warmUp?.syncedMs)}); `) +
          'server figures are for the whole phase',
        detail: { loads: l, max: s.max, warmUp: key === 'paper' ? warmUp : undefined },
      };
    };
    // Small rooms' latency while a cold load was in progress, not diluted by the quiet time between loads.
    const during = summarize(small_.samples.latencies.filter((_, i) => intervals.some(([a, b]) => small_.samples.sendTimes[i]! >= a - 50 && small_.samples.sendTimes[i]! <= b)));
    const rooms = yjsRow('e. small rooms meanwhile', 'convene', small_, `5 rooms × 4 typing 2/s; while a load ran: p99 ${withUnit(during.p99)}, max ${withUnit(during.max)} (${during.count} timed)`);
    rooms.detail = { ...rooms.detail, duringP99: during.p99, during };
    return [loadRow('paper', 'e. cold load paper'), loadRow('big', `e. cold load ${o.copies}×`), rooms];
  } finally {
    await newcomer.stop(5_000);
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
