import { describe, expect, it } from 'vitest';
import { RecentlyDeleted, type DeletedBlock } from '../server/collab/block-moves.ts';

const block = (id: string): DeletedBlock => ({ nodeName: 'planAction', id, texts: [] });

describe('plan blocks remembered after a cut', () => {
  it('gives a block back once, by document, while it is recent', () => {
    let now = 0;
    const recent = new RecentlyDeleted(1_000, 10, () => now);
    recent.remember('d1', [block('a1'), block('a2')]);
    expect(recent.takeBack('d2', ['a1'])).toEqual([]);
    expect(recent.takeBack('d1', ['a1', 'zz']).map((b) => b.id)).toEqual(['a1']);
    expect(recent.takeBack('d1', ['a1'])).toEqual([]);
    now = 1_001;
    expect(recent.takeBack('d1', ['a2'])).toEqual([]);
  });

  it('keeps at most its bound per document, the newest', () => {
    const recent = new RecentlyDeleted(60_000, 3, () => 0);
    recent.remember('d', ['a', 'b', 'c', 'd'].map(block));
    recent.remember('d', [block('b')]); // deleted again: now the newest
    recent.remember('d', [block('e')]);
    expect(recent.takeBack('d', ['a', 'b', 'c', 'd', 'e']).map((b) => b.id)).toEqual(['b', 'd', 'e']);
  });
});
