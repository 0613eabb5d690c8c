import { z } from 'zod';
import { Id } from './schemas.ts';
import { stakeholderGroups } from './groups.ts';
import { Author } from './comments.ts';

/** Limits on what a meeting may hold. */
export const meetingLimits = { title: 200, agendaItems: 50, agendaItem: 200, documents: 20, timerSeconds: 3600 } as const;

const Title = z.string().trim().min(1).max(meetingLimits.title);
const AgendaItem = z.string().trim().min(1).max(meetingLimits.agendaItem);

export const ScheduleMeetingInput = z.object({
  title: Title,
  startsAt: z.iso.datetime(),
  agenda: z.array(AgendaItem).max(meetingLimits.agendaItems).default([]),
  /** Documents of the same consultation that the meeting discusses. */
  documentIds: z.array(Id).max(meetingLimits.documents).default([]),
  /** Give the floor to stakeholder groups in turn (see `GiveFloorInput`). */
  alternateGroups: z.boolean().default(false),
});
export type ScheduleMeetingInput = z.infer<typeof ScheduleMeetingInput>;

/** Changes to a meeting that has not started yet. */
export const UpdateMeetingInput = z
  .object({
    title: Title.optional(),
    startsAt: z.iso.datetime().optional(),
    agenda: z.array(AgendaItem).max(meetingLimits.agendaItems).optional(),
    documentIds: z.array(Id).max(meetingLimits.documents).optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to change');
export type UpdateMeetingInput = z.infer<typeof UpdateMeetingInput>;

export const MeetingRef = z.object({ meetingId: Id });
/** Move through the agenda: one step, or straight to an item (0-based). */
export const AgendaMoveInput = z.object({ meetingId: Id, to: z.union([z.enum(['next', 'previous']), z.number().int().min(0)]) });
export type AgendaMoveInput = z.infer<typeof AgendaMoveInput>;
/** Lower your own hand, or (facilitators) someone else's. */
export const LowerHandInput = z.object({ meetingId: Id, memberId: Id.optional() });
/**
 * Whom the floor goes to: a member (queued or not), `next` (the head of the
 * queue, or with alternation the first queued member of another group than
 * the last speaker's), or null to take the floor back.
 */
export const GiveFloorInput = z.object({ meetingId: Id, to: z.union([Id, z.literal('next'), z.null()]) });
export type GiveFloorInput = z.infer<typeof GiveFloorInput>;
/** Moves a queued member to a 0-based position (clamped to the end of the queue). */
export const MoveInQueueInput = z.object({ meetingId: Id, memberId: Id, position: z.number().int().min(0) });
export const AlternateGroupsInput = z.object({ meetingId: Id, enabled: z.boolean() });
/** With `seconds`, starts the timer afresh; without, resumes a paused one. */
export const StartTimerInput = z.object({ meetingId: Id, seconds: z.number().int().min(1).max(meetingLimits.timerSeconds).optional() });

/** A member as meetings show them: clients resolve names from the member list, which respects hidden identities. */
export const Participant = Author;
export type Participant = z.infer<typeof Participant>;

export const QueueEntry = Participant.extend({ raisedAt: z.iso.datetime() });
export type QueueEntry = z.infer<typeof QueueEntry>;

export const Floor = Participant.extend({ since: z.iso.datetime() });
export type Floor = z.infer<typeof Floor>;

/**
 * The speaking timer. It is stored as a start time and a duration, so it
 * keeps running through a server restart. `remainingMs` is as of sending:
 * while `runningSince` is set, count down from it locally.
 */
export const Timer = z.object({
  durationMs: z.number().int(),
  elapsedMs: z.number().int(),
  runningSince: z.iso.datetime().nullable(),
  remainingMs: z.number().int(),
});
export type Timer = z.infer<typeof Timer>;

/** Who has the meeting open right now (their sockets joined it), and how many per group. */
export const Presence = z.object({
  members: z.array(Participant),
  byGroup: z.record(z.enum(stakeholderGroups), z.number().int()),
});
export type Presence = z.infer<typeof Presence>;

export const meetingStatuses = ['scheduled', 'live', 'ended'] as const;

export const Meeting = z.object({
  id: Id,
  consultationId: Id,
  title: z.string(),
  startsAt: z.iso.datetime(),
  agenda: z.array(z.string()),
  documentIds: z.array(Id),
  status: z.enum(meetingStatuses),
  /** Index into `agenda` while live; null before the start, after the end, or with no agenda. */
  currentItem: z.number().int().nullable(),
  queue: z.array(QueueEntry),
  floor: Floor.nullable(),
  alternateGroups: z.boolean(),
  timer: Timer.nullable(),
  presence: Presence,
  /** Grows with every change: apply a `meeting:changed` only if its `seq` is newer than yours. */
  seq: z.number().int(),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Meeting = z.infer<typeof Meeting>;
