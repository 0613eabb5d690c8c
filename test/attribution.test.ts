import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { IdRanges } from '../server/history/attribution.ranges.ts';
import { encodeRun, mergeRuns, type Run, type StoredRun } from '../server/history/attribution.runs.ts';
import { RunsIndex } from '../server/history/attribution.index.ts';
import { UpdateLog } from '../server/collab/persistence.ts';
import { Compactor } from '../server/collab/compactor.ts';
import { openEmbeddedStore } from '../server/store/embedded.ts';
import { seededRandom, testSeed } from './helpers/random.ts';
import { onCleanup } from './helpers/cleanup.ts';

const run = (membershipId: string, at: number, ins: [number, number, number][], del: [number, number, number][] = [], group = 'government' as const): Run => {
  const r: Run = { membershipId, group, at, to: at, ins: new IdRanges(), del: new IdRanges() };
  for (const [c, k, l] of ins) r.ins.add(c, k, l);
  for (const [c, k, l] of del) r.del.add(c, k, l);
  return r;
};
const id = (client: number, clock: number) => Y.createID(client, clock);

describe('id ranges', () => {
  it('hold exactly the ids added, merged into disjoint sorted ranges, through encoding', () => {
    const random = seededRandom(testSeed());
    const ranges = new IdRanges();
    const truth = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const client = 1 + Math.floor(random() * 3);
      const clock = Math.floor(random() * 500);
      const len = 1 + Math.floor(random() * 6);
      ranges.add(client, clock, len);
      for (let k = 0; k < len; k++) truth.add(`${client}:${clock + k}`);
    }
    const decoded = IdRanges.decode(ranges.encode());
    const seen = new Set<string>();
    for (const r of [ranges, decoded]) {
      seen.clear();
      for (const list of r.clients.values()) for (let i = 2; i < list.length; i += 2) expect(list[i]!).toBeGreaterThan(list[i - 2]! + list[i - 1]!);
      r.forEach((client, clock, len) => {
        for (let k = 0; k < len; k++) seen.add(`${client}:${clock + k}`);
      });
      expect(seen).toEqual(truth);
      expect(r.size).toBe(truth.size);
    }
  });
});

describe('runs merged by compaction', () => {
  it('merge one member’s runs within a session, keep sessions apart, and count a range stored twice once', () => {
    const minute = 60_000;
    const stored = [
      run('m1', 0, [[1, 0, 5]]),
      run('m2', minute, [[2, 0, 3]], [[1, 2, 1]], 'nhri' as never),
      run('m1', 2 * minute, [[1, 5, 5]], [[2, 0, 1]]),
      run('m1', 2 * minute, [[1, 5, 5]], [[2, 0, 1]]), // the same run again: entries compacted twice after a crash
      run('m1', 30 * minute, [[1, 10, 2]]),
    ].map(encodeRun);
    const merged = mergeRuns(stored);
    expect(merged.map((r) => [r.m, r.at])).toEqual([
      ['m1', new Date(0).toISOString()],
      ['m2', new Date(minute).toISOString()],
      ['m1', new Date(30 * minute).toISOString()],
    ]);
    expect(IdRanges.decode(merged[0]!.ins).clients.get(1)).toEqual([0, 10]);
    expect(merged[0]!.to).toBe(new Date(2 * minute).toISOString());
    // Merging what was merged changes nothing.
    expect(mergeRuns([...merged, ...stored])).toEqual(merged);
  });
});

describe('the attribution index', () => {
  it('finds who inserted and deleted an id, the earliest run where two claim it, and nobody outside every range', () => {
    const index = new RunsIndex(
      [run('late', 2000, [[7, 0, 10]], [[7, 4, 4]]), run('early', 1000, [[7, 5, 2]], [[7, 6, 1]]), run('other', 3000, [[8, 3, 2]])].map(encodeRun),
    );
    const ins = (clock: number, client = 7) => index.insertedBy(id(client, clock))?.membershipId ?? null;
    const del = (clock: number) => index.deletedBy(id(7, clock))?.membershipId ?? null;
    expect([0, 4, 5, 6, 7, 9, 10].map((c) => ins(c))).toEqual(['late', 'late', 'early', 'early', 'late', 'late', null]);
    expect([3, 4, 5, 6, 7, 8].map(del)).toEqual([null, 'late', 'late', 'early', 'late', null]);
    expect([2, 3, 4, 5].map((c) => ins(c, 8))).toEqual([null, 'other', 'other', null]);
    expect(index.insertedBy(id(9, 0))).toBeNull();
    expect(index.insertedBy(id(7, 5))).toEqual({ membershipId: 'early', group: 'government', at: new Date(1000).toISOString() });
  });

  it('loses nothing when a compaction wrote its entry but did not delete the entries it replaced (a crash), nor when compacted again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convene-attribution-'));
    const store = await openEmbeddedStore(dir);
    const compactor = new Compactor();
    onCleanup(async () => {
      await compactor.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    });
    const log = new UpdateLog(store);
    const doc = new Y.Doc({ gc: false });
    const text = doc.getText('t');
    const runs: StoredRun[][] = [];
    let seq = 0;
    let ds = new IdRanges();
    doc.on('afterTransaction', (tr: Y.Transaction) => tr.deleteSet.clients.forEach((items, c) => items.forEach((d) => ds.add(c, d.clock, d.len))));
    for (let i = 0; i < 6; i++) {
      const before = Y.encodeStateVector(doc);
      ds = new IdRanges();
      doc.transact(() => {
        text.insert(text.length, `part ${i} `);
        if (i % 2 === 1) text.delete(0, 2);
      });
      const r = run(`m${i % 3}`, i * 1000, []);
      const state = Y.getState(doc.store, doc.clientID);
      r.ins.add(doc.clientID, state - `part ${i} `.length, `part ${i} `.length);
      r.del.addAll(ds);
      runs.push([encodeRun(r)]);
      await log.append('doc', ++seq, [Y.encodeStateAsUpdate(doc, before)], runs.at(-1));
    }
    const expected = (index: RunsIndex) =>
      [...doc.store.clients.get(doc.clientID)!].flatMap((s) => Array.from({ length: s.length }, (_, k) => [index.insertedBy(id(s.id.client, s.id.clock + k))?.membershipId, index.deletedBy(id(s.id.client, s.id.clock + k))?.membershipId]));
    const truth = expected(new RunsIndex(runs.flat()));
    expect(truth.every(([who]) => who !== undefined)).toBe(true);

    // The compacted entry is written; the process dies before the old entries are deleted.
    const entries = await log.entriesBefore('doc', seq + 1);
    const merged = await compactor.merge(entries.updates, entries.attribution);
    await log.append('doc', ++seq, [merged.update], merged.attribution);
    expect(expected(new RunsIndex(await log.attribution('doc')))).toEqual(truth);
    // Compacted again after the restart: everything merged into one entry, still the same.
    const again = await log.entriesBefore('doc', seq + 1);
    const remerged = await compactor.merge(again.updates, again.attribution);
    await log.compact('doc', seq + 1, remerged.update, remerged.stateVector, remerged.attribution);
    expect((await log.stats('doc')).entries).toBe(1);
    expect(expected(new RunsIndex(await log.attribution('doc')))).toEqual(truth);
    expect(remerged.attribution.length).toBeLessThanOrEqual(runs.length);
  });
});
