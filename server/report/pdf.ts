import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { AppError } from '../errors.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { Logger } from '../logger.ts';

/** Where Debian, Ubuntu and Google put Chromium; `CHROMIUM_PATH` comes first. */
export function findChromium(configured: string | undefined): string | null {
  const candidates = [configured, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

export interface PrintOptions {
  landscape?: boolean;
}

/**
 * Prints HTML to PDF with headless Chromium: the one engine at hand that
 * shapes Arabic and lays out right-to-left text and CJK correctly. One
 * browser is launched on first use and kept; each print gets a fresh context
 * with JavaScript off and every network request refused, so user-written text
 * in the HTML can neither run nor fetch anything.
 */
export class PdfPrinter {
  private browser: Promise<Browser> | undefined;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly executablePath: string | null,
    private readonly logger: Logger,
    private readonly limits = { concurrency: 2, queue: 8 },
  ) {}

  get available(): boolean {
    return this.executablePath !== null;
  }

  async print(html: string, options: PrintOptions = {}): Promise<Uint8Array> {
    if (!this.executablePath) {
      throw new AppError(ErrorCode.unavailable, 'PDF needs Chromium on the server (set CHROMIUM_PATH); DOCX is available', { reason: 'pdf_unavailable' });
    }
    await this.slot();
    try {
      const browser = await this.launch();
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      try {
        await context.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load' });
        const pdf = await page.pdf({ format: 'A4', landscape: options.landscape ?? false, printBackground: true, preferCSSPageSize: true });
        return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      } finally {
        await context.close().catch(() => undefined);
      }
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await (await browser.catch(() => null))?.close().catch(() => undefined);
  }

  private slot(): Promise<void> {
    if (this.running < this.limits.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.queue) {
      return Promise.reject(new AppError(ErrorCode.unavailable, 'Too many documents are being printed; try again shortly', { retryAfterSeconds: 5 }));
    }
    return new Promise((resolve) => this.waiting.push(() => (this.running++, resolve())));
  }

  private launch(): Promise<Browser> {
    if (this.closed) return Promise.reject(new AppError(ErrorCode.unavailable, 'The server is shutting down'));
    this.browser ??= chromium
      .launch({
        executablePath: this.executablePath!,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      })
      .then((browser) => {
        // A crashed browser is launched again on the next print.
        browser.on('disconnected', () => {
          this.browser = undefined;
        });
        return browser;
      })
      .catch((err: unknown) => {
        this.browser = undefined;
        this.logger.error({ err }, 'Chromium could not be launched for PDF printing');
        throw new AppError(ErrorCode.unavailable, 'PDF printing is unavailable on this server');
      });
    return this.browser;
  }
}
