import type { Store } from '../store/types.ts';
import type { GiveFloorInput, Meeting } from '../../shared/meetings.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { Access } from '../members/access.ts';
import { membershipsCollection, type MembershipRecord } from '../members/members.repository.ts';
import type { ConsultationRecord } from '../consultations/consultations.repository.ts';
import { expectStatus, type MeetingChanges, type Mutation } from './meeting.changes.ts';
import { participantOf } from './meeting.view.ts';
import { lowerHand, moveInQueue, nextSpeaker, raiseHand } from './queue.ts';
import { pauseTimer, resetTimer, startTimer, timerForFloor } from './timer.ts';
import { meetingsCollection, type MeetingRecord } from './meetings.repository.ts';

/**
 * The speaking order of a live meeting: hands, the queue, the floor and the
 * speaking timer. Whoever gets the floor must be allowed to speak right
 * now — the same check as for raising a hand, so a mute or a role without a
 * voice stops them either way.
 */
export class SpeakingService {
  readonly #memberships;
  readonly #meetings;

  constructor(
    store: Store,
    private readonly access: Access,
    private readonly changes: MeetingChanges,
  ) {
    this.#memberships = membershipsCollection(store);
    this.#meetings = meetingsCollection(store);
  }

  async raiseHand(userId: string, meetingId: string): Promise<Meeting> {
    const { membership } = await this.changes.authorize(userId, meetingId, 'meeting.speak');
    return this.#live(meetingId, (m, now) => {
      if (m.floor?.memberId === membership._id) throw new AppError(ErrorCode.conflict, 'You have the floor already');
      m.queue = raiseHand(m.queue, { ...participantOf(membership), userId, raisedAt: new Date(now).toISOString() });
    });
  }

  /** Lowering your own hand needs no voice (a muted member may still leave the queue); someone else's is for facilitators. */
  async lowerHand(userId: string, meetingId: string, memberId?: string): Promise<Meeting> {
    const { membership } = await this.changes.authorize(userId, meetingId, 'meeting.attend');
    if (memberId && memberId !== membership._id) await this.changes.authorize(userId, meetingId, 'meeting.manage');
    return this.#live(meetingId, (m) => {
      m.queue = lowerHand(m.queue, memberId ?? membership._id);
    });
  }

  async giveFloor(userId: string, input: GiveFloorInput): Promise<Meeting> {
    const { consultation } = await this.changes.authorize(userId, input.meetingId, 'meeting.manage');
    return this.#live(input.meetingId, async (m, now) => {
      if (input.to === null) {
        if (m.floor) m.timer = timerForFloor(m.timer, false, now);
        m.floor = null;
        return;
      }
      const speaker = input.to === 'next' ? await this.#next(consultation, m) : await this.#named(consultation, input.to);
      m.queue = lowerHand(m.queue, speaker._id);
      // Giving the floor again to whoever holds it leaves their clock alone; anyone else starts with a full one.
      if (m.floor?.memberId !== speaker._id) m.timer = timerForFloor(m.timer, true, now);
      m.floor = { ...participantOf(speaker), userId: speaker.userId, since: new Date(now).toISOString() };
      m.lastSpeakerGroup = speaker.group;
    });
  }

  async moveInQueue(userId: string, meetingId: string, memberId: string, position: number): Promise<Meeting> {
    await this.changes.authorize(userId, meetingId, 'meeting.manage');
    return this.#live(meetingId, (m) => {
      m.queue = moveInQueue(m.queue, memberId, position) ?? notQueued();
    });
  }

  async setAlternation(userId: string, meetingId: string, enabled: boolean): Promise<Meeting> {
    await this.changes.authorize(userId, meetingId, 'meeting.manage');
    const record = await this.changes.change(meetingId, (m) => {
      expectStatus(m, 'scheduled', 'live');
      m.alternateGroups = enabled;
    });
    return this.changes.view(record);
  }

  async timer(userId: string, meetingId: string, command: { start: number | undefined } | 'pause' | 'reset'): Promise<Meeting> {
    await this.changes.authorize(userId, meetingId, 'meeting.manage');
    return this.#live(meetingId, (m, now) => {
      if (command === 'pause') m.timer = pauseTimer(m.timer, now);
      else if (command === 'reset') m.timer = resetTimer(m.timer);
      else if (command.start === undefined && !m.timer) throw new AppError(ErrorCode.conflict, 'Start the timer with a duration first');
      else m.timer = startTimer(m.timer, command.start, now);
    });
  }

  /** A muted member leaves every queue and gives up the floor in the consultation's live meetings. */
  silence(consultationId: string, memberId: string): Promise<void> {
    return this.#drop(consultationId, (e) => e.memberId === memberId);
  }

  /** Someone left the consultation: out of every queue and off the floor. */
  removed(consultationId: string, userId: string): Promise<void> {
    return this.#drop(consultationId, (e) => e.userId === userId);
  }

  async #drop(consultationId: string, match: (e: { memberId: string; userId: string }) => boolean): Promise<void> {
    for (const meeting of await this.#meetings.find({ consultationId, status: 'live' })) {
      if (!meeting.queue.some(match) && !(meeting.floor && match(meeting.floor))) continue;
      await this.changes.change(meeting._id, (m, now) => {
        m.queue = m.queue.filter((q) => !match(q));
        if (m.floor && match(m.floor)) {
          m.floor = null;
          m.timer = timerForFloor(m.timer, false, now);
        }
      });
    }
  }

  async #live(meetingId: string, mutate: Mutation): Promise<Meeting> {
    const record = await this.changes.change(meetingId, async (m, now) => {
      expectStatus(m, 'live');
      await mutate(m, now);
    });
    return this.changes.view(record);
  }

  /** The next speaker among those queued who may speak now; anyone who no longer may leaves the queue. */
  async #next(consultation: ConsultationRecord, m: MeetingRecord): Promise<MembershipRecord> {
    const members = await this.#memberships.find({ consultationId: consultation._id, _id: { $in: m.queue.map((q) => q.memberId) } });
    const byId = new Map(members.map((x) => [x._id, x]));
    m.queue = m.queue.filter((q) => {
      const member = byId.get(q.memberId);
      return !!member && this.#maySpeak(consultation, member);
    });
    const next = nextSpeaker(m.queue, m.alternateGroups, m.lastSpeakerGroup);
    if (!next) throw new AppError(ErrorCode.conflict, 'Nobody is waiting to speak');
    return byId.get(next.memberId)!;
  }

  async #named(consultation: ConsultationRecord, memberId: string): Promise<MembershipRecord> {
    const member = await this.#memberships.findOne({ _id: memberId, consultationId: consultation._id });
    if (!member) throw AppError.notFound('Member');
    this.access.check(consultation, member, 'meeting.speak');
    return member;
  }

  #maySpeak(consultation: ConsultationRecord, member: MembershipRecord): boolean {
    try {
      this.access.check(consultation, member, 'meeting.speak');
      return true;
    } catch {
      return false;
    }
  }
}

const notQueued = (): never => {
  throw AppError.notFound('Queued member');
};
