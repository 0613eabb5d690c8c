import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectYjs } from '../helpers/yjs.ts';
import { plainText, writeParagraph } from '../helpers/comments.ts';
import { findChromium, joinAs, launchBrowser, openPage, selectByKeyboard } from '../helpers/browser.ts';

const chromiumPath = findChromium();
const editor = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');

describe.skipIf(!chromiumPath)('read-only text, by keyboard', () => {
  it('a contributor who may not edit selects a passage with the keyboard and comments on it; their typing changes nothing', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    const contributor = await joinAs(server.url, owner, consultation.id, 'Amina', 'contributor', 'civil_society');
    const writer = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    writeParagraph(writer.doc, 'Everyone may take part.');
    for (const phase of ['drafting', 'open_for_comment'])
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${server.url}/#/d/${document.id}`, { cookie: contributor.cookie });
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 45_000 });
    await expect.poll(() => editor(page).innerText(), { timeout: 30_000 }).toContain('take part');
    expect(await editor(page).getAttribute('aria-readonly')).toBe('true');

    // Keyboard only: focus the text, go to the start, select "Everyone", open the composer with the shortcut.
    await editor(page).focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('TYPED WHILE READ-ONLY ');
    await page.keyboard.press('Control+Home');
    await selectByKeyboard(page, 'Everyone');
    await page.keyboard.press('Control+Alt+KeyM');
    const composer = page.getByTestId('comment-composer');
    await composer.waitFor();
    expect((await composer.getByTestId('composer-quote').innerText()).trim()).toBe('Everyone');
    await page.keyboard.type('Name the groups, please.');
    await composer.getByTestId('comment-submit').focus();
    await page.keyboard.press('Enter');

    const threads = async () => (await owner.call<{ threads: { anchor: { quote: string } }[] }>('GET', `/documents/${document.id}/threads`)).body.threads;
    await expect.poll(async () => (await threads()).map((t) => t.anchor.quote), { timeout: 30_000 }).toEqual(['Everyone']);
    await server.server.rooms.flushAll();
    expect(plainText(writer.doc)).toBe('Everyone may take part.');
    expect(await editor(page).innerText()).not.toContain('TYPED');
  });
});
