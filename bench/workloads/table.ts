/**
 * i: the plan as a table at national size. A document holding a plan of
 * `actions` actions (written as one update through a y-websocket client, as
 * the editor stores the blocks) each linked to a run of `recommendations`
 * recommendations imported from a UHRI-shaped CSV, opened in Chromium
 * (playwright-core, no network throttling: this measures the page, not the
 * network) as the consultation's facilitator, who may edit (so each row has
 * its Edit button).
 *
 * - load: navigation start → the table shows its first screen of rows, the
 *   first with its linked recommendations' symbols (the register has arrived
 *   too), and counts all the plan's actions, polled every frame; a fresh
 *   browser context (cold cache) each time. The table draws only the rows
 *   near the scroll position, so this is its first screen, not 300 rows.
 * - render (the target): from when the document and the register had both
 *   arrived (the page's marks) to that same frame: the table's own work,
 *   reading the plan and drawing, styling and laying out its rows.
 * - scroll: the scroll position set to the end, the middle, the start → the
 *   row at that place is drawn, polled every frame.
 * - filter: a filter menu's value set and its change event dispatched → the
 *   table's DOM updated (Svelte applies changes in a microtask), measured in
 *   the page with performance.now(); the notes add the browser's style and
 *   layout of the result (forced at once). A cycle of status, lead and back
 *   to all, repeated.
 */
import { cookieProvider } from '../lib/cookie-provider.ts';
import type { Browser } from 'playwright-core';
import { startServer } from '../lib/server-proc.ts';
import { ConveneApi } from '../lib/convene-api.ts';
import { summarize } from '../lib/stats.ts';
import { withUnit, type Row } from '../lib/report.ts';
import { launchBenchBrowser } from '../lib/browser.ts';
import { fragmentName, yjsPath } from '../../shared/collab.ts';
import { planSchemaVersion, schemaParam } from '../../shared/plan.ts';
import { writeBenchPlan, type BenchAction } from '../gen/plan.ts';
import { recommendationsCsv } from './recommendations.ts';

export interface TableOptions {
  actions: number;
  recommendations: number;
  /** Page loads measured (each in a fresh context). */
  loads: number;
  /** Rounds of the filter cycle on each load. */
  filterRounds: number;
  log: (line: string) => void;
}


/** Goals × objectives × actions for about `n` actions: 6 actions an objective, 5 objectives a goal. */
function shape(n: number) {
  const actionsPerObjective = Math.min(6, n);
  const objectives = Math.ceil(n / actionsPerObjective);
  const objectivesPerGoal = Math.min(5, objectives);
  return { goals: Math.ceil(objectives / objectivesPerGoal), objectivesPerGoal, actionsPerObjective };
}

async function seedPlan(wsBase: string, docId: string, cookie: string, ids: string[], n: number): Promise<{ actions: BenchAction[]; destroy: () => void }> {
  const { doc, provider, synced } = cookieProvider(`${wsBase}${yjsPath}`, docId, cookie, { [schemaParam]: String(planSchemaVersion) });
  await synced;
  const actions = writeBenchPlan(doc.getXmlFragment(fragmentName), { ...shape(n), recommendationIds: ids }).slice(0, n);
  return { actions, destroy: () => (provider.destroy(), doc.destroy()) };
}

/** The filter changes of one round, and how many rows each should leave. */
function filterCycle(actions: BenchAction[]): { filter: string; value: string; expect: number }[] {
  const count = (f: (a: BenchAction) => boolean) => actions.filter(f).length;
  const lead = actions[0]!.lead;
  return [
    { filter: 'status', value: 'delayed', expect: count((a) => a.status === 'delayed') },
    { filter: 'status', value: '', expect: actions.length },
    { filter: 'lead', value: lead, expect: count((a) => a.lead === lead) },
    { filter: 'lead', value: '', expect: actions.length },
  ];
}

interface Load {
  /** Navigation start → first screen of rows. */
  renderMs: number;
  /** When both the document and the register had arrived (navigation start = 0). */
  dataMs: number;
  filterMs: number[];
  laidOutMs: number[];
  scrollMs: number[];
  sortMs: number[];
  correct: boolean;
}

async function loadOnce(browser: Browser, url: string, cookie: string, actions: BenchAction[], rounds: number, firstSymbol: string): Promise<Load> {
  const ids = actions.map((a) => a.id);
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  try {
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url }]);
    await context.addInitScript(() => localStorage.setItem('convene.locale', 'en'));
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
    // performance.now() counts from navigation start; polled every frame.
    const handle = await page.waitForFunction(
      ({ n, symbol }) => {
        if (document.querySelector('[data-testid="table-count"]')?.getAttribute('data-total') !== String(n)) return false;
        const rows = document.querySelectorAll('[data-testid="plan-table"] tr[data-action]');
        if (rows.length < Math.min(n, 10)) return false;
        const first = rows[0]?.querySelector('[data-col="recommendations"]')?.textContent ?? '';
        if (!first.includes(symbol)) return false;
        // rAF callbacks run before the frame's style and layout: force them, so the time includes laying the rows out.
        void document.body.offsetHeight;
        return performance.now();
      },
      { n: actions.length, symbol: firstSymbol },
      { polling: 'raf', timeout: 180_000 },
    );
    const renderMs = (await handle.jsonValue()) as number;
    const cycle = filterCycle(actions);
    // When the document and the register had arrived (the page's marks), to tell the table's own work from the wait.
    const marks = await page.evaluate(() => ({
      synced: performance.getEntriesByName('plan-table:synced')[0]?.startTime ?? NaN,
      register: performance.getEntriesByName('plan-table:register')[0]?.startTime ?? NaN,
    }));
    const measured = await page.evaluate(
      async ({ cycle, rounds, ids }) => {
        // No named helper functions here: tsx would wrap them in a __name() the page does not have.
        const times: number[] = [];
        const laidOut: number[] = [];
        let correct = true;
        for (let round = 0; round < rounds; round++) {
          for (const step of cycle) {
            const select = document.querySelector<HTMLSelectElement>(`[data-filter="${step.filter}"]`)!;
            // Start between frames, as a person's choice would.
            await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
            const from = performance.now();
            select.value = step.value;
            select.dispatchEvent(new Event('change', { bubbles: true }));
            // Svelte applies the change in a microtask queued by the handler, before this one.
            await Promise.resolve();
            times.push(performance.now() - from);
            // And the browser's style and layout of the result, forced now (it would happen before the next paint).
            void document.body.offsetHeight;
            laidOut.push(performance.now() - from);
            // The count says how many rows the filter kept; every row drawn must be one of them.
            if (document.querySelector('[data-testid="table-count"]')?.getAttribute('data-shown') !== String(step.expect)) correct = false;
            const drawn = [...document.querySelectorAll<HTMLElement>('[data-testid="plan-table"] tr[data-action]')];
            if (drawn.length === 0 || (step.filter === 'status' && step.value && drawn.some((r) => r.dataset.status !== step.value))) correct = false;
          }
        }
        // Sorting: every row the filters keep re-ordered (by title, then back to plan order), until laid out.
        const sorts: number[] = [];
        for (let round = 0; round < rounds; round++) {
          // Title, plan order, plan order reversed, plan order.
          for (const [step, key] of (['title', 'number', 'number', 'number'] as const).entries()) {
            await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
            const button = document.querySelector<HTMLButtonElement>(`[data-sort="${key}"]`)!;
            const from = performance.now();
            button.click();
            await Promise.resolve();
            void document.body.offsetHeight;
            sorts.push(performance.now() - from);
            const first = document.querySelector('[data-testid="plan-table"] tr[data-action]')?.getAttribute('data-action');
            if ((step === 2 && first !== ids[ids.length - 1]) || (step === 3 && first !== ids[0])) correct = false;
          }
        }
        // Jumps: end, middle, start; each until the action at that place is drawn (and the one before it is not stale).
        const scroller = document.querySelector<HTMLElement>('[data-testid="plan-table"]')!.closest<HTMLElement>('.scroll')!;
        const scrolls: number[] = [];
        for (let round = 0; round < rounds; round++) {
          for (const [fraction, id] of [[1, ids[ids.length - 1]], [0.5, null], [0, ids[0]]] as const) {
            await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
            const from = performance.now();
            scroller.scrollTop = fraction * (scroller.scrollHeight - scroller.clientHeight);
            for (;;) {
              await new Promise<void>((r) => requestAnimationFrame(() => r()));
              const top = scroller.getBoundingClientRect().top;
              const rows = [...scroller.querySelectorAll<HTMLElement>('tr[data-action]')];
              const inView = rows.filter((r) => { const b = r.getBoundingClientRect(); return b.bottom > top + 80 && b.top < top + scroller.clientHeight; });
              if (inView.length > 0 && (id === null || rows.some((r) => r.dataset.action === id))) break;
              if (performance.now() - from > 10_000) { correct = false; break; }
            }
            scrolls.push(performance.now() - from);
          }
        }
        scroller.scrollTop = 0;
        return { times, laidOut, scrolls, sorts, correct };
      },
      { cycle, rounds, ids },
    );
    return { renderMs, dataMs: Math.max(marks.synced, marks.register), filterMs: measured.times, laidOutMs: measured.laidOut, scrollMs: measured.scrolls, sortMs: measured.sorts, correct: measured.correct };
  } finally {
    await context.close().catch(() => undefined);
  }
}

export async function planTable(o: TableOptions): Promise<Row[]> {
  const browser = await launchBenchBrowser(o.log, 'j');
  const server = await startServer('convene', { name: 'server-convene-table' });
  let seeded: { actions: BenchAction[]; destroy: () => void } | undefined;
  try {
    const api = new ConveneApi(server.httpUrl);
    await api.signIn();
    const consultation = await api.consultation();
    const docId = await api.document(consultation, 'National Action Plan 2027–2031');
    const csv = recommendationsCsv(o.recommendations);
    const res = await fetch(`${server.httpUrl}/api/consultations/${consultation}/recommendations/import`, { method: 'POST', headers: { cookie: api.cookie, 'content-type': 'text/csv' }, body: csv });
    if (res.status !== 200) throw new Error(`import: ${res.status} ${(await res.text()).slice(0, 300)}`);
    const ids = Array.from({ length: o.recommendations }, (_, i) => `UHRI-${String(i).padStart(7, '0')}`);
    seeded = await seedPlan(server.httpUrl.replace(/^http/, 'ws'), docId, api.cookie, ids, o.actions);
    // The first action's first link, as the register's CSV names it (see recommendationsCsv).
    const firstSymbol = 'A/HRC/40/0';
    const url = `${server.httpUrl}/#/d/${docId}/table`;
    o.log(`i: plan of ${seeded.actions.length} actions linked to ${o.recommendations} recommendations; ${o.loads} cold loads of the table, ${o.filterRounds} filter rounds each`);

    // One unmeasured load: the server's code and Chromium's warm up, and the plan is known to be there.
    await loadOnce(browser, url, api.cookie, seeded.actions, 1, firstSymbol);
    await server.measureStart();
    const loads: Load[] = [];
    for (let i = 0; i < o.loads; i++) loads.push(await loadOnce(browser, url, api.cookie, seeded.actions, o.filterRounds, firstSymbol));
    const serverMetrics = await server.measureStop();

    const size = `${seeded.actions.length}×${o.recommendations}`;
    const correct = loads.every((l) => l.correct);
    const load = summarize(loads.map((l) => l.renderMs));
    const own = summarize(loads.map((l) => l.renderMs - l.dataMs));
    const data = summarize(loads.map((l) => l.dataMs));
    const filters = summarize(loads.flatMap((l) => l.filterMs));
    const laidOut = summarize(loads.flatMap((l) => l.laidOutMs));
    const scrolls = summarize(loads.flatMap((l) => l.scrollMs));
    const sorts = summarize(loads.flatMap((l) => l.sortMs));
    o.log(
      `j: render median ${withUnit(own.p50)} p95 ${withUnit(own.p95)} after the data (there ${withUnit(data.p50)} after navigation; first screen ${withUnit(load.p50)}); ` +
        `filter median ${withUnit(filters.p50)} p95 ${withUnit(filters.p95)} (laid out: ${withUnit(laidOut.p50)}, p95 ${withUnit(laidOut.p95)}); scroll jump median ${withUnit(scrolls.p50)} p95 ${withUnit(scrolls.p95)}; sort median ${withUnit(sorts.p50)} p95 ${withUnit(sorts.p95)}`,
    );
    const common = { server: 'convene', serverMetrics, lost: 0, identical: correct ? 'yes' : 'no' };
    const sizes = { actions: seeded.actions.length, recommendations: o.recommendations };
    return [
      {
        workload: `j. plan table render ${size}`,
        ...common,
        p50: own.p50,
        p95: own.p95,
        p99: own.p99,
        notes:
          `${loads.length} cold loads: from the document and the register both there (the page's marks) to the first screen of rows drawn and laid out (forced), ` +
          `the first with its recommendations' symbols; identical: every filter left the expected rows and every jump drew the rows it reached; server figures are for all rows`,
        detail: { ...sizes, loads: loads.map((l) => l.renderMs - l.dataMs), max: own.max },
      },
      {
        workload: `j. plan table cold load ${size}`,
        ...common,
        p50: load.p50,
        p95: load.p95,
        p99: load.p99,
        notes: `navigation start (fresh context, no throttling) → the same frame; document and register there after ${withUnit(data.p50)} (median, p95 ${withUnit(data.p95)})`,
        detail: { ...sizes, loads: loads.map((l) => l.renderMs), dataP50: data.p50, dataP95: data.p95, max: load.max },
      },
      {
        workload: `j. plan table filter ${size}`,
        ...common,
        p50: filters.p50,
        p95: filters.p95,
        p99: filters.p99,
        notes: `${filters.count} filter changes (status, lead, back to all): change event → DOM updated, measured in the page; with the browser's style and layout: median ${withUnit(laidOut.p50)}, p95 ${withUnit(laidOut.p95)}`,
        detail: { ...sizes, max: filters.max, laidOutP50: laidOut.p50, laidOutP95: laidOut.p95 },
      },
      {
        workload: `j. plan table sort ${size}`,
        ...common,
        p50: sorts.p50,
        p95: sorts.p95,
        p99: sorts.p99,
        notes: `${sorts.count} sorts (by title, plan order, reversed, plan order): a header's button clicked → every row re-ordered, the DOM updated and laid out (forced), measured in the page`,
        detail: { ...sizes, max: sorts.max },
      },
      {
        workload: `j. plan table scroll ${size}`,
        ...common,
        p50: scrolls.p50,
        p95: scrolls.p95,
        p99: scrolls.p99,
        notes: `${scrolls.count} jumps (to the end, the middle, the start): scroll position set → the rows at that place drawn, polled every frame`,
        detail: { ...sizes, max: scrolls.max },
      },
    ];
  } finally {
    seeded?.destroy();
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}
