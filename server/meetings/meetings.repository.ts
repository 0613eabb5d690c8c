import type { Collection, Store } from '../store/types.ts';
import type { Floor, QueueEntry } from '../../shared/meetings.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';

/** A queued member; `userId` stays on the server (it identifies the person behind a hidden identity). */
export type QueueRecord = QueueEntry & { userId: string };
export type FloorRecord = Floor & { userId: string };

/** Stored as a start time and a duration, so a running timer keeps running through a restart. */
export interface TimerRecord {
  durationMs: number;
  /** Time already counted before `runningSince` (from earlier runs, before a pause). */
  elapsedMs: number;
  runningSince: string | null;
}

export interface MeetingRecord {
  _id: string;
  consultationId: string;
  title: string;
  startsAt: string;
  agenda: string[];
  documentIds: string[];
  status: 'scheduled' | 'live' | 'ended';
  currentItem: number | null;
  queue: QueueRecord[];
  floor: FloorRecord | null;
  /** The group of whoever had the floor last, for alternation. */
  lastSpeakerGroup: StakeholderGroup | null;
  alternateGroups: boolean;
  timer: TimerRecord | null;
  seq: number;
  createdBy: string;
  startedAt: string | null;
  endedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const meetingsCollection = (store: Store): Collection<MeetingRecord> => store.collection<MeetingRecord>('meetings');

export async function ensureMeetingIndexes(store: Store): Promise<void> {
  await meetingsCollection(store).createIndex({ consultationId: 1, createdAt: -1 });
  await meetingsCollection(store).createIndex({ consultationId: 1, status: 1 });
}
