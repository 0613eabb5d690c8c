import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Consultation } from '../../shared/schemas.ts';
import { createDocument, registerUser, startServer } from '../helpers/server.ts';
import { connectYjs } from '../helpers/yjs.ts';
import { plainText, untilServerHas, writeParagraph } from '../helpers/comments.ts';
import { findChromium, launchBrowser, openPage } from '../helpers/browser.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('moving a consultation through the archive, in a real browser', () => {
  it('a facilitator exports it from the consultation page and someone on a fresh server imports it from the home page, with a clear error for a bad file first', async () => {
    const a = await startServer();
    const { owner, consultation, document } = await createDocument(a.url);
    const editor = connectYjs(a.wsUrl, document.id, { cookie: owner.cookie, keep: false });
    await editor.synced;
    writeParagraph(editor.doc, 'Every region shall have a legal aid office by 2029.');
    await untilServerHas(a.server, document.id, 'legal aid office');
    editor.destroy();

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${a.url}/#/c/${consultation.id}`, { cookie: owner.cookie });
    const exporter = page.getByTestId('archive-export');
    await exporter.waitFor();
    await expectNoAxeViolations(page);
    // By keyboard: the button takes focus and Enter starts the download.
    await exporter.getByRole('button', { name: 'Export archive' }).focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(await download.failure()).toBeNull();
    expect(download.suggestedFilename()).toMatch(/\.convene\.jsonl\.gz$/);
    const file = await readFile((await download.path())!);
    const header = JSON.parse(gunzipSync(file).toString('utf8').split('\n')[0]!) as { format: string; consultationId: string };
    expect(header).toMatchObject({ format: 'convene-consultation-archive', consultationId: consultation.id });
    await expect.poll(() => exporter.getByRole('status').innerText()).toContain('The archive is downloading.');

    const b = await startServer();
    const importer = await registerUser(b.url, 'Importer on B');
    const home = await openPage(browser, `${b.url}/#/`, { cookie: importer.cookie });
    const form = home.getByTestId('archive-import');
    await form.waitFor();
    await expectNoAxeViolations(home);

    // Sending without a file says so, and a damaged file is refused with a message that says why.
    await form.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => form.getByText('Choose an archive file.').count()).toBe(1);
    await form.getByLabel('Archive file').setInputFiles({ name: 'broken.convene.jsonl.gz', mimeType: 'application/gzip', buffer: file.subarray(0, 40) });
    await form.getByRole('button', { name: 'Import' }).click();
    const alert = home.getByTestId('archive-import-error');
    await expect.poll(() => alert.getAttribute('data-code')).toBe('archive_corrupt');
    expect(await alert.innerText()).toContain('it is damaged, cut short or was changed');
    await expectNoAxeViolations(home);
    expect((await importer.call<{ items: Consultation[] }>('GET', '/consultations')).body.items).toHaveLength(0);

    // The real file, the group chosen with the keyboard, sent with Enter: the restored consultation opens.
    await form.getByLabel('Archive file').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/gzip', buffer: file });
    await form.getByLabel('Your stakeholder group').selectOption('nhri');
    await form.getByRole('button', { name: 'Import' }).focus();
    await home.keyboard.press('Enter');
    await home.waitForURL(`**/#/c/${consultation.id}`, { timeout: 60_000 });
    await expect.poll(() => home.locator('h1').innerText()).toBe(consultation.title);
    await expect.poll(() => home.getByTestId('your-role').getAttribute('data-role')).toBe('facilitator');
    await expectNoAxeViolations(home);

    // In Arabic the form reads right to left, in its own words, and stays axe-clean.
    const arabic = await openPage(browser, `${b.url}/#/`, { cookie: importer.cookie, locale: 'ar' });
    const arabicForm = arabic.getByTestId('archive-import');
    await arabicForm.waitFor();
    expect(await arabic.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await arabicForm.locator('h2').innerText()).toBe('استيراد أرشيف');
    await expectNoAxeViolations(arabic);

    // The document came with its text.
    const reader = connectYjs(b.wsUrl, document.id, { cookie: importer.cookie, keep: false });
    await reader.synced;
    expect(plainText(reader.doc)).toContain('Every region shall have a legal aid office by 2029.');
    reader.destroy();
  }, 300_000);
});
