import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { addMember, createDocument, startServer } from '../helpers/server.ts';
import { findChromium, launchBrowser, newContext, openPage, connected } from '../helpers/browser.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { uploadRecommendations } from '../helpers/recommendations.ts';
import { connectSocket } from '../helpers/socket.ts';
import { connectYjs } from '../helpers/yjs.ts';
import { anchorOn } from '../helpers/comments.ts';
import { fragmentName } from '../../shared/collab.ts';
import type { ConveneServer } from '../../server/app.ts';
import type { Anchor } from '../../shared/comments.ts';
import type { SdgTargets } from '../../shared/sdg.ts';

const chromiumPath = findChromium();

/** Text as read, without the Unicode isolates the catalogue puts around values. */
const plain = (text: string) => text.replace(/[\u2066-\u2069]/g, '');


async function insert(page: Page, tool: string): Promise<void> {
  await page.locator(`[data-tool="${tool}"]`).click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('ProseMirror') ?? false)).toBe(true);
}

const child = (el: Y.XmlElement | Y.XmlFragment, name: string) =>
  el.toArray().find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === name);

/** An anchor on words of the first action's title, read from the server's live document (where the editor's typing arrived). */
async function anchorInFirstActionTitle(server: ConveneServer, documentId: string, words: string): Promise<Anchor> {
  const room = await server.rooms.acquire(documentId);
  try {
    const action = child(child(child(room.doc.getXmlFragment(fragmentName), 'planGoal')!, 'planObjective')!, 'planAction')!;
    const title = child(action, 'planTitle')!.get(0) as Y.XmlText;
    return anchorOn(title, words);
  } finally {
    server.rooms.release(room);
  }
}

describe.skipIf(!chromiumPath)('the coverage view, live, in a real browser', () => {
  it('follows links made in the editor, imports and positions without a reload, and passes axe (as does the register)', async () => {
    const s = await startServer();
    const { owner, consultation, document: meta } = await createDocument(s.url);
    for (const phase of ['drafting', 'open_for_comment'])
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
    for (const rec of [
      { id: 'R-1', symbol: 'A/HRC/52/9 para 12', body: 'UPR', themes: ['Access to information'], position: 'supported', sdgs: ['16.10'], text: 'Guarantee public access to information held by public bodies' },
      { id: 'R-2', symbol: 'CAT/C/KEN/CO/3 para 8', body: 'CAT', themes: ['Torture'], affectedPersons: ['Detainees'], text: 'Prevent torture in places of detention' },
    ]) {
      expect((await owner.call('POST', `/consultations/${consultation.id}/recommendations`, rec)).status).toBe(201);
    }
    const title = async (lang: string) =>
      (await owner.call<SdgTargets>('GET', `/sdg/targets?lang=${lang}&goal=16`)).body.targets.find((t) => t.id === '16.10')!.title;
    const [en1610, fr1610] = [await title('en'), await title('fr')];
    const observer = await addMember(s.url, owner, consultation.id, 'observer', 'nhri');
    const contributor = await addMember(s.url, owner, consultation.id, 'contributor', 'civil_society');

    const browser = await launchBrowser(chromiumPath!);
    // B, an observer, watches the coverage view.
    const b = await openPage(browser, `${s.url}/#/d/${meta.id}/coverage`, { cookie: observer.cookie });
    const summary = b.locator('[data-figure="addressed"]');
    await expect.poll(() => summary.getAttribute('data-total')).toBe('2');
    expect(await summary.getAttribute('data-addressed')).toBe('0');
    const listed = () => b.getByTestId('unaddressed-recommendation').evaluateAll((all) => all.map((el) => el.getAttribute('data-id')));
    expect(await listed()).toEqual(['R-1', 'R-2']);
    expect(await b.getByTestId('coverage-positions').innerText()).toContain('The plan has no actions yet.');
    // "none given" for R-1's affected persons; choosing a value filters the list, choosing it again lifts the filter.
    const personsNone = b.locator('[data-facet="affectedPersons"] button[data-value=""]');
    expect(plain(await personsNone.innerText())).toBe('none given: 1');
    await personsNone.click();
    await expect.poll(listed).toEqual(['R-1']);
    expect(await personsNone.getAttribute('aria-pressed')).toBe('true');
    await personsNone.press('Enter');
    await expect.poll(listed).toEqual(['R-1', 'R-2']);

    // Nothing is announced at load: the page says it all then.
    expect(await b.getByTestId('coverage-announcement').innerText()).toBe('');

    // A, the facilitator, writes an action in the editor and links R-1 to it.
    const a = await openPage(browser, `${s.url}/#/d/${meta.id}`, { cookie: owner.cookie });
    await connected(a);
    await a.locator('[data-testid="editor"] .ProseMirror').click();
    await insert(a, 'planGoal');
    await a.keyboard.type('Access to justice');
    await insert(a, 'planObjective');
    await a.keyboard.type('Open courts');
    await insert(a, 'planAction');
    await a.keyboard.type('Publish judgments');
    // B sees the action appear, with everything it still lacks.
    const incompleteRow = b.locator('[data-testid="coverage-incomplete"] tr[data-missing]');
    await expect.poll(() => incompleteRow.getAttribute('data-missing')).toBe('lead indicator budget timeline');
    expect(await incompleteRow.locator('a').getAttribute('href')).toBe(`#/d/${meta.id}`);
    await expect.poll(() => incompleteRow.innerText()).toContain('1.1.1 Publish judgments');

    const panel = a.getByTestId('action-panel').first();
    await panel.locator('summary').click();
    const search = panel.locator('[data-field="recommendation-search"]');
    await search.focus();
    await search.fill('access information');
    await panel.locator('[data-match="R-1"] [data-action="link-recommendation"]').press('Enter');
    await expect.poll(() => panel.locator('[data-recommendation="R-1"]').count()).toBe(1);

    // B: the count drops and R-1 leaves the list, live.
    await expect.poll(() => summary.getAttribute('data-addressed')).toBe('1');
    await expect.poll(listed).toEqual(['R-2']);
    expect(await b.locator('[data-figure="unaddressed"]').innerText()).toBe('1');
    // The change is announced politely once it has settled.
    await expect.poll(async () => plain(await b.getByTestId('coverage-announcement').innerText())).toBe('1 of 2 recommendations addressed; 1 action missing details.');

    // A adds the target R-1 suggests: B lists it, titled in the reader's language, with the action linking it.
    await panel.locator('[data-action="add-suggested-sdg"][data-sdg-target="16.10"]').click();
    const target = b.locator('[data-testid="coverage-sdg"] tr[data-sdg-target="16.10"]');
    await expect.poll(() => target.locator('.sdg-title').innerText()).toBe(en1610);
    expect(await target.locator('.actions').innerText()).toBe('1.1.1');

    // Someone else's client links an id the register does not hold: B lists it as unknown.
    const other = connectYjs(s.wsUrl, meta.id, { cookie: owner.cookie });
    await other.synced;
    const action = child(child(child(other.doc.getXmlFragment(fragmentName), 'planGoal')!, 'planObjective')!, 'planAction')!;
    action.setAttribute('recommendations', ['R-1', 'GONE-1'] as unknown as string);
    const unknown = b.locator('[data-testid="coverage-unknown"] tr[data-recommendation="GONE-1"]');
    await expect.poll(() => unknown.innerText()).toContain('1.1.1');
    expect(await summary.getAttribute('data-addressed')).toBe('1');

    // An import on the side (through the API): sixty more, live; the list now runs to a second page.
    const rows = ['id,text,Recommending Body', ...Array.from({ length: 60 }, (_, i) => `I-${String(i).padStart(3, '0')},Ensure birth registration ${i},CRC`)];
    expect((await uploadRecommendations(s.url, owner, consultation.id, rows.join('\n'), { commit: true })).status).toBe(200);
    await expect.poll(() => summary.getAttribute('data-total')).toBe('62');
    await expect.poll(async () => plain(await b.getByTestId('coverage-page').innerText())).toBe('Page 1 of 2');
    expect(await b.getByTestId('unaddressed-recommendation').count()).toBe(50);
    await b.locator('[data-action="next-page"]').press('Enter');
    await expect.poll(listed).toEqual(['I-050', 'I-051', 'I-052', 'I-053', 'I-054', 'I-055', 'I-056', 'I-057', 'I-058', 'I-059', 'R-2']);
    // The focus went to the top of the list, for keyboard and screen reader users.
    expect(await b.evaluate(() => document.activeElement?.textContent)).toBe('Unaddressed recommendations');
    expect(await b.locator('[data-facet="body"] button[data-value="CRC"]').getAttribute('data-count')).toBe('60');

    // A contributor objects in a thread anchored in the action's title: the positions table follows.
    const anchor = await anchorInFirstActionTitle(s.server, meta.id, 'Publish judgments');
    const socket = await connectSocket(s.url, contributor.cookie);
    const created = await socket.emitWithAck('thread:create', { documentId: meta.id, anchor, body: 'Not without redacting victims’ names.' });
    if (!created.ok) throw new Error(created.error.code);
    expect((await socket.emitWithAck('thread:position', { threadId: created.data.id, stance: 'object' })).ok).toBe(true);
    const row = b.locator('[data-testid="coverage-positions"] tr[data-number="1.1.1"]');
    await expect.poll(() => row.locator('td[data-group="civil_society"][data-stance="object"]').innerText()).toBe('1');
    expect(await row.locator('td[data-threads]').innerText()).toBe('1');
    expect(await row.locator('td[data-group="civil_society"][data-stance="support"]').innerText()).toBe('0');
    // Numbers only: no name of anyone who commented.
    const positionsText = await b.getByTestId('coverage-positions').innerText();
    expect(positionsText).not.toContain(contributor.me.displayName);
    expect(positionsText).toContain('Civil society');

    await expectNoAxeViolations(b);
    // In French the target's title follows; in Arabic the page reads right to left and still passes.
    await b.locator('#language-picker').selectOption('fr');
    await expect.poll(() => target.locator('.sdg-title').innerText()).toBe(fr1610);
    await b.locator('#language-picker').selectOption('ar');
    await expect.poll(() => b.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await expect.poll(() => b.locator('h1').innerText()).toBe('تغطية الخطة');
    await expectNoAxeViolations(b);
    await b.locator('#language-picker').selectOption('en');

    // The register page passes too: as an observer reads it, and with a facilitator's import, add and edit controls.
    for (const page of [b, a]) {
      await page.goto(`${s.url}/#/c/${consultation.id}/recommendations`);
      await page.getByTestId('recommendation').first().waitFor();
      await expectNoAxeViolations(page);
    }
  });

  it('shows the plan when the register cannot be loaded, says so, and tries again when asked', async () => {
    const s = await startServer();
    const { owner, consultation, document: meta } = await createDocument(s.url);
    expect((await owner.call('POST', `/consultations/${consultation.id}/recommendations`, { id: 'R-1', text: 'Protect journalists' })).status).toBe(201);
    const browser = await launchBrowser(chromiumPath!);
    const page = await (await newContext(browser, s.url, { cookie: owner.cookie })).newPage();
    // The register's answers fail (as from a server under maintenance) until the test lets them through.
    let refuse = true;
    await page.route('**/recommendation-summaries', async (route) => {
      if (refuse) await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'Try later' } }) });
      else await route.continue();
    });
    await page.goto(`${s.url}/#/d/${meta.id}/coverage`);
    await page.getByTestId('coverage-register-error').waitFor();
    // The plan's own sections still show; the register's do not.
    expect(await page.getByTestId('coverage-positions').count()).toBe(1);
    expect(await page.getByTestId('coverage-unaddressed').count()).toBe(0);
    await expectNoAxeViolations(page);
    refuse = false;
    await page.locator('[data-action="reload-register"]').press('Enter');
    await expect.poll(() => page.locator('[data-figure="addressed"]').getAttribute('data-total')).toBe('1');
    expect(await page.getByTestId('coverage-register-error').count()).toBe(0);
    expect(await page.getByTestId('unaddressed-recommendation').getAttribute('data-id')).toBe('R-1');
  });

  it('shows a non-member the server’s refusal', async () => {
    const s = await startServer();
    const { document: meta } = await createDocument(s.url);
    const { owner: stranger } = await createDocument(s.url);
    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${s.url}/#/d/${meta.id}/coverage`, { cookie: stranger.cookie });
    await expect.poll(() => page.getByTestId('coverage-error').innerText()).not.toBe('');
    expect(await page.getByTestId('coverage').count()).toBe(0);
    await expectNoAxeViolations(page);
  });
});
