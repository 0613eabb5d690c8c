import * as Y from 'yjs';
import type { FieldChange } from '../../shared/history.ts';
import { fragmentName } from '../../shared/collab.ts';
import { readPlan, type PlanAction } from '../../shared/plan-read.ts';

/**
 * The plan's actions compared field by field. Each end is read with the
 * same `readPlan` the table and the exports use (on a copy of the document
 * at that snapshot), so a field reads here exactly as it read on screen then:
 * an attribute the schema refuses reads as unset, an end before the start
 * as no end.
 */

/** The fields compared, in the order they are listed. Title and description are text: they are in the blocks. */
export const planFields = ['lead', 'partners', 'start', 'end', 'indicators', 'budget', 'status', 'recommendations', 'sdgTargets'] as const;
type Field = (typeof planFields)[number];

/** Links are sets: listing them in another order changes nothing. */
const unordered: ReadonlySet<Field> = new Set(['recommendations', 'sdgTargets']);

/**
 * An action at both ends: the fields whose values differ. An action at one
 * end only (added or removed; its text shows as added or removed blocks):
 * every field it has a value for, with null on the side where it is absent,
 * so what an added action was given (its lead, its budget…) is listed too.
 */
export function diffPlanFields(doc: Y.Doc, from: Y.Snapshot, to: Y.Snapshot): FieldChange[] {
  const before = actionsAt(doc, from);
  const after = actionsAt(doc, to);
  const changes: FieldChange[] = [];
  const ids = [...after.keys(), ...[...before.keys()].filter((id) => !after.has(id))];
  for (const id of ids) {
    const a = before.get(id) ?? null;
    const b = after.get(id) ?? null;
    const shown = b ?? a!;
    for (const field of planFields) {
      const x = a ? (a[field] ?? null) : null;
      const y = b ? (b[field] ?? null) : null;
      if (!a && isEmpty(y)) continue;
      if (!b && isEmpty(x)) continue;
      if (canonical(normal(field, x)) === canonical(normal(field, y))) continue;
      changes.push({ actionId: id, number: b?.number ?? null, title: shown.title, field, before: x, after: y });
    }
  }
  return changes;
}

function actionsAt(doc: Y.Doc, snapshot: Y.Snapshot): Map<string, PlanAction> {
  const copy = Y.createDocFromSnapshot(doc, snapshot);
  try {
    const actions = new Map<string, PlanAction>();
    // An id pasted twice: the first one is the action (the server gives copies new ids; see block-ids).
    for (const action of readPlan(copy.getXmlFragment(fragmentName)).actions) if (action.id && !actions.has(action.id)) actions.set(action.id, action);
    return actions;
  } finally {
    copy.destroy();
  }
}

function normal(field: Field, value: unknown): unknown {
  if (unordered.has(field) && Array.isArray(value)) return [...(value as string[])].sort();
  return value;
}

const isEmpty = (v: unknown): boolean => v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** JSON with object keys sorted: two budgets with their keys stored in another order are the same budget. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)))
      : value,
  );
}
