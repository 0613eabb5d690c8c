import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import type { EditorState } from '@tiptap/pm/state';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { encodeRange, resolveRange, type EncodedRange } from '../../../shared/anchors.ts';
import { commentLimits, passageLimit, type Anchor } from '../../../shared/comments.ts';

/** A range of ProseMirror positions. */
export interface TextRange {
  from: number;
  to: number;
}

/** What the Collaboration extension's sync plugin holds: the Y.Doc, the bound fragment and the Yjs ↔ ProseMirror mapping. */
interface SyncState {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: Map<Y.AbstractType<any>, ProseMirrorNode> } | null;
}

export function syncState(state: EditorState): SyncState | null {
  const value = ySyncPluginKey.getState(state) as SyncState | undefined;
  return value?.binding ? value : null;
}

export type AnchorProblem = 'selectFirst' | 'oneParagraph' | 'notLoaded' | 'tooLong';

/**
 * An anchor for the selected words: both ends must fall in the same Yjs text
 * (one paragraph). The range clings to the first and last characters, so the
 * comment follows the words while others edit around and inside them.
 */
export function anchorForSelection(state: EditorState): { anchor: Anchor } | { problem: AnchorProblem } {
  const { from, to, empty } = state.selection;
  if (empty || !state.doc.textBetween(from, to).trim()) return { problem: 'selectFirst' };
  const sync = syncState(state);
  if (!sync) return { problem: 'notLoaded' };
  const start = toYjs(sync, from);
  const end = toYjs(sync, to);
  if (!start || !end) return { problem: 'notLoaded' };
  if (start.type !== end.type || !(start.type instanceof Y.XmlText) || end.index <= start.index) return { problem: 'oneParagraph' };
  // The server refuses longer passages; say so before anything is written.
  if (end.index - start.index > passageLimit) return { problem: 'tooLong' };
  // Shown in the composer only: the server reads the words from the live document itself.
  let quote = state.doc.textBetween(from, to);
  if (quote.length > commentLimits.quote) quote = `${quote.slice(0, commentLimits.quote - 1)}…`;
  return { anchor: { ...encodeRange(start.type, start.index, end.index), quote } };
}

function toYjs(sync: SyncState, pos: number): Y.AbsolutePosition | null {
  try {
    const relative = absolutePositionToRelativePosition(pos, sync.type, sync.binding!.mapping) as Y.RelativePosition;
    return Y.createAbsolutePositionFromRelativePosition(relative, sync.doc);
  } catch {
    return null;
  }
}

/**
 * Where an anchored passage is now in the editor, `null` when its words were
 * deleted (the thread is then detached), or `undefined` when it exists in the
 * shared text but the editor cannot show it yet.
 */
export function rangeForAnchor(doc: ProseMirrorNode, sync: SyncState, anchor: EncodedRange): TextRange | null | undefined {
  const range = resolveRange(anchor, sync.doc);
  if (!range) return null;
  if (!(range.type instanceof Y.XmlText)) return undefined;
  // The position just after the text's last character maps without ambiguity; its start is that minus the length.
  const endOfText = relativePositionToAbsolutePosition(
    sync.doc,
    sync.type,
    Y.createRelativePositionFromTypeIndex(range.type, range.type.length, 0),
    sync.binding!.mapping,
  );
  if (endOfText === null) return undefined;
  const start = endOfText - range.type.length;
  const from = start + range.from;
  const to = start + range.to;
  if (from < 1 || to > doc.content.size) return undefined;
  const $from = doc.resolve(from);
  if (!$from.parent.isTextblock || $from.parent !== doc.resolve(to).parent) return undefined;
  return { from, to };
}
