/**
 * g: the document page loaded by a newcomer on a slow mobile network. Chromium
 * (playwright-core), a fresh context each time (cold cache), Chrome DevTools'
 * slow-3G profile applied through CDP (400 ms latency, 400 kbit/s each way),
 * signed in as the document's facilitator. Timed from navigation start until
 * the editor is usable: the ProseMirror editor is contenteditable and shows
 * the document's last paragraph. Transferred bytes are every HTTP response's
 * `encodedDataLength` (headers and body as on the wire; the Yjs and Socket.IO
 * WebSockets are not counted) that finished by 3 s after that.
 *
 * Each load is done twice, alternating: as Chromium asks (Accept-Encoding:
 * gzip, deflate, br, zstd), and with `Accept-Encoding: identity`, which is what
 * every browser got before the assets were compressed. The identity load also
 * gzips each response body it received (level 6, as `compression` and most
 * servers would on the fly), the issue's bar for the wire size.
 */
import { gzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { cookieProvider } from '../lib/cookie-provider.ts';
import type { Browser, CDPSession } from 'playwright-core';
import { startServer } from '../lib/server-proc.ts';
import { ConveneApi } from '../lib/convene-api.ts';
import { summarize } from '../lib/stats.ts';
import { withUnit, type Row } from '../lib/report.ts';
import { launchBenchBrowser } from '../lib/browser.ts';
import { fragmentName, yjsPath } from '../../shared/collab.ts';

export interface PageLoadOptions {
  loads: number;
  /** Download and upload, kbit/s (slow 3G: 400). */
  kbps: number;
  latencyMs: number;
  paragraphs: number;
  log: (line: string) => void;
}

interface Load {
  usableMs: number;
  transferred: number;
  scriptTransferred: number;
  decoded: number;
  requests: number;
  /** Identity loads: the bodies gzipped (level 6). */
  gzipped?: number;
}

const settleMs = 3000;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/** A signed-in facilitator, a consultation and a document of `paragraphs` paragraphs; `url` opens its page. */
export async function seededDocument(httpUrl: string, paragraphs: number): Promise<{ api: ConveneApi; url: string; seeded: { last: string; destroy: () => void } }> {
  const api = new ConveneApi(httpUrl);
  await api.signIn();
  const consultation = await api.consultation();
  const docId = await api.document(consultation, 'Draft national action plan');
  const seeded = await seed(httpUrl.replace(/^http/, 'ws'), docId, api.cookie, paragraphs);
  return { api, url: `${httpUrl}/#/d/${docId}`, seeded };
}

/** Writes `paragraphs` paragraphs into the document, as a y-websocket client with the facilitator's cookie. */
export async function seed(wsBase: string, docId: string, cookie: string, paragraphs: number): Promise<{ last: string; destroy: () => void }> {
  const { doc, provider, synced } = cookieProvider(`${wsBase}${yjsPath}`, docId, cookie);
  await synced;
  const sentence = 'The State shall ensure that everyone may take part in the conduct of public affairs, directly or through freely chosen representatives.';
  const last = `Paragraph ${paragraphs} ends the draft.`;
  doc.transact(() => {
    const body = doc.getXmlFragment(fragmentName);
    for (let i = 1; i <= paragraphs; i++) {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(i === paragraphs ? last : `${i}. ${sentence}`)]);
      body.push([p]);
    }
  });
  // The provider stays connected through the loads, so the room stays loaded and holds the text.
  return { last, destroy: () => (provider.destroy(), doc.destroy()) };
}

async function loadOnce(browser: Browser, url: string, cookie: string, last: string, o: PageLoadOptions, identity: boolean, settle = settleMs): Promise<Load> {
  const context = await browser.newContext();
  try {
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url }]);
    await context.addInitScript(() => localStorage.setItem('convene.locale', 'en'));
    const page = await context.newPage();
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const bytesPerSec = (o.kbps * 1000) / 8;
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: o.latencyMs, downloadThroughput: bytesPerSec, uploadThroughput: bytesPerSec });
    if (identity) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });

    const types = new Map<string, string>();
    const finished: { id: string; bytes: number }[] = [];
    cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
    cdp.on('Network.loadingFinished', (e) => finished.push({ id: e.requestId, bytes: e.encodedDataLength }));

    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
    // performance.now() counts from navigation start; polled every frame.
    const handle = await page.waitForFunction(
      (text) => {
        const editor = document.querySelector('[data-testid="editor"] .ProseMirror[contenteditable="true"]');
        return editor?.textContent?.includes(text) ? performance.now() : false;
      },
      last,
      { polling: 'raf', timeout: 180_000 },
    );
    const usableMs = (await handle.jsonValue()) as number;
    // The page goes on loading what it needs next (Socket.IO's client is a chunk of its own, loaded as it connects);
    // count what arrived within a settling time, the same for both kinds of load.
    await page.waitForTimeout(settle);
    const decoded = await page.evaluate(() =>
      [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].reduce((n, e) => n + (e as PerformanceResourceTiming).decodedBodySize, 0),
    );
    const load: Load = {
      usableMs,
      transferred: finished.reduce((n, f) => n + f.bytes, 0),
      scriptTransferred: finished.filter((f) => types.get(f.id) === 'Script').reduce((n, f) => n + f.bytes, 0),
      decoded,
      requests: finished.length,
    };
    if (identity) {
      let gzipped = 0;
      for (const f of finished) {
        const body = await cdp.send('Network.getResponseBody', { requestId: f.id }).catch(() => undefined);
        if (body) gzipped += gzipSync(Buffer.from(body.body, body.base64Encoded ? 'base64' : 'utf8'), { level: 6 }).length;
      }
      load.gzipped = gzipped;
    }
    return load;
  } finally {
    await context.close().catch(() => undefined);
  }
}

export async function pageLoad(o: PageLoadOptions): Promise<Row[]> {
  const browser = await launchBenchBrowser(o.log, 'g');
  const server = await startServer('convene', { name: 'server-convene-pageload' });
  let seeded: { last: string; destroy: () => void } | undefined;
  try {
    const { api, url, ...rest } = await seededDocument(server.httpUrl, o.paragraphs);
    seeded = rest.seeded;

    // One unmeasured load without throttling: the server's code and Chromium's warm up, and the text is known to be there.
    await loadOnce(browser, url, api.cookie, seeded.last, { ...o, kbps: 1_000_000, latencyMs: 0 }, false, 0);
    o.log(`g: ${o.loads} cold page loads at ${o.kbps} kbit/s, ${o.latencyMs} ms latency, compressed and not, alternating`);
    const loads = { compressed: [] as Load[], identity: [] as Load[] };
    await server.measureStart();
    for (let i = 0; i < o.loads; i++) {
      loads.compressed.push(await loadOnce(browser, url, api.cookie, seeded.last, o, false));
      loads.identity.push(await loadOnce(browser, url, api.cookie, seeded.last, o, true));
    }
    const serverMetrics = await server.measureStop();

    const profile = `${o.kbps} kbit/s, ${o.latencyMs} ms`;
    const row = (label: string, l: Load[], note: string): Row => {
      const s = summarize(l.map((x) => x.usableMs));
      const median = (key: 'transferred' | 'scriptTransferred' | 'decoded' | 'requests') => summarize(l.map((x) => x[key])).p50;
      return {
        workload: label,
        server: 'convene',
        p50: s.p50,
        p95: s.p95,
        p99: s.p99,
        throughput: `${kb(median('transferred'))} on the wire`,
        serverMetrics,
        lost: '–',
        identical: 'yes',
        notes: `${l.length} cold loads (${profile}) until the editor is usable; bytes by ${settleMs / 1000} s later; scripts ${kb(median('scriptTransferred'))} on the wire; ` +
          `${kb(median('decoded'))} decoded in ${median('requests')} responses; ${note}; server figures are for both rows`,
        detail: { loads: l, transferred: median('transferred'), scriptTransferred: median('scriptTransferred'), decoded: median('decoded'), max: s.max },
      };
    };
    const gzipped = summarize(loads.identity.map((x) => x.gzipped!)).p50;
    // Named after the network it ran on: slow 3G unless --page-kbps changed it.
    const net = o.kbps === 400 && o.latencyMs === 400 ? 'slow 3G' : `${o.kbps} kbit/s`;
    const compressed = row(`g. page load, ${net}`, loads.compressed, `bodies gzipped on the fly would be ${kb(gzipped)}`);
    compressed.detail = { ...compressed.detail, gzipped };
    const identity = row(`g. page load, ${net}, uncompressed`, loads.identity, `as every browser got before precompression (Accept-Encoding: identity); ${withUnit(summarize(loads.compressed.map((x) => x.usableMs)).p50)} compressed`);
    return [compressed, identity];
  } finally {
    seeded?.destroy();
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}
