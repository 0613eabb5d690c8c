/**
 * l: the first visit's budget (issue #16). The document page opened by a
 * newcomer on Chrome DevTools' slow-3G profile (400 ms latency, 400 kbit/s
 * each way, through CDP), signed in as the document's facilitator. Each load
 * in a fresh browser context (cold cache) is timed from navigation start
 * until
 *   - the text is readable: the document's last paragraph is shown, by the
 *     read-only reader or by the editor, whichever comes first;
 *   - the editor is usable: the ProseMirror editor is shown, editable, and
 *     holds that paragraph.
 * Then the same context opens the page again (from about:blank, as a person
 * coming back would: its cache is warm, the HTML revalidated) and the text
 * is timed once more: the revisit.
 * The targets (readable ≤ 5 s, usable ≤ 8 s, revisit ≤ 2 s) are printed by the
 * summary (bench/lib/targets.ts), never asserted in a test.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { startServer } from '../lib/server-proc.ts';
import { summarize } from '../lib/stats.ts';
import type { Row } from '../lib/report.ts';
import { launchBenchBrowser } from '../lib/browser.ts';
import { seededDocument } from './pageload.ts';
import { clientDist } from '../../server/http/client.ts';
import { firstView } from '../../test/helpers/bundle-budget.ts';

export interface FirstVisitOptions {
  loads: number;
  /** Download and upload, kbit/s (slow 3G: 400). */
  kbps: number;
  latencyMs: number;
  paragraphs: number;
  log: (line: string) => void;
}

interface Visit {
  readableMs: number;
  usableMs: number;
  revisitMs: number;
}

/**
 * performance.now() (from navigation start) when `check` first holds, polled every frame. The check is sent to the
 * page as its source text, so it may use nothing outside itself.
 */
async function timeUntil(page: Page, check: (last: string) => number | false, last: string): Promise<number> {
  const handle = await page.waitForFunction(check, last, { polling: 'raf', timeout: 180_000 });
  return (await handle.jsonValue()) as number;
}

/** The text is readable: the reader or the shown editor holds the last paragraph. */
const readable = (last: string): number | false => {
  const reader = document.querySelector('[data-testid="reader"]');
  const editor = document.querySelector<HTMLElement>('[data-testid="editor"] .ProseMirror');
  const shown = !!reader?.textContent?.includes(last) || (!!editor && editor.offsetParent !== null && !!editor.textContent?.includes(last));
  return shown ? performance.now() : false;
};

/** The editor is usable: shown, editable, holding the last paragraph. */
const usable = (last: string): number | false => {
  const editor = document.querySelector<HTMLElement>('[data-testid="editor"] .ProseMirror[contenteditable="true"]');
  return editor && editor.offsetParent !== null && editor.textContent?.includes(last) ? performance.now() : false;
};

async function throttle(cdp: CDPSession, o: FirstVisitOptions): Promise<void> {
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  const bytesPerSec = (o.kbps * 1000) / 8;
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: o.latencyMs, downloadThroughput: bytesPerSec, uploadThroughput: bytesPerSec });
}

async function visit(browser: Browser, url: string, cookie: string, last: string, o: FirstVisitOptions): Promise<Visit> {
  const context = await browser.newContext();
  try {
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url }]);
    await context.addInitScript(() => localStorage.setItem('convene.locale', 'en'));
    const page = await context.newPage();
    await throttle(await context.newCDPSession(page), o);
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
    const readableMs = await timeUntil(page, readable, last);
    const usableMs = await timeUntil(page, usable, last);
    // Back later, in the same browser: a new navigation, its cache warm.
    await page.goto('about:blank');
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
    const revisitMs = await timeUntil(page, readable, last);
    await timeUntil(page, usable, last); // let it finish before the context closes
    return { readableMs, usableMs, revisitMs };
  } finally {
    await context.close().catch(() => undefined);
  }
}

export async function firstVisit(o: FirstVisitOptions): Promise<Row[]> {
  const browser = await launchBenchBrowser(o.log, 'l');
  const server = await startServer('convene', { name: 'server-convene-firstvisit' });
  let seeded: { last: string; destroy: () => void } | undefined;
  try {
    const { api, url, ...rest } = await seededDocument(server.httpUrl, o.paragraphs);
    seeded = rest.seeded;
    // One unmeasured visit without throttling: the server's code and Chromium's warm up.
    await visit(browser, url, api.cookie, seeded.last, { ...o, kbps: 1_000_000, latencyMs: 0 });
    o.log(`l: ${o.loads} first visits and revisits at ${o.kbps} kbit/s, ${o.latencyMs} ms latency`);
    const visits: Visit[] = [];
    await server.measureStart();
    for (let i = 0; i < o.loads; i++) visits.push(await visit(browser, url, api.cookie, seeded.last, o));
    const serverMetrics = await server.measureStop();

    const view = firstView(clientDist, 'src/pages/DocumentPage.svelte');
    const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
    const english = view.total - (view.catalogue?.gzip ?? 0);
    const net = o.kbps === 400 && o.latencyMs === 400 ? 'slow 3G' : `${o.kbps} kbit/s`;
    const profile = `${o.kbps} kbit/s, ${o.latencyMs} ms`;
    const row = (label: string, key: keyof Visit, note: string): Row => {
      const s = summarize(visits.map((v) => v[key]));
      return {
        workload: `l. ${label}, ${net}`,
        server: 'convene',
        p50: s.p50,
        p95: s.p95,
        p99: s.p99,
        throughput: '–',
        serverMetrics,
        lost: '–',
        identical: 'yes',
        notes: `${visits.length} visits (${profile}), ${o.paragraphs} paragraphs; ${note}`,
        detail: { visits, max: s.max, firstViewJs: view.total, firstViewJsEnglish: english },
      };
    };
    const budget = `first view ${kb(english)} of gzipped JavaScript in English, ${kb(view.total)} with the largest catalogue`;
    return [
      row('first visit: text readable', 'readableMs', `cold cache, until the last paragraph shows; ${budget}`),
      row('first visit: editor usable', 'usableMs', 'cold cache, until the editor is shown, editable and holds the text'),
      row('revisit: text readable', 'revisitMs', 'the same browser again, cache warm, the HTML revalidated'),
    ];
  } finally {
    seeded?.destroy();
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}
