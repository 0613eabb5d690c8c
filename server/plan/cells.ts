import type { Budget, Indicator } from '../../shared/plan.ts';
import type { PlanAction, PlanSnapshot } from '../../shared/plan-read.ts';
import type { Coverage } from '../../shared/coverage.ts';
import type { Recommendation } from '../../shared/recommendations.ts';
import type { MessageKey } from '../../client/src/lib/i18n/catalogue.ts';
import type { Label } from './labels.ts';
import type { Locale } from '../../client/src/lib/i18n/locales.ts';

/**
 * What every export format writes: the plan, the register and the coverage,
 * with labels already in the requester's language. Built once per request;
 * each format only lays it out.
 */
export interface PlanExport {
  title: string;
  locale: Locale;
  t: Label;
  plan: PlanSnapshot;
  register: Recommendation[];
  coverage: Coverage;
}

/** A multi-valued cell's separator: lists stay readable in one cell and split again easily. */
export const listSeparator = '; ';

export const planColumns = [
  'number',
  'goal',
  'objective',
  'action',
  'description',
  'lead',
  'partners',
  'start',
  'end',
  'status',
  'indicators',
  'amount',
  'currency',
  'source',
  'recommendations',
  'sdgTargets',
] as const;
export type PlanColumn = (typeof planColumns)[number];

export const planHeaders = (t: Label): string[] => planColumns.map((c) => t(`export.col.${c}` as MessageKey));

export const statusLabel = (t: Label, status: PlanAction['status']) => t(`plan.status.${status}` as MessageKey);
export const sourceLabel = (t: Label, budget: Budget | null) => (budget ? t(`plan.source.${budget.source}` as MessageKey) : '');

/** One indicator on one line: its name, then the fields it has, labelled ("Baseline: 30; Target value: 90"). */
export function indicatorText(t: Label, i: Indicator): string {
  const fields = (['baseline', 'target', 'unit', 'verification'] as const)
    .filter((k) => i[k].trim())
    .map((k) => t('export.field', { label: t(`plan.indicator.${k}` as MessageKey), value: i[k] }));
  return fields.length > 0 ? `${i.name} — ${fields.join(listSeparator)}` : i.name;
}

/** A recommendation as people cite it: its document symbol where it has one, else its id. */
export function citation(register: ReadonlyMap<string, Recommendation>, id: string): string {
  return register.get(id)?.symbol || id;
}

/** The row of one action, in `planColumns` order; the amount stays a number, everything else is text. */
export function planRow(x: PlanExport, a: PlanAction, byId: ReadonlyMap<string, Recommendation>, where: Where): (string | number | null)[] {
  const { t } = x;
  return [
    a.number,
    where.goal,
    where.objective,
    a.title,
    a.description,
    a.lead,
    a.partners.join(listSeparator),
    a.start ?? '',
    a.end ?? '',
    statusLabel(t, a.status),
    a.indicators.map((i) => indicatorText(t, i)).join('\n'),
    a.budget ? a.budget.amount : null,
    a.budget?.currency ?? '',
    sourceLabel(t, a.budget),
    a.recommendations.map((id) => citation(byId, id)).join(listSeparator),
    a.sdgTargets.join(listSeparator),
  ];
}

/** The goal and objective an action sits in, as "1 Title" and "1.2 Title". */
export interface Where {
  goal: string;
  objective: string;
}

/** Every action row of the plan, in document order, one at a time: a writer can pause between rows. */
export function* planRows(x: PlanExport): Generator<(string | number | null)[]> {
  const byId = new Map(x.register.map((r) => [r.id, r]));
  for (const g of x.plan.goals)
    for (const o of g.objectives)
      for (const a of o.actions) yield planRow(x, a, byId, { goal: `${g.number} ${g.title}`, objective: `${o.number} ${o.title}` });
}

/** Which actions (by number) link each recommendation. */
export function addressedBy(plan: PlanSnapshot): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const a of plan.actions) for (const id of a.recommendations) map.set(id, [...(map.get(id) ?? []), a.number]);
  return map;
}

/** A safe file name from the document's title: no path, control or direction-changing characters. */
export function fileName(title: string, extension: string): string {
  const base = title
    // Path separators and characters Windows refuses in names; control characters.
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f-\u009f]/g, ' ')
    // Bidirectional controls could make "plan\u202Excod.exe" read as "plan.docx" in a file manager.
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    // No hidden file, no "..": the name starts with something visible.
    .replace(/^[.\s]+/, '')
    .trim();
  // Code points, not UTF-16 units: never cut a character in half.
  const short = [...base].slice(0, 100).join('').trim();
  return `${short || 'plan'}.${extension}`;
}
