import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createDocument, startServer } from '../helpers/server.ts';
import { findChromium, launchBrowser, openAs } from '../helpers/browser.ts';
import { openEmbeddedStore } from '../../server/store/embedded.ts';

const chromiumPath = findChromium();

const editor = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');
const connected = (page: Page) =>
  page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 15_000 });

describe.skipIf(!chromiumPath)('co-editing in real browsers', () => {
  it('two pages type into one document, see each other’s text and cursor, and the text survives a restart', async () => {
    const first = await startServer();
    const { document } = await createDocument(first.url);
    const browser = await launchBrowser(chromiumPath!);
    const docUrl = (base: string) => `${base}/#/d/${document.id}`;

    const amina = await openAs(browser, { name: 'Amina', group: 'civil_society' }, docUrl(first.url));
    const daniel = await openAs(browser, { name: 'Daniel', group: 'government' }, docUrl(first.url));
    await Promise.all([connected(amina), connected(daniel)]);

    await editor(amina).click();
    await amina.keyboard.type('Everyone has the right to take part in public affairs.');
    await expect.poll(() => editor(daniel).innerText(), { timeout: 10_000 }).toContain('right to take part');

    await editor(daniel).click();
    await daniel.keyboard.press('End');
    await daniel.keyboard.press('Enter');
    await daniel.keyboard.type('The Ministry will report every year.');
    await expect.poll(() => editor(amina).innerText(), { timeout: 10_000 }).toContain('report every year');

    // Each sees the other's caret, labelled with the other's name.
    await expect
      .poll(() => amina.locator('.collaboration-carets__label').allInnerTexts(), { timeout: 10_000 })
      .toContain('Daniel');
    await expect
      .poll(() => daniel.locator('.collaboration-carets__label').allInnerTexts(), { timeout: 10_000 })
      .toContain('Amina');

    await first.stop();
    const second = await startServer({ dataDir: first.dataDir, store: await openEmbeddedStore(first.dataDir) });
    const fresh = await openAs(browser, { name: 'Observer', group: 'international' }, docUrl(second.url));
    await connected(fresh);
    await expect.poll(() => editor(fresh).innerText(), { timeout: 10_000 }).toContain('right to take part');
    expect(await editor(fresh).innerText()).toContain('report every year');
  });
});
