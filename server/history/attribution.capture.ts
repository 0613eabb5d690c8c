import * as Y from 'yjs';
import type { DecodedStructs } from '../collab/protocol.ts';
import type { Run } from './attribution.runs.ts';

/**
 * Records, as the room applies an update, which items it inserted and which it
 * deleted, in the sender's run; and counts what that was in characters (the
 * edit-session summary in the audit log). Nothing here splits or changes the
 * document's structs: it only reads them.
 */

/** Characters and other countable items (an embed, a paragraph) an edit inserted and deleted. */
export interface EditCounts {
  inserted: number;
  deleted: number;
}

/** The deletions a transaction holds so far, per client (its delete set only grows until the transaction ends). */
export type DeleteMark = Map<number, number>;

type Transaction = Y.Transaction;
type DeleteItem = { clock: number; len: number };
const deletesOf = (tr: Transaction) => tr.deleteSet.clients as Map<number, DeleteItem[]>;

export function markDeletes(tr: Transaction): DeleteMark {
  const mark: DeleteMark = new Map();
  for (const [client, items] of deletesOf(tr)) mark.set(client, items.length);
  return mark;
}

/**
 * What one update of a batch applied in one transaction did: the items of its
 * structs the document did not have before it (`stateBefore`), and what the
 * transaction deleted since `mark`.
 */
export function captureApplied(run: Run, tr: Transaction, structs: DecodedStructs, stateBefore: Map<number, number>, mark: DeleteMark): EditCounts {
  let inserted = 0;
  for (const s of structs) {
    if (!(s instanceof Y.Item) && !(s instanceof Y.GC)) continue;
    const { client, clock } = s.id;
    const from = Math.max(clock, stateBefore.get(client) ?? 0);
    const len = clock + s.length - from;
    if (len <= 0) continue;
    run.ins.add(client, from, len);
    if (s instanceof Y.Item && s.content instanceof Y.ContentString) inserted += len;
  }
  let deleted = 0;
  const store = tr.doc.store;
  for (const [client, items] of deletesOf(tr)) {
    for (let i = mark.get(client) ?? 0; i < items.length; i++) {
      const { clock, len } = items[i]!;
      run.del.add(client, clock, len);
      deleted += countable(store, client, clock, len);
    }
  }
  return { inserted, deleted };
}

/** The state vector entries an update's structs touch, read before it is applied. */
export function stateOf(doc: Y.Doc, structs: DecodedStructs): Map<number, number> {
  const state = new Map<number, number>();
  for (const s of structs) if (!state.has(s.id.client)) state.set(s.id.client, Y.getState(doc.store, s.id.client));
  return state;
}

/** What a whole transaction did (a reconnecting client's sync, a change the server made for someone), read once it has ended. */
export function captureTransaction(run: Run, tr: Transaction): EditCounts {
  const store = tr.doc.store;
  let inserted = 0;
  for (const [client, after] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    run.ins.add(client, before, after - before);
    inserted += countIn(store, client, before, after - before, (item) => item.content instanceof Y.ContentString);
  }
  let deleted = 0;
  for (const [client, items] of deletesOf(tr)) {
    for (const { clock, len } of items) {
      run.del.add(client, clock, len);
      deleted += countable(store, client, clock, len);
    }
  }
  return { inserted, deleted };
}

const countable = (store: Y.Doc['store'], client: number, clock: number, len: number) => countIn(store, client, clock, len, (item) => item.countable);

/** How many ids in [clock, clock+len) of a client belong to items `match` accepts. */
function countIn(store: Y.Doc['store'], client: number, clock: number, len: number, match: (item: Y.Item) => boolean): number {
  const structs = store.clients.get(client);
  if (!structs || structs.length === 0) return 0;
  const last = structs[structs.length - 1]!;
  if (clock >= last.id.clock + last.length) return 0;
  const end = clock + len;
  let n = 0;
  for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < end; i++) {
    const s = structs[i]!;
    if (s instanceof Y.Item && match(s)) n += Math.min(end, s.id.clock + s.length) - Math.max(clock, s.id.clock);
  }
  return n;
}
