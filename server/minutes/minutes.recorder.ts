import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types.ts';
import type { Logger } from '../logger.ts';
import { publicFace } from '../members/identity.ts';
import type { MeetingBefore, MeetingRecorder } from '../meetings/meeting.changes.ts';
import { meetingsCollection, type FloorRecord, type MeetingRecord } from '../meetings/meetings.repository.ts';
import { pollItemsCollection, speechesCollection } from './minutes.repository.ts';
import { secondsBetween, type MeetingMinutes } from './minutes.service.ts';

/**
 * Writes the minutes as a meeting runs: a turn opens when someone is given
 * the floor (under the agenda item current then) and closes when the floor
 * moves to someone else, is taken back, or the meeting ends. Giving the
 * floor again to whoever holds it continues their turn. Polls are filed
 * under the item current when they open.
 */
export class MinutesRecorder implements MeetingRecorder {
  readonly #speeches;
  readonly #pollItems;
  readonly #meetings;

  constructor(
    store: Store,
    private readonly minutes: MeetingMinutes,
    private readonly logger: Logger,
  ) {
    this.#speeches = speechesCollection(store);
    this.#pollItems = pollItemsCollection(store);
    this.#meetings = meetingsCollection(store);
  }

  async changed(before: MeetingBefore, after: MeetingRecord, now: number): Promise<void> {
    const was = before.status === 'live' ? before.floor : null;
    const is = after.status === 'live' ? after.floor : null;
    const turnMoved = was?.memberId !== is?.memberId;
    const shown = before.status !== after.status || before.title !== after.title || before.agenda !== after.agenda;
    if (!turnMoved && !shown) return;
    await this.#guard(after, async () => {
      if (!turnMoved) return;
      await this.#closeTurns(after._id, now);
      if (is) await this.#openTurn(after, is);
    });
  }

  async pollOpened(meeting: MeetingRecord, pollId: string): Promise<void> {
    await this.#guard(meeting, () => this.#pollItems.updateOne({ _id: pollId }, { $set: { meetingId: meeting._id, agendaItem: meeting.currentItem } }, { upsert: true }).then(() => undefined));
  }

  /**
   * At start-up: a turn left open by a crash or a stop closes at the best
   * time known (the end of the meeting, the next speaker's start, or the
   * meeting's last change), and a floor held without an open turn gets one.
   * A turn whose speaker still has the floor simply goes on.
   */
  async reconcile(): Promise<void> {
    for (const turn of await this.#speeches.find({ endedAt: null })) {
      const meeting = await this.#meetings.findOne({ _id: turn.meetingId });
      const floor = meeting?.status === 'live' ? meeting.floor : null;
      if (meeting && floor?.memberId === turn.memberId) continue;
      const end = Date.parse(meeting?.endedAt ?? floor?.since ?? meeting?.updatedAt ?? turn.startedAt);
      await this.#speeches.updateOne({ _id: turn._id }, { $set: { endedAt: new Date(end).toISOString(), seconds: secondsBetween(turn.startedAt, end) } });
      if (meeting) await this.minutes.changed(meeting);
    }
    for (const meeting of await this.#meetings.find({ status: 'live' })) {
      if (!meeting.floor || (await this.#speeches.countDocuments({ meetingId: meeting._id, endedAt: null })) > 0) continue;
      const floor = meeting.floor;
      await this.minutes.changed(meeting, () => this.#openTurn(meeting, floor));
    }
  }

  async #closeTurns(meetingId: string, now: number): Promise<void> {
    for (const turn of await this.#speeches.find({ meetingId, endedAt: null }))
      await this.#speeches.updateOne({ _id: turn._id }, { $set: { endedAt: new Date(now).toISOString(), seconds: secondsBetween(turn.startedAt, now) } });
  }

  #openTurn(meeting: MeetingRecord, floor: FloorRecord): Promise<void> {
    return this.#speeches.insertOne({
      _id: randomUUID(),
      meetingId: meeting._id,
      consultationId: meeting.consultationId,
      memberId: floor.memberId,
      face: publicFace({ _id: floor.memberId, alias: floor.alias, group: floor.group, role: floor.role }),
      agendaItem: meeting.currentItem,
      startedAt: floor.since,
      endedAt: null,
      seconds: 0,
    });
  }

  /** The meeting's change stands whatever happens here; a failed write is logged (and start-up repairs open turns). */
  async #guard(meeting: MeetingRecord, change: () => Promise<void>): Promise<void> {
    try {
      await this.minutes.changed(meeting, change);
    } catch (err) {
      this.logger.error({ err, meetingId: meeting._id }, 'recording the minutes failed');
    }
  }
}
