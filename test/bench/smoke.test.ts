import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Row } from '../../bench/lib/report.ts';
import type { Patch, Trace } from '../../bench/lib/trace.ts';
import { seededRandom } from '../helpers/random.ts';
import { findChromium } from '../helpers/browser.ts';

const run = promisify(execFile);

/**
 * A small trace in the automerge-paper format (single-character inserts and
 * deletes), so that the run stays at toy size: the real trace in
 * bench/traces/ takes minutes to replay.
 */
function toyTrace(edits: number): Trace {
  const random = seededRandom(6);
  let text = '';
  const txns: { patches: Patch[] }[] = [];
  for (let i = 0; i < edits; i++) {
    const patch: Patch =
      text.length > 10 && random() < 0.2
        ? [Math.floor(random() * text.length), 1, '']
        : [Math.floor(random() * (text.length + 1)), 0, String.fromCharCode(97 + Math.floor(random() * 26))];
    const [pos, del, ins] = patch;
    text = text.slice(0, pos) + ins + text.slice(pos + del);
    txns.push({ patches: [patch] });
  }
  return { startContent: '', endContent: text, txns };
}

const chromium = findChromium();

/**
 * `npm run bench` at toy sizes, end to end: every workload runs against real
 * servers and generators in their own processes, and the JSON holds a row
 * for each with latencies, server figures, nothing lost and every client
 * identical. The figures themselves are not judged here (a busy test machine
 * says nothing about speed); that is what `npm run bench` on a quiet machine is for.
 */
describe('the benchmark harness', () => {
  it('runs every workload at toy sizes and reports each one whole', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'convene-bench-smoke-'));
    const out = path.join(dir, 'result.json');
    try {
      await writeFile(path.join(dir, 'automerge-paper.json.gz'), gzipSync(JSON.stringify(toyTrace(3000))));
      const args = [
        'tsx', 'bench/run.ts', '--no-wait', '--out', out,
        '--clients', '30', '--duration', '2', '--warmup', '1', '--procs', '1',
        '--rooms', '3', '--room-size', '3', '--room-rate', '2',
        '--socket-clients', '20', '--events', '10',
        '--copies', '2', '--knee', '10,20', '--knee-duration', '2',
        // g: one cold load of each kind, on a network ten times faster than slow 3G to keep it short.
        '--page-loads', '1', '--page-kbps', '4000',
        // l: one first visit and its revisit, on that same network.
        '--visit-loads', '1',
        // h: a recommendations file of 500 rows rather than 50,000.
        '--recommendations', '500',
        // v: 5 versions of the toy trace, each read timed twice.
        '--versions', '5', '--version-reads', '2',
        // j: a plan table of 30 actions and 100 recommendations, one load, one round of filters.
        '--table-actions', '30', '--table-recommendations', '100', '--table-loads', '1', '--table-rounds', '1',
        // Without a browser (only outside CI: findChromium throws there), every workload but the page load and the plan table.
        ...(chromium ? [] : ['--only', 'a,b,c,d,e,f,h,i,k,v']),
      ];
      await run('npx', args, { timeout: 840_000, maxBuffer: 16 * 2 ** 20, env: { ...process.env, CONVENE_TRACES_DIR: dir } });
      const result = JSON.parse(await readFile(out, 'utf8')) as { rows: Row[]; ratios: string[]; knees: Record<string, { knee: number }>; targets: unknown[] };

      const failed = result.rows.filter((r) => r.notes?.startsWith('FAILED'));
      expect(failed).toEqual([]);
      const names = result.rows.map((r) => `${r.workload} | ${r.server}`);
      for (const expected of [
        /^a\. trace @15k\/s \| convene$/,
        /^a\. trace unpaced \| convene$/,
        /^b\. plenary 30\/3 \| convene$/,
        /^c\. rooms 3×3 @2\/s \| convene$/,
        /^d\. comment fan-out \| convene$/,
        /^d\. comment fan-out \| bare socket\.io$/,
        /^e\. cold load paper \| convene$/,
        /^e\. cold load 2× \| convene$/,
        /^e\. small rooms meanwhile \| convene$/,
        /^b\. plenary 30\/3 \| bare relay$/,
        /^c\. rooms 3×3 @2\/s \| bare relay$/,
        /^h\. recommendations import 500 rows \| convene$/,
        /^i\. history kept, paper, a version every 1,000 updates \| convene$/,
        /^k\. diff paper half → end \| convene$/,
        /^v\. version list \(5 versions\) \| convene$/,
        /^v\. one version's text \(room not loaded\) \| convene$/,
        /^v\. one version's text \(room loaded\) \| convene$/,
        ...(chromium
          ? [
              /^g\. page load, 4000 kbit\/s \| convene$/,
              /^g\. page load, 4000 kbit\/s, uncompressed \| convene$/,
              /^l\. first visit: text readable, 4000 kbit\/s \| convene$/,
              /^l\. first visit: editor usable, 4000 kbit\/s \| convene$/,
              /^l\. revisit: text readable, 4000 kbit\/s \| convene$/,
              /^j\. plan table render 30×100 \| convene$/,
              /^j\. plan table filter 30×100 \| convene$/,
            ]
          : []),
      ])
        expect(names.some((n) => expected.test(n)), `a row ${expected}`).toBe(true);
      for (const row of result.rows) {
        expect(row.identical, row.workload).toBe('yes');
        expect([0, '–'], row.workload).toContain(row.lost);
        expect(row.p50, row.workload).toBeGreaterThan(0);
        expect(row.p95!, row.workload).toBeGreaterThanOrEqual(row.p50!);
      }
      const convene = result.rows.filter((r) => r.server === 'convene' && r.serverMetrics);
      for (const row of convene) expect(row.serverMetrics!.peakRssMb, row.workload).toBeGreaterThan(0);
      expect(Object.keys(result.knees).sort()).toEqual(['baseline', 'convene']);
      expect(result.ratios.some((r) => r.startsWith('d. comment fan-out: convene / bare socket.io'))).toBe(true);
      expect(result.targets.length).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
