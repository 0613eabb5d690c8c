import { describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page, WebSocketRoute } from 'playwright-core';
import { createDocument, startServer, type TestUser } from '../helpers/server.ts';
import { connectYjs, eventually } from '../helpers/yjs.ts';
import { anchorOn, serverText, untilServerHas, writeParagraph } from '../helpers/comments.ts';
import { connectSocket } from '../helpers/socket.ts';
import { findChromium, joinAs, launchBrowser, newContext, openPage, connected, selectWords } from '../helpers/browser.ts';

const chromiumPath = findChromium();

const editor = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');
const text = async (locator: Locator) => (await locator.innerText()).replace(/[\u2068\u2069]/g, '');
const threadOn = (page: Page, quote: string) =>
  page.getByTestId('comments-panel').locator('[data-testid="thread"]', { has: page.locator('[data-testid="thread-quote"]', { hasText: quote }) });
const waiting = (page: Page) => page.getByTestId('offline-status').getAttribute('data-waiting').then(Number).catch(() => -1);

/** A document open for comment with one paragraph and one thread (by the NHRI) on "twice a year"; a drafter and a contributor. */
async function consultationWithThread() {
  const server = await startServer();
  const { owner, consultation, document } = await createDocument(server.url);
  expect((await owner.call('PATCH', `/consultations/${consultation.id}`, { hideIdentities: false })).status).toBe(200);
  const daniel = await joinAs(server.url, owner, consultation.id, 'Daniel', 'drafter', 'government');
  const amina = await joinAs(server.url, owner, consultation.id, 'Amina', 'contributor', 'civil_society');
  const nhriUser = await joinAs(server.url, owner, consultation.id, 'Rights Commission', 'contributor', 'nhri');
  const writer = connectYjs(server.wsUrl, document.id, { cookie: daniel.cookie });
  await writer.synced;
  const paragraph = writeParagraph(writer.doc, 'Prisons are inspected by the national preventive mechanism twice a year.');
  await untilServerHas(server.server, document.id, 'twice a year');
  writer.destroy();
  for (const phase of ['drafting', 'open_for_comment'])
    expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
  const nhri = await connectSocket(server.url, nhriUser.cookie);
  const thread = await nhri.emitWithAck('thread:create', { documentId: document.id, anchor: anchorOn(paragraph, 'twice a year'), body: 'Unannounced, too.' });
  if (!thread.ok) throw new Error(thread.error.code);
  return { server, owner, document, daniel, amina, threadId: thread.data.id, docUrl: `${server.url}/#/d/${document.id}` };
}

/**
 * A browser context whose live connections (Yjs and Socket.IO) the test can cut: Chromium's offline
 * emulation stops HTTP but leaves open WebSockets alone, so going offline also closes those and refuses new ones.
 */
async function cuttableContext(browser: Parameters<typeof newContext>[0], url: string, user: TestUser) {
  const context = await newContext(browser, url, { cookie: user.cookie });
  const state = { cut: false, open: [] as WebSocketRoute[] };
  await context.routeWebSocket(/\/(yjs|socket\.io)\//, (ws) => {
    if (state.cut) return void ws.close();
    ws.connectToServer();
    state.open.push(ws);
  });
  return {
    context,
    state,
    async offline() {
      state.cut = true;
      await context.setOffline(true);
      for (const ws of state.open.splice(0)) await ws.close().catch(() => undefined);
    },
    async online() {
      state.cut = false;
      await context.setOffline(false);
    },
  };
}

/** Opens the page, waits for the service worker to control it, and reloads once so that the page was "opened before". */
async function openTwice(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await connected(page);
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 60_000 });
  await page.reload();
  await connected(page);
  return page;
}

describe.skipIf(!chromiumPath)('working offline', () => {
  it('edits, comments, replies and positions made offline survive a reload and arrive once when back online', async () => {
    const w = await consultationWithThread();
    const browser = await launchBrowser(chromiumPath!);
    const d = await cuttableContext(browser, w.server.url, w.daniel);
    const daniel = await openTwice(d.context, w.docUrl);
    const amina = await openPage(browser, w.docUrl, { cookie: w.amina.cookie });
    await connected(amina);
    await threadOn(daniel, 'twice a year').waitFor({ timeout: 30_000 });
    await threadOn(amina, 'twice a year').waitFor({ timeout: 30_000 });

    await d.offline();
    await expect.poll(() => daniel.getByTestId('connection-status').getAttribute('data-state'), { timeout: 30_000 }).not.toBe('connected');
    await expect.poll(() => text(daniel.getByTestId('offline-status'))).toContain('You are offline');

    // The text, a new comment, a reply and a position, all without a network.
    await editor(daniel).click();
    await daniel.keyboard.press('End');
    await daniel.keyboard.type(' Reports are public.');
    await expect.poll(() => waiting(daniel)).toBe(1);
    await selectWords(daniel, 'Prisons');
    await daniel.getByRole('button', { name: 'Comment on the selected text' }).click();
    const composer = daniel.getByTestId('comment-composer');
    await composer.getByTestId('comment-body-input').fill('Which prisons?');
    await composer.getByTestId('comment-submit').click();
    await expect.poll(() => composer.count()).toBe(0);
    const thread = threadOn(daniel, 'twice a year');
    await thread.getByTestId('reply-open').click();
    await thread.getByTestId('reply-input').fill('Agreed, unannounced.');
    await thread.getByTestId('reply-submit').click();
    await thread.locator('[data-stance="support"]').click();
    await expect.poll(() => daniel.getByTestId('offline-queued').count()).toBe(3);
    await expect.poll(() => text(daniel.getByTestId('offline-waiting'))).toBe('4 changes waiting to be sent');
    // Announced politely: the status line is a polite live region.
    expect(await daniel.locator('[data-testid="offline-status"] [role="status"]').getAttribute('aria-live')).toBe('polite');

    // Reloaded while offline: the page opens from the device, with the text as edited and the queue as it was.
    await daniel.reload();
    await expect.poll(() => editor(daniel).innerText().catch(() => ''), { timeout: 60_000 }).toContain('Reports are public.');
    await expect.poll(() => daniel.getByTestId('offline-queued').count(), { timeout: 30_000 }).toBe(3);
    expect(await text(daniel.getByTestId('offline-status'))).toContain('Reply: Agreed, unannounced.');
    await expect.poll(() => waiting(daniel)).toBe(4);
    // Nothing has reached anyone yet.
    expect(serverText(w.server.server, w.document.id)).not.toContain('Reports are public');
    expect(await amina.locator('[data-testid="thread"]').count()).toBe(1);

    await d.online();
    await untilServerHas(w.server.server, w.document.id, 'Reports are public.');
    await expect.poll(() => editor(amina).innerText(), { timeout: 60_000 }).toContain('Reports are public.');
    await threadOn(amina, 'Prisons').waitFor({ timeout: 90_000 });
    const aminaThread = threadOn(amina, 'twice a year');
    await expect.poll(() => aminaThread.getByTestId('comment').count(), { timeout: 60_000 }).toBe(2);
    const support = aminaThread.locator('[data-testid="position-counts"] tr[data-group="government"] td[data-stance="support"]');
    await expect.poll(() => support.innerText().catch(() => ''), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => waiting(daniel), { timeout: 60_000 }).toBe(0);

    // Exactly one of each, also after a reload that finds nothing left to send.
    await daniel.reload();
    await connected(daniel);
    await threadOn(daniel, 'Prisons').waitFor({ timeout: 30_000 });
    expect(await daniel.getByTestId('offline-queued').count()).toBe(0);
    expect(await amina.locator('[data-testid="thread"]').count()).toBe(2);
    expect(await text(aminaThread.getByTestId('comment').nth(1).getByTestId('comment-body'))).toBe('Agreed, unannounced.');
    expect(await threadOn(amina, 'Prisons').getByTestId('comment').count()).toBe(1);
    expect(serverText(w.server.server, w.document.id).match(/Reports are public/g)).toHaveLength(1);
  }, 400_000);

  it('a reply whose acknowledgement is lost (the connection drops right after sending) is posted once', async () => {
    const w = await consultationWithThread();
    const browser = await launchBrowser(chromiumPath!);
    const context = await newContext(browser, w.server.url, { cookie: w.daniel.cookie });
    let dropped = false;
    await context.routeWebSocket(/\/socket\.io\//, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((message) => {
        upstream.send(message);
        // The reply reaches the server; the connection drops before its answer comes back.
        if (!dropped && String(message).includes('comment:reply')) {
          dropped = true;
          void ws.close();
          void upstream.close();
        }
      });
    });
    const daniel = await context.newPage();
    await daniel.goto(w.docUrl);
    await connected(daniel);
    const thread = threadOn(daniel, 'twice a year');
    await thread.waitFor({ timeout: 30_000 });
    await thread.getByTestId('reply-open').click();
    await thread.getByTestId('reply-input').fill('Sent once.');
    await thread.getByTestId('reply-submit').click();
    await eventually(() => dropped, 'the connection to drop after the reply');
    // Resent on reconnection with the same key: the server answers from its memory, and the queue empties.
    await expect.poll(() => thread.getByTestId('comment').count(), { timeout: 90_000 }).toBe(2);
    await expect.poll(() => waiting(daniel), { timeout: 90_000 }).toBe(0);
    const nhri = await connectSocket(w.server.url, w.amina.cookie);
    const page = await nhri.emitWithAck('document:watch', w.document.id);
    if (!page.ok) throw new Error(page.error.code);
    expect(page.data.threads[0]!.comments.map((c) => c.body)).toEqual(['Unannounced, too.', 'Sent once.']);
  }, 300_000);

  it('offline edits to a document locked meanwhile are refused by the server, and the copy on the device is discarded', async () => {
    const w = await consultationWithThread();
    const browser = await launchBrowser(chromiumPath!);
    const d = await cuttableContext(browser, w.server.url, w.daniel);
    const daniel = await openTwice(d.context, w.docUrl);
    await expect.poll(() => editor(daniel).innerText(), { timeout: 30_000 }).toContain('twice a year');
    await d.offline();
    await expect.poll(() => text(daniel.getByTestId('offline-status')), { timeout: 30_000 }).toContain('You are offline');
    await editor(daniel).click();
    await daniel.keyboard.press('End');
    await daniel.keyboard.type(' Written offline.');
    await expect.poll(() => waiting(daniel)).toBe(1);
    // Meanwhile a facilitator locks the document: nobody may change its text.
    expect((await w.owner.call('POST', `/documents/${w.document.id}/lock`, { locked: true })).status).toBe(200);

    await d.online();
    await connected(daniel);
    await expect.poll(() => waiting(daniel), { timeout: 60_000 }).toBe(0);
    expect(serverText(w.server.server, w.document.id)).not.toContain('Written offline');
    // The refused words are not kept on the device: a reload shows the server's text.
    await daniel.reload();
    await connected(daniel);
    await expect.poll(() => editor(daniel).innerText(), { timeout: 30_000 }).toContain('twice a year');
    expect(await editor(daniel).innerText()).not.toContain('Written offline');
    expect(serverText(w.server.server, w.document.id)).not.toContain('Written offline');
  }, 300_000);

  it('what is kept on the device belongs to one account: another account signing in, and signing out, remove it', async () => {
    const w = await consultationWithThread();
    const browser = await launchBrowser(chromiumPath!);
    const context = await newContext(browser, w.server.url, { cookie: w.daniel.cookie });
    const page = await openTwice(context, w.docUrl);
    const databases = () => page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name ?? '').filter((name) => name.startsWith('convene-offline:')));
    const apiCached = () =>
      page.evaluate(async () => ((await caches.has('convene-api')) ? (await (await caches.open('convene-api')).keys()).map((r) => new URL(r.url).pathname) : []));
    await expect.poll(databases, { timeout: 30_000 }).toContain(`convene-offline:${w.daniel.me.id}:doc:${w.document.id}`);
    await expect.poll(apiCached, { timeout: 30_000 }).toContain(`/api/documents/${w.document.id}`);

    // Amina signs in on the same browser: Daniel's copies and the stored answers go.
    await context.clearCookies();
    await context.addCookies([{ name: 'convene_session', value: w.amina.cookie.replace(/^convene_session=/, ''), url: w.server.url }]);
    await page.reload();
    await connected(page);
    await expect.poll(() => page.getByTestId('account-menu').innerText()).toContain('Amina');
    await expect.poll(async () => (await databases()).filter((name) => name.includes(w.daniel.me.id)), { timeout: 30_000 }).toEqual([]);
    await expect.poll(databases, { timeout: 30_000 }).toContain(`convene-offline:${w.amina.me.id}:doc:${w.document.id}`);

    // Signing out removes hers too.
    await page.getByTestId('account-menu').getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(databases, { timeout: 30_000 }).toEqual([]);
    await expect.poll(apiCached, { timeout: 30_000 }).toEqual([]);
  }, 300_000);
});
