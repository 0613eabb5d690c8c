import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { fragmentName } from '../../shared/collab.ts';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectYjs } from '../helpers/yjs.ts';
import { accountDetails, createAccountThroughUi, findChromium, launchBrowser, openPage, connected } from '../helpers/browser.ts';

const chromiumPath = findChromium();

const editor = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');
/** Visible text without the Unicode isolates the client puts around names and titles. */
const text = async (locator: Locator) => (await locator.innerText()).replace(/[\u2068\u2069]/g, '');
const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(!chromiumPath)('inviting people in real browsers', () => {
  it('a facilitator invites a contributor, who joins and may read but not edit, live through phases, roles and locks', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    const browser = await launchBrowser(chromiumPath!);
    const docUrl = `${server.url}/#/d/${document.id}`;

    // A new consultation hides identities unless its creator unticks the box.
    const home = await openPage(browser, `${server.url}/#/`, { cookie: owner.cookie });
    expect(await home.getByTestId('create-consultation-form').getByLabel('Hide participants’ identities').isChecked()).toBe(true);
    await home.close();
    // This one shows names, so that hiding them later is seen to take effect.
    expect((await owner.call('PATCH', `/consultations/${consultation.id}`, { hideIdentities: false })).status).toBe(200);

    // The facilitator makes a contributor invitation in the dialog and reads the link from the page.
    const facilitator = await openPage(browser, `${server.url}/#/c/${consultation.id}`, { cookie: owner.cookie });
    await facilitator.getByTestId('invite-button').click();
    const dialog = facilitator.getByTestId('invite-dialog');
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    await dialog.getByLabel('Role', { exact: true }).selectOption('contributor');
    await dialog.getByLabel('Stakeholder group').selectOption('civil_society');
    await dialog.getByLabel('The link works for').selectOption({ label: '7 days' });
    await dialog.getByLabel('Number of uses').fill('1');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const linkField = dialog.getByTestId('invite-link');
    await linkField.waitFor();
    const link = await linkField.inputValue();
    expect(link).toMatch(new RegExp(`^${escapeRegExp(server.url)}/#/invite/[A-Za-z0-9_-]{43}$`));
    expect(await text(dialog)).toContain('This link is shown only once');
    await dialog.getByTestId('copy-link').click();
    await expect.poll(() => text(dialog)).toMatch(/Link copied\.|The link is selected/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    expect(await dialog.getByTestId('invite-link').count()).toBe(0); // the link is gone for good
    await expect.poll(() => facilitator.locator('[data-testid="invitation"][data-status="active"]').count()).toBe(1);

    // Someone signed out opens the link, creates an account, and joins.
    const guest = await openPage(browser, link);
    const preview = guest.getByTestId('invitation-preview');
    await preview.waitFor();
    expect(await text(preview)).toContain(`You are invited to “${consultation.title}” as Contributor (Civil society).`);
    // It says what others will see of you before you decide.
    expect(await guest.getByTestId('invitation-identity').getAttribute('data-others-see')).toBe('name');
    expect(await text(preview)).toContain('Other members will see your display name.');
    await createAccountThroughUi(guest, accountDetails('Zainab'));
    expect(await guest.getByTestId('join-form').getByLabel('Show my name to other members').isChecked()).toBe(true);
    await guest.getByTestId('join-form').getByRole('button', { name: 'Join' }).click();
    await guest.waitForURL(`**/#/c/${consultation.id}`);
    await expect.poll(() => guest.getByTestId('your-role').getAttribute('data-role')).toBe('contributor');
    // The contributor sees the member list but cannot manage it.
    await expect.poll(() => text(guest.getByTestId('members'))).toContain('Zainab');
    expect(await guest.getByTestId('member-role').count()).toBe(0);
    expect(await guest.getByTestId('invite-button').count()).toBe(0);

    // The facilitator's page follows live: a new member, and the link used up.
    const member = facilitator.locator('[data-testid="member"]', { hasText: 'Zainab' });
    await member.waitFor({ timeout: 30_000 });
    expect(await text(member)).toContain('Contributor');
    await expect.poll(() => facilitator.locator('[data-testid="invitation"][data-status="usedUp"]').count()).toBe(1);

    // The contributor opens the document: read only, with the reason shown.
    await guest.getByRole('link', { name: document.title }).click();
    await connected(guest);
    const reason = guest.getByTestId('readonly-reason');
    await expect.poll(() => reason.getAttribute('data-reason')).toBe('readonly.contributor');
    expect(await text(reason)).toContain('Contributors comment on the documents but do not edit the text.');
    expect(await editor(guest).getAttribute('aria-readonly')).toBe('true');

    // The facilitator writes; the contributor reads it live.
    const facilitatorDoc = await facilitator.context().newPage();
    await facilitatorDoc.goto(docUrl);
    await connected(facilitatorDoc);
    await editor(facilitatorDoc).click();
    await facilitatorDoc.keyboard.type('The Ministry of Justice leads the plan.');
    await expect.poll(() => editor(guest).innerText(), { timeout: 30_000 }).toContain('Ministry of Justice');

    // The facilitator cannot demote the last facilitator: the error is shown and nothing changes.
    const self = facilitator.locator('[data-testid="member"][data-you="true"]');
    await self.getByTestId('member-role').selectOption('drafter');
    await self.getByTestId('member-save').click();
    await expect.poll(() => facilitator.getByTestId('members-error').getAttribute('data-code')).toBe('last_facilitator');
    expect(await self.getByTestId('member-role').inputValue()).toBe('facilitator');

    // The facilitator moves the consultation on to open for comment; the contributor's page follows live.
    await facilitator.locator('[data-testid="phase-button"][data-phase="drafting"]').click();
    await expect.poll(() => facilitator.getByTestId('phase').getAttribute('data-phase')).toBe('drafting');
    await facilitator.locator('[data-testid="phase-button"][data-phase="open_for_comment"]').click();
    await expect
      .poll(() => guest.getByTestId('document-phase').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('open_for_comment');
    // Contributors still cannot edit.
    expect(await reason.getAttribute('data-reason')).toBe('readonly.contributor');
    expect(await editor(guest).getAttribute('aria-readonly')).toBe('true');

    // Typing changes nothing, for anyone.
    await editor(guest).click();
    await guest.keyboard.type('The contributor rewrites everything.');
    await facilitatorDoc.keyboard.press('End');
    await facilitatorDoc.keyboard.type(' Reviewed.');
    await expect.poll(() => editor(guest).innerText(), { timeout: 30_000 }).toContain('Reviewed.');
    expect(await editor(guest).innerText()).not.toContain('rewrites');
    expect(await editor(facilitatorDoc).innerText()).not.toContain('rewrites');
    const reader = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    await reader.synced;
    const stored = reader.doc.getXmlFragment(fragmentName).toString();
    expect(stored).toContain('Reviewed.');
    expect(stored).not.toContain('rewrites');
    reader.destroy();

    // Hiding identities: others in the document no longer see the contributor's name, only an alias, live.
    const presence = facilitatorDoc.getByTestId('presence');
    await expect.poll(() => text(presence), { timeout: 30_000 }).toContain('Zainab');
    await facilitator.getByLabel('Hide participants’ identities').check();
    await expect.poll(() => text(presence), { timeout: 30_000 }).toContain('Civil society participant 2');
    expect(await text(presence)).not.toContain('Zainab');
    await expect.poll(() => text(guest.getByTestId('presence'))).toContain('Civil society participant 2 (you)');

    // Turning hiding off again reveals nobody who was a member under it: Zainab decides, on her consultation page.
    await facilitator.getByLabel('Hide participants’ identities').uncheck();
    const own = await guest.context().newPage();
    await own.goto(`${server.url}/#/c/${consultation.id}`);
    const seenAs = own.getByTestId('identity-seen-as');
    await expect.poll(() => text(seenAs)).toBe('Other members see you as: Civil society participant 2');
    expect(await own.getByLabel('Show my name to other members').isChecked()).toBe(false);
    expect(await text(presence)).not.toContain('Zainab');
    await own.getByLabel('Show my name to other members').check();
    await expect.poll(() => text(seenAs)).toBe('Other members see you as: Zainab');
    await expect.poll(() => text(presence)).toContain('Zainab');
    // …and may withdraw it again.
    await own.getByLabel('Show my name to other members').uncheck();
    await expect.poll(() => text(presence)).toContain('Civil society participant 2');
    expect(await text(presence)).not.toContain('Zainab');
    await own.close();

    // Made a drafter, the same person may edit at once, without reloading (and drafters are named).

    await member.getByTestId('member-role').selectOption('drafter');
    await member.getByTestId('member-save').click();
    await expect.poll(() => reason.count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => editor(guest).getAttribute('aria-readonly')).toBe('false');
    await editor(guest).click();
    await guest.keyboard.press('End');
    await guest.keyboard.type(' Drafted by Zainab.');
    await expect.poll(() => editor(facilitatorDoc).innerText(), { timeout: 30_000 }).toContain('Drafted by Zainab.');
    await expect.poll(() => text(presence)).toContain('Zainab');

    // A lock makes it read only again, with its own reason.
    await facilitatorDoc.getByTestId('lock-toggle').click();
    await expect.poll(() => reason.getAttribute('data-reason'), { timeout: 30_000 }).toBe('readonly.locked');
    expect(await editor(guest).getAttribute('aria-readonly')).toBe('true');

    // Removed from the consultation (after confirming), the person is sent home at once and told why.
    await member.getByRole('button', { name: /^Remove\W*Zainab\W*$/ }).click();
    const confirm = facilitator.getByRole('dialog', { name: 'Remove this member?' });
    await confirm.getByRole('button', { name: 'Remove member' }).click();
    await guest.waitForURL(/#\/$/, { timeout: 30_000 });
    await expect.poll(() => text(guest.getByTestId('notice'))).toContain('You are no longer a member of that consultation.');
    await expect.poll(() => facilitator.locator('[data-testid="member"]', { hasText: 'Zainab' }).count()).toBe(0);
  }, 300_000);
});
