import type { Collection, Store } from '../store/types.ts';
import type { Role } from '../../shared/permissions.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';

export interface MembershipRecord {
  _id: string;
  consultationId: string;
  userId: string;
  role: Role;
  group: StakeholderGroup;
  organisation: string | null;
  /** A number unique within the consultation, shown instead of a name when identities are hidden. */
  alias: number;
  joinedAt: string;
  /** Set by a facilitator's mute; absent on records from before mutes existed. */
  mutedUntil?: string | null;
  /**
   * The consultation's hiding epoch in which this member chose to be named,
   * or null: see `identity.ts`. Absent on records from before it existed.
   */
  namedInEpoch?: number | null;
}

export const membershipsCollection = (store: Store): Collection<MembershipRecord> =>
  store.collection<MembershipRecord>('memberships');

export async function ensureMembershipIndexes(store: Store): Promise<void> {
  await membershipsCollection(store).createIndex({ consultationId: 1, userId: 1 }, { unique: true });
  await membershipsCollection(store).createIndex({ userId: 1 });
}
