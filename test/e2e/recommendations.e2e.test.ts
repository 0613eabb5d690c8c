import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Consultation } from '../../shared/schemas.ts';
import type { Recommendation } from '../../shared/recommendations.ts';
import { addMember, registerUser, startServer } from '../helpers/server.ts';
import { findChromium, launchBrowser, openPage } from '../helpers/browser.ts';

const chromiumPath = findChromium();

/** Row texts without the Unicode isolates the client puts around values. */
const rows = async (table: Locator) => (await table.locator('tbody tr').allInnerTexts()).map((r) => r.replace(/[\u2068\u2069]/g, ''));
const ids = (page: Page) => page.getByTestId('recommendation').evaluateAll((items) => items.map((i) => i.getAttribute('data-id')));

describe.skipIf(!chromiumPath)('the recommendations register in a real browser', () => {
  it('a facilitator uploads a file, sees its bad rows, maps unknown columns, imports it and filters the list; an observer only reads', async () => {
    const server = await startServer();
    const owner = await registerUser(server.url, 'Facilitator');
    const c = (await owner.call<Consultation>('POST', '/consultations', { title: 'NAP' })).body;
    const observer = await addMember(server.url, owner, c.id, 'observer');
    const browser = await launchBrowser(chromiumPath!);
    try {
      const page = await openPage(browser, `${server.url}/#/c/${c.id}`, { cookie: owner.cookie });
      await page.getByTestId('recommendations-link').click();
      await page.getByRole('heading', { level: 1, name: 'Recommendations' }).waitFor();

      // Headers the server does not know, and one bad position.
      const csv = 'Ref;Wording;Position\r\nK-1;Protect journalists;supported\r\nK-2;Ratify the Convention;maybe\r\nK-3;Fund the NHRI;noted\r\n';
      await page.getByTestId('recommendation-file').setInputFiles({ name: 'uhri.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      const problems = page.getByTestId('import-problems');
      await expect.poll(() => rows(problems)).toEqual([
        expect.stringContaining('No column fills “Id”'),
        expect.stringContaining('No column fills “Text”'),
      ]);
      expect(await page.getByTestId('import-confirm').count()).toBe(0);

      const selects = page.getByTestId('mapping-select');
      await selects.nth(0).selectOption('id');
      await expect.poll(() => problems.locator('tbody tr').count()).toBe(1);
      await selects.nth(1).selectOption('text');
      await expect.poll(() => rows(problems)).toEqual([expect.stringMatching(/^3\s+Position\s+“maybe” is neither supported nor noted\.$/)]);
      expect((await owner.call<{ items: Recommendation[] }>('GET', `/consultations/${c.id}/recommendations`)).body.items).toEqual([]);

      // The corrected file, with the same mapping kept.
      const fixed = csv.replace('maybe', '');
      await page.getByTestId('recommendation-file').setInputFiles({ name: 'uhri.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
      await selects.nth(0).selectOption('id');
      await selects.nth(1).selectOption('text');
      await page.getByTestId('import-confirm').click();
      await page.getByTestId('import-done').waitFor();
      await expect.poll(() => ids(page)).toEqual(['K-1', 'K-2', 'K-3']);

      await page.getByTestId('filter-position').selectOption('noted');
      await expect.poll(() => ids(page)).toEqual(['K-3']);
      await page.getByTestId('filter-position').selectOption('none');
      await expect.poll(() => ids(page)).toEqual(['K-2']);
      // Edited by hand: K-2 is supported now, and leaves the "no position" list.
      await page.locator('[data-id="K-2"]').getByTestId('recommendation-position').selectOption('supported');
      await expect.poll(() => ids(page)).toEqual([]);
      expect((await owner.call<Recommendation>('GET', `/consultations/${c.id}/recommendations/K-2`)).body.position).toBe('supported');

      // Edited in full: the text and the themes (values separated by semicolons, as in a file).
      await page.getByTestId('filter-position').selectOption('');
      const k1 = page.locator('[data-id="K-1"]');
      await k1.getByTestId('recommendation-edit-open').click();
      await k1.getByTestId('edit-text').fill('Protect journalists and human rights defenders');
      await k1.getByLabel('Themes').fill('Freedom of expression; Human rights defenders');
      await k1.getByTestId('edit-save').click();
      await expect.poll(async () => (await owner.call<Recommendation>('GET', `/consultations/${c.id}/recommendations/K-1`)).body).toMatchObject({
        text: 'Protect journalists and human rights defenders',
        themes: ['Freedom of expression', 'Human rights defenders'],
        position: 'supported',
      });
      await expect.poll(() => page.locator('[data-id="K-1"] .text').innerText()).toBe('Protect journalists and human rights defenders');

      const reader = await openPage(browser, `${server.url}/#/c/${c.id}/recommendations`, { cookie: observer.cookie });
      await expect.poll(() => ids(reader)).toEqual(['K-1', 'K-2', 'K-3']);
      expect(await reader.getByTestId('recommendation-import').count()).toBe(0);
      expect(await reader.getByTestId('recommendation-position').count()).toBe(0);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
