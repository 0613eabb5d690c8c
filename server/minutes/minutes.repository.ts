import type { Collection, Store } from '../store/types.ts';
import type { Participant } from '../../shared/meetings.ts';

/**
 * One turn at the floor. The speaker is read from their membership when the
 * minutes are read, so a later change of group or alias (or an erasure that
 * rewrites the membership) shows through; `face` is only for a member whose
 * membership is gone, and like a comment's author it holds no name.
 */
export interface SpeechRecord {
  _id: string;
  meetingId: string;
  consultationId: string;
  memberId: string;
  face: Participant;
  agendaItem: number | null;
  startedAt: string;
  /** Null while the turn goes on. */
  endedAt: string | null;
  seconds: number;
}

export interface DecisionRecord {
  _id: string;
  meetingId: string;
  consultationId: string;
  agendaItem: number | null;
  text: string;
  notedAt: string;
  /** The facilitator's membership id. */
  notedBy: string;
  editedAt: string | null;
}

/** The agenda item current when a poll was opened; `_id` is the poll's id. */
export interface PollItemRecord {
  _id: string;
  meetingId: string;
  agendaItem: number | null;
}

/** Per meeting (`_id` is the meeting's id): the facilitators' notes and the minutes' sequence number. */
export interface MinutesRecord {
  _id: string;
  consultationId: string;
  seq: number;
  general: string;
  items: string[];
  editedAt: string | null;
}

export const speechesCollection = (store: Store): Collection<SpeechRecord> => store.collection<SpeechRecord>('minutes_speeches');
export const decisionsCollection = (store: Store): Collection<DecisionRecord> => store.collection<DecisionRecord>('minutes_decisions');
export const pollItemsCollection = (store: Store): Collection<PollItemRecord> => store.collection<PollItemRecord>('minutes_polls');
export const minutesCollection = (store: Store): Collection<MinutesRecord> => store.collection<MinutesRecord>('minutes');

export async function ensureMinutesIndexes(store: Store): Promise<void> {
  await Promise.all([
    speechesCollection(store).createIndex({ meetingId: 1, startedAt: 1 }),
    // Open turns, found at start-up to close those a crash left open.
    speechesCollection(store).createIndex({ endedAt: 1 }),
    decisionsCollection(store).createIndex({ meetingId: 1, notedAt: 1 }),
    pollItemsCollection(store).createIndex({ meetingId: 1 }),
    minutesCollection(store).createIndex({ consultationId: 1 }),
  ]);
}
