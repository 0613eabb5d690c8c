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
  /**
   * When the person behind this membership was erased (server/privacy/): `userId` is then a random id that
   * matches no account, and the record only keeps what their contributions are shown with (alias, group, role).
   */
  formerSince?: string;
}

/** Memberships of people still known: a filter clause for queries that count or reach living members. */
export const notFormer = { formerSince: { $exists: false } } as const;

export const membershipsCollection = (store: Store): Collection<MembershipRecord> =>
  store.collection<MembershipRecord>('memberships');

export async function ensureMembershipIndexes(store: Store): Promise<void> {
  await membershipsCollection(store).createIndex({ consultationId: 1, userId: 1 }, { unique: true });
  await membershipsCollection(store).createIndex({ userId: 1 });
}
