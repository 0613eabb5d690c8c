import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types.ts';
import type { AgendaMoveInput, Meeting, ScheduleMeetingInput, UpdateMeetingInput } from '../../shared/meetings.ts';
import type { Page, PageQuery } from '../../shared/schemas.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import { paginate } from '../pagination.ts';
import type { DomainEventBus } from '../events.ts';
import type { Access } from '../members/access.ts';
import type { MembershipRecord } from '../members/members.repository.ts';
import { documentsCollection } from '../documents/documents.repository.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import type { PollsService } from '../polls/polls.service.ts';
import { meetingsCollection, type MeetingRecord } from './meetings.repository.ts';
import { expectStatus, type MeetingChanges } from './meeting.changes.ts';
import { participantOf } from './meeting.view.ts';
import type { MeetingKey } from './presence.ts';

/**
 * Facilitated meetings in a consultation: scheduling, the start and end, the
 * agenda, and who has the meeting open. The speaking queue, floor and timer
 * are in `speaking.service.ts`.
 */
export class MeetingsService {
  readonly #meetings;
  readonly #documents;

  constructor(
    store: Store,
    private readonly access: Access,
    private readonly events: DomainEventBus,
    private readonly changes: MeetingChanges,
    private readonly polls: PollsService,
    private readonly audit: AuditLog,
  ) {
    this.#meetings = meetingsCollection(store);
    this.#documents = documentsCollection(store);
  }

  async schedule(userId: string, consultationId: string, input: ScheduleMeetingInput): Promise<Meeting> {
    const { membership } = await this.access.authorize(userId, consultationId, 'meeting.manage');
    await this.#checkDocuments(consultationId, input.documentIds);
    const now = new Date().toISOString();
    const record: MeetingRecord = {
      _id: randomUUID(),
      consultationId,
      title: input.title,
      startsAt: input.startsAt,
      agenda: input.agenda,
      documentIds: [...new Set(input.documentIds)],
      status: 'scheduled',
      currentItem: null,
      queue: [],
      floor: null,
      lastSpeakerGroup: null,
      alternateGroups: input.alternateGroups,
      timer: null,
      seq: 1,
      createdBy: membership._id,
      startedAt: null,
      endedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.#meetings.insertOne(record);
    const meeting = this.changes.view(record);
    this.events.emit('meetingChanged', meeting);
    await this.#audit(membership, record, 'meeting.scheduled', { startsAt: record.startsAt });
    return meeting;
  }

  async update(userId: string, meetingId: string, input: UpdateMeetingInput): Promise<Meeting> {
    const { membership, meeting } = await this.changes.authorize(userId, meetingId, 'meeting.manage');
    if (input.documentIds) await this.#checkDocuments(meeting.consultationId, input.documentIds);
    const record = await this.changes.change(meetingId, (m) => {
      expectStatus(m, 'scheduled');
      if (input.title !== undefined) m.title = input.title;
      if (input.startsAt !== undefined) m.startsAt = input.startsAt;
      if (input.agenda !== undefined) m.agenda = input.agenda;
      if (input.documentIds !== undefined) m.documentIds = [...new Set(input.documentIds)];
    });
    const fields = Object.entries(input).filter(([, v]) => v !== undefined).map(([k]) => k);
    await this.#audit(membership, record, 'meeting.updated', { fields: fields.join(' ') });
    return this.changes.view(record);
  }

  async list(userId: string, consultationId: string, query: PageQuery): Promise<Page<Meeting>> {
    await this.access.authorize(userId, consultationId, 'meeting.view');
    return paginate(this.#meetings, { consultationId }, query, (r) => this.changes.view(r));
  }

  async get(userId: string, meetingId: string): Promise<Meeting> {
    return this.changes.view((await this.changes.authorize(userId, meetingId, 'meeting.view')).meeting);
  }

  /** Counts this connection as present until it leaves or disconnects. */
  async join(userId: string, meetingId: string, connectionId: string): Promise<Meeting> {
    const { membership, meeting } = await this.changes.authorize(userId, meetingId, 'meeting.attend');
    expectStatus(meeting, 'scheduled', 'live');
    const key = { meetingId, consultationId: meeting.consultationId };
    if (this.changes.presence.join(connectionId, key, userId, participantOf(membership))) this.#presenceChanged([key]);
    return this.changes.view(meeting);
  }

  leave(meetingId: string, connectionId: string): void {
    this.#presenceChanged(this.changes.presence.leave(connectionId, meetingId));
  }

  disconnected(connectionId: string): void {
    this.#presenceChanged(this.changes.presence.leave(connectionId));
  }

  /** Someone left the consultation: they are no longer present anywhere in it. */
  removed(consultationId: string, userId: string): void {
    this.#presenceChanged(this.changes.presence.dropUser(consultationId, userId));
  }

  async start(userId: string, meetingId: string): Promise<Meeting> {
    const { membership } = await this.changes.authorize(userId, meetingId, 'meeting.manage');
    const record = await this.changes.change(meetingId, (m, now) => {
      expectStatus(m, 'scheduled');
      m.status = 'live';
      m.startedAt = new Date(now).toISOString();
      m.currentItem = m.agenda.length > 0 ? 0 : null;
    });
    await this.#audit(membership, record, 'meeting.started');
    return this.changes.view(record);
  }

  async end(userId: string, meetingId: string): Promise<Meeting> {
    const { membership } = await this.changes.authorize(userId, meetingId, 'meeting.manage');
    const record = await this.#end(meetingId, membership);
    await this.#audit(membership, record, 'meeting.ended');
    return this.changes.view(record);
  }

  /** Once a plan is adopted nothing more happens in its meetings: end them all, closing their polls. */
  async endAllIn(consultationId: string, reason: string): Promise<void> {
    for (const m of await this.#meetings.find({ consultationId, status: { $in: ['scheduled', 'live'] } })) {
      try {
        await this.#audit(null, await this.#end(m._id, null, reason), 'meeting.ended', {}, reason);
      } catch (err) {
        if (!(err instanceof AppError && err.code === ErrorCode.conflict)) throw err; // ended by a facilitator meanwhile
      }
    }
  }

  async moveAgenda(userId: string, input: AgendaMoveInput): Promise<Meeting> {
    await this.changes.authorize(userId, input.meetingId, 'meeting.manage');
    const record = await this.changes.change(input.meetingId, (m) => {
      expectStatus(m, 'live');
      const last = m.agenda.length - 1;
      const from = m.currentItem ?? 0;
      const to = input.to === 'next' ? from + 1 : input.to === 'previous' ? from - 1 : input.to;
      if (typeof input.to === 'number' && input.to > last)
        throw new AppError(ErrorCode.validation, `The agenda has ${m.agenda.length} items`, { items: m.agenda.length });
      if (to < 0 || to > last) throw new AppError(ErrorCode.conflict, 'There is no agenda item there', { currentItem: m.currentItem });
      m.currentItem = to;
    });
    return this.changes.view(record);
  }

  /** `actor` is null when the server ends it (with a reason). */
  #end(meetingId: string, actor: MembershipRecord | null, reason = 'The meeting ended'): Promise<MeetingRecord> {
    return this.changes.change(meetingId, async (m, now) => {
      expectStatus(m, 'scheduled', 'live');
      // Closing the polls first deletes the secrets of anonymous ones.
      await this.polls.closeAllOf(meetingId, actor, reason);
      Object.assign(m, { status: 'ended', endedAt: new Date(now).toISOString(), currentItem: null, queue: [], floor: null, timer: null });
      // Nobody can be present in an ended meeting; the change announced next carries the empty presence.
      this.changes.presence.clear(meetingId);
    });
  }

  async #checkDocuments(consultationId: string, ids: string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const found = await this.#documents.countDocuments({ _id: { $in: unique }, consultationId });
    if (found !== unique.length) throw new AppError(ErrorCode.validation, 'Every linked document must belong to this consultation');
  }

  #presenceChanged(keys: MeetingKey[]): void {
    for (const k of keys) this.events.emit('presenceChanged', k.consultationId, k.meetingId, this.changes.presence.of(k.meetingId));
  }

  #audit(actor: MembershipRecord | null, m: MeetingRecord, action: 'meeting.scheduled' | 'meeting.updated' | 'meeting.started' | 'meeting.ended', details: Record<string, string> = {}, reason?: string) {
    return this.audit.record(m.consultationId, actor, action, { subject: { type: 'meeting', id: m._id, name: m.title }, details, reason });
  }
}
