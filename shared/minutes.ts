import { z } from 'zod';
import { Id } from './schemas.ts';
import { Participant } from './meetings.ts';
import { PollResults } from './polls.ts';

export const minutesLimits = { decision: 2000, notes: 20_000, decisions: 200 } as const;

/** One turn at the floor: who (alias and group, from the membership record), under which agenda item, how long. */
export const MinutesSpeech = z.object({
  speaker: Participant,
  /** 0-based index into the meeting's agenda; null when the meeting had no current item. */
  agendaItem: z.number().int().nullable(),
  startedAt: z.iso.datetime(),
  seconds: z.number().int().min(0),
});
export type MinutesSpeech = z.infer<typeof MinutesSpeech>;

/** A decision the facilitator noted, under an agenda item. */
export const MinutesDecision = z.object({
  id: Id,
  agendaItem: z.number().int().nullable(),
  text: z.string(),
  notedAt: z.iso.datetime(),
});
export type MinutesDecision = z.infer<typeof MinutesDecision>;

/** A poll held in the meeting, with its results by option and by group once they may be published. */
export const MinutesPoll = z.object({
  pollId: Id,
  agendaItem: z.number().int().nullable(),
  question: z.string(),
  options: z.array(z.string()),
  status: z.enum(['open', 'closed']),
  results: PollResults.nullable(),
});
export type MinutesPoll = z.infer<typeof MinutesPoll>;

/**
 * The minutes of one meeting: built live while it runs, editable by
 * facilitators afterwards. Identities are aliases and groups only.
 */
export const Minutes = z.object({
  meetingId: Id,
  consultationId: Id,
  title: z.string(),
  startsAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  agenda: z.array(z.string()),
  speeches: z.array(MinutesSpeech),
  decisions: z.array(MinutesDecision),
  polls: z.array(MinutesPoll),
  /** Free notes by the facilitator, one entry per agenda item (same order as `agenda`), plus general notes. */
  notes: z.object({ general: z.string(), items: z.array(z.string()) }),
  editedAt: z.iso.datetime().nullable(),
});
export type Minutes = z.infer<typeof Minutes>;
