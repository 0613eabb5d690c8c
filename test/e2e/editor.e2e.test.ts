import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Me } from '../../shared/accounts.ts';
import { api, createDocument, startServer, type TestUser } from '../helpers/server.ts';
import { accountDetails, createAccountThroughUi, findChromium, joinAs, launchBrowser, openPage, sessionCookieOf, connected } from '../helpers/browser.ts';
import { openEmbeddedStore } from '../../server/store/embedded.ts';
import * as Y from 'yjs';
import { connectYjs } from '../helpers/yjs.ts';
import { fragmentName } from '../../shared/collab.ts';

const chromiumPath = findChromium();

const editor = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');

describe.skipIf(!chromiumPath)('co-editing in real browsers', () => {
  it('two signed-in pages type into one document, see each other’s text and cursor, and the text survives a restart', async () => {
    const first = await startServer();
    const browser = await launchBrowser(chromiumPath!);
    const docUrl = (base: string, id: string) => `${base}/#/d/${id}`;

    // Amina signs up in the browser, as anyone would; the others get their sessions from the API.
    const amina = await openPage(browser, `${first.url}/#/`);
    await amina.getByTestId('register-form').waitFor();
    const details = accountDetails('Amina');
    await createAccountThroughUi(amina, details);
    const aminaCookie = await sessionCookieOf(amina.context());
    const me = await api<Me>(first.url, 'GET', '/auth/me', undefined, aminaCookie);
    expect(me.status).toBe(200);
    expect(me.body.displayName).toBe('Amina');
    const aminaUser: TestUser = {
      me: me.body,
      cookie: aminaCookie,
      password: details.password,
      call: (method, route, body) => api(first.url, method, route, body, aminaCookie),
    };

    const { consultation, document } = await createDocument(first.url, aminaUser);
    // Names shown before anyone joins (hidden is the default): the carets below are labelled by account name.
    expect((await aminaUser.call('PATCH', `/consultations/${consultation.id}`, { hideIdentities: false })).status).toBe(200);
    const danielUser = await joinAs(first.url, aminaUser, consultation.id, 'Daniel', 'drafter', 'government');
    const observerUser = await joinAs(first.url, aminaUser, consultation.id, 'Observer', 'observer', 'international');

    await amina.goto(docUrl(first.url, document.id));
    const daniel = await openPage(browser, docUrl(first.url, document.id), { cookie: danielUser.cookie });
    await Promise.all([connected(amina), connected(daniel)]);
    // Both may edit: nothing says otherwise.
    expect(await amina.getByTestId('readonly-reason').count()).toBe(0);
    expect(await daniel.getByTestId('readonly-reason').count()).toBe(0);

    await editor(amina).click();
    await amina.keyboard.type('Everyone has the right to take part in public affairs.');
    await expect.poll(() => editor(daniel).innerText(), { timeout: 30_000 }).toContain('right to take part');

    await editor(daniel).click();
    await daniel.keyboard.press('End');
    await daniel.keyboard.press('Enter');
    await daniel.keyboard.type('The Ministry will report every year.');
    await expect.poll(() => editor(amina).innerText(), { timeout: 30_000 }).toContain('report every year');

    // Each sees the other's caret, labelled with the other's account name.
    await expect
      .poll(() => amina.locator('.collaboration-carets__label').allInnerTexts(), { timeout: 30_000 })
      .toContain('Daniel');
    await expect
      .poll(() => daniel.locator('.collaboration-carets__label').allInnerTexts(), { timeout: 30_000 })
      .toContain('Amina');

    // A script on the observer's account claims another name for its caret: the others see the account's own name.
    const forger = connectYjs(first.wsUrl, document.id, { cookie: observerUser.cookie, keep: false });
    await forger.synced;
    const start = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(forger.doc.getXmlFragment(fragmentName), 0));
    forger.provider.awareness.setLocalState({ user: { name: 'Minister of Justice', color: '#000000' }, cursor: { anchor: start, head: start } });
    await expect
      .poll(() => daniel.locator('.collaboration-carets__label').allInnerTexts(), { timeout: 30_000 })
      .toContain('Observer');
    expect(await daniel.locator('.collaboration-carets__label').allInnerTexts()).not.toContain('Minister of Justice');
    forger.destroy();

    await first.stop();
    const second = await startServer({ dataDir: first.dataDir, store: await openEmbeddedStore(first.dataDir) });
    // Sessions are stored: the observer's cookie still signs them in after the restart.
    const fresh = await openPage(browser, docUrl(second.url, document.id), { cookie: observerUser.cookie });
    await connected(fresh);
    await expect.poll(() => editor(fresh).innerText(), { timeout: 30_000 }).toContain('right to take part');
    expect(await editor(fresh).innerText()).toContain('report every year');
    expect(await fresh.getByTestId('readonly-reason').getAttribute('data-reason')).toBe('readonly.observer');
    expect(await editor(fresh).getAttribute('aria-readonly')).toBe('true');
  }, 300_000);
});
