import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Me } from '../../shared/accounts.ts';
import { api, createDocument, startServer, type TestUser } from '../helpers/server.ts';
import { accountDetails, createAccountThroughUi, findChromium, joinAs, launchBrowser, openPage, sessionCookieOf, connected } from '../helpers/browser.ts';

const chromiumPath = findChromium();

// A name that is neither localhost (which browsers treat as secure) nor on an HTTPS-only list (.dev, .app):
// how a laptop on a venue's network is reached. Chromium resolves it to the test server.
const host = 'convene.test';

const editor = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');

describe.skipIf(!chromiumPath)('over plain HTTP on a local network', () => {
  it('signs in and co-edits at http://convene.test, a non-localhost name', async () => {
    const server = await startServer();
    const port = new URL(server.url).port;
    const base = `http://${host}:${port}`;
    const browser = await launchBrowser(chromiumPath!, [`--host-resolver-rules=MAP ${host} 127.0.0.1`]);

    // Before the fix the page stayed blank here: the CSP asked for the scripts over HTTPS.
    const amina = await openPage(browser, `${base}/#/`);
    expect(new URL(amina.url()).protocol).toBe('http:');
    await amina.getByTestId('register-form').waitFor({ timeout: 45_000 });
    const details = accountDetails('Amina');
    await createAccountThroughUi(amina, details);
    const cookie = await sessionCookieOf(amina.context());
    const me = await api<Me>(server.url, 'GET', '/auth/me', undefined, cookie);
    expect(me.body.displayName).toBe('Amina');
    const aminaUser: TestUser = {
      me: me.body,
      cookie,
      password: details.password,
      call: (method, route, body) => api(server.url, method, route, body, cookie),
    };

    const { consultation, document } = await createDocument(server.url, aminaUser);
    const danielUser = await joinAs(server.url, aminaUser, consultation.id, 'Daniel', 'drafter', 'government');
    const docUrl = `${base}/#/d/${document.id}`;
    await amina.goto(docUrl);
    const daniel = await openPage(browser, docUrl, { cookie: danielUser.cookie, apiBase: server.url });
    await Promise.all([connected(amina), connected(daniel)]);

    await editor(amina).click();
    await amina.keyboard.type('Everyone may take part in the venue’s consultation.');
    await expect.poll(() => editor(daniel).innerText()).toContain('take part in the venue');

    await editor(daniel).click();
    await daniel.keyboard.press('End');
    await daniel.keyboard.press('Enter');
    await daniel.keyboard.type('Written over plain HTTP.');
    await expect.poll(() => editor(amina).innerText()).toContain('Written over plain HTTP.');
    expect(new URL(daniel.url()).origin).toBe(base);
  }, 300_000);
});
