import { describe, expect, it } from 'vitest';
import type { Notification, UnreadCount } from '../shared/notifications.ts';
import type { Page } from '../shared/schemas.ts';
import { addMember, createDocument, startServer, type TestUser } from './helpers/server.ts';
import { connectSocket, type TestSocket } from './helpers/socket.ts';
import { eventually } from './helpers/yjs.ts';
import { liveAnchor } from './helpers/comments.ts';
import { ok } from './helpers/meetings.ts';

type Heard = { notification: Notification; unread: number }[];

function hear(socket: TestSocket): Heard {
  const heard: Heard = [];
  socket.on('notification:new', (n) => heard.push(n));
  return heard;
}

const unread = async (u: TestUser) => (await u.call<UnreadCount>('GET', '/notifications/unread')).body.unread;
const list = async (u: TestUser, query = '') => (await u.call<Page<Notification>>('GET', `/notifications${query}`)).body;

/** A consultation open for comment (identities hidden, the default) with a drafter and two contributors, each with a socket; and a stranger elsewhere. */
async function setting() {
  const s = await startServer();
  const { owner, consultation, document } = await createDocument(s.url);
  const drafter = await addMember(s.url, owner, consultation.id, 'drafter', 'government');
  const amina = await addMember(s.url, owner, consultation.id, 'contributor', 'civil_society');
  const nhri = await addMember(s.url, owner, consultation.id, 'contributor', 'nhri');
  const other = await createDocument(s.url);
  const stranger = await addMember(s.url, other.owner, other.consultation.id, 'contributor');
  const people = { owner, drafter, amina, nhri, stranger };
  const sockets = {} as Record<keyof typeof people, TestSocket>;
  const heard = {} as Record<keyof typeof people, Heard>;
  for (const [name, user] of Object.entries(people) as [keyof typeof people, TestUser][]) {
    sockets[name] = await connectSocket(s.url, user.cookie);
    heard[name] = hear(sockets[name]);
  }
  for (const phase of ['drafting', 'open_for_comment']) expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
  return { s, consultation, document, other, people, sockets, heard };
}

describe('the notification centre', () => {
  it('tells the thread’s people of a reply live, on their own sockets only, naming the replier only as the app would', async () => {
    const w = await setting();
    const { amina, nhri, drafter } = w.sockets;
    // Everyone in the consultation heard of the phase changes; the stranger did not.
    await eventually(() => w.heard.amina.filter((h) => h.notification.kind === 'phase').length === 2, 'the phase changes');
    expect(w.heard.amina.at(-1)!.notification).toMatchObject({ phase: 'open_for_comment', consultationTitle: w.consultation.title, actor: null });
    expect((await w.people.amina.call<UnreadCount>('POST', '/notifications/read-all')).body.unread).toBe(0);

    const thread = ok(await amina.emitWithAck('thread:create', { documentId: w.document.id, anchor: await liveAnchor(w.s.server, w.document.id), body: 'Which groups, and how early?' }));
    ok(await nhri.emitWithAck('comment:reply', { threadId: thread.id, body: 'NHRIs too, please.' }));
    await eventually(() => w.heard.amina.some((h) => h.notification.kind === 'reply'), 'Amina to hear of the reply');
    const first = w.heard.amina.find((h) => h.notification.kind === 'reply')!;
    // Identities are hidden: a contributor's reply is announced by alias and group, never by name.
    expect(first.notification).toMatchObject({ kind: 'reply', threadId: thread.id, documentId: w.document.id, read: false, actor: { group: 'nhri', role: 'contributor' } });
    expect(first.notification.actor).not.toHaveProperty('name');
    expect(first.unread).toBe(1);
    expect(JSON.stringify(first)).not.toContain('NHRIs too');
    expect(JSON.stringify(first)).not.toContain(w.people.nhri.me.displayName);

    // A drafter acts officially and is named; Amina and the NHRI (who replied in the thread) both hear of it.
    ok(await drafter.emitWithAck('comment:reply', { threadId: thread.id, body: 'Noted.' }));
    await eventually(() => w.heard.nhri.some((h) => h.notification.kind === 'reply'), 'the NHRI to hear of the drafter’s reply');
    await eventually(() => w.heard.amina.filter((h) => h.notification.kind === 'reply').length === 2, 'Amina to hear of the second reply');
    expect(w.heard.amina.at(-1)!.notification.actor).toMatchObject({ name: w.people.drafter.me.displayName, role: 'drafter' });
    expect(await unread(w.people.amina)).toBe(2);

    // Nobody outside the thread heard of replies, and the stranger heard nothing at all from this consultation.
    // The stranger's own consultation changes phase: that reaches them, after everything above.
    expect((await w.other.owner.call('POST', `/consultations/${w.other.consultation.id}/phase`, { phase: 'drafting' })).status).toBe(200);
    await eventually(() => w.heard.stranger.length > 0, 'the stranger to hear of their own consultation');
    // The drafter wrote in the thread only after the NHRI's reply: nothing earlier to tell them of.
    expect(w.heard.drafter.filter((h) => h.notification.kind === 'reply')).toHaveLength(0);
    expect(w.heard.owner.filter((h) => h.notification.kind === 'reply')).toHaveLength(0);
    expect(w.heard.stranger.map((h) => h.notification.consultationId)).toEqual([w.other.consultation.id]);
    expect((await list(w.people.stranger)).items.map((n) => n.consultationId)).toEqual([w.other.consultation.id]);
  });

  it('lists, counts, pages and marks read; forgets what is hidden; tells proposers, facilitators and members of meetings', async () => {
    const w = await setting();
    const { amina, nhri, drafter, owner } = w.sockets;
    await eventually(async () => (await unread(w.people.amina)) === 2, 'the two phase changes');
    const thread = ok(
      await amina.emitWithAck('thread:create', { documentId: w.document.id, anchor: await liveAnchor(w.s.server, w.document.id, 'the State shall'), body: 'Say who.', proposal: 'the Government shall' }),
    );
    const reply = ok(await nhri.emitWithAck('comment:reply', { threadId: thread.id, body: 'Agreed.' }));
    await eventually(async () => (await unread(w.people.amina)) === 3, 'the reply');

    // A facilitator hides the reply: Amina's notification about it goes, and nothing in her list points at it.
    ok(await owner.emitWithAck('moderation:hide', { threadId: thread.id, commentId: reply.comments[1]!.id, reason: 'Off topic' }));
    await eventually(async () => (await unread(w.people.amina)) === 2, 'the hidden reply’s notification to go');
    expect((await list(w.people.amina)).items.map((n) => n.kind)).toEqual(['phase', 'phase']);

    // A flag waits: facilitators hear of it, contributors do not.
    const second = ok(await drafter.emitWithAck('comment:reply', { threadId: thread.id, body: 'We will look at it.' }));
    ok(await nhri.emitWithAck('comment:flag', { threadId: thread.id, commentId: second.comments[2]!.id, reason: 'Dismissive' }));
    await eventually(() => w.heard.owner.some((h) => h.notification.kind === 'flag'), 'the facilitator to hear of the flag');
    expect(w.heard.owner.find((h) => h.notification.kind === 'flag')!.notification).toMatchObject({ threadId: thread.id, actor: null });

    // The proposal is declined: Amina hears of it.
    ok(await drafter.emitWithAck('proposal:decide', { threadId: thread.id, decision: 'decline', reason: 'Out of scope' }));
    await eventually(() => w.heard.amina.some((h) => h.notification.kind === 'decision'), 'Amina to hear of the decision');
    expect(w.heard.amina.find((h) => h.notification.kind === 'decision')!.notification).toMatchObject({ decision: 'declined', actor: { role: 'drafter' } });

    // A meeting is scheduled, then starts: every member hears of both.
    const meeting = await w.people.owner.call<{ id: string }>('POST', `/consultations/${w.consultation.id}/meetings`, {
      title: 'Validation workshop',
      startsAt: new Date(Date.now() + 60_000).toISOString(),
      agenda: ['Opening'],
    });
    expect(meeting.status).toBe(201);
    ok(await owner.emitWithAck('meeting:start', { meetingId: meeting.body.id }));
    await eventually(() => w.heard.nhri.some((h) => h.notification.kind === 'meeting_started'), 'the NHRI to hear the meeting started');
    expect(w.heard.nhri.find((h) => h.notification.kind === 'meeting_scheduled')!.notification.meetingTitle).toBe('Validation workshop');

    // Amina: 2 phases, the drafter's reply, the decision, the meeting scheduled and started.
    await eventually(async () => (await unread(w.people.amina)) === 6, 'Amina’s six unread notifications');
    const page1 = await list(w.people.amina, '?limit=4');
    expect(page1.items).toHaveLength(4);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await list(w.people.amina, `?limit=4&cursor=${page1.nextCursor}`);
    expect(page2.items.map((n) => n.kind)).toEqual(['phase', 'phase']);
    expect(page2.nextCursor).toBeNull();
    expect(new Set([...page1.items, ...page2.items].map((n) => n.id)).size).toBe(6);
    expect(page1.items.map((n) => n.kind).sort()).toEqual(['decision', 'meeting_scheduled', 'meeting_started', 'reply']);

    const marked = await w.people.amina.call<UnreadCount>('POST', '/notifications/read', { ids: [page1.items[0]!.id] });
    expect(marked.body.unread).toBe(5);
    // Someone else's notification cannot be marked by Amina.
    const nhriFirst = (await list(w.people.nhri)).items[0]!;
    await w.people.amina.call('POST', '/notifications/read', { ids: [nhriFirst.id] });
    expect((await list(w.people.nhri)).items[0]!.read).toBe(false);
    expect((await list(w.people.amina)).items.find((n) => n.id === page1.items[0]!.id)!.read).toBe(true);
    expect((await w.people.amina.call<UnreadCount>('POST', '/notifications/read-all')).body.unread).toBe(0);
    expect(await unread(w.people.amina)).toBe(0);
    // Nothing of anyone's words travels in a notification.
    const all = JSON.stringify(await list(w.people.amina, '?limit=50'));
    for (const words of ['Say who.', 'Agreed.', 'We will look at it.', 'Out of scope', 'the Government shall']) expect(all).not.toContain(words);
  });

  it('forgets a member’s notifications when they leave, and refuses the list without a session', async () => {
    const w = await setting();
    await eventually(async () => (await unread(w.people.nhri)) === 2, 'the phase changes');
    const members = (await w.people.owner.call<{ id: string; userId: string }[]>('GET', `/consultations/${w.consultation.id}/members`)).body;
    const nhriMember = members.find((m) => m.userId === w.people.nhri.me.id)!;
    expect((await w.people.owner.call('DELETE', `/consultations/${w.consultation.id}/members/${nhriMember.id}`)).status).toBeLessThan(300);
    await eventually(async () => (await list(w.people.nhri)).items.length === 0, 'the departed member’s notifications to go');
    expect((await fetch(`${w.s.url}/api/notifications`)).status).toBe(401);
  });
});
