import type { Collection, Store } from '../store/types.ts';
import type { EmailMode, NotificationKind } from '../../shared/notifications.ts';
import type { Phase } from '../../shared/groups.ts';

/**
 * One notification for one person. `_id` is derived from what happened and
 * who it is for (`reply:<commentId>:<userId>`), so an event heard twice makes
 * one notification. Only ids and the facts needed to word it are kept: names
 * and titles are read when the list is read, as the reader may see them then.
 */
export interface NotificationRecord {
  _id: string;
  userId: string;
  kind: NotificationKind;
  consultationId: string;
  documentId: string | null;
  threadId: string | null;
  /** The comment a `reply` is about: if a facilitator hides it or its author deletes it, the notification disappears. */
  commentId: string | null;
  meetingId: string | null;
  phase: Phase | null;
  decision: 'accepted' | 'declined' | null;
  /** The membership of whoever did it (replier, decider). */
  actorMemberId: string | null;
  read: boolean;
  /** When e-mail about it went out (immediately or in a digest); null until then. */
  mailedAt: string | null;
  createdAt: string;
}

/** A person's choice about e-mail; absent means off. */
export interface NotificationSettingsRecord {
  _id: string;
  email: EmailMode;
  updatedAt: string;
}

/** The last phase seen per consultation, to tell a phase change from a change of title or privacy. */
export interface PhaseSeenRecord {
  _id: string;
  phase: Phase;
}

/** The key that signs unsubscribe links; made once per instance and kept in the store. */
export interface SecretRecord {
  _id: string;
  key: string;
}

export const notificationsCollection = (store: Store): Collection<NotificationRecord> => store.collection<NotificationRecord>('notifications');
export const notificationSettingsCollection = (store: Store): Collection<NotificationSettingsRecord> =>
  store.collection<NotificationSettingsRecord>('notification_settings');
export const phasesSeenCollection = (store: Store): Collection<PhaseSeenRecord> => store.collection<PhaseSeenRecord>('notification_phases');
export const secretsCollection = (store: Store): Collection<SecretRecord> => store.collection<SecretRecord>('notification_secrets');

export async function ensureNotificationIndexes(store: Store): Promise<void> {
  const c = notificationsCollection(store);
  // The list (newest first) and the unread count, per person.
  await c.createIndex({ userId: 1, createdAt: -1, _id: -1 });
  await c.createIndex({ userId: 1, read: 1 });
  // The digest: what has not been mailed yet.
  await c.createIndex({ userId: 1, mailedAt: 1 });
  // A hidden or deleted comment's notifications are found by the comment.
  await c.createIndex({ commentId: 1 });
  await notificationSettingsCollection(store).createIndex({ email: 1 });
}
