import type { Collection, Store } from '../store/types.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';
import type { Role } from '../../shared/permissions.ts';
import type { ResultsVisibility } from '../../shared/polls.ts';

export interface PollRecord {
  _id: string;
  consultationId: string;
  meetingId: string;
  question: string;
  options: string[];
  anonymous: boolean;
  /** Absent on polls from before the setting: read through `resultsVisibilityOf`. */
  resultsVisibility?: ResultsVisibility;
  status: 'open' | 'closed';
  seq: number;
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
}

/**
 * One member's vote; `_id` is `<pollId>:<key>`. The key is the member id —
 * or, in an anonymous poll, an HMAC of it (see `ballotKey`), and then the
 * ballot holds nothing else about the voter but their stakeholder group, and
 * no time, which could be matched against other records.
 */
export interface BallotRecord {
  _id: string;
  pollId: string;
  option: number;
  group: StakeholderGroup;
  voter?: { memberId: string; alias: number; role: Role };
}

/**
 * A poll as it just changed, for delivery to each follower as they may see
 * it. In memory only: `secret` (an open anonymous poll's) lets the delivery
 * tell whether each follower has voted, and never leaves the server.
 */
export interface PollChange {
  poll: PollRecord;
  ballots: BallotRecord[];
  secret: string | null;
}

/** The per-poll secret of an anonymous poll, kept apart from the poll and deleted when it closes. */
export interface PollSecretRecord {
  _id: string;
  secret: string;
}

export const pollsCollection = (store: Store): Collection<PollRecord> => store.collection<PollRecord>('polls');
export const ballotsCollection = (store: Store): Collection<BallotRecord> => store.collection<BallotRecord>('ballots');
export const pollSecretsCollection = (store: Store): Collection<PollSecretRecord> => store.collection<PollSecretRecord>('poll_secrets');

export async function ensurePollIndexes(store: Store): Promise<void> {
  await pollsCollection(store).createIndex({ meetingId: 1, createdAt: -1 });
  await ballotsCollection(store).createIndex({ pollId: 1 });
}
