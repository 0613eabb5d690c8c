import { z } from 'zod';
import { Id } from './schemas.ts';
import { Participant, meetingLimits } from './meetings.ts';
import { PollResults } from './polls.ts';

export const minutesLimits = { decision: 2000, notes: 20_000, decisions: 200 } as const;

/** One turn at the floor: who (alias and group, from the membership record), under which agenda item, how long. */
export const MinutesSpeech = z.object({
  /** For corrections (`PATCH /meetings/:id/minutes/speeches/:speechId`). */
  id: Id,
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
  /** Grows with every change: apply a `minutes:changed` only if its `seq` is newer than yours. */
  seq: z.number().int(),
});
export type Minutes = z.infer<typeof Minutes>;

const DecisionText = z.string().trim().min(1).max(minutesLimits.decision);
const NotesText = z.string().max(minutesLimits.notes);
/** A 0-based agenda item, or null for "not under any item". */
const AgendaItemRef = z.number().int().min(0).nullable();

/**
 * A decision noted by a facilitator. Without `agendaItem` it goes under the
 * item current now (none when the meeting is not live).
 */
export const AddDecisionInput = z.object({ text: DecisionText, agendaItem: AgendaItemRef.optional() });
export type AddDecisionInput = z.infer<typeof AddDecisionInput>;
/** The same, over Socket.IO during the session. */
export const NoteDecisionInput = AddDecisionInput.extend({ meetingId: Id });
export type NoteDecisionInput = z.infer<typeof NoteDecisionInput>;

export const EditDecisionInput = z
  .object({ text: DecisionText.optional(), agendaItem: AgendaItemRef.optional() })
  .refine((v) => v.text !== undefined || v.agendaItem !== undefined, 'Nothing to change');
export type EditDecisionInput = z.infer<typeof EditDecisionInput>;

/** Notes: `items` holds one entry per agenda item, in order (all of them). */
export const EditNotesInput = z
  .object({ general: NotesText.optional(), items: z.array(NotesText).max(meetingLimits.agendaItems).optional() })
  .refine((v) => v.general !== undefined || v.items !== undefined, 'Nothing to change');
export type EditNotesInput = z.infer<typeof EditNotesInput>;

/** Moves a turn at the floor to another agenda item (or to none). */
export const CorrectSpeechInput = z.object({ agendaItem: AgendaItemRef });
export type CorrectSpeechInput = z.infer<typeof CorrectSpeechInput>;
