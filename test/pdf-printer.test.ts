import { describe, expect, it } from 'vitest';
import { PdfPrinter } from '../server/report/pdf.ts';
import { findChromium } from './helpers/browser.ts';
import { capturingLogger } from './helpers/logger.ts';
import { onCleanup } from './helpers/cleanup.ts';
import { pdfPages, pdfText } from './helpers/pdf.ts';

const chromiumPath = findChromium();

describe('PDF printing', () => {
  it('refuses with 503 "unavailable" when the server has no Chromium', async () => {
    const printer = new PdfPrinter(null, capturingLogger().logger);
    expect(printer.available).toBe(false);
    await expect(printer.print('<p>x</p>')).rejects.toMatchObject({ code: 'unavailable' });
  });

  it.runIf(chromiumPath)('prints HTML that pdf.js reads back, page breaks kept, scripts and fetches refused', async () => {
    const printer = new PdfPrinter(chromiumPath, capturingLogger().logger);
    onCleanup(() => printer.close());
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>.next{break-before:page}</style></head><body>
      <h1>Consultation report</h1><p>Free, prior and informed consent</p>
      <script>document.body.append('SCRIPT RAN')</script>
      <img src="http://127.0.0.1:9/tracker.png" alt="">
      <section class="next"><p>Second page</p></section></body></html>`;
    const bytes = await printer.print(html);
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
    const pages = await pdfPages(bytes);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('Consultation report');
    expect(pages[0]).toContain('Free, prior and informed consent');
    expect(pages[1]).toContain('Second page');
    expect(await pdfText(bytes)).not.toContain('SCRIPT RAN');
  });

  it.runIf(chromiumPath)('queues prints beyond its concurrency and refuses beyond its queue', async () => {
    const printer = new PdfPrinter(chromiumPath, capturingLogger().logger, { concurrency: 1, queue: 1 });
    onCleanup(() => printer.close());
    const jobs = [0, 1, 2].map((n) => printer.print(`<p>job ${n}</p>`).then(pdfText));
    const settled = await Promise.allSettled(jobs);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((settled[1] as PromiseFulfilledResult<string>).value).toContain('job 1');
    expect((settled[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'unavailable', details: { retryAfterSeconds: 5 } });
  });
});
