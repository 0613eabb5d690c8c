import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CreatedInvitation } from '../../shared/accounts.ts';
import { fragmentName } from '../../shared/collab.ts';
import { registerUser, type TestServer, startServer } from '../helpers/server.ts';
import { connectYjs } from '../helpers/yjs.ts';
import { connectSocket } from '../helpers/socket.ts';
import { anchorOn, untilServerHas, writeParagraph } from '../helpers/comments.ts';
import { consultationRoom, liveMeeting, ok, type Room } from '../helpers/meetings.ts';
import { writePlan } from '../helpers/plan.ts';
import { axeViolations } from '../helpers/axe.ts';
import { connected, findChromium, joinAs, launchBrowser, newContext, selectWords } from '../helpers/browser.ts';

const chromiumPath = findChromium();

/** User-written text in Latin script, seeded below: in the Arabic interface each must still read left to right. */
const latin = [
  'Agreed, we will add the stages.',
  'Guarantee public access to judgments',
  'Publish judgments',
  'Adopt chapter 1?',
  'Validation workshop',
  'Opening',
  'Daniel Otieno',
  'Name the groups in the second paragraph.',
  'National Action Plan 2027–2031',
  'Draft action plan',
  'The State shall consult civil society before adopting the plan.',
  'consult civil society',
  'before adopting',
  'Facilitator',
  'Ministry of Justice',
  'Access to information',
];

/**
 * Text a person wrote that is not in the interface's direction, found where it is shown: in the English
 * interface every text in Arabic script, in the Arabic one every Latin text seeded above. Each must sit in an
 * element whose directionality (`:dir()`, what `dir="auto"` or `<bdi>` resolves to) is its own, or inside
 * Unicode isolates (FSI…PDI) that the catalogue puts around interpolated values.
 */
async function misdirected(page: Page, locale: string): Promise<string[]> {
  return page.evaluate(
    ({ locale, latin }) => {
      const found: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest('script, style')) continue;
        const bare = node.textContent!.replace(/\u2068[^\u2069]*\u2069/g, '');
        const foreign = locale === 'ar' ? latin.some((l) => bare.includes(l)) : /[\u0600-\u06ff]/.test(bare);
        const wanted = locale === 'ar' ? 'ltr' : 'rtl';
        if (foreign && !parent.matches(`:dir(${wanted})`)) {
          const where = parent.closest('[data-testid]')?.getAttribute('data-testid') ?? '';
          found.push(`<${parent.localName}> in ${where || 'page'}: "${bare.trim().slice(0, 40)}" is not ${wanted}`);
        }
      }
      // What people type into fields keeps its direction too (a field's :dir() follows its value with dir=auto).
      for (const field of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')) {
        const value = field.value;
        const foreign = locale === 'ar' ? latin.some((l) => value.includes(l)) : /[\u0600-\u06ff]/.test(value);
        const wanted = locale === 'ar' ? 'ltr' : 'rtl';
        if (foreign && !field.matches(`:dir(${wanted})`)) {
          const where = field.getAttribute('data-field') ?? field.closest('[data-testid]')?.getAttribute('data-testid') ?? '';
          found.push(`<${field.localName}> ${where}: "${value.slice(0, 40)}" is not ${wanted}`);
        }
      }
      return found;
    },
    { locale, latin },
  );
}

/**
 * Every page and its main states, in English and in Arabic (right to left),
 * checked with axe-core against WCAG 2.1 A and AA. The whole document is
 * checked (header and dialogs included), and every state's violations are
 * gathered before failing so one run shows them all.
 */
describe.skipIf(!chromiumPath)('accessibility (axe-core, WCAG 2.1 A/AA)', () => {
  let server: TestServer;
  let room: Room;
  let browser: Browser;
  let meetingId: string;
  let inviteToken: string;
  let flaggedCommentId: string;

  beforeAll(async () => {
    server = await startServer();
    room = await consultationRoom(server);
    const { document, consultation, owner, sockets } = room;
    const amina = await joinAs(server.url, owner, consultation.id, 'أمينة', 'contributor', 'civil_society');
    const daniel = await joinAs(server.url, owner, consultation.id, 'Daniel Otieno', 'contributor', 'nhri');
    const aminaSocket = await connectSocket(server.url, amina.cookie);
    const danielSocket = await connectSocket(server.url, daniel.cookie);
    for (const rec of [
      { id: 'R-1', symbol: 'A/HRC/52/9 para 12', body: 'UPR', themes: ['Access to information'], text: 'Guarantee public access to judgments' },
      { id: 'R-2', symbol: 'CAT/C/KEN/CO/3 para 8', body: 'CAT', themes: ['Detention'], text: 'ضمان الوصول إلى العدالة' },
    ])
      expect((await owner.call('POST', `/consultations/${consultation.id}/recommendations`, rec)).status).toBe(201);
    const writer = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    writePlan(writer.doc.getXmlFragment(fragmentName), [
      {
        id: 'g1',
        title: 'الوصول إلى العدالة',
        objectives: [{ id: 'o1', title: 'Open courts', actions: [{ id: 'a1', title: 'Publish judgments', attrs: { lead: 'Ministry of Justice', status: 'in_progress', recommendations: ['R-1'], sdgTargets: ['16.10'] } }] }],
      },
    ]);
    const paragraph = writeParagraph(writer.doc, 'The State shall consult civil society before adopting the plan.');
    await untilServerHas(server.server, document.id, 'consult civil society');
    // An Arabic comment, a Latin reply, a flag waiting for the facilitators.
    const thread = ok(await aminaSocket.emitWithAck('thread:create', { documentId: document.id, anchor: anchorOn(paragraph, 'consult civil society'), body: 'يجب استشارة المجتمع المدني في كل مرحلة.' }));
    ok(await sockets.gov.emitWithAck('comment:reply', { threadId: thread.id, body: 'Agreed, we will add the stages.' }));
    ok(await danielSocket.emitWithAck('thread:create', { documentId: document.id, anchor: anchorOn(paragraph, 'before adopting'), body: 'Name the groups in the second paragraph.' }));
    flaggedCommentId = thread.comments[0]!.id;
    ok(await sockets.cso2.emitWithAck('comment:flag', { threadId: thread.id, commentId: flaggedCommentId, reason: 'خارج الموضوع' }));
    // A live session with a poll open, a raised hand and a decision noted.
    const meeting = await liveMeeting(room, { agenda: ['Opening', 'الفصل الأول: الفضاء المدني'] });
    meetingId = meeting.id;
    ok(await sockets.facilitator.emitWithAck('poll:open', { meetingId, question: 'Adopt chapter 1?', options: ['نعم', 'No'] }));
    ok(await sockets.cso2.emitWithAck('meeting:join', meetingId));
    ok(await sockets.cso2.emitWithAck('hand:raise', { meetingId }));
    ok(await sockets.facilitator.emitWithAck('minutes:decision', { meetingId, text: 'يُعرض الفصل الأول للتصويت' }));
    inviteToken = (await owner.call<CreatedInvitation>('POST', `/consultations/${consultation.id}/invitations`, { role: 'contributor', group: 'civil_society' })).body.token;
    browser = await launchBrowser(chromiumPath!);
  }, 240_000);

  for (const locale of ['en', 'ar']) {
    it(`has no violations on any page in ${locale}`, async () => {
      const found: string[] = [];
      const { consultation, document, people } = room;
      const c = consultation.id;
      const d = document.id;

      async function check(page: Page, state: string) {
        for (const v of await axeViolations(page, 'body')) found.push(`${state}: ${v}`);
        for (const v of await misdirected(page, locale)) found.push(`${state}: ${v}`);
      }
      async function visit(page: Page, hash: string, ready: (page: Page) => Promise<unknown>, state = hash) {
        await page.goto('about:blank');
        await page.goto(`${server.url}/${hash}`);
        await ready(page);
        await check(page, state);
      }
      const signedIn = async (cookie: string) => (await newContext(browser, server.url, { cookie, locale })).newPage();
      const byTestId = (id: string) => (page: Page) => page.getByTestId(id).first().waitFor({ timeout: 45_000 });

      const stranger = await (await newContext(browser, server.url, { locale })).newPage();
      await visit(stranger, '#/', byTestId('register-form'), 'welcome');
      // Sent empty: the fields say what is missing.
      await stranger.getByTestId('sign-in-form').locator('button[type="submit"]').click();
      await stranger.locator('[data-testid="sign-in-form"] [aria-invalid="true"]').first().waitFor();
      await check(stranger, 'welcome, sign-in errors shown');
      await visit(stranger, `#/invite/${inviteToken}`, byTestId('invitation-preview'), 'invite (signed out)');
      const newcomer = await signedIn((await registerUser(server.url, 'Newcomer')).cookie);
      await visit(newcomer, `#/invite/${inviteToken}`, byTestId('join-form'), 'invite (signed in)');

      const owner = await signedIn(room.owner.cookie);
      await visit(owner, '#/', byTestId('account-menu'), 'home');
      await visit(owner, '#/account', (p) => p.locator('h1').waitFor(), 'account');
      await visit(owner, `#/c/${c}`, byTestId('meetings'), 'consultation');
      await owner.getByTestId('invite-button').click();
      await owner.getByTestId('invite-dialog').waitFor();
      await check(owner, 'consultation, invite dialog open');

      await visit(owner, `#/d/${d}`, async (p) => {
        await connected(p);
        await p.locator('[data-testid="comment"]').nth(2).waitFor({ timeout: 45_000 });
      }, 'document with its comments');
      await owner.locator(`[data-testid="comment"][data-comment-id="${flaggedCommentId}"]`).getByTestId('flag-button').click();
      await owner.locator('dialog[open][data-testid="flag-dialog"] textarea').waitFor();
      await check(owner, 'document, flag dialog open');
      await owner.keyboard.press('Escape');
      // The dialog's close event (which gives the focus back to its opener) comes a task later: wait for it, so
      // that it does not take the focus from the editor below.
      await expect.poll(() => owner.evaluate(() => window.document.activeElement?.getAttribute('data-testid'))).toBe('flag-button');
      // ProseMirror follows the browser's selection only while it has the focus.
      await owner.locator('[data-testid="editor"] .ProseMirror').focus();
      await selectWords(owner, 'before adopting');
      await owner.locator('[data-tool="comment"]').click();
      await owner.getByTestId('comment-composer').waitFor();
      await check(owner, 'document, comment composer open');

      await visit(owner, `#/d/${d}/table`, byTestId('plan-table'), 'plan table');
      await visit(owner, `#/d/${d}/coverage`, (p) => p.locator('[data-testid="coverage"][data-ready="true"]').waitFor({ timeout: 45_000 }), 'coverage');
      // SDG titles come from the UN's own text in a known language: it is marked.
      const sdgTitle = owner.locator('.sdg-title').first();
      await expect.poll(() => sdgTitle.innerText()).not.toBe('');
      const sdgLang = await sdgTitle.getAttribute('lang');
      if (sdgLang !== locale) found.push(`coverage: an SDG title is marked lang=${sdgLang}, not ${locale}`);
      await visit(owner, `#/d/${d}/history`, byTestId('history'), 'history');
      await visit(owner, `#/c/${c}/recommendations`, (p) => p.getByText('R-2').first().waitFor(), 'recommendations');
      await visit(owner, `#/c/${c}/moderation`, byTestId('moderation-item'), 'moderation');
      await visit(owner, `#/c/${c}/audit`, byTestId('audit-table'), 'audit');
      await visit(owner, `#/m/${meetingId}`, byTestId('poll'), 'session (facilitator)');
      await owner.getByTestId('poll-form-toggle').click();
      await owner.getByTestId('poll-form').waitFor();
      await check(owner, 'session, poll form open');

      const contributor = await signedIn(people.cso1.cookie);
      await visit(contributor, `#/m/${meetingId}`, async (p) => {
        await p.getByTestId('poll-vote-form').waitFor({ timeout: 45_000 });
        await p.getByTestId('hand-raise').waitFor();
      }, 'session (contributor, poll open)');
      await visit(contributor, `#/d/${d}`, async (p) => {
        await connected(p);
        await p.locator('[data-testid="comment"]').nth(2).waitFor({ timeout: 45_000 });
      }, 'document (contributor)');

      expect(found).toEqual([]);
    }, 600_000);
  }
});
