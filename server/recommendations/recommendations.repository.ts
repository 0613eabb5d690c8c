import { createHash } from 'node:crypto';
import type { Store, Collection } from '../store/types.ts';
import type { RecommendationFields } from '../../shared/recommendations.ts';

export interface RecommendationRecord extends RecommendationFields {
  /** Derived from the consultation and the recommendation's id (see `recordId`), so a row can only ever be stored once. */
  _id: string;
  consultationId: string;
  /** The recommendation's own id: the annotation id from the file, or `manual-…` for one added by hand. */
  recId: string;
  source: 'import' | 'manual';
  createdAt: string;
  updatedAt: string;
}

/**
 * The store key of a recommendation: the same consultation and id always give
 * the same key, so re-importing a file, or repeating an interrupted import,
 * writes over the rows it wrote before instead of adding copies.
 */
export const recordId = (consultationId: string, recId: string) =>
  createHash('sha256').update(`${consultationId}\n${recId}`).digest('base64url').slice(0, 32);

export function recommendationsCollection(store: Store): Collection<RecommendationRecord> {
  return store.collection<RecommendationRecord>('recommendations');
}

export async function ensureRecommendationIndexes(store: Store): Promise<void> {
  // Unique: the second guarantee against duplicates, and the order the register is browsed in.
  await recommendationsCollection(store).createIndex({ consultationId: 1, recId: 1 }, { unique: true });
}
