import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { addMember, createDocument, startServer, type TestServer } from '../helpers/server.ts';
import { connectYjs, eventually } from '../helpers/yjs.ts';
import { connectSocket } from '../helpers/socket.ts';
import { anchorOn } from '../helpers/comments.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { findChromium, launchBrowser, openPage } from '../helpers/browser.ts';
import { writePlan, type GoalSpec } from '../helpers/plan.ts';
import { fragmentName } from '../../shared/collab.ts';
import { findActionElement, readPlan } from '../../shared/plan-read.ts';

const chromiumPath = findChromium();

const plan: GoalSpec[] = [
  {
    id: 'g1',
    title: 'Access to justice',
    objectives: [
      {
        id: 'o1',
        title: 'Open courts',
        actions: [
          { id: 'a1', title: 'Publish judgments', description: 'Online within thirty days', attrs: { lead: 'Ministry of Justice', status: 'in_progress', recommendations: ['R-1'], sdgTargets: ['16.10'] } },
          { id: 'a2', title: 'Train magistrates on bail', attrs: { lead: 'Judicial Service Commission', partners: ['Law Society'], recommendations: ['R-2'], sdgTargets: ['16.3'] } },
        ],
      },
    ],
  },
  {
    id: 'g2',
    title: 'Education for all',
    objectives: [{ id: 'o2', title: 'Free schooling', actions: [{ id: 'a3', title: 'Abolish school fees', attrs: { lead: 'Ministry of Education', status: 'delayed', recommendations: ['R-3'], sdgTargets: ['4.1'] } }] }],
  },
];

/** The plan as the server stores it (what it has acknowledged, flushed). */
async function storedPlan(s: TestServer, documentId: string) {
  await s.server.rooms.flushAll();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await s.server.updateLog.load(documentId)).update);
  return readPlan(doc.getXmlFragment(fragmentName));
}

/** A consultation with the plan above written through a y-websocket client, and three recommendations. */
async function planned() {
  const s = await startServer();
  const { owner, consultation, document } = await createDocument(s.url);
  for (const rec of [
    { id: 'R-1', symbol: 'A/HRC/52/9 para 12', body: 'UPR', themes: ['Access to information'], text: 'Guarantee public access to judgments' },
    { id: 'R-2', symbol: 'CAT/C/KEN/CO/3 para 8', body: 'CAT', themes: ['Detention'], text: 'Limit pre-trial detention' },
    { id: 'R-3', symbol: 'CRC/C/KEN/CO/6 para 40', body: 'CRC', themes: ['Education'], text: 'Make primary education free' },
  ])
    expect((await owner.call('POST', `/consultations/${consultation.id}/recommendations`, rec)).status).toBe(201);
  const writer = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
  await writer.synced;
  writePlan(writer.doc.getXmlFragment(fragmentName), plan);
  await eventually(async () => (await storedPlan(s, document.id)).actions.length === 3, 'the server to store the plan');
  return { s, owner, consultation, document, writer };
}

const table = (page: Page) => page.getByTestId('plan-table');
const row = (page: Page, id: string) => table(page).locator(`tr[data-action="${id}"]`);
const shownIds = (page: Page) => table(page).locator('tr[data-action]:not([hidden])').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
const loaded = (page: Page, n: number) => expect.poll(() => table(page).locator('tr[data-action]').count(), { timeout: 60_000 }).toBe(n);

describe.skipIf(!chromiumPath)('the plan as a table in real browsers', () => {
  it('two people change different fields of one action at once, from the table and from the editor: both keep theirs, live and stored', async () => {
    const { s, owner, consultation, document } = await planned();
    const drafter = await addMember(s.url, owner, consultation.id, 'drafter', 'government');
    const browser = await launchBrowser(chromiumPath!);
    const tablePage = await openPage(browser, `${s.url}/#/d/${document.id}/table`, { cookie: owner.cookie });
    const editorPage = await openPage(browser, `${s.url}/#/d/${document.id}`, { cookie: drafter.cookie });
    await loaded(tablePage, 3);
    await editorPage.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 45_000 });

    // The table: open action 1.1.2 for editing (by keyboard), type a lead, not yet left.
    await row(tablePage, 'a2').locator('[data-action="edit"]').press('Enter');
    await expect.poll(() => tablePage.evaluate(() => window.document.activeElement?.getAttribute('data-field'))).toBe('title');
    const lead = row(tablePage, 'a2').locator('[data-field="lead"]');
    await lead.fill('Office of the Chief Justice');
    // The editor: the same action's panel, status about to change.
    const panel = editorPage.locator('section[data-plan="planAction"]').nth(1).getByTestId('action-panel');
    await panel.locator('summary').click();
    expect(await panel.locator('[data-field="lead"]').inputValue()).toBe('Judicial Service Commission');

    // Both commit together, before either has seen the other's change.
    await Promise.all([lead.press('Tab'), panel.locator('[data-field="status"]').selectOption('completed')]);

    await expect.poll(() => row(tablePage, 'a2').getAttribute('data-status')).toBe('completed');
    await expect.poll(() => row(tablePage, 'a2').locator('[data-field="lead"]').inputValue()).toBe('Office of the Chief Justice');
    await expect.poll(() => panel.locator('[data-field="lead"]').inputValue()).toBe('Office of the Chief Justice');
    expect(await panel.locator('[data-field="status"]').inputValue()).toBe('completed');

    // The title, from the table, by its smallest change; partners and a budget; Escape closes the row.
    const title = row(tablePage, 'a2').locator('[data-field="title"]');
    await title.fill('Train magistrates on bail and remand');
    await title.press('Tab');
    await row(tablePage, 'a2').locator('[data-field="partners"]').fill('Law Society\nNational Legal Aid Service');
    await row(tablePage, 'a2').locator('[data-field="amount"]').fill('250000');
    await row(tablePage, 'a2').locator('[data-field="currency"]').fill('kes');
    await row(tablePage, 'a2').locator('[data-field="currency"]').press('Tab');
    await expect
      .poll(() => editorPage.locator('section[data-plan="planAction"]').nth(1).locator('.plan-title').innerText())
      .toBe('Train magistrates on bail and remand');
    await expect.poll(() => panel.locator('[data-field="currency"]').inputValue()).toBe('KES');

    // A refused value: marked, explained from the catalogue, not written.
    const end = row(tablePage, 'a2').locator('[data-field="end"]');
    await end.fill('2027-Q9');
    await end.press('Tab');
    await expect.poll(() => end.getAttribute('aria-invalid')).toBe('true');
    expect(await row(tablePage, 'a2').locator('[role="alert"]').innerText()).toContain('2027-Q3');
    await row(tablePage, 'a2').locator('[data-field="start"]').press('Escape');
    expect(await row(tablePage, 'a2').locator('input').count()).toBe(0);
    await expect.poll(() => tablePage.evaluate(() => window.document.activeElement?.getAttribute('data-action'))).toBe('edit');

    await expect
      .poll(async () => {
        const a2 = (await storedPlan(s, document.id)).actions.find((a) => a.id === 'a2')!;
        return { title: a2.title, lead: a2.lead, status: a2.status, partners: a2.partners, budget: a2.budget, end: a2.end };
      })
      .toEqual({
        title: 'Train magistrates on bail and remand',
        lead: 'Office of the Chief Justice',
        status: 'completed',
        partners: ['Law Society', 'National Legal Aid Service'],
        budget: { amount: 250000, currency: 'KES', source: 'national_budget' },
        end: null,
      });
  });

  it('filters by lead, status, SDG goal, body, theme and by the group that objected in a comment; searches and sorts; an observer sees no fields', async () => {
    const { s, owner, consultation, document, writer } = await planned();
    const contributor = await addMember(s.url, owner, consultation.id, 'contributor', 'civil_society');
    const observer = await addMember(s.url, owner, consultation.id, 'observer', 'international');
    for (const phase of ['drafting', 'open_for_comment'])
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${s.url}/#/d/${document.id}/table`, { cookie: owner.cookie });
    await loaded(page, 3);
    // Grouped under goals and objectives in plan order, symbols from the register.
    expect(await table(page).locator('th[scope="rowgroup"]').allInnerTexts()).toEqual([
      expect.stringContaining('Open courts'),
      expect.stringContaining('Free schooling'),
    ]);
    await expect.poll(() => row(page, 'a1').locator('[data-col="recommendations"]').innerText()).toBe('A/HRC/52/9 para 12');

    // A civil-society contributor objects in a thread anchored in action 1.1.2's title.
    const titleText = (findActionElement(writer.doc.getXmlFragment(fragmentName), 'a2')!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const socket = await connectSocket(s.url, contributor.cookie);
    expect((await socket.emitWithAck('document:watch', document.id)).ok).toBe(true);
    const created = await socket.emitWithAck('thread:create', { documentId: document.id, anchor: anchorOn(titleText, 'magistrates'), body: 'Bail reform first.' });
    if (!created.ok) throw new Error(created.error.code);
    expect((await socket.emitWithAck('thread:position', { threadId: created.data.id, stance: 'object' })).ok).toBe(true);
    await expect.poll(() => row(page, 'a2').locator('[data-col="positions"] [data-group="civil_society"]').getAttribute('data-object')).toBe('1');

    const filter = (name: string) => page.getByTestId('table-filters').locator(`[data-filter="${name}"]`);
    await filter('objectedBy').selectOption('civil_society');
    await expect.poll(() => shownIds(page)).toEqual(['a2']);
    await filter('objectedBy').selectOption('government');
    await expect.poll(() => shownIds(page)).toEqual([]);
    await filter('objectedBy').selectOption('');
    await filter('status').selectOption('delayed');
    await expect.poll(() => shownIds(page)).toEqual(['a3']);
    await filter('status').selectOption('');
    await filter('lead').selectOption('Ministry of Justice');
    await expect.poll(() => shownIds(page)).toEqual(['a1']);
    await filter('lead').selectOption('');
    await filter('sdgGoal').selectOption('16');
    await expect.poll(() => shownIds(page)).toEqual(['a1', 'a2']);
    await filter('body').selectOption('CAT');
    await expect.poll(() => shownIds(page)).toEqual(['a2']);
    await page.locator('[data-action="clear-filters"]').click();
    await filter('theme').selectOption('Education');
    await expect.poll(() => shownIds(page)).toEqual(['a3']);
    await filter('theme').selectOption('');
    await filter('search').fill('THIRTY days');
    await expect.poll(() => shownIds(page)).toEqual(['a1']);
    await filter('search').fill('law society');
    await expect.poll(() => shownIds(page)).toEqual(['a2']);
    await filter('search').fill('');
    await expect.poll(() => page.getByTestId('table-count').getAttribute('data-shown')).toBe('3');

    // Sorting by lead, then the other way; aria-sort follows; plan order again by number.
    await page.locator('button[data-sort="lead"]').click();
    await expect.poll(() => shownIds(page)).toEqual(['a2', 'a3', 'a1']);
    expect(await page.locator('th[data-col="lead"]').getAttribute('aria-sort')).toBe('ascending');
    expect(await table(page).locator('th[scope="rowgroup"]').count()).toBe(0);
    await page.locator('button[data-sort="lead"]').press('Enter');
    await expect.poll(() => shownIds(page)).toEqual(['a1', 'a3', 'a2']);
    expect(await page.locator('th[data-col="lead"]').getAttribute('aria-sort')).toBe('descending');
    await page.locator('button[data-sort="number"]').click();
    await expect.poll(() => shownIds(page)).toEqual(['a1', 'a2', 'a3']);

    // A change from elsewhere appears live: the table reads the shared document.
    writer.doc.transact(() => findActionElement(writer.doc.getXmlFragment(fragmentName), 'a3')!.setAttribute('lead', 'Teachers Service Commission'));
    await expect.poll(() => row(page, 'a3').locator('[data-col="lead"]').innerText()).toBe('Teachers Service Commission');
    expect(await table(page).locator('[data-action="edit"]').count()).toBe(3);

    // The observer reads the same table, and has nothing to edit with.
    const seen = await openPage(browser, `${s.url}/#/d/${document.id}/table`, { cookie: observer.cookie });
    await loaded(seen, 3);
    await expect.poll(() => seen.getByTestId('readonly-reason').getAttribute('data-reason')).toBe('readonly.observer');
    expect(await table(seen).getAttribute('data-editable')).toBe('false');
    expect(await table(seen).locator('input, select, textarea, [data-action="edit"]').count()).toBe(0);
    await seen.getByTestId('table-filters').locator('[data-filter="objectedBy"]').selectOption('civil_society');
    await expect.poll(() => shownIds(seen)).toEqual(['a2']);
    socket.disconnect();
  });

  it('passes axe, read and while editing, and links back to the document and from it', async () => {
    const { s, owner, document } = await planned();
    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${s.url}/#/d/${document.id}`, { cookie: owner.cookie });
    await page.getByTestId('plan-table-link').click();
    await loaded(page, 3);
    expect(await page.getByTestId('coverage-link').count()).toBe(0);
    expect(page.url()).toBe(`${s.url}/#/d/${document.id}/table`);
    expect(await page.locator('caption').count()).toBe(1);
    expect(await table(page).locator('thead th[scope="col"]').count()).toBe(12);
    await expectNoAxeViolations(page);
    await row(page, 'a1').locator('[data-action="edit"]').click();
    await expectNoAxeViolations(page);
    // The same in Arabic, right to left.
    await page.locator('#language-picker').selectOption('ar');
    await expect.poll(() => page.evaluate(() => window.document.documentElement.dir)).toBe('rtl');
    await expectNoAxeViolations(page);
    await page.getByTestId('back-to-document').click();
    await expect.poll(() => page.url()).toBe(`${s.url}/#/d/${document.id}`);
    expect(await page.getByTestId('coverage-link').getAttribute('href')).toBe(`#/d/${document.id}/coverage`);
  });

  it('edits an action’s indicators and links in place, with the editor’s controls, and stores them', async () => {
    const { s, owner, document } = await planned();
    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${s.url}/#/d/${document.id}/table`, { cookie: owner.cookie });
    await loaded(page, 3);
    await row(page, 'a3').locator('[data-action="edit"]').press('Enter');
    const editing = row(page, 'a3');

    // An indicator, typed and added with Enter, then one field changed in place.
    const indicator = { name: 'Children enrolled', baseline: '71%', target: '95%', unit: 'net enrolment rate', verification: 'School census' };
    for (const [field, value] of Object.entries(indicator)) await editing.locator(`[data-field="new-indicator-${field}"]`).fill(value);
    await editing.locator('[data-field="new-indicator-verification"]').press('Enter');
    await expect.poll(() => editing.locator('[data-indicator="0"] [data-field="indicator-name"]').inputValue()).toBe(indicator.name);
    await editing.locator('[data-indicator="0"] [data-field="indicator-target"]').fill('98%');
    await editing.locator('[data-indicator="0"] [data-field="indicator-target"]').press('Tab');

    // A second recommendation linked from the register by search and keyboard, and an SDG target it suggests.
    const search = editing.locator('[data-field="recommendation-search"]');
    await search.fill('pre-trial');
    await expect.poll(() => editing.locator('[data-match]').evaluateAll((all) => all.map((el) => el.getAttribute('data-match')))).toEqual(['R-2']);
    await editing.locator('[data-match="R-2"] [data-action="link-recommendation"]').press('Enter');
    await expect.poll(() => editing.locator('[data-recommendation="R-2"]').innerText()).toContain('CAT/C/KEN/CO/3 para 8');
    await editing.locator('[data-field="sdg-goal"]').selectOption('16');
    await editing.locator('[data-field="sdg-target"]').selectOption('16.3');
    await editing.locator('[data-action="add-sdg"]').click();
    await expectNoAxeViolations(page);

    // Closed with Escape, the row reads what was written; the stored document has it.
    await editing.locator('[data-field="lead"]').press('Escape');
    await expect.poll(() => row(page, 'a3').locator('[data-col="recommendations"]').innerText()).toBe('CRC/C/KEN/CO/6 para 40, CAT/C/KEN/CO/3 para 8');
    expect(await row(page, 'a3').locator('[data-col="indicators"]').innerText()).toBe('Children enrolled');
    await expect
      .poll(async () => {
        const a3 = (await storedPlan(s, document.id)).actions.find((a) => a.id === 'a3')!;
        return { indicators: a3.indicators, recommendations: a3.recommendations, sdgTargets: a3.sdgTargets };
      })
      .toEqual({ indicators: [{ ...indicator, target: '98%' }], recommendations: ['R-3', 'R-2'], sdgTargets: ['4.1', '16.3'] });

  });

  it('draws a long plan near the scroll position only, and keeps every row reachable by scrolling and by keyboard, and the row being edited', async () => {
    const s = await startServer();
    const { owner, document } = await createDocument(s.url);
    // 20 objectives of 6 actions: 120 actions and 20 headings, far more than a screen.
    const long: GoalSpec[] = Array.from({ length: 4 }, (_, g) => ({
      id: `g${g}`,
      title: `Goal ${g + 1}`,
      objectives: Array.from({ length: 5 }, (_, o) => ({
        id: `g${g}o${o}`,
        title: `Objective ${g + 1}.${o + 1}`,
        actions: Array.from({ length: 6 }, (_, a) => ({ id: `x${g}-${o}-${a}`, title: `Action ${g + 1}.${o + 1}.${a + 1}`, attrs: { lead: a % 2 ? 'Ministry of Health' : 'Ministry of Justice' } })),
      })),
    }));
    const ids = long.flatMap((g) => g.objectives.flatMap((o) => o.actions.map((a) => a.id)));
    const writer = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    writePlan(writer.doc.getXmlFragment(fragmentName), long);
    await eventually(async () => (await storedPlan(s, document.id)).actions.length === 120, 'the server to store the plan');
    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${s.url}/#/d/${document.id}/table`, { cookie: owner.cookie });
    await expect.poll(() => page.getByTestId('table-count').getAttribute('data-total'), { timeout: 60_000 }).toBe('120');
    const drawn = () => table(page).locator('tr[data-action]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')!));

    // A screenful and some more, in plan order from the first; the table counts every row for assistive technology.
    await expect.poll(async () => (await drawn())[0]).toBe(ids[0]);
    const first = await drawn();
    expect(first.length).toBeGreaterThan(5);
    expect(first.length).toBeLessThan(60);
    expect(first).toEqual(ids.slice(0, first.length));
    expect(await table(page).getAttribute('aria-rowcount')).toBe(String(120 + 20 + 1));
    expect(await row(page, ids[1]!).getAttribute('aria-rowindex')).toBe('4'); // header, heading, first action, this one

    // The end, by scrolling: the last action is drawn, at its place in the count; the first is not.
    const scroller = page.locator('.scroll');
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(async () => (await drawn()).includes(ids[119]!)).toBe(true);
    expect((await drawn()).includes(ids[0]!)).toBe(false);
    expect(await row(page, ids[119]!).getAttribute('aria-rowindex')).toBe('141');
    expect(await row(page, ids[119]!).isVisible()).toBe(true);
    // In the middle, with empty height above and below the drawn rows: still a valid table for assistive technology.
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await expect.poll(async () => (await drawn()).includes(ids[60]!)).toBe(true);
    expect(await table(page).locator('tbody.gap').count()).toBe(2);
    // The column headers stay at the top of the scrolled table.
    const stuck = () =>
      page.evaluate(() => {
        const box = window.document.querySelector('.scroll')!.getBoundingClientRect();
        return Math.abs(Math.round(window.document.querySelector('[data-testid="plan-table"] thead th')!.getBoundingClientRect().top - box.top));
      });
    await expect.poll(stuck).toBeLessThanOrEqual(1);
    await expectNoAxeViolations(page);

    // By keyboard from the start: Tab goes from each action's Edit button to the next one's, past the first screen.
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => (await drawn())[0]).toBe(ids[0]);
    await row(page, ids[0]!).locator('[data-action="edit"]').focus();
    const focused = () => page.evaluate(() => window.document.activeElement?.closest('tr')?.getAttribute('data-action') ?? null);
    for (let i = 1; i <= first.length + 10; i++) {
      await page.keyboard.press('Tab');
      expect(await focused()).toBe(ids[i]);
    }

    // The row being edited stays with what was typed (not yet written) when scrolled far away and back.
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => (await drawn())[0]).toBe(ids[0]);
    await row(page, ids[0]!).locator('[data-action="edit"]').press('Enter');
    await row(page, ids[0]!).locator('[data-field="lead"]').fill('Office of the Attorney General');
    await page.mouse.move(640, 600);
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(async () => (await drawn()).includes(ids[119]!)).toBe(true);
    expect((await drawn()).includes(ids[0]!)).toBe(true);
    expect((await drawn()).includes(ids[1]!)).toBe(false);
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => (await drawn())[1]).toBe(ids[1]);
    expect((await storedPlan(s, document.id)).actions[0]!.lead).toBe('Ministry of Justice');
    expect(await row(page, ids[0]!).locator('[data-field="lead"]').inputValue()).toBe('Office of the Attorney General');

    // A filter draws only the rows it keeps, and says how many.
    await row(page, ids[0]!).locator('[data-field="lead"]').press('Escape');
    await page.getByTestId('table-filters').locator('[data-filter="lead"]').selectOption('Ministry of Health');
    await expect.poll(() => page.getByTestId('table-count').getAttribute('data-shown')).toBe('60');
    await expect.poll(async () => (await drawn())[0]).toBe(ids[1]);
    expect((await drawn()).every((id) => Number(id.split('-')[2]) % 2 === 1)).toBe(true);
    writer.destroy();
  });
});
