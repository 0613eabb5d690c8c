import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Thread } from '../../shared/comments.ts';
import type { Meeting } from '../../shared/meetings.ts';
import { createDocument, startServer, type TestUser } from '../helpers/server.ts';
import { connectSocket } from '../helpers/socket.ts';
import { connectYjs } from '../helpers/yjs.ts';
import { anchorOn, untilServerHas, writeParagraph } from '../helpers/comments.ts';
import { ok } from '../helpers/meetings.ts';
import { findChromium, joinAs, launchBrowser, openPage } from '../helpers/browser.ts';

const chromiumPath = findChromium();

/** Visible text without the Unicode isolates the client puts around names and titles. */
const text = async (locator: Locator) => (await locator.innerText()).replace(/[\u2068\u2069]/g, '');
/** mm:ss on the speaking timer, in seconds. */
const seconds = async (page: Page) => {
  const [m, s] = (await text(page.getByTestId('timer-clock'))).split(':').map(Number);
  return m! * 60 + s!;
};

async function openForComment(owner: TestUser, consultationId: string) {
  for (const phase of ['drafting', 'open_for_comment'])
    expect((await owner.call('POST', `/consultations/${consultationId}/phase`, { phase })).status).toBe(200);
}

describe.skipIf(!chromiumPath)('facilitated meetings and moderation in real browsers', () => {
  it('a contributor raises a hand, the facilitator sees the queue live and gives the floor; the contributor speaks with the timer running', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    const amina = await joinAs(server.url, owner, consultation.id, 'Amina', 'contributor', 'civil_society');
    const bashir = await joinAs(server.url, owner, consultation.id, 'Bashir', 'contributor', 'civil_society');
    await openForComment(owner, consultation.id);
    // Participants risk reprisals: contributors see one another only by alias.
    expect((await owner.call('PATCH', `/consultations/${consultation.id}`, { hideIdentities: true })).status).toBe(200);
    const scheduled = await owner.call<Meeting>('POST', `/consultations/${consultation.id}/meetings`, {
      title: 'Validation workshop',
      startsAt: new Date(Date.now() + 60_000).toISOString(),
      agenda: ['Opening', 'Chapter 1: civic space', 'Closing'],
      documentIds: [document.id],
    });
    expect(scheduled.status).toBe(201);
    const meetingUrl = `${server.url}/#/m/${scheduled.body.id}`;

    const browser = await launchBrowser(chromiumPath!);
    // The facilitator finds the meeting in the consultation's list and opens it.
    const facilitator = await openPage(browser, `${server.url}/#/c/${consultation.id}`, { cookie: owner.cookie });
    const listed = facilitator.locator(`[data-testid="meeting-item"][data-meeting-id="${scheduled.body.id}"]`);
    await listed.waitFor();
    expect(await listed.getAttribute('data-status')).toBe('scheduled');
    await listed.getByRole('link', { name: 'Validation workshop' }).click();
    await facilitator.getByTestId('meeting-status').waitFor();

    const contributor = await openPage(browser, meetingUrl, { cookie: amina.cookie });
    const other = await openPage(browser, meetingUrl, { cookie: bashir.cookie });
    // Not started yet: nobody can raise a hand; presence shows who has the page open, by group.
    await expect.poll(() => text(contributor.getByTestId('hand'))).toContain('once the meeting has started');
    const present = facilitator.getByTestId('presence-panel');
    await expect.poll(() => text(present), { timeout: 30_000 }).toContain('3 people present');
    expect(await text(present)).toContain('Amina');
    expect(await text(other.getByTestId('presence-panel'))).not.toContain('Amina');
    expect(await text(facilitator.getByTestId('meeting-documents'))).toContain(document.title);

    // Before it starts, the facilitator may still change it; the others' pages follow live.
    await facilitator.getByTestId('meeting-edit').click();
    const edit = facilitator.getByTestId('edit-meeting-form');
    // Saving without a title says why and takes the keyboard straight to the field, on the first try.
    await edit.getByTestId('meeting-field-title').fill('');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => facilitator.evaluate(() => (window.document.activeElement as HTMLElement | null)?.dataset.testid)).toBe('meeting-field-title');
    expect(await edit.getByTestId('meeting-field-title').getAttribute('aria-invalid')).toBe('true');
    await edit.getByTestId('meeting-field-title').fill('Validation workshop: civic space');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => text(contributor.getByTestId('meeting-title')), { timeout: 30_000 }).toBe('Validation workshop: civic space');
    expect(await contributor.getByTestId('meeting-edit').count()).toBe(0);

    // The facilitator starts the meeting: everyone sees it live at the first agenda item.
    await facilitator.getByTestId('meeting-start').click();
    for (const page of [contributor, other]) {
      await expect.poll(() => page.getByTestId('meeting-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('live');
      expect(await text(page.getByTestId('current-item'))).toContain('Opening');
    }
    expect(await contributor.getByTestId('meeting-start').count()).toBe(0); // only facilitators run the meeting

    // The contributor raises a hand; the facilitator's queue shows it live.
    await contributor.getByRole('button', { name: 'Raise my hand' }).click();
    await expect.poll(() => text(contributor.getByTestId('hand-raised'))).toContain('you are number 1 in the queue');
    const queued = facilitator.locator('[data-testid="queue-entry"]', { hasText: 'Amina' });
    await queued.waitFor({ timeout: 30_000 });
    expect(await text(facilitator.getByTestId('queue'))).toContain('1 person waiting');
    // The other contributor sees the queue too, but only an alias.
    await expect.poll(() => other.getByTestId('queue-entry').count(), { timeout: 30_000 }).toBe(1);
    expect(await text(other.getByTestId('queue'))).toMatch(/Civil society participant \d+/);
    expect(await text(other.getByTestId('queue'))).not.toContain('Amina');

    // The facilitator gives her the floor and starts a two-minute timer.
    await queued.getByRole('button', { name: /^Give the floor to\W*Amina\W*$/ }).click();
    await expect.poll(() => facilitator.getByTestId('queue-entry').count()).toBe(0);
    await facilitator.getByTestId('timer-minutes').fill('2');
    await facilitator.getByTestId('timer-start').click();

    // Her page shows her speaking, says so to screen readers, and counts the time down.
    const speaker = contributor.getByTestId('speaker');
    await expect.poll(() => speaker.getAttribute('data-you'), { timeout: 30_000 }).toBe('true');
    expect(await text(speaker)).toContain('Amina');
    expect(await text(contributor.getByTestId('you-speak'))).toBe('You have the floor.');
    await expect.poll(() => text(contributor.getByTestId('floor-announcement'))).toBe('You have the floor.');
    await expect.poll(() => contributor.getByTestId('timer').getAttribute('data-state'), { timeout: 30_000 }).toBe('running');
    const first = await seconds(contributor);
    expect(first).toBeGreaterThan(100);
    expect(first).toBeLessThanOrEqual(120);
    await expect.poll(() => seconds(contributor), { timeout: 30_000 }).toBeLessThan(first);
    expect(await text(contributor.getByTestId('timer'))).toContain('Speaking time left');
    // The others see the same speaker and timer, named by alias only.
    await expect.poll(() => other.getByTestId('timer').getAttribute('data-state'), { timeout: 30_000 }).toBe('running');
    expect(await text(other.getByTestId('speaker'))).toMatch(/Civil society participant \d+/);
    expect(await text(other.getByTestId('speaker'))).not.toContain('Amina');
    // Read one after the other, so poll: on a busy machine the two reads can be a second or more apart.
    await expect.poll(async () => Math.abs((await seconds(other)) - (await seconds(contributor))), { timeout: 30_000 }).toBeLessThanOrEqual(2);

    // Pausing stops the count for everyone.
    await facilitator.getByTestId('timer-pause').click();
    await expect.poll(() => contributor.getByTestId('timer').getAttribute('data-state'), { timeout: 30_000 }).toBe('paused');
    const paused = await seconds(contributor);
    await contributor.waitForTimeout(1_200);
    expect(await seconds(contributor)).toBe(paused);
  }, 300_000);

  it('a facilitator hides a flagged comment from the moderation queue; the contributor sees it hidden by a facilitator, with the reason', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    const amina = await joinAs(server.url, owner, consultation.id, 'Amina', 'contributor', 'civil_society');
    const daniel = await joinAs(server.url, owner, consultation.id, 'Daniel', 'drafter', 'government');
    const writer = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    const paragraph = writeParagraph(writer.doc, 'The State shall consult civil society before adopting the plan.');
    await untilServerHas(server.server, document.id, 'consult civil society');
    await openForComment(owner, consultation.id);

    // Amina comments on a passage; Daniel flags her comment.
    const body = 'The minister of justice is corrupt and lives at 12 Hill Road.';
    const aminaSocket = await connectSocket(server.url, amina.cookie);
    const thread = ok(await aminaSocket.emitWithAck('thread:create', { documentId: document.id, anchor: anchorOn(paragraph, 'consult civil society'), body }));
    const commentId = thread.comments[0]!.id;
    const danielSocket = await connectSocket(server.url, daniel.cookie);
    ok(await danielSocket.emitWithAck('comment:flag', { threadId: thread.id, commentId, reason: 'Personal information about an official' }));

    const browser = await launchBrowser(chromiumPath!);
    // Only facilitators are offered the moderation queue and the audit log.
    const contributorHome = await openPage(browser, `${server.url}/#/c/${consultation.id}`, { cookie: amina.cookie });
    await contributorHome.getByTestId('your-role').waitFor();
    await contributorHome.getByTestId('meetings').waitFor();
    expect(await contributorHome.getByTestId('facilitation-links').count()).toBe(0);

    const facilitator = await openPage(browser, `${server.url}/#/c/${consultation.id}`, { cookie: owner.cookie });
    await facilitator.getByTestId('moderation-link').click();
    const item = facilitator.locator(`[data-testid="moderation-item"][data-comment-id="${commentId}"]`);
    await item.waitFor({ timeout: 30_000 });
    expect(await item.getAttribute('data-status')).toBe('pending');
    expect(await text(item.getByTestId('moderation-body'))).toBe(body);
    expect(await text(item)).toContain('Comment by Amina');
    expect(await text(item.getByTestId('moderation-flag'))).toContain('Daniel');
    expect(await text(item.getByTestId('moderation-flag'))).toContain('Personal information about an official');

    // Hiding needs a reason.
    await item.getByTestId('moderation-hide').click();
    await expect.poll(() => item.getByTestId('moderation-reason').getAttribute('aria-invalid')).toBe('true');
    expect(await text(item)).toContain('Give a reason.');
    const reason = 'Personal attacks and home addresses are not allowed';
    await item.getByTestId('moderation-reason').fill(reason);
    await item.getByTestId('moderation-hide').click();
    // It leaves the pending list, and the decision is announced.
    await facilitator.getByTestId('moderation-empty').waitFor({ timeout: 30_000 });
    await expect.poll(() => text(facilitator.getByTestId('moderation-announcement'))).toBe('The comment by Amina is hidden.');
    await facilitator.getByTestId('moderation-filter').selectOption('hidden');
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 30_000 }).toBe('hidden');
    expect(await text(item)).toContain(`Hidden because: ${reason}`);

    // For members the text is gone: only the marker and the reason are left.
    const threads = (await amina.call<{ threads: Thread[] }>('GET', `/documents/${document.id}/threads`)).body.threads;
    expect(threads.find((t) => t.id === thread.id)!.comments[0]).toMatchObject({ body: null, hidden: { reason } });
    const documentPage = await openPage(browser, `${server.url}/#/d/${document.id}`, { cookie: amina.cookie });
    const comment = documentPage.locator(`[data-testid="comment"][data-comment-id="${commentId}"]`);
    await comment.waitFor({ timeout: 45_000 });
    expect(await comment.getAttribute('data-hidden')).toBe('true');
    expect(await text(comment.getByTestId('comment-hidden'))).toBe('Hidden by a facilitator.');
    expect(await text(comment)).toContain(reason);
    expect(await text(comment)).not.toContain('12 Hill Road');

    // The queue follows live: a new report appears without reloading.
    await facilitator.getByTestId('moderation-filter').selectOption('pending');
    await facilitator.getByTestId('moderation-empty').waitFor();
    const reply = ok(await aminaSocket.emitWithAck('comment:reply', { threadId: thread.id, body: 'And the deputy minister too.' }));
    const replyId = reply.comments[1]!.id;
    ok(await danielSocket.emitWithAck('comment:flag', { threadId: thread.id, commentId: replyId, reason: 'Same again' }));
    await facilitator.locator(`[data-testid="moderation-item"][data-comment-id="${replyId}"]`).waitFor({ timeout: 30_000 });

    // The audit log records the decision, with its reason; the export follows the filters.
    await facilitator.goto(`${server.url}/#/c/${consultation.id}/audit`);
    await facilitator.getByTestId('audit-table').waitFor();
    await facilitator.getByTestId('audit-action').selectOption('moderation.hidden');
    await expect.poll(() => facilitator.getByTestId('audit-entry').count(), { timeout: 30_000 }).toBe(1);
    const entry = facilitator.getByTestId('audit-entry');
    expect(await text(entry)).toContain('Comment hidden');
    expect(await text(entry)).toContain(reason);
    expect(await facilitator.getByTestId('audit-export').getAttribute('href')).toBe(`/api/consultations/${consultation.id}/audit.csv?action=moderation.hidden`);
  }, 300_000);

  it('a facilitator mutes a member from the member list; the member sees until when, and cannot raise a hand', async () => {
    const server = await startServer();
    const { owner, consultation } = await createDocument(server.url);
    const amina = await joinAs(server.url, owner, consultation.id, 'Amina', 'contributor', 'civil_society');
    await openForComment(owner, consultation.id);
    const meeting = await owner.call<Meeting>('POST', `/consultations/${consultation.id}/meetings`, { title: 'Hearing', startsAt: new Date().toISOString() });
    const ownerSocket = await connectSocket(server.url, owner.cookie);
    ok(await ownerSocket.emitWithAck('meeting:start', { meetingId: meeting.body.id }));

    const browser = await launchBrowser(chromiumPath!);
    const contributor = await openPage(browser, `${server.url}/#/m/${meeting.body.id}`, { cookie: amina.cookie });
    await contributor.getByRole('button', { name: 'Raise my hand' }).waitFor();

    const facilitator = await openPage(browser, `${server.url}/#/c/${consultation.id}`, { cookie: owner.cookie });
    const member = facilitator.locator('[data-testid="member"]', { hasText: 'Amina' });
    await member.getByRole('button', { name: /^Mute\W*Amina\W*$/ }).click();
    const dialog = facilitator.locator('[data-testid="mute-dialog"][open]');
    await dialog.getByLabel('For', { exact: true }).selectOption({ label: '1 hour' });
    await dialog.getByLabel('Reason', { exact: true }).fill('Repeated interruptions');
    await dialog.getByTestId('mute-confirm').click();
    await expect.poll(() => text(member), { timeout: 30_000 }).toContain('Muted until');
    expect(await member.getByTestId('member-unmute').count()).toBe(1);

    // The muted member's meeting page says why and until when, live, and offers no raised hand.
    const notice = contributor.getByTestId('muted-notice');
    await notice.waitFor({ timeout: 30_000 });
    expect(await text(notice)).toContain('A facilitator has muted you until');
    await expect.poll(() => text(contributor.getByTestId('hand-muted'))).toContain('you cannot raise your hand until then');
    expect(await contributor.getByTestId('hand-raise').count()).toBe(0);

    // Lifting it gives the hand back at once.
    await member.getByTestId('member-unmute').click();
    await contributor.getByTestId('hand-raise').waitFor({ timeout: 30_000 });
    expect(await contributor.getByTestId('muted-notice').count()).toBe(0);
  }, 300_000);

  it('when a speaker runs out of time, taking the floor back stops the red "Time is up" for everyone', async () => {
    const server = await startServer();
    const { owner, consultation } = await createDocument(server.url);
    const amina = await joinAs(server.url, owner, consultation.id, 'Amina', 'contributor', 'civil_society');
    await openForComment(owner, consultation.id);
    const meeting = await owner.call<Meeting>('POST', `/consultations/${consultation.id}/meetings`, { title: 'Hearing', startsAt: new Date().toISOString() });
    const meetingId = meeting.body.id;
    const ownerSocket = await connectSocket(server.url, owner.cookie);
    const aminaSocket = await connectSocket(server.url, amina.cookie);
    ok(await ownerSocket.emitWithAck('meeting:start', { meetingId }));
    ok(await aminaSocket.emitWithAck('hand:raise', { meetingId }));
    ok(await ownerSocket.emitWithAck('floor:give', { meetingId, to: 'next' }));
    ok(await ownerSocket.emitWithAck('timer:start', { meetingId, seconds: 1 }));

    const browser = await launchBrowser(chromiumPath!);
    const facilitator = await openPage(browser, `${server.url}/#/m/${meetingId}`, { cookie: owner.cookie });
    const contributor = await openPage(browser, `${server.url}/#/m/${meetingId}`, { cookie: amina.cookie });
    for (const page of [facilitator, contributor]) await expect.poll(() => page.getByTestId('timer').getAttribute('data-state'), { timeout: 30_000 }).toBe('over');
    expect(await text(facilitator.getByTestId('timer-per-speaker'))).toContain('starts the timer afresh');

    await facilitator.getByTestId('floor-take-back').click();
    for (const page of [facilitator, contributor]) {
      await expect.poll(() => page.getByTestId('timer').getAttribute('data-state'), { timeout: 30_000 }).toBe('paused');
      expect(await text(page.getByTestId('timer-clock'))).toBe('00:01');
    }
  }, 300_000);
});
