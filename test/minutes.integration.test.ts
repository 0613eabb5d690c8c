import { describe, expect, it } from 'vitest';
import { minutesLimits, type Minutes } from '../shared/minutes.ts';
import type { AuditEntry } from '../shared/audit.ts';
import { openEmbeddedStore } from '../server/store/embedded.ts';
import { registerUser, startServer, tempDir } from './helpers/server.ts';
import { connectSocket } from './helpers/socket.ts';
import { eventually } from './helpers/yjs.ts';
import { consultationRoom, liveMeeting, ok, type Room } from './helpers/meetings.ts';

/** Every `minutes:changed` a socket hears, keeping the newest by `seq`. */
function followMinutes(room: Room, who: keyof Room['sockets']) {
  const heard = { latest: null as Minutes | null, count: 0 };
  room.sockets[who].on('minutes:changed', (m) => {
    heard.count++;
    if (!heard.latest || m.seq > heard.latest.seq) heard.latest = m;
  });
  return heard;
}

const minutesOf = async (room: Room, meetingId: string, who: keyof Room['people'] = 'facilitator') =>
  (await room.people[who].call<Minutes>('GET', `/meetings/${meetingId}/minutes`)).body;

/** Lets the clock move on a little, so that turns have some length to them (no assertion relies on how much). */
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('session minutes', () => {
  it('record who spoke under which item, polls under their item and decisions noted live, for every follower, with aliases and groups only', async () => {
    const room = await consultationRoom(await startServer());
    const { sockets: so, memberIds } = room;
    const observerHears = followMinutes(room, 'observer');
    const meeting = await liveMeeting(room, { agenda: ['Opening', 'Civic space'] });
    const id = meeting.id;

    // Item 1: the civil-society contributor speaks, then the NHRI contributor.
    ok(await so.facilitator.emitWithAck('floor:give', { meetingId: id, to: memberIds.cso1 }));
    await pause(1100);
    // Giving the floor again to whoever holds it continues their turn.
    ok(await so.facilitator.emitWithAck('floor:give', { meetingId: id, to: memberIds.cso1 }));
    ok(await so.facilitator.emitWithAck('floor:give', { meetingId: id, to: memberIds.nhri }));
    // Item 2: the floor moves with the agenda; the NHRI's turn began under item 1 and stays there.
    ok(await so.facilitator.emitWithAck('meeting:agenda', { meetingId: id, to: 'next' }));
    ok(await so.facilitator.emitWithAck('floor:give', { meetingId: id, to: memberIds.cso1 }));
    const poll = ok(await so.facilitator.emitWithAck('poll:open', { meetingId: id, question: 'Endorse chapter 2?', options: ['Yes', 'No'] }));
    ok(await so.cso1.emitWithAck('poll:vote', { pollId: poll.id, option: 0 }));
    ok(await so.nhri.emitWithAck('poll:vote', { pollId: poll.id, option: 1 }));
    // The minutes are everyone's: a poll's counts appear there only once the poll publishes them to all (here, at the close).
    expect((await minutesOf(room, id, 'cso1')).polls).toEqual([expect.objectContaining({ pollId: poll.id, status: 'open', results: null })]);
    const noted = ok(await so.facilitator.emitWithAck('minutes:decision', { meetingId: id, text: 'Chapter 2 goes to a second reading' }));
    expect(noted.decisions).toEqual([expect.objectContaining({ agendaItem: 1, text: 'Chapter 2 goes to a second reading' })]);
    ok(await so.facilitator.emitWithAck('floor:give', { meetingId: id, to: null }));
    const ended = ok(await so.facilitator.emitWithAck('meeting:end', { meetingId: id }));

    // Only facilitators note decisions.
    expect(await so.cso1.emitWithAck('minutes:decision', { meetingId: id, text: 'Mine' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const minutes = await minutesOf(room, id, 'observer');
    expect(minutes.agenda).toEqual(['Opening', 'Civic space']);
    expect(minutes.speeches.map((s) => [s.speaker.memberId, s.speaker.group, s.agendaItem])).toEqual([
      [memberIds.cso1, 'civil_society', 0],
      [memberIds.nhri, 'nhri', 0],
      [memberIds.cso1, 'civil_society', 1],
    ]);
    const [first] = minutes.speeches;
    for (const s of minutes.speeches) {
      expect(s.seconds).toBeGreaterThanOrEqual(0);
      expect(Date.parse(s.startedAt)).toBeGreaterThanOrEqual(Date.parse(ended.startedAt!));
      // No turn lasts longer than the meeting it was in.
      expect(Date.parse(s.startedAt) + s.seconds * 1000).toBeLessThanOrEqual(Date.parse(ended.endedAt!) + 1000);
    }
    // The first turn was given twice but is one turn, and it lasted through the pause.
    expect(first!.seconds).toBeGreaterThanOrEqual(1);
    expect(minutes.polls).toEqual([
      expect.objectContaining({ pollId: poll.id, agendaItem: 1, status: 'closed', results: expect.objectContaining({ total: 2, byGroup: expect.objectContaining({ civil_society: [1, 0], nhri: [0, 1] }) }) }),
    ]);
    expect(minutes.decisions).toEqual([expect.objectContaining({ agendaItem: 1, text: 'Chapter 2 goes to a second reading' })]);
    // Noting decisions during the session is keeping the minutes, not editing them.
    expect(minutes).toMatchObject({ startedAt: ended.startedAt, endedAt: ended.endedAt, editedAt: null });

    // Aliases and groups only: no name of anyone who spoke appears anywhere in the minutes.
    const text = JSON.stringify(minutes);
    for (const who of ['cso1', 'nhri', 'facilitator'] as const) expect(text).not.toContain(room.people[who].me.displayName);

    // Everyone following the consultation heard the minutes grow, up to what they read now.
    await eventually(() => (observerHears.latest?.seq ?? 0) >= minutes.seq, 'the observer to hear the latest minutes');
    expect(observerHears.latest).toEqual(minutes);
    expect(observerHears.count).toBeGreaterThanOrEqual(5);

    // A stranger learns nothing, not even that the meeting exists.
    const stranger = await registerUser(room.s.url);
    // The routes are described in the API description.
    const doc = (await (await fetch(`${room.s.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/meetings/{id}/minutes'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/meetings/{id}/minutes/decisions/{decisionId}'] ?? {}).sort()).toEqual(['delete', 'patch']);
    expect((await stranger.call('GET', `/meetings/${id}/minutes`)).status).toBe(404);
    expect((await stranger.call('PATCH', `/meetings/${id}/minutes/notes`, { general: 'x' })).status).toBe(404);
  });

  it('are edited by facilitators afterwards (decisions, notes, a speech’s item), announced and audited; contributors cannot', async () => {
    const room = await consultationRoom(await startServer());
    const { sockets: so, memberIds } = room;
    const cso2Hears = followMinutes(room, 'cso2');
    const meeting = await liveMeeting(room, { agenda: ['Opening', 'Justice'] });
    const id = meeting.id;
    ok(await so.facilitator.emitWithAck('floor:give', { meetingId: id, to: memberIds.gov }));
    ok(await so.facilitator.emitWithAck('minutes:decision', { meetingId: id, text: 'Adopt the agenda' }));
    ok(await so.facilitator.emitWithAck('meeting:end', { meetingId: id }));
    const before = await minutesOf(room, id);
    const speech = before.speeches[0]!;
    const decision = before.decisions[0]!;
    expect(speech.agendaItem).toBe(0);

    const f = room.people.facilitator;
    const base = `/meetings/${id}/minutes`;
    const added = await f.call<Minutes>('POST', `${base}/decisions`, { text: 'Publish the minutes', agendaItem: 1 });
    expect(added.status).toBe(201);
    expect(added.body.decisions.map((d) => [d.text, d.agendaItem])).toEqual([
      ['Adopt the agenda', 0],
      ['Publish the minutes', 1],
    ]);
    const edited = await f.call<Minutes>('PATCH', `${base}/decisions/${decision.id}`, { text: 'Adopt the agenda as amended' });
    expect(edited.body.decisions[0]).toMatchObject({ id: decision.id, text: 'Adopt the agenda as amended', agendaItem: 0 });
    expect(edited.body.editedAt).not.toBeNull();
    const removed = await f.call<Minutes>('DELETE', `${base}/decisions/${added.body.decisions[1]!.id}`);
    expect(removed.body.decisions.map((d) => d.text)).toEqual(['Adopt the agenda as amended']);
    const notes = await f.call<Minutes>('PATCH', `${base}/notes`, { general: 'Quorum reached.', items: ['', 'Follow up with the ministry'] });
    expect(notes.body.notes).toEqual({ general: 'Quorum reached.', items: ['', 'Follow up with the ministry'] });
    expect(notes.body.editedAt).not.toBeNull();
    const corrected = await f.call<Minutes>('PATCH', `${base}/speeches/${speech.id}`, { agendaItem: 1 });
    expect(corrected.body.speeches[0]).toMatchObject({ id: speech.id, agendaItem: 1, seconds: speech.seconds });

    // Validation: an item beyond the agenda, notes that do not match it, an empty or too long decision.
    const bad = [
      await f.call('POST', `${base}/decisions`, { text: 'x', agendaItem: 2 }),
      await f.call('PATCH', `${base}/notes`, { items: ['only one'] }),
      await f.call('POST', `${base}/decisions`, { text: '   ' }),
      await f.call('POST', `${base}/decisions`, { text: 'x'.repeat(2001) }),
    ];
    for (const res of bad) expect(res).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    expect((await f.call('DELETE', `${base}/decisions/${decision.id.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`)).status).toBe(404);
    expect((await f.call('PATCH', `${base}/speeches/${decision.id}`, { agendaItem: 0 })).status).toBe(404);

    // A contributor reads but cannot edit.
    const cso1 = room.people.cso1;
    expect((await cso1.call('GET', base)).status).toBe(200);
    for (const res of [
      await cso1.call('POST', `${base}/decisions`, { text: 'Mine' }),
      await cso1.call('PATCH', `${base}/decisions/${decision.id}`, { text: 'Mine' }),
      await cso1.call('DELETE', `${base}/decisions/${decision.id}`),
      await cso1.call('PATCH', `${base}/notes`, { general: 'Mine' }),
      await cso1.call('PATCH', `${base}/speeches/${speech.id}`, { agendaItem: 0 }),
    ])
      expect(res).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    const after = await minutesOf(room, id, 'cso1');
    expect(after).toEqual(corrected.body);
    await eventually(() => (cso2Hears.latest?.seq ?? 0) >= after.seq, 'a follower to hear the edits');
    expect(cso2Hears.latest).toEqual(after);

    // Every edit is in the audit log.
    const audit = await f.call<{ items: AuditEntry[] }>('GET', `/consultations/${room.consultation.id}/audit`);
    const actions = audit.body.items.filter((e) => e.action.startsWith('minutes.')).map((e) => e.action);
    expect(actions.sort()).toEqual(
      ['minutes.decision_edited', 'minutes.decision_noted', 'minutes.decision_noted', 'minutes.decision_removed', 'minutes.notes_edited', 'minutes.speech_corrected'].sort(),
    );
  });

  it('show the speaker as their membership says now: a later change of group shows through', async () => {
    const room = await consultationRoom(await startServer());
    const meeting = await liveMeeting(room);
    ok(await room.sockets.facilitator.emitWithAck('floor:give', { meetingId: meeting.id, to: room.memberIds.cso2 }));
    ok(await room.sockets.facilitator.emitWithAck('meeting:end', { meetingId: meeting.id }));
    expect((await minutesOf(room, meeting.id)).speeches[0]!.speaker.group).toBe('civil_society');
    const changed = await room.owner.call('PATCH', `/consultations/${room.consultation.id}/members/${room.memberIds.cso2}`, { group: 'international' });
    expect(changed.status).toBe(204);
    expect((await minutesOf(room, meeting.id)).speeches[0]!.speaker).toMatchObject({ memberId: room.memberIds.cso2, group: 'international' });
    // Once the membership is gone, the turn stays, under the alias and group it was taken under (no name either way).
    const { alias } = (await minutesOf(room, meeting.id)).speeches[0]!.speaker;
    expect((await room.owner.call('DELETE', `/consultations/${room.consultation.id}/members/${room.memberIds.cso2}`)).status).toBe(204);
    expect((await minutesOf(room, meeting.id)).speeches).toEqual([expect.objectContaining({ speaker: expect.objectContaining({ memberId: room.memberIds.cso2, alias, group: 'civil_society' }) })]);
  });

  it('name a speaker who deleted their account as a former participant of their group, in the minutes and the report', async () => {
    const room = await consultationRoom(await startServer());
    const meeting = await liveMeeting(room);
    ok(await room.sockets.facilitator.emitWithAck('floor:give', { meetingId: meeting.id, to: room.memberIds.nhri }));
    ok(await room.sockets.facilitator.emitWithAck('meeting:end', { meetingId: meeting.id }));
    const before = (await minutesOf(room, meeting.id)).speeches[0]!.speaker;
    expect(before.former).toBeUndefined();
    const nhri = room.people.nhri;
    expect((await nhri.call('POST', '/auth/me/delete', { password: nhri.password })).status).toBe(204);
    expect((await minutesOf(room, meeting.id)).speeches[0]!.speaker).toEqual({ ...before, former: true });
  });

  it('close a turn left open by a stop when the server starts again and the floor has moved on; a turn still held goes on', async () => {
    const dataDir = await tempDir();
    const room = await consultationRoom(await startServer({ dataDir }));
    const ended = await liveMeeting(room);
    const held = await liveMeeting(room, { title: 'Still going' });
    ok(await room.sockets.facilitator.emitWithAck('floor:give', { meetingId: ended.id, to: room.memberIds.cso1 }));
    ok(await room.sockets.facilitator.emitWithAck('floor:give', { meetingId: held.id, to: room.memberIds.nhri }));
    Object.values(room.sockets).forEach((s) => s.close());
    await room.s.stop();
    // The meeting ends without the minutes hearing of it, as when a server stops between the two writes.
    const store = await openEmbeddedStore(dataDir);
    const meetings = store.collection<{ _id: string; seq: number }>('meetings');
    const seq = (await meetings.findOne({ _id: ended.id }))!.seq;
    const endedAt = new Date().toISOString();
    await meetings.updateOne({ _id: ended.id }, { $set: { status: 'ended', floor: null, currentItem: null, endedAt, updatedAt: endedAt, seq: seq + 1 } });

    const second = await startServer({ dataDir, store });
    const read = async (meetingId: string) =>
      (await (await fetch(`${second.url}/api/meetings/${meetingId}/minutes`, { headers: { cookie: room.people.facilitator.cookie } })).json()) as Minutes;
    const closed = (await read(ended.id)).speeches;
    expect(closed.map((s) => s.speaker.memberId)).toEqual([room.memberIds.cso1]);
    // Closed at the meeting's end: its length no longer grows.
    expect(Date.parse(closed[0]!.startedAt) + closed[0]!.seconds * 1000).toBeLessThanOrEqual(Date.parse(endedAt) + 1000);
    const going = (await read(held.id)).speeches;
    expect(going.map((s) => s.speaker.memberId)).toEqual([room.memberIds.nhri]);
    await pause(1100);
    expect((await read(ended.id)).speeches[0]!.seconds).toBe(closed[0]!.seconds);
    expect((await read(held.id)).speeches[0]!.seconds).toBeGreaterThan(going[0]!.seconds);
  });
  it('hold at most the limit of decisions per meeting', async () => {
    const room = await consultationRoom(await startServer());
    const meeting = await liveMeeting(room);
    // Filled straight in the store up to one below the limit, then the last ones through the API.
    const decisions = room.s.store.collection<{ _id: string }>('minutes_decisions');
    const notedAt = new Date().toISOString();
    await decisions.insertMany(
      Array.from({ length: minutesLimits.decisions - 1 }, (_, i) => ({ _id: `d-${i}`, meetingId: meeting.id, consultationId: room.consultation.id, agendaItem: null, text: `D${i}`, notedAt, notedBy: 'x', editedAt: null })),
    );
    ok(await room.sockets.facilitator.emitWithAck('minutes:decision', { meetingId: meeting.id, text: 'The last one' }));
    expect(await room.sockets.facilitator.emitWithAck('minutes:decision', { meetingId: meeting.id, text: 'One too many' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await minutesOf(room, meeting.id)).decisions).toHaveLength(minutesLimits.decisions);
  });
});
