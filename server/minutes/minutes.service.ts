import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types.ts';
import {
  minutesLimits,
  type AddDecisionInput,
  type CorrectSpeechInput,
  type EditDecisionInput,
  type EditNotesInput,
  type Minutes,
} from '../../shared/minutes.ts';
import type { Action } from '../../shared/permissions.ts';
import type { AuditAction } from '../../shared/audit.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import { KeyedLock } from '../lock.ts';
import type { DomainEventBus } from '../events.ts';
import type { Access, Granted } from '../members/access.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { membershipsCollection, type MembershipRecord } from '../members/members.repository.ts';
import { publicFace } from '../members/identity.ts';
import { meetingsCollection, type MeetingRecord } from '../meetings/meetings.repository.ts';
import { ballotsCollection, pollsCollection } from '../polls/polls.repository.ts';
import { pollToWire } from '../polls/polls.view.ts';
import { authorizeMeeting } from '../meetings/meeting-access.ts';
import type { MinutesSource } from './minutes.source.ts';
import { decisionsCollection, minutesCollection, pollItemsCollection, speechesCollection, type SpeechRecord } from './minutes.repository.ts';

/** Seconds between two times, never negative (clocks of two servers may disagree a little). */
export const secondsBetween = (from: string, to: number): number => Math.max(0, Math.round((to - Date.parse(from)) / 1000));

/**
 * The minutes of meetings: turns at the floor, polls under their agenda
 * items and decisions, recorded live (`minutes.recorder.ts`), and the
 * facilitators' corrections and notes afterwards. Speakers are read from
 * their memberships at every read: aliases and groups, never names.
 *
 * Every change goes through `#write`: under the meeting's minutes lock, the
 * change, the next sequence number, and the minutes announced as
 * `minutesChanged` — the same minutes for every member.
 */
export class MeetingMinutes implements MinutesSource {
  readonly #meetings;
  readonly #memberships;
  readonly #speeches;
  readonly #decisions;
  readonly #pollItems;
  readonly #minutes;
  readonly #polls;
  readonly #ballots;
  readonly #lock = new KeyedLock();

  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly events: DomainEventBus,
    private readonly audit: AuditLog,
  ) {
    this.#meetings = meetingsCollection(store);
    this.#memberships = membershipsCollection(store);
    this.#speeches = speechesCollection(store);
    this.#decisions = decisionsCollection(store);
    this.#pollItems = pollItemsCollection(store);
    this.#minutes = minutesCollection(store);
    this.#polls = pollsCollection(store);
    this.#ballots = ballotsCollection(store);
  }

  // ---- MinutesSource: callers check access first. Minutes show no names, so every member sees the same.

  async ofConsultation(consultationId: string): Promise<Minutes[]> {
    const meetings = await this.#meetings.find({ consultationId }, { sort: { startsAt: 1, createdAt: 1 } });
    return Promise.all(meetings.map((m) => this.#of(m)));
  }

  async ofMeeting(meetingId: string): Promise<Minutes | null> {
    const meeting = await this.#meetings.findOne({ _id: meetingId });
    return meeting && this.#of(meeting);
  }

  // ---- For members.

  async get(userId: string, meetingId: string): Promise<Minutes> {
    return this.#of((await this.#authorize(userId, meetingId, 'minutes.view')).meeting);
  }

  async addDecision(userId: string, meetingId: string, input: AddDecisionInput): Promise<Minutes> {
    const { membership, meeting } = await this.#authorize(userId, meetingId, 'minutes.edit');
    const agendaItem = input.agendaItem === undefined ? (meeting.status === 'live' ? meeting.currentItem : null) : checkItem(meeting, input.agendaItem);
    const id = randomUUID();
    const minutes = await this.#write(meeting, async () => {
      if ((await this.#decisions.countDocuments({ meetingId })) >= minutesLimits.decisions)
        throw new AppError(ErrorCode.conflict, `A meeting's minutes hold at most ${minutesLimits.decisions} decisions`, { limit: minutesLimits.decisions });
      const notedAt = new Date().toISOString();
      await this.#decisions.insertOne({ _id: id, meetingId, consultationId: meeting.consultationId, agendaItem, text: input.text, notedAt, notedBy: membership._id, editedAt: null });
    }, meeting.status !== 'live');
    await this.#audit(membership, meeting, 'minutes.decision_noted', { decisionId: id, agendaItem });
    return minutes;
  }

  async editDecision(userId: string, meetingId: string, decisionId: string, input: EditDecisionInput): Promise<Minutes> {
    const { membership, meeting } = await this.#authorize(userId, meetingId, 'minutes.edit');
    const set: Record<string, unknown> = { editedAt: new Date().toISOString() };
    if (input.text !== undefined) set.text = input.text;
    if (input.agendaItem !== undefined) set.agendaItem = checkItem(meeting, input.agendaItem);
    const minutes = await this.#write(meeting, async () => {
      const { matchedCount } = await this.#decisions.updateOne({ _id: decisionId, meetingId }, { $set: set });
      if (matchedCount === 0) throw AppError.notFound('Decision');
    }, true);
    await this.#audit(membership, meeting, 'minutes.decision_edited', { decisionId, fields: Object.keys(input).join(' ') });
    return minutes;
  }

  async removeDecision(userId: string, meetingId: string, decisionId: string): Promise<Minutes> {
    const { membership, meeting } = await this.#authorize(userId, meetingId, 'minutes.edit');
    const minutes = await this.#write(meeting, async () => {
      if ((await this.#decisions.deleteOne({ _id: decisionId, meetingId })) === 0) throw AppError.notFound('Decision');
    }, true);
    await this.#audit(membership, meeting, 'minutes.decision_removed', { decisionId });
    return minutes;
  }

  async editNotes(userId: string, meetingId: string, input: EditNotesInput): Promise<Minutes> {
    const { membership, meeting } = await this.#authorize(userId, meetingId, 'minutes.edit');
    if (input.items && input.items.length !== meeting.agenda.length)
      throw new AppError(ErrorCode.validation, `Give one note per agenda item (${meeting.agenda.length})`, { items: meeting.agenda.length });
    const set: Record<string, unknown> = {};
    if (input.general !== undefined) set.general = input.general;
    if (input.items !== undefined) set.items = input.items;
    const minutes = await this.#write(meeting, () => this.#minutes.updateOne({ _id: meetingId }, { $set: set }, { upsert: true }).then(() => undefined), true);
    await this.#audit(membership, meeting, 'minutes.notes_edited', { fields: Object.keys(input).join(' ') });
    return minutes;
  }

  async correctSpeech(userId: string, meetingId: string, speechId: string, input: CorrectSpeechInput): Promise<Minutes> {
    const { membership, meeting } = await this.#authorize(userId, meetingId, 'minutes.edit');
    const agendaItem = checkItem(meeting, input.agendaItem);
    const minutes = await this.#write(meeting, async () => {
      const { matchedCount } = await this.#speeches.updateOne({ _id: speechId, meetingId }, { $set: { agendaItem } });
      if (matchedCount === 0) throw AppError.notFound('Speech');
    }, true);
    await this.#audit(membership, meeting, 'minutes.speech_corrected', { speechId, agendaItem });
    return minutes;
  }

  // ---- For the recorder and reactions.

  /** Runs `change` (under the minutes' lock), then announces the minutes with the next sequence number. */
  async #write(meeting: Pick<MeetingRecord, '_id' | 'consultationId'>, change: () => Promise<void>, edited = false): Promise<Minutes> {
    return this.#lock.run(meeting._id, async () => {
      await change();
      // `edited`: a facilitator changed what was recorded (anything but noting a decision during the session).
      const set = { consultationId: meeting.consultationId, ...(edited ? { editedAt: new Date().toISOString() } : {}) };
      await this.#minutes.updateOne({ _id: meeting._id }, { $set: set, $inc: { seq: 1 } }, { upsert: true });
      // Read again under the lock: the caller's copy may predate a start or an end announced meanwhile with a lower seq.
      const fresh = await this.#meetings.findOne({ _id: meeting._id });
      if (!fresh) throw AppError.notFound('Meeting');
      const minutes = await this.#of(fresh);
      this.events.emit('minutesChanged', minutes);
      return minutes;
    });
  }

  /** Something the minutes show changed elsewhere (a turn, a poll, the meeting's status): announce them again. */
  changed(meeting: Pick<MeetingRecord, '_id' | 'consultationId'>, change: () => Promise<void> = async () => undefined): Promise<Minutes> {
    return this.#write(meeting, change);
  }

  #authorize(userId: string, meetingId: string, action: Action): Promise<Granted & { meeting: MeetingRecord }> {
    return authorizeMeeting(this.store, this.access, userId, meetingId, action);
  }


  #audit(actor: MembershipRecord, meeting: MeetingRecord, action: AuditAction, details: Record<string, string | number | null>) {
    return this.audit.record(meeting.consultationId, actor, action, { subject: { type: 'meeting', id: meeting._id, name: meeting.title }, details });
  }

  async #of(meeting: MeetingRecord): Promise<Minutes> {
    const meetingId = meeting._id;
    const [record, speeches, decisions, polls, pollItems] = await Promise.all([
      this.#minutes.findOne({ _id: meetingId }),
      this.#speeches.find({ meetingId }, { sort: { startedAt: 1 } }),
      this.#decisions.find({ meetingId }, { sort: { notedAt: 1 } }),
      this.#polls.find({ meetingId }, { sort: { createdAt: 1 } }),
      this.#pollItems.find({ meetingId }),
    ]);
    const itemOf = new Map(pollItems.map((p) => [p._id, p.agendaItem]));
    const minutesPolls = await Promise.all(
      polls.map(async (poll) => {
        const ballots = await this.#ballots.find({ pollId: poll._id });
        // Minutes are for everyone in the room: only what the poll publishes to all, never who voted what.
        const wire = pollToWire(poll, ballots, { role: 'observer', phase: 'closed', voted: false });
        return { pollId: poll._id, agendaItem: itemOf.get(poll._id) ?? null, question: poll.question, options: poll.options, status: poll.status, results: wire.results };
      }),
    );
    const now = Date.now();
    const speakers = await this.#speakers(speeches);
    return {
      meetingId,
      consultationId: meeting.consultationId,
      title: meeting.title,
      startsAt: meeting.startsAt,
      startedAt: meeting.startedAt,
      endedAt: meeting.endedAt,
      agenda: meeting.agenda,
      speeches: speeches.map((s) => ({
        id: s._id,
        speaker: speakers.get(s.memberId) ?? s.face,
        agendaItem: s.agendaItem,
        startedAt: s.startedAt,
        // A turn still going on has lasted until now.
        seconds: s.endedAt === null ? secondsBetween(s.startedAt, now) : s.seconds,
      })),
      decisions: decisions.map((d) => ({ id: d._id, agendaItem: d.agendaItem, text: d.text, notedAt: d.notedAt })),
      polls: minutesPolls,
      notes: { general: record?.general ?? '', items: meeting.agenda.map((_, i) => record?.items?.[i] ?? '') },
      editedAt: record?.editedAt ?? null,
      seq: record?.seq ?? 0,
    };
  }

  /** Speakers as their memberships say now: a changed group or alias shows through. */
  async #speakers(speeches: SpeechRecord[]) {
    const ids = [...new Set(speeches.map((s) => s.memberId))];
    if (ids.length === 0) return new Map<string, Minutes['speeches'][number]['speaker']>();
    const members = await this.#memberships.find({ _id: { $in: ids } });
    return new Map(members.map((m) => [m._id, publicFace(m)]));
  }
}

/** An agenda item of this meeting, or null. */
function checkItem(meeting: MeetingRecord, item: number | null): number | null {
  if (item !== null && item >= meeting.agenda.length)
    throw new AppError(ErrorCode.validation, `The agenda has ${meeting.agenda.length} items`, { items: meeting.agenda.length });
  return item;
}
