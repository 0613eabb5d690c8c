import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry } from '../shared/audit.ts';
import type { CreatedInvitation, Me, Member } from '../shared/accounts.ts';
import type { Thread } from '../shared/comments.ts';
import type { Meeting } from '../shared/meetings.ts';
import type { PersonalDataExport } from '../shared/privacy.ts';
import type { Consultation } from '../shared/schemas.ts';
import { addMember, api, cookieFrom, createDocument, registerUser, startServer, type TestServer, type TestUser } from './helpers/server.ts';
import { connectSocket } from './helpers/socket.ts';
import { connectYjs, eventually, rawYjsSocket } from './helpers/yjs.ts';
import { liveAnchor } from './helpers/comments.ts';
import { ok } from './helpers/meetings.ts';
import { visitsCollection } from '../server/history/versions.repository.ts';
import { membershipsCollection } from '../server/members/members.repository.ts';
import { notificationSettingsCollection, notificationsCollection } from '../server/notifications/notifications.repository.ts';

const PASSWORD = 'a long enough passphrase';

/** Every file under the store's data directory, as text (NeDB keeps JSON lines). */
async function filesHold(dir: string, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        const text = (await readFile(path)).toString('utf8').toLowerCase();
        for (const n of needles) if (text.includes(n.toLowerCase())) found.push(`${entry.name}: ${n}`);
      }
    }
  };
  await walk(dir);
  return found;
}

/** A person with a name and e-mail that appear nowhere else, who joins through an invitation. */
async function enrol(s: TestServer, owner: TestUser, consultationId: string, role: string, group: string, displayName: string, email: string) {
  const invite = await owner.call<CreatedInvitation>('POST', `/consultations/${consultationId}/invitations`, { role, group });
  expect(invite.status).toBe(201);
  const res = await api<Me>(s.url, 'POST', '/auth/register', { email, password: PASSWORD, displayName });
  expect(res.status).toBe(201);
  const cookie = cookieFrom(res.headers);
  const user: TestUser = { me: res.body, cookie, password: PASSWORD, call: (m, r, b) => api(s.url, m, r, b, cookie) };
  expect((await user.call('POST', '/invitations/accept', { token: invite.body.token, organisation: 'Quillfeather Rights Collective' })).status).toBe(200);
  return user;
}

const phase = async (owner: TestUser, id: string, ...phases: string[]) => {
  for (const p of phases) expect((await owner.call('POST', `/consultations/${id}/phase`, { phase: p })).status).toBe(200);
};
const members = async (u: TestUser, id: string) => (await u.call<Member[]>('GET', `/consultations/${id}/members`)).body;
const auditOf = async (owner: TestUser, id: string) => (await owner.call<{ items: AuditEntry[] }>('GET', `/consultations/${id}/audit?limit=200`)).body.items;

describe('deleting one’s account', () => {
  it('erases the name and e-mail from every file of the store, keeps the contributions under “former participant”, closes live connections and frees the e-mail', async () => {
    const s = await startServer({ config: { editSessionIdleMs: 300 } });
    const { owner, consultation, document } = await createDocument(s.url);
    const name = 'Zebulon Quixote-Marsh';
    const email = 'zebulon.marsh@example.org';
    const person = await enrol(s, owner, consultation.id, 'drafter', 'civil_society', name, email);
    const other = await addMember(s.url, owner, consultation.id, 'contributor', 'nhri');
    const personId = (await members(owner, consultation.id)).find((m) => m.userId === person.me.id)!.id;

    // An edit (attributed, and audited with the name at the time) while drafting.
    await phase(owner, consultation.id, 'drafting');
    const editor = connectYjs(s.wsUrl, document.id, { cookie: person.cookie });
    await editor.synced;
    editor.text.insert(0, 'Words by the drafter. ');
    await eventually(async () => (await auditOf(owner, consultation.id)).some((e) => e.action === 'document.edited' && e.actor?.memberId === personId), 'the edit to be audited');
    editor.destroy();

    // A thread with a proposal, a position, a reply by someone else; a facilitator's change to them, with their name in the reason.
    await phase(owner, consultation.id, 'open_for_comment');
    const sock = await connectSocket(s.url, person.cookie);
    const thread = ok(
      await sock.emitWithAck('thread:create', { documentId: document.id, anchor: await liveAnchor(s.server, document.id, 'passage'), body: 'This passage needs work.', proposal: 'A better passage' }),
    );
    ok(await sock.emitWithAck('thread:position', { threadId: thread.id, stance: 'support' }));
    const otherSock = await connectSocket(s.url, other.cookie);
    ok(await otherSock.emitWithAck('comment:reply', { threadId: thread.id, body: 'I agree with this.' }));
    expect((await owner.call('PATCH', `/consultations/${consultation.id}/members/${personId}`, { organisation: 'Renamed Collective', reason: `Asked by ${name}` })).status).toBe(204);
    ok(await sock.emitWithAck('consultation:watch', consultation.id));
    // A live meeting: a vote in a named poll, and a raised hand.
    const fac = await connectSocket(s.url, owner.cookie);
    const meeting = (await owner.call<Meeting>('POST', `/consultations/${consultation.id}/meetings`, { title: 'Hearing', startsAt: new Date().toISOString() })).body;
    ok(await fac.emitWithAck('meeting:start', { meetingId: meeting.id }));
    const poll = ok(await fac.emitWithAck('poll:open', { meetingId: meeting.id, question: 'Named?', options: ['Yes', 'No'], anonymous: false }));
    ok(await sock.emitWithAck('poll:vote', { pollId: poll.id, option: 1 }));
    ok(await sock.emitWithAck('meeting:join', meeting.id));
    const raised = ok(await sock.emitWithAck('hand:raise', { meetingId: meeting.id }));
    expect(raised.queue.map((q) => q.memberId)).toEqual([personId]);
    // Their own notifications (the reply above) and a choice of e-mail.
    expect((await person.call('PUT', '/notifications/settings', { email: 'digest' })).status).toBe(200);
    const personUserId = person.me.id;
    await eventually(async () => (await notificationsCollection(s.store).countDocuments({ userId: personUserId })) > 0, 'the reply to reach their notifications');
    // Where they left the document is recorded (for "since my last visit").
    await eventually(async () => (await visitsCollection(s.store).countDocuments({ membershipId: personId })) > 0, 'the visit to be recorded');

    // Live connections that must close: the socket above, and a Yjs connection.
    const socketClosed = new Promise<string>((resolve) => sock.once('disconnect', (reason) => resolve(reason)));
    const yjs = rawYjsSocket(s.wsUrl, document.id, person.cookie);
    await yjs.open;

    // Before: the name and e-mail are on disk (so the scan below can fail).
    expect(await filesHold(s.dataDir, [name, email])).toEqual(expect.arrayContaining([expect.stringContaining(name), expect.stringContaining(email)]));

    expect((await person.call('POST', '/auth/me/delete', { password: 'not the password at all' })).status).toBe(401);
    const deleted = await person.call('POST', '/auth/me/delete', { password: PASSWORD });
    expect(deleted.status).toBe(204);

    // Sessions and live connections end.
    expect(await socketClosed).toBe('io server disconnect');
    expect((await yjs.closed).code).toBeGreaterThanOrEqual(4000);
    expect((await person.call('GET', '/auth/me')).status).toBe(401);

    // Erased from disk: nothing under the data directory holds the name or e-mail, nor the organisation.
    expect(await filesHold(s.dataDir, [name, email, 'Quillfeather', 'Renamed Collective'])).toEqual([]);

    // Contributions stay, under the former participant, for the other members.
    const seen = await members(other, consultation.id);
    const former = seen.find((m) => m.id === personId)!;
    expect(former).toMatchObject({ former: true, displayName: null, userId: null, organisation: null, group: 'civil_society' });
    const watched = ok(await otherSock.emitWithAck('document:watch', document.id));
    const kept = watched.threads.find((t: Thread) => t.id === thread.id)!;
    expect(kept.comments.map((c) => [c.author.memberId, c.body])).toEqual([
      [personId, 'This passage needs work.'],
      [expect.any(String), 'I agree with this.'],
    ]);
    expect(kept.proposal?.text).toBe('A better passage');
    expect(kept.counts.civil_society.support).toBe(1);
    // The audit log keeps what they did, by member id and alias, with no name.
    const log = await auditOf(owner, consultation.id);
    const theirs = log.filter((e) => e.actor?.memberId === personId);
    expect(theirs.map((e) => e.action)).toEqual(expect.arrayContaining(['member.account_deleted', 'thread.created', 'document.edited']));
    expect(theirs.every((e) => e.actor!.displayName === '')).toBe(true);
    expect(JSON.stringify(log)).not.toContain('Zebulon');

    // They leave the live meeting's queue; their named vote stays, under their member id; their visits are gone.
    await eventually(async () => (await owner.call<Meeting>('GET', `/meetings/${meeting.id}`)).body.queue.length === 0, 'the queue to drop them');
    const closedPoll = ok(await fac.emitWithAck('poll:close', { pollId: poll.id }));
    expect(closedPoll.votes).toEqual([expect.objectContaining({ memberId: personId, option: 1, group: 'civil_society' })]);
    expect(await visitsCollection(s.store).countDocuments({ membershipId: personId })).toBe(0);
    expect(await notificationsCollection(s.store).countDocuments({ userId: personUserId })).toBe(0);
    expect(await notificationSettingsCollection(s.store).countDocuments({ _id: personUserId })).toBe(0);

    // The e-mail no longer signs in, and can be registered again.
    expect((await api(s.url, 'POST', '/auth/login', { email, password: PASSWORD })).status).toBe(401);
    expect((await api(s.url, 'POST', '/auth/register', { email, password: PASSWORD, displayName: 'Someone new' })).status).toBe(201);
  });

  it('refuses the only facilitator of a consultation not yet adopted, until they hand over', async () => {
    const s = await startServer();
    const { owner, consultation } = await createDocument(s.url);
    const refused = await owner.call<{ error: { code: string; details: { consultations: { id: string }[] } } }>('POST', '/auth/me/delete', { password: owner.password });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('last_facilitator');
    expect(refused.body.error.details.consultations.map((c) => c.id)).toEqual([consultation.id]);
    expect((await owner.call('GET', '/auth/me')).status).toBe(200);

    const next = await addMember(s.url, owner, consultation.id, 'facilitator', 'government');
    expect((await owner.call('POST', '/auth/me/delete', { password: owner.password })).status).toBe(204);
    // The remaining facilitator still runs it, and is now the last one (the former one does not count).
    const left = await members(next, consultation.id);
    expect(left.filter((m) => m.role === 'facilitator' && !m.former)).toHaveLength(1);
    expect((await next.call('POST', '/auth/me/delete', { password: next.password })).status).toBe(409);
  });

  it('never leaves a consultation without a facilitator when two facilitators leave, or demote each other, at the same moment', async () => {
    const s = await startServer();
    // Each "is another facilitator left?" waits (up to 2 s) for a second one, so that, unless such changes run one
    // at a time, both checks read the same two facilitators before either writes.
    const memberships = membershipsCollection(s.store);
    const count = memberships.countDocuments.bind(memberships);
    let waiting: (() => void) | null = null;
    memberships.countDocuments = async (query) => {
      if ((query as { role?: string }).role === 'facilitator') {
        if (waiting) {
          waiting();
          waiting = null;
        } else await new Promise<void>((resolve) => {
          const timer = setTimeout(() => ((waiting = null), resolve()), 2_000);
          waiting = () => (clearTimeout(timer), resolve());
        });
      }
      return count(query);
    };
    const { owner, consultation } = await createDocument(s.url);
    const other = await addMember(s.url, owner, consultation.id, 'facilitator', 'government');
    const facilitators = async (u: TestUser) => (await members(u, consultation.id)).filter((m) => m.role === 'facilitator' && !m.former);

    // Both delete their accounts at once: one goes, the other is told to hand over first.
    const both = await Promise.all([owner, other].map((u) => u.call('POST', '/auth/me/delete', { password: u.password })));
    expect(both.map((r) => r.status).sort()).toEqual([204, 409]);
    const stayed = both[0]!.status === 409 ? owner : other;
    expect(await facilitators(stayed)).toHaveLength(1);

    // Two facilitators demote each other at once: the second finds it no longer may.
    const third = await addMember(s.url, stayed, consultation.id, 'facilitator', 'civil_society');
    const listed = await members(stayed, consultation.id);
    const idOf = (u: TestUser) => listed.find((m) => m.userId === u.me.id)!.id;
    const demotions = await Promise.all([
      stayed.call('PATCH', `/consultations/${consultation.id}/members/${idOf(third)}`, { role: 'drafter' }),
      third.call('PATCH', `/consultations/${consultation.id}/members/${idOf(stayed)}`, { role: 'drafter' }),
    ]);
    expect(demotions.map((r) => r.status).sort()).toEqual([204, 403]);
    const left = await facilitators(stayed);
    expect(left.map((m) => m.userId)).toEqual([demotions[0]!.status === 204 ? stayed.me.id : third.me.id]);
  });
});

describe('retention', () => {
  it('erases the members (not the facilitators) of consultations closed longer ago than RETENTION_DAYS, once, and nothing else', async () => {
    const s = await startServer({ config: { retention: { days: 30, sweepEveryMs: 3_600_000 } } });
    const { owner, consultation: closed } = await createDocument(s.url);
    const open = (await owner.call<Consultation>('POST', '/consultations', { title: 'Still open', country: 'KE' })).body;
    const both = await enrol(s, owner, closed.id, 'contributor', 'civil_society', 'Philippa Oddsock', 'philippa@example.org');
    const invite = await owner.call<CreatedInvitation>('POST', `/consultations/${open.id}/invitations`, { role: 'contributor', group: 'nhri' });
    expect((await both.call('POST', '/invitations/accept', { token: invite.body.token })).status).toBe(200);
    await phase(owner, closed.id, 'drafting', 'open_for_comment', 'closed');
    await phase(owner, open.id, 'drafting', 'open_for_comment');
    const day = 24 * 3_600_000;

    // Not yet past the period: nothing happens.
    expect(await s.server.privacy.sweep(Date.now() + 29 * day)).toBe(0);
    expect((await members(owner, closed.id)).filter((m) => m.former)).toHaveLength(0);

    expect(await s.server.privacy.sweep(Date.now() + 31 * day)).toBe(1);
    const after = await members(owner, closed.id);
    expect(after.find((m) => m.role === 'contributor')).toMatchObject({ former: true, displayName: null, organisation: null });
    expect(after.find((m) => m.role === 'facilitator')).toMatchObject({ former: false, displayName: 'Facilitator' });
    // The open consultation keeps them as they are, and their account lives on.
    expect((await members(owner, open.id)).find((m) => m.role === 'contributor')).toMatchObject({ former: false, displayName: 'Philippa Oddsock' });
    expect((await both.call('GET', '/auth/me')).status).toBe(200);
    expect((await both.call('GET', `/consultations/${closed.id}`)).status).toBe(404);

    // Idempotent: a second sweep erases nobody and audits nothing more; the entry names nobody.
    expect(await s.server.privacy.sweep(Date.now() + 40 * day)).toBe(0);
    const log = await auditOf(owner, closed.id);
    const erased = log.filter((e) => e.action === 'consultation.personal_data_erased');
    expect(erased).toHaveLength(1);
    expect(erased[0]).toMatchObject({ actor: null, details: { members: 1, retentionDays: 30 } });
    expect(JSON.stringify(log)).not.toContain('Philippa');
  });
});

describe('exporting one’s data', () => {
  it('holds the person’s account, memberships, comments, positions, proposals, named votes and audit entries, and nobody else’s identity', async () => {
    const s = await startServer();
    const { owner, consultation, document } = await createDocument(s.url, await registerUser(s.url, 'Wilhelmina Gavel'));
    const person = await enrol(s, owner, consultation.id, 'contributor', 'civil_society', 'Ottoline Brisk', 'ottoline@example.org');
    const other = await enrol(s, owner, consultation.id, 'contributor', 'nhri', 'Barnaby Thistlewood', 'barnaby@example.org');
    await phase(owner, consultation.id, 'drafting', 'open_for_comment');
    const sock = await connectSocket(s.url, person.cookie);
    const otherSock = await connectSocket(s.url, other.cookie);
    const mine = ok(await sock.emitWithAck('thread:create', { documentId: document.id, anchor: await liveAnchor(s.server, document.id, 'clause'), body: 'My own words.', proposal: 'My wording' }));
    ok(await sock.emitWithAck('thread:position', { threadId: mine.id, stance: 'object' }));
    ok(await otherSock.emitWithAck('comment:reply', { threadId: mine.id, body: 'Words of someone else.' }));
    const theirs = ok(await otherSock.emitWithAck('thread:create', { documentId: document.id, anchor: await liveAnchor(s.server, document.id, 'article'), body: 'Another person’s thread.' }));
    ok(await sock.emitWithAck('thread:position', { threadId: theirs.id, stance: 'support' }));

    const fac = await connectSocket(s.url, owner.cookie);
    const meeting = (await owner.call<Meeting>('POST', `/consultations/${consultation.id}/meetings`, { title: 'Hearing', startsAt: new Date().toISOString() })).body;
    ok(await fac.emitWithAck('meeting:start', { meetingId: meeting.id }));
    const named = ok(await fac.emitWithAck('poll:open', { meetingId: meeting.id, question: 'Named question?', options: ['Aye', 'Nay'], anonymous: false }));
    const secret = ok(await fac.emitWithAck('poll:open', { meetingId: meeting.id, question: 'Secret question?', options: ['Up', 'Down'] }));
    ok(await sock.emitWithAck('poll:vote', { pollId: named.id, option: 1 }));
    ok(await sock.emitWithAck('poll:vote', { pollId: secret.id, option: 0 }));
    ok(await otherSock.emitWithAck('poll:vote', { pollId: named.id, option: 0 }));
    const memberId = (await members(owner, consultation.id)).find((m) => m.userId === person.me.id)!.id;
    expect((await owner.call('PATCH', `/consultations/${consultation.id}/members/${memberId}`, { group: 'international' })).status).toBe(204);

    const res = await fetch(`${s.url}/api/auth/me/export`, { headers: { cookie: person.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const text = await res.text();
    const data = JSON.parse(text) as PersonalDataExport;
    expect(data.account).toMatchObject({ email: 'ottoline@example.org', displayName: 'Ottoline Brisk' });
    expect(data.memberships).toEqual([expect.objectContaining({ consultationId: consultation.id, memberId, role: 'contributor', group: 'international', organisation: 'Quillfeather Rights Collective' })]);
    expect(data.comments.map((c) => c.body)).toEqual(['My own words.']);
    expect(data.positions.map((p) => [p.threadId, p.stance]).sort()).toEqual([[mine.id, 'object'], [theirs.id, 'support']].sort());
    expect(data.proposals).toEqual([expect.objectContaining({ threadId: mine.id, text: 'My wording', status: 'pending' })]);
    expect(data.votes).toEqual([{ consultationId: consultation.id, pollId: named.id, question: 'Named question?', option: 'Nay' }]);
    expect(data.audit.map((e) => e.action)).toEqual(expect.arrayContaining(['member.joined', 'thread.created', 'member.updated']));
    const aboutMe = data.audit.find((e) => e.action === 'member.updated')!;
    expect(aboutMe).toMatchObject({ as: 'subject', by: { role: 'facilitator' } });
    // Nobody else's identity: not the other member's name, e-mail or words, nor the facilitator's name.
    for (const foreign of ['Barnaby', 'barnaby@example.org', 'Words of someone else', 'Another person', 'Wilhelmina', owner.me.email]) expect(text).not.toContain(foreign);
  });
});
