import type { Collection, Store } from '../store/types.ts';
import type { Author } from '../../shared/comments.ts';
import type { ModerationStatus } from '../../shared/moderation.ts';

/** A comment in the moderation queue; `_id` is the comment's id (one entry per comment, however often it is flagged). */
export interface ModerationRecord {
  _id: string;
  consultationId: string;
  documentId: string;
  threadId: string;
  status: ModerationStatus;
  /** One report per member: flagging again replaces your reason. */
  flags: { by: Author; reason: string; at: string }[];
  decidedBy: Author | null;
  decidedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const moderationCollection = (store: Store): Collection<ModerationRecord> => store.collection<ModerationRecord>('moderation');

export async function ensureModerationIndexes(store: Store): Promise<void> {
  await moderationCollection(store).createIndex({ consultationId: 1, createdAt: -1 });
}
