import { describe, expect, it } from 'vitest';
import { VersionTextCache } from '../server/history/versions.cache.ts';

describe("the versions' text cache", () => {
  it('keeps what fits, dropping the least recently read first', () => {
    const cache = new VersionTextCache(10);
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    expect(cache.get('a')).toBe('aaaa'); // a is now the most recently read
    cache.set('c', 'cccc'); // 12 > 10: b goes
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('aaaa');
    expect(cache.get('c')).toBe('cccc');
  });

  it('does not keep a text larger than the whole budget', () => {
    const cache = new VersionTextCache(3);
    cache.set('big', 'xxxx');
    expect(cache.get('big')).toBeUndefined();
  });
});
