import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import type { CreatedInvitation } from '../../shared/accounts.ts';
import { fragmentName } from '../../shared/collab.ts';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectYjs } from '../helpers/yjs.ts';
import { connectSocket } from '../helpers/socket.ts';
import { untilServerHas, writeParagraph } from '../helpers/comments.ts';
import { ok } from '../helpers/meetings.ts';
import { accountDetails, connected, findChromium, joinAs, launchBrowser, openPage, selectByKeyboard } from '../helpers/browser.ts';

const chromiumPath = findChromium();

/** What has keyboard focus, as a CSS-free description: tag, test id, id, text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return null;
    return { tag: el.localName, testid: el.dataset.testid ?? null, id: el.id, text: (el.innerText ?? '').trim(), type: el.getAttribute('type') };
  });

/**
 * Presses Tab until the focused element matches `selector`, as a keyboard user would: fails if it is never
 * reached (not focusable, hidden from the tab order, or behind more than `limit` stops).
 */
async function tabTo(page: Page, selector: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}; focus ends on ${JSON.stringify(await focused(page))}`);
}

const isFocused = (page: Page, selector: string) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

describe.skipIf(!chromiumPath)('keyboard only', () => {
  it('a newcomer opens an invitation, creates an account and joins, with the keyboard alone', async () => {
    const server = await startServer();
    const { owner, consultation } = await createDocument(server.url);
    const invite = (await owner.call<CreatedInvitation>('POST', `/consultations/${consultation.id}/invitations`, { role: 'contributor', group: 'civil_society' })).body;
    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${server.url}/#/invite/${invite.token}`);
    await page.getByTestId('invitation-preview').waitFor({ timeout: 45_000 });

    const account = accountDetails('Wanjiru');
    await tabTo(page, '[data-testid="register-form"] input[type="email"]');
    await page.keyboard.type(account.email);
    await tabTo(page, '[data-testid="register-form"] input[type="password"]');
    await page.keyboard.type(account.password);
    await tabTo(page, '[data-testid="register-form"] input[autocomplete="nickname"]');
    await page.keyboard.type(account.displayName);
    await page.keyboard.press('Enter');

    // Signed in, the same invitation now offers to join.
    await page.getByTestId('join-form').waitFor({ timeout: 45_000 });
    await tabTo(page, '[data-testid="join-form"] button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('your-role').waitFor({ timeout: 45_000 });
    expect(await page.getByTestId('your-role').getAttribute('data-role')).toBe('contributor');
    // The new page's content has focus, not the top of the page.
    await expect.poll(() => isFocused(page, 'main')).toBe(true);
  });

  it('a reader skips to the content and finds the document by its headings', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url, undefined, 'Plan de acción nacional');
    const reader = await joinAs(server.url, owner, consultation.id, 'Amina', 'observer', 'international');
    const writer = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    const heading = new Y.XmlElement('heading');
    heading.setAttribute('level', 2 as unknown as string);
    heading.insert(0, [new Y.XmlText('Chapter 1: civic space')]);
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Everyone may take part.')]);
    writer.doc.getXmlFragment(fragmentName).insert(0, [heading, paragraph]);
    await untilServerHas(server.server, document.id, 'take part');

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${server.url}/#/d/${document.id}`, { cookie: reader.cookie });
    await connected(page);
    await page.locator('[data-testid="editor"] h2').waitFor({ timeout: 30_000 });

    // The first Tab stop is the skip link; Enter moves focus past the header to the page's content.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'a', text: 'Skip to main content' });
    await page.keyboard.press('Enter');
    await expect.poll(() => isFocused(page, 'main')).toBe(true);
    // The next stops are in the page, not the header again.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!window.document.activeElement?.closest('main'))).toBe(true);

    // One h1, the document's title (marked as the writer's own direction), then the text's own headings.
    const h1 = page.locator('main h1');
    expect(await h1.count()).toBe(1);
    expect(await h1.innerText()).toBe('Plan de acción nacional');
    expect(await page.locator('[data-testid="editor"] h2').innerText()).toBe('Chapter 1: civic space');
    // The text itself is reachable and announced as a read-only text box.
    await tabTo(page, '[data-testid="editor"] .ProseMirror');
    const editor = page.locator('[data-testid="editor"] .ProseMirror');
    expect(await editor.getAttribute('role')).toBe('textbox');
    expect(await editor.getAttribute('aria-readonly')).toBe('true');
    expect(await editor.getAttribute('aria-label')).toBeTruthy();
  });

  it('a contributor selects a passage with the keyboard, comments on it, and lands on the new thread', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    const amina = await joinAs(server.url, owner, consultation.id, 'Amina', 'contributor', 'civil_society');
    const writer = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    writeParagraph(writer.doc, 'Everyone may take part.');
    await untilServerHas(server.server, document.id, 'take part');
    for (const phase of ['drafting', 'open_for_comment'])
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${server.url}/#/d/${document.id}`, { cookie: amina.cookie });
    await connected(page);
    const editor = page.locator('[data-testid="editor"] .ProseMirror');
    await expect.poll(() => editor.innerText()).toContain('take part');

    // Tab to the text, go to its start, select a word with Shift+arrows (waiting for the browser to report it).
    await tabTo(page, '[data-testid="editor"] .ProseMirror');
    await page.keyboard.press('Control+Home');
    await selectByKeyboard(page, 'Everyone');
    await page.keyboard.press('Control+Alt+KeyM');
    // The composer opens with the focus in its text field.
    await page.getByTestId('comment-composer').waitFor();
    await expect.poll(() => isFocused(page, '[data-testid="comment-composer"] textarea')).toBe(true);
    await page.keyboard.type('Name the groups, please.');
    await tabTo(page, '[data-testid="comment-submit"]');
    await page.keyboard.press('Enter');
    // Focus follows the comment to its new thread, which says what it quotes.
    await expect.poll(() => page.evaluate(() => window.document.activeElement?.closest('[data-testid="thread"]')?.textContent ?? '')).toContain('Name the groups, please.');
  });

  it('in a live session a contributor raises and lowers a hand and votes in a poll, with the keyboard alone; focus stays on the control', async () => {
    const server = await startServer();
    const { owner, consultation } = await createDocument(server.url);
    const amina = await joinAs(server.url, owner, consultation.id, 'Amina', 'contributor', 'civil_society');
    for (const phase of ['drafting', 'open_for_comment'])
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
    const meeting = (await owner.call<{ id: string }>('POST', `/consultations/${consultation.id}/meetings`, { title: 'Hearing', startsAt: new Date().toISOString() })).body;
    const facilitator = await connectSocket(server.url, owner.cookie);
    ok(await facilitator.emitWithAck('meeting:start', { meetingId: meeting.id }));
    ok(await facilitator.emitWithAck('poll:open', { meetingId: meeting.id, question: 'Adopt chapter 1?', options: ['Yes', 'No', 'Abstain'] }));

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${server.url}/#/m/${meeting.id}`, { cookie: amina.cookie });
    await page.getByTestId('hand-raise').waitFor({ timeout: 45_000 });

    // Raise: the button becomes "Lower hand", and focus goes with it rather than back to the page's start.
    await tabTo(page, '[data-testid="hand-raise"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('hand-raised').waitFor();
    await expect.poll(() => isFocused(page, '[data-testid="hand-lower"]')).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTestId('hand-raise').waitFor();
    await expect.poll(() => isFocused(page, '[data-testid="hand-raise"]')).toBe(true);

    // Vote: Tab into the options, arrows choose, Tab to the button, Enter sends.
    await tabTo(page, '[data-testid="poll-vote-form"] input[type="radio"]');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByTestId('poll-vote-form').getByLabel('No').isChecked()).toBe(true);
    await tabTo(page, '[data-testid="poll-vote"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('poll-yours').waitFor();
    expect((await page.getByTestId('poll-yours').innerText()).replace(/[\u2068\u2069]/g, '')).toContain('No');
    await expect.poll(() => isFocused(page, '[data-testid="poll-vote"]')).toBe(true);
  });
});
