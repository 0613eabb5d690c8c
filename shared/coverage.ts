import * as Y from 'yjs';
import { stances, type StanceCounts } from './comments.ts';
import { stakeholderGroups } from './groups.ts';
import { actionOfAnchor, type PlanAction, type PlanSnapshot } from './plan-read.ts';
import type { EncodedRange } from './anchors.ts';
import type { RecommendationSummary } from './recommendations.ts';
import type { SdgTargetId } from './sdg.ts';

/**
 * What the plan covers, computed from the plan as the Yjs document holds it,
 * the recommendations register and the positions taken in comments. The
 * coverage view computes it in the browser as people edit; the exports
 * compute it on the server. Both read the same function, so they agree.
 */

/** How many unaddressed recommendations share one value of a facet, most first. */
export interface FacetCount {
  value: string;
  count: number;
}

/** What an action still lacks for the plan to be implementable. */
export const gaps = ['lead', 'indicator', 'budget', 'timeline'] as const;
export type Gap = (typeof gaps)[number];

export interface ActionPositions {
  actionId: string;
  number: string;
  title: string;
  /** Per stakeholder group, how many positions of each stance were taken in comments on the action. */
  counts: StanceCounts;
  threads: number;
}

export interface Coverage {
  recommendations: {
    total: number;
    addressed: number;
    /** Not linked from any action, in register order. */
    unaddressed: RecommendationSummary[];
    /** The unaddressed ones counted by facet; an empty value counts as "" (none given). */
    byBody: FacetCount[];
    byTheme: FacetCount[];
    byPosition: FacetCount[];
    byAffectedPersons: FacetCount[];
  };
  /** Each SDG target the plan links to, with the numbers of the actions that link it, in target order. */
  sdgTargets: { target: SdgTargetId; actions: string[] }[];
  /** Actions missing a lead institution, an indicator, a budget or a timeline (start and end). */
  incomplete: { actionId: string; number: string; title: string; missing: Gap[] }[];
  /** Linked ids that are not (or no longer) in the register. */
  unknownLinks: { actionId: string; number: string; recommendationId: string }[];
  positions: ActionPositions[];
}

/** A comment thread as coverage needs it (shared/comments.ts `Thread` fits). */
export interface ThreadPositions {
  anchor: EncodedRange;
  counts: StanceCounts;
}

export const missingOf = (a: PlanAction): Gap[] => {
  const missing: Gap[] = [];
  if (!a.lead.trim()) missing.push('lead');
  if (a.indicators.length === 0) missing.push('indicator');
  if (!a.budget) missing.push('budget');
  if (!a.start || !a.end) missing.push('timeline');
  return missing;
};

export const emptyCounts = (): StanceCounts =>
  Object.fromEntries(stakeholderGroups.map((g) => [g, Object.fromEntries(stances.map((s) => [s, 0]))])) as StanceCounts;

/** Sums the positions of the threads anchored inside each action, by the action's id. */
export function positionsByAction(threads: Iterable<ThreadPositions>, doc: Y.Doc): Map<string, { counts: StanceCounts; threads: number }> {
  const result = new Map<string, { counts: StanceCounts; threads: number }>();
  for (const thread of threads) {
    const actionId = actionOfAnchor(thread.anchor, doc);
    if (!actionId) continue;
    let entry = result.get(actionId);
    if (!entry) result.set(actionId, (entry = { counts: emptyCounts(), threads: 0 }));
    entry.threads++;
    for (const group of stakeholderGroups) for (const stance of stances) entry.counts[group][stance] += thread.counts[group]?.[stance] ?? 0;
  }
  return result;
}

function countBy(items: readonly RecommendationSummary[], values: (r: RecommendationSummary) => readonly string[]): FacetCount[] {
  const counts = new Map<string, number>();
  for (const r of items) {
    const vs = values(r);
    for (const v of vs.length > 0 ? new Set(vs) : ['']) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** "16.10" before "16.a", "2.1" before "10.1". */
export function compareTargets(a: string, b: string): number {
  const [ga, ta = ''] = a.split('.');
  const [gb, tb = ''] = b.split('.');
  const byGoal = Number(ga) - Number(gb);
  if (byGoal !== 0) return byGoal;
  const na = /^\d+$/.test(ta) ? Number(ta) : Infinity;
  const nb = /^\d+$/.test(tb) ? Number(tb) : Infinity;
  return na !== nb ? na - nb : ta.localeCompare(tb);
}

export function computeCoverage(
  plan: PlanSnapshot,
  register: readonly RecommendationSummary[],
  positions: ReadonlyMap<string, { counts: StanceCounts; threads: number }> = new Map(),
): Coverage {
  const known = new Set(register.map((r) => r.id));
  const linked = new Set<string>();
  const targets = new Map<SdgTargetId, string[]>();
  const unknownLinks: Coverage['unknownLinks'] = [];
  for (const a of plan.actions) {
    for (const id of a.recommendations) {
      linked.add(id);
      if (!known.has(id)) unknownLinks.push({ actionId: a.id, number: a.number, recommendationId: id });
    }
    for (const t of a.sdgTargets) {
      let list = targets.get(t);
      if (!list) targets.set(t, (list = []));
      list.push(a.number);
    }
  }
  const unaddressed = register.filter((r) => !linked.has(r.id));
  return {
    recommendations: {
      total: register.length,
      addressed: register.length - unaddressed.length,
      unaddressed,
      byBody: countBy(unaddressed, (r) => (r.body ? [r.body] : [])),
      byTheme: countBy(unaddressed, (r) => r.themes),
      byPosition: countBy(unaddressed, (r) => (r.position ? [r.position] : [])),
      byAffectedPersons: countBy(unaddressed, (r) => r.affectedPersons),
    },
    sdgTargets: [...targets].sort(([a], [b]) => compareTargets(a, b)).map(([target, actions]) => ({ target, actions })),
    incomplete: plan.actions.flatMap((a) => {
      const missing = missingOf(a);
      return missing.length > 0 ? [{ actionId: a.id, number: a.number, title: a.title, missing }] : [];
    }),
    unknownLinks,
    positions: plan.actions.map((a) => {
      const p = positions.get(a.id);
      return { actionId: a.id, number: a.number, title: a.title, counts: p?.counts ?? emptyCounts(), threads: p?.threads ?? 0 };
    }),
  };
}
