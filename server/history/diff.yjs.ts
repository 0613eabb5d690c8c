// Yjs types are invariant in their event type, so these take AbstractType<any> (as shared/anchors.ts does).
import * as Y from 'yjs';

/**
 * Small reads of a gc:false Y.Doc at a snapshot, shared by the difference
 * engine and the comment fates. Yjs keeps `isVisible` to itself; this is the
 * same rule (created before the snapshot's state vector, not in its delete set).
 */

/** Whether the character `clock` of `client` exists and is not deleted at `snapshot`. */
export function visibleAt(snapshot: Y.Snapshot, client: number, clock: number): boolean {
  return (snapshot.sv.get(client) ?? 0) > clock && !Y.isDeleted(snapshot.ds, Y.createID(client, clock));
}

/** Whether an item (its first character, for a text run) exists and is not deleted at `snapshot`. */
export const itemVisibleAt = (item: Y.Item, snapshot: Y.Snapshot): boolean => visibleAt(snapshot, item.id.client, item.id.clock);

/** The child items of a list type (an element's or a fragment's children), in document order, deleted ones included. */
export function* childItems(type: Y.AbstractType<any>): Generator<Y.Item> {
  for (let n = type._start; n !== null; n = n.right) yield n;
}

/** The shared type an item holds (an element or a text), or null for any other content. */
export function typeOf(item: Y.Item): Y.AbstractType<any> | null {
  return item.content instanceof Y.ContentType ? (item.content.type as Y.AbstractType<any>) : null;
}

/**
 * Both functions read a document that must hold every item a snapshot
 * names (Yjs would fail deep inside with "Unexpected case" otherwise), and
 * must have kept deleted content.
 */
export function assertHolds(doc: Y.Doc, ...snapshots: Y.Snapshot[]): void {
  if (doc.gc) throw new Error('history needs a document kept without garbage collection (gc: false)');
  for (const s of snapshots)
    for (const [client, clock] of s.sv)
      if (clock > Y.getState(doc.store, client)) throw new Error(`a snapshot is ahead of the document (client ${client}: ${clock} > ${Y.getState(doc.store, client)})`);
}
