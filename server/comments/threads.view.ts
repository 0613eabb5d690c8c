import type { Stance, StanceCounts, Thread } from '../../shared/comments.ts';
import { stances } from '../../shared/comments.ts';
import { stakeholderGroups } from '../../shared/groups.ts';
import type { ThreadRecord } from './comments.repository.ts';

function counts(record: ThreadRecord): StanceCounts {
  const zero = () => Object.fromEntries(stances.map((s) => [s, 0])) as Record<Stance, number>;
  const result = Object.fromEntries(stakeholderGroups.map((g) => [g, zero()])) as StanceCounts;
  for (const { stance, group } of Object.values(record.positions)) result[group][stance]++;
  return result;
}

/** A thread as it goes on the wire; `viewerMemberId` adds the viewer's own stance. */
export function threadToWire(record: ThreadRecord, viewerMemberId?: string): Thread {
  return {
    id: record._id,
    documentId: record.documentId,
    anchor: record.anchor,
    // Older threads: their quote is the original only while no wording has replaced it.
    originalQuote: record.originalQuote ?? (record.proposal?.status === 'accepted' ? null : record.anchor.quote),
    status: record.status,
    seq: record.seq,
    comments: record.comments.map((c) => ({
      id: c.id,
      author: c.author,
      // A hidden body reaches no member through any view or broadcast, its author included.
      body: c.deleted || c.hidden ? null : c.body,
      deleted: c.deleted,
      hidden: c.hidden && !c.deleted ? { reason: c.hidden.reason } : null,
      editedAt: c.editedAt,
      createdAt: c.createdAt,
    })),
    proposal: record.proposal && { ...record.proposal, replaced: record.proposal.replaced ?? null },
    counts: counts(record),
    ...(viewerMemberId === undefined ? {} : { yours: record.positions[viewerMemberId]?.stance ?? null }),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
