import { z } from 'zod';
import { Id } from './schemas.ts';
import { stakeholderGroups } from './groups.ts';
import { Participant } from './meetings.ts';

export const pollLimits = { question: 300, option: 200, minOptions: 2, maxOptions: 10 } as const;

/**
 * When members see a poll's results: once they have voted (or the poll has
 * closed), only once it has closed, or from the start. Facilitators follow
 * the same rule, so that nobody's vote is swayed by the count so far.
 */
export const resultsVisibilities = ['afterVote', 'afterClose', 'always'] as const;
export type ResultsVisibility = (typeof resultsVisibilities)[number];

export const OpenPollInput = z.object({
  meetingId: Id,
  question: z.string().trim().min(1).max(pollLimits.question),
  options: z
    .array(z.string().trim().min(1).max(pollLimits.option))
    .min(pollLimits.minOptions)
    .max(pollLimits.maxOptions)
    .refine((o) => new Set(o.map((x) => x.toLowerCase())).size === o.length, 'Options must differ'),
  /**
   * Nobody, facilitators included, can see who voted what in an anonymous
   * poll; in a named one only facilitators can. Anonymous unless turned off.
   */
  anonymous: z.boolean().default(true),
  resultsVisibility: z.enum(resultsVisibilities).default('afterVote'),
});
export type OpenPollInput = z.infer<typeof OpenPollInput>;

/** `option` is a 0-based index into the poll's options. Voting again replaces your vote while the poll is open. */
export const VoteInput = z.object({ pollId: Id, option: z.number().int().min(0).max(pollLimits.maxOptions - 1) });
export type VoteInput = z.infer<typeof VoteInput>;
export const PollRef = z.object({ pollId: Id });

const Counts = z.array(z.number().int());

export const PollResults = z.object({
  total: z.number().int(),
  /** Votes per option, in the order of `options`. */
  byOption: Counts,
  byGroup: z.record(z.enum(stakeholderGroups), Counts),
});
export type PollResults = z.infer<typeof PollResults>;

export const Poll = z.object({
  id: Id,
  consultationId: Id,
  meetingId: Id,
  question: z.string(),
  options: z.array(z.string()),
  anonymous: z.boolean(),
  resultsVisibility: z.enum(resultsVisibilities),
  status: z.enum(['open', 'closed']),
  /** Null while the results are not yours to see yet (see `resultsVisibility`). */
  results: PollResults.nullable(),
  /**
   * Who voted what: for facilitators only, in polls that are not anonymous,
   * once they may see the results. Null for everyone else.
   */
  votes: z.array(Participant.extend({ option: z.number().int() })).nullable(),
  /**
   * Your own vote, in replies to you only (absent in broadcasts). In an
   * anonymous poll it is unknowable once the poll closes, and then null.
   */
  yours: z.number().int().nullable().optional(),
  /** Grows with every change: apply a `poll:changed` only if its `seq` is newer than yours. */
  seq: z.number().int(),
  createdAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
});
export type Poll = z.infer<typeof Poll>;
