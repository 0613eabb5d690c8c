import { describe, expect, it } from 'vitest';
import type { CreatedInvitation, Me } from '../../shared/accounts.ts';
import { createDocument, startServer, registerUser } from '../helpers/server.ts';
import { findChromium, launchBrowser, newContext } from '../helpers/browser.ts';
import { onCleanup } from '../helpers/cleanup.ts';
import { catalogues } from '../../client/src/lib/i18n/all-catalogues.ts';
import type { Page } from 'playwright-core';

const chromiumPath = findChromium();
const lang = (page: Page) => page.evaluate(() => document.documentElement.lang);

describe.skipIf(!chromiumPath)("a person's language follows them across devices", () => {
  it('a language picked on one device is saved with the account and wins on sign-in on another, over that device’s old choice', async () => {
    const server = await startServer();
    const user = await registerUser(server.url, 'Amina'); // the account starts in English
    const browser = await launchBrowser(chromiumPath!);
    const accountLanguage = async () => (await user.call<Me>('GET', '/auth/me')).body.language;

    // Device A, signed in, picks French in the header.
    const deviceA = await newContext(browser, server.url, { cookie: user.cookie });
    const a = await deviceA.newPage();
    await a.goto(`${server.url}/#/`);
    await a.getByTestId('account-menu').waitFor();
    await a.locator('#language-picker').selectOption('fr');
    await expect.poll(() => lang(a)).toBe('fr');
    await expect.poll(accountLanguage).toBe('fr');

    // Device B was last used in Spanish by someone signed out (its own stored choice).
    const deviceB = await browser.newContext();
    onCleanup(() => deviceB.close().catch(() => undefined));
    await deviceB.addInitScript(() => localStorage.setItem('convene.locale', 'es'));
    const b = await deviceB.newPage();
    await b.goto(`${server.url}/#/`);
    const es = catalogues.es;
    const form = b.getByTestId('sign-in-form');
    await form.waitFor();
    expect(await lang(b)).toBe('es');
    await form.getByLabel(es['auth.email']).fill(user.me.email);
    await form.getByLabel(es['auth.password'], { exact: true }).fill(user.password);
    await form.getByRole('button', { name: es['auth.signIn'] }).click();
    // Signed in: the account's French, not the device's Spanish.
    await b.getByTestId('account-menu').waitFor();
    await expect.poll(() => lang(b)).toBe('fr');
    await expect.poll(() => b.getByRole('heading', { level: 1 }).first().innerText()).toBe(catalogues.fr['home.title']);
    // Still French after a reload, though the device's stored choice says Spanish again.
    await b.reload();
    await b.getByTestId('account-menu').waitFor();
    await expect.poll(() => lang(b)).toBe('fr');

    // A choice on B follows the person back to A.
    await b.locator('#language-picker').selectOption('zh');
    await expect.poll(accountLanguage).toBe('zh');
    await a.reload();
    await a.getByTestId('account-menu').waitFor();
    await expect.poll(() => lang(a)).toBe('zh');
    await expect.poll(() => a.locator('#language-picker').inputValue()).toBe('zh');
  });

  it('a language picked on the welcome page just before signing in is the newer choice: the account takes it', async () => {
    const server = await startServer();
    const user = await registerUser(server.url, 'Omar');
    const browser = await launchBrowser(chromiumPath!);
    const context = await newContext(browser, server.url); // this device: English
    const page = await context.newPage();
    await page.goto(`${server.url}/#/`);
    await page.locator('#language-picker').selectOption('ar');
    await expect.poll(() => lang(page)).toBe('ar');
    const ar = catalogues.ar;
    const form = page.getByTestId('sign-in-form');
    await form.getByLabel(ar['auth.email']).fill(user.me.email);
    await form.getByLabel(ar['auth.password'], { exact: true }).fill(user.password);
    await form.getByRole('button', { name: ar['auth.signIn'] }).click();
    await page.getByTestId('account-menu').waitFor();
    await expect.poll(async () => (await user.call<Me>('GET', '/auth/me')).body.language).toBe('ar');
    expect(await lang(page)).toBe('ar');
  });

  it('writes numbers and dates on the page as the language does, in Arabic, French and Chinese', async () => {
    const server = await startServer();
    const { owner, consultation } = await createDocument(server.url);
    const made = await owner.call<CreatedInvitation>('POST', `/consultations/${consultation.id}/invitations`, {
      role: 'contributor',
      group: 'civil_society',
      maxUses: 1000,
      expiresInHours: 24 * 30,
    });
    expect(made.status).toBe(201);
    const browser = await launchBrowser(chromiumPath!);
    for (const locale of ['ar', 'fr', 'zh'] as const) {
      const context = await newContext(browser, server.url, { cookie: owner.cookie, locale });
      const page = await context.newPage();
      await page.goto(`${server.url}/#/c/${consultation.id}`);
      const row = page.getByTestId('invitation').first();
      await row.waitFor();
      await expect.poll(() => lang(page)).toBe(locale);
      // What this browser's Intl writes for the language: "1 000", "1,000"; never the bare "1000".
      const [thousand, zero, day] = await page.evaluate(
        ([l, at]) => [
          new Intl.NumberFormat(l).format(1000),
          new Intl.NumberFormat(l).format(0),
          new Intl.DateTimeFormat(l, { year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(at)),
        ],
        [locale, made.body.expiresAt] as const,
      );
      const uses = (await row.locator('td').nth(2).innerText()).replace(/[\u2066-\u2069]/g, '');
      expect(uses, locale).toContain(thousand);
      expect(uses, locale).toContain(zero);
      expect(uses, locale).not.toContain('1000');
      expect(await row.locator('td').nth(3).innerText(), locale).toContain(day);
    }
  });
});
