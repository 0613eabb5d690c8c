import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Page, Route } from 'playwright-core';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectYjs, eventually } from '../helpers/yjs.ts';
import { findChromium, launchBrowser, newContext } from '../helpers/browser.ts';
import { writePlan } from '../helpers/plan.ts';
import { fragmentName } from '../../shared/collab.ts';
import { clientDist } from '../../server/http/client.ts';
import { readManifest } from '../helpers/bundle-budget.ts';

/**
 * The document page's first view (issue #16): the text is readable before the
 * editor's code has arrived, and stays readable when it never does; the editor
 * then takes its place with the same text, at the same place on screen.
 */

const chromiumPath = findChromium();

/** The chunk that holds the editor and comments (Tiptap, Yjs), from the client's build. */
function editorChunk(): string {
  const chunk = readManifest(clientDist)['src/components/editor/DocumentWorkspace.svelte'];
  if (!chunk) throw new Error('the build has no chunk of its own for the editor');
  return `**/${chunk.file}`;
}

const reader = (page: Page) => page.getByTestId('reader');
const editor = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror[contenteditable="true"]');

/** The reader's blocks as text. */
const readerBlocks = (page: Page) => page.locator('[data-testid="reader"] [data-block]').evaluateAll((els) => els.map((e) => e.textContent?.trim() ?? ''));

/** The editor's text blocks as the reader writes them (a plan title with its number), empty ones left out as the reader does. */
const editorBlocks = (page: Page) =>
  page.locator('[data-testid="editor"] .ProseMirror').evaluate((root) =>
    [...root.querySelectorAll<HTMLElement>('h1, h2, h3, p, .plan-title')]
      // The action's fields (lead, dates…) are the editor's own controls, not text the reader shows.
      .filter((e) => !e.closest('[contenteditable="false"]'))
      .map((e) => (e.dataset.number ? `${e.dataset.number} ${e.textContent ?? ''}` : (e.textContent ?? '')).trim())
      .filter((text) => text !== ''),
  );

async function seeded(paragraphs: number) {
  const s = await startServer();
  const { owner, document } = await createDocument(s.url);
  const client = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
  await client.synced;
  const body = client.doc.getXmlFragment(fragmentName);
  client.doc.transact(() => {
    const heading = new Y.XmlElement('heading');
    heading.setAttribute('level', '1');
    heading.insert(0, [new Y.XmlText('Preamble')]);
    body.push([heading]);
    for (let i = 1; i <= paragraphs; i++) {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(`Paragraph ${i} of the draft, on the right to take part in public affairs.`)]);
      body.push([p]);
    }
  });
  writePlan(body, [{ id: 'g1', title: 'Access to justice', objectives: [{ id: 'o1', title: 'Faster trials', actions: [{ id: 'a1', title: 'Train magistrates' }] }] }]);
  const check = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
  await check.synced;
  await eventually(() => check.doc.getXmlFragment(fragmentName).length === paragraphs + 2, 'the text on the server');
  return { s, owner, document, client };
}

describe.skipIf(!chromiumPath)('the document page first view', () => {
  it('shows the text without the editor chunk, and the editor with the same text once it can load', async () => {
    const { s, owner, document, client } = await seeded(5);
    const browser = await launchBrowser(chromiumPath!);
    const context = await newContext(browser, s.url, { cookie: owner.cookie });
    const blocked = editorChunk();
    let aborted = 0;
    await context.route(blocked, (route) => (aborted++, route.abort()));
    const page = await context.newPage();
    await page.goto(`${s.url}/#/d/${document.id}`);

    // Readable with the editor's code refused: the text, its headings and the plan's numbers.
    await reader(page).waitFor();
    await expect.poll(() => readerBlocks(page)).toEqual([
      'Preamble',
      ...Array.from({ length: 5 }, (_, i) => `Paragraph ${i + 1} of the draft, on the right to take part in public affairs.`),
      '1 Access to justice',
      '1.1 Faster trials',
      '1.1.1 Train magistrates',
    ]);
    await expect(page.getByRole('heading', { name: 'Preamble' }).isVisible()).resolves.toBe(true);
    // The editor was asked for and refused; the page says so and the text stays.
    await page.getByTestId('editor-failed').waitFor();
    expect(aborted).toBeGreaterThan(0);
    expect(await page.locator('.ProseMirror').count()).toBe(0);
    const read = await readerBlocks(page);
    // The offline service worker waits for the editor: installing it would download every file it keeps,
    // competing with the editor's code on a slow line.
    await page.waitForFunction(() => window.document.readyState === 'complete');
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);

    // The connection comes back: "Try again" loads the editor, which takes the reader's place with the same text.
    await context.unroute(blocked);
    await page.getByTestId('editor-failed').getByRole('button').click();
    await editor(page).waitFor({ state: 'visible' });
    await reader(page).waitFor({ state: 'detached' });
    expect(await editorBlocks(page)).toEqual(read);

    // Usable: what is typed reaches the others.
    await page.getByText('Paragraph 5 of the draft').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Typed after loading.');
    await eventually(() => client.doc.getXmlFragment(fragmentName).toString().includes('Typed after loading.'), 'the typed words on the server');
    // And now that the editor is usable, the worker is registered.
    await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistrations()).length === 1, null, { timeout: 60_000 });
  });

  it('puts the editor where the reader was: the paragraph at the top of the screen stays there, and the focus moves in', async () => {
    const { s, owner, document } = await seeded(80);
    const browser = await launchBrowser(chromiumPath!);
    const context = await newContext(browser, s.url, { cookie: owner.cookie });
    // The editor's chunk is held back until the reader has scrolled (its prefetch and the page's import alike).
    const held: Route[] = [];
    let released = false;
    await context.route(editorChunk(), (route) => (released ? route.continue() : void held.push(route)));
    const page = await context.newPage();
    await page.setViewportSize({ width: 1200, height: 700 });
    await page.goto(`${s.url}/#/d/${document.id}`);
    const target = page.locator('[data-testid="reader"] [data-block]', { hasText: 'Paragraph 40 of' });
    await target.waitFor();
    // Scrolled as a reader would: the paragraph a little below the top of the screen.
    await target.evaluate((e) => {
      e.scrollIntoView({ block: 'start', behavior: 'instant' });
      window.scrollBy({ top: -100, behavior: 'instant' });
    });
    await expect.poll(() => held.length).toBeGreaterThan(0);
    // A keyboard user is in the text.
    await page.locator('[data-testid="reader"] [role="document"]').evaluate((e) => (e as HTMLElement).focus({ preventScroll: true }));
    const before = await target.evaluate((e) => e.getBoundingClientRect().top);
    expect(before).toBeGreaterThan(50);

    // Let through whatever asked for it, and whatever asks later.
    released = true;
    for (const route of held) await route.continue();
    await editor(page).waitFor({ state: 'visible' });
    await reader(page).waitFor({ state: 'detached' });
    const after = await page
      .locator('[data-testid="editor"] p', { hasText: 'Paragraph 40 of' })
      .evaluate((e) => e.getBoundingClientRect().top);
    expect(Math.abs(after - before)).toBeLessThanOrEqual(2);
    // And is in the editor's text now.
    expect(await page.evaluate(() => window.document.activeElement?.classList.contains('ProseMirror'))).toBe(true);
  });
});
