/**
 * `npm run bench`: runs the documented workloads (see bench/README.md), each
 * against a server in its own process with load generators in others, then
 * prints one table and writes it to bench/results/latest.json (or `--out`).
 */
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { parseArgs, UsageError, type Options } from './lib/cli.ts';
import { resultsDir } from './lib/ipc.ts';
import { formatTable, withUnit, writeJson, yjsRow, type Row } from './lib/report.ts';
import type { YjsRunResult } from './lib/yclients.ts';
import { traceReplay } from './workloads/trace.ts';
import { plenary } from './workloads/plenary.ts';
import { manyRooms } from './workloads/rooms.ts';
import { fanout } from './workloads/fanout.ts';
import { coldLoad } from './workloads/coldload.ts';
import { knee, type KneePoint } from './workloads/knee.ts';
import { pageLoad } from './workloads/pageload.ts';
import { firstVisit } from './workloads/firstvisit.ts';
import { recommendationsImport } from './workloads/recommendations.ts';
import { diffWorkload } from './workloads/diff.ts';
import { historyInChild } from './workloads/history.run.ts';
import { versionsWorkload } from './workloads/versions.ts';
import { planTable } from './workloads/table.ts';
import { checkTargets } from './lib/targets.ts';
import { cpuSnapshot, foreignCpuPct, waitForQuiet } from './lib/machine.ts';

let o: Options;
try {
  o = parseArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.log(err.message);
  process.exit(err.message.startsWith('npm run bench') ? 0 : 1);
}

const began = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}`);
// Every phase is bounded on its own; this is the last resort if something still hangs.
setTimeout(() => (console.error('bench: over 45 minutes, giving up'), process.exit(2)), 45 * 60_000).unref();

const git = (cmd: string) => execSync(`git ${cmd}`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const machine = {
  nproc: os.availableParallelism(),
  memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  node: process.version,
  commit: (() => { try { return git('rev-parse --short HEAD') + (git('status --porcelain -- server shared') ? ' + uncommitted server/shared changes' : ''); } catch { return 'not a git checkout'; } })(),
};
log(`machine: ${machine.nproc} CPUs (${machine.cpu}), ${machine.memory}, Node ${machine.node}; server code ${machine.commit}`);

const run = (w: string) => o.only.has(w);
const rows: Row[] = [];
const plenaries = { convene: new Map<number, YjsRunResult>(), baseline: new Map<number, YjsRunResult>() };
const knees: Record<string, { knee: number; points: KneePoint[] }> = {};
const common = { procs: o.procs, profile: o.profile, log };
const plenaryOptions = { ...common, durationMs: o.durationS * 1000, warmupMs: o.warmupS * 1000 };
const roomOptions = { ...plenaryOptions, rooms: o.rooms, size: o.roomSize, rate: o.roomRate };
const plenaryLabel = `b. plenary ${o.clients}/${Math.round(o.clients / 10)}`;
const roomsLabel = `c. rooms ${o.rooms}×${o.roomSize} @${o.roomRate}/s`;

/** Runs one step; a failure is reported in the table and the run goes on. */
const foreign: { step: string; cpuPct: number }[] = [];
let quietBudgetMs = o.noWait ? 0 : 120_000;
async function step(name: string, fn: () => Promise<void>): Promise<void> {
  // Bounded: at most 60 s per step and 2 min per run, so a busy machine delays the run but cannot stall it.
  const waitMs = Math.min(60_000, quietBudgetMs);
  const waitStart = Date.now();
  if (waitMs > 0) await waitForQuiet(15, waitMs, (pct) => log(`waiting up to ${waitMs / 1000} s for a quieter machine (other processes use ${pct.toFixed(0)}% of a core)`));
  quietBudgetMs -= Date.now() - waitStart;
  const before = cpuSnapshot();
  try {
    await fn();
    const cpuPct = foreignCpuPct(before, cpuSnapshot());
    foreign.push({ step: name, cpuPct });
    if (cpuPct > 15) log(`warning: other processes used ${cpuPct.toFixed(0)}% of a core during ${name}`);
  } catch (err) {
    log(`${name} FAILED: ${err instanceof Error ? err.message : String(err)}`);
    rows.push({ workload: name, server: '–', notes: `FAILED: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` });
  }
}

if (run('a')) await step('a. trace replay', async () => void rows.push(...(await traceReplay({ rate: o.traceRate, profile: o.profile, log }))));
if (run('b')) await step(plenaryLabel, async () => {
  const r = await plenary('convene', { ...plenaryOptions, n: o.clients });
  plenaries.convene.set(o.clients, r);
  rows.push(yjsRow(plenaryLabel, 'convene', r, '2 upd/s + 1 cursor/s per typist'));
});
if (run('c')) await step(roomsLabel, async () => void rows.push(yjsRow(roomsLabel, 'convene', await manyRooms('convene', roomOptions), 'everyone types')));
if (run('d')) {
  for (const kind of ['convene', 'socketio'] as const) {
    await step(`d. comment fan-out (${kind})`, async () => void rows.push(await fanout(kind, { ...common, clients: o.socketClients, events: o.events, intervalMs: o.eventIntervalMs })));
  }
}
if (run('e')) await step('e. cold load', async () => void rows.push(...(await coldLoad({ ...common, copies: o.copies, paperRepeats: 5, bigRepeats: 3 }))));
if (run('f')) {
  await step(plenaryLabel, async () => {
    const r = await plenary('baseline', { ...plenaryOptions, n: o.clients });
    plenaries.baseline.set(o.clients, r);
    rows.push(yjsRow(plenaryLabel, 'bare relay', r, '2 upd/s + 1 cursor/s per typist'));
  });
  await step(roomsLabel, async () => void rows.push(yjsRow(roomsLabel, 'bare relay', await manyRooms('baseline', roomOptions), 'everyone types')));
  for (const kind of ['convene', 'baseline'] as const) {
    await step(`f. knee ${kind}`, async () => {
      const kneeOptions = { ...common, durationMs: o.kneeDurationS * 1000, warmupMs: o.warmupS * 1000 };
      knees[kind] = await knee(kind, o.knee, 100, kneeOptions, plenaries[kind]);
    });
  }
}

if (run('g')) await step('g. page load', async () => void rows.push(...(await pageLoad({ loads: o.pageLoads, kbps: o.pageKbps, latencyMs: 400, paragraphs: 60, log }))));
if (run('l')) await step('l. first visit', async () => void rows.push(...(await firstVisit({ loads: o.visitLoads, kbps: o.pageKbps, latencyMs: 400, paragraphs: 60, log }))));
if (run('h')) await step('h. recommendations import', async () => void rows.push(await recommendationsImport({ rows: o.recommendations, profile: o.profile, log })));
if (run('k')) await step('k. diff', async () => void rows.push(await diffWorkload({ repeats: o.diffRepeats, log })));
if (run('i')) await step('i. history kept', async () => void rows.push(await historyInChild(log)));
if (run('v')) await step('v. versions', async () => void rows.push(...(await versionsWorkload({ versions: o.versions, repeats: o.versionReads, profile: o.profile, log }))));
if (run('j'))
  await step('j. plan table', async () =>
    void rows.push(...(await planTable({ actions: o.tableActions, recommendations: o.tableRecommendations, loads: o.tableLoads, filterRounds: o.tableFilterRounds, log }))));

// Ratios of Convene to its baseline, for every pair measured in this run.
const ratios: string[] = [];
const x = (a?: number, b?: number) => (a === undefined || b === undefined || !b ? '–' : `${(a / b).toFixed(2)}×`);
for (const label of [plenaryLabel, roomsLabel, 'd. comment fan-out']) {
  const ours = rows.find((r) => r.workload === label && r.server === 'convene');
  const base = rows.find((r) => r.workload === label && r.server !== 'convene' && r.server !== '–');
  if (!ours || !base) continue;
  ratios.push(`${label}: convene / ${base.server}: p50 ${x(ours.p50, base.p50)}, p95 ${x(ours.p95, base.p95)}, p99 ${x(ours.p99, base.p99)}, server CPU ${x(ours.serverMetrics?.cpuPct, base.serverMetrics?.cpuPct)}`);
}
const kneeRatio = knees.convene && knees.baseline?.knee ? knees.convene.knee / knees.baseline.knee : undefined;
// When Convene passed every size tried, its knee (and the ratio) is only a lower bound.
const kneeLowerBound = knees.convene?.points.length === o.knee.length && knees.convene.points.every((p) => p.ok);
if (knees.convene && knees.baseline) {
  for (const [kind, k] of Object.entries(knees)) {
    const all = k.points.length === o.knee.length && k.points.every((p) => p.ok);
    ratios.push(`knee ${kind}: N ${all ? '≥' : '='} ${k.knee || '< ' + o.knee[0]} (${k.points.map((p) => `${p.n}: p95 ${withUnit(p.p95)}${p.lost ? `, ${p.lost} lost` : ''}`).join('; ')})`);
  }
  ratios.push(`knee ratio convene / bare relay: ${kneeRatio === undefined ? '–' : `${kneeLowerBound ? '≥ ' : ''}${kneeRatio.toFixed(2)}×`}`);
}

console.log(`\nConvene benchmark — ${new Date().toISOString()} — ${machine.nproc} CPUs (${machine.cpu}), ${machine.memory}, Node ${machine.node}, server ${machine.commit}\n`);
console.log(formatTable(rows));
if (ratios.length > 0) console.log(`\n${ratios.join('\n')}`);
const busy = foreign.filter((f) => f.cpuPct > 15);
if (busy.length > 0) console.log(`\nwarning: other processes used CPU during ${busy.map((f) => `${f.step} (${f.cpuPct.toFixed(0)}% of a core)`).join(', ')}; those figures are pessimistic`);
const targets = checkTargets(rows, kneeRatio, kneeLowerBound);
if (targets.length > 0) {
  console.log('\ntargets (set for the default sizes):');
  for (const t of targets) console.log(`  ${t.met === undefined ? 'open  ' : t.met ? 'met   ' : 'MISSED'}  ${t.target} — ${t.measured}`);
}
const file = o.out ? path.resolve(o.out) : path.join(resultsDir, 'latest.json');
writeJson(file, { date: new Date().toISOString(), machine, options: { ...o, only: [...o.only] }, rows, ratios, knees, targets, foreignCpu: foreign, seconds: (Date.now() - began) / 1000 });
console.log(`\nwritten to ${path.relative(process.cwd(), file)} in ${((Date.now() - began) / 60_000).toFixed(1)} min`);
process.exit(0);
