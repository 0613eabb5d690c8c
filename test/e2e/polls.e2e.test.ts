import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import type { Meeting } from '../../shared/meetings.ts';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectSocket } from '../helpers/socket.ts';
import { ok } from '../helpers/meetings.ts';
import { findChromium, joinAs, launchBrowser, openPage } from '../helpers/browser.ts';

const chromiumPath = findChromium();

/** Visible text without the Unicode isolates the client puts around names and titles. */
const text = async (locator: Locator) => (await locator.innerText()).replace(/[\u2068\u2069]/g, '');

describe.skipIf(!chromiumPath)('polls in real browsers', () => {
  it('a facilitator opens a poll with the private defaults; a contributor sees results only after voting, an observer only once it closes', async () => {
    const server = await startServer();
    const { owner, consultation } = await createDocument(server.url);
    const amina = await joinAs(server.url, owner, consultation.id, 'Amina', 'contributor', 'civil_society');
    const olga = await joinAs(server.url, owner, consultation.id, 'Olga', 'observer', 'international');
    const scheduled = await owner.call<Meeting>('POST', `/consultations/${consultation.id}/meetings`, { title: 'Hearing', startsAt: new Date().toISOString() });
    expect(scheduled.status).toBe(201);
    const socket = await connectSocket(server.url, owner.cookie);
    ok(await socket.emitWithAck('meeting:start', { meetingId: scheduled.body.id }));
    const meetingUrl = `${server.url}/#/m/${scheduled.body.id}`;

    const browser = await launchBrowser(chromiumPath!);
    const facilitator = await openPage(browser, meetingUrl, { cookie: owner.cookie });
    const contributor = await openPage(browser, meetingUrl, { cookie: amina.cookie });
    const observer = await openPage(browser, meetingUrl, { cookie: olga.cookie });

    // The form starts on the most private choices.
    await facilitator.getByTestId('poll-form-toggle').click();
    const form = facilitator.getByTestId('poll-form');
    expect(await form.getByLabel('Anonymous poll').isChecked()).toBe(true);
    expect(await form.getByLabel('Each person once they have voted; everyone when the poll closes').isChecked()).toBe(true);
    await form.getByLabel('Question').fill('Has your organisation faced reprisals?');
    await form.getByPlaceholder('Answer 1').fill('Yes');
    await form.getByPlaceholder('Answer 2').fill('No');
    await form.getByTestId('poll-open').click();

    const card = (page: typeof facilitator) => page.getByTestId('poll').first();
    await card(contributor).waitFor();
    expect(await text(card(contributor))).toContain('Nobody, facilitators included, can see who voted what.');
    expect(await text(card(contributor).getByTestId('poll-results-hidden'))).toBe('The results appear once you have voted, and for everyone when the poll closes.');
    expect(await card(contributor).getByTestId('poll-results').count()).toBe(0);

    await card(contributor).getByLabel('Yes').check();
    await card(contributor).getByTestId('poll-vote').click();
    await card(contributor).getByTestId('poll-results').waitFor();
    expect(await text(card(contributor).getByTestId('poll-results'))).toContain('1 vote');

    // The facilitator has not voted and the observer cannot: neither sees the count yet.
    await card(observer).waitFor();
    expect(await text(card(observer).getByTestId('poll-results-hidden'))).toBe('The results appear when the poll closes.');
    expect(await card(facilitator).getByTestId('poll-results').count()).toBe(0);

    await card(facilitator).getByTestId('poll-close').click();
    await card(observer).getByTestId('poll-results').waitFor();
    expect(await text(card(observer).getByTestId('poll-results'))).toContain('1 vote');
  }, 120_000);
});
