/**
 * The automerge-paper editing trace (CC BY 4.0, Joseph Gentle; prepared by
 * Martin Kleppmann from the writing of arXiv:1608.03960), shipped in
 * bench/traces/ with its attribution so the benchmark runs from a fresh clone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/** Where the repository keeps its traces: bench/traces/. */
export const tracesDir = fileURLToPath(new URL('../traces/', import.meta.url));

/** bench/traces/automerge-paper.json.gz, or the same name in CONVENE_TRACES_DIR (the smoke test's toy trace). */
export const tracePath = path.join(process.env.CONVENE_TRACES_DIR ?? tracesDir, 'automerge-paper.json.gz');

export type Patch = [pos: number, del: number, ins: string];
export interface Trace {
  startContent: string;
  endContent: string;
  txns: { patches: Patch[] }[];
}

export function loadTrace(): Trace {
  return JSON.parse(gunzipSync(readFileSync(tracePath)).toString('utf8')) as Trace;
}

/** Every patch of the trace, in order (each is one single-character edit in this trace). */
export function* edits(trace: Trace): Generator<Patch> {
  for (const txn of trace.txns) yield* txn.patches;
}

export function applyEdit(text: Y.Text, [pos, del, ins]: Patch): void {
  if (del > 0) text.delete(pos, del);
  if (ins.length > 0) text.insert(pos, ins);
}

/**
 * The paper's whole history as one update: every edit applied to a Y.Doc
 * (`getText('t')`) with the given client id, one transaction per edit.
 * `gc: false` keeps the deleted characters, as the server stores documents
 * (for their history).
 */
export function paperHistory(trace: Trace, clientID = 1, { gc = true } = {}): Uint8Array {
  const doc = new Y.Doc({ gc });
  doc.clientID = clientID;
  const text = doc.getText('t');
  for (const edit of edits(trace)) doc.transact(() => applyEdit(text, edit));
  if (text.toString() !== trace.endContent) throw new Error('replaying the trace did not give endContent');
  return Y.encodeStateAsUpdate(doc);
}

/**
 * The same update as if another client had made exactly the same edits:
 * every struct id, origin and delete-set entry moved to `client`. Applying
 * the trace 100 times would take minutes; re-encoding takes milliseconds and
 * yields the same structs a real replay under that client id would.
 * Only for single-client updates such as `paperHistory`'s.
 */
export function withClientId(update: Uint8Array, client: number): Uint8Array {
  const { structs, ds } = Y.decodeUpdate(update);
  if (structs.length === 0) return update;
  const move = (id: Y.ID | null) => id && Y.createID(client, id.clock);
  const enc = new Y.UpdateEncoderV1();
  encoding.writeVarUint(enc.restEncoder, 1);
  encoding.writeVarUint(enc.restEncoder, structs.length);
  enc.writeClient(client);
  encoding.writeVarUint(enc.restEncoder, structs[0]!.id.clock);
  for (const s of structs) {
    (s as { id: Y.ID }).id = Y.createID(client, s.id.clock);
    if (s instanceof Y.Item) {
      s.origin = move(s.origin);
      s.rightOrigin = move(s.rightOrigin);
      if (s.parent instanceof Y.ID) s.parent = move(s.parent);
    }
    s.write(enc, 0);
  }
  // The delete set, written as Yjs writes it (V1: clock and length as var uints).
  encoding.writeVarUint(enc.restEncoder, ds.clients.size);
  for (const items of ds.clients.values()) {
    enc.resetDsCurVal();
    encoding.writeVarUint(enc.restEncoder, client);
    encoding.writeVarUint(enc.restEncoder, items.length);
    for (const item of items) {
      enc.writeDsClock(item.clock);
      enc.writeDsLen(item.len);
    }
  }
  return enc.toUint8Array();
}

/** `copies` independent replays of the paper (client ids 1000…), merged into one update. */
export function multipliedHistory(paper: Uint8Array, copies: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < copies; i++) parts.push(withClientId(paper, 1000 + i));
  return Y.mergeUpdates(parts);
}
