import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CDPSession, Page, Route } from 'playwright-core';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectYjs, eventually } from '../helpers/yjs.ts';
import { findChromium, launchBrowser, newContext } from '../helpers/browser.ts';
import { fragmentName } from '../../shared/collab.ts';
import { clientDist } from '../../server/http/client.ts';
import { readManifest } from '../helpers/bundle-budget.ts';

/**
 * The document page's editor on a slow line (issue #16): its files are
 * prefetched while the text's requests are under way (the document page only),
 * downloaded once, and its Yjs connection is the one the app opened as it
 * started.
 */

const chromiumPath = findChromium();

const editorFile = () => {
  const chunk = readManifest(clientDist)['src/components/editor/DocumentWorkspace.svelte'];
  if (!chunk) throw new Error('the build has no chunk of its own for the editor');
  return `/${chunk.file}`;
};

interface Seen {
  url: string;
  /** Answered by the network, not the browser's cache (a prefetch's copy included). */
  fromNetwork?: boolean;
  finished: boolean;
}

/** Every request and WebSocket of a page, as Chromium's network log reports it (the cache stays on, unlike with page.route). */
async function watchNetwork(cdp: CDPSession) {
  const requests = new Map<string, Seen>();
  const sockets: string[] = [];
  /** Binary frames on the WebSockets, as bytes. */
  const sent: Buffer[] = [];
  const received: Buffer[] = [];
  const frame = (f: { opcode: number; payloadData: string }) => (f.opcode === 2 ? Buffer.from(f.payloadData, 'base64') : Buffer.from(f.payloadData));
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (e) => void requests.set(e.requestId, { url: e.request.url, finished: false }));
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.fromNetwork = !e.response.fromDiskCache && !e.response.fromPrefetchCache && !e.response.fromServiceWorker;
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.fromNetwork = false;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.finished = true;
  });
  cdp.on('Network.webSocketCreated', (e) => void sockets.push(e.url));
  cdp.on('Network.webSocketFrameSent', (e) => void sent.push(frame(e.response)));
  cdp.on('Network.webSocketFrameReceived', (e) => void received.push(frame(e.response)));
  const of = (path: string) => [...requests.values()].filter((r) => new URL(r.url).pathname === path);
  return { requests, sockets, sent, received, of };
}

const editor = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror[contenteditable="true"]');

describe.skipIf(!chromiumPath)('the document editor on a slow line', () => {
  it('downloads the editor while the text loads, once, on the document page only, and syncs over the connection opened at start', async () => {
    const s = await startServer();
    const { owner, document } = await createDocument(s.url);
    const client = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await client.synced;
    client.doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('The first paragraph of the draft.')]);
      client.doc.getXmlFragment(fragmentName).push([p]);
    });
    const browser = await launchBrowser(chromiumPath!);
    const chunk = editorFile();

    // The home page never asks for the editor: someone who does not open a document does not download it.
    const home = await (await newContext(browser, s.url, { cookie: owner.cookie })).newPage();
    const homeNetwork = await watchNetwork(await home.context().newCDPSession(home));
    await home.goto(`${s.url}/#/`);
    await home.getByRole('heading', { level: 1 }).first().waitFor();
    await home.waitForLoadState('load');
    expect(await home.locator('link[rel="prefetch"]').count()).toBe(0);
    expect(homeNetwork.of(chunk)).toEqual([]);

    // The document page, its text held back on the way: the editor's chunk arrives meanwhile.
    const page = await (await newContext(browser, s.url, { cookie: owner.cookie })).newPage();
    const cdp = await page.context().newCDPSession(page);
    const network = await watchNetwork(cdp);
    const paused: string[] = [];
    cdp.on('Fetch.requestPaused', (e) => void paused.push(e.requestId));
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*/api/documents/*/content', requestStage: 'Request' }] });
    await page.goto(`${s.url}/#/d/${document.id}`);
    await eventually(() => network.of(chunk).some((r) => r.finished), 'the editor chunk downloaded before the text');
    expect(paused).toHaveLength(1);
    expect(await page.getByTestId('reader').count()).toBe(0);
    // The live connection for the page's other news waits for the editor: it would share the line with it.
    expect([...network.requests.values()].filter((r) => new URL(r.url).pathname.startsWith('/socket.io/'))).toEqual([]);
    expect(await page.locator('.ProseMirror').count()).toBe(0); // fetched, not run
    // A first visit: the document itself came over the early connection too, asked for with an empty state.
    await eventually(() => network.received.some((f) => f.includes('The first paragraph of the draft.')), 'the document over the early connection');
    await cdp.send('Fetch.continueRequest', { requestId: paused[0]! });
    await cdp.send('Fetch.disable');

    await editor(page).waitFor({ state: 'visible' });
    await expect.poll(() => editor(page).textContent()).toContain('The first paragraph of the draft.');
    // And once the editor is there, it connects.
    await eventually(() => [...network.requests.values()].some((r) => new URL(r.url).pathname.startsWith('/socket.io/')), 'the live connection after the editor');
    // Downloaded once: the page's import was answered by the prefetch's copy.
    const downloads = network.of(chunk).filter((r) => r.fromNetwork);
    expect(downloads).toHaveLength(1);
    // No request spent on an icon: index.html carries its own.
    expect(network.of('/favicon.ico')).toEqual([]);
    // One Yjs connection: the editor adopted the one the app opened as it started.
    expect(network.sockets.filter((url) => new URL(url).pathname === `/yjs/${document.id}`)).toHaveLength(1);
    // Asked for once: y-websocket's own request for the whole document was not sent again.
    expect(network.sent.filter((f) => f.equals(Buffer.from([0, 0, 1, 0])))).toHaveLength(1);

    // And it is a working connection: what is typed reaches the others.
    await page.getByText('The first paragraph of the draft.').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Typed on the early connection.');
    await eventually(() => client.doc.getXmlFragment(fragmentName).toString().includes('Typed on the early connection.'), 'the typed words on the server');

    // Back later, with the document kept on the device: the early connection does not ask for all of it again.
    await eventually(() => page.evaluate(async () => (await indexedDB.databases()).some((d) => d.name?.includes(':doc:'))), 'the copy on the device');
    const before = { sent: network.sent.length, sockets: network.sockets.length };
    await page.reload();
    await editor(page).waitFor({ state: 'visible' });
    await expect.poll(() => editor(page).textContent()).toContain('Typed on the early connection.');
    expect(network.sockets.slice(before.sockets).filter((url) => new URL(url).pathname === `/yjs/${document.id}`)).toHaveLength(1);
    expect(network.sent.slice(before.sent).filter((f) => f.equals(Buffer.from([0, 0, 1, 0])))).toEqual([]);
  });

  it('stops prefetching the editor when the document page is left', async () => {
    const s = await startServer();
    const { owner, document } = await createDocument(s.url);
    const browser = await launchBrowser(chromiumPath!);
    const context = await newContext(browser, s.url, { cookie: owner.cookie });
    const page = await context.newPage();
    const chunk = editorFile(); // the largest, so the first asked for
    const held: Route[] = [];
    await context.route(`**${chunk}`, (route) => void held.push(route));
    // Left before the text shows (once it shows, the page imports the editor itself).
    await context.route('**/api/documents/*/content', () => undefined);
    await page.goto(`${s.url}/#/d/${document.id}`);
    await expect.poll(() => held.length).toBe(1);
    await page.evaluate(() => (location.hash = '#/'));
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    // Once the first prefetch has loaded (the page's own handler runs before this listener), no other is started.
    const loaded = page.evaluate(
      (href) => new Promise<number>((resolve) => {
        const link = window.document.querySelector<HTMLLinkElement>(`link[rel="prefetch"][href="${href}"]`)!;
        link.addEventListener('load', () => resolve(window.document.querySelectorAll('link[rel="prefetch"]').length));
      }),
      chunk,
    );
    await held[0]!.continue();
    expect(await loaded).toBe(1);
  });

  it("asks for the document's consultation as soon as the document says which, not once the page's code has arrived", async () => {
    const s = await startServer();
    const { owner, document, consultation } = await createDocument(s.url);
    const browser = await launchBrowser(chromiumPath!);
    const context = await newContext(browser, s.url, { cookie: owner.cookie });
    const page = await context.newPage();
    const pageChunk = readManifest(clientDist)['src/pages/DocumentPage.svelte']!.file;
    const held: Route[] = [];
    let released = false;
    await context.route(`**/${pageChunk}`, (route) => (released ? route.continue() : void held.push(route)));
    const asked: string[] = [];
    page.on('request', (r) => void asked.push(new URL(r.url()).pathname));
    await page.goto(`${s.url}/#/d/${document.id}`);
    await eventually(() => asked.includes(`/api/consultations/${consultation.id}`), "the consultation asked for while the page's code is held");
    expect(held.length).toBeGreaterThan(0);
    released = true;
    for (const route of held) await route.continue();
    await page.getByTestId('document-phase').waitFor();
    // The page took that answer: it did not ask again.
    expect(asked.filter((p) => p === `/api/consultations/${consultation.id}`)).toHaveLength(1);
  });
});
