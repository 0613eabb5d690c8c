import * as Y from 'yjs';
import { encodeRange, type EncodedRange } from '../../shared/anchors.ts';
import { planNodeNames } from '../../shared/plan.ts';

/**
 * Keeps comments on a plan block that is moved. Yjs has no move: the editor
 * moves a goal, objective or action by deleting its elements and inserting
 * copies, so the words a comment is anchored to are deleted and the thread
 * would detach, although the same words are still there, in the same block
 * (same id), elsewhere. When a transaction deletes plan blocks, this records,
 * before the deleted content is collected, where each deleted character sat:
 * which block (by id), which text inside it, at what offset. A thread whose
 * anchor pointed there is then re-anchored on the same characters of the live
 * block with that id, provided they read exactly the same; otherwise it stays
 * detached, as a deleted passage does.
 */

type DeleteSet = Y.Transaction['deleteSet'];

const blockNames: ReadonlySet<string> = new Set([planNodeNames.goal, planNodeNames.objective, planNodeNames.action]);

/** A run of characters of one deleted item, at `offset` in its text. */
interface Run {
  client: number;
  clock: number;
  length: number;
  offset: number;
}

/** One text of a deleted block, as it read just before the deletion. */
interface CapturedText {
  /** Child indexes from the block down to the text (descendant blocks have their own capture). */
  path: number[];
  text: string;
  runs: Run[];
}

export interface DeletedBlock {
  nodeName: string;
  id: string;
  texts: CapturedText[];
}

/** The value of an element's attribute, read even after the element was deleted in this transaction. */
function rawAttribute(el: Y.XmlElement, key: string): unknown {
  const item = el._map.get(key);
  if (!item || !(item.content instanceof Y.ContentAny)) return undefined;
  return item.content.getContent()[0];
}

/** What was live just before this transaction: not deleted, or deleted by it. */
const wasLive = (item: Y.Item, ds: DeleteSet) => !item.deleted || Y.isDeleted(ds, item.id);

function captureText(text: Y.XmlText, path: number[], ds: DeleteSet): CapturedText {
  let out = '';
  const runs: Run[] = [];
  for (let n = text._start; n !== null; n = n.right) {
    if (!n.countable || !wasLive(n, ds)) continue;
    const chars = n.content instanceof Y.ContentString ? n.content.str : '\uFFFC'.repeat(n.length);
    runs.push({ client: n.id.client, clock: n.id.clock, length: n.length, offset: out.length });
    out += chars;
  }
  return { path, text: out, runs };
}

/** The block's own texts (its title and description), not those of the blocks inside it. */
function captureTexts(parent: Y.XmlElement, path: number[], ds: DeleteSet, into: CapturedText[]): void {
  let index = 0;
  for (let n = parent._start; n !== null; n = n.right) {
    if (!wasLive(n, ds) || !(n.content instanceof Y.ContentType)) continue;
    const child = n.content.type;
    const here = [...path, index++];
    if (child instanceof Y.XmlText) into.push(captureText(child, here, ds));
    else if (child instanceof Y.XmlElement && !blockNames.has(child.nodeName)) captureTexts(child, here, ds, into);
  }
}

/** The plan blocks a transaction deleted, with their texts as they read before it. */
export function deletedBlocks(transaction: Y.Transaction): DeletedBlock[] {
  const found: DeletedBlock[] = [];
  const ds = transaction.deleteSet;
  if (ds.clients.size === 0) return found;
  Y.iterateDeletedStructs(transaction, ds, (struct) => {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentType)) return;
    const el = struct.content.type;
    if (!(el instanceof Y.XmlElement) || !blockNames.has(el.nodeName)) return;
    const id = rawAttribute(el, 'id');
    if (typeof id !== 'string' || !id) return;
    const texts: CapturedText[] = [];
    captureTexts(el, [], ds, texts);
    found.push({ nodeName: el.nodeName, id, texts });
  });
  return found;
}

/** The ids of the plan blocks a transaction inserted, those inside an inserted block included. */
export function insertedBlockIds(transaction: Y.Transaction): string[] {
  const ids: string[] = [];
  const isNew = (item: Y.Item) => item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);
  const collect = (el: Y.XmlElement) => {
    const id = el.getAttribute('id');
    if (typeof id === 'string' && id) ids.push(id);
    for (let n = el._start; n !== null; n = n.right)
      if (!n.deleted && n.content instanceof Y.ContentType && n.content.type instanceof Y.XmlElement && blockNames.has(n.content.type.nodeName)) collect(n.content.type);
  };
  // Yjs lists the types that existed before and whose children changed; a block made in this transaction is a new child of one.
  for (const type of transaction.changed.keys()) {
    if (!(type instanceof Y.XmlElement || type instanceof Y.XmlFragment)) continue;
    for (let n = type._start; n !== null; n = n.right)
      if (!n.deleted && isNew(n) && n.content instanceof Y.ContentType && n.content.type instanceof Y.XmlElement && blockNames.has(n.content.type.nodeName)) collect(n.content.type);
  }
  return ids;
}

/**
 * Plan blocks deleted a little while ago, by document: a block cut in one
 * change and pasted in a later one comes back with its id, and the comments
 * on it can then follow it as they follow a move made in one change.
 * Bounded in time and in number, since only a paste soon after matters.
 */
export class RecentlyDeleted {
  readonly #byDoc = new Map<string, Map<string, { block: DeletedBlock; at: number }>>();

  constructor(
    private readonly keepMs = 15 * 60_000,
    private readonly maxPerDoc = 500,
    private readonly now = () => Date.now(),
  ) {}

  remember(docId: string, blocks: readonly DeletedBlock[]): void {
    let held = this.#byDoc.get(docId);
    if (!held) this.#byDoc.set(docId, (held = new Map()));
    for (const block of blocks) {
      held.delete(block.id); // insertion order is age order
      held.set(block.id, { block, at: this.now() });
    }
    this.#trim(docId, held);
  }

  /** The remembered blocks with these ids, forgotten as they are returned (each comes back once). */
  takeBack(docId: string, ids: readonly string[]): DeletedBlock[] {
    const held = this.#byDoc.get(docId);
    if (!held || ids.length === 0) return [];
    this.#trim(docId, held);
    const back: DeletedBlock[] = [];
    for (const id of ids) {
      const entry = held.get(id);
      if (!entry) continue;
      held.delete(id);
      back.push(entry.block);
    }
    if (held.size === 0) this.#byDoc.delete(docId);
    return back;
  }

  #trim(docId: string, held: Map<string, { at: number }>): void {
    const oldest = this.now() - this.keepMs;
    for (const [id, entry] of held) {
      if (entry.at > oldest && held.size <= this.maxPerDoc) break;
      held.delete(id);
    }
    if (held.size === 0) this.#byDoc.delete(docId);
  }
}

/** Where a relative position's character sat in the deleted blocks: the block, the text and the character's offset. */
function locateIn(blocks: readonly DeletedBlock[], position: Y.RelativePosition): { block: DeletedBlock; text: CapturedText; offset: number } | null {
  const id = position.item;
  if (!id) return null;
  for (const block of blocks)
    for (const text of block.texts)
      for (const run of text.runs)
        if (run.client === id.client && id.clock >= run.clock && id.clock < run.clock + run.length) return { block, text, offset: run.offset + id.clock - run.clock };
  return null;
}

function decode(base64: string): Y.RelativePosition | null {
  try {
    return Y.decodeRelativePosition(new Uint8Array(Buffer.from(base64, 'base64')));
  } catch {
    return null;
  }
}

/** The live block of that kind and id, if there is exactly one. */
function liveBlock(fragment: Y.XmlFragment, nodeName: string, id: string): Y.XmlElement | null {
  let found: Y.XmlElement | null = null;
  for (const el of fragment.createTreeWalker((n) => n instanceof Y.XmlElement && n.nodeName === nodeName && n.getAttribute('id') === id)) {
    if (found) return null;
    found = el as Y.XmlElement;
  }
  return found;
}

function textAt(block: Y.XmlElement, path: readonly number[]): Y.XmlText | null {
  let node: Y.XmlElement | Y.XmlText = block;
  for (const index of path) {
    if (!(node instanceof Y.XmlElement)) return null;
    const child: unknown = node.get(index);
    if (!(child instanceof Y.XmlElement) && !(child instanceof Y.XmlText)) return null;
    node = child;
  }
  return node instanceof Y.XmlText ? node : null;
}

function plain(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '\uFFFC')).join('');
}

/** Whether an anchor starts on a character of these deleted blocks: a cheap test before any further work. */
export function startsIn(anchor: EncodedRange, blocks: readonly DeletedBlock[]): boolean {
  const start = decode(anchor.start);
  return !!start && locateIn(blocks, start) !== null;
}

/**
 * The anchor on the same words in the moved block, or null when the anchor
 * did not point into these blocks or its words cannot be found unchanged.
 * Anchors are made by `encodeRange`: the start names the first character,
 * the end (association -1) the last one.
 */
export function moveAnchor(anchor: EncodedRange, blocks: readonly DeletedBlock[], doc: Y.Doc, fragment: Y.XmlFragment): EncodedRange | null {
  const start = decode(anchor.start);
  const end = decode(anchor.end);
  if (!start || !end) return null;
  const first = locateIn(blocks, start);
  const last = locateIn(blocks, end);
  if (!first || !last || first.text !== last.text) return null;
  const from = first.offset;
  const to = end.assoc < 0 ? last.offset + 1 : last.offset;
  if (to <= from) return null;
  const block = liveBlock(fragment, first.block.nodeName, first.block.id);
  const text = block && textAt(block, first.text.path);
  if (!text || text.doc !== doc) return null;
  if (plain(text).slice(from, to) !== first.text.text.slice(from, to)) return null;
  return encodeRange(text, from, to);
}
