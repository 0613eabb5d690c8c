import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { onCleanup } from './cleanup.ts';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The system Chromium, or null. In CI a missing browser is an error, never a skip. */
export function findChromium(): string | null {
  const found = candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
  if (!found && process.env.CI === 'true') {
    throw new Error('CI=true but no Chromium was found: install it (apt-get install -y chromium) or set CHROMIUM_PATH');
  }
  if (!found) console.warn('[e2e] no Chromium found (set CHROMIUM_PATH or apt-get install chromium): end-to-end tests skipped');
  return found;
}

export async function launchBrowser(executablePath: string): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  onCleanup(() => browser.close());
  return browser;
}

/** A page in its own context (its own storage), with an identity already chosen as on first entry. */
export async function openAs(browser: Browser, identity: { name: string; group: string }, url: string): Promise<Page> {
  const context = await browser.newContext();
  await context.addInitScript((value) => {
    localStorage.setItem('convene.identity', value);
    localStorage.setItem('convene.locale', 'en');
  }, JSON.stringify(identity));
  const page = await context.newPage();
  await page.goto(url);
  return page;
}
