import { afterEach, describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { DocumentWriter, type WriterOptions } from '../server/collab/writer.ts';
import { UpdateLog } from '../server/collab/persistence.ts';
import { Compactor } from '../server/collab/compactor.ts';
import { openEmbeddedStore } from '../server/store/embedded.ts';
import { createLogger } from '../server/logger.ts';

/** A log that records what it is given. */
function fakeLog() {
  const appended: { seq: number; update: Uint8Array }[] = [];
  const log = {
    append: async (_docId: string, seq: number, updates: Uint8Array[]) => updates.forEach((update, i) => appended.push({ seq: seq + i, update })),
  };
  return { log: log as unknown as UpdateLog, appended };
}

const keystrokes = (n: number) => {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < n; i++) doc.getText('t').insert(i, String(i % 10));
  return { doc, updates };
};

const textOf = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0)) await c();
});

/** The real log over the embedded store, and one compactor thread. */
async function realLog() {
  const dir = await mkdtemp(join(tmpdir(), 'convene-writer-'));
  const store = await openEmbeddedStore(dir);
  const log = new UpdateLog(store);
  await log.ensureIndexes();
  const compactor = new Compactor();
  cleanups.push(async () => {
    await compactor.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { log, compactor };
}

/**
 * A writer that compacts after 3 entries, whose first compaction is held
 * until the test releases it, so that writes can be made while it works.
 * Each `writeSome` stores one entry.
 */
async function heldCompaction(keystrokeCount: number) {
  const { log, compactor } = await realLog();
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const merges: number[] = [];
  const gated = { merge: async (entries: Uint8Array[]) => (merges.push(entries.length) === 1 && (await held), compactor.merge(entries)) };
  const options: WriterOptions = { maxDelayMs: 60_000, debounceMs: 60_000, compactAfterUpdates: 3, maxBatchUpdates: 60_000 };
  const writer = new DocumentWriter('doc', log, gated as unknown as Compactor, options, createLogger('silent'), { lastSeq: 0, entries: 0 });
  const { doc, updates } = keystrokes(keystrokeCount);
  const writeSome = async (from: number, to: number) => {
    const before = (await log.stats('doc')).entries;
    for (const u of updates.slice(from, to)) writer.schedule(u);
    // A flush writes at once, then waits for the compaction too (the held one would never end):
    // wait for the entry to be stored instead (a fixed pause can be too short on a busy machine).
    void writer.flush();
    await vi.waitFor(async () => expect((await log.stats('doc')).entries).toBe(before + 1), { timeout: 30_000, interval: 5 });
  };
  return { log, writer, doc, merges, release, writeSome };
}

describe('the document writer', () => {
  it('writes a batch as soon as it holds maxBatchUpdates, without waiting for its timers', async () => {
    vi.useFakeTimers();
    const { log, appended } = fakeLog();
    const options = { maxDelayMs: 60_000, debounceMs: 60_000, compactAfterUpdates: 1_000, maxBatchUpdates: 4 };
    const writer = new DocumentWriter('doc', log, new Compactor(), options, createLogger('silent'), { lastSeq: 0, entries: 0 });
    const { doc, updates } = keystrokes(10);
    // One keystroke per turn, as typing arrives; advancing by 0 runs the writes' promises, not the timers.
    for (const u of updates) {
      writer.schedule(u);
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(appended.map((a) => a.seq)).toEqual([1, 2]);

    // The remaining two wait for the timer; all ten together rebuild the text.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(appended).toHaveLength(3);
    const stored = new Y.Doc();
    for (const { update } of appended) Y.applyUpdate(stored, update);
    expect(stored.getText('t').toString()).toBe(doc.getText('t').toString());
    writer.dispose();
  });

  it('writes a batch that grew past 1,024 (the store was slow, or the updates came at once) as parts, in consecutive entries', async () => {
    const { log, appended } = fakeLog();
    const options = { maxDelayMs: 60_000, debounceMs: 60_000, compactAfterUpdates: 1_000 };
    const writer = new DocumentWriter('doc', log, new Compactor(), options, createLogger('silent'), { lastSeq: 0, entries: 0 });
    const { doc, updates } = keystrokes(4 * 1024 + 10);
    for (const u of updates) writer.schedule(u); // one turn: the write that the first 1,024 started takes them all
    await writer.flush();
    expect(appended.map((a) => a.seq)).toEqual([1, 2, 3, 4, 5]);
    const stored = new Y.Doc();
    for (const { update } of appended) Y.applyUpdate(stored, update);
    expect(stored.getText('t').toString()).toBe(doc.getText('t').toString());
    writer.dispose();
  });

  it('compacts the stored log in the compactor’s thread while later writes go on', async () => {
    const { log, writer, doc, merges, release, writeSome } = await heldCompaction(50);
    await writeSome(0, 10);
    await writeSome(10, 20);
    await writeSome(20, 30); // the third entry: compaction starts, and waits
    await vi.waitFor(() => expect(merges).toEqual([3]), { timeout: 30_000 });
    await writeSome(30, 40); // stored while the compactor holds
    expect((await log.stats('doc')).entries).toBe(4);

    release();
    await writer.flush();
    // Entries 1–3 became one (seq 4); entry 5, written meanwhile, stays.
    const stats = await log.stats('doc');
    expect(stats.entries).toBe(2);
    const loaded = await log.load('doc');
    expect(loaded.lastSeq).toBe(5);
    expect(textOf(loaded.update)).toBe(doc.getText('t').toString().slice(0, 40));
    writer.dispose();
  });

  it('compacts again at once when the writes made during a compaction are already due', async () => {
    const { log, writer, doc, merges, release, writeSome } = await heldCompaction(60);
    for (let i = 0; i < 6; i++) await writeSome(i * 10, i * 10 + 10); // the third starts a compaction; three more while it is held
    expect(merges).toHaveLength(1);
    release();
    await writer.flush();
    // No write came after the first compaction ended, yet the three written meanwhile were compacted too.
    expect(merges).toHaveLength(2);
    expect((await log.stats('doc')).entries).toBe(1);
    expect(textOf((await log.load('doc')).update)).toBe(doc.getText('t').toString());
    writer.dispose();
  });

  it('leaves the log whole when compacting fails, and compacts again later', async () => {
    const { log, compactor } = await realLog();
    let fail = true;
    const flaky = { merge: (entries: Uint8Array[]) => (fail ? Promise.reject(new Error('worker lost')) : compactor.merge(entries)) };
    const options: WriterOptions = { maxDelayMs: 60_000, debounceMs: 60_000, compactAfterUpdates: 2, maxBatchUpdates: 60_000 };
    const writer = new DocumentWriter('doc', log, flaky as unknown as Compactor, options, createLogger('silent'), { lastSeq: 0, entries: 0 });
    const { doc, updates } = keystrokes(30);
    for (const [from, to] of [[0, 10], [10, 20]] as const) {
      for (const u of updates.slice(from, to)) writer.schedule(u);
      await writer.flush();
    }
    expect((await log.stats('doc')).entries).toBe(2);
    fail = false;
    for (const u of updates.slice(20)) writer.schedule(u);
    await writer.flush();
    expect((await log.stats('doc')).entries).toBe(1);
    expect(textOf((await log.load('doc')).update)).toBe(doc.getText('t').toString());
    writer.dispose();
  });
});

describe('the compactor', () => {
  it('merges a log into the same state as the document it came from', async () => {
    const { compactor } = await realLog();
    const { doc, updates } = keystrokes(200);
    doc.getText('t').delete(10, 50);
    const all = [...updates, Y.encodeStateAsUpdate(doc)];
    const { update, stateVector } = await compactor.merge(all);
    expect(textOf(update)).toBe(doc.getText('t').toString());
    expect(stateVector).toEqual(Y.encodeStateVector(doc));
    // Encoded from a rebuilt document that keeps deleted content (versions rebuild past states from it).
    const kept = new Y.Doc({ gc: false });
    for (const u of all) Y.applyUpdate(kept, u);
    expect(update).toEqual(Y.encodeStateAsUpdate(kept));
    expect(update.byteLength).toBeGreaterThan(Y.encodeStateAsUpdate(doc).byteLength);
  });

  // Linux keeps a priority per thread; the compactor lowers its own only there.
  it.runIf(process.platform === 'linux')('runs its thread below the event loop’s priority, and leaves the event loop’s alone', async () => {
    /** Each thread of this process and its nice value, from /proc (field 19 of the thread's stat). */
    const threads = () =>
      new Map(
        readdirSync('/proc/self/task').map((tid) => {
          const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
          return [tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])] as const;
        }),
      );
    const base = getPriority();
    const before = threads();
    const { compactor } = await realLog();
    await compactor.merge([Y.encodeStateAsUpdate(keystrokes(3).doc)]);
    const started = [...threads()].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
    // The worker's own thread, lowered; any others its start brought (V8's helpers) are not the compactor's to lower.
    expect(started).toContain(Math.min(19, base + 10));
    expect(getPriority()).toBe(base);
  });

  it('refuses work once closed', async () => {
    const compactor = new Compactor();
    await compactor.close();
    await expect(compactor.merge([])).rejects.toThrow(/closed/);
  });
});
