import type { Consultation, DocumentMeta } from './schemas.ts';
import type { ErrorCode } from './errors.ts';
import type { Thread, CreateThreadInput, Stance, DecideProposalInput } from './comments.ts';
import type { z } from 'zod';
import type { AgendaMoveInput, GiveFloorInput, Meeting, Presence } from './meetings.ts';
import type { OpenPollInput, Poll, VoteInput } from './polls.ts';
import type { Version } from './history.ts';
import type { Minutes, NoteDecisionInput } from './minutes.ts';
import type { Notification } from './notifications.ts';
import type {
  FlagCommentInput,
  HideCommentInput,
  ModerationItem,
  MuteMemberInput,
  ResolveCommentInput,
  UnmuteMemberInput,
} from './moderation.ts';

/** Acknowledgement replies for every client → server event. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };
export type AckFn<T> = (reply: Ack<T>) => void;

export interface ClientToServerEvents {
  /** Follow a consultation's live changes (joins its room); members only. */
  'consultation:watch': (consultationId: string, ack: AckFn<Consultation>) => void;
  'consultation:unwatch': (consultationId: string, ack: AckFn<null>) => void;
  /** Follow a document's comment threads; the reply holds them all and the document's current sequence number. */
  'document:watch': (documentId: string, ack: AckFn<ThreadsPage>) => void;
  'document:unwatch': (documentId: string, ack: AckFn<null>) => void;
  /** Catch up after a disconnection: every thread changed after `since`. */
  'threads:sync': (input: { documentId: string; since: number }, ack: AckFn<ThreadsPage>) => void;
  /** `key` (create, reply, position): a client-generated UUID; the same key from the same member is done once (sent again after a lost answer). */
  'thread:create': (input: CreateThreadInput, ack: AckFn<Thread>) => void;
  'comment:reply': (input: { threadId: string; body: string; key?: string }, ack: AckFn<Thread>) => void;
  'comment:edit': (input: { threadId: string; commentId: string; body: string }, ack: AckFn<Thread>) => void;
  'comment:delete': (input: { threadId: string; commentId: string }, ack: AckFn<Thread>) => void;
  'thread:status': (input: { threadId: string; status: 'open' | 'resolved' }, ack: AckFn<Thread>) => void;
  'thread:position': (input: { threadId: string; stance: Stance | null; key?: string }, ack: AckFn<Thread>) => void;
  'proposal:decide': (input: DecideProposalInput, ack: AckFn<Thread>) => void;

  /**
   * Open a meeting: you count as present (by stakeholder group) until you
   * leave or disconnect, and this socket follows the consultation's room,
   * where every meeting and poll change is sent. Scheduled or live meetings.
   */
  'meeting:join': (meetingId: string, ack: AckFn<MeetingSnapshot>) => void;
  'meeting:leave': (meetingId: string, ack: AckFn<null>) => void;
  /** Facilitators: start a scheduled meeting (at the first agenda item), or end a live one (closing its open polls). */
  'meeting:start': (input: { meetingId: string }, ack: AckFn<Meeting>) => void;
  'meeting:end': (input: { meetingId: string }, ack: AckFn<Meeting>) => void;
  /** Facilitators: next, previous, or a 0-based agenda item. */
  'meeting:agenda': (input: AgendaMoveInput, ack: AckFn<Meeting>) => void;
  /** Join the speaking queue (not observers, not while muted). Raising it twice keeps your place. */
  'hand:raise': (input: { meetingId: string }, ack: AckFn<Meeting>) => void;
  /** Leave the queue; facilitators may name someone else's `memberId`. */
  'hand:lower': (input: { meetingId: string; memberId?: string }, ack: AckFn<Meeting>) => void;
  /** Facilitators: give the floor to a member, to `next`, or take it back with null. */
  'floor:give': (input: GiveFloorInput, ack: AckFn<Meeting>) => void;
  /** Facilitators: move a queued member to a 0-based position. */
  'queue:move': (input: { meetingId: string; memberId: string; position: number }, ack: AckFn<Meeting>) => void;
  /** Facilitators: alternate the floor between stakeholder groups (applies to `floor:give` with `next`). */
  'queue:alternate': (input: { meetingId: string; enabled: boolean }, ack: AckFn<Meeting>) => void;
  /** Facilitators: start the speaking timer afresh with `seconds`, or resume it without. */
  'timer:start': (input: { meetingId: string; seconds?: number }, ack: AckFn<Meeting>) => void;
  'timer:pause': (input: { meetingId: string }, ack: AckFn<Meeting>) => void;
  /** Stops the timer and sets it back to its full duration. */
  'timer:reset': (input: { meetingId: string }, ack: AckFn<Meeting>) => void;

  /** Facilitators: ask a quick question in a live meeting. */
  'poll:open': (input: z.input<typeof OpenPollInput>, ack: AckFn<Poll>) => void;
  /** Vote, or change your vote while the poll is open (not observers). The reply carries `yours`. */
  'poll:vote': (input: VoteInput, ack: AckFn<Poll>) => void;
  'poll:close': (input: { pollId: string }, ack: AckFn<Poll>) => void;

  /** Any member: report a comment to the facilitators. */
  'comment:flag': (input: FlagCommentInput, ack: AckFn<null>) => void;
  /** Facilitators: follow the moderation queue; the reply is its first page of pending items. */
  'moderation:watch': (consultationId: string, ack: AckFn<{ items: ModerationItem[]; nextCursor: string | null }>) => void;
  'moderation:unwatch': (consultationId: string, ack: AckFn<null>) => void;
  'moderation:hide': (input: HideCommentInput, ack: AckFn<ModerationItem>) => void;
  'moderation:restore': (input: ResolveCommentInput, ack: AckFn<ModerationItem>) => void;
  'moderation:dismiss': (input: ResolveCommentInput, ack: AckFn<ModerationItem>) => void;
  /** Facilitators: mute a member for some minutes, or lift it early. */
  'member:mute': (input: z.infer<typeof MuteMemberInput>, ack: AckFn<MuteState>) => void;
  'member:unmute': (input: z.infer<typeof UnmuteMemberInput>, ack: AckFn<MuteState>) => void;

  /** Facilitators: note a decision in a meeting's minutes, under the current agenda item unless `agendaItem` says another. */
  'minutes:decision': (input: NoteDecisionInput, ack: AckFn<Minutes>) => void;
}

export interface MeetingSnapshot {
  meeting: Meeting;
  /** The meeting's polls, newest first, each with your own vote. */
  polls: Poll[];
}

export interface MuteState {
  memberId: string;
  mutedUntil: string | null;
}

export interface ThreadsPage {
  threads: Thread[];
  seq: number;
}

export interface ServerToClientEvents {
  'document:created': (document: DocumentMeta) => void;
  /** A document's metadata changed: renamed, locked or unlocked, archived (`archivedAt` set) or restored. */
  'document:updated': (document: DocumentMeta) => void;
  /** Phase, title or privacy settings changed: re-read what you may do. */
  'consultation:updated': (consultation: Omit<Consultation, 'you'>) => void;
  /** Someone joined, or a role or group changed: reload the member list (and your own role). */
  'members:changed': (consultationId: string) => void;
  /** To the consultation's room: rows of its recommendations register were imported, added or edited (fetch them again). */
  'recommendations:changed': (consultationId: string) => void;
  /** You are no longer a member of this consultation. */
  'consultation:removed': (consultationId: string) => void;
  /**
   * Threads of one document were created or changed, in `seq` order (the
   * changes of a few milliseconds travel together). Apply each one whose `seq`
   * is newer than the copy you hold.
   */
  'threads:changed': (threads: Thread[]) => void;
  /** To the consultation's room: a meeting was scheduled or changed. Apply it if its `seq` is newer. */
  'meeting:changed': (meeting: Meeting) => void;
  /** To the consultation's room: who has a meeting open changed. */
  'meeting:presence': (update: { meetingId: string; presence: Presence }) => void;
  /**
   * To each socket following the consultation: a poll opened, got a vote or
   * closed, as you may see it (results once yours to see; no `yours`). Apply it if its `seq` is newer.
   */
  'poll:changed': (poll: Poll) => void;
  /** To facilitators following the moderation queue only. */
  'moderation:changed': (item: ModerationItem) => void;
  /** To the consultation's room: a version of one of its documents was made (the same view for every member). */
  'version:created': (version: Version) => void;
  /** To the consultation's room: a meeting's minutes changed (a turn, a poll, a decision, notes). Apply them if their `seq` is newer. */
  'minutes:changed': (minutes: Minutes) => void;
  /** To your own sockets only: a notification for you, as you may see it, and how many are unread now. */
  'notification:new': (update: { notification: Notification; unread: number }) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  userId: string;
  /** The session's token hash: revoking the session disconnects the socket. */
  sessionId: string;
}

/** Socket.IO room names, in one place so that server handlers agree. */
export const rooms = {
  consultation: (id: string) => `consultation:${id}`,
  document: (id: string) => `document:${id}`,
  /** A consultation's moderation queue: facilitators' sockets only. */
  moderation: (consultationId: string) => `moderation:${consultationId}`,
  /** One person's own sockets (every tab and device): their notifications. */
  user: (userId: string) => `user:${userId}`,
} as const;
