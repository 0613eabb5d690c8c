import type { RecommendationSummary } from '../../../shared/recommendations.ts';

/**
 * The coverage view's filters over the unaddressed recommendations: the same
 * facets `computeCoverage` counts by, where an empty value ("") stands for
 * "none given", so choosing it lists exactly what that count counted.
 */
export const facets = ['body', 'theme', 'position', 'affectedPersons'] as const;
export type Facet = (typeof facets)[number];
export type FacetChoice = Partial<Record<Facet, string>>;

const valuesOf: Record<Facet, (r: RecommendationSummary) => readonly string[]> = {
  body: (r) => [r.body],
  theme: (r) => (r.themes.length > 0 ? r.themes : ['']),
  position: (r) => [r.position ?? ''],
  affectedPersons: (r) => (r.affectedPersons.length > 0 ? r.affectedPersons : ['']),
};

/** The recommendations that have every chosen value. */
export function filterByFacets(items: readonly RecommendationSummary[], chosen: FacetChoice): readonly RecommendationSummary[] {
  const active = facets.filter((f) => chosen[f] !== undefined);
  if (active.length === 0) return items;
  return items.filter((r) => active.every((f) => valuesOf[f](r).includes(chosen[f]!)));
}

export const pageSize = 50;

/** How many pages `count` items fill (at least one, so "page 1 of 1" reads right when empty). */
export const pageCount = (count: number, size = pageSize) => Math.max(1, Math.ceil(count / size));
