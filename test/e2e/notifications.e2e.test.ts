import { describe, expect, it } from 'vitest';
import type { UnreadCount } from '../../shared/notifications.ts';
import { addMember, createDocument, startServer } from '../helpers/server.ts';
import { connectSocket } from '../helpers/socket.ts';
import { liveAnchor } from '../helpers/comments.ts';
import { ok } from '../helpers/meetings.ts';
import { findChromium, joinAs, launchBrowser, openPage } from '../helpers/browser.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('notifications in a real browser', () => {
  it('a reply reaches the other person’s badge and centre live; keyboard to open, read and close; e-mail chosen on the account page', async () => {
    const server = await startServer();
    const { owner, consultation, document: doc } = await createDocument(server.url);
    const amina = await joinAs(server.url, owner, consultation.id, 'Amina Diallo', 'contributor', 'civil_society');
    const nhri = await addMember(server.url, owner, consultation.id, 'contributor', 'nhri');
    for (const phase of ['drafting', 'open_for_comment']) expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
    await expect.poll(async () => (await amina.call<UnreadCount>('GET', '/notifications/unread')).body.unread, { timeout: 30_000 }).toBe(2);
    await amina.call('POST', '/notifications/read-all');
    const aminaSocket = await connectSocket(server.url, amina.cookie);
    const thread = ok(await aminaSocket.emitWithAck('thread:create', { documentId: doc.id, anchor: await liveAnchor(server.server, doc.id, 'freedom of expression'), body: 'Add a timeline.' }));

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${server.url}/#/c/${consultation.id}`, { cookie: amina.cookie });
    const bell = page.getByTestId('notifications-button');
    await bell.waitFor();
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, none unread');
    expect(await page.getByTestId('notifications-badge').count()).toBe(0);

    // The NHRI replies from elsewhere: Amina's badge counts it, without a reload.
    const nhriSocket = await connectSocket(server.url, nhri.cookie);
    ok(await nhriSocket.emitWithAck('comment:reply', { threadId: thread.id, body: 'And a budget line.' }));
    await page.getByTestId('notifications-badge').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('notifications-badge').innerText()).toBe('1');
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');

    // Keyboard: Enter opens the centre, which takes the focus; the reply is there, by alias (identities are hidden).
    await bell.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('notifications-panel');
    await panel.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('notifications-panel');
    const item = page.getByTestId('notification').first();
    await item.waitFor();
    const said = (await item.innerText()).replace(/[\u2068\u2069]/g, '');
    expect(said).toContain('NHRI participant');
    expect(said).toContain('replied in a thread you took part in');
    expect(said).not.toContain('And a budget line');
    await expectNoAxeViolations(page, 'body');

    // The list also holds the (read) phase changes. A second reply arrives while the centre is open: it appears at the top,
    // naming the facilitator, who acts officially.
    expect(await page.getByTestId('notification').count()).toBe(3);
    const owners = await connectSocket(server.url, owner.cookie);
    ok(await owners.emitWithAck('comment:reply', { threadId: thread.id, body: 'Noted.' }));
    await expect.poll(() => page.getByTestId('notification').count(), { timeout: 30_000 }).toBe(4);
    expect(await page.getByTestId('notification').first().innerText()).toContain(owner.me.displayName);
    expect(await page.getByTestId('notifications-badge').innerText()).toBe('2');

    // Mark all read with the keyboard, then Escape closes and gives the focus back to the button.
    await page.getByRole('button', { name: 'Mark all as read' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('notifications-badge').count()).toBe(0);
    expect((await amina.call<UnreadCount>('GET', '/notifications/unread')).body.unread).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('notifications-button');

    // In Arabic: the centre reads right to left and stays free of violations.
    const arabic = await openPage(browser, `${server.url}/#/c/${consultation.id}`, { cookie: amina.cookie, locale: 'ar' });
    await arabic.getByTestId('notifications-button').click();
    await arabic.getByTestId('notification').first().waitFor();
    expect(await arabic.getByTestId('notifications-panel').locator('h2').innerText()).toBe('الإشعارات');
    await expectNoAxeViolations(arabic, 'body');

    // The account page: mail is off by default; choosing the digest is kept.
    await page.goto(`${server.url}/#/account`);
    const settings = page.getByTestId('notification-email');
    await settings.waitFor();
    const off = settings.getByRole('radio', { name: 'No e-mail' });
    await off.waitFor();
    expect(await off.isChecked()).toBe(true);
    await settings.getByRole('radio', { name: 'A daily digest' }).check();
    await settings.getByText('Your e-mail choice is saved.').waitFor();
    expect((await amina.call<{ email: string }>('GET', '/notifications/settings')).body.email).toBe('digest');
    await expectNoAxeViolations(page, 'body');
  });
});
