import * as Y from 'yjs';
import type { DecodedDeletions } from './protocol.ts';
import { checkPlanAttribute, checkPlanAttributes, isPlanNodeName, planNodeNames, planOutdatedReason, type PlanNodeName } from '../../shared/plan.ts';

/**
 * Checks, before it is applied, what a decoded Yjs update does to the plan's
 * typed blocks (goal, objective and action elements, see shared/plan.ts):
 * every attribute it sets on a plan element must be a known one with a valid
 * value, an action's end may not come before its start, and no element may
 * claim a plan-like node name the editor does not know. Returns a message for
 * the sender, or null when the update may be applied.
 *
 * Attribute values are stored as ContentAny (or, forged, as another kind of
 * content); typing is ContentString, marks ContentFormat, deletions
 * ContentDeleted. Only the first kinds need a look at their parent, so an
 * update that only types costs one pass over its structs and nothing else.
 *
 * An item's parent and key are in the update only when it has no left or right
 * neighbour (the first value of a key); an overwrite names the value it
 * replaces as its origin, and that origin (in the same update or in the
 * document) says which element and which key. A value whose parent cannot be
 * found anywhere is refused: Yjs would keep it pending and apply it later,
 * unchecked, when its parent arrives.
 */

type Struct = Y.Item | Y.GC | Y.Skip;

/** What the plan links to, known to the server only: the schema checks the format, this whether it exists. */
export interface PlanReferences {
  hasSdgTarget(id: string): boolean;
}

/** Content that can never be an attribute's value. */
const inert = (content: unknown): boolean =>
  content instanceof Y.ContentString || content instanceof Y.ContentFormat || content instanceof Y.ContentDeleted || content instanceof Y.ContentEmbed;

interface Where {
  /** The element the item belongs to (as a node name), or null when it is not an XmlElement. */
  node: string | null;
  /** The element's id, to gather its attributes together. */
  key: string;
  parentSub: string | null;
}

class PlanCheck {
  readonly #byClient = new Map<number, Y.Item[]>();

  constructor(
    private readonly structs: readonly Struct[],
    private readonly doc: Y.Doc,
    private readonly refs: PlanReferences | null,
  ) {}

  check(candidates: readonly Y.Item[]): string | null {
    for (const s of this.structs) {
      if (!(s instanceof Y.Item)) continue;
      let list = this.#byClient.get(s.id.client);
      if (!list) this.#byClient.set(s.id.client, (list = []));
      list.push(s);
    }
    /**
     * Period attributes an update sets, per action element, for the
     * cross-field check. Only an update that sets both is held to end ≥ start:
     * one that sets one of them beside the other as the server has it may have
     * been made offline, before that value arrived (the same pair made by two
     * people at once merges the same way). Refusing it would throw away
     * everything else the update carries, typing included; the merged order
     * is the plan view's to point out.
     */
    const periods = new Map<string, { start?: unknown; end?: unknown }>();
    for (const item of candidates) {
      const content = item.content;
      if (content instanceof Y.ContentType && content.type instanceof Y.XmlElement) {
        const name = content.type.nodeName;
        if (/^plan/i.test(name) && !isPlanNodeName(name)) return `unknown plan block "${name.slice(0, 40)}"`;
      }
      const where = this.#locate(item);
      if (where === undefined) return 'this change depends on changes the server does not have; reload and try again';
      if (where.parentSub === null || where.node === null || !isPlanNodeName(where.node)) continue;
      const node: PlanNodeName = where.node;
      const values = valuesOf(content);
      if (values === null) return `${node}: the field "${where.parentSub}" must hold plain data`;
      for (const value of values) {
        const problem = checkPlanAttribute(node, where.parentSub, value);
        if (problem) return problem;
        if (where.parentSub === 'sdgTargets' && this.refs && Array.isArray(value)) {
          const unknown = (value as string[]).find((id) => !this.refs!.hasSdgTarget(id));
          if (unknown !== undefined) return `${node}: unknown SDG target "${unknown}"`;
        }
      }
      if (node === planNodeNames.action && (where.parentSub === 'start' || where.parentSub === 'end')) {
        const entry = periods.get(where.key) ?? {};
        entry[where.parentSub] = values.at(-1);
        periods.set(where.key, entry);
      }
    }
    for (const { start, end } of periods.values()) {
      if (start === undefined || end === undefined) continue;
      const problem = checkPlanAttributes(planNodeNames.action, { start, end });
      if (problem) return problem;
    }
    return null;
  }

  /** An item in this update by id (binary search: each client's structs come in clock order), or null. */
  #inUpdate(id: Y.ID): Y.Item | null {
    const list = this.#byClient.get(id.client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const item = list[mid]!;
      if (id.clock < item.id.clock) hi = mid - 1;
      else if (id.clock >= item.id.clock + item.length) lo = mid + 1;
      else return item;
    }
    return null;
  }

  /** A struct in the document by id, or null. */
  #inDoc(id: Y.ID): Y.Item | Y.GC | null {
    const structs = this.doc.store.clients.get(id.client);
    if (!structs || structs.length === 0) return null;
    const last = structs[structs.length - 1]!;
    if (id.clock >= last.id.clock + last.length) return null;
    return structs[Y.findIndexSS(structs, id.clock)] as Y.Item | Y.GC;
  }

  readonly #located = new Map<Y.Item, Where | undefined>();

  /**
   * Where an item lives: undefined when its parent is nowhere to be found.
   * Follows neighbours (each has the same parent and key) until one names its
   * parent; remembers the answer for every item on the way, so a whole
   * document's worth of paragraphs, each beside the previous, costs one walk.
   */
  #locate(start: Y.Item): Where | undefined {
    const chain = new Set<Y.Item>();
    let item: Y.Item | null = start;
    let where: Where | undefined;
    while (item) {
      if (this.#located.has(item)) {
        where = this.#located.get(item);
        break;
      }
      chain.add(item);
      if (item.parent !== null) {
        where = this.#direct(item);
        break;
      }
      const neighbour: Y.ID | null = item.origin ?? item.rightOrigin;
      if (!neighbour) break;
      const inUpdate = this.#inUpdate(neighbour);
      if (inUpdate && !chain.has(inUpdate)) {
        item = inUpdate;
        continue;
      }
      const inDoc = this.#inDoc(neighbour);
      // Beside a garbage-collected struct, Yjs collects the new item too: it will never be an attribute.
      if (inDoc instanceof Y.GC) where = { node: null, key: '', parentSub: null };
      else if (inDoc) where = this.#direct(inDoc);
      break;
    }
    for (const visited of chain) this.#located.set(visited, where);
    return where;
  }

  /** Where an item that names its parent lives. */
  #direct(item: Y.Item): Where | undefined {
    const parent = item.parent;
    if (typeof parent === 'string' || parent === null) return { node: null, key: parent ?? '', parentSub: item.parentSub };
    if (parent instanceof Y.ID) {
      const found = this.#parentNamed(parent);
      return found && { ...found, parentSub: item.parentSub };
    }
    // An integrated item (from the document): its parent is a type.
    const id = parent._item?.id;
    return { node: parent instanceof Y.XmlElement ? parent.nodeName : null, key: id ? `${id.client}:${id.clock}` : '', parentSub: item.parentSub };
  }

  /** The node name of the type created by the item `id`, looked up in this update, then in the document. */
  #parentNamed(id: Y.ID): { node: string | null; key: string } | undefined {
    const key = `${id.client}:${id.clock}`;
    const item = this.#inUpdate(id) ?? this.#inDoc(id);
    if (!item) return undefined;
    if (item instanceof Y.GC) return { node: null, key };
    const content = item.content;
    return { node: content instanceof Y.ContentType && content.type instanceof Y.XmlElement ? content.type.nodeName : null, key };
  }
}

/** The plain values an attribute item holds, or null when it holds a type, a document or bytes. */
function valuesOf(content: Y.Item['content']): unknown[] | null {
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) return content.getContent();
  return null;
}

/** Null when the update may be applied; otherwise what to tell its sender. */
export function checkPlanUpdate(structs: readonly Struct[], doc: Y.Doc, refs: PlanReferences | null = null): string | null {
  // The common case (typing, formatting, deleting) ends here, without allocating anything.
  let candidates: Y.Item[] | null = null;
  for (const s of structs) if (s instanceof Y.Item && !inert(s.content)) (candidates ??= []).push(s);
  return candidates === null ? null : new PlanCheck(structs, doc, refs).check(candidates);
}

/**
 * Null unless the update's deletions remove a plan block the document holds
 * (a goal, objective, action or action title element, still undeleted); then
 * what to tell a client that does not understand plan blocks. Deleting an
 * element deletes everything in it, so the elements themselves are enough to
 * look at; a deletion inside a block (text in a title) is left alone, as it is
 * not what an outdated editor does.
 *
 * Costs nothing for an update that deletes nothing, and otherwise one look-up
 * per deleted range plus one step per struct of the document it covers; ranges
 * beyond what the document holds (structs arriving in the same update, or not
 * yet) hold no block of the document.
 */
export function checkPlanDeletions(ds: DecodedDeletions, doc: Y.Doc): string | null {
  if (ds.clients.size === 0) return null;
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs || structs.length === 0) continue;
    const last = structs[structs.length - 1]!;
    const known = last.id.clock + last.length;
    for (const { clock, len } of ranges) {
      if (clock >= known || len <= 0) continue;
      const end = Math.min(clock + len, known);
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i]!;
        if (struct.id.clock >= end) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const content = struct.content;
        if (content instanceof Y.ContentType && content.type instanceof Y.XmlElement && isPlanNodeName(content.type.nodeName))
          return planOutdatedReason;
      }
    }
  }
  return null;
}
