import { describe, expect, it } from 'vitest';
import { SummaryCache } from '../server/recommendations/summary-cache.ts';

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

describe('the register summaries cache', () => {
  it('answers from memory until told the register changed', async () => {
    const cache = new SummaryCache<number>();
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('c1', load)).toBe(1);
    expect(await cache.get('c1', load)).toBe(1);
    cache.forget('c1');
    expect(await cache.get('c1', load)).toBe(2);
  });

  it('never keeps a read that began before a change', async () => {
    const cache = new SummaryCache<string>();
    const slow = deferred<string>();
    const before = cache.get('c1', () => slow.promise);
    cache.forget('c1'); // the register changed while the read was under way
    slow.resolve('stale');
    expect(await before).toBe('stale');
    expect(await cache.get('c1', async () => 'fresh')).toBe('fresh');
  });

  it('keeps only the most recently used consultations', async () => {
    const cache = new SummaryCache<string>(2);
    let loads = 0;
    const load = (v: string) => async () => (loads++, v);
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    await cache.get('a', load('a')); // a is now the most recent
    await cache.get('c', load('c')); // b goes
    expect(loads).toBe(3);
    await cache.get('a', load('a'));
    expect(loads).toBe(3);
    await cache.get('b', load('b'));
    expect(loads).toBe(4);
  });

  it('does not keep a failed read', async () => {
    const cache = new SummaryCache<string>();
    await expect(cache.get('c1', () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await cache.get('c1', async () => 'ok')).toBe('ok');
  });
});
