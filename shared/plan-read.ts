import * as Y from 'yjs';
import { checkPlanAttribute, planNodeNames, periodsInOrder, type ActionStatus, type Budget, type Indicator, type Period } from './plan.ts';
import type { SdgTargetId } from './sdg.ts';
import { resolveRange, type EncodedRange } from './anchors.ts';

/**
 * Reads the plan's typed blocks out of a document's Y.XmlFragment into plain
 * data, for the table, the coverage view and the exports. It reads what the
 * Yjs document holds, the same on the server and in the browser, so every
 * view of the plan agrees with the editor. An attribute that does not pass
 * the shared schema (the server refuses those, but a document may predate a
 * rule) reads as unset rather than failing the whole plan.
 */

export interface PlanAction {
  id: string;
  /** "1.2.3", from position (never stored). */
  number: string;
  title: string;
  /** The description as plain text, paragraphs and list items on lines of their own. */
  description: string;
  lead: string;
  partners: string[];
  start: Period | null;
  end: Period | null;
  indicators: Indicator[];
  budget: Budget | null;
  status: ActionStatus;
  recommendations: string[];
  sdgTargets: SdgTargetId[];
  /** Where it sits, for filters and exports. */
  goalId: string;
  objectiveId: string;
}

export interface PlanObjective {
  id: string;
  number: string;
  title: string;
  description: string;
  actions: PlanAction[];
}

export interface PlanGoal {
  id: string;
  number: string;
  title: string;
  description: string;
  objectives: PlanObjective[];
}

export interface PlanSnapshot {
  goals: PlanGoal[];
  /** Every action in document order. */
  actions: PlanAction[];
}

const { goal: GOAL, objective: OBJECTIVE, action: ACTION, title: TITLE } = planNodeNames;

/** The text of an element, its blocks on lines of their own. */
function textOf(node: Y.XmlElement | Y.XmlText | Y.XmlFragment | Y.XmlHook): string {
  if (node instanceof Y.XmlText) return plain(node);
  if (node instanceof Y.XmlHook) return '';
  const parts: string[] = [];
  let inline = '';
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) inline += plain(child);
    else if (child instanceof Y.XmlElement) {
      const inner = textOf(child);
      if (inner) parts.push(inner);
    }
  }
  if (inline) parts.unshift(inline);
  return parts.join('\n');
}

/** An XmlText's characters without its formatting (toString() would render marks as tags). */
function plain(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as { insert?: unknown }[]) if (typeof op.insert === 'string') out += op.insert;
  return out;
}

/** A block's attribute if it passes the schema, else undefined. */
function attr(el: Y.XmlElement, key: string): unknown {
  const value = el.getAttribute(key) as unknown;
  if (value === undefined || value === null) return undefined;
  return checkPlanAttribute(el.nodeName as typeof ACTION, key, value) === null ? value : undefined;
}

const idOf = (el: Y.XmlElement): string => {
  const id = el.getAttribute('id') as unknown;
  return typeof id === 'string' && id ? id : '';
};

/** Title (first planTitle child) and description (the ordinary blocks after it). */
function heading(el: Y.XmlElement): { title: string; description: string } {
  let title = '';
  const description: string[] = [];
  let seenTitle = false;
  for (const child of el.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    if (child.nodeName === TITLE && !seenTitle) {
      title = textOf(child);
      seenTitle = true;
    } else if (child.nodeName !== GOAL && child.nodeName !== OBJECTIVE && child.nodeName !== ACTION) {
      const text = textOf(child);
      if (text) description.push(text);
    }
  }
  return { title, description: description.join('\n') };
}

function readAction(el: Y.XmlElement, number: string, goalId: string, objectiveId: string): PlanAction {
  const start = (attr(el, 'start') as Period | undefined) ?? null;
  let end = (attr(el, 'end') as Period | undefined) ?? null;
  // Two people setting start and end at once can merge into an end before the start: show the start alone.
  if (!periodsInOrder(start, end)) end = null;
  return {
    id: idOf(el),
    number,
    ...heading(el),
    lead: (attr(el, 'lead') as string | undefined) ?? '',
    partners: (attr(el, 'partners') as string[] | undefined) ?? [],
    start,
    end,
    indicators: (attr(el, 'indicators') as Indicator[] | undefined) ?? [],
    budget: (attr(el, 'budget') as Budget | undefined) ?? null,
    status: (attr(el, 'status') as ActionStatus | undefined) ?? 'planned',
    recommendations: [...new Set((attr(el, 'recommendations') as string[] | undefined) ?? [])],
    sdgTargets: [...new Set((attr(el, 'sdgTargets') as SdgTargetId[] | undefined) ?? [])],
    goalId,
    objectiveId,
  };
}

const children = (el: Y.XmlElement | Y.XmlFragment, name: string): Y.XmlElement[] =>
  el.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === name);

/** The plan as it stands in `fragment` (the document's body). */
export function readPlan(fragment: Y.XmlFragment): PlanSnapshot {
  const actions: PlanAction[] = [];
  const goals = children(fragment, GOAL).map((g, gi): PlanGoal => {
    const goalNumber = String(gi + 1);
    const goalId = idOf(g);
    return {
      id: goalId,
      number: goalNumber,
      ...heading(g),
      objectives: children(g, OBJECTIVE).map((o, oi): PlanObjective => {
        const objectiveNumber = `${goalNumber}.${oi + 1}`;
        const objectiveId = idOf(o);
        const objectiveActions = children(o, ACTION).map((a, ai) => readAction(a, `${objectiveNumber}.${ai + 1}`, goalId, objectiveId));
        actions.push(...objectiveActions);
        return { id: objectiveId, number: objectiveNumber, ...heading(o), actions: objectiveActions };
      }),
    };
  });
  return { goals, actions };
}

/** The Y.XmlElement of the action with `id`, for writing to it in place (the table edits through this). */
export function findActionElement(fragment: Y.XmlFragment, id: string): Y.XmlElement | null {
  for (const g of children(fragment, GOAL))
    for (const o of children(g, OBJECTIVE)) for (const a of children(o, ACTION)) if (idOf(a) === id) return a;
  return null;
}

/**
 * The id of the action a comment's anchor sits in, or null when it sits
 * outside every action or its passage is gone.
 */
export function actionOfAnchor(anchor: EncodedRange, doc: Y.Doc): string | null {
  let type: Y.AbstractType<unknown> | null = resolveRange(anchor, doc)?.type ?? null;
  while (type) {
    if (type instanceof Y.XmlElement && type.nodeName === ACTION) return idOf(type) || null;
    const item: Y.Item | null = type._item;
    if (!item || item.deleted) return null;
    type = item.parent as Y.AbstractType<unknown> | null;
  }
  return null;
}
