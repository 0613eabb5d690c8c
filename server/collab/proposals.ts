import * as Y from 'yjs';
import type { Anchor } from '../../shared/comments.ts';
import { encodeRange, resolveRange } from '../../shared/anchors.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { RoomRegistry } from './rooms.ts';

/**
 * Applies accepted wording to the live document: the anchored passage is
 * replaced in one transaction, which every connected editor receives and the
 * store keeps like any other edit. Only a passage within one paragraph (one
 * text node) can be replaced this way.
 */
export function proposalApplier(rooms: RoomRegistry) {
  return async (documentId: string, anchor: Anchor, text: string): Promise<Anchor> => {
    const room = await rooms.acquire(documentId);
    try {
      const range = resolveRange(anchor, room.doc);
      if (!range || !(range.type instanceof Y.XmlText || range.type instanceof Y.Text))
        throw new AppError(ErrorCode.conflict, 'The passage this proposal replaces has been deleted or spans several paragraphs');
      const target = range.type;
      room.doc.transact(() => {
        target.delete(range.from, range.to - range.from);
        target.insert(range.from, text);
      }, 'proposal');
      // The thread now anchors to the wording that replaced the old.
      return { ...encodeRange(target, range.from, range.from + text.length), quote: text.slice(0, 2000) };
    } finally {
      rooms.release(room);
    }
  };
}
