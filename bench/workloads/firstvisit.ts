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
import { resultsDir } from '../lib/ipc.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
  /** The first visit's requests: how many, the bytes on the wire, and the URLs fetched from the network more than once. */
  requests: number;
  wireBytes: number;
  refetched: string[];
}

/** One request of the first visit, as the network log (bench/results/logs/l-network-<n>.json) keeps it. */
interface Fetched {
  url: string;
  priority: string;
  type: string;
  /** ms from navigation start; the end is when the last byte arrived. */
  start: number;
  sent?: number;
  firstByte?: number;
  end?: number;
  bytes?: number;
  /** Served from Chromium's cache (a prefetch's copy included), not from the network. */
  cached?: boolean;
}

/**
 * Records the page's requests through the CDP session: which were fetched, when, and whether a later one was
 * answered from the cache (a prefetch reused) or downloaded again.
 */
function networkLog(cdp: CDPSession): { requests: Map<string, Fetched>; since: (t0: number) => Fetched[] } {
  const requests = new Map<string, Fetched>();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.request.url.startsWith('data:')) return;
    requests.set(e.requestId, { url: e.request.url, priority: e.request.initialPriority, type: e.type ?? '', start: e.timestamp * 1000 });
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.cached = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r && (e.response.fromDiskCache || e.response.fromPrefetchCache)) r.cached = true;
    // When the request went out (it may wait for a connection) and when its first byte came back.
    const t = e.response.timing;
    if (r && t) Object.assign(r, { sent: t.requestTime * 1000 + t.sendStart, firstByte: t.requestTime * 1000 + t.receiveHeadersEnd });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { end: e.timestamp * 1000, bytes: e.encodedDataLength });
  });
  // WebSockets: when the handshake was sent and answered, and how many frames came in (the sync, awareness).
  cdp.on('Network.webSocketWillSendHandshakeRequest', (e) => {
    requests.set(e.requestId, { url: requests.get(e.requestId)?.url ?? '', priority: '', type: 'WebSocket', start: e.timestamp * 1000, bytes: 0 });
  });
  cdp.on('Network.webSocketCreated', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.url = e.url;
    else requests.set(e.requestId, { url: e.url, priority: '', type: 'WebSocket', start: Infinity, bytes: 0 });
  });
  cdp.on('Network.webSocketHandshakeResponseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.end = e.timestamp * 1000;
  });
  cdp.on('Network.webSocketFrameReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.bytes = (r.bytes ?? 0) + e.response.payloadData.length;
  });
  const since = (t0: number) =>
    [...requests.values()].map((r) => {
      const at = (t: number | undefined) => (t === undefined ? undefined : Math.round(t - t0));
      return { ...r, start: Math.round(r.start - t0), sent: at(r.sent), firstByte: at(r.firstByte), end: at(r.end) };
    });
  return { requests, since };
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

async function visit(browser: Browser, url: string, cookie: string, last: string, o: FirstVisitOptions, logName?: string): Promise<Visit> {
  const context = await browser.newContext();
  try {
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url }]);
    await context.addInitScript(() => localStorage.setItem('convene.locale', 'en'));
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await throttle(cdp, o);
    const network = networkLog(cdp);
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
    const readableMs = await timeUntil(page, readable, last);
    const usableMs = await timeUntil(page, usable, last);
    // The navigation's own request is the first: the page's clock (performance.now) starts there.
    const t0 = Math.min(...[...network.requests.values()].map((r) => r.start));
    const fetched = network.since(t0);
    const fromNetwork = fetched.filter((r) => !r.cached);
    const seen = new Map<string, number>();
    for (const r of fromNetwork) seen.set(r.url, (seen.get(r.url) ?? 0) + 1);
    const refetched = [...seen].filter(([u, n]) => n > 1 && !u.includes('/api/')).map(([u]) => u);
    if (logName) {
      mkdirSync(path.join(resultsDir, 'logs'), { recursive: true });
      const file = path.join(resultsDir, 'logs', `${logName}.json`);
      writeFileSync(file, JSON.stringify({ readableMs, usableMs, requests: fetched.sort((a, b) => a.start - b.start) }, null, 1));
    }
    // Back later, in the same browser: a new navigation, its cache warm.
    await page.goto('about:blank');
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
    const revisitMs = await timeUntil(page, readable, last);
    await timeUntil(page, usable, last); // let it finish before the context closes
    // HTTP only: a WebSocket's count is its frames' payload as CDP reports it, not bytes on the wire.
    const wireBytes = fromNetwork.reduce((sum, r) => sum + (r.type === 'WebSocket' ? 0 : (r.bytes ?? 0)), 0);
    return { readableMs, usableMs, revisitMs, requests: fetched.length, wireBytes, refetched };
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
    for (let i = 0; i < o.loads; i++) {
      const v = await visit(browser, url, api.cookie, seeded.last, o, `l-network-${i + 1}`);
      o.log(
        `l: visit ${i + 1}: text ${v.readableMs.toFixed(0)} ms, editor ${v.usableMs.toFixed(0)} ms, revisit ${v.revisitMs.toFixed(0)} ms; ` +
          `${v.requests} requests, ${(v.wireBytes / 1024).toFixed(0)} KiB on the wire; fetched twice: ${v.refetched.length ? v.refetched.join(' ') : 'nothing'} (log: bench/results/logs/l-network-${i + 1}.json)`,
      );
      visits.push(v);
    }
    const serverMetrics = await server.measureStop();

    const view = firstView(clientDist, 'src/pages/DocumentPage.svelte');
    const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
    const english = view.total - (view.catalogue?.gzip ?? 0);
    const net = o.kbps === 400 && o.latencyMs === 400 ? 'slow 3G' : `${o.kbps} kbit/s`;
    const profile = `${o.kbps} kbit/s, ${o.latencyMs} ms`;
    const row = (label: string, key: 'readableMs' | 'usableMs' | 'revisitMs', note: string): Row => {
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
