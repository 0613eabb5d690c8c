/**
 * Runs workload i (bench/workloads/history.ts) in its own Node process with
 * `--expose-gc`, so that it can measure the document's heap, and turns its
 * result into a row of the bench's table.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Row } from '../lib/report.ts';
import { describeHistory, type HistoryResult } from './history.ts';

export function historyInChild(log: (line: string) => void): Promise<Row> {
  const script = fileURLToPath(new URL('./history.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', '--import', 'tsx', script], { maxBuffer: 16 * 2 ** 20, timeout: 600_000 }, (err, stdout) => {
      if (err) return reject(err);
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as HistoryResult;
      for (const line of describeHistory(result)) log(line);
      const times = [...result.coldOpen.applyHistoryTimes].sort((a, b) => a - b);
      resolve({
        workload: `i. history kept, paper, a version every 1,000 updates`,
        server: 'convene',
        // The latency columns: a newcomer applying the kept history in-process (4 times, after a warm-up).
        p50: times[Math.floor((times.length - 1) / 2)],
        p95: times.at(-1),
        p99: times.at(-1),
        // The room reached the trace's text and the attribution read back (the workload throws otherwise).
        identical: 'yes',
        lost: 0,
        notes: `stored ${(result.storedBytes / 1024).toFixed(0)} KiB = ${result.ratio.toFixed(2)}× the gc'd document (${(result.gcDocBytes / 1024).toFixed(0)} KiB); target ≤ 3×; latencies: a newcomer applying the kept history`,
        detail: { ...result },
      });
    });
  });
}
