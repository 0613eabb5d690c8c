import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import type { Meeting } from '../../shared/meetings.ts';
import type { Member } from '../../shared/accounts.ts';
import type { Minutes } from '../../shared/minutes.ts';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectSocket } from '../helpers/socket.ts';
import { ok } from '../helpers/meetings.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { findChromium, joinAs, launchBrowser, openPage } from '../helpers/browser.ts';

const chromiumPath = findChromium();

/** Visible text without the Unicode isolates the client puts around names and titles. */
const text = async (locator: Locator) => (await locator.innerText()).replace(/[\u2068\u2069]/g, '');

describe.skipIf(!chromiumPath)('session minutes in real browsers', () => {
  it('a facilitator notes a decision during the session and a participant sees it live; afterwards the facilitator edits a note', async () => {
    const server = await startServer();
    const { owner, consultation } = await createDocument(server.url);
    const amina = await joinAs(server.url, owner, consultation.id, 'Amina Haddad', 'contributor', 'civil_society');
    const members = (await owner.call<Member[]>('GET', `/consultations/${consultation.id}/members`)).body;
    const aminaMember = members.find((m) => m.userId === amina.me.id)!;
    const scheduled = await owner.call<Meeting>('POST', `/consultations/${consultation.id}/meetings`, {
      title: 'Validation workshop',
      startsAt: new Date().toISOString(),
      agenda: ['Opening', 'Chapter 2: justice'],
    });
    expect(scheduled.status).toBe(201);
    const meetingId = scheduled.body.id;
    const socket = await connectSocket(server.url, owner.cookie);
    ok(await socket.emitWithAck('meeting:start', { meetingId }));
    const meetingUrl = `${server.url}/#/m/${meetingId}`;

    const browser = await launchBrowser(chromiumPath!);
    const facilitator = await openPage(browser, meetingUrl, { cookie: owner.cookie });
    const participant = await openPage(browser, meetingUrl, { cookie: amina.cookie });
    const minutesOf = (page: typeof facilitator) => page.getByTestId('minutes');
    await minutesOf(participant).waitFor();
    await minutesOf(facilitator).waitFor();
    // Only facilitators note decisions.
    expect(await minutesOf(participant).getByTestId('minutes-note-decision').count()).toBe(0);

    // Amina takes the floor: her turn appears in everyone's minutes under the first item, by alias and group.
    ok(await socket.emitWithAck('floor:give', { meetingId, to: aminaMember.id }));
    const firstItem = (page: typeof facilitator) => minutesOf(page).locator('[data-testid="minutes-item"][data-item="0"]');
    await firstItem(participant).getByTestId('minutes-speech').waitFor();
    const speech = await text(firstItem(participant).getByTestId('minutes-speech'));
    expect(speech).toContain(`Civil society participant ${aminaMember.alias}`);
    expect(speech).not.toContain('Amina');

    // The facilitator notes a decision with the keyboard; it shows on the participant's page without a reload.
    const note = minutesOf(facilitator).getByTestId('minutes-note-decision');
    await note.getByLabel('Note a decision').fill('The opening statement is adopted');
    await note.getByLabel('Note a decision').press('Tab');
    await facilitator.keyboard.press('Enter');
    await expect
      .poll(async () => (await firstItem(participant).getByTestId('minutes-decision').allInnerTexts()).map((t) => t.replace(/[\u2068\u2069]/g, '')))
      .toEqual(['The opening statement is adopted']);
    // Screen readers on the participant's page hear it too.
    expect(await text(minutesOf(participant).getByTestId('minutes-announcement'))).toBe('Decision noted: The opening statement is adopted');
    await expectNoAxeViolations(participant);
    await expectNoAxeViolations(facilitator);

    // After the end the facilitator edits a note; the participant's page follows.
    ok(await socket.emitWithAck('meeting:end', { meetingId }));
    await minutesOf(facilitator).getByTestId('minutes-edit-notes').click();
    const form = minutesOf(facilitator).getByTestId('minutes-notes-form');
    // Labelled "Notes on item 2: Chapter 2: justice" (the item's title inside Unicode isolates).
    const itemNotes = form.getByLabel(/^Notes on item 2: .Chapter 2: justice.$/);
    await itemNotes.fill('Deferred to the next session');
    await expectNoAxeViolations(facilitator);
    await form.getByTestId('minutes-notes-save').click();
    const secondItem = (page: typeof facilitator) => minutesOf(page).locator('[data-testid="minutes-item"][data-item="1"]');
    await expect.poll(async () => text(secondItem(facilitator).getByTestId('minutes-notes')).catch(() => '')).toBe('Deferred to the next session');
    await expect.poll(async () => text(secondItem(participant).getByTestId('minutes-notes')).catch(() => '')).toBe('Deferred to the next session');
    const stored = (await owner.call<Minutes>('GET', `/meetings/${meetingId}/minutes`)).body;
    expect(stored.notes.items).toEqual(['', 'Deferred to the next session']);
    expect(stored.decisions.map((d) => d.text)).toEqual(['The opening statement is adopted']);
  }, 180_000);
});
