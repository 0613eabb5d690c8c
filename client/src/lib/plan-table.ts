import { actionStatuses, periodRange, type ActionStatus } from '../../../shared/plan.ts';
import type { PlanAction, PlanSnapshot } from '../../../shared/plan-read.ts';
import type { StanceCounts } from '../../../shared/comments.ts';
import { stakeholderGroups, type StakeholderGroup } from '../../../shared/groups.ts';
import type { RecommendationSummary } from '../../../shared/recommendations.ts';
import { sdgGoalOf } from '../../../shared/sdg.ts';

/**
 * The plan as a table: every action with what its filters and sort keys need,
 * worked out once per change of the plan, the register or the comments (the
 * index), so that changing a filter, the search or the sort only walks plain
 * arrays and sets. Pure functions: the page derives from them, the tests call them.
 */

export interface IndexedAction {
  action: PlanAction;
  /** Its place in the plan (document order), the default sort. */
  order: number;
  goalNumber: string;
  goalTitle: string;
  objectiveNumber: string;
  objectiveTitle: string;
  /** Title, description, lead and partners, lower-cased, for the search. */
  text: string;
  /** The linked recommendations' symbols (the id when the register has no symbol or no such row), in link order. */
  symbols: string[];
  /** Recommending bodies and themes of the linked recommendations found in the register. */
  bodies: ReadonlySet<string>;
  themes: ReadonlySet<string>;
  sdgGoals: ReadonlySet<number>;
  /** Positions taken in comments on the action, per group (null: none). */
  counts: StanceCounts | null;
  /** The groups with at least one objection. */
  objectedBy: ReadonlySet<StakeholderGroup>;
  objections: number;
}

export interface PositionsEntry {
  counts: StanceCounts;
  threads: number;
}

const fold = (s: string): string => s.toLocaleLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');

/** Builds the index: one entry per action, in plan order. */
export function indexPlan(
  plan: PlanSnapshot,
  registerById: ReadonlyMap<string, Pick<RecommendationSummary, 'symbol' | 'body' | 'themes'>>,
  positions: ReadonlyMap<string, PositionsEntry>,
): IndexedAction[] {
  const out: IndexedAction[] = [];
  for (const goal of plan.goals)
    for (const objective of goal.objectives)
      for (const action of objective.actions) {
        const bodies = new Set<string>();
        const themes = new Set<string>();
        const symbols: string[] = [];
        for (const id of action.recommendations) {
          const r = registerById.get(id);
          symbols.push(r?.symbol || id);
          if (!r) continue;
          if (r.body) bodies.add(r.body);
          for (const t of r.themes) if (t) themes.add(t);
        }
        const counts = positions.get(action.id)?.counts ?? null;
        const objectedBy = new Set<StakeholderGroup>();
        let objections = 0;
        if (counts)
          for (const g of stakeholderGroups) {
            const n = counts[g]?.object ?? 0;
            if (n > 0) objectedBy.add(g);
            objections += n;
          }
        out.push({
          action,
          order: out.length,
          goalNumber: goal.number,
          goalTitle: goal.title,
          objectiveNumber: objective.number,
          objectiveTitle: objective.title,
          text: fold([action.title, action.description, action.lead, ...action.partners].join('\n')),
          symbols,
          bodies,
          themes,
          sdgGoals: new Set(action.sdgTargets.map(sdgGoalOf)),
          counts,
          objectedBy,
          objections,
        });
      }
  return out;
}

export interface TableFilters {
  /** Exact lead institution; '' for actions without one; null for any. */
  lead: string | null;
  status: ActionStatus | null;
  sdgGoal: number | null;
  body: string | null;
  theme: string | null;
  objectedBy: StakeholderGroup | null;
  /** Words that must all appear (in any order) in the title, description, lead or partners. */
  search: string;
}

export const noFilters: TableFilters = { lead: null, status: null, sdgGoal: null, body: null, theme: null, objectedBy: null, search: '' };

export const isFiltered = (f: TableFilters): boolean =>
  f.lead !== null || f.status !== null || f.sdgGoal !== null || f.body !== null || f.theme !== null || f.objectedBy !== null || f.search.trim() !== '';

/** The actions that pass every filter, in the order given. */
export function filterActions(index: readonly IndexedAction[], f: TableFilters): IndexedAction[] {
  const words = fold(f.search).split(/\s+/).filter(Boolean);
  return index.filter(
    (e) =>
      (f.lead === null || e.action.lead === f.lead) &&
      (f.status === null || e.action.status === f.status) &&
      (f.sdgGoal === null || e.sdgGoals.has(f.sdgGoal)) &&
      (f.body === null || e.bodies.has(f.body)) &&
      (f.theme === null || e.themes.has(f.theme)) &&
      (f.objectedBy === null || e.objectedBy.has(f.objectedBy)) &&
      words.every((w) => e.text.includes(w)),
  );
}

export const sortKeys = ['number', 'title', 'lead', 'partners', 'start', 'end', 'status', 'indicators', 'budget', 'recommendations', 'sdgTargets', 'positions'] as const;
export type SortKey = (typeof sortKeys)[number];
export interface TableSort {
  key: SortKey;
  direction: 'ascending' | 'descending';
}
/** Plan order. */
export const planOrder: TableSort = { key: 'number', direction: 'ascending' };

/** Collators are costly to create (locale resolution): one per language and kind. */
const collators = new Map<string, Intl.Collator>();
function collator(locale: string, sensitivity?: 'base'): Intl.Collator {
  const key = `${locale}|${sensitivity ?? ''}`;
  let c = collators.get(key);
  if (!c) collators.set(key, (c = new Intl.Collator(locale, { numeric: true, sensitivity })));
  return c;
}

const statusRank = new Map<ActionStatus, number>(actionStatuses.map((s, i) => [s, i]));

/** A sort value; null sorts last in both directions (an empty cell says nothing). */
function sortValue(e: IndexedAction, key: SortKey): string | number | null {
  const a = e.action;
  switch (key) {
    case 'number':
      return e.order;
    case 'title':
      return a.title.trim() || null;
    case 'lead':
      return a.lead.trim() || null;
    case 'partners':
      return a.partners.length || null;
    case 'start':
      return a.start ? (periodRange(a.start)?.first ?? null) : null;
    case 'end':
      return a.end ? (periodRange(a.end)?.last ?? null) : null;
    case 'status':
      return statusRank.get(a.status) ?? null;
    case 'indicators':
      return a.indicators.length || null;
    case 'budget':
      return a.budget ? a.budget.amount : null;
    case 'recommendations':
      return a.recommendations.length || null;
    case 'sdgTargets':
      return a.sdgTargets.length || null;
    case 'positions':
      return e.objections || null;
  }
}

/**
 * The actions sorted by one column (a stable sort: ties keep plan order);
 * text compared in the reader's language.
 */
export function sortActions(rows: readonly IndexedAction[], sort: TableSort, locale = 'en'): IndexedAction[] {
  if (sort.key === 'number') return sort.direction === 'ascending' ? [...rows] : [...rows].reverse();
  const compare = collator(locale, 'base').compare;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const keyed = rows.map((e) => ({ e, v: sortValue(e, sort.key) }));
  keyed.sort((x, y) => {
    if (x.v === null || y.v === null) return x.v === y.v ? x.e.order - y.e.order : x.v === null ? 1 : -1;
    const c = typeof x.v === 'number' && typeof y.v === 'number' ? x.v - y.v : compare(String(x.v), String(y.v));
    return c !== 0 ? sign * c : x.e.order - y.e.order;
  });
  return keyed.map((k) => k.e);
}

/** The values each filter menu offers, from the whole plan (not the filtered rows), sorted. */
export interface TableFacets {
  leads: string[];
  /** Whether some action has no lead (offered as "none given"). */
  noLead: boolean;
  sdgGoals: number[];
  bodies: string[];
  themes: string[];
}

export function facetsOf(index: readonly IndexedAction[], locale = 'en'): TableFacets {
  const leads = new Set<string>();
  const goals = new Set<number>();
  const bodies = new Set<string>();
  const themes = new Set<string>();
  let noLead = false;
  for (const e of index) {
    if (e.action.lead) leads.add(e.action.lead);
    else noLead = true;
    for (const g of e.sdgGoals) goals.add(g);
    for (const b of e.bodies) bodies.add(b);
    for (const t of e.themes) themes.add(t);
  }
  const compare = collator(locale).compare;
  const sorted = (s: Set<string>) => [...s].sort(compare);
  return { leads: sorted(leads), noLead, sdgGoals: [...goals].sort((a, b) => a - b), bodies: sorted(bodies), themes: sorted(themes) };
}

/** Rows grouped under their objective (plan order), or one untitled group when sorted otherwise. */
export interface RowGroup {
  key: string;
  heading: { goalNumber: string; goalTitle: string; objectiveNumber: string; objectiveTitle: string } | null;
  rows: IndexedAction[];
}

export function groupRows(rows: readonly IndexedAction[], byObjective: boolean): RowGroup[] {
  if (!byObjective) return [{ key: 'all', heading: null, rows: [...rows] }];
  const groups: RowGroup[] = [];
  for (const e of rows) {
    const last = groups[groups.length - 1];
    // Keyed by position too: two objectives may share an id in a damaged document.
    if (last && last.heading?.objectiveNumber === e.objectiveNumber) last.rows.push(e);
    else
      groups.push({
        key: `${e.objectiveNumber}|${e.action.objectiveId}`,
        heading: { goalNumber: e.goalNumber, goalTitle: e.goalTitle, objectiveNumber: e.objectiveNumber, objectiveTitle: e.objectiveTitle },
        rows: [e],
      });
  }
  return groups;
}

/**
 * The smallest change that turns `before` into `after`: what they share at
 * the start and at the end stays, only the middle is replaced. Counted in
 * UTF-16 units (Yjs text positions), never splitting a surrogate pair.
 */
export function textDiff(before: string, after: string): { index: number; remove: number; insert: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  if (end > 0 && isLowSurrogate(before.charCodeAt(before.length - end))) end--;
  return { index: start, remove: before.length - start - end, insert: after.slice(start, after.length - end) };
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** One row of the table as drawn: an objective's heading or an action. */
export type TableItem = { kind: 'heading'; key: string; group: RowGroup } | { kind: 'action'; key: string; group: RowGroup; entry: IndexedAction };

/**
 * The rows to draw, in order: each group's heading (when it has one) and its
 * actions that the filters keep; a group left empty by the filters is left
 * out whole. The table draws only the part of this list near the scroll
 * position, so a filter or a sort changes this list, never 300 rows at once.
 */
export function tableItems(groups: readonly RowGroup[], shown: ReadonlySet<string>): TableItem[] {
  const items: TableItem[] = [];
  for (const group of groups) {
    const rows = group.rows.filter((e) => shown.has(e.action.id));
    if (rows.length === 0) continue;
    if (group.heading) items.push({ kind: 'heading', key: `heading:${group.key}`, group });
    for (const entry of rows) items.push({ kind: 'action', key: `action:${entry.action.id}`, group, entry });
  }
  return items;
}
