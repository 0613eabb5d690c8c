import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { build } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
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
import { expectNoAxeViolations } from '../helpers/axe.ts';

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

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The PlanExports component with Svelte and the i18n module, bundled into one
 * script for a test page (fixtures/plan-exports-harness.ts): the component is
 * not placed on a page of the app yet, so the built client does not hold it.
 */
async function harnessScript(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    root,
    // Nothing written beside the shared install.
    cacheDir: path.join(os.tmpdir(), 'convene-plan-exports-harness'),
    plugins: [svelte({ configFile: path.join(root, 'svelte.config.js') })],
    build: { write: false, minify: false, lib: { entry: path.join(root, 'test/e2e/fixtures/plan-exports-harness.ts'), formats: ['iife'], name: 'Harness' } },
  });
  const [first] = Array.isArray(result) ? result : [result];
  const chunk = (first as { output: { type: string; code?: string }[] }).output.find((o) => o.type === 'chunk');
  if (!chunk?.code) throw new Error('bundling the harness gave no script');
  return chunk.code;
}

/** A blank page of the server's origin (so the session cookie goes with the component's requests) holding the component. */
async function componentPage(page: Page, baseUrl: string, script: string, documentId: string, locale: string): Promise<void> {
  await page.route(`${baseUrl}/harness`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><html lang="en"><head><title>Harness</title></head><body><main></main></body></html>' }));
  await page.goto(`${baseUrl}/harness`);
  await page.addScriptTag({ content: script });
  await page.evaluate(([id, lang]) => (window as unknown as { Harness: { mountPlanExports(id: string, l: string): Promise<void> } }).Harness.mountPlanExports(id!, lang!), [documentId, locale]);
  await page.getByTestId('plan-exports').waitFor();
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
  it('the PlanExports component downloads in the reader’s language and shows why a download failed', async () => {
    const server = await startServer();
    const title = 'Plan national 2027';
    const { owner, consultation, document: planDocument } = await createDocument(server.url, undefined, title);
    const observer = await addMember(server.url, owner, consultation.id, 'observer', 'international');
    const outsider = await registerUser(server.url, 'Outsider');
    const editor = connectYjs(server.wsUrl, planDocument.id, { cookie: owner.cookie });
    await editor.synced;
    writePlan(editor.doc.getXmlFragment(fragmentName), [{ id: 'g1', title: 'Justice', objectives: [{ id: 'o1', title: 'Procès', actions: [{ id: 'a1', title: 'Former les juges' }] }] }]);
    await eventually(() => [...server.server.rooms.loaded()].some((r) => r.docId === planDocument.id && readPlan(r.doc.getXmlFragment(fragmentName)).actions.length === 1), 'the server to hold the plan');

    const script = await harnessScript();
    const browser = await launchBrowser(chromiumPath!);
    try {
      const page = await openPage(browser, `${server.url}/`, { cookie: observer.cookie });
      await componentPage(page, server.url, script, planDocument.id, 'fr');
      const links = page.getByTestId('plan-exports').getByRole('link');
      expect(await links.allInnerTexts()).toEqual(['CSV (une ligne par action)', 'Classeur Excel (plan, recommandations, couverture)', 'Document Word (texte et matrice)']);
      expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(
        ['csv', 'xlsx', 'docx'].map((f) => `/api/documents/${planDocument.id}/export.${f}?lang=fr`),
      );
      await expectNoAxeViolations(page, '[data-testid="plan-exports"]');

      const [download] = await Promise.all([page.waitForEvent('download'), links.first().click()]);
      expect(download.suggestedFilename()).toBe(`${title}.csv`);
      const rows = parse(await readFile((await download.path())!), { bom: true }) as string[][];
      expect(rows.map((r) => r[3])).toEqual(['Action', 'Former les juges']);
      expect(await page.getByRole('alert').count()).toBe(0);

      // Someone who may not read the document: no file, and the reason on the page, in their language.
      const other = await openPage(browser, `${server.url}/`, { cookie: outsider.cookie });
      await componentPage(other, server.url, script, planDocument.id, 'fr');
      let downloads = 0;
      other.on('download', () => downloads++);
      await other.getByTestId('plan-exports').getByRole('link').nth(2).click();
      // (Without the Unicode isolates the client puts around values.)
      await expect.poll(async () => (await other.getByRole('alert').innerText()).replace(/[\u2068\u2069]/g, '')).toBe(
        'Le téléchargement a échoué\u00a0: Élément introuvable. Il a peut-être été supprimé, ou l’adresse est incorrecte.',
      );
      expect(downloads).toBe(0);
    } finally {
      await browser.close();
    }
  });
  it('the document page and the plan table offer the downloads: a click there saves the plan', async () => {
    const server = await startServer();
    const { owner, document: planDocument } = await createDocument(server.url, undefined, 'Kenya NAP');
    const editor = connectYjs(server.wsUrl, planDocument.id, { cookie: owner.cookie });
    await editor.synced;
    writePlan(editor.doc.getXmlFragment(fragmentName), [
      { id: 'g1', title: 'Justice', objectives: [{ id: 'o1', title: 'Courts', actions: [{ id: 'a1', title: 'Train magistrates', attrs: { lead: 'Judiciary' } }] }] },
    ]);
    await eventually(() => [...server.server.rooms.loaded()].some((r) => r.docId === planDocument.id && readPlan(r.doc.getXmlFragment(fragmentName)).actions.length === 1), 'the server to hold the plan');
    const browser = await launchBrowser(chromiumPath!);
    for (const where of [`#/d/${planDocument.id}`, `#/d/${planDocument.id}/table`]) {
      const page = await openPage(browser, `${server.url}/${where}`, { cookie: owner.cookie });
      const links = page.getByTestId('plan-exports').locator('a');
      await expect.poll(() => links.count()).toBe(3);
      const [download] = await Promise.all([page.waitForEvent('download'), links.first().click()]);
      expect(download.suggestedFilename()).toBe('Kenya NAP.csv');
      const rows = parse(await readFile((await download.path())!), { bom: true }) as string[][];
      expect(rows.slice(1).map((r) => [r[0], r[3]])).toEqual([['1.1.1', 'Train magistrates']]);
      await page.close();
    }
  });
});
