import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import type { Member } from '../../shared/accounts.ts';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectSocket } from '../helpers/socket.ts';
import { liveAnchor } from '../helpers/comments.ts';
import { ok } from '../helpers/meetings.ts';
import { findChromium, joinAs, launchBrowser, openPage } from '../helpers/browser.ts';

const chromiumPath = findChromium();

/** Visible text without the Unicode isolates the client puts around names and titles. */
const text = async (locator: Locator) => (await locator.innerText()).replace(/[\u2068\u2069]/g, '');

describe.skipIf(!chromiumPath)('the audit page and the conversation', () => {
  it('a facilitator filters the log by the new actions: a reply under its author\'s name and alias, a position under its group only', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    const amina = await joinAs(server.url, owner, consultation.id, 'Amina', 'contributor', 'civil_society');
    for (const phase of ['drafting', 'open_for_comment']) expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
    expect((await owner.call('PATCH', `/consultations/${consultation.id}`, { hideIdentities: true })).status).toBe(200);
    const alias = (await owner.call<Member[]>('GET', `/consultations/${consultation.id}/members`)).body.find((m) => m.userId === amina.me.id)!.alias;

    const socket = await connectSocket(server.url, amina.cookie);
    const anchor = await liveAnchor(server.server, document.id, 'freedom of assembly');
    const thread = ok(await socket.emitWithAck('thread:create', { documentId: document.id, anchor, body: 'This needs a timeline.' }));
    ok(await socket.emitWithAck('comment:reply', { threadId: thread.id, body: 'And a budget.' }));
    ok(await socket.emitWithAck('thread:position', { threadId: thread.id, stance: 'support' }));

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${server.url}/#/c/${consultation.id}/audit`, { cookie: owner.cookie });
    await page.getByTestId('audit-table').waitFor();
    const filter = page.getByTestId('audit-action');
    for (const label of ['New thread', 'Reply', 'Position taken', 'Proposal accepted', 'Proposal declined', 'Thread resolved'])
      expect(await filter.locator('option', { hasText: label }).count()).toBe(1);

    await filter.selectOption('comment.replied');
    await expect.poll(() => page.getByTestId('audit-entry').count(), { timeout: 30_000 }).toBe(1);
    const reply = await text(page.getByTestId('audit-entry'));
    expect(reply).toContain('Reply');
    expect(reply).toContain('freedom of assembly');
    // Facilitators see the name, and the alias others see it under.
    expect(reply).toContain('Amina');
    expect(reply).toContain(`Civil society participant ${alias}`);
    expect(reply).not.toContain('And a budget');

    await filter.selectOption('position.taken');
    await expect.poll(() => page.getByTestId('audit-entry').getAttribute('data-action'), { timeout: 30_000 }).toBe('position.taken');
    const position = await text(page.getByTestId('audit-entry'));
    expect(position).toContain('A member (Civil society)');
    expect(position).not.toContain('Amina');
    expect(position).not.toContain('Convene (automatic)');
    expect(await page.getByTestId('audit-export').getAttribute('href')).toBe(`/api/consultations/${consultation.id}/audit.csv?action=position.taken`);
  }, 300_000);
});
