import * as Y from 'yjs';
import { fragmentName } from '../../shared/collab.ts';
import { planNodeNames } from '../../shared/plan.ts';

/**
 * What each action links to, for the audit log: read before and after an
 * update that changes links, and compared by action id. Only updates that set
 * an action's `recommendations` or `sdgTargets` pay for it (plan-check says
 * which), so typing never does.
 */

export const linkFields = ['recommendations', 'sdgTargets'] as const;
export type LinkField = (typeof linkFields)[number];

interface ActionLinks {
  title: string;
  recommendations: string[];
  sdgTargets: string[];
}

export interface ActionLinkChange {
  actionId: string;
  /** The action's title as it reads after the change. */
  title: string;
  field: LinkField;
  added: string[];
  removed: string[];
}

const blocks: ReadonlySet<string> = new Set([planNodeNames.goal, planNodeNames.objective, planNodeNames.action]);

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function titleOf(block: Y.XmlElement): string {
  const title = block.get(0);
  if (!(title instanceof Y.XmlElement) || title.nodeName !== planNodeNames.title) return '';
  let text = '';
  for (const child of title.toArray()) {
    if (!(child instanceof Y.XmlText)) continue;
    for (const op of child.toDelta() as { insert?: unknown }[]) if (typeof op.insert === 'string') text += op.insert;
  }
  return text;
}

/** Every live action with an id, by id (the first one wins should two share an id). */
export function actionLinks(doc: Y.Doc): Map<string, ActionLinks> {
  const out = new Map<string, ActionLinks>();
  const walk = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement) || !blocks.has(child.nodeName)) continue;
      if (child.nodeName === planNodeNames.action) {
        const id = child.getAttribute('id');
        if (typeof id === 'string' && !out.has(id))
          out.set(id, { title: titleOf(child), recommendations: strings(child.getAttribute('recommendations')), sdgTargets: strings(child.getAttribute('sdgTargets')) });
      } else walk(child);
    }
  };
  walk(doc.getXmlFragment(fragmentName));
  return out;
}

/**
 * What was linked and unlinked, per action and field. An action that is new
 * counts as linking what it holds; one that is gone is not an unlinking (its
 * removal is a change of structure, not of links).
 */
export function linkChanges(before: ReadonlyMap<string, ActionLinks>, after: ReadonlyMap<string, ActionLinks>): ActionLinkChange[] {
  const changes: ActionLinkChange[] = [];
  for (const [actionId, now] of after) {
    const was = before.get(actionId);
    for (const field of linkFields) {
      const old = new Set(was?.[field] ?? []);
      const current = new Set(now[field]);
      const added = [...current].filter((v) => !old.has(v));
      const removed = [...old].filter((v) => !current.has(v));
      if (added.length > 0 || removed.length > 0) changes.push({ actionId, title: now.title, field, added, removed });
    }
  }
  return changes;
}
