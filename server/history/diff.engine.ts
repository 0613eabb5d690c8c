import * as Y from 'yjs';
import type { Author } from '../../shared/comments.ts';
import type { DiffBlock, DiffSegment, DocumentDiff } from '../../shared/history.ts';
import { stakeholderGroups } from '../../shared/groups.ts';
import { fragmentName } from '../../shared/collab.ts';
import { planNodeNames } from '../../shared/plan.ts';
import type { Attribution, AttributionIndex } from './types.ts';
import { assertHolds, childItems, itemVisibleAt, typeOf } from './diff.yjs.ts';
import { diffPlanFields } from './diff.fields.ts';

/**
 * The difference between two states of a document, block by block, with
 * every inserted and deleted character attributed to whoever's update made
 * it. Both states are snapshots of one gc:false Y.Doc that holds the whole
 * history, so nothing is re-parsed or replayed: Yjs marks each run of text
 * as added or removed between the two snapshots (`XmlText.toDelta`), and the
 * attribution index says whose it was, character by character (one Yjs item
 * can hold characters deleted by different people).
 */

export type DiffResult = Pick<DocumentDiff, 'blocks' | 'fields' | 'counts'>;

/** What the engine calls to show who made a change; null hides it (the segment then says "unknown"). */
export type AuthorOf = (a: Attribution) => Author | null;

/** ProseMirror nodes whose children are text, even when they hold none yet. */
const textblocks: ReadonlySet<string> = new Set(['paragraph', 'heading', 'planTitle', 'codeBlock']);
const planBlocks: ReadonlySet<string> = new Set([planNodeNames.goal, planNodeNames.objective, planNodeNames.action]);
/** Which plan block a plan block's number continues: objectives number within goals, actions within objectives. */
const numberedUnder: Record<string, string> = { [planNodeNames.objective]: planNodeNames.goal, [planNodeNames.action]: planNodeNames.objective };

type PlanRef = DiffBlock['planBlock'];
/** Tiptap's line break inside a paragraph: shown as a newline in the block's text. Other inline nodes are not text. */
const lineBreak = 'hardBreak';
type YChange = { kind: 'added' | 'removed'; id: Y.ID };

export const unknownGroup = 'unknown';

/**
 * `doc` must keep deleted content (gc:false): `from` and `to` are two of its
 * states (taken with Y.snapshot, or decoded from stored ones), `from` usually
 * the earlier. `index` says who inserted and who deleted each item; `author`
 * turns that into what the viewer may see (alias and group), or null.
 */
export function diffDocument(doc: Y.Doc, from: Y.Snapshot, to: Y.Snapshot, index: AttributionIndex, author: AuthorOf): DiffResult {
  assertHolds(doc, from, to);
  const engine = new Engine(from, to, index, author);
  // One transaction: Yjs splits the items at each snapshot's edges once for all the texts read, and merges them back after.
  doc.transact(() => engine.walk(doc.getXmlFragment(fragmentName), null, true), diffOrigin);
  // Plain documents pay nothing for the plan's fields.
  return { blocks: engine.blocks, fields: engine.sawPlan ? diffPlanFields(doc, from, to) : [], counts: engine.counts };
}

/** The transaction origin of the engine's read-only pass (nothing is written, but observers can tell it apart). */
export const diffOrigin = Symbol('history.diff');

class Engine {
  readonly blocks: DiffBlock[] = [];
  readonly counts: DiffResult['counts'] = Object.fromEntries([...stakeholderGroups, unknownGroup].map((g) => [g, { added: 0, removed: 0 }]));
  sawPlan = false;
  readonly #authors = new Map<string, Author | null>();

  constructor(
    readonly from: Y.Snapshot,
    readonly to: Y.Snapshot,
    readonly index: AttributionIndex,
    readonly author: AuthorOf,
  ) {}

  /** The blocks inside `parent`, in document order; `plan` is the plan block they belong to. */
  walk(parent: Y.AbstractType<any>, plan: PlanRef, isFragment: boolean): void {
    const counters = new Map<string, number>();
    for (const item of childItems(parent)) {
      const type = typeOf(item);
      if (!type) continue;
      const inFrom = itemVisibleAt(item, this.from);
      const inTo = itemVisibleAt(item, this.to);
      if (!inFrom && !inTo) continue;
      if (type instanceof Y.XmlText) {
        // Text straight in a container (not written by the editor, but possible): a block of its own.
        this.block('#text', [item], plan, inFrom, inTo);
        continue;
      }
      if (!(type instanceof Y.XmlElement)) continue;
      const node = type.nodeName;
      if (planBlocks.has(node)) {
        this.sawPlan = true;
        let number: string | null = null;
        if (inTo) {
          const k = (counters.get(node) ?? 0) + 1;
          counters.set(node, k);
          if (node === planNodeNames.goal) number = isFragment ? String(k) : null;
          else number = plan && plan.number && plan.node === numberedUnder[node] ? `${plan.number}.${k}` : null;
        }
        const id = Y.typeMapGetSnapshot(type, 'id', inTo ? this.to : this.from);
        this.walk(type, { node, id: typeof id === 'string' ? id : '', number }, false);
      } else if (this.isTextblock(type)) {
        this.block(node, [...childItems(type)], plan, inFrom, inTo);
      } else {
        this.walk(type, plan, false);
      }
    }
  }

  isTextblock(el: Y.XmlElement): boolean {
    if (textblocks.has(el.nodeName)) return true;
    for (const item of childItems(el)) if (typeOf(item) instanceof Y.XmlText) return true;
    return false;
  }

  /** One text block from its children: texts, and line breaks (the editor stores those as elements between texts). */
  block(node: string, children: Y.Item[], plan: PlanRef, inFrom: boolean, inTo: boolean): void {
    const segments: DiffSegment[] = [];
    const keys: (string | null)[] = [];
    for (const child of children) {
      const text = typeOf(child);
      if (text instanceof Y.XmlElement && text.nodeName === lineBreak) {
        const f = itemVisibleAt(child, this.from);
        const t = itemVisibleAt(child, this.to);
        if (f && t) this.push(segments, keys, '\n', null, null);
        else if (f || t) this.attributed(segments, keys, '\n', { kind: t ? 'added' : 'removed', id: child.id });
        continue;
      }
      if (!(text instanceof Y.XmlText)) continue;
      const delta = text.toDelta(this.to, this.from, (kind: 'added' | 'removed', id: Y.ID): YChange => ({ kind, id })) as {
        insert: unknown;
        attributes?: { ychange?: YChange };
      }[];
      for (const op of delta) {
        // Embedded objects are not text; formatting is an attribute of the run and counts for nothing.
        if (typeof op.insert !== 'string' || op.insert.length === 0) continue;
        const change = op.attributes?.ychange;
        if (!change) this.push(segments, keys, op.insert, null, null);
        else this.attributed(segments, keys, op.insert, change);
      }
    }
    const changed = keys.some((k) => k !== null);
    const status: DiffBlock['status'] = !inFrom ? 'added' : !inTo ? 'removed' : changed ? 'changed' : 'same';
    this.blocks.push({ node, planBlock: plan, status, segments });
  }

  /** A run Yjs marked as added or removed, split wherever the person who made it changes. */
  attributed(segments: DiffSegment[], keys: (string | null)[], text: string, change: YChange): void {
    const { client, clock } = change.id;
    const lookup = change.kind === 'added' ? this.index.insertedBy.bind(this.index) : this.index.deletedBy.bind(this.index);
    let start = 0;
    let current = lookup(Y.createID(client, clock));
    for (let i = 1; i <= text.length; i++) {
      const next = i < text.length ? lookup(Y.createID(client, clock + i)) : undefined;
      if (next !== undefined && sameAttribution(current, next)) continue;
      this.count(current, change.kind, i - start);
      const key = attributionKey(current);
      this.push(segments, keys, text.slice(start, i), { kind: change.kind, by: this.authorOf(key, current) }, `${change.kind}:${key}`);
      start = i;
      current = next ?? null;
    }
  }

  push(segments: DiffSegment[], keys: (string | null)[], text: string, change: DiffSegment['change'], key: string | null): void {
    const last = segments.length - 1;
    if (last >= 0 && keys[last] === key) segments[last] = { ...segments[last]!, text: segments[last]!.text + text };
    else {
      segments.push({ text, change });
      keys.push(key);
    }
  }

  count(a: Attribution | null, kind: 'added' | 'removed', n: number): void {
    const group = a?.group ?? unknownGroup;
    (this.counts[group] ??= { added: 0, removed: 0 })[kind] += n;
  }

  authorOf(key: string, a: Attribution | null): Author | null {
    if (!a) return null;
    if (!this.#authors.has(key)) this.#authors.set(key, this.author(a));
    return this.#authors.get(key)!;
  }
}

const attributionKey = (a: Attribution | null): string => (a ? `${a.membershipId}\u0000${a.group}` : '');
const sameAttribution = (a: Attribution | null, b: Attribution | null): boolean =>
  a === b || (a !== null && b !== null && a.membershipId === b.membershipId && a.group === b.group);
