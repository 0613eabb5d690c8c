import * as Y from 'yjs';
import type { Collection, Store } from '../store/types.ts';
import { mergeMany } from './merge.ts';
import type { StoredRun } from '../history/attribution.runs.ts';

/**
 * One entry of a document's update log. `seq` orders entries; a compacted
 * entry holds the merge of every entry up to its own seq, which are then
 * deleted. Loading applies all entries in order, so a crash between writing
 * the merged entry and deleting the old ones loses nothing (Yjs updates are
 * idempotent).
 */
export interface UpdateRecord {
  _id: string;
  docId: string;
  seq: number;
  update: Uint8Array;
  compacted: boolean;
  /** Stored with compacted entries so that a room can announce its state without parsing the document. */
  stateVector?: Uint8Array;
  /**
   * Who made the changes this entry holds (server/history/attribution.runs.ts):
   * a written batch's runs ride on its first entry, a compacted entry holds the
   * merged runs of every entry it replaced. Absent before attribution was kept.
   */
  attribution?: StoredRun[];
}

/** What a compaction reads of the entries it replaces. */
export interface StoredEntries {
  updates: Uint8Array[];
  attribution: StoredRun[];
}

/** A document's stored log as it is, for a room that serves it before (or without) parsing it. */
export interface StoredLog {
  entries: Uint8Array[];
  stateVector: Map<number, number>;
  lastSeq: number;
}

export interface LoadedLog {
  /** The merged update of everything stored, ready to apply or to send as it is. */
  update: Uint8Array;
  lastSeq: number;
  entries: number;
}

const emptyUpdate = () => Y.encodeStateAsUpdate(new Y.Doc());

export class UpdateLog {
  readonly #records: Collection<UpdateRecord>;

  constructor(store: Store) {
    this.#records = store.collection<UpdateRecord>('yjs_updates');
  }

  async ensureIndexes(): Promise<void> {
    await this.#records.createIndex({ docId: 1, seq: 1 }, { unique: true });
  }

  async load(docId: string): Promise<LoadedLog> {
    const records = await this.#records.find({ docId }, { sort: { seq: 1 } });
    const updates = records.map((r) => r.update);
    return {
      update: updates.length === 0 ? emptyUpdate() : mergeMany(updates),
      lastSeq: records.at(-1)?.seq ?? 0,
      entries: records.length,
    };
  }

  async loadEntries(docId: string): Promise<StoredLog> {
    const records = await this.#records.find({ docId }, { sort: { seq: 1 } });
    const stateVector = new Map<number, number>();
    for (const r of records) {
      for (const [client, clock] of Y.decodeStateVector(r.stateVector ?? Y.encodeStateVectorFromUpdate(r.update))) {
        if (clock > (stateVector.get(client) ?? 0)) stateVector.set(client, clock);
      }
    }
    return { entries: records.map((r) => r.update), stateVector, lastSeq: records.at(-1)?.seq ?? 0 };
  }

  /** The stored entries below `seq`, in order: what a compacted entry at `seq` replaces. */
  async entriesBefore(docId: string, seq: number): Promise<StoredEntries> {
    const records = await this.#records.find({ docId, seq: { $lt: seq } }, { sort: { seq: 1 } });
    return { updates: records.map((r) => r.update), attribution: records.flatMap((r) => r.attribution ?? []) };
  }

  /** Every stored run of a document's attribution, in log order (ranges may repeat: readers dedupe). */
  async attribution(docId: string): Promise<StoredRun[]> {
    const records = await this.#records.find({ docId }, { sort: { seq: 1 } });
    return records.flatMap((r) => r.attribution ?? []);
  }

  /** Appends updates as consecutive entries from `seq` on; their attribution goes with the first. */
  async append(docId: string, seq: number, updates: Uint8Array[], attribution: StoredRun[] = []): Promise<void> {
    await this.#records.insertMany(
      updates.map((update, i) => ({
        _id: `${docId}:${seq + i}`,
        docId,
        seq: seq + i,
        update,
        compacted: false,
        ...(i === 0 && attribution.length > 0 ? { attribution } : {}),
      })),
    );
  }

  /** Replaces entries up to `seq` by one holding `merged` and their merged attribution (written first, so nothing is ever missing). */
  async compact(docId: string, seq: number, merged: Uint8Array, stateVector: Uint8Array, attribution: StoredRun[] = []): Promise<void> {
    await this.#records.insertOne({
      _id: `${docId}:${seq}`,
      docId,
      seq,
      update: merged,
      compacted: true,
      stateVector,
      ...(attribution.length > 0 ? { attribution } : {}),
    });
    await this.#records.deleteMany({ docId, seq: { $lt: seq } });
  }

  /** Total stored bytes and entries for a document (benchmarks and tests). */
  async stats(docId: string): Promise<{ entries: number; bytes: number; attributionBytes: number }> {
    const records = await this.#records.find({ docId });
    const runBytes = (r: StoredRun) => r.ins.byteLength + r.del.byteLength + r.m.length + r.g.length + r.at.length + r.to.length;
    return {
      entries: records.length,
      bytes: records.reduce((n, r) => n + r.update.byteLength, 0),
      attributionBytes: records.reduce((n, r) => n + (r.attribution ?? []).reduce((m, run) => m + runBytes(run), 0), 0),
    };
  }
}
