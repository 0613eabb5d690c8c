/** The result table: one row per workload and server, printed and written as JSON. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProcMetrics } from './metrics.ts';
import type { YjsRunResult } from './yclients.ts';

export interface Row {
  workload: string;
  server: string;
  /** Latency percentiles, ms. */
  p50?: number;
  p95?: number;
  p99?: number;
  throughput?: string;
  serverMetrics?: ProcMetrics;
  lost?: number | string;
  identical?: boolean | string;
  /** Busiest load-generator process over the measured phase (% of one core). */
  genCpuMaxPct?: number;
  notes?: string;
  /** Extra figures for the JSON file only. */
  detail?: Record<string, unknown>;
}

/** A duration for the table: ms below 10 s (unit in the column header), seconds above. */
export const ms = (v: number | undefined): string =>
  v === undefined || Number.isNaN(v) ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 100 ? v.toFixed(0) : v.toFixed(1);
/** A duration in running text. */
export const withUnit = (v: number | undefined): string => (v !== undefined && v >= 10_000 ? ms(v) : `${ms(v)} ms`);
const pct = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(0)}%`);
export const rate = (perSec: number, unit: string): string =>
  `${perSec >= 10_000 ? `${(perSec / 1000).toFixed(1)}k` : perSec.toFixed(perSec < 10 ? 1 : 0)} ${unit}/s`;

export function yjsRow(workload: string, server: string, r: YjsRunResult, notes: string): Row {
  return {
    workload,
    server,
    p50: r.latency.p50,
    p95: r.latency.p95,
    p99: r.latency.p99,
    throughput: rate(r.deliveredPerSec, 'deliv'),
    serverMetrics: r.server,
    lost: r.lost,
    identical: r.identical ? 'yes' : `no (${r.complete}/${r.clients} complete)`,
    genCpuMaxPct: Math.max(...r.generators.map((g) => g?.cpuPct ?? 0)),
    notes: `${notes}; ${rate(r.sentPerSec, 'sent')}; awareness p95 ${withUnit(r.awareness.p95)}; ${r.latency.count} timed deliveries${r.disconnected ? `; ${r.disconnected} disconnected` : ''}`,
    detail: { latency: r.latency, awareness: r.awareness, sentPerSec: r.sentPerSec, deliveredPerSec: r.deliveredPerSec, generators: r.generators, mirrors: r.mirrors },
  };
}

const columns: [string, (r: Row) => string][] = [
  ['workload', (r) => r.workload],
  ['server', (r) => r.server],
  ['p50 ms', (r) => ms(r.p50)],
  ['p95 ms', (r) => ms(r.p95)],
  ['p99 ms', (r) => ms(r.p99)],
  ['throughput', (r) => r.throughput ?? '–'],
  ['srv CPU', (r) => pct(r.serverMetrics?.cpuPct)],
  ['peak RSS', (r) => (r.serverMetrics ? `${r.serverMetrics.peakRssMb.toFixed(0)} MB` : '–')],
  // A multi-second block is one sample of the lag histogram, so its p99 can look fine: show the max too.
  ['lag p99/max', (r) => (!r.serverMetrics ? '–' : r.serverMetrics.unresponsive ? 'stuck' : `${withUnit(r.serverMetrics.lagP99Ms)}/${withUnit(r.serverMetrics.lagMaxMs)}`)],
  ['lost', (r) => String(r.lost ?? '–')],
  ['identical', (r) => (r.identical === undefined ? '–' : r.identical === true ? 'yes' : r.identical === false ? 'no' : r.identical)],
  ['gen CPU', (r) => pct(r.genCpuMaxPct)],
  ['notes', (r) => r.notes ?? ''],
];

export function formatTable(rows: Row[]): string {
  const cells = rows.map((r) => columns.map(([, f]) => f(r)));
  const widths = columns.map(([h], i) => Math.max(h.length, ...cells.map((c) => (i === columns.length - 1 ? 0 : c[i]!.length))));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join(' | ');
  return [line(columns.map(([h]) => h)), line(widths.map((w) => '-'.repeat(Math.max(w, 3)))), ...cells.map(line)].join('\n');
}

export function writeJson(file: string, data: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(data, (_k, v: unknown) => (v instanceof Float64Array ? undefined : v), 2));
}
