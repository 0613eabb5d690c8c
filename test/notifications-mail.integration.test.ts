import { describe, expect, it } from 'vitest';
import type { NotificationSettings, UnreadCount } from '../shared/notifications.ts';
import { addMember, createDocument, startServer, type TestUser } from './helpers/server.ts';
import { connectSocket } from './helpers/socket.ts';
import { eventually } from './helpers/yjs.ts';
import { liveAnchor } from './helpers/comments.ts';
import { ok } from './helpers/meetings.ts';
import { startSmtp, type ReceivedMail } from './helpers/smtp.ts';

const publicUrl = 'https://convene.example.org';

/** A server (with or without SMTP) and a consultation open for comment with a drafter and two contributors; Amina has started a thread. */
async function setting(smtpUrl: string | undefined) {
  const s = await startServer({ config: { mail: { smtpUrl, from: 'Convene <convene@example.org>', publicUrl, digestEveryMs: 24 * 3_600_000 } } });
  const { owner, consultation, document } = await createDocument(s.url);
  const drafter = await addMember(s.url, owner, consultation.id, 'drafter', 'government');
  const amina = await addMember(s.url, owner, consultation.id, 'contributor', 'civil_society');
  const nhri = await addMember(s.url, owner, consultation.id, 'contributor', 'nhri');
  for (const phase of ['drafting', 'open_for_comment']) expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
  // The phase changes reach everyone before anyone chooses mail (what came before the choice is never mailed).
  for (const u of [drafter, amina, nhri]) await eventually(async () => (await unread(u)) === 2, 'the phase notifications');
  const sockets = { amina: await connectSocket(s.url, amina.cookie), nhri: await connectSocket(s.url, nhri.cookie), drafter: await connectSocket(s.url, drafter.cookie) };
  const thread = ok(await sockets.amina.emitWithAck('thread:create', { documentId: document.id, anchor: await liveAnchor(s.server, document.id), body: 'Which groups, and how early?' }));
  const reply = async (who: keyof typeof sockets, body: string) => ok(await sockets[who].emitWithAck('comment:reply', { threadId: thread.id, body }));
  const people = { owner, drafter, amina, nhri };
  return { s, people, reply, thread };
}

const choose = async (u: TestUser, email: 'off' | 'immediate' | 'digest') => {
  const res = await u.call<NotificationSettings>('PUT', '/notifications/settings', { email });
  expect(res.status).toBe(200);
  return res.body;
};
const unread = async (u: TestUser) => (await u.call<UnreadCount>('GET', '/notifications/unread')).body.unread;
const to = (mails: ReceivedMail[], u: TestUser) => mails.filter((m) => m.to.includes(u.me.email));

/** Every mail goes to one person and names no other member, by address or name, and carries none of their words. */
function expectDiscreet(mails: ReceivedMail[], people: Record<string, TestUser>, words: string[]) {
  for (const mail of mails) {
    expect(mail.to).toHaveLength(1);
    for (const p of Object.values(people)) {
      if (p.me.email !== mail.to[0]) expect(mail.raw).not.toContain(p.me.email);
      expect(mail.raw).not.toContain(p.me.displayName);
    }
    for (const w of words) {
      expect(mail.text).not.toContain(w);
      expect(mail.html).not.toContain(w);
    }
  }
}

describe('notification e-mail through SMTP', () => {
  it('mails at once those who chose it, nobody else, and an unsubscribe link turns it off without signing in', async () => {
    const smtp = await startSmtp();
    const w = await setting(smtp.url);
    const { amina, nhri } = w.people;
    expect(await choose(amina, 'immediate')).toEqual({ email: 'immediate', mailAvailable: true });
    // Off until chosen: the NHRI never chose.
    expect((await nhri.call<NotificationSettings>('GET', '/notifications/settings')).body.email).toBe('off');

    await w.reply('nhri', 'NHRIs too, please.');
    await eventually(() => to(smtp.mails, amina).length === 1, 'Amina’s mail');
    const mail = to(smtp.mails, amina)[0]!;
    expect(mail.from).toBe('convene@example.org');
    expect(mail.subject).toBe('1 new notification on Convene');
    expect(mail.text).toContain('You have 1 new notification on Convene.');
    expect(mail.text).toContain(`${publicUrl}/`);
    expect(mail.html).toContain(`href="${publicUrl}/"`);
    const link = /To stop these e-mails: (\S+)/.exec(mail.text)![1]!;
    expect(link.startsWith(`${publicUrl}/api/notifications/unsubscribe?`)).toBe(true);
    expect(mail.headers.get('list-unsubscribe')).toBe(`<${link}>`);

    // The drafter replies: the NHRI gets a notification but, never having asked, no mail.
    await w.reply('drafter', 'Noted.');
    await eventually(async () => (await unread(nhri)) >= 1, 'the NHRI’s notification');
    await w.s.server.mailer.immediate(nhri.me.id);
    await w.s.server.mailer.runDigest();
    await eventually(() => to(smtp.mails, amina).length === 2, 'Amina’s second mail');
    expect(to(smtp.mails, nhri)).toHaveLength(0);

    // The link from the mail, opened without a session: a page to confirm, then mail is off.
    const local = `${w.s.url}${new URL(link).pathname}${new URL(link).search}`;
    const page = await fetch(local);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect((await amina.call<NotificationSettings>('GET', '/notifications/settings')).body.email).toBe('immediate');
    const done = await fetch(local, { method: 'POST' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('no more notification e-mails');
    expect((await amina.call<NotificationSettings>('GET', '/notifications/settings')).body.email).toBe('off');
    // A forged link does nothing.
    const forged = new URL(local);
    forged.searchParams.set('u', nhri.me.id);
    expect((await fetch(forged, { method: 'POST' })).status).toBe(404);

    await w.reply('nhri', 'Also the ombudsman.');
    await eventually(async () => (await unread(amina)) === 3 + 2, 'Amina’s third reply notification');
    await w.s.server.mailer.immediate(amina.me.id);
    expect(to(smtp.mails, amina)).toHaveLength(2);
    expectDiscreet(smtp.mails, w.people, ['NHRIs too', 'Noted.', 'Which groups', 'Also the ombudsman', w.thread.id]);
  });

  it('gathers a day’s notifications into one digest, sent when the digest runs', async () => {
    const smtp = await startSmtp();
    const w = await setting(smtp.url);
    const { drafter, amina } = w.people;
    await w.reply('drafter', 'We will widen it.');
    expect(await choose(drafter, 'digest')).toMatchObject({ email: 'digest' });
    await w.reply('nhri', 'NHRIs too.');
    await w.reply('amina', 'And trade unions.');
    await eventually(async () => (await unread(drafter)) === 2 + 2, 'the drafter’s two reply notifications');
    await w.s.server.mailer.immediate(drafter.me.id);
    expect(smtp.mails).toHaveLength(0);

    await w.s.server.mailer.runDigest();
    await eventually(() => smtp.mails.length === 1, 'the digest');
    expect(smtp.mails[0]!.to).toEqual([drafter.me.email]);
    expect(smtp.mails[0]!.subject).toBe('Your Convene digest: 2 new notifications');
    expect(smtp.mails[0]!.text).toContain('You have 2 new notifications on Convene.');
    // Sent once: the next run has nothing new for them.
    await w.s.server.mailer.runDigest();
    expect(smtp.mails).toHaveLength(1);
    expect(to(smtp.mails, amina)).toHaveLength(0);
    expectDiscreet(smtp.mails, w.people, ['We will widen it', 'NHRIs too', 'trade unions', 'Which groups']);
  });

  it('writes the mail in the recipient’s language', async () => {
    const smtp = await startSmtp();
    const w = await setting(smtp.url);
    expect((await w.people.amina.call('PATCH', '/auth/me', { language: 'fr' })).status).toBe(200);
    await choose(w.people.amina, 'immediate');
    await w.reply('nhri', 'Oui.');
    await eventually(() => smtp.mails.length === 1, 'the mail');
    expect(smtp.mails[0]!.subject).toBe('1 nouvelle notification sur Convene');
    expect(smtp.mails[0]!.html).toContain('lang="fr"');
  });

  it('sends nothing when SMTP_URL is not set, though people chose mail', async () => {
    const smtp = await startSmtp();
    const w = await setting(undefined);
    expect(await choose(w.people.amina, 'immediate')).toEqual({ email: 'immediate', mailAvailable: false });
    await choose(w.people.drafter, 'digest');
    await w.reply('drafter', 'Noted.');
    await w.reply('nhri', 'NHRIs too.');
    await eventually(async () => (await unread(w.people.amina)) === 2 + 2, 'Amina’s notifications');
    await w.s.server.mailer.immediate(w.people.amina.me.id);
    await w.s.server.mailer.runDigest();
    expect(smtp.mails).toHaveLength(0);
  });
});
