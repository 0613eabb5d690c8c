/**
 * Summarizes a V8 .cpuprofile (from `npm run bench -- --profile`): self time
 * by function and by package/file, so that "where does the server spend its
 * time under load" has an answer. Usage: tsx bench/tools/profile-summary.ts <file> [top]
 */
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

// Self time per node from the sample stream (more exact than hitCount × interval).
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
// Percentages are of busy time: idle samples are where the event loop waited for I/O.
const isIdle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';
const idle = [...self].filter(([id]) => isIdle(id)).reduce((a, [, us]) => a + us, 0);
for (const id of [...self.keys()]) if (isIdle(id)) self.delete(id);
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (url: string): string => {
  if (!url) return '(native/V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 13).split('/').slice(0, url.slice(nm + 13).startsWith('@') ? 2 : 1).join('/');
  if (url.startsWith('node:')) return url;
  const m = /\/(server|shared|bench)\/(.*)$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : url;
};

const add = (map: Map<string, number>, key: string, v: number) => map.set(key, (map.get(key) ?? 0) + v);
const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  add(byFunction, `${functionName || '(anonymous)'}  ${where(url)}${url ? `:${lineNumber + 1}` : ''}`, us);
  add(byPlace, where(url), us);
}

const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle`);
print('self time by package / file', byPlace);
print('self time by function', byFunction);

// The longest stretch without an idle sample is the worst event-loop block; what ran in it (inclusive time)?
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
let longest = { us: 0, from: 0, to: 0 };
for (let i = 0, run = 0, from = 0; i < profile.samples.length; i++) {
  if (isIdle(profile.samples[i]!)) { run = 0; continue; }
  if (run === 0) from = i;
  run += profile.timeDeltas[i] ?? 0;
  if (run > longest.us) longest = { us: run, from, to: i };
}
const inclusive = new Map<string, number>();
for (let i = longest.from; i <= longest.to; i++) {
  const seen = new Set<string>();
  for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const key = `${functionName || '(anonymous)'}  ${where(url)}${url ? `:${lineNumber + 1}` : ''}`;
    if (!seen.has(key)) (seen.add(key), add(inclusive, key, profile.timeDeltas[i] ?? 0));
  }
}
inclusive.delete('(root)  (native/V8)');
console.log(`\nlongest busy stretch: ${(longest.us / 1000).toFixed(0)} ms; inclusive time in it:`);
for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
