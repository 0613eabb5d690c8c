import type * as Y from 'yjs';
import type { StakeholderGroup } from '../../shared/groups.ts';

/**
 * Who made a change, as the server recorded it when the update arrived: the
 * membership that sent it, its stakeholder group then, and when. The wire
 * form (alias, name or not) is made per viewer from the membership.
 */
export interface Attribution {
  membershipId: string;
  group: StakeholderGroup;
  at: string;
}

/** Looks up who inserted and who deleted an item (by its Yjs id); null when nothing was recorded. */
export interface AttributionIndex {
  insertedBy(id: Y.ID): Attribution | null;
  deletedBy(id: Y.ID): Attribution | null;
}
