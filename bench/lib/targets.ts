/**
 * The project's targets, checked against this run's rows. Sizes come from
 * the flags; the targets were set for the defaults.
 */
import type { Row } from './report.ts';

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | undefined;
}

const f = (v: number | undefined, unit = 'ms') => (v === undefined || Number.isNaN(v) ? '?' : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${unit}`);

export function checkTargets(rows: Row[], kneeRatio: number | undefined, kneeLowerBound = false): TargetCheck[] {
  const find = (prefix: string, server = 'convene') => rows.find((r) => r.workload.startsWith(prefix) && r.server === server && r.p50 !== undefined);
  const num = (r: Row | undefined, key: string) => (r?.detail?.[key] as number | undefined) ?? NaN;
  const out: TargetCheck[] = [];
  const add = (target: string, measured: string, met: boolean | undefined) => out.push({ target, measured, met });

  const a = rows.find((r) => r.workload.startsWith('a. trace @'));
  if (a) add('a: ≥ 15,000 updates/s with p99 ≤ 10 ms', `${f(num(a, 'perSec'), 'upd/s')}, p99 ${f(a.p99)}`, num(a, 'perSec') >= 15_000 && a.p99! <= 10);
  const b = find('b. plenary');
  if (b) add('b: p95 ≤ 100 ms, p99 ≤ 250 ms, nothing lost', `p95 ${f(b.p95)}, p99 ${f(b.p99)}, lost ${b.lost}`, b.p95! <= 100 && b.p99! <= 250 && b.lost === 0);
  const c = find('c. rooms');
  if (c) add('c: p95 ≤ 50 ms', `p95 ${f(c.p95)}`, c.p95! <= 50);
  const d = find('d. comment');
  const dBare = find('d. comment', 'bare socket.io');
  if (d) add('d: p95 ≤ 100 ms and ≤ 1.5× bare Socket.IO', `p95 ${f(d.p95)}, ${dBare ? `${(d.p95! / dBare.p95!).toFixed(2)}× bare (${f(dBare.p95)})` : 'no bare run'}`, d.p95! <= 100 && (!dBare || d.p95! <= 1.5 * dBare.p95!));
  const paper = find('e. cold load paper');
  if (paper) add('e: paper cold load ≤ 60 ms', `p50 ${f(paper.p50)}, max ${f(num(paper, 'max'))}`, paper.p50! <= 60);
  const big = rows.find((r) => r.workload.startsWith('e. cold load') && r !== paper && r.p50 !== undefined);
  if (big) add(`e: ${big.workload.slice(13)} cold load ≤ 2.5 s`, `p50 ${f(big.p50)}`, big.p50! <= 2500);
  const rooms = find('e. small rooms');
  if (rooms) add('e: other rooms p99 ≤ 50 ms during the loads', `p99 ${f(num(rooms, 'duringP99'))} while a load ran`, num(rooms, 'duringP99') <= 50);
  if (kneeRatio !== undefined) {
    const bound = kneeLowerBound ? ' or more (Convene passed every size tried; add larger --knee sizes)' : '';
    add('f: knee ≥ 3× the bare relay’s', `${kneeRatio.toFixed(2)}×${bound}`, kneeRatio >= 3 ? true : kneeLowerBound ? undefined : false);
  }
  const page = rows.find((r) => r.workload.startsWith('g. page load') && !r.workload.endsWith('uncompressed') && r.p50 !== undefined);
  if (page) add('g: page on the wire ≤ its bodies gzipped on the fly', `${f(num(page, 'transferred') / 1024, 'KB')} against ${f(num(page, 'gzipped') / 1024, 'KB')}; usable after ${f(page.p50)}`, num(page, 'transferred') <= num(page, 'gzipped'));
  // l: set for slow 3G (400 kbit/s, 400 ms): judged only on that network.
  const slow3g = (r: Row) => r.workload.endsWith(', slow 3G');
  const lRead = rows.find((r) => r.workload.startsWith('l. first visit: text readable') && r.p50 !== undefined);
  const lUse = rows.find((r) => r.workload.startsWith('l. first visit: editor usable') && r.p50 !== undefined);
  const lBack = rows.find((r) => r.workload.startsWith('l. revisit: text readable') && r.p50 !== undefined);
  if (lRead) add('l: first visit, text readable ≤ 5 s (slow 3G, cold cache; slowest visit)', `${f(num(lRead, 'max'))} (median ${f(lRead.p50)}); first view ${f(num(lRead, 'firstViewJsEnglish') / 1024, 'KB')} of gzipped JS`, slow3g(lRead) ? num(lRead, 'max') <= 5000 : undefined);
  if (lUse) add('l: first visit, editor usable ≤ 8 s (slow 3G, cold cache; slowest visit)', `${f(num(lUse, 'max'))} (median ${f(lUse.p50)})`, slow3g(lUse) ? num(lUse, 'max') <= 8000 : undefined);
  if (lBack) add('l: revisit, text readable ≤ 2 s (slow 3G; slowest visit)', `${f(num(lBack, 'max'))} (median ${f(lBack.p50)})`, slow3g(lBack) ? num(lBack, 'max') <= 2000 : undefined);
  const h = find('h. recommendations import');
  if (h) add(`h: ${num(h, 'rows').toLocaleString('en')} recommendations imported in ≤ 10 s`, `${f(h.p50)} (preview ${f(num(h, 'previewMs'))})`, num(h, 'rows') >= 50_000 ? h.p50! <= 10_000 : undefined);
  const k = find('k. diff');
  if (k) add('k: diff of the paper, half its history against its end, ≤ 1 s', `slowest ${f(k.p99)} (first run ${f(num(k, 'coldMs'))}), median ${f(k.p50)}`, k.p99! <= 1000);
  // Set for a document with 100 versions: judged only at that size or more.
  for (const v of rows.filter((r) => r.workload.startsWith('v. ') && r.server === 'convene' && r.p50 !== undefined)) {
    const versions = num(v, 'versions');
    add(`v: ${v.workload.slice(3)}, ${versions} versions, ≤ 200 ms`, `p95 ${f(v.p95)}`, versions >= 100 ? v.p95! <= 200 : undefined);
  }
  const jRender = find('j. plan table render');
  const jFilter = find('j. plan table filter');
  if (jRender && jFilter) {
    const atSize = num(jRender, 'actions') >= 300 && num(jRender, 'recommendations') >= 2000;
    add(
      `j: table of ${num(jRender, 'actions')} actions × ${num(jRender, 'recommendations')} recommendations: render ≤ 300 ms, filter ≤ 50 ms (medians; p95 shown)`,
      `render ${f(jRender.p50)} (p95 ${f(jRender.p95)}), filter ${f(jFilter.p50)} (p95 ${f(jFilter.p95)})`,
      atSize ? jRender.p50! <= 300 && jFilter.p50! <= 50 : undefined,
    );
  }
  const rss = Math.max(...rows.filter((r) => r.server === 'convene' && r.serverMetrics).map((r) => r.serverMetrics!.peakRssMb));
  if (Number.isFinite(rss)) add('RSS ≤ 1 GB (Convene, every workload)', `max ${f(rss, 'MB')}`, rss <= 1024);
  return out;
}
