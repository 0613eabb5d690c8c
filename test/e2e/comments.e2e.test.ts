import { describe, expect, it } from 'vitest';
import type { Locator, Page, WebSocketRoute } from 'playwright-core';
import type { Consultation } from '../../shared/schemas.ts';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectYjs, eventually } from '../helpers/yjs.ts';
import { anchorOn, serverText, untilServerHas, writeParagraph } from '../helpers/comments.ts';
import { connectSocket } from '../helpers/socket.ts';
import { findChromium, joinAs, launchBrowser, newContext, openPage, connected, selectWords } from '../helpers/browser.ts';

const chromiumPath = findChromium();

const editor = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');
/** Visible text without the Unicode isolates the client puts around names. */
const text = async (locator: Locator) => (await locator.innerText()).replace(/[\u2068\u2069]/g, '');
const threadOn = (page: Page, quote: string) =>
  page.getByTestId('comments-panel').locator('[data-testid="thread"]', { has: page.locator('[data-testid="thread-quote"]', { hasText: quote }) });

const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>';

describe.skipIf(!chromiumPath)('comments in real browsers', () => {
  it('a contributor comments on a passage; a drafter sees it in place, answers and accepts a proposal, all live', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    // Names shown from the start (identities are hidden by default), so that hiding them later is seen to take effect.
    expect((await owner.call('PATCH', `/consultations/${consultation.id}`, { hideIdentities: false })).status).toBe(200);
    const drafterUser = await joinAs(server.url, owner, consultation.id, 'Daniel', 'drafter', 'government');
    const contributorUser = await joinAs(server.url, owner, consultation.id, 'Amina', 'contributor', 'civil_society');

    // The drafter's text, written through Yjs as the editor stores it.
    const writer = connectYjs(server.wsUrl, document.id, { cookie: drafterUser.cookie });
    await writer.synced;
    // Each paragraph is written at the top: the text reads "Every ministry…", then "The State…".
    const stateParagraph = writeParagraph(writer.doc, 'The State shall consult civil society before adopting the plan.');
    writeParagraph(writer.doc, 'Every ministry reports on torture prevention each year.');
    for (const phase of ['drafting', 'open_for_comment'])
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);

    const browser = await launchBrowser(chromiumPath!);
    const docUrl = `${server.url}/#/d/${document.id}`;
    const amina = await openPage(browser, docUrl, { cookie: contributorUser.cookie });
    const daniel = await openPage(browser, docUrl, { cookie: drafterUser.cookie });
    await Promise.all([connected(amina), connected(daniel)]);
    for (const page of [amina, daniel]) await expect.poll(() => editor(page).innerText(), { timeout: 30_000 }).toContain('adopting the plan');
    for (const page of [amina, daniel]) await expect.poll(() => text(page.getByTestId('comment-counts'))).toContain('0 threads');

    // The panel is a labelled complementary landmark.
    const panel = amina.getByRole('complementary', { name: 'Comments' });
    expect(await panel.count()).toBe(1);

    // Comments need a passage within one paragraph.
    await amina.getByRole('button', { name: 'Comment on the selected text' }).click();
    await expect.poll(() => text(amina.getByTestId('comments-notice'))).toContain('First select the words');

    // Amina (read only: a contributor) selects a passage and comments on it from the toolbar.
    await selectWords(amina, 'consult civil society');
    await amina.getByRole('button', { name: 'Comment on the selected text' }).click();
    const composer = amina.getByTestId('comment-composer');
    await composer.waitFor();
    expect(await text(composer.getByTestId('composer-quote'))).toBe('consult civil society');
    await expect.poll(() => amina.evaluate(() => (window.document.activeElement as HTMLElement | null)?.dataset.testid)).toBe('comment-body-input');
    await composer.getByTestId('comment-body-input').fill('Which groups, and how early?\nName them.');
    expect(await text(composer)).toContain('39 of 4,000 characters');
    await composer.getByTestId('comment-submit').click();
    await threadOn(amina, 'consult civil society').waitFor();
    // The thread can arrive by broadcast a moment before the acknowledgement closes the composer.
    await expect.poll(() => composer.count()).toBe(0);

    // Daniel sees the highlight in the text, in the contributor's group colour, and the thread beside it.
    const highlight = daniel.locator('[data-testid="editor"] .comment-highlight', { hasText: 'consult civil society' });
    await highlight.waitFor({ timeout: 30_000 });
    expect(await text(highlight)).toBe('consult civil society');
    expect(await highlight.evaluate((el) => getComputedStyle(el).borderBottomColor)).toBe('rgb(27, 122, 62)'); // civil society
    const danielThread = threadOn(daniel, 'consult civil society');
    await danielThread.waitFor();
    const first = danielThread.getByTestId('comment').first();
    expect(await text(first.getByTestId('comment-author'))).toBe('Amina');
    expect(await text(first)).toContain('Civil society');
    expect(await text(first)).toContain('Contributor');
    expect(await first.getByTestId('comment-body').innerText()).toBe('Which groups, and how early?\nName them.');
    await expect.poll(() => text(daniel.getByTestId('comment-counts'))).toContain('1 thread, 1 open');
    // New comments from others are announced politely.
    await expect.poll(() => text(daniel.getByTestId('comments-announcer'))).toContain('New comment from Amina.');

    // Clicking the highlight selects its thread; Daniel, who may edit, keeps the focus in the text, and replies.
    await highlight.click();
    await expect.poll(() => danielThread.getAttribute('data-active')).toBe('true');
    expect(await daniel.evaluate(() => window.document.activeElement?.classList.contains('ProseMirror'))).toBe(true);
    await danielThread.getByTestId('reply-open').click();
    await danielThread.getByTestId('reply-input').fill('Noted: we will name them in the next draft.');
    await danielThread.getByTestId('reply-submit').click();

    // Amina sees the reply without reloading, with the drafter's name and role.
    const aminaThread = threadOn(amina, 'consult civil society');
    // For her, a reader, clicking the highlight moves the focus to the thread.
    await amina.locator('[data-testid="editor"] .comment-highlight', { hasText: 'consult civil society' }).click();
    const threadId = await aminaThread.getAttribute('data-thread-id');
    await expect.poll(() => amina.evaluate(() => (window.document.activeElement as HTMLElement | null)?.dataset.threadId)).toBe(threadId);
    await expect.poll(() => aminaThread.getByTestId('comment').count(), { timeout: 30_000 }).toBe(2);
    const reply = aminaThread.getByTestId('comment').nth(1);
    expect(await text(reply.getByTestId('comment-body'))).toBe('Noted: we will name them in the next draft.');
    expect(await text(reply.getByTestId('comment-author'))).toBe('Daniel');
    expect(await text(reply)).toContain('Drafter');

    // Amina supports the passage; Daniel sees the count under her stakeholder group.
    await aminaThread.getByRole('button', { name: 'Support' }).click();
    await expect.poll(() => aminaThread.getByRole('button', { name: 'Support' }).getAttribute('aria-pressed')).toBe('true');
    const counts = danielThread.locator('[data-testid="position-counts"] tr[data-group="civil_society"] td[data-stance="support"]');
    await expect.poll(() => counts.innerText().catch(() => ''), { timeout: 30_000 }).toBe('1');

    // A script in a comment is only text on the other member's page (the keyboard shortcut opens the composer).
    await selectWords(amina, 'torture prevention');
    await amina.keyboard.press('Control+Alt+KeyM');
    await composer.getByTestId('comment-body-input').fill(XSS);
    await composer.getByTestId('comment-proposal-input').fill(XSS);
    await composer.getByTestId('comment-submit').click();
    const xssThread = threadOn(daniel, 'torture prevention');
    await xssThread.waitFor({ timeout: 30_000 });
    expect(await xssThread.getByTestId('comment-body').innerText()).toBe(XSS);
    expect(await xssThread.getByTestId('proposal-text').innerText()).toBe(XSS);
    expect(await daniel.getByTestId('comments-panel').locator('img, script').count()).toBe(0);
    await daniel.waitForTimeout(300);
    expect(await daniel.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await amina.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();

    // A proposal accepted by the drafter changes the text in both editors.
    await selectWords(amina, 'the plan');
    await amina.getByRole('button', { name: 'Comment on the selected text' }).click();
    await composer.getByTestId('comment-body-input').fill('Name the plan in full.');
    await composer.getByTestId('comment-proposal-input').fill('the National Human Rights Action Plan');
    await composer.getByTestId('comment-submit').click();
    const proposalThread = threadOn(daniel, 'the plan');
    await proposalThread.waitFor({ timeout: 30_000 });
    // The threads are listed in the order of the text.
    await expect
      .poll(() => daniel.locator('[data-testid="thread-quote"]').allInnerTexts())
      .toEqual(['torture prevention', 'consult civil society', 'the plan']);
    // Before Daniel decides, someone edits inside the passage: the thread shows the words as they read now
    // (those accepting replaces) and what they first were.
    const proposalId = await proposalThread.getAttribute('data-thread-id');
    const proposalOn = (page: Page) => page.locator(`[data-testid="thread"][data-thread-id="${proposalId}"]`);
    expect(await text(proposalOn(daniel).getByTestId('proposal-replaces'))).toBe('the plan');
    stateParagraph.insert(stateParagraph.toString().indexOf('plan.'), 'draft ');
    await expect.poll(() => text(proposalOn(daniel).getByTestId('proposal-replaces')), { timeout: 30_000 }).toBe('the draft plan');
    expect(await text(proposalOn(daniel).getByTestId('thread-quote'))).toBe('the draft plan');
    expect(await text(proposalOn(daniel).getByTestId('thread-first-read'))).toContain('the plan');
    await proposalOn(daniel).getByTestId('proposal-accept').click();
    const expected = 'The State shall consult civil society before adopting the National Human Rights Action Plan.';
    for (const page of [daniel, amina]) await expect.poll(() => editor(page).innerText(), { timeout: 30_000 }).toContain(expected);
    await expect.poll(() => text(proposalOn(amina).getByTestId('proposal-outcome'))).toContain('Accepted by Daniel');
    // The words it replaced stay on the thread, for everyone.
    for (const page of [daniel, amina]) await expect.poll(() => text(proposalOn(page).getByTestId('original-wording'))).toBe('the draft plan');
    expect(await text(proposalOn(amina).getByTestId('thread-quote'))).toBe('the National Human Rights Action Plan');

    // Identities hidden: the drafter no longer sees the contributor's name anywhere in the panel.
    expect((await owner.call<Consultation>('PATCH', `/consultations/${consultation.id}`, { hideIdentities: true })).status).toBe(200);
    await expect.poll(() => text(first.getByTestId('comment-author')), { timeout: 30_000 }).toMatch(/^Civil society participant \d+$/);
    expect(await text(daniel.getByTestId('comments-panel'))).not.toContain('Amina');
  }, 300_000);

  it('a hidden comment shows why; a thread whose words are deleted stays, marked detached, with the original words', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    const drafterUser = await joinAs(server.url, owner, consultation.id, 'Daniel', 'drafter', 'government');
    const writer = connectYjs(server.wsUrl, document.id, { cookie: drafterUser.cookie });
    await writer.synced;
    const paragraph = writeParagraph(writer.doc, 'Article 1. Remove this sentence entirely. Keep the rest.');

    const browser = await launchBrowser(chromiumPath!);
    const daniel = await openPage(browser, `${server.url}/#/d/${document.id}`, { cookie: drafterUser.cookie });
    await connected(daniel);
    await expect.poll(() => editor(daniel).innerText(), { timeout: 30_000 }).toContain('Keep the rest');
    // Drafters annotate while drafting; an editable editor needs the focus for its selection.
    await editor(daniel).click();
    await selectWords(daniel, 'Remove this sentence entirely.');
    await daniel.keyboard.press('Control+Alt+KeyM');
    await daniel.getByTestId('comment-body-input').fill('Delete this?');
    await daniel.getByTestId('comment-submit').click();
    const thread = threadOn(daniel, 'Remove this sentence entirely.');
    await thread.waitFor();
    await daniel.locator('.comment-highlight').waitFor();
    expect(await thread.getAttribute('data-detached')).toBe('false');

    // A facilitator hides the comment: its author sees the marker and the reason (as text) in its place.
    const comment = thread.getByTestId('comment').first();
    const facilitator = await connectSocket(server.url, owner.cookie);
    const hidden = await facilitator.emitWithAck('moderation:hide', {
      threadId: (await thread.getAttribute('data-thread-id'))!,
      commentId: (await comment.getAttribute('data-comment-id'))!,
      reason: 'Off topic <b>here</b>',
    });
    expect(hidden.ok).toBe(true);
    await expect.poll(() => comment.getAttribute('data-hidden'), { timeout: 30_000 }).toBe('true');
    expect(await text(comment.getByTestId('comment-hidden'))).toBe('Hidden by a facilitator.');
    expect(await text(comment)).toContain('Reason: Off topic <b>here</b>');
    expect(await comment.getByTestId('comment-body').count()).toBe(0);
    expect(await comment.getByRole('button', { name: 'Edit your comment' }).count()).toBe(0);

    // Someone else deletes the words: the thread stays, detached, still quoting them.
    const at = paragraph.toString().indexOf('Remove');
    paragraph.delete(at, 'Remove this sentence entirely. '.length);
    await expect.poll(() => thread.getAttribute('data-detached'), { timeout: 30_000 }).toBe('true');
    expect(await text(thread.getByTestId('thread-detached'))).toContain('Detached');
    expect(await text(thread.getByTestId('thread-quote'))).toBe('Remove this sentence entirely.');
    expect(await daniel.locator('.comment-highlight').count()).toBe(0);
  }, 300_000);

  it('a drafter whose copy of the text lags is shown the current words, and asked again, before anything is replaced', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    const drafterUser = await joinAs(server.url, owner, consultation.id, 'Daniel', 'drafter', 'government');
    const nhriUser = await joinAs(server.url, owner, consultation.id, 'Rights Commission', 'contributor', 'nhri');
    const writer = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    const paragraph = writeParagraph(writer.doc, 'Everyone has the right to take part in the conduct of public affairs.');
    await untilServerHas(server.server, document.id, 'public affairs');
    for (const phase of ['drafting', 'open_for_comment'])
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
    // The contributor anchors one passage but claims another quote: the server shows the anchored words.
    const nhri = await connectSocket(server.url, nhriUser.cookie);
    const lying = { ...anchorOn(paragraph, 'Everyone has the right to take part'), quote: 'pubic affairs' };
    const created = await nhri.emitWithAck('thread:create', {
      documentId: document.id,
      anchor: lying,
      body: 'Say who.',
      proposal: 'Every person has the right to take part',
    });
    if (!created.ok) throw new Error(created.error.code);

    // Daniel's copy of the text can be held back: while `hold` is set, what the server sends on his Yjs connection waits.
    const browser = await launchBrowser(chromiumPath!);
    const context = await newContext(browser, server.url, { cookie: drafterUser.cookie });
    let hold = false;
    const held: (() => void)[] = [];
    await context.routeWebSocket(/\/yjs\//, (ws) => {
      const upstream = ws.connectToServer();
      upstream.onMessage((message) => (hold ? held.push(() => ws.send(message)) : ws.send(message)));
    });
    const daniel = await context.newPage();
    await daniel.goto(`${server.url}/#/d/${document.id}`);
    await connected(daniel);
    const thread = daniel.locator(`[data-testid="thread"][data-thread-id="${created.data.id}"]`);
    await expect.poll(() => thread.getByTestId('proposal-replaces').innerText().catch(() => ''), { timeout: 30_000 }).toBe('Everyone has the right to take part');
    expect(await text(thread.getByTestId('thread-quote'))).toBe('Everyone has the right to take part');
    expect(await text(daniel.getByTestId('comments-panel'))).not.toContain('pubic');

    // His copy falls behind while someone edits inside the passage; he accepts what he sees.
    hold = true;
    paragraph.insert(paragraph.toString().indexOf('right'), 'full ');
    await untilServerHas(server.server, document.id, 'the full right');
    await thread.getByTestId('proposal-accept').click();
    // Refused: nothing changed, and he is shown the words as they read now.
    await thread.getByTestId('proposal-conflict').waitFor({ timeout: 30_000 });
    expect(await text(thread.getByTestId('proposal-conflict'))).toContain('changed before your decision');
    expect(await text(thread.getByTestId('proposal-replaces'))).toBe('Everyone has the full right to take part');
    expect(await text(thread.getByTestId('thread-quote'))).toBe('Everyone has the full right to take part');
    expect(await thread.getByTestId('proposal').getAttribute('data-status')).toBe('pending');
    expect(serverText(server.server, document.id)).toBe('Everyone has the full right to take part in the conduct of public affairs.');

    // Accepting again replaces exactly those words.
    await thread.getByTestId('proposal-accept').click();
    const replaced = 'Every person has the right to take part in the conduct of public affairs.';
    await eventually(() => serverText(server.server, document.id) === replaced, 'the new wording on the server');
    hold = false;
    for (const send of held.splice(0)) send();
    await expect.poll(() => editor(daniel).innerText(), { timeout: 30_000 }).toContain(replaced);
    await expect.poll(() => text(thread.getByTestId('original-wording')), { timeout: 30_000 }).toBe('Everyone has the full right to take part');
    expect(await text(thread.getByTestId('thread-first-read'))).toContain('Everyone has the right to take part');
    expect(await thread.getByTestId('proposal-conflict').count()).toBe(0);
  }, 300_000);

  it('catches up after losing its live connection: nothing missed, nothing twice', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    const drafterUser = await joinAs(server.url, owner, consultation.id, 'Daniel', 'drafter', 'government');
    const nhriUser = await joinAs(server.url, owner, consultation.id, 'Rights Commission', 'contributor', 'nhri');
    const writer = connectYjs(server.wsUrl, document.id, { cookie: drafterUser.cookie });
    await writer.synced;
    const paragraph = writeParagraph(writer.doc, 'Prisons are inspected by the national preventive mechanism twice a year.');
    await untilServerHas(server.server, document.id, 'twice a year');
    for (const phase of ['drafting', 'open_for_comment'])
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
    const nhri = await connectSocket(server.url, nhriUser.cookie);
    const first = await nhri.emitWithAck('thread:create', { documentId: document.id, anchor: anchorOn(paragraph, 'twice a year'), body: 'Unannounced, too.' });
    if (!first.ok) throw new Error(first.error.code);

    // The drafter's live connection goes through a route the test can cut, and keep cut for a while.
    const browser = await launchBrowser(chromiumPath!);
    const context = await newContext(browser, server.url, { cookie: drafterUser.cookie });
    let cut = false;
    const open: WebSocketRoute[] = [];
    await context.route('**/socket.io/**', (route) => (cut ? route.abort() : route.continue()));
    await context.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (cut) return void ws.close();
      ws.connectToServer();
      open.push(ws);
    });
    const daniel = await context.newPage();
    await daniel.goto(`${server.url}/#/d/${document.id}`);
    await connected(daniel);
    const thread = threadOn(daniel, 'twice a year');
    await thread.waitFor({ timeout: 30_000 });
    await daniel.locator('.comment-highlight').waitFor();

    // Cut: meanwhile a reply and a new thread are posted.
    cut = true;
    for (const ws of open.splice(0)) await ws.close();
    await nhri.emitWithAck('comment:reply', { threadId: first.data.id, body: 'Missed reply.' });
    const late = await nhri.emitWithAck('thread:create', { documentId: document.id, anchor: anchorOn(paragraph, 'Prisons'), body: 'Missed thread.' });
    if (!late.ok) throw new Error(late.error.code);
    await daniel.waitForTimeout(500);
    expect(await thread.getByTestId('comment').count()).toBe(1); // really cut off
    cut = false;

    // Back: the page catches up by itself, with each thread and each comment once. Socket.IO's
    // reconnection backs off (up to 5 s, randomised) after the failed attempts while cut, and a
    // busy machine slows each attempt: allow it several tries.
    await expect.poll(() => thread.getByTestId('comment').count(), { timeout: 90_000 }).toBe(2);
    await threadOn(daniel, 'Prisons').waitFor();
    expect(await daniel.locator('[data-testid="thread"]').count()).toBe(2);
    expect(await text(thread.getByTestId('comment').nth(1).getByTestId('comment-body'))).toBe('Missed reply.');
    // And it is live again.
    await nhri.emitWithAck('comment:reply', { threadId: late.data.id, body: 'Live again.' });
    await expect.poll(() => text(threadOn(daniel, 'Prisons')), { timeout: 30_000 }).toContain('Live again.');
    expect(await daniel.locator('[data-testid="thread"]').count()).toBe(2);
    expect(await daniel.locator('[data-testid="comment"]').count()).toBe(4);
    await expect.poll(() => text(daniel.getByTestId('comment-counts'))).toContain('2 threads, 2 open');
  }, 300_000);
});
