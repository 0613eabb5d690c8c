// Yjs types are invariant in their event type, so ranges take AbstractType<any>.
import * as Y from 'yjs';
import { fromBase64, toBase64 } from 'lib0/buffer';

export interface EncodedRange {
  start: string;
  end: string;
}

export interface ResolvedRange {
  type: Y.AbstractType<any>;
  from: number;
  to: number;
}

/**
 * A range that stays on the same words: the start clings to the first
 * character of the passage and the end to its last, so text typed right
 * before or right after the passage stays outside it, and text typed inside
 * it belongs to it.
 */
export function encodeRange(type: Y.AbstractType<any>, from: number, to: number): EncodedRange {
  if (to <= from) throw new RangeError('An anchored range must hold at least one character');
  return {
    start: toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(type, from, 0))),
    end: toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(type, to, -1))),
  };
}

/**
 * Where a range is now, or null when its passage has been deleted (the thread
 * then shows as detached, with its quote).
 */
export function resolveRange(range: EncodedRange, doc: Y.Doc): ResolvedRange | null {
  let start: Y.AbsolutePosition | null;
  let end: Y.AbsolutePosition | null;
  try {
    start = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(fromBase64(range.start)), doc);
    end = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(fromBase64(range.end)), doc);
  } catch {
    return null;
  }
  if (!start || !end || start.type !== end.type || end.index <= start.index) return null;
  return { type: start.type, from: start.index, to: end.index };
}
