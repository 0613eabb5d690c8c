import { EventEmitter } from 'node:events';
import type { Consultation, DocumentMeta } from '../shared/schemas.ts';
import type { Thread } from '../shared/comments.ts';
import type { Meeting, Presence } from '../shared/meetings.ts';
import type { PollChange } from './polls/polls.repository.ts';
import type { ModerationItem } from '../shared/moderation.ts';
import type { Version } from '../shared/history.ts';
import type { Minutes } from '../shared/minutes.ts';

/**
 * Domain events: services announce what happened, and transports (Socket.IO,
 * the Yjs endpoint; a Redis fan-out later) decide who hears it and whose
 * live connections must change. Services never import a transport.
 */
export interface DomainEvents {
  documentCreated: [document: DocumentMeta];
  /** A document's metadata changed: title, lock or archive (the last two change who may edit it). */
  documentChanged: [document: DocumentMeta];
  /** Phase, title or privacy changed; carries no per-member fields. */
  consultationChanged: [consultation: Omit<Consultation, 'you'>];
  /** A member joined, or their role or group changed. */
  membershipChanged: [consultationId: string, userId: string];
  membershipRemoved: [consultationId: string, userId: string];
  /** The session with this token hash ended (sign-out, revocation, password change). */
  sessionRevoked: [sessionId: string];
  /** A comment thread was created or changed; the same view for every member (no per-viewer fields). */
  threadChanged: [thread: Thread];
  /** A meeting was scheduled or changed; the same view for every member. */
  meetingChanged: [meeting: Meeting];
  /** Who has a meeting open changed. */
  presenceChanged: [consultationId: string, meetingId: string, presence: Presence];
  /** A poll opened, got a vote or closed; each follower gets it as they may see it (`PollsService.viewsFor`). */
  pollChanged: [change: PollChange];
  /** Its author deleted a comment (the moderation queue, if it holds the comment, shows it deleted). */
  commentDeleted: [commentId: string];
  /** For facilitators only: a comment's place in the moderation queue changed. */
  moderationChanged: [item: ModerationItem];
  /** A facilitator muted a member (lifting a mute is a `membershipChanged`). */
  memberMuted: [consultationId: string, memberId: string, userId: string];
  /** Rows of a consultation's recommendations register were imported, added or edited. */
  recommendationsChanged: [consultationId: string];
  /** A version of a document was made (by someone, at a phase change or adoption, or by a restore). */
  versionCreated: [consultationId: string, version: Version];
  /** A meeting's minutes changed; the same minutes for every member. */
  minutesChanged: [minutes: Minutes];
}

export class DomainEventBus extends EventEmitter<DomainEvents> {}
