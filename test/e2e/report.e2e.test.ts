import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import mammoth from 'mammoth';
import type { Meeting } from '../../shared/meetings.ts';
import { addMember, createDocument, startServer } from '../helpers/server.ts';
import { liveAnchor } from '../helpers/comments.ts';
import { connectSocket } from '../helpers/socket.ts';
import { ok } from '../helpers/meetings.ts';
import { findChromium, launchBrowser, openPage } from '../helpers/browser.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { pdfText } from '../helpers/pdf.ts';
import { catalogues } from '../../client/src/lib/i18n/all-catalogues.ts';

const { fr, es } = catalogues;

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('the report and minutes downloads in a real browser', () => {
  it('a drafter makes the report from the consultation page with the keyboard and gets the file; a contributor sees no control', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    const drafter = await addMember(server.url, owner, consultation.id, 'drafter', 'government');
    const contributor = await addMember(server.url, owner, consultation.id, 'contributor', 'civil_society');
    const socket = await connectSocket(server.url, owner.cookie);
    ok(await socket.emitWithAck('thread:create', { documentId: document.id, anchor: await liveAnchor(server.server, document.id, 'Le droit de réunion pacifique'), body: 'Préciser les restrictions.' }));
    socket.close();

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${server.url}/#/c/${consultation.id}`, { cookie: drafter.cookie, locale: 'fr' });
    const control = page.getByTestId('report-control');
    await control.waitFor();
    await expectNoAxeViolations(page, '[data-testid="report-control"]');
    expect(await control.getByRole('heading').innerText()).toBe(fr['report.control.title']);

    // The report's language is the page's unless another is picked: this one is for a Spanish-speaking reader.
    const language = control.getByRole('combobox', { name: fr['report.control.language'] });
    expect(await language.inputValue()).toBe('fr');
    await language.selectOption('es');
    // Keyboard only: Word is chosen; focus the button and press Enter.
    await control.getByRole('radio', { name: fr['report.control.docx'] }).focus();
    await page.keyboard.press('Space');
    await control.getByRole('button', { name: fr['report.control.start'] }).focus();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), page.keyboard.press('Enter')]);
    expect(await download.failure()).toBeNull();
    expect(download.suggestedFilename()).toBe(`${es['report.title']} - ${consultation.title}.docx`);
    const text = (await mammoth.extractRawText({ buffer: await readFile((await download.path())!) })).value;
    expect(text).toContain(es['report.participation']);
    expect(text).toContain('Préciser les restrictions.');
    await expect.poll(() => control.getByTestId('report-ready').isVisible()).toBe(true);
    await expectNoAxeViolations(page, '[data-testid="report-control"]');

    const other = await openPage(browser, `${server.url}/#/c/${consultation.id}`, { cookie: contributor.cookie });
    await other.getByTestId('phase').waitFor();
    expect(await other.getByTestId('report-control').count()).toBe(0);
  });

  it("a meeting's page links to its minutes; a click saves them as DOCX and as PDF", async () => {
    const server = await startServer();
    const { owner, consultation } = await createDocument(server.url);
    const observer = await addMember(server.url, owner, consultation.id, 'observer', 'international');
    const meeting = await owner.call<Meeting>('POST', `/consultations/${consultation.id}/meetings`, {
      title: 'Atelier de validation',
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
      agenda: ['Ouverture', 'Chapitre 1'],
    });
    expect(meeting.status).toBe(201);

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${server.url}/#/m/${meeting.body.id}`, { cookie: observer.cookie });
    const links = page.getByTestId('minutes-downloads').getByRole('link');
    await links.first().waitFor();
    await expectNoAxeViolations(page, '[data-testid="minutes-downloads"]');
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(
      ['docx', 'pdf'].map((f) => `/api/meetings/${meeting.body.id}/minutes.${f}?lang=en`),
    );

    const [docx] = await Promise.all([page.waitForEvent('download'), links.nth(0).click()]);
    expect(docx.suggestedFilename()).toBe('Atelier de validation.docx');
    const docxText = (await mammoth.extractRawText({ buffer: await readFile((await docx.path())!) })).value;
    expect(docxText).toContain('Minutes: Atelier de validation');
    expect(docxText).toContain('Chapitre 1');

    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), links.nth(1).click()]);
    expect(pdf.suggestedFilename()).toBe('Atelier de validation.pdf');
    expect(await pdfText(await readFile((await pdf.path())!))).toContain('Minutes: Atelier de validation');
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
