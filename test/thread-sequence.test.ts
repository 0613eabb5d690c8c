import { afterEach, describe, expect, it, vi } from 'vitest';
import { ThreadSequences } from '../server/comments/sequence.ts';
import { announceIntervalMs, announcer } from '../server/comments/comments.events.ts';
import type { Thread } from '../shared/comments.ts';

const thread = (id: string, seq: number, documentId = 'd1') => ({ id, seq, documentId }) as Thread;

describe('thread change numbers', () => {
  it('continue from the highest stored and announce in order, whatever order the writes finish in', async () => {
    const heard: number[] = [];
    const sequences = new ThreadSequences(async () => 41, (t) => heard.push(t.seq));
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => sequences.next('d1')));
    expect([a, b, c, d].map((t) => t!.seq)).toEqual([42, 43, 44, 45]);

    c!.settle(thread('c', 44));
    b!.settle(null); // its write failed: nothing to announce, and nothing held up behind it
    expect(heard).toEqual([]);
    expect(await sequences.announced('d1')).toBe(41);
    a!.settle(thread('a', 42));
    expect(heard).toEqual([42, 44]);
    expect(await sequences.announced('d1')).toBe(44);
    d!.settle(thread('d', 45));
    d!.settle(thread('d', 45));
    expect(heard).toEqual([42, 44, 45]);
  });

  it('keeps documents apart and reads each one’s start once', async () => {
    const reads: string[] = [];
    const sequences = new ThreadSequences(async (id) => (reads.push(id), id === 'd1' ? 7 : 0), () => undefined);
    const seqs = await Promise.all([sequences.next('d1'), sequences.next('d2'), sequences.next('d1')]);
    expect(seqs.map((t) => t.seq)).toEqual([8, 1, 9]);
    expect(reads.sort()).toEqual(['d1', 'd2']);
  });

  it('tries the stored start again after a failed read', async () => {
    let fail = true;
    const sequences = new ThreadSequences(async () => {
      if (fail) throw new Error('store down');
      return 3;
    }, () => undefined);
    await expect(sequences.next('d1')).rejects.toThrow('store down');
    fail = false;
    expect((await sequences.next('d1')).seq).toBe(4);
  });
});

describe('announcing thread changes', () => {
  afterEach(() => void vi.useRealTimers());

  it('sends a lone change at once and a burst together, each thread once, in seq order', () => {
    // The interval is 20 ms: on a busy machine that much can pass between two lines of this test,
    // so the clock is a fake one that moves only when told to.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] });
    const sent: [string, number[], string[]][] = [];
    const announce = announcer((doc, threads) => sent.push([doc, threads.map((t) => t.seq), threads.map((t) => t.id)]));
    announce(thread('a', 1));
    vi.advanceTimersByTime(0);
    expect(sent).toEqual([['d1', [1], ['a']]]);

    announce(thread('b', 3));
    announce(thread('c', 2));
    announce(thread('b', 4));
    announce(thread('x', 1, 'd2'));
    vi.advanceTimersByTime(0);
    // d2 had nothing recently: at once. d1 waits out its interval.
    expect(sent).toEqual([['d1', [1], ['a']], ['d2', [1], ['x']]]);
    vi.advanceTimersByTime(announceIntervalMs - 1);
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sent[2]).toEqual(['d1', [2, 4], ['c', 'b']]);
  });
});
