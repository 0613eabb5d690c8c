import type { Meeting, Participant, Presence } from '../../shared/meetings.ts';
import type { MembershipRecord } from '../members/members.repository.ts';
import { publicFace } from '../members/identity.ts';
import type { MeetingRecord } from './meetings.repository.ts';
import { timerToWire } from './timer.ts';

/** Participants (queue, floor, presence) carry only the public face; names come from the member list, under `identityVisible`. */
export const participantOf = (m: MembershipRecord): Participant => publicFace(m);

const withoutUser = <T extends { userId: string }>({ userId: _userId, ...rest }: T): Omit<T, 'userId'> => rest;

/** A meeting as it goes on the wire: the same for every member, with presence and the timer as of now. */
export function meetingToWire(r: MeetingRecord, presence: Presence, now = Date.now()): Meeting {
  return {
    id: r._id,
    consultationId: r.consultationId,
    title: r.title,
    startsAt: r.startsAt,
    agenda: r.agenda,
    documentIds: r.documentIds,
    status: r.status,
    currentItem: r.currentItem,
    queue: r.queue.map(withoutUser),
    floor: r.floor && withoutUser(r.floor),
    alternateGroups: r.alternateGroups,
    timer: timerToWire(r.timer, now),
    presence,
    seq: r.seq,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
