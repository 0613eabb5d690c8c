import type { Ack } from '../../shared/events.ts';
import type { Member } from '../../shared/accounts.ts';
import type { Meeting, Presence } from '../../shared/meetings.ts';
import type { Poll } from '../../shared/polls.ts';
import type { ModerationItem } from '../../shared/moderation.ts';
import type { Thread } from '../../shared/comments.ts';
import type { Role } from '../../shared/permissions.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';
import { addMember, createDocument, type TestServer, type TestUser } from './server.ts';
import { connectSocket, type TestSocket } from './socket.ts';

/** The data of a successful acknowledgement; a refusal throws, naming its code. */
export function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`refused: ${ack.error.code} (${ack.error.message})`);
  return ack.data;
}

const newer = <T extends { id: string; seq: number }>(map: Map<string, T>, item: T) => {
  if ((map.get(item.id)?.seq ?? -1) < item.seq) map.set(item.id, item);
};

/** Everything one socket hears, keeping the newest copy (by `seq`) of each meeting, poll and thread. */
export function listen(socket: TestSocket) {
  const heard = {
    meetings: new Map<string, Meeting>(),
    polls: new Map<string, Poll>(),
    threads: new Map<string, Thread>(),
    presence: new Map<string, Presence>(),
    /** Every payload as it arrived, for checks over all of them. */
    raw: [] as { event: string; payload: unknown }[],
    moderation: [] as ModerationItem[],
  };
  socket.onAny((event: string, payload: unknown) => heard.raw.push({ event, payload }));
  socket.on('meeting:changed', (m) => newer(heard.meetings, m));
  socket.on('poll:changed', (p) => newer(heard.polls, p));
  socket.on('threads:changed', (threads) => threads.forEach((t) => newer(heard.threads, t)));
  socket.on('meeting:presence', ({ meetingId, presence }) => heard.presence.set(meetingId, presence));
  socket.on('moderation:changed', (item) => heard.moderation.push(item));
  return heard;
}

export type Heard = ReturnType<typeof listen>;

const cast = [
  ['facilitator', 'facilitator', 'other'],
  ['gov', 'drafter', 'government'],
  ['cso1', 'contributor', 'civil_society'],
  ['cso2', 'contributor', 'civil_society'],
  ['nhri', 'contributor', 'nhri'],
  ['observer', 'observer', 'international'],
] as const satisfies readonly (readonly [string, Role, StakeholderGroup])[];
export type Person = (typeof cast)[number][0];

/**
 * A consultation (open for comment, with one document) and a facilitator, a
 * government drafter, two civil-society contributors, an NHRI contributor and
 * an observer, each with a socket that follows the consultation.
 */
export async function consultationRoom(s: TestServer) {
  const { owner, consultation, document } = await createDocument(s.url);
  const people = { facilitator: owner } as Record<Person, TestUser>;
  for (const [name, role, group] of cast.slice(1)) people[name] = await addMember(s.url, owner, consultation.id, role, group);
  for (const phase of ['drafting', 'open_for_comment']) {
    const moved = await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase });
    if (moved.status !== 200) throw new Error(`could not move to ${phase}`);
  }
  const members = (await owner.call<Member[]>('GET', `/consultations/${consultation.id}/members`)).body;
  const memberIds = Object.fromEntries(cast.map(([name]) => [name, members.find((m) => m.userId === people[name].me.id)!.id])) as Record<Person, string>;
  const sockets = {} as Record<Person, TestSocket>;
  const heard = {} as Record<Person, Heard>;
  for (const [name] of cast) {
    sockets[name] = await connectSocket(s.url, people[name].cookie);
    heard[name] = listen(sockets[name]);
    ok(await sockets[name].emitWithAck('consultation:watch', consultation.id));
  }
  return { s, owner, consultation, document, people, memberIds, sockets, heard };
}

export type Room = Awaited<ReturnType<typeof consultationRoom>>;

export async function scheduleMeeting(room: Pick<Room, 'owner' | 'consultation'>, input: Record<string, unknown> = {}): Promise<Meeting> {
  const res = await room.owner.call<Meeting>('POST', `/consultations/${room.consultation.id}/meetings`, {
    title: 'Validation workshop',
    startsAt: new Date(Date.now() + 60_000).toISOString(),
    agenda: ['Opening', 'Chapter 1: civic space', 'Chapter 2: justice', 'Closing'],
    ...input,
  });
  if (res.status !== 201) throw new Error(`scheduling failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A scheduled and started meeting. */
export async function liveMeeting(room: Room, input: Record<string, unknown> = {}): Promise<Meeting> {
  const meeting = await scheduleMeeting(room, input);
  return ok(await room.sockets.facilitator.emitWithAck('meeting:start', { meetingId: meeting.id }));
}
