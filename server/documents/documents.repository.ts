import type { Store, Collection } from '../store/types.ts';

export interface DocumentRecord {
  _id: string;
  consultationId: string;
  title: string;
  locked: boolean;
  /** When a facilitator archived it; null or absent (older records) while it is part of the plan. */
  archivedAt?: string | null;
  createdAt: string;
  updatedAt: string;
}

export function documentsCollection(store: Store): Collection<DocumentRecord> {
  return store.collection<DocumentRecord>('documents');
}

export async function ensureDocumentIndexes(store: Store): Promise<void> {
  await documentsCollection(store).createIndex({ consultationId: 1, createdAt: -1 });
}
