import { Extension, Node, mergeAttributes, type CommandProps } from '@tiptap/core';
import { Fragment, type Node as ProseMirrorNode, type ResolvedPos } from '@tiptap/pm/model';
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey, yUndoPluginKey } from '@tiptap/y-tiptap';
import { planNodeNames, type PlanNodeName } from '../../../shared/plan.ts';
import { createActionView } from './plan-action-view.svelte.ts';

/**
 * The plan's typed blocks: a goal holds objectives, an objective holds
 * actions; each starts with its title (one line of text), then a description
 * (ordinary paragraphs and lists), then its children. They live in the
 * document's Y.XmlFragment like any paragraph, so comments, carets, undo of
 * your own edits, read-only refusal and the update log apply unchanged.
 * Attributes are what y-prosemirror stores on the Y.XmlElement; every write
 * is checked with the shared schema (the server checks again).
 */

type BlockName = Exclude<PlanNodeName, 'planTitle'>;

/** Parent → the child block it holds (an action holds none). */
const childOf: Record<BlockName, BlockName | null> = { planGoal: 'planObjective', planObjective: 'planAction', planAction: null };
const parentOf: Record<BlockName, BlockName | null> = { planGoal: null, planObjective: 'planGoal', planAction: 'planObjective' };
const description = '(paragraph | bulletList | orderedList)*';

export const newBlockId = (): string => crypto.randomUUID();

export const PlanTitle = Node.create({
  name: planNodeNames.title,
  content: 'text*',
  marks: '',
  defining: true,
  // Ahead of the paragraph's own rule (`p`), or a pasted block's title would come back as a paragraph of its description.
  parseHTML: () => [{ tag: 'p[data-plan-title]', priority: 60 }],
  renderHTML: ({ HTMLAttributes }) => ['p', mergeAttributes(HTMLAttributes, { 'data-plan-title': '', class: 'plan-title' }), 0],
});

const idAttribute = {
  id: {
    default: null as string | null,
    parseHTML: (el: HTMLElement) => el.getAttribute('data-id'),
    renderHTML: (attrs: Record<string, unknown>) => (attrs.id ? { 'data-id': attrs.id } : {}),
  },
};

function block(name: BlockName, content: string) {
  return Node.create({
    name,
    group: 'block',
    content,
    defining: true,
    isolating: true,
    addAttributes: () => idAttribute,
    parseHTML: () => [{ tag: `section[data-plan="${name}"]` }],
    renderHTML: ({ HTMLAttributes }) => ['section', mergeAttributes(HTMLAttributes, { 'data-plan': name, class: `plan-block plan-${name}` }), 0],
  });
}

export const PlanGoal = block('planGoal', `planTitle ${description} planObjective*`);
export const PlanObjective = block('planObjective', `planTitle ${description} planAction*`);

const json = <T>(fallback: T) => ({
  default: fallback,
  // Never rendered into the HTML: the panel shows them, and copied HTML should not carry them.
  rendered: false,
});

export const PlanAction = Node.create<{ consultationId: string | null; canLink: () => boolean }>({
  name: planNodeNames.action,
  // The consultation whose recommendations register the action's links come from (none outside a document page),
  // and whether the user may change those links now (plan.link; the server refuses the change otherwise).
  addOptions: () => ({ consultationId: null, canLink: () => true }),
  group: 'block',
  content: `planTitle ${description}`,
  defining: true,
  isolating: true,
  addAttributes: () => ({
    ...idAttribute,
    lead: json(''),
    partners: json<string[]>([]),
    start: json<string | null>(null),
    end: json<string | null>(null),
    indicators: json([]),
    budget: json(null),
    status: json('planned'),
    recommendations: json<string[]>([]),
    sdgTargets: json<string[]>([]),
  }),
  parseHTML: () => [{ tag: 'section[data-plan="planAction"]' }],
  renderHTML: ({ HTMLAttributes }) => ['section', mergeAttributes(HTMLAttributes, { 'data-plan': 'planAction', class: 'plan-block plan-planAction' }), 0],
  addNodeView: () => createActionView,
});

const blockNames = new Set<string>(['planGoal', 'planObjective', 'planAction']);

/** The innermost plan block around a position, with its depth. */
function enclosing($pos: ResolvedPos, names: ReadonlySet<string> = blockNames): { node: ProseMirrorNode; depth: number } | null {
  for (let d = $pos.depth; d > 0; d--) {
    const node = $pos.node(d);
    if (names.has(node.type.name)) return { node, depth: d };
  }
  return null;
}

/**
 * Makes the coming change one undo step of its own: Yjs merges changes less
 * than half a second apart, so a move right after typing (or the typing right
 * after an insertion) would otherwise be undone together with it. The change
 * reaches Yjs while the transaction is dispatched, before the microtask runs.
 */
function ownUndoStep(state: EditorState): void {
  const undo = (yUndoPluginKey.getState(state) as { undoManager?: { stopCapturing(): void } } | undefined)?.undoManager;
  if (!undo) return;
  undo.stopCapturing();
  queueMicrotask(() => undo.stopCapturing());
}

/** A new block with an empty title (and a fresh id), ready to type into. */
function newBlock(state: EditorState, name: BlockName): ProseMirrorNode {
  const type = state.schema.nodes[name]!;
  return type.create({ id: newBlockId() }, state.schema.nodes.planTitle!.create());
}

/**
 * Inserts a block of `name` where it belongs: after the enclosing block of the
 * same kind, else as the last child of the enclosing parent kind; a goal goes
 * after the top-level block the cursor is in. Puts the cursor in its title.
 */
function insertBlock(name: BlockName) {
  return ({ state, tr, dispatch }: CommandProps): boolean => {
    const $from = state.selection.$from;
    const same = enclosing($from, new Set([name]));
    let pos: number;
    if (same) {
      pos = $from.after(same.depth);
    } else if (parentOf[name]) {
      const parent = enclosing($from, new Set([parentOf[name]!]));
      if (!parent) return false;
      pos = $from.end(parent.depth);
    } else {
      pos = $from.depth > 0 ? $from.after(1) : state.doc.content.size;
    }
    if (dispatch) {
      ownUndoStep(state);
      tr.insert(pos, newBlock(state, name));
      tr.setSelection(TextSelection.create(tr.doc, pos + 2));
      tr.scrollIntoView();
    }
    return true;
  };
}

/**
 * Swaps the innermost plan block around the cursor with its previous or next
 * sibling of the same kind, in one ProseMirror step: it reaches the others as
 * any edit does. Nothing happens at either end of the list.
 */
function moveBlock(direction: -1 | 1) {
  return ({ state, tr, dispatch }: CommandProps): boolean => {
    const { $from, $to } = state.selection;
    const found = enclosing($from);
    if (!found) return false;
    const { node, depth } = found;
    const parent = $from.node(depth - 1);
    const index = $from.index(depth - 1);
    const otherIndex = index + direction;
    if (otherIndex < 0 || otherIndex >= parent.childCount) return false;
    const other = parent.child(otherIndex);
    if (other.type !== node.type) return false;
    const start = $from.before(depth);
    const end = $from.after(depth);
    if (dispatch) {
      ownUndoStep(state);
      const from = direction < 0 ? start - other.nodeSize : start;
      const to = direction < 0 ? end : end + other.nodeSize;
      const swapped = direction < 0 ? Fragment.from([node, other]) : Fragment.from([other, node]);
      tr.replaceWith(from, to, swapped);
      // The cursor moves with the block.
      const shift = direction < 0 ? -other.nodeSize : other.nodeSize;
      tr.setSelection(TextSelection.create(tr.doc, state.selection.from + shift, $to.pos + shift));
      tr.scrollIntoView();
    }
    return true;
  };
}

/** The plan's blocks in document order, with their ids and positions (descending into blocks only). */
function planBlocks(doc: ProseMirrorNode): { pos: number; node: ProseMirrorNode }[] {
  const found: { pos: number; node: ProseMirrorNode }[] = [];
  const walk = (parent: ProseMirrorNode, offset: number) =>
    parent.forEach((child, childOffset) => {
      if (!blockNames.has(child.type.name)) return;
      const pos = offset + childOffset;
      found.push({ pos, node: child });
      walk(child, pos + 1);
    });
  walk(doc, 0);
  return found;
}

/** Whether two documents hold the same blocks (kind and id) in the same order: nothing added, removed or moved. */
function sameShape(a: ProseMirrorNode, b: ProseMirrorNode): boolean {
  const shape = (doc: ProseMirrorNode) => planBlocks(doc).map(({ node }) => `${node.type.name}:${String(node.attrs.id)}`).join(' ');
  return shape(a) === shape(b);
}

/**
 * Gives a fresh id to every block whose id another block already holds (a
 * copy pasted, a block duplicated), so that the server, which refuses a
 * second block with an id in use, never has to. The block that held the id
 * before the change keeps it (its links and comments refer to it); failing
 * that, the first in the document. Changes that arrive from others are left
 * as they are: each client fixes its own.
 */
function uniqueIds(transactions: readonly Transaction[], oldState: EditorState, newState: EditorState): Transaction | null {
  if (!transactions.some((tr) => tr.docChanged) || transactions.some((tr) => tr.getMeta(ySyncPluginKey) !== undefined)) return null;
  const byId = new Map<string, number[]>();
  for (const { pos, node } of planBlocks(newState.doc)) {
    const id = node.attrs.id as string | null;
    if (!id) continue;
    const list = byId.get(id);
    if (list) list.push(pos);
    else byId.set(id, [pos]);
  }
  const duplicated = [...byId].filter(([, positions]) => positions.length > 1);
  if (duplicated.length === 0) return null;
  const before = new Map<string, number>();
  for (const { pos, node } of planBlocks(oldState.doc)) {
    if (typeof node.attrs.id === 'string' && !before.has(node.attrs.id)) before.set(node.attrs.id, transactions.reduce((p, tr) => tr.mapping.map(p), pos));
  }
  const tr = newState.tr;
  for (const [id, positions] of duplicated) {
    const keeper = positions.includes(before.get(id) ?? -1) ? before.get(id)! : positions[0]!;
    for (const pos of positions) if (pos !== keeper) tr.setNodeMarkup(pos, undefined, { ...newState.doc.nodeAt(pos)!.attrs, id: newBlockId() });
  }
  return tr;
}

/** "1", "1.2", "1.2.3": a block's number from its place among its siblings, never stored. */
function numbering(doc: ProseMirrorNode): DecorationSet {
  const decorations: Decoration[] = [];
  const walk = (parent: ProseMirrorNode, offset: number, prefix: string) => {
    let n = 0;
    parent.forEach((child, childOffset) => {
      if (!blockNames.has(child.type.name)) return;
      const number = prefix ? `${prefix}.${++n}` : String(++n);
      const pos = offset + childOffset;
      decorations.push(Decoration.node(pos, pos + child.nodeSize, { 'data-number': number }));
      // Shown before the title by CSS (read out with it): a widget inside the editable title upsets typing in Chrome.
      const title = child.firstChild;
      if (title?.type.name === planNodeNames.title) decorations.push(Decoration.node(pos + 1, pos + 1 + title.nodeSize, { 'data-number': number }));
      if (childOf[child.type.name as BlockName]) walk(child, pos + 1, number);
    });
  };
  walk(doc, 0, '');
  return DecorationSet.create(doc, decorations);
}

const numberingKey = new PluginKey<DecorationSet>('planNumbering');
const uniqueIdsKey = new PluginKey('planUniqueIds');
const shapeGuardKey = new PluginKey('planShapeGuard');

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    plan: {
      insertPlanGoal: () => ReturnType;
      insertPlanObjective: () => ReturnType;
      insertPlanAction: () => ReturnType;
      movePlanBlockUp: () => ReturnType;
      movePlanBlockDown: () => ReturnType;
    };
  }
}

/**
 * Commands, keys and numbering for the plan's blocks. Without `plan.structure`
 * (`canStructure`), the commands do nothing and no change of the user's own
 * may add, remove or move a block: the server would refuse it.
 */
export const PlanStructure = Extension.create<{ canStructure: () => boolean }>({
  name: 'plan',
  addOptions: () => ({ canStructure: () => true }),
  addCommands() {
    const allowed =
      (command: (props: CommandProps) => boolean) =>
      () =>
      (props: CommandProps): boolean =>
        this.options.canStructure() && command(props);
    return {
      insertPlanGoal: allowed(insertBlock('planGoal')),
      insertPlanObjective: allowed(insertBlock('planObjective')),
      insertPlanAction: allowed(insertBlock('planAction')),
      movePlanBlockUp: allowed(moveBlock(-1)),
      movePlanBlockDown: allowed(moveBlock(1)),
    };
  },
  addKeyboardShortcuts() {
    return {
      'Alt-Shift-ArrowUp': () => this.editor.commands.movePlanBlockUp(),
      'Alt-Shift-ArrowDown': () => this.editor.commands.movePlanBlockDown(),
    };
  },
  addProseMirrorPlugins() {
    const { canStructure } = this.options;
    return [
    new Plugin({ key: uniqueIdsKey, appendTransaction: uniqueIds }),
    new Plugin({
      key: shapeGuardKey,
      // Typing and fields stay open; a paste, cut or join that would add, remove or move a block is not made.
      filterTransaction: (tr, state) => !tr.docChanged || tr.getMeta(ySyncPluginKey) !== undefined || canStructure() || sameShape(state.doc, tr.doc),
    }),
    new Plugin<DecorationSet>({
      key: numberingKey,
      state: {
        init: (_, state) => numbering(state.doc),
        apply: (tr, old) => (tr.docChanged ? numbering(tr.doc) : old),
      },
      props: { decorations: (state) => numberingKey.getState(state) },
    }),
    ];
  },
});

export const planExtensions = [PlanTitle, PlanGoal, PlanObjective, PlanAction, PlanStructure];
