import * as Y from 'yjs';
import { equalityDeep } from 'lib0/function';
import type { DecodedDeletions } from './protocol.ts';
import type { PlanRights } from '../members/access.ts';
import { fragmentName } from '../../shared/collab.ts';
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
 *
 * Structure: a block goes only where the schema puts it (a goal in the
 * document's body, an objective in a goal, an action in an objective, a title
 * in one of them), and a block may not take an id another live block holds.
 * Who may change the plan's shape or its links is the connection's
 * `PlanRights`: creating or deleting a goal, objective or action, or changing
 * one's id (the editor moves a block by rewriting it and its neighbour in
 * place, ids included), needs `structure`; changing an action's
 * recommendations or SDG targets needs `link`. Items the document already has
 * (a reconnecting client's answer repeats them) are not looked at: Yjs skips them.
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
  /** Whether the parent is the document's body (the root fragment the editor edits). */
  body: boolean;
  /** The parent element as the document has it; null when it arrives in this update (or is no element). */
  element: Y.XmlElement | null;
}

/** What the plan's blocks hold: each block's required parent (a goal's is the body). */
const blockNames: ReadonlySet<string> = new Set([planNodeNames.goal, planNodeNames.objective, planNodeNames.action]);
const linkKeys: ReadonlySet<string> = new Set(['recommendations', 'sdgTargets']);
const parentOf: Record<string, string> = { planObjective: planNodeNames.goal, planAction: planNodeNames.objective };

/** Everyone's rights: for callers that check values only (tests of the schema, tools). */
const allRights: PlanRights = { structure: true, link: true };

export const structureRefusal = 'you may not add, remove or move goals, objectives or actions now';
export const linkRefusal = 'you may not change the recommendations or SDG targets an action links to now';

/** What the check found: a problem for the sender, and whether the update changes an action's links. */
export interface PlanInspection {
  problem: string | null;
  links: boolean;
}

const idKey = (id: Y.ID): string => `${id.client}:${id.clock}`;

class PlanCheck {
  readonly #byClient = new Map<number, Y.Item[]>();

  /** Whether the update changes an action's links (for the audit log). */
  links = false;
  /** The link fields this update sets, as `<element key>|<field>`: their old values' deletion is no unlinking of its own. */
  readonly linksSet = new Set<string>();

  constructor(
    private readonly structs: readonly Struct[],
    private readonly doc: Y.Doc,
    private readonly refs: PlanReferences | null,
    private readonly ds: DecodedDeletions,
    private readonly rights: PlanRights,
  ) {}

  check(candidates: readonly Y.Item[]): string | null {
    for (const s of this.structs) {
      if (!(s instanceof Y.Item)) continue;
      let list = this.#byClient.get(s.id.client);
      if (!list) this.#byClient.set(s.id.client, (list = []));
      list.push(s);
    }
    /** The keys of the goal, objective and action elements this update creates. */
    const created = new Set<string>();
    for (const item of candidates) {
      const content = item.content;
      if (content instanceof Y.ContentType && content.type instanceof Y.XmlElement && blockNames.has(content.type.nodeName)) created.add(idKey(item.id));
    }
    if (created.size > 0 && !this.rights.structure) return structureRefusal;
    /** The ids this update gives to blocks, by the block's key (the last value wins, as in Yjs). */
    const ids = new Map<string, { node: string; id: unknown }>();
    /** Where each new plan element (block or title) goes, checked once values are (a bad value says more). */
    const placements: { node: string; where: Where }[] = [];
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
      const where = this.#locate(item);
      if (content instanceof Y.ContentType && content.type instanceof Y.XmlElement) {
        const name = content.type.nodeName;
        if (/^plan/i.test(name) && !isPlanNodeName(name)) return `unknown plan block "${name.slice(0, 40)}"`;
        if (isPlanNodeName(name) && where !== undefined) placements.push({ node: name, where });
      }
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
      const last = values.at(-1);
      const isNew = created.has(where.key);
      if (where.parentSub === 'id' && blockNames.has(node)) {
        ids.set(where.key, { node, id: last });
        // A block that changes its id becomes another block: the editor's way of moving one.
        if (!isNew && !this.rights.structure && where.element && where.element.getAttribute('id') !== last) return structureRefusal;
      }
      if (node === planNodeNames.action && linkKeys.has(where.parentSub)) {
        this.linksSet.add(`${where.key}|${where.parentSub}`);
        const changed = isNew ? Array.isArray(last) && last.length > 0 : !equalityDeep(last ?? null, where.element?.getAttribute(where.parentSub) ?? null);
        if (changed) {
          if (!this.rights.link) return linkRefusal;
          this.links = true;
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
    for (const { node, where } of placements) {
      const problem = misplaced(node, where);
      if (problem) return problem;
    }
    return ids.size > 0 ? this.#duplicateId(ids) : null;
  }

  /**
   * A block this update creates, or gives another id, whose id another live
   * block holds once the update is applied: the document's blocks with the
   * ids this update gives them, less those it deletes (with everything inside).
   * Walks the plan's blocks, only for updates that set an id.
   */
  #duplicateId(ids: ReadonlyMap<string, { node: string; id: unknown }>): string | null {
    const holders = new Map<unknown, number>();
    const count = (id: unknown) => id !== undefined && id !== null && holders.set(id, (holders.get(id) ?? 0) + 1);
    const walk = (parent: Y.XmlFragment | Y.XmlElement) => {
      for (const child of parent.toArray()) {
        if (!(child instanceof Y.XmlElement) || !blockNames.has(child.nodeName)) continue;
        const item = child._item;
        if (!item || Y.isDeleted(this.ds, item.id)) continue;
        const key = idKey(item.id);
        count(ids.has(key) ? ids.get(key)!.id : child.getAttribute('id'));
        walk(child);
      }
    };
    walk(this.doc.getXmlFragment(fragmentName));
    // Blocks that arrive in this update: not in the document yet.
    for (const [key, { id }] of ids) if (!this.#inDocByKey(key)) count(id);
    for (const { node, id } of ids.values()) {
      if ((holders.get(id) ?? 0) > 1) return `${node}: the id "${String(id).slice(0, 64)}" is already used by another block`;
    }
    return null;
  }

  #inDocByKey(key: string): boolean {
    const [client, clock] = key.split(':').map(Number);
    return this.#inDoc(Y.createID(client!, clock!)) !== null;
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
      if (inDoc instanceof Y.GC) where = { node: null, key: '', parentSub: null, body: false, element: null };
      else if (inDoc) where = this.#direct(inDoc);
      break;
    }
    for (const visited of chain) this.#located.set(visited, where);
    return where;
  }

  /** Where an item that names its parent lives. */
  #direct(item: Y.Item): Where | undefined {
    const parent = item.parent;
    if (typeof parent === 'string' || parent === null)
      return { node: null, key: parent ?? '', parentSub: item.parentSub, body: parent === fragmentName, element: null };
    if (parent instanceof Y.ID) {
      const found = this.#parentNamed(parent);
      return found && { ...found, parentSub: item.parentSub, body: false };
    }
    // An integrated item (from the document): its parent is a type.
    const id = parent._item?.id;
    const element = parent instanceof Y.XmlElement ? parent : null;
    const body = !parent._item && this.doc.share.get(fragmentName) === parent;
    return { node: element ? element.nodeName : null, key: id ? idKey(id) : '', parentSub: item.parentSub, body, element };
  }

  /** The type created by the item `id` (its node name), looked up in the document, then in this update. */
  #parentNamed(id: Y.ID): { node: string | null; key: string; element: Y.XmlElement | null } | undefined {
    const key = idKey(id);
    // The document first: an item it has already is not created again (a reconnecting client repeats them).
    const inDoc = this.#inDoc(id);
    const item = inDoc ?? this.#inUpdate(id);
    if (!item) return undefined;
    if (item instanceof Y.GC) return { node: null, key, element: null };
    const content = item.content;
    const type = content instanceof Y.ContentType && content.type instanceof Y.XmlElement ? content.type : null;
    return { node: type?.nodeName ?? null, key, element: inDoc ? type : null };
  }
}

/** The plain values an attribute item holds, or null when it holds a type, a document or bytes. */
function valuesOf(content: Y.Item['content']): unknown[] | null {
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) return content.getContent();
  return null;
}

/** Where a new plan element may not go, or null. */
function misplaced(node: string, where: Where): string | null {
  if (where.parentSub !== null) return `${node}: a block cannot be a field`;
  if (node === planNodeNames.goal) return where.body ? null : 'a goal can only be placed at the top of the document';
  if (node === planNodeNames.title) return where.node !== null && blockNames.has(where.node) ? null : 'a title can only begin a goal, objective or action';
  const parent = parentOf[node]!;
  if (where.node === parent) return null;
  return node === planNodeNames.objective ? 'an objective can only be placed inside a goal' : 'an action can only be placed inside an objective';
}

/**
 * What a decoded update does to the plan: the problem to tell its sender (null
 * when it may be applied) and whether it changes an action's links. `rights`
 * are the sender's; without them every right is assumed (checking values only).
 */
export function inspectPlanUpdate(
  structs: readonly Struct[],
  ds: DecodedDeletions,
  doc: Y.Doc,
  refs: PlanReferences | null = null,
  rights: PlanRights = allRights,
): PlanInspection {
  // Deleting a goal, objective or action: a look-up per deleted range, only for those who may not.
  if (!rights.structure && deletesPlanElement(ds, doc, blockNames)) return { problem: structureRefusal, links: false };
  // Typing and formatting need no more than this pass (and no look at the document); deleting, one look-up per deleted range below.
  let candidates: Y.Item[] | null = null;
  for (const s of structs) if (s instanceof Y.Item && !inert(s.content) && !known(s, doc)) (candidates ??= []).push(s);
  const check = candidates === null ? null : new PlanCheck(structs, doc, refs, ds, rights);
  const problem = check?.check(candidates!) ?? null;
  if (problem !== null) return { problem, links: false };
  // A link field's value deleted and not set again (a forged client's way to unlink): a change of links too.
  const unlinked = deletesLinks(ds, doc, check?.linksSet ?? emptySet);
  if (unlinked && !rights.link) return { problem: linkRefusal, links: false };
  return { problem: null, links: unlinked || (check?.links ?? false) };
}

const emptySet: ReadonlySet<string> = new Set();

/** Null when the update may be applied; otherwise what to tell its sender. */
export function checkPlanUpdate(structs: readonly Struct[], doc: Y.Doc, refs: PlanReferences | null = null, ds: DecodedDeletions = emptyDeletions): string | null {
  return inspectPlanUpdate(structs, ds, doc, refs).problem;
}

const emptyDeletions = Y.createDeleteSet() as unknown as DecodedDeletions;

/** Whether the document has the whole item already: Yjs will skip it. */
function known(item: Y.Item, doc: Y.Doc): boolean {
  return item.id.clock + item.length <= Y.getState(doc.store, item.id.client);
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
  return deletesPlanElement(ds, doc, planElementNames) ? planOutdatedReason : null;
}

const planElementNames: ReadonlySet<string> = new Set(Object.values(planNodeNames));

/** Whether the deletions remove an element, still live in the document, whose node name is one of `names`. */
function deletesPlanElement(ds: DecodedDeletions, doc: Y.Doc, names: ReadonlySet<string>): boolean {
  return someDeleted(ds, doc, ({ content }) => content instanceof Y.ContentType && content.type instanceof Y.XmlElement && names.has(content.type.nodeName));
}

/**
 * Whether the deletions remove the current value of an action's link field
 * (`recommendations`, `sdgTargets`) that the update does not set again, on an
 * action that stays (removing an action is a change of structure).
 */
function deletesLinks(ds: DecodedDeletions, doc: Y.Doc, setAgain: ReadonlySet<string>): boolean {
  return someDeleted(ds, doc, (item) => {
    if (item.parentSub === null || !linkKeys.has(item.parentSub)) return false;
    const parent = item.parent;
    if (!(parent instanceof Y.XmlElement) || parent.nodeName !== planNodeNames.action || !parent._item) return false;
    if (Y.isDeleted(ds, parent._item.id)) return false;
    return !setAgain.has(`${idKey(parent._item.id)}|${item.parentSub}`);
  });
}

/** Whether the deletions remove an item, still live in the document, for which `test` holds. */
function someDeleted(ds: DecodedDeletions, doc: Y.Doc, test: (item: Y.Item) => boolean): boolean {
  if (ds.clients.size === 0) return false;
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
        if (test(struct)) return true;
      }
    }
  }
  return false;
}
