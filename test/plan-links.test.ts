import { describe, expect, it } from 'vitest';
import { addLink, matchesSearch, removeLink, shortText, suggestSdgTargets } from '../client/src/lib/plan-links.ts';
import { planLimits } from '../shared/plan.ts';

describe('SDG suggestions from linked recommendations', () => {
  it('offers listed targets directly and goals on their own to choose among', () => {
    expect(suggestSdgTargets([['16', '16.10'], ['5', '1.a']], [])).toEqual({ targets: ['16.10', '1.a'], goals: [5] });
  });

  it('leaves out targets already linked, and duplicates across recommendations', () => {
    expect(suggestSdgTargets([['16.10', '16.3'], ['16.3', '4']], ['16.10'])).toEqual({ targets: ['16.3'], goals: [4] });
  });

  it('keeps a goal prompt when its only listed target is already linked, and skips malformed values', () => {
    expect(suggestSdgTargets([['16', '16.10', '18', '16.x1', 'abc']], ['16.10'])).toEqual({ targets: [], goals: [16] });
  });
});

describe('links and search', () => {
  it('adds once, removes, and stops at the schema limit', () => {
    expect(addLink(['a'], 'b')).toEqual(['a', 'b']);
    expect(addLink(['a', 'b'], 'a')).toEqual(['a', 'b']);
    expect(removeLink(['a', 'b'], 'a')).toEqual(['b']);
    const full = Array.from({ length: planLimits.links }, (_, i) => `r${i}`);
    expect(addLink(full, 'extra')).toHaveLength(planLimits.links);
  });

  it('matches every word in symbol, body or text, in any case', () => {
    const rec = { id: 'x1', symbol: 'A/HRC/52/1 para 12', body: 'UPR', text: 'Guarantee access to information' };
    expect(matchesSearch(rec, 'upr INFORMATION')).toBe(true);
    expect(matchesSearch(rec, 'hrc/52 torture')).toBe(false);
    expect(matchesSearch(rec, '  ')).toBe(true);
  });

  it('shortens long texts at a word', () => {
    expect(shortText('one two three four', 10)).toBe('one two…');
    expect(shortText('short')).toBe('short');
  });
});
