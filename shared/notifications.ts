import { z } from 'zod';
import { Id } from './schemas.ts';
import { phases, stakeholderGroups } from './groups.ts';
import { roles } from './permissions.ts';

/** What a notification is about. */
export const notificationKinds = ['reply', 'decision', 'phase', 'meeting_scheduled', 'meeting_started', 'flag'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/**
 * Who did it, as the app shows them to this reader: alias, group and role
 * always; `name` only where the consultation's identity setting lets this
 * reader see it (server/members/identity.ts), decided when the list is read.
 */
export const NotificationActor = z.object({
  alias: z.number().int(),
  group: z.enum(stakeholderGroups),
  role: z.enum(roles),
  name: z.string().optional(),
});
export type NotificationActor = z.infer<typeof NotificationActor>;

/**
 * One notification as its recipient sees it now. Holds no user-written text
 * (no comment bodies or quotes): it names what happened and where, and links there.
 */
export const Notification = z.object({
  id: z.string(),
  kind: z.enum(notificationKinds),
  consultationId: Id,
  consultationTitle: z.string(),
  documentId: Id.nullable(),
  threadId: Id.nullable(),
  meetingId: Id.nullable(),
  meetingTitle: z.string().nullable(),
  /** The new phase (`phase`). */
  phase: z.enum(phases).nullable(),
  /** `decision`: what became of the proposal. */
  decision: z.enum(['accepted', 'declined']).nullable(),
  actor: NotificationActor.nullable(),
  read: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type Notification = z.infer<typeof Notification>;

export const NotificationPage = z.object({ items: z.array(Notification), nextCursor: z.string().nullable() });
export const UnreadCount = z.object({ unread: z.number().int() });
export type UnreadCount = z.infer<typeof UnreadCount>;
export const MarkReadInput = z.object({ ids: z.array(z.string().min(1).max(200)).min(1).max(100) });

/** E-mail about notifications: off by default (nobody's address is used until they ask), at once, or once a day. */
export const emailModes = ['off', 'immediate', 'digest'] as const;
export type EmailMode = (typeof emailModes)[number];
export const NotificationSettings = z.object({
  email: z.enum(emailModes),
  /** Whether this server can send mail at all (SMTP_URL set); the choice is kept either way. */
  mailAvailable: z.boolean(),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;
export const NotificationSettingsInput = z.object({ email: z.enum(emailModes) });
export const UnsubscribeInput = z.object({ u: Id, t: z.string().min(10).max(200) });
