import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { addMember, createDocument, startServer } from '../helpers/server.ts';
import { findChromium, launchBrowser, openPage, connected, selectWords } from '../helpers/browser.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { connectYjs, eventually } from '../helpers/yjs.ts';
import { writeParagraph } from '../helpers/comments.ts';
import { writePlan } from '../helpers/plan.ts';
import { fragmentName } from '../../shared/collab.ts';
import { findActionElement } from '../../shared/plan-read.ts';
import { groupColours } from '../../shared/groups.ts';
import type { DocumentDiff, Version } from '../../shared/history.ts';

const chromiumPath = findChromium();

/** Text as read, without the Unicode isolates the catalogue puts around values. */
const text = async (locator: Locator) => (await locator.innerText()).replace(/[\u2066-\u2069]/g, '');

/** `#1f5fa8` as the browser reports a computed colour. */
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;


const editorText = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror').innerText();

describe.skipIf(!chromiumPath)('the history page, in a real browser', () => {
  it('shows a contributor, since their last visit, the passage they commented on changed by Government (colour, name and group) and their thread marked; passes axe', async () => {
    const s = await startServer();
    const { owner, consultation, document: meta } = await createDocument(s.url);
    const drafter = await addMember(s.url, owner, consultation.id, 'drafter', 'government');
    const contributor = await addMember(s.url, owner, consultation.id, 'contributor', 'civil_society');
    for (const phase of ['drafting', 'open_for_comment'])
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);

    const pen = connectYjs(s.wsUrl, meta.id, { cookie: drafter.cookie });
    await pen.synced;
    const passage = writeParagraph(pen.doc, 'The state shall consult civil society before adopting laws.');

    // The contributor reads the document and comments on a passage, then closes it.
    const browser = await launchBrowser(chromiumPath!);
    const doc = await openPage(browser, `${s.url}/#/d/${meta.id}`, { cookie: contributor.cookie });
    await connected(doc);
    await expect.poll(() => editorText(doc)).toContain('consult civil society');
    // The document header links to its history.
    expect(await doc.getByTestId('history-link').getAttribute('href')).toBe(`#/d/${meta.id}/history`);
    await selectWords(doc, 'consult civil society');
    await doc.getByRole('button', { name: 'Comment on the selected text' }).click();
    const composer = doc.getByTestId('comment-composer');
    await composer.getByTestId('comment-body-input').fill('Which groups, and how early?');
    await composer.getByTestId('comment-submit').click();
    await composer.waitFor({ state: 'detached' });
    await doc.context().close(); // their last Yjs connection closes: the visit is recorded
    await eventually(async () => (await contributor.call<DocumentDiff>('GET', `/documents/${meta.id}/diff?from=visit`)).body.from?.at != null, 'the visit to be recorded');

    // A government drafter rewords that passage.
    const at = passage.toString().indexOf('civil society');
    passage.delete(at, 'civil society'.length);
    passage.insert(at, 'everyone concerned');
    await eventually(
      async () => JSON.stringify((await contributor.call<DocumentDiff>('GET', `/documents/${meta.id}/diff?from=visit`)).body).includes('everyone concerned'),
      'the change to reach the server',
    );

    // The contributor comes back to the history page and compares since their last visit.
    const page = await openPage(browser, `${s.url}/#/d/${meta.id}/history`, { cookie: contributor.cookie });
    await page.getByTestId('history').waitFor();
    // A contributor may not name or restore versions: neither control is offered.
    expect(await page.getByTestId('create-version').count()).toBe(0);
    await page.getByTestId('compare-from').selectOption('visit');
    await page.getByTestId('compare-to').selectOption('now');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const result = page.getByTestId('compare-result');
    await result.waitFor();

    const drafterLabel = `${drafter.me.displayName} (Government)`;
    const added = result.locator('[data-testid="diff-change"][data-kind="added"]');
    const removed = result.locator('[data-testid="diff-change"][data-kind="removed"]');
    await expect.poll(() => added.count()).toBe(1);
    expect(await added.getAttribute('data-group')).toBe('government');
    expect(await removed.getAttribute('data-group')).toBe('government');
    // Added text is underlined, removed text struck through, both in the Government colour, and each is labelled with who and which group.
    const style = (l: Locator) => l.evaluate((el) => ({ line: getComputedStyle(el).textDecorationLine, colour: getComputedStyle(el).textDecorationColor, tag: el.tagName }));
    expect(await style(added)).toEqual({ line: 'underline', colour: rgb(groupColours.government), tag: 'INS' });
    expect(await style(removed)).toEqual({ line: 'line-through', colour: rgb(groupColours.government), tag: 'DEL' });
    // What a screen reader reads of each change (the visible label beside it is hidden from it, so it is not read twice).
    const spoken = async (l: Locator) => (await l.textContent())!.replace(/[\u2066-\u2069]/g, '');
    expect(await spoken(added)).toBe(`added by ${drafterLabel}: everyone concerned`);
    expect(await spoken(removed)).toBe(`removed by ${drafterLabel}: civil society`);
    const labels = result.getByTestId('diff-author');
    expect(await labels.evaluateAll((all) => all.map((el) => el.textContent!.replace(/[\u2066-\u2069]/g, '')))).toEqual([drafterLabel, drafterLabel]);
    expect(await labels.first().evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(rgb(groupColours.government));
    // Counts per group.
    const govCounts = result.locator('[data-testid="diff-counts"] tr[data-group="government"]');
    expect(await text(govCounts.locator('th'))).toBe('Government');
    expect(await text(govCounts.locator('[data-count="added"]'))).toBe(String('everyone concerned'.length));
    expect(await text(govCounts.locator('[data-count="removed"]'))).toBe(String('civil society'.length));
    // Their thread: the passage was changed, by Government, with its quote.
    const fate = result.getByTestId('thread-fate');
    expect(await fate.count()).toBe(1);
    expect(await fate.getAttribute('data-fate')).toBe('passage_changed');
    expect(await text(fate)).toContain('passage changed by Government');
    expect(await text(fate)).toContain('consult civil society');

    await expectNoAxeViolations(page);
  });

  it('a drafter names a version, the facilitator sees it arrive live and restores it; both see the restored text', async () => {
    const s = await startServer();
    const { owner, consultation, document: meta } = await createDocument(s.url);
    const drafter = await addMember(s.url, owner, consultation.id, 'drafter', 'government');
    expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase: 'drafting' })).status).toBe(200);
    const pen = connectYjs(s.wsUrl, meta.id, { cookie: drafter.cookie });
    await pen.synced;
    const passage = writeParagraph(pen.doc, 'Prisons shall be inspected every year.');

    const browser = await launchBrowser(chromiumPath!);
    const facilitator = await openPage(browser, `${s.url}/#/d/${meta.id}/history`, { cookie: owner.cookie });
    await facilitator.getByTestId('history').waitFor();
    const listed = (page: Page) => page.getByTestId('version-title').evaluateAll((all) => all.map((el) => el.textContent!.replace(/[\u2066-\u2069]/g, '')));
    // The phase change to drafting made a version already.
    await expect.poll(() => listed(facilitator)).toEqual(['Phase: Drafting']);

    // The drafter names the text as it is now.
    const history = await openPage(browser, `${s.url}/#/d/${meta.id}/history`, { cookie: drafter.cookie });
    await history.getByTestId('history').waitFor();
    await eventually(async () => JSON.stringify((await drafter.call<DocumentDiff>('GET', `/documents/${meta.id}/diff?from=visit`)).body).includes('every year'), 'the text on the server');
    expect(await history.locator('[data-action="restore-version"]').count()).toBe(0); // drafters do not restore
    await history.getByLabel('Version name').fill('Before the ministry’s edits');
    await history.getByLabel('Version name').press('Enter');
    await expect.poll(() => listed(history)).toEqual(['Before the ministry’s edits', 'Phase: Drafting']);
    // The facilitator's list follows without a reload, with who made it.
    await expect.poll(() => listed(facilitator)).toEqual(['Before the ministry’s edits', 'Phase: Drafting']);
    expect(await text(facilitator.getByTestId('version').first().getByTestId('version-author'))).toBe(`By ${drafter.me.displayName} (Government)`);

    // The drafter rewrites the sentence and keeps the document open.
    const editor = await openPage(browser, `${s.url}/#/d/${meta.id}`, { cookie: drafter.cookie });
    await connected(editor);
    passage.delete(0, passage.length);
    passage.insert(0, 'Prisons may be inspected.');
    await expect.poll(() => editorText(editor)).toBe('Prisons may be inspected.');

    // The named version still reads as it was, read-only.
    const named = facilitator.getByTestId('version').filter({ hasText: 'Before the ministry’s edits' });
    await named.locator('[data-action="read-version"]').click();
    const reader = facilitator.getByTestId('version-reader');
    await expect.poll(() => text(reader.getByTestId('version-text'))).toBe('Prisons shall be inspected every year.');
    expect(await reader.locator('[contenteditable="true"], input, textarea').count()).toBe(0);
    // The page with a version open, a facilitator's controls and all, passes axe.
    await expectNoAxeViolations(facilitator);

    // The facilitator restores it, after a confirmation that says it becomes a new change for everyone.
    await named.locator('[data-action="restore-version"]').click();
    const dialog = facilitator.getByRole('dialog');
    expect(await text(dialog)).toContain('as a new change, for everyone');
    await dialog.getByRole('button', { name: 'Restore as a new change' }).click();

    // Both pages show the restored text: the drafter's open editor, and the facilitator reading the document now.
    await expect.poll(() => editorText(editor)).toBe('Prisons shall be inspected every year.');
    const restoredTitle = 'Restored from “Before the ministry’s edits”';
    for (const page of [facilitator, history]) await expect.poll(() => listed(page)).toEqual([restoredTitle, 'Before the ministry’s edits', 'Phase: Drafting']);
    const versions = await owner.call<{ items: Version[] }>('GET', `/documents/${meta.id}/versions`);
    expect(versions.body.items[0]).toMatchObject({ reason: 'restore' });
    const own = await openPage(browser, `${s.url}/#/d/${meta.id}`, { cookie: owner.cookie });
    await connected(own);
    await expect.poll(() => editorText(own)).toBe('Prisons shall be inspected every year.');
  });

  it('pages the versions list, compares a version with now field by field in readable values, and passes axe in Arabic', async () => {
    const s = await startServer();
    const { owner, consultation, document: meta } = await createDocument(s.url);
    const observer = await addMember(s.url, owner, consultation.id, 'observer', 'nhri');
    expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase: 'drafting' })).status).toBe(200);
    const pen = connectYjs(s.wsUrl, meta.id, { cookie: owner.cookie });
    await pen.synced;
    const fragment = pen.doc.getXmlFragment(fragmentName);
    writePlan(fragment, [
      {
        id: 'g1',
        title: 'Detention',
        objectives: [{ id: 'o1', title: 'Oversight', actions: [{ id: 'a1', title: 'Inspect prisons', attrs: { lead: 'Ministry of Justice', budget: { amount: 250000, currency: 'KES', source: 'donor' } } }] }],
      },
    ]);
    await eventually(async () => JSON.stringify((await owner.call<DocumentDiff>('GET', `/documents/${meta.id}/diff?from=visit`)).body).includes('Inspect prisons'), 'the plan on the server');
    // 21 named versions and the phase's: two pages of twenty.
    for (let i = 1; i <= 21; i++) expect((await owner.call('POST', `/documents/${meta.id}/versions`, { name: `Draft ${i}` })).status).toBe(201);
    const action = findActionElement(fragment, 'a1')!;
    pen.doc.transact(() => {
      action.setAttribute('lead', 'Office of the Ombudsman');
      action.setAttribute('status', 'in_progress');
    });
    await eventually(async () => (await owner.call<DocumentDiff>('GET', `/documents/${meta.id}/diff?from=visit`)).body.fields?.some((f) => f.after === 'Office of the Ombudsman') ?? false, 'the edit on the server');

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${s.url}/#/d/${meta.id}/history`, { cookie: observer.cookie });
    await page.getByTestId('history').waitFor();
    const listed = () => page.getByTestId('version-title').evaluateAll((all) => all.map((el) => el.textContent!.replace(/[\u2066-\u2069]/g, '')));
    await expect.poll(async () => (await listed()).length).toBe(20);
    expect((await listed())[0]).toBe('Draft 21');
    await page.locator('[data-action="more-versions"]').click();
    await expect.poll(async () => (await listed()).slice(-3)).toEqual(['Draft 2', 'Draft 1', 'Phase: Drafting']);
    expect(await page.locator('[data-action="more-versions"]').count()).toBe(0);
    // An observer reads and compares; naming and restoring are not theirs.
    expect(await page.getByTestId('create-version').count()).toBe(0);
    expect(await page.locator('[data-action="restore-version"]').count()).toBe(0);

    await page.getByTestId('compare-from').selectOption({ label: 'Draft 21' });
    await page.getByTestId('compare-to').selectOption('now');
    await page.locator('[data-action="compare"]').press('Enter'); // keyboard
    const rows = page.getByTestId('field-change');
    await expect.poll(() => rows.count()).toBe(2);
    const row = async (field: string) =>
      (await page.locator(`[data-testid="field-change"][data-field="${field}"]`).locator('th, td').allTextContents()).map((x) => x.replace(/[\u2066-\u2069]/g, ''));
    expect(await row('lead')).toEqual(['Action 1.1.1: Inspect prisons', 'Lead institution', 'Ministry of Justice', 'Office of the Ombudsman']);
    expect(await row('status')).toEqual(['Action 1.1.1: Inspect prisons', 'Status', 'Planned', 'In progress']);
    expect(await page.getByTestId('diff-none').count()).toBe(1); // no words changed

    // The same page in Arabic, right to left, passes axe too.
    const ar = await openPage(browser, `${s.url}/#/d/${meta.id}/history`, { cookie: observer.cookie, locale: 'ar' });
    await ar.getByTestId('history').waitFor();
    expect(await ar.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await ar.getByTestId('compare-from').selectOption({ index: 1 });
    await ar.locator('[data-action="compare"]').click();
    await ar.getByTestId('compare-result').waitFor();
    await expectNoAxeViolations(ar);
  });
});
