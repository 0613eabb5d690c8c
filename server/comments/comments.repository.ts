import type { Collection, Store } from '../store/types.ts';
import { ensureCommentKeyIndexes } from './comment-keys.ts';
import type { Anchor, Author, Stance, ThreadStatus } from '../../shared/comments.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';

export interface CommentRecord {
  id: string;
  author: Author;
  authorUserId: string;
  body: string | null;
  deleted: boolean;
  /** Set while a facilitator hides the comment; the body is kept for the moderation queue. Absent on older records. */
  hidden?: { reason: string; by: string; at: string } | null;
  editedAt: string | null;
  createdAt: string;
}

export interface ThreadRecord {
  _id: string;
  consultationId: string;
  documentId: string;
  anchor: Anchor;
  /** The passage as the server read it at creation; absent on threads stored before it was kept. */
  originalQuote?: string;
  status: ThreadStatus;
  seq: number;
  comments: CommentRecord[];
  proposal: {
    text: string;
    status: 'pending' | 'accepted' | 'declined' | 'lapsed';
    reason: string | null;
    decidedBy: Author | null;
    decidedAt: string | null;
    /** The words an acceptance replaced; absent on proposals decided before it was kept. */
    replaced?: string | null;
  } | null;
  /** Each member's stance, with their group when they took it. */
  positions: Record<string, { stance: Stance; group: StakeholderGroup }>;
  createdAt: string;
  updatedAt: string;
}

export const threadsCollection = (store: Store): Collection<ThreadRecord> => store.collection<ThreadRecord>('threads');

export async function ensureCommentIndexes(store: Store): Promise<void> {
  await threadsCollection(store).createIndex({ documentId: 1, seq: 1 });
  await ensureCommentKeyIndexes(store);
}

/** Threads still awaiting something when a plan is adopted: open, or carrying a pending proposal. Oldest first. */
export function outstandingThreads(threads: Collection<ThreadRecord>, consultationId: string): Promise<ThreadRecord[]> {
  return threads.find({ consultationId, $or: [{ status: 'open' }, { 'proposal.status': 'pending' }] }, { sort: { createdAt: 1 } });
}
