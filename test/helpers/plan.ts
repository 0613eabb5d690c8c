import * as Y from 'yjs';

/**
 * Builds plan blocks the way y-prosemirror stores them (an element with JSON
 * attributes, a planTitle, then description paragraphs and children), for
 * tests that need a plan without a browser.
 */

export interface ActionSpec {
  id: string;
  title: string;
  description?: string;
  attrs?: Record<string, unknown>;
}
export interface ObjectiveSpec {
  id: string;
  title: string;
  description?: string;
  actions: ActionSpec[];
}
export interface GoalSpec {
  id: string;
  title: string;
  description?: string;
  objectives: ObjectiveSpec[];
}

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

export function planBlock(name: string, attrs: Record<string, unknown>, title: string, description = '', children: Y.XmlElement[] = []): Y.XmlElement {
  const el = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string);
  const t = new Y.XmlElement('planTitle');
  t.insert(0, [new Y.XmlText(title)]);
  const paragraphs = description ? description.split('\n').map(paragraph) : [];
  el.insert(0, [t, ...paragraphs, ...children]);
  return el;
}

/** Appends the goals to the fragment in one transaction. */
export function writePlan(fragment: Y.XmlFragment, goals: GoalSpec[]): void {
  const elements = goals.map((g) =>
    planBlock(
      'planGoal',
      { id: g.id, dir: 'auto' },
      g.title,
      g.description,
      g.objectives.map((o) =>
        planBlock(
          'planObjective',
          { id: o.id, dir: 'auto' },
          o.title,
          o.description,
          o.actions.map((a) => planBlock('planAction', { id: a.id, dir: 'auto', status: 'planned', ...a.attrs }, a.title, a.description)),
        ),
      ),
    ),
  );
  const doc = fragment.doc;
  if (doc) doc.transact(() => fragment.insert(fragment.length, elements));
  else fragment.insert(fragment.length, elements);
}
