import { describe, expect, it } from 'vitest';
import { computeCoverage, type FacetCount } from '../shared/coverage.ts';
import type { RecommendationSummary } from '../shared/recommendations.ts';
import { facets, filterByFacets, pageCount, type Facet } from '../client/src/lib/coverage-view.ts';

const rec = (id: string, over: Partial<RecommendationSummary> = {}): RecommendationSummary => ({
  id,
  symbol: '',
  body: '',
  themes: [],
  affectedPersons: [],
  sdgs: [],
  position: null,
  text: `Recommendation ${id}`,
  ...over,
});

const register = [
  rec('A-1', { body: 'UPR', themes: ['Children', 'Education'], affectedPersons: ['Children'], position: 'supported' }),
  rec('A-2', { body: 'UPR', themes: ['Children', 'Children'], position: 'noted' }),
  rec('A-3', { body: 'CRC', affectedPersons: ['Children', 'Girls'] }),
  rec('A-4', { themes: ['Education'], position: 'supported' }),
  rec('A-5', { body: 'CAT', themes: ['Torture'], affectedPersons: ['Detainees'], position: 'noted' }),
];
const noPlan = { goals: [], actions: [] };

describe('the coverage view’s filters', () => {
  it('list exactly the recommendations each count counts, "none given" included', () => {
    const c = computeCoverage(noPlan, register).recommendations;
    const counts: Record<Facet, FacetCount[]> = { body: c.byBody, theme: c.byTheme, position: c.byPosition, affectedPersons: c.byAffectedPersons };
    let checked = 0;
    for (const facet of facets) {
      for (const { value, count } of counts[facet]) {
        expect(filterByFacets(c.unaddressed, { [facet]: value }), `${facet}=${JSON.stringify(value)}`).toHaveLength(count);
        checked++;
      }
    }
    expect(checked).toBe(4 + 4 + 3 + 4);
    expect(filterByFacets(c.unaddressed, { body: '' }).map((r) => r.id)).toEqual(['A-4']);
    expect(filterByFacets(c.unaddressed, { position: '' }).map((r) => r.id)).toEqual(['A-3']);
    expect(filterByFacets(c.unaddressed, { theme: '' }).map((r) => r.id)).toEqual(['A-3']);
  });

  it('combine facets, and keep the register order', () => {
    expect(filterByFacets(register, { theme: 'Children', position: 'supported' }).map((r) => r.id)).toEqual(['A-1']);
    expect(filterByFacets(register, { affectedPersons: 'Children' }).map((r) => r.id)).toEqual(['A-1', 'A-3']);
    expect(filterByFacets(register, {})).toBe(register);
    expect(filterByFacets(register, { body: 'Nobody' })).toEqual([]);
  });

  it('count pages, at least one', () => {
    expect([0, 1, 50, 51, 100, 101].map((n) => pageCount(n))).toEqual([1, 1, 1, 2, 2, 3]);
  });
});
