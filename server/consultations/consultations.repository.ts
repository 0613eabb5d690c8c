import type { Store, Collection } from '../store/types.ts';
import type { Phase } from '../../shared/groups.ts';

export interface ConsultationRecord {
  _id: string;
  title: string;
  summary: string;
  country: string;
  phase: Phase;
  hideIdentities: boolean;
  /** Grows each time hiding is turned on; members' consent to be named is per epoch (see `members/identity.ts`). */
  hidingEpoch?: number;
  /** The last alias handed to a member; incremented atomically as people join. */
  memberSeq: number;
  createdAt: string;
  updatedAt: string;
}

export function consultationsCollection(store: Store): Collection<ConsultationRecord> {
  return store.collection<ConsultationRecord>('consultations');
}

export async function ensureConsultationIndexes(store: Store): Promise<void> {
  await consultationsCollection(store).createIndex({ createdAt: -1 });
}
