import type { Collection, Store } from '../store/types.ts';
import type { Phase } from '../../shared/groups.ts';
import type { VersionReason } from '../../shared/history.ts';

/**
 * One version of a document, written in a single insert: a crash leaves the
 * whole record or none. It holds the state vector at the version and only the
 * deletions made since the version before it (`seq - 1`); see versions.snapshots.ts.
 */
export interface VersionRecord {
  _id: string;
  documentId: string;
  consultationId: string;
  /** 1, 2, 3… per document: the order the deltas add up in. */
  seq: number;
  name: string | null;
  reason: VersionReason;
  phase: Phase | null;
  /** The membership that made it; null when the server did. */
  createdBy: string | null;
  createdAt: string;
  restoredFrom: string | null;
  stateVector: Uint8Array;
  /** The delete set added since version `seq - 1`, encoded (`encodeDeleteSet`). */
  deletions: Uint8Array;
}

/** Where a member left a document: the snapshot (state vector and full delete set) when their last connection to it closed. */
export interface VisitRecord {
  /** `${membershipId}:${documentId}` */
  _id: string;
  membershipId: string;
  documentId: string;
  snapshot: Uint8Array;
  at: string;
}

export const versionsCollection = (store: Store): Collection<VersionRecord> => store.collection<VersionRecord>('document_versions');
export const visitsCollection = (store: Store): Collection<VisitRecord> => store.collection<VisitRecord>('document_visits');

export async function ensureVersionIndexes(store: Store): Promise<void> {
  // Unique: two writers that raced for the same number cannot both land, so the deltas always add up.
  await versionsCollection(store).createIndex({ documentId: 1, seq: 1 }, { unique: true });
  await versionsCollection(store).createIndex({ documentId: 1, createdAt: -1 });
}
