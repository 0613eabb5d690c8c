import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Consultation, DocumentMeta } from '../../shared/schemas.ts';
import type { Thread } from '../../shared/comments.ts';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectSocket } from '../helpers/socket.ts';
import { liveAnchor } from '../helpers/comments.ts';
import { ok } from '../helpers/meetings.ts';
import { findChromium, joinAs, launchBrowser, openPage } from '../helpers/browser.ts';

const chromiumPath = findChromium();

/** Visible text without the Unicode isolates the client puts around names and titles. */
const text = async (locator: Locator) => (await locator.innerText()).replace(/[\u2068\u2069]/g, '');
/** An accessible name with a title in it, isolates or not. */
const named = (before: string, title: string) => new RegExp(`^${before}\u2068?${title.replace(/[()]/g, '\\$&')}\u2069?”$`);
const focused = (page: Page, attribute: string) => page.evaluate((a) => document.activeElement?.getAttribute(a) ?? null, attribute);

describe.skipIf(!chromiumPath)('documents and adoption in a real browser', () => {
  it('a facilitator renames and archives a test document by keyboard, restores it, then adopts after reviewing what is still open', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url, undefined, 'Test upload');
    const base = `/consultations/${consultation.id}`;
    const plan = (await owner.call<DocumentMeta>('POST', `${base}/documents`, { title: 'Action plan' })).body;
    const amina = await joinAs(server.url, owner, consultation.id, 'Amina', 'contributor', 'civil_society');
    const browser = await launchBrowser(chromiumPath!);
    const facilitator = await openPage(browser, `${server.url}/#/c/${consultation.id}`, { cookie: owner.cookie });
    const contributor = await openPage(browser, `${server.url}/#/c/${consultation.id}`, { cookie: amina.cookie });
    const list = (page: Page) => page.getByRole('list', { name: 'Documents', exact: true });
    await expect.poll(() => list(facilitator).getByRole('link').allInnerTexts()).toEqual(['Action plan', 'Test upload']);
    await expect.poll(() => list(contributor).getByRole('link').allInnerTexts()).toEqual(['Action plan', 'Test upload']);
    // Contributors get neither action.
    expect(await contributor.getByRole('button', { name: /^(Rename|Archive) / }).count()).toBe(0);

    // Rename inline, by keyboard: Escape cancels, Enter saves, focus comes back to the button each time.
    const renameButton = facilitator.getByRole('button', { name: named('Rename “', 'Test upload') });
    await renameButton.focus();
    await facilitator.keyboard.press('Enter');
    const input = facilitator.getByLabel(named('New title for “', 'Test upload'));
    await expect.poll(() => focused(facilitator, 'data-rename-input')).toBe(document.id);
    await facilitator.keyboard.type('Discarded');
    await facilitator.keyboard.press('Escape');
    await expect.poll(() => focused(facilitator, 'data-rename')).toBe(document.id);
    expect(await input.count()).toBe(0);
    await facilitator.keyboard.press('Enter');
    await facilitator.keyboard.type('Annex (draft upload)'); // the old title is selected, so typing replaces it
    await facilitator.keyboard.press('Enter');
    await expect.poll(() => list(facilitator).getByRole('link').allInnerTexts()).toEqual(['Action plan', 'Annex (draft upload)']);
    await expect.poll(() => focused(facilitator, 'data-rename')).toBe(document.id);
    // The contributor's page follows live.
    await expect.poll(() => list(contributor).getByRole('link').allInnerTexts(), { timeout: 30_000 }).toEqual(['Action plan', 'Annex (draft upload)']);

    // Archive through the confirmation dialog, by keyboard.
    await facilitator.getByRole('button', { name: named('Archive “', 'Annex (draft upload)') }).focus();
    await facilitator.keyboard.press('Enter');
    const dialog = facilitator.getByRole('dialog', { name: 'Archive this document?' });
    await dialog.waitFor();
    expect(await text(dialog)).toContain('“Annex (draft upload)” will leave the plan’s list of documents');
    await dialog.getByRole('button', { name: 'Archive' }).focus();
    await facilitator.keyboard.press('Enter');
    await expect.poll(() => list(facilitator).getByRole('link').allInnerTexts()).toEqual(['Action plan']);
    await expect.poll(() => list(contributor).getByRole('link').allInnerTexts(), { timeout: 30_000 }).toEqual(['Action plan']);
    expect(await contributor.getByTestId('archived-documents').count()).toBe(0);

    // The archived document opens read-only, with the reason.
    const archivedPage = await openPage(browser, `${server.url}/#/d/${document.id}`, { cookie: owner.cookie });
    await expect.poll(() => archivedPage.getByTestId('readonly-reason').getAttribute('data-reason'), { timeout: 30_000 }).toBe('readonly.archived');
    await archivedPage.close();

    // Facilitators find it among the archived documents and restore it.
    const archive = facilitator.getByTestId('archived-documents');
    await archive.locator('summary').focus();
    await facilitator.keyboard.press('Enter');
    const archivedList = facilitator.getByRole('list', { name: 'Archived documents' });
    await expect.poll(() => archivedList.getByRole('link').allInnerTexts()).toEqual(['Annex (draft upload)']);
    await facilitator.getByRole('button', { name: named('Restore “', 'Annex (draft upload)') }).click();
    await expect.poll(() => list(facilitator).getByRole('link').allInnerTexts()).toEqual(['Action plan', 'Annex (draft upload)']);
    await expect.poll(() => archivedList.count()).toBe(0);
    await expect.poll(() => list(contributor).getByRole('link').allInnerTexts(), { timeout: 30_000 }).toEqual(['Action plan', 'Annex (draft upload)']);

    // Adoption: the dialog lists what is still open, with links, before anything is final.
    for (const phase of ['drafting', 'open_for_comment']) expect((await owner.call('POST', `${base}/phase`, { phase })).status).toBe(200);
    const socket = await connectSocket(server.url, amina.cookie);
    const open = ok(await socket.emitWithAck('thread:create', { documentId: plan.id, anchor: await liveAnchor(server.server, plan.id, 'civic space'), body: 'Too narrow.', proposal: 'civic and digital space' }));
    expect((await owner.call('POST', `${base}/phase`, { phase: 'closed' })).status).toBe(200);
    const adopt = facilitator.locator('[data-testid="phase-button"][data-phase="adopted"]');
    await adopt.waitFor({ timeout: 30_000 });
    await adopt.click();
    const confirm = facilitator.getByRole('dialog', { name: 'Adopt the plan?' });
    await confirm.waitFor();
    const threads = confirm.getByTestId('adoption-open-threads');
    const proposals = confirm.getByTestId('adoption-pending-proposals');
    expect(await text(confirm)).toContain('1 open thread will be closed as “Closed at adoption”');
    expect(await text(confirm)).toContain('1 proposal awaiting a decision will be marked “Not decided before adoption”');
    expect(await text(threads)).toContain('civic space');
    expect(await text(proposals)).toContain('civic and digital space');
    expect(await threads.getByRole('link').getAttribute('href')).toBe(`#/d/${plan.id}`);
    await confirm.getByRole('button', { name: 'Adopt the plan' }).click();
    await expect.poll(async () => (await owner.call<Consultation>('GET', base)).body.phase, { timeout: 30_000 }).toBe('adopted');
    const outcome = async () => (await owner.call<{ threads: Thread[] }>('GET', `/documents/${plan.id}/threads`)).body.threads.find((t) => t.id === open.id)!;
    // The phase shows as adopted a moment before the adoption's answer, which comes once every thread is settled.
    await expect
      .poll(
        async () => {
          const thread = await outcome();
          return [thread.status, thread.proposal?.status];
        },
        { timeout: 30_000 },
      )
      .toEqual(['closed_at_adoption', 'lapsed']);

    // The thread shows its outcome in the document.
    const docPage = await openPage(browser, `${server.url}/#/d/${plan.id}`, { cookie: amina.cookie });
    const card = docPage.locator(`[data-testid="thread"][data-thread-id="${open.id}"]`);
    await card.waitFor({ timeout: 30_000 });
    expect((await card.getByTestId('thread-status').textContent())?.trim()).toBe('Closed at adoption'); // shown in capitals by CSS
    expect(await text(card.getByTestId('proposal-outcome'))).toBe('Not decided before adoption.');
    // No renaming or archiving in an adopted plan.
    await expect.poll(() => facilitator.getByRole('button', { name: /^(Rename|Archive) “/ }).count(), { timeout: 30_000 }).toBe(0);
  }, 120_000);
});
