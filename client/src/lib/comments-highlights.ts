import { Extension } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import type { EncodedRange } from '../../../shared/anchors.ts';
import { rangeForAnchor, syncState, type TextRange } from './comments-anchors.ts';

export type { TextRange } from './comments-anchors.ts';

export interface HighlightThread {
  id: string;
  anchor: EncodedRange;
  /** The colour of the stakeholder group of whoever started the thread. */
  colour: string;
  /** Highlighted in the text (the filters let it through). */
  shown: boolean;
  active: boolean;
}

/** Where the threads are in the text now. */
export interface Placement {
  ranges: ReadonlyMap<string, TextRange>;
  /** The words each placed thread covers now: what its card shows, and what accepting its proposal replaces. */
  passages: ReadonlyMap<string, string>;
  /** Threads whose passage was deleted. */
  detached: ReadonlySet<string>;
  /** False until the text has loaded: nothing is called detached before. */
  placed: boolean;
}

export interface CommentHighlightsOptions {
  threads: () => readonly HighlightThread[];
  /** Whether the shared text has been received from the server. */
  ready: () => boolean;
  onPlaced: (placement: Placement) => void;
  onSelect: (threadId: string) => void;
}

interface HighlightState {
  decorations: DecorationSet;
  placement: Placement;
}

const key = new PluginKey<HighlightState>('commentHighlights');
const empty: Placement = { ranges: new Map(), passages: new Map(), detached: new Set(), placed: false };

function place(doc: ProseMirrorNode, state: EditorState, options: CommentHighlightsOptions): HighlightState {
  const sync = syncState(state);
  if (!sync || !options.ready()) return { decorations: DecorationSet.empty, placement: empty };
  const ranges = new Map<string, TextRange>();
  const passages = new Map<string, string>();
  const detached = new Set<string>();
  const decorations: Decoration[] = [];
  for (const thread of options.threads()) {
    const range = rangeForAnchor(doc, sync, thread.anchor);
    if (range === null) detached.add(thread.id);
    if (!range) continue;
    ranges.set(thread.id, range);
    passages.set(thread.id, doc.textBetween(range.from, range.to));
    if (!thread.shown) continue;
    const attrs = {
      class: thread.active ? 'comment-highlight comment-highlight--active' : 'comment-highlight',
      style: `--highlight: ${thread.colour}`,
      'data-thread-id': thread.id,
    };
    decorations.push(Decoration.inline(range.from, range.to, attrs, { threadId: thread.id, length: range.to - range.from }));
  }
  return { decorations: DecorationSet.create(doc, decorations), placement: { ranges, passages, detached, placed: true } };
}

/** Places the highlights again (after the threads, the filters or the selected thread changed). */
export function refreshHighlights(view: EditorView): void {
  if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(key, 'refresh').setMeta('addToHistory', false));
}

/**
 * Comment highlights: each thread's passage, tinted with its stakeholder
 * group's colour. They are placed from the Yjs anchors whenever the text
 * changes through Yjs, and mapped through local edits in between.
 * Clicking one selects its thread.
 */
export const CommentHighlights = Extension.create<CommentHighlightsOptions>({
  name: 'commentHighlights',

  addOptions() {
    return { threads: () => [], ready: () => false, onPlaced: () => {}, onSelect: () => {} };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin<HighlightState>({
        key,
        state: {
          init: () => ({ decorations: DecorationSet.empty, placement: empty }),
          apply(tr, value, oldState) {
            // A change that came from Yjs (remote edits, the first load): the anchors and the mapping are current.
            const fromYjs = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin;
            if (tr.getMeta(key) === 'refresh' || (fromYjs && tr.docChanged)) return place(tr.doc, oldState, options);
            if (!tr.docChanged) return value;
            return { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) };
          },
        },
        props: {
          decorations: (state) => key.getState(state)?.decorations,
          handleClick(view, pos) {
            const found = key.getState(view.state)?.decorations.find(pos, pos) ?? [];
            // The innermost passage wins when threads overlap.
            const hit = found.sort((a, b) => (a.spec.length as number) - (b.spec.length as number))[0];
            if (hit) options.onSelect(hit.spec.threadId as string);
            return false; // the click still places the cursor
          },
        },
        view(view) {
          let scheduled = false;
          let last: Placement | null = null;
          const sync = syncState(view.state);
          // Local edits reach Yjs after ProseMirror has applied them: place again once both agree.
          const afterTransaction = (transaction: Y.Transaction) => {
            if (scheduled || transaction.changed.size === 0) return;
            scheduled = true;
            queueMicrotask(() => {
              scheduled = false;
              refreshHighlights(view);
            });
          };
          sync?.doc.on('afterTransaction', afterTransaction);
          const report = () => {
            const placement = key.getState(view.state)?.placement;
            if (placement && placement !== last) {
              last = placement;
              options.onPlaced(placement);
            }
          };
          report();
          return {
            update: report,
            destroy: () => sync?.doc.off('afterTransaction', afterTransaction),
          };
        },
      }),
    ];
  },
});
