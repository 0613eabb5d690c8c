import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Store } from '../store/types.ts';
import type { OpenPollInput, Poll, VoteInput } from '../../shared/polls.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import { KeyedLock } from '../lock.ts';
import type { DomainEventBus } from '../events.ts';
import type { Access, Granted } from '../members/access.ts';
import { membershipsCollection, type MembershipRecord } from '../members/members.repository.ts';
import { consultationsCollection, type ConsultationRecord } from '../consultations/consultations.repository.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { expectStatus, type MeetingChanges } from '../meetings/meeting.changes.ts';
import { meetingsCollection } from '../meetings/meetings.repository.ts';
import { ballotsCollection, pollSecretsCollection, pollsCollection, type BallotRecord, type PollChange, type PollRecord } from './polls.repository.ts';
import { pollToWire } from './polls.view.ts';
import { publicFace } from '../members/identity.ts';

/**
 * How an anonymous ballot is filed: under an HMAC of the member id with the
 * poll's own random secret. While the poll is open the secret is needed so a
 * voter can find and change their own ballot; when it closes the secret is
 * deleted and the ballots can no longer be tied to anyone.
 *
 * Residual risk while a poll is open: whoever holds both the database and
 * the secret (an operator, a backup or a stolen copy taken during the poll)
 * can compute the HMAC for every member and read their votes. The embedded
 * store also keeps a deleted secret in its append-only file until its next
 * compaction (within minutes, and at every clean shutdown), and MongoDB
 * backups or oplogs taken while the poll was open keep it too. Results by
 * group reveal the vote of anyone who is alone in their group, and live
 * results (for those who may see them before the close) let someone watching
 * the count change guess at who just voted.
 * No API returns ballots, keys or the secret, to anyone.
 */
export const ballotKey = (secret: string, memberId: string) => createHmac('sha256', secret).update(memberId).digest('base64url');

export class PollsService {
  readonly #polls;
  readonly #ballots;
  readonly #secrets;
  readonly #meetings;
  readonly #consultations;
  readonly #memberships;
  readonly #lock = new KeyedLock();

  constructor(
    store: Store,
    private readonly access: Access,
    private readonly events: DomainEventBus,
    private readonly meetings: MeetingChanges,
    private readonly audit: AuditLog,
  ) {
    this.#polls = pollsCollection(store);
    this.#ballots = ballotsCollection(store);
    this.#secrets = pollSecretsCollection(store);
    this.#meetings = meetingsCollection(store);
    this.#consultations = consultationsCollection(store);
    this.#memberships = membershipsCollection(store);
  }

  /**
   * A poll change as each of these people may see it (keyed by user id):
   * with or without results and named votes. People who are no longer
   * members get nothing.
   */
  async viewsFor(change: PollChange, userIds: string[]): Promise<Map<string, Poll>> {
    const { poll, ballots, secret } = change;
    const [consultation, members] = await Promise.all([
      this.#consultations.findOne({ _id: poll.consultationId }),
      this.#memberships.find({ consultationId: poll.consultationId, userId: { $in: userIds } }),
    ]);
    if (!consultation) return new Map();
    const cast = new Set(ballots.map((b) => b._id));
    const voted = (memberId: string) => {
      const key = !poll.anonymous ? memberId : secret ? ballotKey(secret, memberId) : null;
      return key !== null && cast.has(`${poll._id}:${key}`);
    };
    return new Map(members.map((m) => [m.userId, pollToWire(poll, ballots, { role: m.role, phase: consultation.phase, voted: voted(m._id) })]));
  }

  /** A crash between closing an anonymous poll and deleting its secret leaves the secret behind: finish the job at start-up. */
  async sweepSecrets(): Promise<void> {
    for (const { _id } of await this.#secrets.find({})) {
      const poll = await this.#polls.findOne({ _id });
      if (!poll || poll.status === 'closed') await this.#secrets.deleteOne({ _id });
    }
  }

  async open(userId: string, input: OpenPollInput): Promise<Poll> {
    const { membership, consultation } = await this.meetings.authorize(userId, input.meetingId, 'poll.manage');
    // Under the meeting's lock, so a poll cannot open in a meeting that is ending at the same moment.
    const poll = await this.meetings.exclusive(input.meetingId, async () => {
      const meeting = await this.#meetings.findOne({ _id: input.meetingId });
      if (!meeting) throw AppError.notFound('Meeting');
      expectStatus(meeting, 'live');
      const record: PollRecord = {
        _id: randomUUID(),
        consultationId: meeting.consultationId,
        meetingId: meeting._id,
        question: input.question,
        options: input.options,
        anonymous: input.anonymous,
        resultsVisibility: input.resultsVisibility,
        status: 'open',
        seq: 1,
        createdBy: membership._id,
        createdAt: new Date().toISOString(),
        closedAt: null,
      };
      const secret = record.anonymous ? randomBytes(32).toString('base64url') : null;
      if (secret) await this.#secrets.insertOne({ _id: record._id, secret });
      await this.#polls.insertOne(record);
      // The minutes file the poll under the agenda item current now, while the agenda cannot move.
      await this.meetings.recorder?.pollOpened(meeting, record._id);
      return { record, secret };
    });
    this.events.emit('pollChanged', { poll: poll.record, ballots: [], secret: poll.secret });
    await this.audit.record(poll.record.consultationId, membership, 'poll.opened', {
      subject: { type: 'poll', id: poll.record._id, name: poll.record.question },
      details: { meetingId: poll.record.meetingId, anonymous: poll.record.anonymous, resultsVisibility: input.resultsVisibility, options: poll.record.options.length },
    });
    return this.#view(poll.record, [], consultation, membership, null);
  }

  async vote(userId: string, input: VoteInput): Promise<Poll> {
    const { membership, consultation } = await this.#authorize(userId, input.pollId, 'poll.vote');
    return this.#lock.run(input.pollId, async () => {
      const poll = await this.#find(input.pollId);
      if (poll.status !== 'open') throw new AppError(ErrorCode.conflict, 'The poll is closed');
      if (input.option >= poll.options.length) throw new AppError(ErrorCode.validation, `The poll has ${poll.options.length} options`);
      const secret = poll.anonymous ? await this.#secret(poll._id) : null;
      const key = secret ? ballotKey(secret, membership._id) : membership._id;
      const { memberId, alias, role } = publicFace(membership);
      const voter = poll.anonymous ? {} : { voter: { memberId, alias, role } };
      await this.#ballots.updateOne(
        { _id: `${poll._id}:${key}` },
        { $set: { pollId: poll._id, option: input.option, group: membership.group, ...voter } },
        { upsert: true },
      );
      const updated = (await this.#polls.findOneAndUpdate({ _id: poll._id }, { $inc: { seq: 1 } }))!;
      const ballots = await this.#ballots.find({ pollId: poll._id });
      this.events.emit('pollChanged', { poll: updated, ballots, secret });
      return this.#view(updated, ballots, consultation, membership, input.option);
    });
  }

  async close(userId: string, pollId: string): Promise<Poll> {
    const { membership, consultation } = await this.#authorize(userId, pollId, 'poll.manage');
    const { poll, ballots } = await this.#close(pollId);
    await this.audit.record(poll.consultationId, membership, 'poll.closed', { subject: { type: 'poll', id: poll._id, name: poll.question } });
    return this.#view(poll, ballots, consultation, membership, await this.#yours(poll, membership._id));
  }

  /** Closes the open polls of a meeting that is ending (by a facilitator, or by the server when `actor` is null). */
  async closeAllOf(meetingId: string, actor: MembershipRecord | null, reason: string): Promise<void> {
    for (const p of await this.#polls.find({ meetingId, status: 'open' })) {
      const poll = await this.#close(p._id).catch((err: unknown) => {
        if (err instanceof AppError && err.code === ErrorCode.conflict) return null; // closed by a facilitator meanwhile
        throw err;
      });
      if (poll) await this.audit.record(poll.poll.consultationId, actor, 'poll.closed', { subject: { type: 'poll', id: poll.poll._id, name: poll.poll.question }, reason });
    }
  }

  async list(userId: string, meetingId: string): Promise<Poll[]> {
    const { membership, consultation } = await this.meetings.authorize(userId, meetingId, 'meeting.view');
    const polls = await this.#polls.find({ meetingId }, { sort: { createdAt: -1 } });
    return Promise.all(
      polls.map(async (p) => this.#view(p, await this.#ballots.find({ pollId: p._id }), consultation, membership, await this.#yours(p, membership._id))),
    );
  }

  async get(userId: string, pollId: string): Promise<Poll> {
    const { membership, consultation } = await this.#authorize(userId, pollId, 'meeting.view');
    const poll = await this.#find(pollId);
    return this.#view(poll, await this.#ballots.find({ pollId }), consultation, membership, await this.#yours(poll, membership._id));
  }

  /**
   * The poll as this member may see it, with their own vote. Having a vote on
   * record is what shows `afterVote` results; in an anonymous poll that has
   * closed it is unknowable, but by then the results are everyone's anyway.
   */
  #view(poll: PollRecord, ballots: BallotRecord[], consultation: ConsultationRecord, member: MembershipRecord, yours: number | null): Poll {
    return pollToWire(poll, ballots, { role: member.role, phase: consultation.phase, voted: yours !== null, yours });
  }

  #close(pollId: string): Promise<{ poll: PollRecord; ballots: BallotRecord[] }> {
    return this.#lock.run(pollId, async () => {
      const closed = await this.#polls.findOneAndUpdate(
        { _id: pollId, status: 'open' },
        { $set: { status: 'closed', closedAt: new Date().toISOString() }, $inc: { seq: 1 } },
      );
      if (!closed) throw new AppError(ErrorCode.conflict, 'The poll is closed already');
      // From here on no one can tell whose ballot is whose (see `ballotKey`).
      await this.#secrets.deleteOne({ _id: pollId });
      const ballots = await this.#ballots.find({ pollId });
      this.events.emit('pollChanged', { poll: closed, ballots, secret: null });
      return { poll: closed, ballots };
    });
  }

  /** The member's own vote: unknowable in an anonymous poll once it has closed. */
  async #yours(poll: Pick<PollRecord, '_id' | 'anonymous' | 'status'>, memberId: string): Promise<number | null> {
    let key = memberId;
    if (poll.anonymous) {
      const secret = poll.status === 'open' ? await this.#secrets.findOne({ _id: poll._id }) : null;
      if (!secret) return null;
      key = ballotKey(secret.secret, memberId);
    }
    return (await this.#ballots.findOne({ _id: `${poll._id}:${key}` }))?.option ?? null;
  }

  async #secret(pollId: string): Promise<string> {
    const record = await this.#secrets.findOne({ _id: pollId });
    if (!record) throw new Error(`The secret of open anonymous poll ${pollId} is missing`);
    return record.secret;
  }

  async #authorize(userId: string, pollId: string, action: 'poll.vote' | 'poll.manage' | 'meeting.view'): Promise<Granted> {
    const poll = await this.#find(pollId);
    try {
      return await this.access.authorize(userId, poll.consultationId, action);
    } catch (err) {
      if (err instanceof AppError && err.code === ErrorCode.notFound) throw AppError.notFound('Poll');
      throw err;
    }
  }

  async #find(pollId: string): Promise<PollRecord> {
    const poll = await this.#polls.findOne({ _id: pollId });
    if (!poll) throw AppError.notFound('Poll');
    return poll;
  }
}
