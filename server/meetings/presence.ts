import type { Participant, Presence } from '../../shared/meetings.ts';
import { stakeholderGroups, type StakeholderGroup } from '../../shared/groups.ts';

interface Connection {
  meetingId: string;
  consultationId: string;
  userId: string;
  participant: Participant;
}

export interface MeetingKey {
  meetingId: string;
  consultationId: string;
}

/**
 * Who has each meeting open: one entry per connection (a member with two
 * tabs counts once). Presence is live state only — it is not stored, since
 * after a restart the clients reconnect and join again.
 */
export class MeetingPresence {
  readonly #connections = new Map<string, Connection[]>();

  /** Returns whether the meeting's presence changed. */
  join(connectionId: string, meeting: MeetingKey, userId: string, participant: Participant): boolean {
    const list = this.#connections.get(connectionId) ?? [];
    if (list.some((c) => c.meetingId === meeting.meetingId)) return false;
    const before = this.#memberIds(meeting.meetingId);
    this.#connections.set(connectionId, [...list, { ...meeting, userId, participant }]);
    return !before.has(participant.memberId);
  }

  /** Drops connections (of one meeting, or all of one connection); returns the meetings whose presence changed. */
  leave(connectionId: string, meetingId?: string): MeetingKey[] {
    return this.#drop((id, c) => id === connectionId && (meetingId === undefined || c.meetingId === meetingId));
  }

  /** Drops a person from every meeting of a consultation they were removed from. */
  dropUser(consultationId: string, userId: string): MeetingKey[] {
    return this.#drop((_id, c) => c.userId === userId && c.consultationId === consultationId);
  }

  clear(meetingId: string): void {
    this.#drop((_id, c) => c.meetingId === meetingId);
  }

  of(meetingId: string): Presence {
    const members = new Map<string, Participant>();
    for (const list of this.#connections.values())
      for (const c of list) if (c.meetingId === meetingId) members.set(c.participant.memberId, c.participant);
    const byGroup = Object.fromEntries(stakeholderGroups.map((g) => [g, 0])) as Record<StakeholderGroup, number>;
    for (const m of members.values()) byGroup[m.group]++;
    return { members: [...members.values()].sort((a, b) => a.alias - b.alias), byGroup };
  }

  #memberIds(meetingId: string): Set<string> {
    return new Set(this.of(meetingId).members.map((m) => m.memberId));
  }

  #drop(match: (connectionId: string, c: Connection) => boolean): MeetingKey[] {
    const touched = new Map<string, MeetingKey>();
    for (const [id, list] of this.#connections)
      for (const c of list) if (match(id, c)) touched.set(c.meetingId, { meetingId: c.meetingId, consultationId: c.consultationId });
    const before = new Map([...touched.keys()].map((m) => [m, this.#memberIds(m)]));
    for (const [id, list] of this.#connections) {
      const kept = list.filter((c) => !match(id, c));
      if (kept.length > 0) this.#connections.set(id, kept);
      else this.#connections.delete(id);
    }
    // Only meetings where a member actually went away (not just one of their tabs) changed.
    return [...touched.values()].filter((k) => this.#memberIds(k.meetingId).size !== before.get(k.meetingId)!.size);
  }
}
