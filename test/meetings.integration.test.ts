import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Meeting } from '../shared/meetings.ts';
import type { Poll } from '../shared/polls.ts';
import type { AuditEntry } from '../shared/audit.ts';
import { ballotKey } from '../server/polls/polls.service.ts';
import { openEmbeddedStore } from '../server/store/embedded.ts';
import { startServer, tempDir } from './helpers/server.ts';
import { connectSocket } from './helpers/socket.ts';
import { eventually } from './helpers/yjs.ts';
import { consultationRoom, liveMeeting, ok, scheduleMeeting, type Person, type Room } from './helpers/meetings.ts';

const queueOf = (m: Meeting, room: Room) => m.queue.map((q) => nameOf(room, q.memberId));
const nameOf = (room: Room, memberId: string) => Object.entries(room.memberIds).find(([, id]) => id === memberId)?.[0];
/** Waits until every connected socket of the room holds this version of the meeting (or a newer one). */
const everyoneSees = (room: Room, m: Meeting) =>
  eventually(
    () => (Object.keys(room.heard) as Person[]).every((p) => !room.sockets[p].connected || (room.heard[p].meetings.get(m.id)?.seq ?? 0) >= m.seq),
    `everyone to see meeting seq ${m.seq}`,
  );

describe('meetings', () => {
  it('are scheduled, started, moved through their agenda and ended, live for everyone, with presence by group', async () => {
    const room = await consultationRoom(await startServer());
    const { sockets: so, heard } = room;
    const other = await consultationRoom(room.s);
    const bad = await room.owner.call('POST', `/consultations/${room.consultation.id}/meetings`, { title: 'x', startsAt: new Date().toISOString(), documentIds: [other.document.id] });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    expect((await room.people.cso1.call('POST', `/consultations/${room.consultation.id}/meetings`, { title: 'x', startsAt: new Date().toISOString() })).status).toBe(403);

    const scheduled = await scheduleMeeting(room, { documentIds: [room.document.id] });
    expect(scheduled).toMatchObject({ status: 'scheduled', currentItem: null, documentIds: [room.document.id], queue: [], floor: null, timer: null });
    await everyoneSees(room, scheduled);
    const listed = await room.people.observer.call<{ items: Meeting[] }>('GET', `/consultations/${room.consultation.id}/meetings`);
    expect(listed.body.items.map((m) => m.id)).toEqual([scheduled.id]);

    // Presence: whoever has the meeting open, by stakeholder group; a second tab counts once.
    const joined = ok(await so.cso1.emitWithAck('meeting:join', scheduled.id));
    expect(joined.meeting.presence.byGroup.civil_society).toBe(1);
    ok(await so.nhri.emitWithAck('meeting:join', scheduled.id));
    ok(await so.observer.emitWithAck('meeting:join', scheduled.id));
    await eventually(() => heard.gov.presence.get(scheduled.id)?.members.length === 3, 'the drafter, who has not joined, to see three present');
    expect(heard.gov.presence.get(scheduled.id)!.byGroup).toEqual({ government: 0, nhri: 1, civil_society: 1, international: 1, other: 0 });
    so.observer.disconnect();
    await eventually(() => heard.gov.presence.get(scheduled.id)?.byGroup.international === 0, 'the observer to leave on disconnecting');
    ok(await so.nhri.emitWithAck('meeting:leave', scheduled.id));
    await eventually(() => heard.gov.presence.get(scheduled.id)?.members.length === 1, 'the NHRI contributor to leave');
    expect((await room.owner.call<Meeting>('GET', `/meetings/${scheduled.id}`)).body.presence.members.map((m) => m.memberId)).toEqual([room.memberIds.cso1]);

    let m = ok(await so.facilitator.emitWithAck('meeting:start', { meetingId: scheduled.id }));
    expect(m).toMatchObject({ status: 'live', currentItem: 0 });
    expect(await so.facilitator.emitWithAck('meeting:start', { meetingId: scheduled.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    m = ok(await so.facilitator.emitWithAck('meeting:agenda', { meetingId: m.id, to: 'next' }));
    expect(m.currentItem).toBe(1);
    m = ok(await so.facilitator.emitWithAck('meeting:agenda', { meetingId: m.id, to: 'previous' }));
    expect(m.currentItem).toBe(0);
    expect(await so.facilitator.emitWithAck('meeting:agenda', { meetingId: m.id, to: 'previous' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    m = ok(await so.facilitator.emitWithAck('meeting:agenda', { meetingId: m.id, to: 3 }));
    expect(m.currentItem).toBe(3);
    expect(await so.facilitator.emitWithAck('meeting:agenda', { meetingId: m.id, to: 'next' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await so.facilitator.emitWithAck('meeting:agenda', { meetingId: m.id, to: 4 })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await so.cso1.emitWithAck('meeting:agenda', { meetingId: m.id, to: 2 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    m = ok(await so.facilitator.emitWithAck('meeting:agenda', { meetingId: m.id, to: 2 }));
    await everyoneSees(room, m);
    expect(heard.nhri.meetings.get(m.id)).toMatchObject({ currentItem: 2, status: 'live' });

    const ended = ok(await so.facilitator.emitWithAck('meeting:end', { meetingId: m.id }));
    expect(ended).toMatchObject({ status: 'ended', currentItem: null, presence: { members: [] } });
    await everyoneSees(room, ended);
    expect(await so.cso1.emitWithAck('hand:raise', { meetingId: m.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await so.cso1.emitWithAck('meeting:join', m.id)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // Outsiders learn nothing, not even that the meeting exists.
    expect(await other.sockets.cso1.emitWithAck('meeting:join', m.id)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await other.people.cso1.call('GET', `/meetings/${m.id}`)).status).toBe(404);
  });

  it('keeps a speaking queue: raise, reorder, give the floor by name or to the next, lower; observers cannot raise a hand', async () => {
    const room = await consultationRoom(await startServer());
    const { sockets: so, memberIds: id } = room;
    const meeting = await liveMeeting(room);
    const meetingId = meeting.id;

    expect(await so.observer.emitWithAck('hand:raise', { meetingId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    for (const p of ['cso1', 'nhri', 'gov'] as Person[]) ok(await so[p].emitWithAck('hand:raise', { meetingId }));
    let m = ok(await so.cso1.emitWithAck('hand:raise', { meetingId }));
    expect(queueOf(m, room)).toEqual(['cso1', 'nhri', 'gov']);
    expect(m.queue[0]).toMatchObject({ group: 'civil_society', role: 'contributor' });
    expect(JSON.stringify(m)).not.toContain(room.people.cso1.me.id);

    expect(await so.cso1.emitWithAck('queue:move', { meetingId, memberId: id.gov, position: 0 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    m = ok(await so.facilitator.emitWithAck('queue:move', { meetingId, memberId: id.gov, position: 0 }));
    expect(queueOf(m, room)).toEqual(['gov', 'cso1', 'nhri']);
    m = ok(await so.facilitator.emitWithAck('queue:move', { meetingId, memberId: id.gov, position: 99 }));
    expect(queueOf(m, room)).toEqual(['cso1', 'nhri', 'gov']);
    expect(await so.facilitator.emitWithAck('queue:move', { meetingId, memberId: id.cso2, position: 0 })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    expect(await so.cso1.emitWithAck('floor:give', { meetingId, to: 'next' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    m = ok(await so.facilitator.emitWithAck('floor:give', { meetingId, to: 'next' }));
    expect(nameOf(room, m.floor!.memberId)).toBe('cso1');
    expect(queueOf(m, room)).toEqual(['nhri', 'gov']);
    expect(await so.cso1.emitWithAck('hand:raise', { meetingId })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    m = ok(await so.facilitator.emitWithAck('floor:give', { meetingId, to: id.gov }));
    expect(m.floor).toMatchObject({ memberId: id.gov, group: 'government' });
    expect(queueOf(m, room)).toEqual(['nhri']);
    expect(await so.facilitator.emitWithAck('floor:give', { meetingId, to: id.observer })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    expect(await so.cso1.emitWithAck('hand:lower', { meetingId, memberId: id.nhri })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    ok(await so.cso2.emitWithAck('hand:raise', { meetingId }));
    m = ok(await so.nhri.emitWithAck('hand:lower', { meetingId }));
    expect(queueOf(m, room)).toEqual(['cso2']);
    m = ok(await so.facilitator.emitWithAck('hand:lower', { meetingId, memberId: id.cso2 }));
    expect(m.queue).toEqual([]);
    expect(await so.facilitator.emitWithAck('floor:give', { meetingId, to: 'next' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    m = ok(await so.facilitator.emitWithAck('floor:give', { meetingId, to: null }));
    expect(m.floor).toBeNull();
    await everyoneSees(room, m);
    expect(room.heard.observer.meetings.get(meetingId)).toMatchObject({ floor: null, queue: [] });

    // Someone removed from the consultation leaves the queue and the room's presence at once.
    ok(await so.cso2.emitWithAck('meeting:join', meetingId));
    ok(await so.cso2.emitWithAck('hand:raise', { meetingId }));
    expect((await room.owner.call('DELETE', `/consultations/${room.consultation.id}/members/${id.cso2}`)).status).toBe(204);
    await eventually(() => room.heard.observer.meetings.get(meetingId)!.queue.length === 0, 'the removed member to leave the queue');
    await eventually(() => room.heard.observer.presence.get(meetingId)?.members.length === 0, 'the removed member to leave the presence');
  });

  it('alternates the floor between stakeholder groups when asked, falling back to the head of the queue', async () => {
    const room = await consultationRoom(await startServer());
    const { sockets: so } = room;
    const raise = async (meetingId: string, ...who: Person[]) => {
      for (const p of who) ok(await so[p].emitWithAck('hand:raise', { meetingId }));
    };
    const next = async (meetingId: string) => nameOf(room, ok(await so.facilitator.emitWithAck('floor:give', { meetingId, to: 'next' })).floor!.memberId);

    const alternating = await liveMeeting(room, { alternateGroups: true });
    expect(alternating.alternateGroups).toBe(true);
    await raise(alternating.id, 'cso1', 'cso2', 'nhri');
    expect(await next(alternating.id)).toBe('cso1'); // nobody has spoken yet: the head of the queue
    expect(await next(alternating.id)).toBe('nhri'); // civil society just spoke: cso2 waits
    await raise(alternating.id, 'cso1');
    expect(await next(alternating.id)).toBe('cso2'); // the NHRI just spoke: the head of the queue is of another group
    await raise(alternating.id, 'gov');
    expect(await next(alternating.id)).toBe('gov'); // civil society just spoke: cso1 waits
    expect(await next(alternating.id)).toBe('cso1');
    await raise(alternating.id, 'cso2');
    expect(await next(alternating.id)).toBe('cso2'); // nobody of another group waits: fall back to the head

    // The same queue without alternation simply follows the order of hands.
    const plain = await liveMeeting(room);
    await raise(plain.id, 'cso1', 'cso2', 'nhri');
    expect([await next(plain.id), await next(plain.id), await next(plain.id)]).toEqual(['cso1', 'cso2', 'nhri']);

    // Switched on mid-meeting, live for everyone.
    const switched = ok(await so.facilitator.emitWithAck('queue:alternate', { meetingId: plain.id, enabled: true }));
    await everyoneSees(room, switched);
    expect(room.heard.cso2.meetings.get(plain.id)!.alternateGroups).toBe(true);
    ok(await so.facilitator.emitWithAck('floor:give', { meetingId: plain.id, to: null }));
    await raise(plain.id, 'nhri', 'cso1');
    expect(await next(plain.id)).toBe('cso1'); // the NHRI spoke last, even if nobody has the floor now
    expect(await so.cso1.emitWithAck('queue:alternate', { meetingId: plain.id, enabled: false })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('runs a speaking timer everyone sees: start, pause, resume, reset', async () => {
    const room = await consultationRoom(await startServer());
    const { sockets: so } = room;
    const { id: meetingId } = await liveMeeting(room);
    expect(await so.facilitator.emitWithAck('timer:start', { meetingId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await so.cso1.emitWithAck('timer:start', { meetingId, seconds: 60 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await so.facilitator.emitWithAck('timer:start', { meetingId, seconds: 0 })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });

    let m = ok(await so.facilitator.emitWithAck('timer:start', { meetingId, seconds: 120 }));
    expect(m.timer).toMatchObject({ durationMs: 120_000, elapsedMs: 0 });
    expect(m.timer!.runningSince).not.toBeNull();
    await everyoneSees(room, m);
    expect(room.heard.observer.meetings.get(meetingId)!.timer!.runningSince).toBe(m.timer!.runningSince);

    await new Promise((r) => setTimeout(r, 300));
    m = ok(await so.facilitator.emitWithAck('timer:pause', { meetingId }));
    expect(m.timer!.runningSince).toBeNull();
    expect(m.timer!.elapsedMs).toBeGreaterThanOrEqual(250);
    expect(m.timer!.remainingMs).toBe(120_000 - m.timer!.elapsedMs);
    await new Promise((r) => setTimeout(r, 200));
    const paused = (await room.people.cso2.call<Meeting>('GET', `/meetings/${meetingId}`)).body.timer!;
    expect(paused.remainingMs).toBe(m.timer!.remainingMs); // a paused timer does not run down

    m = ok(await so.facilitator.emitWithAck('timer:start', { meetingId }));
    expect(m.timer!.runningSince).not.toBeNull();
    expect(m.timer!.elapsedMs).toBe(paused.elapsedMs);
    await new Promise((r) => setTimeout(r, 150));
    const running = (await room.people.cso2.call<Meeting>('GET', `/meetings/${meetingId}`)).body.timer!;
    expect(running.remainingMs).toBeLessThan(paused.remainingMs - 100);

    m = ok(await so.facilitator.emitWithAck('timer:reset', { meetingId }));
    expect(m.timer).toMatchObject({ durationMs: 120_000, elapsedMs: 0, runningSince: null, remainingMs: 120_000 });
    await everyoneSees(room, m);
    expect(room.heard.nhri.meetings.get(meetingId)!.timer!.remainingMs).toBe(120_000);
  });

  it('gives each new speaker the full time: the timer restarts when the floor passes and stops when it is taken back', async () => {
    const room = await consultationRoom(await startServer());
    const { sockets: so, memberIds: id } = room;
    const { id: meetingId } = await liveMeeting(room);
    for (const p of ['cso1', 'nhri', 'gov'] as const) ok(await so[p].emitWithAck('hand:raise', { meetingId }));
    ok(await so.facilitator.emitWithAck('floor:give', { meetingId, to: 'next' }));
    // A one-second timer for the first speaker runs out.
    let m = ok(await so.facilitator.emitWithAck('timer:start', { meetingId, seconds: 1 }));
    await eventually(async () => (await room.people.cso2.call<Meeting>('GET', `/meetings/${meetingId}`)).body.timer!.remainingMs === 0, 'the first speaker to run out of time');

    // The next speaker starts with the whole second, running from when they got the floor, and everyone sees it.
    m = ok(await so.facilitator.emitWithAck('floor:give', { meetingId, to: 'next' }));
    expect(m.floor!.memberId).toBe(id.nhri);
    expect(m.timer).toMatchObject({ durationMs: 1000, elapsedMs: 0, runningSince: m.floor!.since });
    await everyoneSees(room, m);
    expect(room.heard.observer.meetings.get(meetingId)!.timer).toMatchObject({ elapsedMs: 0, runningSince: m.floor!.since });

    // By name, too; giving the floor again to whoever holds it leaves their clock alone.
    m = ok(await so.facilitator.emitWithAck('floor:give', { meetingId, to: id.gov }));
    const govSince = m.timer!.runningSince;
    expect(govSince).toBe(m.floor!.since);
    m = ok(await so.facilitator.emitWithAck('floor:give', { meetingId, to: id.gov }));
    expect(m.timer!.runningSince).toBe(govSince);

    // Taking the floor back stops the clock at the full duration: nobody is greeted by "Time is up".
    m = ok(await so.facilitator.emitWithAck('floor:give', { meetingId, to: null }));
    expect(m.timer).toMatchObject({ durationMs: 1000, elapsedMs: 0, runningSince: null, remainingMs: 1000 });
    await everyoneSees(room, m);
    expect(room.heard.cso1.meetings.get(meetingId)!.timer!.remainingMs).toBe(1000);
  });
});

describe('quick polls', () => {
  it('take one vote per member, changeable until closed, with results overall and by group; observers cannot vote', async () => {
    const room = await consultationRoom(await startServer());
    const { sockets: so, memberIds: id } = room;
    const { id: meetingId } = await liveMeeting(room);
    for (const options of [['Only one'], Array.from({ length: 11 }, (_, i) => `Option ${i}`), ['Yes', 'yes']])
      expect(await so.facilitator.emitWithAck('poll:open', { meetingId, question: 'Q?', options })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await so.cso1.emitWithAck('poll:open', { meetingId, question: 'Q?', options: ['A', 'B'] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // A named poll whose results everyone follows live (both chosen: the defaults are more private).
    const poll = ok(await so.facilitator.emitWithAck('poll:open', { meetingId, question: 'Should chapter 1 cover online civic space?', options: ['Yes', 'No', 'Abstain'], anonymous: false, resultsVisibility: 'always' }));
    expect(poll).toMatchObject({ status: 'open', anonymous: false, resultsVisibility: 'always', results: { total: 0, byOption: [0, 0, 0] }, votes: [] });
    await eventually(() => Object.values(room.heard).every((h) => h.polls.has(poll.id)), 'everyone to see the new poll');

    ok(await so.cso1.emitWithAck('poll:vote', { pollId: poll.id, option: 0 }));
    ok(await so.nhri.emitWithAck('poll:vote', { pollId: poll.id, option: 1 }));
    ok(await so.gov.emitWithAck('poll:vote', { pollId: poll.id, option: 0 }));
    const changed = ok(await so.gov.emitWithAck('poll:vote', { pollId: poll.id, option: 2 }));
    expect(changed.yours).toBe(2);
    expect(await so.observer.emitWithAck('poll:vote', { pollId: poll.id, option: 0 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await so.cso2.emitWithAck('poll:vote', { pollId: poll.id, option: 3 })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });

    const results = { total: 3, byOption: [1, 1, 1], byGroup: { civil_society: [1, 0, 0], nhri: [0, 1, 0], government: [0, 0, 1], international: [0, 0, 0], other: [0, 0, 0] } };
    expect(changed.results).toEqual(results);
    // Who voted what goes to facilitators only.
    expect(changed.votes).toBeNull();
    const asFacilitator = (await room.owner.call<Poll>('GET', `/polls/${poll.id}`)).body;
    expect(asFacilitator.votes!.map((v) => [v.memberId, v.option])).toEqual(expect.arrayContaining([[id.cso1, 0], [id.nhri, 1], [id.gov, 2]]));
    await eventually(() => room.heard.observer.polls.get(poll.id)?.results?.total === 3 && room.heard.observer.polls.get(poll.id)!.seq === changed.seq, 'the observer to see all three votes');
    expect(room.heard.observer.polls.get(poll.id)!.results).toEqual(results);
    expect(room.heard.observer.polls.get(poll.id)).not.toHaveProperty('yours');
    expect((await room.people.nhri.call<Poll>('GET', `/polls/${poll.id}`)).body).toMatchObject({ yours: 1, results });
    expect((await room.people.cso2.call<Poll[]>('GET', `/meetings/${meetingId}/polls`)).body[0]).toMatchObject({ id: poll.id, yours: null });

    const closed = ok(await so.facilitator.emitWithAck('poll:close', { pollId: poll.id }));
    expect(closed).toMatchObject({ status: 'closed', results });
    expect(closed.closedAt).not.toBeNull();
    expect(await so.cso2.emitWithAck('poll:vote', { pollId: poll.id, option: 0 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await so.facilitator.emitWithAck('poll:close', { pollId: poll.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await eventually(() => room.heard.cso2.polls.get(poll.id)?.status === 'closed', 'everyone to see it closed');
  });
});

describe('anonymous polls', () => {
  it('show nobody, facilitators included, who voted what through any API, and once closed the store cannot tell either', async () => {
    const dataDir = await tempDir();
    const room = await consultationRoom(await startServer({ dataDir }));
    const { sockets: so, memberIds: id, people, s } = room;
    const { id: meetingId } = await liveMeeting(room);
    const poll = ok(await so.facilitator.emitWithAck('poll:open', { meetingId, question: 'Has your organisation faced reprisals?', options: ['Yes', 'No'], anonymous: true, resultsVisibility: 'always' }));
    const secrets = s.store.collection<{ _id: string; secret: string }>('poll_secrets');
    const { secret } = (await secrets.findOne({ _id: poll.id }))!;

    const replies: Poll[] = [];
    for (const [p, option] of [['cso1', 0], ['cso2', 0], ['nhri', 1], ['cso2', 1]] as const) replies.push(ok(await so[p].emitWithAck('poll:vote', { pollId: poll.id, option })));
    const results = { total: 3, byOption: [1, 2], byGroup: { civil_society: [1, 1], nhri: [0, 1], government: [0, 0], international: [0, 0], other: [0, 0] } };
    expect(replies.at(-1)).toMatchObject({ results, yours: 1, votes: null });
    // While open, a ballot is filed under the HMAC of the member id with the poll's secret — never under the id itself.
    const ballots = s.store.collection<{ _id: string }>('ballots');
    expect(await ballots.findOne({ _id: `${poll.id}:${ballotKey(secret, id.cso1)}` })).toMatchObject({ option: 0, group: 'civil_society' });
    expect(await ballots.findOne({ _id: `${poll.id}:${id.cso1}` })).toBeNull();

    await eventually(() => room.heard.gov.polls.get(poll.id)?.results?.total === 3, 'the broadcasts to arrive');
    const closed = ok(await so.facilitator.emitWithAck('poll:close', { pollId: poll.id }));
    expect(closed).toMatchObject({ status: 'closed', results, votes: null });
    await eventually(() => Object.values(room.heard).every((h) => h.polls.get(poll.id)?.status === 'closed'), 'everyone to see it closed');

    // Every poll any API gave anyone: replies, REST as the facilitator and as voters, join snapshots, broadcasts.
    const seen: unknown[] = [...replies, closed];
    for (const p of ['facilitator', 'cso1', 'cso2', 'nhri', 'observer'] as const) {
      seen.push((await people[p].call<Poll>('GET', `/polls/${poll.id}`)).body);
      seen.push(...(await people[p].call<Poll[]>('GET', `/meetings/${meetingId}/polls`)).body);
      seen.push(...ok(await so[p].emitWithAck('meeting:join', meetingId)).polls);
      seen.push(...room.heard[p].raw.filter((r) => r.event === 'poll:changed').map((r) => r.payload));
    }
    const voters = (['cso1', 'cso2', 'nhri'] as const).flatMap((p) => [id[p], people[p].me.id, people[p].me.displayName]);
    for (const view of seen as Poll[]) {
      if (view.id !== poll.id) continue;
      expect(view.votes).toBeNull();
      for (const v of voters) expect(JSON.stringify(view)).not.toContain(v);
    }
    // Your own vote is told to you while the poll is open, and to nobody once it has closed.
    expect(replies.map((r) => r.yours)).toEqual([0, 0, 1, 1]);
    expect(seen.filter((v) => (v as Poll).id === poll.id && (v as Poll).yours !== undefined && (v as Poll).yours !== null)).toHaveLength(4);
    // The audit log knows the poll opened and closed, and nothing of its ballots.
    const audit = (await room.owner.call<{ items: AuditEntry[] }>('GET', `/consultations/${room.consultation.id}/audit?limit=200`)).body.items;
    expect(audit.filter((e) => e.subject?.id === poll.id).map((e) => e.action).sort()).toEqual(['poll.closed', 'poll.opened']);
    expect(audit.filter((e) => e.action.startsWith('poll.')).every((e) => e.actor?.memberId === id.facilitator)).toBe(true);

    // The store: the poll and its ballots name no voter, and the secret that could link them is gone.
    const stored = JSON.stringify([await s.store.collection('polls').findOne({ _id: poll.id }), await ballots.find({ pollId: poll.id })]);
    for (const v of voters) expect(stored).not.toContain(v);
    expect(stored).not.toContain(secret);
    expect((await ballots.find({ pollId: poll.id })).map((b) => Object.keys(b).sort())).toEqual(Array(3).fill(['_id', 'group', 'option', 'pollId']));
    expect(await secrets.findOne({ _id: poll.id })).toBeNull();
    // …and not lingering in the embedded store's files either, once they are compacted at shutdown.
    await s.stop();
    for (const file of await readdir(dataDir)) expect(await readFile(path.join(dataDir, file), 'utf8')).not.toContain(secret);
  });
});

describe('a restart in the middle of a meeting', () => {
  it('keeps the current item, queue, floor, running timer, open poll and its votes', async () => {
    const dataDir = await tempDir();
    const first = await startServer({ dataDir });
    const room = await consultationRoom(first);
    const { sockets: so, memberIds: id, people } = room;
    const { id: meetingId } = await liveMeeting(room, { alternateGroups: true });
    ok(await so.facilitator.emitWithAck('meeting:agenda', { meetingId, to: 'next' }));
    for (const p of ['cso1', 'nhri', 'gov', 'cso2'] as const) ok(await so[p].emitWithAck('hand:raise', { meetingId }));
    ok(await so.facilitator.emitWithAck('floor:give', { meetingId, to: 'next' }));
    ok(await so.facilitator.emitWithAck('timer:start', { meetingId, seconds: 600 }));
    const poll = ok(await so.facilitator.emitWithAck('poll:open', { meetingId, question: 'Adopt chapter 1?', options: ['Yes', 'No'], anonymous: true, resultsVisibility: 'always' }));
    ok(await so.cso1.emitWithAck('poll:vote', { pollId: poll.id, option: 0 }));
    ok(await so.nhri.emitWithAck('poll:vote', { pollId: poll.id, option: 1 }));
    const before = ok(await so.observer.emitWithAck('meeting:join', meetingId)).meeting;
    expect(before).toMatchObject({ currentItem: 1, floor: { memberId: id.cso1 } });
    await first.stop();

    const second = await startServer({ dataDir, store: await openEmbeddedStore(dataDir) });
    const again = async (p: Person) => connectSocket(second.url, people[p].cookie);
    const facilitator = await again('facilitator');
    const { meeting: after, polls } = ok(await facilitator.emitWithAck('meeting:join', meetingId));
    expect(after).toMatchObject({ status: 'live', currentItem: 1, alternateGroups: true, floor: before.floor, queue: before.queue, seq: before.seq });
    expect(queueOf(after, room)).toEqual(['nhri', 'gov', 'cso2']);
    expect(after.timer).toMatchObject({ durationMs: 600_000, runningSince: before.timer!.runningSince });
    expect(after.timer!.remainingMs).toBeLessThan(before.timer!.remainingMs);
    expect(after.timer!.remainingMs).toBeGreaterThan(600_000 - 60_000);
    expect(polls).toHaveLength(1);
    expect(polls[0]).toMatchObject({ id: poll.id, status: 'open', anonymous: true, results: { total: 2, byOption: [1, 1] } });

    // The meeting goes on: a voter changes their vote (the poll's secret survived), another votes, the floor moves.
    const nhri = await again('nhri');
    expect(ok(await nhri.emitWithAck('poll:vote', { pollId: poll.id, option: 0 })).results).toMatchObject({ total: 2, byOption: [2, 0] });
    expect(ok(await (await again('gov')).emitWithAck('poll:vote', { pollId: poll.id, option: 1 })).results).toMatchObject({ total: 3, byOption: [2, 1] });
    const moved = ok(await facilitator.emitWithAck('floor:give', { meetingId, to: 'next' }));
    expect(moved.floor!.memberId).toBe(id.nhri); // civil society spoke before the restart
    expect(moved.seq).toBe(before.seq + 1);
  });
});
