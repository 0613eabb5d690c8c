import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import type { Member } from '../../shared/accounts.ts';
import type { PersonalDataExport } from '../../shared/privacy.ts';
import { api, createDocument, startServer } from '../helpers/server.ts';
import { connectSocket } from '../helpers/socket.ts';
import { liveAnchor } from '../helpers/comments.ts';
import { ok } from '../helpers/meetings.ts';
import { findChromium, joinAs, launchBrowser, openPage } from '../helpers/browser.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';

const chromiumPath = findChromium();

/** Visible text without the Unicode isolates the client puts around names and titles. */
const text = async (locator: Locator) => (await locator.innerText()).replace(/[\u2068\u2069]/g, '');

describe.skipIf(!chromiumPath)('deleting one’s account in a real browser', () => {
  it('with the keyboard only: a dialog says what goes and what stays, asks for the password, and the contributions stay under “Former participant”', async () => {
    const server = await startServer();
    const { owner, consultation, document: doc } = await createDocument(server.url);
    const person = await joinAs(server.url, owner, consultation.id, 'Esperanza Villalobos', 'contributor', 'civil_society');
    for (const phase of ['drafting', 'open_for_comment']) expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
    const socket = await connectSocket(server.url, person.cookie);
    ok(await socket.emitWithAck('thread:create', { documentId: doc.id, anchor: await liveAnchor(server.server, doc.id, 'freedom of expression'), body: 'Add a timeline.' }));
    socket.close();

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${server.url}/#/account`, { cookie: person.cookie });
    const open = page.getByTestId('delete-account');
    await open.waitFor();
    await expectNoAxeViolations(page);

    // Their data first, with the keyboard: a JSON file holding their comment and account.
    await page.getByTestId('export-my-data').focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const saved = JSON.parse(await readFile((await download.path())!, 'utf8')) as PersonalDataExport;
    expect(saved.account.displayName).toBe('Esperanza Villalobos');
    expect(saved.comments.map((c) => c.body)).toEqual(['Add a timeline.']);

    // Keyboard: focus the button, open with Enter; the password field has the focus.
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('delete-account-dialog');
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    const body = await text(dialog);
    for (const said of ['What is erased', 'What stays', 'e-mail address', 'Former participant', 'stakeholder group']) expect(body).toContain(said);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('password');
    await expectNoAxeViolations(page);

    // Escape closes it and gives the focus back to the button.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('delete-account');

    // A wrong password is refused, in words, and nothing is deleted.
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('password');
    await page.keyboard.type('not my password');
    await page.keyboard.press('Enter');
    await expect.poll(() => text(dialog.getByRole('alert'))).toContain('That password is not right.');
    expect((await person.call('GET', '/auth/me')).status).toBe(200);
    await expectNoAxeViolations(page);

    // The right one deletes the account: back home, signed out, told what happened.
    await page.keyboard.type(person.password);
    await page.keyboard.press('Enter');
    await expect.poll(() => text(page.getByTestId('notice'))).toContain('Your account has been deleted.');
    expect(page.url()).toMatch(/#\/$/);
    expect((await person.call('GET', '/auth/me')).status).toBe(401);
    expect((await api(server.url, 'POST', '/auth/login', { email: person.me.email, password: person.password })).status).toBe(401);

    // The facilitator sees the member as a former participant, with their group, and no name.
    const members = (await owner.call<Member[]>('GET', `/consultations/${consultation.id}/members`)).body;
    expect(members.find((m) => m.former)).toMatchObject({ group: 'civil_society', displayName: null });
    const facilitator = await openPage(browser, `${server.url}/#/c/${consultation.id}`, { cookie: owner.cookie });
    await expect.poll(() => text(facilitator.getByTestId('members'))).toContain('Former participant (Civil society)');
    expect(await text(facilitator.getByTestId('members'))).not.toContain('Esperanza');
    // Their comment stays beside the text, under the same name.
    const docPage = await openPage(browser, `${server.url}/#/d/${doc.id}`, { cookie: owner.cookie });
    const author = docPage.getByTestId('comment-author').first();
    await author.waitFor({ timeout: 45_000 });
    await expect.poll(() => text(author)).toBe('Former participant (Civil society)');
    expect(await text(docPage.getByTestId('comment-body').first())).toBe('Add a timeline.');
  }, 300_000);
});
