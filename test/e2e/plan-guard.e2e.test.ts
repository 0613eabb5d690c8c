import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectYjs, eventually } from '../helpers/yjs.ts';
import { findChromium, launchBrowser, openPage } from '../helpers/browser.ts';
import { fragmentName } from '../../shared/collab.ts';

const chromiumPath = findChromium();

const editor = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');
const goals = (doc: Y.Doc) => doc.getXmlFragment(fragmentName).toArray().filter((n) => n instanceof Y.XmlElement && n.nodeName === 'planGoal').length;

describe.skipIf(!chromiumPath)('the browser client and the server’s guard on plan blocks', () => {
  it('declares the schema it understands, so the person may delete a goal', async () => {
    const s = await startServer();
    const { owner, document: created } = await createDocument(s.url);
    const watcher = connectYjs(s.wsUrl, created.id, { cookie: owner.cookie });
    await watcher.synced;
    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${s.url}/#/d/${created.id}`, { cookie: owner.cookie });
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 45_000 });

    await editor(page).click();
    await page.locator('[data-tool="planGoal"]').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('ProseMirror') ?? false)).toBe(true);
    await page.keyboard.type('Access to justice');
    await eventually(() => goals(watcher.doc) === 1, 'the goal to reach the server');

    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Backspace');
    await eventually(() => goals(watcher.doc) === 0, 'the deletion to reach the others');
    expect(await page.getByTestId('plan-refused').count()).toBe(0);
    await s.server.rooms.flushAll();
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await s.server.updateLog.load(created.id)).update);
    expect(goals(stored)).toBe(0);
  });
});
