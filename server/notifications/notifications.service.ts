import type { Store } from '../store/types.ts';
import { DuplicateKeyError } from '../store/types.ts';
import type { Page, PageQuery } from '../../shared/schemas.ts';
import type { Notification, NotificationActor, EmailMode } from '../../shared/notifications.ts';
import { can, type Action } from '../../shared/permissions.ts';
import { paginate } from '../pagination.ts';
import { consultationsCollection, type ConsultationRecord } from '../consultations/consultations.repository.ts';
import { membershipsCollection, type MembershipRecord } from '../members/members.repository.ts';
import { documentsCollection } from '../documents/documents.repository.ts';
import { threadsCollection } from '../comments/comments.repository.ts';
import { meetingsCollection } from '../meetings/meetings.repository.ts';
import { usersCollection } from '../accounts/accounts.repository.ts';
import { identityVisible } from '../members/identity.ts';
import { notificationsCollection, notificationSettingsCollection, type NotificationRecord } from './notifications.repository.ts';

/** What each kind of notification requires of its reader at the moment it is read (or delivered). */
const needs: Record<NotificationRecord['kind'], Action> = {
  reply: 'comment.view',
  decision: 'comment.view',
  phase: 'consultation.view',
  meeting_scheduled: 'meeting.view',
  meeting_started: 'meeting.view',
  flag: 'moderation.manage',
};

export type NewNotification = Omit<NotificationRecord, 'read' | 'mailedAt' | 'createdAt'>;

/**
 * Each person's notifications: stored per person, listed newest first, and
 * handed to `deliver` (their own sockets) and `created` (e-mail) as they are
 * made. A notification is shown only as its reader may see it *now*: a
 * hidden comment, a consultation they left, a role that no longer moderates
 * makes it vanish, and the person who acted is named only where the identity
 * rule (members/identity.ts) lets this reader see their name.
 */
export class NotificationsService {
  readonly #records;
  readonly #settings;
  readonly #consultations;
  readonly #memberships;
  readonly #documents;
  readonly #threads;
  readonly #meetings;
  readonly #users;
  /** Set by the transport: sends a new notification to the person's own live connections. */
  deliver: (userId: string, notification: Notification) => void = () => undefined;
  /** Set by the mailer: a notification was stored for this person. */
  created: (userId: string) => void = () => undefined;

  constructor(store: Store) {
    this.#records = notificationsCollection(store);
    this.#settings = notificationSettingsCollection(store);
    this.#consultations = consultationsCollection(store);
    this.#memberships = membershipsCollection(store);
    this.#documents = documentsCollection(store);
    this.#threads = threadsCollection(store);
    this.#meetings = meetingsCollection(store);
    this.#users = usersCollection(store);
  }

  /** Stores each notification once (by its `_id`) and delivers those the recipient may see. */
  async add(items: NewNotification[]): Promise<void> {
    const now = new Date().toISOString();
    for (const item of items) {
      const record: NotificationRecord = { ...item, read: false, mailedAt: null, createdAt: now };
      try {
        await this.#records.insertOne(record);
      } catch (err) {
        if (err instanceof DuplicateKeyError) continue;
        throw err;
      }
      const view = await this.view(record);
      if (!view) continue;
      this.deliver(record.userId, view);
      this.created(record.userId);
    }
  }

  /** Forgets notifications that must no longer be shown (a hidden or deleted comment; a member who left). */
  async forget(filter: Record<string, unknown>): Promise<void> {
    await this.#records.deleteMany(filter);
  }

  async list(userId: string, query: PageQuery): Promise<Page<Notification>> {
    const page = await paginate(this.#records, { userId }, query, (r) => r);
    const views = await Promise.all(page.items.map((r) => this.view(r)));
    return { items: views.filter((v): v is Notification => v !== null), nextCursor: page.nextCursor };
  }

  async unread(userId: string): Promise<number> {
    return this.#records.countDocuments({ userId, read: false });
  }

  async markRead(userId: string, ids: string[]): Promise<number> {
    for (const id of ids) await this.#records.updateOne({ _id: id, userId }, { $set: { read: true } });
    return this.unread(userId);
  }

  async markAllRead(userId: string): Promise<number> {
    const unread = await this.#records.find({ userId, read: false });
    for (const r of unread) await this.#records.updateOne({ _id: r._id, userId }, { $set: { read: true } });
    return this.unread(userId);
  }

  async emailMode(userId: string): Promise<EmailMode> {
    return (await this.#settings.findOne({ _id: userId }))?.email ?? 'off';
  }

  async setEmailMode(userId: string, email: EmailMode): Promise<void> {
    await this.#settings.updateOne({ _id: userId }, { $set: { email, updatedAt: new Date().toISOString() } }, { upsert: true });
  }

  /** The members of a consultation who may do `action` now (people still known only). */
  async members(consultationId: string, action: Action): Promise<{ consultation: ConsultationRecord; members: MembershipRecord[] } | null> {
    const consultation = await this.#consultations.findOne({ _id: consultationId });
    if (!consultation) return null;
    const all = await this.#memberships.find({ consultationId, formerSince: { $exists: false } });
    return { consultation, members: all.filter((m) => can(m.role, consultation.phase, action)) };
  }

  /** The notification as its recipient may see it now, or null when they may not. */
  async view(r: NotificationRecord): Promise<Notification | null> {
    const [consultation, viewer] = await Promise.all([
      this.#consultations.findOne({ _id: r.consultationId }),
      this.#memberships.findOne({ consultationId: r.consultationId, userId: r.userId }),
    ]);
    if (!consultation || !viewer || viewer.formerSince || !can(viewer.role, consultation.phase, needs[r.kind])) return null;
    if (r.documentId && !(await this.#documents.findOne({ _id: r.documentId }))) return null;
    if (r.threadId && r.kind !== 'flag') {
      const thread = await this.#threads.findOne({ _id: r.threadId });
      if (!thread) return null;
      const comment = r.commentId ? thread.comments.find((c) => c.id === r.commentId) : undefined;
      if (r.commentId && (!comment || comment.deleted || comment.hidden)) return null;
    }
    const meeting = r.meetingId ? await this.#meetings.findOne({ _id: r.meetingId }) : null;
    if (r.meetingId && !meeting) return null;
    return {
      id: r._id,
      kind: r.kind,
      consultationId: r.consultationId,
      consultationTitle: consultation.title,
      documentId: r.documentId,
      threadId: r.threadId,
      meetingId: r.meetingId,
      meetingTitle: meeting?.title ?? null,
      phase: r.phase,
      decision: r.decision,
      actor: r.actorMemberId ? await this.#actor(consultation, viewer, r.actorMemberId) : null,
      read: r.read,
      createdAt: r.createdAt,
    };
  }

  /** Who acted, as this reader may see them: a pseudonymous face, and a name only where the identity rule allows. */
  async #actor(consultation: ConsultationRecord, viewer: MembershipRecord, memberId: string): Promise<NotificationActor | null> {
    const member = await this.#memberships.findOne({ _id: memberId });
    if (!member) return null;
    const face: NotificationActor = { alias: member.alias, group: member.group, role: member.role };
    if (member.formerSince || !identityVisible(consultation, viewer, member)) return face;
    const user = await this.#users.findOne({ _id: member.userId });
    return user ? { ...face, name: user.displayName } : face;
  }
}
