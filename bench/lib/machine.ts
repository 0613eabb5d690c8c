/**
 * How much CPU other people's processes took while a step ran: the
 * machine's busy time (/proc/stat) minus this bench's own, counting every
 * child process it has waited for (cutime/cstime in /proc/self/stat). The
 * bench shares the machine with the server it measures; anyone else's test
 * run makes every figure pessimistic, and this says when that happened.
 */
import { readFileSync } from 'node:fs';

export interface CpuSnapshot {
  machineMs: number;
  ownMs: number;
  at: number;
}

const TICK_MS = 10; // USER_HZ = 100 on Linux

export function cpuSnapshot(): CpuSnapshot {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = fields.map(Number);
    const busy = n.reduce((a, b) => a + b, 0) - n[3]! - n[4]!; // minus idle and iowait
    const self = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ').map(Number);
    const own = self[11]! + self[12]! + self[13]! + self[14]!; // utime stime cutime cstime
    return { machineMs: busy * TICK_MS, ownMs: own * TICK_MS, at: performance.now() };
  } catch {
    return { machineMs: NaN, ownMs: NaN, at: performance.now() };
  }
}

/** Other processes' CPU between two snapshots, in % of one core. */
export function foreignCpuPct(a: CpuSnapshot, b: CpuSnapshot): number {
  return Math.max(0, (100 * (b.machineMs - a.machineMs - (b.ownMs - a.ownMs))) / (b.at - a.at));
}

/** Waits (at most `maxMs`) until other processes use under `limitPct` of a core; returns their last share. */
export async function waitForQuiet(limitPct: number, maxMs: number, onWait: (pct: number) => void): Promise<number> {
  const deadline = performance.now() + maxMs;
  for (let warned = false; ; ) {
    const a = cpuSnapshot();
    await new Promise((r) => setTimeout(r, 2000));
    const pct = foreignCpuPct(a, cpuSnapshot());
    if (pct < limitPct || performance.now() > deadline) return pct;
    if (!warned) onWait(pct);
    warned = true;
  }
}
