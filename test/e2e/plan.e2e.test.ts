import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectYjs } from '../helpers/yjs.ts';
import { findChromium, launchBrowser, newContext, openPage, connected } from '../helpers/browser.ts';
import * as encoding from 'lib0/encoding';
import { fragmentName } from '../../shared/collab.ts';
import { planRefusalPrefix } from '../../shared/plan.ts';

const chromiumPath = findChromium();

const editor = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');
/** Each block's number and title as shown, in document order: "1 Access to justice", "1.1 …". */
const titles = (page: Page) =>
  page
    .locator('[data-testid="editor"] .plan-title')
    .evaluateAll((all) =>
      all.map((el) => {
        // Without the others' carets, whose labels are in the text's DOM.
        const copy = el.cloneNode(true) as HTMLElement;
        for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
        return `${el.getAttribute('data-number')} ${copy.textContent}`;
      }),
    );

/** Clicks a toolbar button, then waits until the text has the focus again (the editor focuses on the next frame). */
async function insert(page: Page, tool: string): Promise<void> {
  await page.locator(`[data-tool="${tool}"]`).click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('ProseMirror') ?? false)).toBe(true);
}


/** One document open in two pages, both connected. */
async function twoPagesOnOneDocument() {
  const s = await startServer();
  const { owner, document } = await createDocument(s.url);
  const browser = await launchBrowser(chromiumPath!);
  const url = `${s.url}/#/d/${document.id}`;
  const amina = await openPage(browser, url, { cookie: owner.cookie });
  const daniel = await openPage(browser, url, { cookie: owner.cookie });
  await Promise.all([connected(amina), connected(daniel)]);
  return { s, document, amina, daniel };
}

describe.skipIf(!chromiumPath)('the plan structure in real browsers', () => {
  it('inserts a goal, an objective and actions, numbered; moves an action with the keyboard; a second browser follows', async () => {
    const { s, document, amina, daniel } = await twoPagesOnOneDocument();

    await editor(amina).click();
    await insert(amina, 'planGoal');
    await amina.keyboard.type('Access to justice');
    await insert(amina, 'planObjective');
    await amina.keyboard.type('Faster trials');
    await insert(amina, 'planAction');
    await amina.keyboard.type('Train magistrates');
    await insert(amina, 'planAction');
    await amina.keyboard.type('Hire clerks');

    const expected = ['1 Access to justice', '1.1 Faster trials', '1.1.1 Train magistrates', '1.1.2 Hire clerks'];
    await expect.poll(() => titles(amina)).toEqual(expected);
    await expect.poll(() => titles(daniel)).toEqual(expected);

    // The cursor is in "Hire clerks": up one place, and the numbers follow, here and there.
    await amina.keyboard.press('Alt+Shift+ArrowUp');
    const moved = ['1 Access to justice', '1.1 Faster trials', '1.1.1 Hire clerks', '1.1.2 Train magistrates'];
    await expect.poll(() => titles(amina)).toEqual(moved);
    await expect.poll(() => titles(daniel)).toEqual(moved);
    // The cursor moved with the block: typing goes on in its title.
    await amina.keyboard.type(' and interpreters');
    await expect.poll(() => titles(daniel)).toContain('1.1.1 Hire clerks and interpreters');

    // An action's fields: a valid lead is written and reaches the other browser; an impossible date is refused in place.
    const panel = amina.getByTestId('action-panel').first();
    await panel.locator('summary').click();
    await panel.locator('[data-field="lead"]').fill('Judicial Service Commission');
    await panel.locator('[data-field="lead"]').press('Tab');
    // A budget typed in: the amount field holds a number.
    await panel.locator('[data-field="amount"]').fill('125000');
    await panel.locator('[data-field="currency"]').fill('kes');
    await panel.locator('[data-field="currency"]').press('Tab');
    await expect.poll(() => panel.locator('[role="alert"]').count()).toBe(0);
    await panel.locator('[data-field="start"]').fill('2027-02-30');
    await panel.locator('[data-field="start"]').press('Tab');
    await expect.poll(() => panel.locator('[role="alert"]').count()).toBe(1);
    expect(await panel.locator('[data-field="start"]').getAttribute('aria-invalid')).toBe('true');
    await daniel.getByTestId('action-panel').first().locator('summary').click();
    await expect.poll(() => daniel.getByTestId('action-panel').first().locator('[data-field="lead"]').inputValue()).toBe('Judicial Service Commission');

    // The server stored the structure, with the lead and without the refused date.
    await s.server.rooms.flushAll();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await s.server.updateLog.load(document.id)).update);
    const goal = doc.getXmlFragment(fragmentName).toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === 'planGoal') as Y.XmlElement;
    const objective = goal.toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === 'planObjective') as Y.XmlElement;
    const actions = objective.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'planAction');
    expect(actions.map((a) => (a.get(0) as Y.XmlElement).toArray().join(''))).toEqual(['Hire clerks and interpreters', 'Train magistrates']);
    expect(actions[0]!.getAttribute('lead')).toBe('Judicial Service Commission');
    expect(actions[0]!.getAttribute('start')).toBeUndefined();
    expect(actions[0]!.getAttribute('budget')).toEqual({ amount: 125000, currency: 'KES', source: 'national_budget' });
  });

  it('tells the person when the server refused one of their plan changes', async () => {
    const s = await startServer();
    const { owner, document } = await createDocument(s.url);
    const browser = await launchBrowser(chromiumPath!);
    const url = `${s.url}/#/d/${document.id}`;
    const context = await newContext(browser, s.url, { cookie: owner.cookie });
    // The page's own socket, passed through to the server, with a refusal added as the server would send it.
    const sockets: { send(message: Buffer): void }[] = [];
    await context.routeWebSocket(/\/yjs\//, (ws) => {
      ws.connectToServer();
      sockets.push(ws);
    });
    const page = await context.newPage();
    await page.goto(url);
    await connected(page);
    expect(await page.getByTestId('plan-refused').count()).toBe(0);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, `${planRefusalPrefix}planAction: unknown field "colour"`);
    sockets.at(-1)!.send(Buffer.from(encoding.toUint8Array(e)));
    await expect.poll(() => page.getByTestId('plan-refused').innerText()).toContain('unknown field "colour"');
    expect(await page.getByTestId('plan-refused').getAttribute('role')).toBe('alert');
  });

  it('undoes your own move and leaves the other person’s edit alone', async () => {
    const { s, document, amina, daniel } = await twoPagesOnOneDocument();
    await editor(amina).click();
    for (const [tool, title] of [['planGoal', 'Access to justice'], ['planObjective', 'Faster trials'], ['planAction', 'Train magistrates'], ['planAction', 'Hire clerks']]) {
      await insert(amina, tool!);
      await amina.keyboard.type(title!);
    }
    await expect.poll(() => titles(daniel)).toEqual(['1 Access to justice', '1.1 Faster trials', '1.1.1 Train magistrates', '1.1.2 Hire clerks']);

    await amina.keyboard.press('Alt+Shift+ArrowUp');
    await expect.poll(() => titles(daniel)).toContain('1.1.1 Hire clerks');
    // Daniel changes the objective's title meanwhile.
    await daniel.locator('[data-testid="editor"] .plan-title', { hasText: 'Faster trials' }).click();
    await daniel.keyboard.press('End');
    await daniel.keyboard.type(' and fairer');
    await expect.poll(() => titles(amina)).toContain('1.1 Faster trials and fairer');

    await amina.keyboard.press('Control+z');
    // Only the move is undone: every title stays, Daniel's words included.
    const undone = ['1 Access to justice', '1.1 Faster trials and fairer', '1.1.1 Train magistrates', '1.1.2 Hire clerks'];
    await expect.poll(() => titles(amina)).toEqual(undone);
    await expect.poll(() => titles(daniel)).toEqual(undone);
  });

  it('comments on words in an action’s title as in any paragraph', async () => {
    const s = await startServer();
    const { owner, document } = await createDocument(s.url);
    // A plan written by another client: the editor shows what any Yjs client stores.
    const writer = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    const element = (name: string, attrs: Record<string, string>, title: string, children: Y.XmlElement[] = []) => {
      const el = new Y.XmlElement(name);
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      const t = new Y.XmlElement('planTitle');
      t.insert(0, [new Y.XmlText(title)]);
      el.insert(0, [t, ...children]);
      return el;
    };
    const action = element('planAction', { id: 'a1', status: 'planned' }, 'Train magistrates');
    writer.doc.getXmlFragment(fragmentName).insert(0, [element('planGoal', { id: 'g1' }, 'Access to justice', [element('planObjective', { id: 'o1' }, 'Faster trials', [action])])]);

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${s.url}/#/d/${document.id}`, { cookie: owner.cookie });
    await connected(page);
    await expect.poll(() => titles(page)).toEqual(['1 Access to justice', '1.1 Faster trials', '1.1.1 Train magistrates']);

    await page.locator('[data-testid="editor"] .plan-title', { hasText: 'Train magistrates' }).click();
    await page.keyboard.press('Home');
    await page.evaluate(() => {
      const w = window as { __selected?: string };
      w.__selected = '';
      window.document.addEventListener('selectionchange', () => (w.__selected = getSelection()?.toString() ?? ''));
    });
    for (let i = 0; i < 'Train'.length; i++) await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => page.evaluate(() => (window as { __selected?: string }).__selected)).toBe('Train');
    await page.keyboard.press('Control+Alt+KeyM');
    const composer = page.getByTestId('comment-composer');
    await composer.waitFor();
    await page.keyboard.type('Which courts first?');
    await composer.getByTestId('comment-submit').click();

    const threads = async () => (await owner.call<{ threads: { anchor: { quote: string } }[] }>('GET', `/documents/${document.id}/threads`)).body.threads;
    await expect.poll(async () => (await threads()).map((t) => t.anchor.quote)).toEqual(['Train']);
    // Highlighted in the action's title, where it was made.
    await expect.poll(() => page.locator('.plan-planAction .plan-title .comment-highlight').allInnerTexts()).toEqual(['Train']);
  });
});
