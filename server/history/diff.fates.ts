import * as Y from 'yjs';
import { fromBase64 } from 'lib0/buffer';
import type { ThreadFate } from '../../shared/history.ts';
import { stakeholderGroups, type StakeholderGroup } from '../../shared/groups.ts';
import type { ThreadRecord } from '../comments/comments.repository.ts';
import type { AttributionIndex } from './types.ts';
import { assertHolds, visibleAt } from './diff.yjs.ts';

/**
 * What happened to each comment thread between two states of a document.
 * One fate per thread; when several apply, the first of these wins:
 *
 *   1. accepted / declined: its proposal was decided between the two ends
 *      (a decision is the answer to the thread; an accepted proposal also
 *      changes the passage, which is not news on top of it);
 *   2. detached: its passage resolves at `from` but no longer at `to` (every
 *      character deleted), which outweighs any edit to it;
 *   3. passage_changed: characters inside its anchored range were inserted
 *      or deleted between the two ends, with the groups who did it (not
 *      when the thread only followed its unchanged words to a moved block);
 *   4. resolved: it is resolved, and was by the later end (see below);
 *   5. open: none of these.
 *
 * The two ends' times decide "between": after `at.from` (null: the
 * beginning) and no later than `at.to` (null: now). Threads created after
 * `at.to` did not exist then and are left out.
 *
 * Resolution: a thread records its status and when it last changed
 * (`updatedAt`), not when it was resolved. A thread counts as resolved when
 * its status is `resolved` and its `updatedAt` is no later than `at.to`: its
 * last change, the resolution or something after it, came before the later
 * end, so it was resolved then. This includes a thread already resolved
 * before `at.from` ("open" would be untrue of it). A thread resolved but
 * changed again after `at.to` (a reply, a stance, or the resolution itself
 * after `at.to`) cannot be placed and reads as open; so does a thread
 * `closed_at_adoption` (it was still open when the plan was adopted).
 */

export type FateThread = Pick<ThreadRecord, '_id' | 'anchor' | 'originalQuote' | 'status' | 'proposal' | 'createdAt' | 'updatedAt'>;

/** When the two ends were: a version's creation, a last visit, now (null). */
export interface FateTimes {
  from: string | null;
  to: string | null;
}

export function threadFates(threads: readonly FateThread[], doc: Y.Doc, from: Y.Snapshot, to: Y.Snapshot, index: AttributionIndex, at: FateTimes): ThreadFate[] {
  assertHolds(doc, from, to);
  const after = (t: string | null | undefined, bound: string | null) => bound === null || (!!t && Date.parse(t) > Date.parse(bound));
  const noLaterThan = (t: string | null | undefined, bound: string | null) => bound === null || (!!t && Date.parse(t) <= Date.parse(bound));
  const fates: ThreadFate[] = [];
  for (const t of threads) {
    if (!noLaterThan(t.createdAt, at.to)) continue;
    const entry = (fate: ThreadFate['fate'], extra: Partial<ThreadFate> = {}): ThreadFate => ({ threadId: t._id, fate, groups: [], reason: null, quote: quoteOf(t), ...extra });
    const p = t.proposal;
    if (p && (p.status === 'accepted' || p.status === 'declined') && after(p.decidedAt, at.from) && noLaterThan(p.decidedAt, at.to)) {
      fates.push(entry(p.status, { reason: p.status === 'declined' ? p.reason : null }));
      continue;
    }
    const passage = comparePassage(doc, t.anchor, from, to, index);
    // Moved, not changed: the thread existed at `from` but its anchor's characters did not, because a block move
    // re-typed its words elsewhere and the thread followed them (comments.service followMovedBlocks). Unless the
    // words now differ from the thread's quote, that is no change to the passage.
    const followedMove = passage && !passage.atFrom && passage.atTo && at.from !== null && noLaterThan(t.createdAt, at.from) && passage.textAtTo === t.anchor.quote;
    if (passage && passage.atFrom && !passage.atTo) fates.push(entry('detached'));
    else if (passage && passage.changed && !followedMove) fates.push(entry('passage_changed', { groups: passage.groups }));
    else if (t.status === 'resolved' && noLaterThan(t.updatedAt, at.to)) fates.push(entry('resolved'));
    else fates.push(entry('open'));
  }
  return fates;
}

/** The words the thread is about: the original ones, for ever, once a proposal has replaced them. */
function quoteOf(t: FateThread): string {
  if (t.originalQuote !== undefined) return t.originalQuote;
  // Threads stored before the original was kept: the words the acceptance replaced, if recorded.
  if (t.proposal?.status === 'accepted') return t.proposal.replaced ?? t.anchor.quote;
  return t.anchor.quote;
}

interface PassageChange {
  /** Whether any character of the passage is there at each end (as resolveRange would find it). */
  atFrom: boolean;
  atTo: boolean;
  changed: boolean;
  /** The passage's text at `to` (its characters there, in order). */
  textAtTo: string;
  /** The groups whose insertions or deletions changed it (unattributed changes count, but name no group). */
  groups: StakeholderGroup[];
}

/**
 * The characters between the anchor's first and last (the anchor clings to
 * them: see shared/anchors.ts), each compared at both ends. Null when the
 * anchor does not point into this document's text.
 */
export function comparePassage(doc: Y.Doc, anchor: { start: string; end: string }, from: Y.Snapshot, to: Y.Snapshot, index: AttributionIndex): PassageChange | null {
  let startId: Y.ID | null;
  let endId: Y.ID | null;
  try {
    startId = Y.decodeRelativePosition(fromBase64(anchor.start)).item;
    endId = Y.decodeRelativePosition(fromBase64(anchor.end)).item;
  } catch {
    return null;
  }
  if (!startId || !endId || Y.getState(doc.store, startId.client) <= startId.clock || Y.getState(doc.store, endId.client) <= endId.clock) return null;
  const groups = new Set<StakeholderGroup>();
  const result: PassageChange = { atFrom: false, atTo: false, changed: false, textAtTo: '', groups: [] };
  let item: Y.Item | null = Y.getItem(doc.store, startId) as Y.Item;
  let first = startId.clock - item.id.clock;
  while (item) {
    const { client, clock } = item.id;
    const holdsEnd = client === endId.client && clock <= endId.clock && endId.clock < clock + item.length;
    const last = holdsEnd ? endId.clock - clock : item.length - 1;
    if (item.countable) {
      for (let i = first; i <= last; i++) {
        const f = visibleAt(from, client, clock + i);
        const t = visibleAt(to, client, clock + i);
        result.atFrom ||= f;
        result.atTo ||= t;
        if (t && item.content instanceof Y.ContentString) result.textAtTo += item.content.str[i];
        if (f === t) continue;
        result.changed = true;
        const id = Y.createID(client, clock + i);
        const who = f ? index.deletedBy(id) : index.insertedBy(id);
        if (who) groups.add(who.group);
      }
    }
    if (holdsEnd) {
      result.groups = stakeholderGroups.filter((g) => groups.has(g));
      return result;
    }
    item = item.right;
    first = 0;
  }
  return null; // the end is not after the start in the same text
}
