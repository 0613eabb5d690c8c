/**
 * `npx tsx bench/tools/plan-export.ts [actions]`: how long the plan's exports
 * take for a large plan (default 300 actions, 300 recommendations, 200
 * comment threads) and how long each holds up the event loop at most, the
 * figure that matters for everyone else on the server. Runs in-process: the
 * read of the Yjs document (readPlan, positions, coverage) and each writer.
 */
import { PassThrough, type Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { fragmentName } from '../../shared/collab.ts';
import { readPlan } from '../../shared/plan-read.ts';
import { computeCoverage, positionsByAction, emptyCounts } from '../../shared/coverage.ts';
import { encodeRange } from '../../shared/anchors.ts';
import type { Recommendation } from '../../shared/recommendations.ts';
import { labelsFor } from '../../server/plan/labels.ts';
import type { PlanExport } from '../../server/plan/cells.ts';
import { planCsv } from '../../server/plan/export.csv.ts';
import { planXlsx } from '../../server/plan/export.xlsx.ts';
import { planDocx } from '../../server/plan/export.docx.ts';
import { ExportThread } from '../../server/plan/export-thread.ts';
import { writePlan, type GoalSpec } from '../../test/helpers/plan.ts';

const actions = Number(process.argv[2] ?? 300);
const words = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ['rights', 'justice', 'access', 'training', 'report', 'county'][(i + seed) % 6]).join(' ');

const register: Recommendation[] = Array.from({ length: 300 }, (_, i) => ({
  id: `R-${i}`, consultationId: '00000000-0000-4000-8000-000000000000', symbol: `A/HRC/52/${i}`, body: ['UPR', 'CEDAW', 'CAT'][i % 3]!, type: '',
  countries: ['Kenya'], themes: [`Theme ${i % 12}`], affectedPersons: [`Group ${i % 7}`], sdgs: ['16'], text: words(60, i), session: '4th cycle',
  recommendingStates: [], position: i % 2 ? 'supported' : 'noted', source: 'import', createdAt: '2027-01-01T00:00:00.000Z', updatedAt: '2027-01-01T00:00:00.000Z',
}));

const perObjective = 10;
const goals: GoalSpec[] = Array.from({ length: Math.ceil(actions / (perObjective * 3)) }, (_, g) => ({
  id: `g${g}`, title: `Goal ${g + 1} ${words(6, g)}`, description: words(40, g),
  objectives: Array.from({ length: 3 }, (_, o) => ({
    id: `g${g}o${o}`, title: `Objective ${words(6, o)}`, description: words(30, o),
    actions: Array.from({ length: perObjective }, (_, a) => {
      const n = (g * 3 + o) * perObjective + a;
      return {
        id: `a${n}`, title: `=Action ${n} ${words(8, n)}`, description: `${words(80, n)}\n${words(40, n + 1)}`,
        attrs: {
          lead: 'Ministry of Justice', partners: ['NHRC', 'Bar association', 'Judiciary'], start: '2027-Q1', end: '2028-Q4',
          indicators: [{ name: 'Cases heard', baseline: '30', target: '90', unit: 'days', verification: 'Court records' }, { name: 'People trained', baseline: '0', target: '500', unit: '', verification: '' }],
          budget: { amount: 100000 + n, currency: 'KES', source: 'donor' }, status: 'planned',
          recommendations: [`R-${n % 300}`, `R-${(n * 7) % 300}`], sdgTargets: ['16.3', '5.2'],
        },
      };
    }),
  })),
})).map((g) => ({ ...g, objectives: g.objectives.map((o) => ({ ...o, actions: o.actions.filter((a) => Number(a.id.slice(1)) < actions) })) }));

/** Runs `work` while a 1 ms timer watches for the longest stretch the event loop could not run it. */
async function measure<T>(name: string, work: () => Promise<T>): Promise<T> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  const result = await work();
  const total = performance.now() - started;
  clearInterval(timer);
  longest = Math.max(longest, performance.now() - last);
  console.log(`${name.padEnd(28)} total ${total.toFixed(0).padStart(5)} ms   longest block ${longest.toFixed(0).padStart(4)} ms`);
  return result;
}

const drain = async (s: Readable) => {
  let bytes = 0;
  for await (const chunk of s.pipe(new PassThrough())) bytes += (chunk as Buffer).length;
  return bytes;
};

const doc = new Y.Doc();
writePlan(doc.getXmlFragment(fragmentName), goals);
const t = labelsFor('fr');
const x = await measure(`read ${actions} actions + coverage`, async () => {
  const plan = readPlan(doc.getXmlFragment(fragmentName));
  // Threads anchored in the first words of 200 actions' descriptions.
  const threads = plan.actions.slice(0, 200).map((a, i) => {
    const goal = doc.getXmlFragment(fragmentName).get(Math.floor(i / 30)) as Y.XmlElement;
    const objective = goal.get(2 + (Math.floor(i / 10) % 3)) as Y.XmlElement;
    const text = ((objective.get(2 + (i % 10)) as Y.XmlElement).get(1) as Y.XmlElement).get(0) as Y.XmlText;
    const counts = emptyCounts();
    counts.civil_society.support = 1;
    return { anchor: encodeRange(text, 0, 5), counts, actionId: a.id };
  });
  return { title: 'Plan', locale: 'fr', t, plan, register, coverage: computeCoverage(plan, register, positionsByAction(threads, doc)) } satisfies PlanExport;
});
await measure('read again', async () => computeCoverage(readPlan(doc.getXmlFragment(fragmentName)), register));
const { planRows } = await import('../../server/plan/cells.ts');
await measure('csv rows only', async () => [...planRows(x)].length);
await measure('csv rows only again', async () => [...planRows(x)].length);
const { t: _t, ...data } = x;
const thread = new ExportThread();
const csv = await measure('csv (streamed, event loop)', () => drain(planCsv(x)));
const xlsx = await measure('xlsx (worker thread)', () => thread.render('xlsx', data).then((b) => b.length));
const docx = await measure('docx (worker thread)', () => thread.render('docx', data).then((b) => b.length));
console.log(`sizes: csv ${(csv / 1024).toFixed(0)} KiB, xlsx ${(xlsx / 1024).toFixed(0)} KiB, docx ${(docx / 1024).toFixed(0)} KiB; ${x.plan.actions.length} actions, ${x.coverage.positions.filter((p) => p.threads > 0).length} with positions`);
for (let i = 0; i < 2; i++) {
  await measure('csv again', () => drain(planCsv(x)));
  await measure('xlsx again (worker)', () => thread.render('xlsx', data).then((b) => b.length));
  await measure('docx again (worker)', () => thread.render('docx', data).then((b) => b.length));
}
// For comparison: the same layouts on the event loop, as they would run without the thread.
await measure('xlsx on the event loop', () => drain(planXlsx(x)));
await measure('docx on the event loop', async () => (await planDocx(x)).length);
await thread.close();
