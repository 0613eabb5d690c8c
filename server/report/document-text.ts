import * as Y from 'yjs';
import { planNodeNames } from '../../shared/plan.ts';
import { readPlan } from '../../shared/plan-read.ts';
import { resolveRange, type EncodedRange } from '../../shared/anchors.ts';
import type { TextBlock } from './report.data.ts';

const planLevels: Record<string, 1 | 2 | 3> = { [planNodeNames.goal]: 1, [planNodeNames.objective]: 2, [planNodeNames.action]: 3 };

/** An XmlText's characters without formatting marks. */
function plain(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as { insert?: unknown }[]) if (typeof op.insert === 'string') out += op.insert;
  return out;
}

export interface DocumentText {
  blocks: TextBlock[];
  /** The section title of every piece of text (the heading or plan block it sits under), for placing comment threads. */
  sectionOf: Map<object, string>;
  /** Section titles in reading order. */
  order: string[];
}

/**
 * A document's text as headings, paragraphs and list items, read from the
 * Yjs document the editor writes (headings, paragraphs, lists and the plan's
 * goal, objective and action blocks, numbered as everywhere else). Each piece
 * of text remembers the section it sits in: the heading above it, or the
 * innermost plan block holding it.
 */
export function documentText(fragment: Y.XmlFragment, untitled: string): DocumentText {
  const numbers = new Map<string, string>();
  const plan = readPlan(fragment);
  const actions = new Map(plan.actions.map((a) => [a.id, a]));
  for (const g of plan.goals) {
    numbers.set(g.id, g.number);
    for (const o of g.objectives) {
      numbers.set(o.id, o.number);
      for (const a of o.actions) numbers.set(a.id, a.number);
    }
  }
  const blocks: TextBlock[] = [];
  const sectionOf = new Map<object, string>();
  const order: string[] = [];
  let section = untitled;
  const enter = (title: string) => {
    section = title;
    if (!order.includes(title)) order.push(title);
  };
  enter(untitled);

  const walk = (node: Y.XmlElement | Y.XmlFragment, inList: boolean): void => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        sectionOf.set(child, section);
        continue;
      }
      if (!(child instanceof Y.XmlElement)) continue;
      const name = child.nodeName;
      const level = planLevels[name];
      if (level) {
        const outer = section;
        const titleEl = child.toArray().find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === planNodeNames.title);
        const id = child.getAttribute('id') as unknown;
        const number = typeof id === 'string' ? numbers.get(id) : undefined;
        const title = [number, titleEl ? textOf(titleEl) : ''].filter(Boolean).join(' ');
        enter(title || untitled);
        blocks.push({ kind: 'heading', level, text: title });
        const action = level === 3 && typeof id === 'string' ? actions.get(id) : undefined;
        if (action) blocks.push({ kind: 'fields', action });
        if (titleEl) for (const t of titleEl.toArray()) if (t instanceof Y.XmlText) sectionOf.set(t, section);
        walk(filtered(child, titleEl), false);
        // Text after a plan block (outside any) belongs again to what held it.
        section = outer;
        continue;
      }
      const texts = child.toArray();
      if (texts.length > 0 && texts.every((c) => c instanceof Y.XmlText)) {
        const text = texts.map((t) => plain(t as Y.XmlText)).join('');
        if (name === 'heading') {
          const raw = Number(child.getAttribute('level'));
          enter(text || untitled);
          blocks.push({ kind: 'heading', level: raw === 2 || raw === 3 ? raw : 1, text });
        } else if (text.trim()) blocks.push({ kind: inList ? 'item' : 'paragraph', text });
        for (const t of texts) sectionOf.set(t as Y.XmlText, section);
        continue;
      }
      walk(child, inList || /list/i.test(name));
    }
  };
  walk(fragment, false);
  return { blocks, sectionOf, order };
}

/** An element's children without its title, as a fragment-like walkable list. */
function filtered(el: Y.XmlElement, skip: Y.XmlElement | undefined): Y.XmlElement {
  return { toArray: () => el.toArray().filter((c) => c !== skip) } as unknown as Y.XmlElement;
}

function textOf(el: Y.XmlElement): string {
  return el
    .toArray()
    .map((c) => (c instanceof Y.XmlText ? plain(c) : c instanceof Y.XmlElement ? textOf(c) : ''))
    .join('');
}

/** The section a thread's anchor sits in now, or null when its passage has left the text. */
export function sectionOfAnchor(text: DocumentText, anchor: EncodedRange, doc: Y.Doc): string | null {
  const range = resolveRange(anchor, doc);
  if (!range) return null;
  return text.sectionOf.get(range.type) ?? null;
}
