/**
 * f's knee: the largest plenary size whose p95 stays within the limit,
 * trying sizes in increasing order and stopping at the first that fails
 * (bigger plenaries only get worse, and a collapsed one is slow to run).
 */
import type { ServerKind } from '../lib/server-proc.ts';
import type { YjsRunResult } from '../lib/yclients.ts';
import { plenary, type PlenaryOptions } from './plenary.ts';

export interface KneePoint {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  lost: number;
  ok: boolean;
}

export async function knee(
  kind: ServerKind,
  sizes: number[],
  limitMs: number,
  o: Omit<PlenaryOptions, 'n'>,
  /** Results already measured (e.g. by workload b), by size. */
  known: Map<number, YjsRunResult>,
): Promise<{ knee: number; points: KneePoint[] }> {
  const points: KneePoint[] = [];
  let best = 0;
  for (const n of sizes) {
    const r = known.get(n) ?? (await plenary(kind, { ...o, n }));
    const ok = r.latency.p95 <= limitMs;
    points.push({ n, p50: r.latency.p50, p95: r.latency.p95, p99: r.latency.p99, lost: r.lost, ok });
    o.log(`knee ${kind}: N=${n} p95 ${r.latency.p95.toFixed(1)} ms ${ok ? '≤' : '>'} ${limitMs} ms`);
    if (!ok) break;
    best = n;
  }
  return { knee: best, points };
}
