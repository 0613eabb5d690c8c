import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { fragmentName } from '../../shared/collab.ts';
import { readPlan } from '../../shared/plan-read.ts';
import { addMember, createDocument, registerUser, startServer } from '../helpers/server.ts';
import { connectYjs, eventually } from '../helpers/yjs.ts';
import { writePlan } from '../helpers/plan.ts';
import { uploadRecommendations } from '../helpers/recommendations.ts';
import { findChromium, launchBrowser, openPage } from '../helpers/browser.ts';

const chromiumPath = findChromium();

/**
 * Follows a download link from inside a signed-in page, as the PlanExports
 * component's links are followed (an <a download> to the export URL, the
 * session in the browser's cookie), and returns what the browser saved.
 */
async function downloadFrom(page: Page, href: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate((url) => {
      const link = document.createElement('a');
      link.href = url;
      link.download = '';
      document.body.append(link);
      link.click();
      link.remove();
    }, href),
  ]);
  expect(await download.failure()).toBeNull();
  return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
}

describe.skipIf(!chromiumPath)('the plan exports in a real browser', () => {
  it('a signed-in observer downloads the plan as CSV, XLSX and DOCX in their language, named after the document', async () => {
    const server = await startServer();
    const title = 'Plan d’action — Kenya 2027';
    const { owner, consultation, document: planDocument } = await createDocument(server.url, undefined, title);
    const drafter = await addMember(server.url, owner, consultation.id, 'drafter', 'government');
    const observer = await addMember(server.url, owner, consultation.id, 'observer', 'international');
    const outsider = await registerUser(server.url, 'Outsider');
    const csv = 'Annotation ID,Document Symbol,Recommending Body,Text\r\nA-1,A/HRC/52/10,UPR,Reduce pre-trial detention.\r\n';
    expect((await uploadRecommendations(server.url, owner, consultation.id, csv, { commit: true })).status).toBe(200);

    const editor = connectYjs(server.wsUrl, planDocument.id, { cookie: drafter.cookie });
    await editor.synced;
    writePlan(editor.doc.getXmlFragment(fragmentName), [
      {
        id: 'g1',
        title: 'Accès à la justice',
        objectives: [
          {
            id: 'o1',
            title: 'Procès plus rapides',
            actions: [
              { id: 'a1', title: 'Former les magistrats', description: 'Dans les 47 comtés.', attrs: { lead: 'Ministère de la Justice', recommendations: ['A-1'] } },
              { id: 'a2', title: '=1+1', attrs: { status: 'delayed' } },
            ],
          },
        ],
      },
    ]);
    const plan = readPlan(editor.doc.getXmlFragment(fragmentName));
    await eventually(() => [...server.server.rooms.loaded()].some((r) => r.docId === planDocument.id && readPlan(r.doc.getXmlFragment(fragmentName)).actions.length === 2), 'the server to hold the plan');

    const browser = await launchBrowser(chromiumPath!);
    try {
      const page = await openPage(browser, `${server.url}/#/c/${consultation.id}`, { cookie: observer.cookie, locale: 'fr' });
      // The reader's language, as the component puts it in the URL.
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('fr');
      const lang = await page.evaluate(() => document.documentElement.lang);
      const url = (format: string) => `${server.url}/api/documents/${planDocument.id}/export.${format}?lang=${lang}`;

      const csvFile = await downloadFrom(page, url('csv'));
      expect(csvFile.name).toBe(`${title}.csv`);
      const rows = parse(csvFile.bytes, { bom: true }) as string[][];
      expect(rows[0]!.slice(0, 4)).toEqual(['N°', 'Objectif général', 'Objectif spécifique', 'Action']);
      expect(rows.slice(1).map((r) => [r[0], r[3], r[9], r[14]])).toEqual([
        [plan.actions[0]!.number, 'Former les magistrats', 'Prévue', 'A/HRC/52/10'],
        [plan.actions[1]!.number, "'=1+1", 'En retard', ''],
      ]);

      const xlsxFile = await downloadFrom(page, url('xlsx'));
      expect(xlsxFile.name).toBe(`${title}.xlsx`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsxFile.bytes as unknown as ArrayBuffer);
      expect(book.worksheets.map((w) => w.name)).toEqual(['Plan', 'Recommandations', 'Couverture']);
      const sheet = book.getWorksheet('Plan')!;
      expect([2, 3].map((r) => sheet.getRow(r).getCell(4).value)).toEqual(plan.actions.map((a) => a.title));
      expect(sheet.getRow(3).getCell(4).type).toBe(ExcelJS.ValueType.String);
      expect(book.getWorksheet('Recommandations')!.getRow(2).getCell(1).value).toBe('A-1');

      const docxFile = await downloadFrom(page, url('docx'));
      expect(docxFile.name).toBe(`${title}.docx`);
      const { value: html } = await mammoth.convertToHtml({ buffer: docxFile.bytes });
      expect([...html.matchAll(/<h([1-3])>(.*?)<\/h\1>/g)].map((m) => m[2])).toEqual([
        '1 Accès à la justice',
        '1.1 Procès plus rapides',
        '1.1.1 Former les magistrats',
        '1.1.2 =1+1',
        'Matrice des actions',
      ]);
      expect(html).toContain('<p>Dans les 47 comtés.</p>');

      // Someone outside the consultation, signed in in their own browser, gets nothing.
      const other = await openPage(browser, `${server.url}/`, { cookie: outsider.cookie });
      expect(await other.evaluate(async (href) => (await fetch(href)).status, url('csv'))).toBe(404);
    } finally {
      await browser.close();
    }
  });
});
