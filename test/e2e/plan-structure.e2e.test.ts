import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { addMember, createDocument, startServer, type TestServer } from '../helpers/server.ts';
import { connectYjs, eventually } from '../helpers/yjs.ts';
import { writePlan } from '../helpers/plan.ts';
import { findChromium, launchBrowser, openPage, connected } from '../helpers/browser.ts';
import { fragmentName } from '../../shared/collab.ts';

const chromiumPath = findChromium();

const editor = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');
/** Each block's number and title as shown, in document order. */
const titles = (page: Page) =>
  page.locator('[data-testid="editor"] .plan-title').evaluateAll((all) =>
    all.map((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
      return `${el.getAttribute('data-number')} ${copy.textContent}`;
    }),
  );
const title = (page: Page, text: string) => page.locator('[data-testid="editor"] .plan-title', { hasText: text });

/** The actions as the server stored them: id and title. */
async function storedActions(s: TestServer, docId: string): Promise<string[]> {
  await s.server.rooms.flushAll();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await s.server.updateLog.load(docId)).update);
  const goal = doc.getXmlFragment(fragmentName).get(0) as Y.XmlElement | undefined;
  const objective = goal?.get(1) as Y.XmlElement | undefined;
  if (!objective) return [];
  return objective
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'planAction')
    .map((a) => `${a.getAttribute('id')} ${(a.get(0) as Y.XmlElement).toArray().join('')}`);
}

/** A document holding one goal, one objective and two actions, written through Yjs. */
async function plannedDocument() {
  const s = await startServer();
  const { owner, consultation, document } = await createDocument(s.url);
  const client = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
  await client.synced;
  writePlan(client.doc.getXmlFragment(fragmentName), [
    {
      id: 'g1',
      title: 'Access to justice',
      objectives: [{ id: 'o1', title: 'Faster trials', actions: [{ id: 'a1', title: 'Train magistrates' }, { id: 'a2', title: 'Hire clerks' }] }],
    },
  ]);
  await eventually(async () => (await storedActions(s, document.id)).length === 2, 'the plan to be stored');
  client.destroy();
  return { s, owner, consultation, document, url: `${s.url}/#/d/${document.id}` };
}

/** Pastes what the editor puts on the clipboard when action a1 is copied (its HTML carries the id). */
function pasteCopyOfA1(page: Page): Promise<void> {
  return editor(page).evaluate((el) => {
    const data = new DataTransfer();
    data.setData('text/html', '<section data-id="a1" data-plan="planAction" class="plan-block plan-planAction"><p data-plan-title="" class="plan-title">Train magistrates</p></section>');
    data.setData('text/plain', 'Train magistrates');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
}

describe.skipIf(!chromiumPath)('changing the plan’s structure in real browsers', () => {
  it('moves the block at the cursor with the Move up and Move down buttons; a second page follows', async () => {
    const { s, owner, document, url } = await plannedDocument();
    const browser = await launchBrowser(chromiumPath!);
    const amina = await openPage(browser, url, { cookie: owner.cookie });
    const daniel = await openPage(browser, url, { cookie: owner.cookie });
    await Promise.all([connected(amina), connected(daniel)]);
    const start = ['1 Access to justice', '1.1 Faster trials', '1.1.1 Train magistrates', '1.1.2 Hire clerks'];
    await expect.poll(() => titles(daniel)).toEqual(start);

    await title(amina, 'Hire clerks').click();
    const up = amina.locator('[data-tool="moveUp"]');
    const down = amina.locator('[data-tool="moveDown"]');
    await expect.poll(() => up.getAttribute('aria-disabled')).toBeNull();
    expect(await up.getAttribute('aria-label')).toMatch(/^Move up: the goal, objective or action at the cursor/);
    await up.click();
    const moved = ['1 Access to justice', '1.1 Faster trials', '1.1.1 Hire clerks', '1.1.2 Train magistrates'];
    await expect.poll(() => titles(amina)).toEqual(moved);
    await expect.poll(() => titles(daniel)).toEqual(moved);
    // At the top of its list: nothing further up.
    await expect.poll(() => up.getAttribute('aria-disabled')).toBe('true');
    await expect.poll(() => storedActions(s, document.id)).toEqual(['a2 Hire clerks', 'a1 Train magistrates']);

    await down.click();
    await expect.poll(() => titles(daniel)).toEqual(start);
    await expect.poll(() => storedActions(s, document.id)).toEqual(['a1 Train magistrates', 'a2 Hire clerks']);
    expect(await amina.getByTestId('plan-refused').count()).toBe(0);
  });

  it('gives a pasted copy of an action a new id, and the original keeps its own', async () => {
    const { s, owner, document, url } = await plannedDocument();
    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, url, { cookie: owner.cookie });
    await connected(page);
    await expect.poll(() => titles(page)).toContain('1.1.2 Hire clerks');
    await title(page, 'Hire clerks').click();
    await page.keyboard.press('End');
    await pasteCopyOfA1(page);
    await expect.poll(() => titles(page)).toEqual(['1 Access to justice', '1.1 Faster trials', '1.1.1 Train magistrates', '1.1.2 Hire clerks', '1.1.3 Train magistrates']);
    await expect.poll(async () => (await storedActions(s, document.id)).length).toBe(3);
    const [first, second, copy] = await storedActions(s, document.id);
    expect([first, second]).toEqual(['a1 Train magistrates', 'a2 Hire clerks']);
    expect(copy).toMatch(/^[0-9a-f-]{36} Train magistrates$/);

    // Pasted before the original: the original still keeps its id, the copy gets another.
    await title(page, 'Train magistrates').first().click();
    await page.keyboard.press('Home');
    await pasteCopyOfA1(page);
    await expect.poll(async () => (await storedActions(s, document.id)).length).toBe(4);
    const ids = (await storedActions(s, document.id)).map((a) => a.split(' ')[0]);
    expect(new Set(ids).size).toBe(4);
    expect(ids.slice(1, 3)).toEqual(['a1', 'a2']);
    expect(await page.getByTestId('plan-refused').count()).toBe(0);
  });

  it('shows a drafter no insert or move controls once comments are closed; the keys move nothing', async () => {
    const { s, owner, consultation, document, url } = await plannedDocument();
    const drafter = await addMember(s.url, owner, consultation.id, 'drafter', 'government');
    for (const phase of ['drafting', 'open_for_comment', 'closed'])
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, url, { cookie: drafter.cookie });
    const facilitator = await openPage(browser, url, { cookie: owner.cookie });
    await Promise.all([connected(page), connected(facilitator)]);

    // The drafter still edits text: the toolbar is there, without the structure's buttons.
    await page.locator('[data-tool="bold"]').waitFor();
    for (const tool of ['planGoal', 'planObjective', 'planAction', 'moveUp', 'moveDown']) expect(await page.locator(`[data-tool="${tool}"]`).count()).toBe(0);
    // The facilitator, who may still reshape the plan, has them.
    await facilitator.locator('[data-tool="moveUp"]').waitFor();

    await title(page, 'Hire clerks').click();
    await page.keyboard.press('Alt+Shift+ArrowUp');
    await page.keyboard.type(' and interpreters');
    await expect.poll(() => storedActions(s, document.id)).toEqual(['a1 Train magistrates', 'a2 Hire clerks and interpreters']);
    expect(await titles(page)).toEqual(['1 Access to justice', '1.1 Faster trials', '1.1.1 Train magistrates', '1.1.2 Hire clerks and interpreters']);
    expect(await page.getByTestId('plan-refused').count()).toBe(0);
  });
});
