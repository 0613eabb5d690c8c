import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { DocumentWriter } from '../server/collab/writer.ts';
import type { UpdateLog } from '../server/collab/persistence.ts';
import { createLogger } from '../server/logger.ts';

/** A log that records what it is given, as the store would hold it. */
function fakeLog() {
  const appended: { seq: number; update: Uint8Array }[] = [];
  const log = {
    append: async (_docId: string, seq: number, update: Uint8Array) => void appended.push({ seq, update }),
    compact: async () => undefined,
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

afterEach(() => vi.useRealTimers());

describe('the document writer', () => {
  it('writes a batch as soon as it holds maxBatchUpdates, without waiting for its timers', async () => {
    vi.useFakeTimers();
    const { log, appended } = fakeLog();
    const options = { maxDelayMs: 60_000, debounceMs: 60_000, compactAfterUpdates: 1_000, maxBatchUpdates: 4 };
    const writer = new DocumentWriter('doc', new Y.Doc(), log, options, createLogger('silent'), { lastSeq: 0, entries: 0 });
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
});
