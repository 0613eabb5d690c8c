import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { CreatedInvitation } from '../../shared/accounts.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';
import type { Role } from '../../shared/permissions.ts';
import { onCleanup } from './cleanup.ts';
import { api, registerUser, type TestUser } from './server.ts';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The name of the httpOnly session cookie the server sets. */
export const sessionCookieName = 'convene_session';

/** The system Chromium, or null. In CI a missing browser is an error, never a skip. */
export function findChromium(): string | null {
  const found = candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
  if (!found && process.env.CI === 'true') {
    throw new Error('CI=true but no Chromium was found: install it (apt-get install -y chromium) or set CHROMIUM_PATH');
  }
  if (!found) console.warn('[e2e] no Chromium found (set CHROMIUM_PATH or apt-get install chromium): end-to-end tests skipped');
  return found;
}

/** `extraArgs`: more Chromium switches, e.g. `--host-resolver-rules=MAP convene.test 127.0.0.1`. */
export async function launchBrowser(executablePath: string, extraArgs: string[] = []): Promise<Browser> {
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
      ...extraArgs,
    ],
  });
  onCleanup(() => browser.close());
  return browser;
}

export interface OpenOptions {
  /** A `convene_session=…` cookie (from `registerUser` / `addMember`): the page opens signed in as that person. */
  cookie?: string;
  /**
   * The interface language (default English, so that tests can read the text): this device's
   * choice, and with a cookie also the account's, since a signed-in person's language is their
   * account's on every device.
   */
  locale?: string;
  /** Where this process reaches the server, when the browser's address is a name only Chromium resolves (the LAN test). */
  apiBase?: string;
}

/** A fresh browser context (its own cookies and storage), optionally signed in with a session cookie. */
export async function newContext(browser: Browser, baseUrl: string, options: OpenOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext();
  onCleanup(() => context.close().catch(() => undefined));
  await context.addInitScript((locale) => localStorage.setItem('convene.locale', locale), options.locale ?? 'en');
  if (options.cookie) {
    const value = options.cookie.replace(new RegExp(`^${sessionCookieName}=`), '');
    await context.addCookies([{ name: sessionCookieName, value, url: baseUrl }]);
    const saved = await api(options.apiBase ?? baseUrl, 'PATCH', '/auth/me', { language: options.locale ?? 'en' }, options.cookie);
    if (saved.status !== 200) throw new Error(`setting the account's language failed: ${saved.status}`);
  }
  return context;
}

/** A page in its own context at `url`, signed in when a session cookie is given. */
export async function openPage(browser: Browser, url: string, options: OpenOptions = {}): Promise<Page> {
  const context = await newContext(browser, new URL(url).origin, options);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

export interface NewAccount {
  email: string;
  password: string;
  displayName: string;
}

let accounts = 0;

/** Fresh account details, unique across the test run. */
export function accountDetails(displayName: string): NewAccount {
  return { email: `e2e${++accounts}.${Date.now()}@example.org`, password: 'a long enough passphrase', displayName };
}

/**
 * Fills in and sends the page's "Create account" form, then waits until the
 * header shows the new account as signed in.
 */
export async function createAccountThroughUi(page: Page, account: NewAccount): Promise<void> {
  const form = page.getByTestId('register-form');
  await form.getByLabel('Email address').fill(account.email);
  await form.getByLabel('Password', { exact: true }).fill(account.password);
  await form.getByLabel('Display name').fill(account.displayName);
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect
    .poll(() => page.getByTestId('account-menu').innerText().catch(() => ''), { timeout: 30_000 })
    .toContain(account.displayName);
}

/** The session cookie a browser context holds, as a `Cookie` header value for the REST helpers. */
export async function sessionCookieOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === sessionCookieName);
  if (!cookie) throw new Error('the browser has no session cookie');
  return `${sessionCookieName}=${cookie.value}`;
}

/**
 * Registers `displayName` through the REST API and makes them a member of the
 * consultation through an invitation from `owner`, as `addMember` does, but
 * with a chosen name (cursor labels are checked by name).
 */
export async function joinAs(
  base: string,
  owner: TestUser,
  consultationId: string,
  displayName: string,
  role: Role,
  group: StakeholderGroup,
): Promise<TestUser> {
  const invite = await owner.call<CreatedInvitation>('POST', `/consultations/${consultationId}/invitations`, { role, group });
  if (invite.status !== 201) throw new Error(`inviting failed: ${invite.status} ${JSON.stringify(invite.body)}`);
  const user = await registerUser(base, displayName);
  const joined = await user.call('POST', '/invitations/accept', { token: invite.body.token });
  if (joined.status !== 200) throw new Error(`joining failed: ${joined.status} ${JSON.stringify(joined.body)}`);
  return user;
}

/** Waits until a document page's live connection is up (the status the page shows). */
export const connected = (page: Page) => page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 45_000 });

/** Selects the first occurrence of `words` in the document, as a reader dragging over them would. */
export async function selectWords(page: Page, words: string): Promise<void> {
  // ProseMirror reads the selection on `selectionchange`, which fires asynchronously: resolve once it
  // has fired with the words selected. ProseMirror's listener was added first, so it has run by then
  // (a fixed pause instead can be too short on a busy machine).
  await page.evaluate(
    (words) =>
      new Promise<void>((resolve, reject) => {
        const root = document.querySelector('[data-testid="editor"] .ProseMirror')!;
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent!.indexOf(words);
          if (at < 0) continue;
          const seen = () => {
            if (getSelection()?.toString() !== words) return;
            document.removeEventListener('selectionchange', seen);
            resolve();
          };
          document.addEventListener('selectionchange', seen);
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + words.length);
          getSelection()!.removeAllRanges();
          getSelection()!.addRange(range);
          return;
        }
        reject(new Error(`"${words}" is not in one text node of the editor`));
      }),
    words,
  );
}

/**
 * Selects the `word` at the caret with Shift+→, as a keyboard user would, and waits until the browser
 * reports it: ProseMirror reads the selection on `selectionchange`, which fires asynchronously.
 */
export async function selectByKeyboard(page: Page, word: string): Promise<void> {
  await page.evaluate(() => {
    const w = window as { __selected?: string };
    w.__selected = '';
    window.document.addEventListener('selectionchange', () => (w.__selected = getSelection()?.toString() ?? ''));
  });
  for (let i = 0; i < word.length; i++) await page.keyboard.press('Shift+ArrowRight');
  await expect.poll(() => page.evaluate(() => (window as { __selected?: string }).__selected)).toBe(word);
}
