import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { createDocument, startServer } from '../helpers/server.ts';
import { findChromium, launchBrowser, openPage, connected } from '../helpers/browser.ts';
import { fragmentName } from '../../shared/collab.ts';
import type { SdgTargets } from '../../shared/sdg.ts';

const chromiumPath = findChromium();


async function insert(page: Page, tool: string): Promise<void> {
  await page.locator(`[data-tool="${tool}"]`).click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('ProseMirror') ?? false)).toBe(true);
}

describe.skipIf(!chromiumPath)('an action’s indicators and links in a real browser', () => {
  it('adds an indicator, links a recommendation, adds its suggested SDG targets titled in the reader’s language, unlinks; the server stores ids only', async () => {
    const s = await startServer();
    const { owner, consultation, document: meta } = await createDocument(s.url);
    for (const rec of [
      { id: 'R-1', symbol: 'A/HRC/52/9 para 12', body: 'UPR', text: 'Guarantee public access to information held by public bodies', sdgs: ['16.10', '5'] },
      { id: 'R-2', symbol: 'CAT/C/KEN/CO/3 para 8', body: 'CAT', text: 'Prevent torture in places of detention', sdgs: ['16'] },
    ]) {
      expect((await owner.call('POST', `/consultations/${consultation.id}/recommendations`, rec)).status).toBe(201);
    }
    // Sixty more before them in the register's order (by id): R-1 is not on the first page.
    const filler = ['id,text', ...Array.from({ length: 60 }, (_, i) => `A-${String(i).padStart(3, '0')},Ensure birth registration ${i}`)].join('\n');
    const imported = await fetch(`${s.url}/api/consultations/${consultation.id}/recommendations/import`, {
      method: 'POST',
      headers: { cookie: owner.cookie, 'content-type': 'text/csv', origin: s.url },
      body: filler,
    });
    expect(imported.status).toBe(200);
    const title = async (lang: string, id: string) =>
      (await owner.call<SdgTargets>('GET', `/sdg/targets?lang=${lang}&goal=16`)).body.targets.find((t) => t.id === id)!.title;
    const [en1610, fr1610, ar1610] = [await title('en', '16.10'), await title('fr', '16.10'), await title('ar', '16.10')];
    expect(new Set([en1610, fr1610, ar1610]).size).toBe(3);

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${s.url}/#/d/${meta.id}`, { cookie: owner.cookie });
    await connected(page);
    await page.locator('[data-testid="editor"] .ProseMirror').click();
    await insert(page, 'planGoal');
    await page.keyboard.type('Access to justice');
    await insert(page, 'planObjective');
    await page.keyboard.type('Open courts');
    await insert(page, 'planAction');
    await page.keyboard.type('Publish judgments');
    const panel = page.getByTestId('action-panel').first();
    await panel.locator('summary').click();

    // An indicator, its five fields typed and added with Enter; a nameless one is refused in place.
    await panel.locator('[data-field="new-indicator-baseline"]').fill('0');
    await panel.locator('[data-field="new-indicator-baseline"]').press('Enter');
    expect(await panel.locator('[data-field="new-indicator-name"]').getAttribute('aria-invalid')).toBe('true');
    expect(await panel.getByTestId('action-indicators').locator('[role="alert"]').count()).toBe(1);
    const indicator = { name: 'Judgments published online', baseline: '0', target: '80%', unit: 'share of judgments', verification: 'Court website audit' };
    for (const [field, value] of Object.entries(indicator)) await panel.locator(`[data-field="new-indicator-${field}"]`).fill(value);
    await panel.locator('[data-field="new-indicator-verification"]').press('Enter');
    await expect.poll(() => panel.locator('[data-indicator="0"] [data-field="indicator-name"]').inputValue()).toBe(indicator.name);
    // Edited in place.
    await panel.locator('[data-indicator="0"] [data-field="indicator-target"]').fill('90%');
    await panel.locator('[data-indicator="0"] [data-field="indicator-target"]').press('Tab');

    // Search the register by words, link with the keyboard.
    const search = panel.locator('[data-field="recommendation-search"]');
    await search.focus();
    await search.fill('access INFORMATION');
    await expect.poll(() => panel.locator('[data-match]').evaluateAll((all) => all.map((el) => el.getAttribute('data-match')))).toEqual(['R-1']);
    await panel.locator('[data-match="R-1"] [data-action="link-recommendation"]').press('Enter');
    await expect.poll(() => panel.locator('[data-recommendation="R-1"]').innerText()).toContain('A/HRC/52/9 para 12');

    // Its SDGs are suggested: 16.10 directly (titled), goal 5 to choose in.
    const suggested = panel.locator('[data-action="add-suggested-sdg"][data-sdg-target="16.10"]');
    await expect.poll(() => suggested.innerText()).toContain(en1610);
    await suggested.click();
    await expect.poll(() => panel.locator('[data-sdg-target="16.10"] .sdg-title').innerText()).toBe(en1610);
    await panel.locator('[data-action="pick-suggested-goal"][data-sdg-goal="5"]').click();
    // The goal is chosen and the focus is on its targets, to pick one with the keyboard.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-field'))).toBe('sdg-target');
    expect(await panel.locator('[data-field="sdg-goal"]').inputValue()).toBe('5');
    await panel.locator('[data-field="sdg-target"]').selectOption('5.1');
    await panel.locator('[data-action="add-sdg"]').click();
    await expect.poll(() => panel.locator('li[data-sdg-target]').evaluateAll((all) => all.map((el) => el.getAttribute('data-sdg-target')))).toEqual(['16.10', '5.1']);

    // The reader switches to French: the target's title follows.
    await page.locator('#language-picker').selectOption('fr');
    await expect.poll(() => panel.locator('[data-sdg-target="16.10"] .sdg-title').innerText()).toBe(fr1610);
    await page.locator('#language-picker').selectOption('ar');
    await expect.poll(() => panel.locator('[data-sdg-target="16.10"] .sdg-title').innerText()).toBe(ar1610);

    // Unlink the recommendation and one target.
    await panel.locator('[data-recommendation="R-1"] [data-action="unlink-recommendation"]').click();
    await panel.locator('li[data-sdg-target="5.1"] [data-action="unlink-sdg"]').click();
    await expect.poll(() => panel.locator('[data-recommendation]').count()).toBe(0);

    // What the server stored: ids only, and the edited indicator.
    const stored = async () => {
      await s.server.rooms.flushAll();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, (await s.server.updateLog.load(meta.id)).update);
      const find = (el: Y.XmlElement | Y.XmlFragment, name: string) =>
        el.toArray().find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === name);
      const action = find(find(find(doc.getXmlFragment(fragmentName), 'planGoal')!, 'planObjective')!, 'planAction')!;
      return { indicators: action.getAttribute('indicators'), recommendations: action.getAttribute('recommendations'), sdgTargets: action.getAttribute('sdgTargets') };
    };
    await expect
      .poll(stored)
      .toEqual({ indicators: [{ ...indicator, target: '90%' }], recommendations: [], sdgTargets: ['16.10'] });
  });
});
