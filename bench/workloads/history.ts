/**
 * i: what keeping history costs. The automerge-paper trace (259,778
 * single-character edits, one writer) goes through the server's own storage
 * path, in this process: a `RoomRegistry` room receives each edit as a
 * y-websocket update frame from a connection attributed to a member, its
 * `DocumentWriter` batches and stores them in an `UpdateLog` over the
 * embedded store, and the compactor thread compacts them, as in production
 * (documents kept without garbage collection, attribution stored with the
 * log). Every 1,000 updates a version is taken, with a stand-in for what the
 * versions code stores: `Y.snapshot(doc)`, its state vector encoded whole
 * and its delete set only as the ids deleted since the previous version.
 *
 * Prints: the merged document as a gc'd document encodes it; what is stored
 * for history (the compacted non-gc log, its attribution, the version
 * snapshots) and the ratio (target ≤ 3×); the in-memory cost of gc: false;
 * and the cold-open cost of the history-kept document (read from the store,
 * and applied by a newcomer) beside the gc'd one.
 *
 *   node --expose-gc --import tsx bench/workloads/history.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { applyEdit, edits, loadTrace } from '../lib/trace.ts';
import { openEmbeddedStore } from '../../server/store/embedded.ts';
import { UpdateLog } from '../../server/collab/persistence.ts';
import { RoomRegistry } from '../../server/collab/rooms.ts';
import { Connection } from '../../server/collab/room.ts';
import { encodeUpdate } from '../../server/collab/protocol.ts';
import { testConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { planSchemaVersion } from '../../shared/plan.ts';
import { IdRanges } from '../../server/history/attribution.ranges.ts';
import { loadAttribution } from '../../server/history/attribution.load.ts';

const CLIENT = 0x9e3779b1;
const versionEvery = 1000;

export interface HistoryResult {
  updates: number;
  versions: number;
  gcDocBytes: number;
  nonGcDocBytes: number;
  logBytes: number;
  logEntries: number;
  attributionBytes: number;
  versionBytes: number;
  storedBytes: number;
  ratio: number;
  heap: { gc: number; nonGc: number } | null;
  coldOpen: { storeReadMs: number; applyHistoryMs: number; applyGcMs: number; attributionLoadMs: number; applyHistoryTimes: number[] };
  replayS: number;
}

/** The ids a delete set holds, as ranges. */
function rangesOf(ds: Y.Snapshot['ds']): IdRanges {
  const r = new IdRanges();
  (ds.clients as Map<number, { clock: number; len: number }[]>).forEach((items, client) => items.forEach((d) => r.add(client, d.clock, d.len)));
  return r;
}

/** Ids in `now` and not in `before` (deletions only grow, so this is what was deleted since). */
function since(now: IdRanges, before: IdRanges): IdRanges {
  const out = new IdRanges();
  now.forEach((client, clock, len) => {
    const old = before.clients.get(client) ?? [];
    let at = clock;
    const end = clock + len;
    for (let i = 0; i < old.length && at < end; i += 2) {
      const [s, e] = [old[i]!, old[i]! + old[i + 1]!];
      if (e <= at) continue;
      if (s >= end) break;
      if (s > at) out.add(client, at, s - at);
      at = Math.max(at, e);
    }
    if (at < end) out.add(client, at, end - at);
  });
  return out;
}

/** A version record's bytes: the snapshot's state vector, and its delete set as a delta from the previous version's. */
function versionRecord(snapshot: Y.Snapshot, previous: IdRanges): { bytes: Uint8Array; deleted: IdRanges } {
  const deleted = rangesOf(snapshot.ds);
  const e = encoding.createEncoder();
  encoding.writeVarUint8Array(e, Y.encodeStateVector(snapshot.sv));
  encoding.writeVarUint8Array(e, since(deleted, previous).encode());
  return { bytes: encoding.toUint8Array(e), deleted };
}

const heapNow = () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

export async function historyCost(log: (line: string) => void = console.log): Promise<HistoryResult> {
  const trace = loadTrace();
  log('i: generating the trace’s updates');
  const source = new Y.Doc({ gc: true });
  source.clientID = CLIENT;
  const frames: Uint8Array[] = [];
  source.on('update', (u: Uint8Array) => frames.push(encodeUpdate(u)));
  for (const edit of edits(trace)) source.transact(() => applyEdit(source.getText('t'), edit));
  const gcDocBytes = Y.encodeStateAsUpdate(source).byteLength;

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-bench-i-'));
  const store = await openEmbeddedStore(dataDir);
  const config = testConfig({ dataDir });
  const updateLog = new UpdateLog(store);
  await updateLog.ensureIndexes();
  const rooms = new RoomRegistry(updateLog, config.persistence, config.roomIdleMs, createLogger('error'));
  try {
    const docId = 'paper';
    const room = await rooms.acquire(docId);
    const conn = new Connection({ send: () => undefined, close: () => undefined }, true, 'bench', { userId: 'u', sessionId: 's', consultationId: 'c' }, undefined, planSchemaVersion);
    conn.editor = { membershipId: 'member-1', group: 'government' };
    room.join(conn);
    log(`i: replaying ${frames.length} updates through a room, its writer and the compactor, a version every ${versionEvery}`);
    const began = performance.now();
    let versionBytes = 0;
    let versions = 0;
    let previous = new IdRanges();
    for (let i = 0; i < frames.length; i++) {
      room.receive(conn, frames[i]!);
      if ((i + 1) % versionEvery === 0 || i === frames.length - 1) {
        // Let the batch apply and the writer run, as the event loop would between socket reads.
        await new Promise((r) => setImmediate(r));
        const record = versionRecord(Y.snapshot(room.doc), previous);
        previous = record.deleted;
        versionBytes += record.bytes.byteLength;
        versions++;
      }
    }
    await room.compact();
    const replayS = (performance.now() - began) / 1000;
    const text = room.doc.getText('t').toString();
    if (text !== trace.endContent) throw new Error('the room did not reach the paper’s text');
    const nonGcDocBytes = Y.encodeStateAsUpdate(room.doc).byteLength;
    const stats = await updateLog.stats(docId);

    // Cold open of the history-kept document: reading its log, and applying it as a newcomer does; the gc'd one beside it.
    const t0 = performance.now();
    const stored = await updateLog.loadEntries(docId);
    const storeReadMs = performance.now() - t0;
    /** Five applies in fresh documents; the first warms the code up and is dropped. */
    const timeApply = (updates: Uint8Array[]) => {
      const times: number[] = [];
      for (let k = 0; k < 5; k++) {
        const doc = new Y.Doc();
        const t = performance.now();
        for (const u of updates) Y.applyUpdate(doc, u);
        times.push(performance.now() - t);
        doc.destroy();
      }
      return times.slice(1);
    };
    const gcUpdate = Y.encodeStateAsUpdate(source);
    const applyHistoryTimes = timeApply(stored.entries);
    const applyHistoryMs = Math.min(...applyHistoryTimes);
    const applyGcMs = Math.min(...timeApply([gcUpdate]));
    const t1 = performance.now();
    const index = await loadAttribution(docId, updateLog, rooms);
    const attributionLoadMs = performance.now() - t1;
    if (index.insertedBy(Y.createID(CLIENT, 0))?.membershipId !== 'member-1') throw new Error('attribution did not read back');

    // Memory: the same document held with and without garbage collection.
    let heap: HistoryResult['heap'] = null;
    const base = heapNow();
    if (base !== null) {
      const kept = new Y.Doc({ gc: false });
      Y.applyUpdate(kept, stored.entries[0]!);
      const nonGc = heapNow()! - base;
      kept.destroy();
      const base2 = heapNow()!;
      const collected = new Y.Doc({ gc: true });
      Y.applyUpdate(collected, gcUpdate);
      const gcHeap = heapNow()! - base2;
      collected.destroy();
      heap = { gc: gcHeap, nonGc };
    }
    const storedBytes = stats.bytes + stats.attributionBytes + versionBytes;
    return {
      updates: frames.length,
      versions,
      gcDocBytes,
      nonGcDocBytes,
      logBytes: stats.bytes,
      logEntries: stats.entries,
      attributionBytes: stats.attributionBytes,
      versionBytes,
      storedBytes,
      ratio: storedBytes / gcDocBytes,
      heap,
      coldOpen: { storeReadMs, applyHistoryMs, applyGcMs, attributionLoadMs, applyHistoryTimes },
      replayS,
    };
  } finally {
    await rooms.closeAll(1001, 'bench over');
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

export function describeHistory(r: HistoryResult): string[] {
  return [
    `i. history kept, automerge paper (${r.updates} updates, ${r.versions} versions, replayed in ${r.replayS.toFixed(1)} s):`,
    `   merged document, gc'd: ${kib(r.gcDocBytes)}; the same kept without gc: ${kib(r.nonGcDocBytes)}`,
    `   stored for history: ${kib(r.storedBytes)} = log ${kib(r.logBytes)} (${r.logEntries} entr${r.logEntries === 1 ? 'y' : 'ies'}) + attribution ${kib(r.attributionBytes)} + version snapshots ${kib(r.versionBytes)}`,
    `   ratio: ${r.ratio.toFixed(2)}× the merged gc'd document (target ≤ 3×: ${r.ratio <= 3 ? 'met' : 'NOT met'})`,
    r.heap ? `   heap of the document in memory: ${(r.heap.nonGc / 2 ** 20).toFixed(1)} MiB without gc, ${(r.heap.gc / 2 ** 20).toFixed(1)} MiB gc'd` : '   heap: run with node --expose-gc to measure',
    `   cold open: store read ${r.coldOpen.storeReadMs.toFixed(0)} ms; a newcomer applies the kept history in ${r.coldOpen.applyHistoryMs.toFixed(0)} ms at best (gc'd: ${r.coldOpen.applyGcMs.toFixed(0)} ms); attribution index loaded in ${r.coldOpen.attributionLoadMs.toFixed(0)} ms`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await historyCost();
  for (const line of describeHistory(result)) console.log(line);
  console.log(JSON.stringify(result));
}
