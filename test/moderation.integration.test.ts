import { describe, expect, it } from 'vitest';
import type { Thread } from '../shared/comments.ts';
import type { Consultation } from '../shared/schemas.ts';
import type { Member } from '../shared/accounts.ts';
import type { ModerationItem } from '../shared/moderation.ts';
import { startServer } from './helpers/server.ts';
import { eventually } from './helpers/yjs.ts';
import { liveAnchor, looseAnchor } from './helpers/comments.ts';
import { consultationRoom, liveMeeting, ok, type Person, type Room } from './helpers/meetings.ts';

type Queue = { items: ModerationItem[]; nextCursor: string | null };

/** The room, everyone watching the document's threads, and one comment by the first civil-society contributor. */
async function withComment(body = 'The minister is a liar and a thief.') {
  const room = await consultationRoom(await startServer());
  for (const socket of Object.values(room.sockets)) ok(await socket.emitWithAck('document:watch', room.document.id));
  const thread = ok(await room.sockets.cso1.emitWithAck('thread:create', { documentId: room.document.id, anchor: await liveAnchor(room.s.server, room.document.id), body }));
  return { room, thread, target: { threadId: thread.id, commentId: thread.comments[0]!.id } };
}

const threadAs = async (room: Room, p: Person, threadId: string) =>
  (await room.people[p].call<{ threads: Thread[] }>('GET', `/documents/${room.document.id}/threads`)).body.threads.find((t) => t.id === threadId)!;

/** Waits until everyone watching holds a version of the thread that passes `check`. */
const everyoneHolds = (room: Room, threadId: string, check: (t: Thread) => boolean, what: string) =>
  eventually(() => Object.values(room.heard).every((h) => !!h.threads.get(threadId) && check(h.threads.get(threadId)!)), what);

describe('moderating comments', () => {
  it('flag → hide: every member sees the marker and reason, never the body; facilitators read it in the queue; restore brings it back', async () => {
    const body = 'The minister is a liar and a thief.';
    const { room, thread, target } = await withComment(body);
    const { sockets: so, heard } = room;
    expect(await so.cso2.emitWithAck('moderation:watch', room.consultation.id)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(ok(await so.facilitator.emitWithAck('moderation:watch', room.consultation.id)).items).toEqual([]);

    expect(ok(await so.nhri.emitWithAck('comment:flag', { ...target, reason: 'Personal attack' }))).toBeNull();
    ok(await so.observer.emitWithAck('comment:flag', { ...target, reason: 'Defamatory' }));
    ok(await so.nhri.emitWithAck('comment:flag', { ...target, reason: 'Personal attack on a named official' }));
    await eventually(() => heard.facilitator.moderation.at(-1)?.flags.length === 2, 'the facilitator to hear both reports');
    // Reports and the queue reach facilitators only (the round trip lets anything sent to others arrive first).
    for (const p of ['cso1', 'cso2', 'nhri', 'gov', 'observer'] as const) {
      ok(await so[p].emitWithAck('consultation:watch', room.consultation.id));
      expect(heard[p].moderation).toEqual([]);
    }
    const queue = (await room.owner.call<Queue>('GET', `/consultations/${room.consultation.id}/moderation?status=pending`)).body;
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({ status: 'pending', body, commentId: target.commentId, author: { memberId: room.memberIds.cso1 } });
    expect(queue.items[0]!.flags.map((f) => [f.by.memberId, f.reason])).toEqual([
      [room.memberIds.observer, 'Defamatory'],
      [room.memberIds.nhri, 'Personal attack on a named official'],
    ]);
    expect((await room.people.gov.call('GET', `/consultations/${room.consultation.id}/moderation`)).status).toBe(403);

    expect(await so.gov.emitWithAck('moderation:hide', { ...target, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await so.facilitator.emitWithAck('moderation:hide', { ...target, reason: '' })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const hidden = ok(await so.facilitator.emitWithAck('moderation:hide', { ...target, reason: 'Personal attacks are not allowed' }));
    expect(hidden).toMatchObject({ status: 'hidden', body, hidden: { reason: 'Personal attacks are not allowed' }, decidedBy: { memberId: room.memberIds.facilitator } });
    await everyoneHolds(room, thread.id, (t) => t.comments[0]!.hidden !== null, 'everyone to see the comment hidden');
    for (const p of Object.keys(heard) as Person[]) {
      const live = heard[p].threads.get(thread.id)!;
      expect(live.comments[0]).toMatchObject({ body: null, hidden: { reason: 'Personal attacks are not allowed' }, deleted: false });
      const fetched = await threadAs(room, p, thread.id);
      expect(fetched.comments[0]).toMatchObject({ body: null, hidden: { reason: 'Personal attacks are not allowed' } });
      // Not in any thread view or broadcast anyone received, the author's and the facilitator's included.
      expect(JSON.stringify(heard[p].raw.filter((r) => r.event === 'threads:changed').slice(1))).not.toContain(body);
      expect(JSON.stringify(fetched)).not.toContain(body);
    }
    const synced = ok(await so.cso1.emitWithAck('threads:sync', { documentId: room.document.id, since: 0 }));
    expect(JSON.stringify(synced)).not.toContain(body);
    expect(await so.cso1.emitWithAck('comment:edit', { ...target, body: 'Sneaking it back' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The other comments of the thread are untouched.
    const reply = ok(await so.nhri.emitWithAck('comment:reply', { threadId: thread.id, body: 'Please keep it civil.' }));
    expect(reply.comments.map((c) => c.body)).toEqual([null, 'Please keep it civil.']);

    const restored = ok(await so.facilitator.emitWithAck('moderation:restore', { ...target, reason: 'On appeal: strong but fair comment' }));
    expect(restored).toMatchObject({ status: 'restored', hidden: null, body });
    await everyoneHolds(room, thread.id, (t) => t.comments[0]!.body === body, 'everyone to see the comment again');
    expect((await threadAs(room, 'observer', thread.id)).comments[0]).toMatchObject({ body, hidden: null });
    expect(await so.facilitator.emitWithAck('moderation:restore', target)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await eventually(() => heard.facilitator.moderation.at(-1)?.status === 'restored', 'the queue to follow');
  });

  it('dismissing a report leaves the comment up; a new report puts it back in the queue', async () => {
    const { room, thread, target } = await withComment('I disagree with the whole of chapter 2.');
    const { sockets: so } = room;
    expect(await so.facilitator.emitWithAck('moderation:dismiss', target)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    ok(await so.gov.emitWithAck('comment:flag', { ...target, reason: 'Off topic' }));
    const dismissed = ok(await so.facilitator.emitWithAck('moderation:dismiss', { ...target, reason: 'Disagreement is not abuse' }));
    expect(dismissed).toMatchObject({ status: 'dismissed', hidden: null });
    expect(await so.facilitator.emitWithAck('moderation:dismiss', target)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await threadAs(room, 'gov', thread.id)).comments[0]!.body).toBe('I disagree with the whole of chapter 2.');
    const pending = async () => (await room.owner.call<Queue>('GET', `/consultations/${room.consultation.id}/moderation?status=pending`)).body.items;
    expect(await pending()).toEqual([]);

    ok(await so.cso2.emitWithAck('comment:flag', { ...target, reason: 'Still off topic' }));
    expect((await pending()).map((i) => i.commentId)).toEqual([target.commentId]);
    expect(await so.nhri.emitWithAck('comment:flag', { ...target, commentId: thread.id, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('a facilitator who loses the role stops receiving the moderation queue at once', async () => {
    const { room, target } = await withComment();
    const { sockets: so, heard } = room;
    const members = (await room.owner.call<Member[]>('GET', `/consultations/${room.consultation.id}/members`)).body;
    const promote = (p: Person, role: string) => room.owner.call('PATCH', `/consultations/${room.consultation.id}/members/${room.memberIds[p]}`, { role });
    expect(members).toHaveLength(6);
    expect((await promote('gov', 'facilitator')).status).toBe(204);
    ok(await so.gov.emitWithAck('moderation:watch', room.consultation.id));
    ok(await so.facilitator.emitWithAck('moderation:watch', room.consultation.id));
    ok(await so.nhri.emitWithAck('comment:flag', { ...target, reason: 'First' }));
    await eventually(() => heard.gov.moderation.length === 1, 'the second facilitator to hear the report');

    expect((await promote('gov', 'drafter')).status).toBe(204);
    // Leaving the room follows the role change by a permission check; give it a moment.
    await new Promise((r) => setTimeout(r, 200));
    ok(await so.cso2.emitWithAck('comment:flag', { ...target, reason: 'Second' }));
    await eventually(() => heard.facilitator.moderation.length === 2, 'the facilitator to hear the second report');
    ok(await so.gov.emitWithAck('consultation:watch', room.consultation.id));
    expect(heard.gov.moderation).toHaveLength(1);
  });
});

describe('muting a member', () => {
  it('blocks comments, replies, positions, hand raising and the floor until it expires, on every channel', async () => {
    const { room, thread, target } = await withComment('A fair point.');
    const { sockets: so, memberIds: id } = room;
    const meeting = await liveMeeting(room);
    ok(await so.nhri.emitWithAck('hand:raise', { meetingId: meeting.id }));
    ok(await so.cso2.emitWithAck('hand:raise', { meetingId: meeting.id }));
    ok(await so.facilitator.emitWithAck('floor:give', { meetingId: meeting.id, to: id.nhri }));
    const poll = ok(await so.facilitator.emitWithAck('poll:open', { meetingId: meeting.id, question: 'Continue?', options: ['Yes', 'No'] }));

    expect(await so.cso1.emitWithAck('member:mute', { consultationId: room.consultation.id, memberId: id.nhri, minutes: 10, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await so.facilitator.emitWithAck('member:mute', { consultationId: room.consultation.id, memberId: id.facilitator, minutes: 10, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const muted = ok(await so.facilitator.emitWithAck('member:mute', { consultationId: room.consultation.id, memberId: id.nhri, minutes: 10, reason: 'Repeated interruptions' }));
    expect(Date.parse(muted.mutedUntil!) - Date.now()).toBeGreaterThan(9 * 60_000);
    // The muted member loses the floor at once, live.
    await eventually(() => room.heard.gov.meetings.get(meeting.id)?.floor === null, 'the muted member to lose the floor');
    expect(room.heard.gov.meetings.get(meeting.id)!.queue.map((q) => q.memberId)).toEqual([id.cso2]);

    const refusedAsMuted = { ok: false, error: { code: 'muted' } };
    expect(await so.nhri.emitWithAck('thread:create', { documentId: room.document.id, anchor: looseAnchor(), body: 'Again' })).toMatchObject(refusedAsMuted);
    expect(await so.nhri.emitWithAck('comment:reply', { threadId: thread.id, body: 'Again' })).toMatchObject(refusedAsMuted);
    expect(await so.nhri.emitWithAck('thread:position', { threadId: thread.id, stance: 'object' })).toMatchObject(refusedAsMuted);
    expect(await so.nhri.emitWithAck('hand:raise', { meetingId: meeting.id })).toMatchObject(refusedAsMuted);
    expect(await so.facilitator.emitWithAck('floor:give', { meetingId: meeting.id, to: id.nhri })).toMatchObject(refusedAsMuted);
    // Reading, attending, voting and reporting stay open.
    ok(await so.nhri.emitWithAck('meeting:join', meeting.id));
    ok(await so.nhri.emitWithAck('poll:vote', { pollId: poll.id, option: 0 }));
    ok(await so.nhri.emitWithAck('comment:flag', { ...target, reason: 'Checking' }));
    // The member knows; facilitators know; other members are not told.
    expect((await room.people.nhri.call<Consultation>('GET', `/consultations/${room.consultation.id}`)).body.you.mutedUntil).toBe(muted.mutedUntil);
    const mutedAs = async (p: Person) => (await room.people[p].call<Member[]>('GET', `/consultations/${room.consultation.id}/members`)).body.find((m) => m.id === id.nhri)!.mutedUntil;
    expect(await mutedAs('facilitator')).toBe(muted.mutedUntil);
    expect(await mutedAs('cso1')).toBeNull();

    // It lapses on its own when its time is up (brought forward here rather than waiting minutes).
    const soon = new Date(Date.now() + 1_000).toISOString();
    await room.s.store.collection('memberships').updateOne({ _id: id.nhri }, { $set: { mutedUntil: soon } });
    expect(await so.nhri.emitWithAck('hand:raise', { meetingId: meeting.id })).toMatchObject(refusedAsMuted);
    await new Promise((r) => setTimeout(r, Date.parse(soon) - Date.now() + 50));
    ok(await so.nhri.emitWithAck('hand:raise', { meetingId: meeting.id }));
    ok(await so.nhri.emitWithAck('comment:reply', { threadId: thread.id, body: 'Back, and calmer.' }));

    // Someone else muted over REST leaves the queue, and a mute lifted early frees them at once.
    const rest = `/consultations/${room.consultation.id}/members/${id.cso2}/mute`;
    expect((await room.people.gov.call('POST', rest, { minutes: 5, reason: 'x' })).status).toBe(403);
    expect((await room.owner.call('POST', rest, { minutes: 5, reason: 'Cooling off' })).status).toBe(200);
    await eventually(() => room.heard.gov.meetings.get(meeting.id)?.queue.every((q) => q.memberId !== id.cso2) === true, 'the queue to drop the muted member');
    expect(await so.cso2.emitWithAck('comment:reply', { threadId: thread.id, body: 'x' })).toMatchObject(refusedAsMuted);
    expect((await room.owner.call('DELETE', `${rest}?reason=Apologised`)).body).toEqual({ memberId: id.cso2, mutedUntil: null });
    ok(await so.cso2.emitWithAck('comment:reply', { threadId: thread.id, body: 'Sorry.' }));
  });
});
