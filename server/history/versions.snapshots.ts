import * as Y from 'yjs';

/**
 * Delete sets as versions store them: each version keeps only the deletions
 * made since the version before it, since a full delete set per version,
 * for hundreds of versions, would cost far more than the document. Deletions
 * in Yjs are for good, so the full delete set of version k is the union of
 * the deltas up to k.
 */

type DeleteSet = Y.Snapshot['ds'];
interface Range {
  clock: number;
  len: number;
}

/** The ranges of `full` not in `earlier`; both sorted and merged (as Yjs makes them). */
export function deletionsSince(full: DeleteSet, earlier: DeleteSet): DeleteSet {
  const out = Y.createDeleteSet();
  for (const [client, ranges] of full.clients) {
    const minus = earlier.clients.get(client) ?? [];
    const kept: Range[] = [];
    let j = 0;
    for (const r of ranges) {
      let start = r.clock;
      const end = r.clock + r.len;
      while (j < minus.length && minus[j]!.clock + minus[j]!.len <= start) j++;
      let k = j;
      while (start < end && k < minus.length && minus[k]!.clock < end) {
        const m = minus[k]!;
        if (m.clock > start) kept.push({ clock: start, len: m.clock - start });
        start = Math.max(start, m.clock + m.len);
        k++;
      }
      if (start < end) kept.push({ clock: start, len: end - start });
    }
    // Plain ranges serve: Yjs reads only `clock` and `len` when it encodes or merges them.
    if (kept.length > 0) out.clients.set(client, kept as never);
  }
  return out;
}

/** A delete set alone, encoded (as a snapshot with an empty state vector). */
export const encodeDeleteSet = (ds: DeleteSet): Uint8Array => Y.encodeSnapshot(Y.createSnapshot(ds, new Map()));
export const decodeDeleteSet = (bytes: Uint8Array): DeleteSet => Y.decodeSnapshot(bytes).ds;

/** The full delete set after the given deltas (in any order). */
export const unionOf = (deltas: readonly Uint8Array[]): DeleteSet => Y.mergeDeleteSets(deltas.map(decodeDeleteSet));

/**
 * The document as a snapshot describes it, as a fresh document. `origin` must
 * keep deleted content (gc: false) and hold everything the snapshot covers.
 */
export function documentAt(origin: Y.Doc, snapshot: Y.Snapshot): Y.Doc {
  return Y.createDocFromSnapshot(origin, snapshot);
}
