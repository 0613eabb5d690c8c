import { z } from 'zod';
import { Id } from './schemas.ts';

/** How many outstanding items an adoption check lists by name; the counts are always complete. */
export const adoptionCheckLimit = 50;

/** A thread still awaiting something, as the facilitator sees it before adopting. */
export const OutstandingThread = z.object({
  threadId: Id,
  documentId: Id,
  documentTitle: z.string(),
  /** The passage the thread is anchored to, as it was written. */
  quote: z.string(),
  /** The proposed wording, for a pending proposal; null otherwise. */
  proposal: z.string().nullable(),
});
export type OutstandingThread = z.infer<typeof OutstandingThread>;

const Listed = z.object({ count: z.number().int(), items: z.array(OutstandingThread) });

/**
 * What adopting the plan would settle for good: open threads are closed as
 * "Closed at adoption", pending proposals lapse ("Not decided before
 * adoption"). Oldest first, at most `adoptionCheckLimit` of each by name.
 */
export const AdoptionCheck = z.object({ openThreads: Listed, pendingProposals: Listed });
export type AdoptionCheck = z.infer<typeof AdoptionCheck>;
