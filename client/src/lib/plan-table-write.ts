import * as Y from 'yjs';
import { checkPlanAttribute, checkPlanAttributes, planNodeNames, type PlanActionAttrs } from '../../../shared/plan.ts';
import { findActionElement } from '../../../shared/plan-read.ts';
import { textDiff } from './plan-table.ts';

/**
 * The table's edits, written straight into the action's Y.XmlElement the way
 * y-prosemirror stores a node's attributes (a JSON value per key; null is
 * not stored), so the editor, the other tables and the server see an
 * ordinary change of those keys only: two people changing different fields
 * of one action at once both keep theirs.
 */

export type TableField = 'title' | 'lead' | 'partners' | 'start' | 'end' | 'status' | 'budget' | 'indicators' | 'links';
export type WriteResult = null | 'gone' | { problem: string };

/** Checks and writes attribute changes; nothing is written when one is refused. */
export function writeActionAttrs(fragment: Y.XmlFragment, actionId: string, changes: Partial<PlanActionAttrs>): WriteResult {
  const el = findActionElement(fragment, actionId);
  if (!el) return 'gone';
  for (const [key, value] of Object.entries(changes)) {
    const problem = checkPlanAttribute(planNodeNames.action, key, value);
    if (problem) return { problem };
  }
  // The cross-field rule (an end not before its start) against what the document holds now.
  const merged = { start: el.getAttribute('start') as unknown, end: el.getAttribute('end') as unknown, ...pick(changes, ['start', 'end']) };
  const problem = checkPlanAttributes(planNodeNames.action, merged);
  if (problem) return { problem };
  const doc = fragment.doc;
  const apply = () => {
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === undefined) {
        if (el.getAttribute(key) !== undefined) el.removeAttribute(key);
      } else if (JSON.stringify(el.getAttribute(key)) !== JSON.stringify(value)) {
        // Typed loosely by Yjs (string values), stored as any JSON value, as y-prosemirror does.
        el.setAttribute(key, value as unknown as string);
      }
    }
  };
  if (doc) doc.transact(apply);
  else apply();
  return null;
}

function pick<T extends object>(o: T, keys: (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (Object.hasOwn(o, k)) out[k] = o[k];
  return out;
}

/** The action's title text (the planTitle's Y.XmlText), created when the title is still empty. */
function titleText(el: Y.XmlElement, create: boolean): Y.XmlText | null {
  const title = el.toArray().find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === planNodeNames.title);
  if (!title) return null;
  const text = title.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
  if (text || !create) return text ?? null;
  const fresh = new Y.XmlText();
  title.insert(0, [fresh]);
  return fresh;
}

const plainOf = (text: Y.XmlText): string =>
  (text.toDelta() as { insert?: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');

/**
 * Changes the action's title by its smallest edit (shared start and end
 * kept), so a comment anchored in the title keeps its place and someone
 * typing elsewhere in it keeps their words.
 */
export function writeActionTitle(fragment: Y.XmlFragment, actionId: string, title: string): WriteResult {
  const el = findActionElement(fragment, actionId);
  if (!el) return 'gone';
  const next = title.replace(/[\r\n]+/g, ' ');
  const apply = (): WriteResult => {
    const text = titleText(el, next !== '');
    if (!text) return next === '' ? null : 'gone';
    const { index, remove, insert } = textDiff(plainOf(text), next);
    if (remove > 0) text.delete(index, remove);
    if (insert) text.insert(index, insert);
    return null;
  };
  const doc = fragment.doc;
  let result: WriteResult = null;
  if (doc) doc.transact(() => void (result = apply()));
  else result = apply();
  return result;
}
