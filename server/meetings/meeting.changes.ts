import type { Store } from '../store/types.ts';
import type { Meeting } from '../../shared/meetings.ts';
import type { Action } from '../../shared/permissions.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import { KeyedLock } from '../lock.ts';
import type { DomainEventBus } from '../events.ts';
import type { Access, Granted } from '../members/access.ts';
import { authorizeMeeting } from './meeting-access.ts';
import { meetingsCollection, type MeetingRecord } from './meetings.repository.ts';
import { meetingToWire } from './meeting.view.ts';
import type { MeetingPresence } from './presence.ts';

export type Mutation = (meeting: MeetingRecord, now: number) => void | Promise<void>;

/** What a change may have moved that the minutes follow; the rest of the record is `after`. */
export type MeetingBefore = Pick<MeetingRecord, 'status' | 'floor' | 'currentItem' | 'title' | 'agenda'>;

/**
 * What keeps a record of meetings beside their own (the minutes), told of
 * each change and each poll opened while the meeting's lock is held, so it
 * sees them in order and with the agenda item of that moment. It handles its
 * own failures: a change to the meeting is never undone for it.
 */
export interface MeetingRecorder {
  changed(before: MeetingBefore, after: MeetingRecord, now: number): Promise<void>;
  pollOpened(meeting: MeetingRecord, pollId: string): Promise<void>;
}

/**
 * The one way a meeting changes, shared by the meeting and speaking
 * services: under the meeting's lock, read fresh, change, store with the next
 * sequence number, announce. A mutation that throws stores nothing.
 */
export class MeetingChanges {
  readonly #meetings;
  readonly #lock = new KeyedLock();
  recorder: MeetingRecorder | null = null;

  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly events: DomainEventBus,
    readonly presence: MeetingPresence,
  ) {
    this.#meetings = meetingsCollection(store);
  }

  /** The meeting, for someone allowed `action` in its consultation; to anyone else it does not exist. */
  authorize(userId: string, meetingId: string, action: Action): Promise<Granted & { meeting: MeetingRecord }> {
    return authorizeMeeting(this.store, this.access, userId, meetingId, action);
  }


  /** Runs `fn` while nothing else changes the meeting (e.g. opening a poll only while it is live). */
  exclusive<T>(meetingId: string, fn: () => Promise<T>): Promise<T> {
    return this.#lock.run(meetingId, fn);
  }

  change(meetingId: string, mutate: Mutation): Promise<MeetingRecord> {
    return this.#lock.run(meetingId, async () => {
      const meeting = await this.#meetings.findOne({ _id: meetingId });
      if (!meeting) throw AppError.notFound('Meeting');
      const now = Date.now();
      const seq = meeting.seq;
      const { status, floor, currentItem, title, agenda } = meeting;
      await mutate(meeting, now);
      meeting.seq = seq + 1;
      meeting.updatedAt = new Date(now).toISOString();
      const { _id, ...fields } = meeting;
      // Conditional on the version read, so a second server writing the same meeting cannot be overwritten silently.
      const { matchedCount } = await this.#meetings.updateOne({ _id, seq }, { $set: fields });
      if (matchedCount === 0) throw new AppError(ErrorCode.conflict, 'The meeting changed meanwhile; try again');
      this.events.emit('meetingChanged', this.view(meeting));
      await this.recorder?.changed({ status, floor, currentItem, title, agenda }, meeting, now);
      return meeting;
    });
  }

  view(meeting: MeetingRecord): Meeting {
    return meetingToWire(meeting, this.presence.of(meeting._id));
  }
}

/** Throws unless the meeting is in one of the given states. */
export function expectStatus(meeting: MeetingRecord, ...allowed: MeetingRecord['status'][]): void {
  if (!allowed.includes(meeting.status)) {
    const what = { scheduled: 'has not started yet', live: 'is live', ended: 'has ended' }[meeting.status];
    throw new AppError(ErrorCode.conflict, `The meeting ${what}`, { status: meeting.status });
  }
}
