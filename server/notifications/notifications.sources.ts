import type { Store } from '../store/types.ts';
import type { DomainEventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { Thread } from '../../shared/comments.ts';
import type { Meeting } from '../../shared/meetings.ts';
import type { ModerationItem } from '../../shared/moderation.ts';
import type { Consultation } from '../../shared/schemas.ts';
import { phases } from '../../shared/groups.ts';
import { threadsCollection } from '../comments/comments.repository.ts';
import { consultationsCollection } from '../consultations/consultations.repository.ts';
import { phasesSeenCollection } from './notifications.repository.ts';
import type { NewNotification, NotificationsService } from './notifications.service.ts';

const none = { documentId: null, threadId: null, commentId: null, meetingId: null, phase: null, decision: null, actorMemberId: null } as const;

/**
 * Turns domain events into notifications. Who hears of what:
 * - a reply: everyone who wrote in the thread before (its author and those
 *   who replied), not the replier; a thread one took part in is one's own;
 * - a decision on a proposal: the member who made it;
 * - a phase change: every member;
 * - a meeting scheduled or started: every member who may see meetings;
 * - a comment flagged: the consultation's facilitators.
 * Each recipient is checked against the permission table as they are now.
 */
export async function notificationSources(store: Store, events: DomainEventBus, notifications: NotificationsService, logger: Logger) {
  const threads = threadsCollection(store);
  const seen = phasesSeenCollection(store);
  // Phases as they are at start-up, so that the first change after it is told apart from a change of title.
  for (const c of await consultationsCollection(store).find({})) {
    if (!(await seen.findOne({ _id: c._id }))) await seen.updateOne({ _id: c._id }, { $set: { phase: c.phase } }, { upsert: true });
  }
  const run = (what: string, task: () => Promise<void>) =>
    void task().catch((err: unknown) => logger.error({ err }, `notifications for ${what} could not be made`));

  async function onThread(thread: Thread) {
    // Hidden or deleted comments take their notifications with them.
    const gone = thread.comments.filter((c) => c.deleted || c.hidden).map((c) => c.id);
    if (gone.length) await notifications.forget({ commentId: { $in: gone } });
    const last = thread.comments.at(-1);
    const isReply = thread.comments.length > 1 && last && last.createdAt === thread.updatedAt && !last.editedAt && !last.deleted && !last.hidden;
    const p = thread.proposal;
    const decided = p && (p.status === 'accepted' || p.status === 'declined') && p.decidedAt === thread.updatedAt;
    // Most changes (positions, edits, status) tell nobody anything: the stored thread (with authors' accounts) is read only when needed.
    if (!isReply && !decided) return;
    const record = await threads.findOne({ _id: thread.id });
    if (!record) return;
    if (isReply) {
      const replier = record.comments.find((c) => c.id === last.id)?.authorUserId;
      const earlier = new Set(record.comments.slice(0, -1).map((c) => c.authorUserId));
      if (replier) earlier.delete(replier);
      const allowed = await notifications.members(record.consultationId, 'comment.view');
      const recipients = allowed?.members.filter((m) => earlier.has(m.userId)) ?? [];
      await notifications.add(
        recipients.map((m) => ({
          ...none,
          _id: `reply:${last.id}:${m.userId}`,
          userId: m.userId,
          kind: 'reply',
          consultationId: record.consultationId,
          documentId: record.documentId,
          threadId: record._id,
          commentId: last.id,
          actorMemberId: last.author.memberId,
        })),
      );
    }
    if (p && decided) {
      const proposer = record.comments[0]?.authorUserId;
      if (!proposer || p.decidedBy?.memberId === record.comments[0]?.author.memberId) return;
      const allowed = await notifications.members(record.consultationId, 'comment.view');
      if (!allowed?.members.some((m) => m.userId === proposer)) return;
      await notifications.add([
        {
          ...none,
          _id: `decision:${record._id}:${proposer}`,
          userId: proposer,
          kind: 'decision',
          consultationId: record.consultationId,
          documentId: record.documentId,
          threadId: record._id,
          decision: p.status === 'accepted' ? 'accepted' : 'declined',
          actorMemberId: p.decidedBy?.memberId ?? null,
        },
      ]);
    }
  }

  async function onConsultation(c: Omit<Consultation, 'you'>) {
    const before = (await seen.findOne({ _id: c.id }))?.phase ?? phases[0];
    if (before === c.phase) return;
    await seen.updateOne({ _id: c.id }, { $set: { phase: c.phase } }, { upsert: true });
    const allowed = await notifications.members(c.id, 'consultation.view');
    const at = c.updatedAt;
    await notifications.add(
      (allowed?.members ?? []).map((m) => ({ ...none, _id: `phase:${c.id}:${c.phase}:${at}:${m.userId}`, userId: m.userId, kind: 'phase', consultationId: c.id, phase: c.phase })),
    );
  }

  /** Meeting statuses already announced in this process (the store's unique ids catch the rest). */
  const announced = new Set<string>();
  async function onMeeting(m: Meeting) {
    if (m.status === 'ended') return;
    const key = `${m.id}:${m.status}`;
    if (announced.has(key)) return;
    announced.add(key);
    const kind = m.status === 'live' ? 'meeting_started' : 'meeting_scheduled';
    const allowed = await notifications.members(m.consultationId, 'meeting.view');
    await notifications.add(
      (allowed?.members ?? []).map((member) => ({
        ...none,
        _id: `${kind}:${m.id}:${member.userId}`,
        userId: member.userId,
        kind,
        consultationId: m.consultationId,
        meetingId: m.id,
      })),
    );
  }

  async function onModeration(item: ModerationItem) {
    // A hidden comment's reply notifications go for everyone; facilitators keep theirs about the flag.
    if (item.status === 'hidden') await notifications.forget({ kind: 'reply', commentId: item.commentId });
    if (item.status !== 'pending' || item.flags.length === 0) return;
    const allowed = await notifications.members(item.consultationId, 'moderation.manage');
    await notifications.add(
      (allowed?.members ?? []).map((m) => ({
        ...none,
        _id: `flag:${item.commentId}:${item.flags.length}:${m.userId}`,
        userId: m.userId,
        kind: 'flag',
        consultationId: item.consultationId,
        documentId: item.documentId,
        threadId: item.threadId,
      })),
    );
  }

  events.on('threadChanged', (t) => run('a thread', () => onThread(t)));
  events.on('consultationChanged', (c) => run('a phase change', () => onConsultation(c)));
  events.on('meetingChanged', (m) => run('a meeting', () => onMeeting(m)));
  events.on('moderationChanged', (i) => run('a flag', () => onModeration(i)));
  events.on('membershipRemoved', (consultationId, userId) => run('a departure', () => notifications.forget({ consultationId, userId })));
}
