import * as Y from 'yjs';
import { passageLimit, type Anchor, type AnchorInput, type ProposalConflict } from '../../shared/comments.ts';
import { encodeRange, resolveRange } from '../../shared/anchors.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { RoomRegistry } from './rooms.ts';
import { EditedBy } from './room.ts';
import type { Editor } from '../history/attribution.runs.ts';
import { moveAnchor, type DeletedBlock } from './block-moves.ts';
import { fragmentName } from '../../shared/collab.ts';

/** What a drafter's acceptance did: the anchor of the new wording and the words it replaced. */
export interface Replacement {
  anchor: Anchor;
  replaced: string;
}

/**
 * The live document's side of comment threads. The server, not the client,
 * says which words a thread is about: they are read from the room's Y.Doc,
 * and acceptance replaces exactly the words the drafter was shown, or nothing.
 */
export interface Passages {
  /** The words an anchor covers now; refuses an anchor that is not a non-empty passage within one paragraph. */
  read(documentId: string, anchor: AnchorInput): Promise<string>;
  /**
   * Replaces the anchored passage with `text` in one transaction (every
   * connected editor receives it, the store keeps it like any other edit),
   * provided it still reads `shown`; otherwise a conflict carrying the
   * current words, and nothing changes.
   */
  replace(documentId: string, anchor: AnchorInput, shown: string, text: string, by?: Editor): Promise<Replacement>;
  /** Where an anchor into plan blocks that were just moved (deleted, then inserted again) points now; null if it did not point into them. */
  follow(documentId: string, anchor: AnchorInput, moved: readonly DeletedBlock[]): Promise<AnchorInput | null>;
}

/** A resolved range within one paragraph's text, and its words. */
interface Located {
  type: Y.XmlText | Y.Text;
  from: number;
  to: number;
  words: string;
}

/**
 * The characters of a Yjs text, one per index: `toString()` would add
 * formatting as XML tags, so the delta is read instead (an embed, which the
 * editor does not produce inside a paragraph's text, counts as one character).
 */
function plain(type: Y.XmlText | Y.Text): string {
  return (type.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '\uFFFC')).join('');
}

function locate(doc: Y.Doc, anchor: AnchorInput): Located | null {
  const range = resolveRange(anchor, doc);
  if (!range || !(range.type instanceof Y.XmlText || range.type instanceof Y.Text)) return null;
  return { type: range.type, from: range.from, to: range.to, words: plain(range.type).slice(range.from, range.to) };
}

/**
 * Runs `use` on the document's live room, loading it from the store if nobody
 * has it open: what people are editing now, never a stale stored copy. `use`
 * is synchronous, so no edit lands while it reads.
 */
export async function withLiveDoc<T>(rooms: RoomRegistry, documentId: string, use: (doc: Y.Doc) => T): Promise<T> {
  const room = await rooms.acquire(documentId);
  try {
    return use(room.doc);
  } finally {
    rooms.release(room);
  }
}

export function livePassages(rooms: RoomRegistry): Passages {
  const withDoc = <T>(documentId: string, use: (doc: Y.Doc) => T): Promise<T> => withLiveDoc(rooms, documentId, use);

  return {
    read: (documentId, anchor) =>
      withDoc(documentId, (doc) => {
        const found = locate(doc, anchor);
        if (!found || !found.words.trim())
          throw new AppError(ErrorCode.validation, 'The anchor must cover some words within one paragraph of this document', [
            { path: 'anchor', message: 'not a non-empty passage within one paragraph of the document' },
          ]);
        if (found.words.length > passageLimit)
          throw new AppError(ErrorCode.validation, `A comment may cover at most ${passageLimit} characters`, [
            { path: 'anchor', message: `longer than ${passageLimit} characters` },
          ]);
        return found.words;
      }),

    replace: (documentId, anchor, shown, text, by) =>
      withDoc(documentId, (doc) => {
        // No await between reading the words and replacing them: no edit can slip in between.
        const found = locate(doc, anchor);
        if (!found || found.words !== shown) {
          const details: ProposalConflict = { current: found?.words ?? null };
          throw new AppError(
            ErrorCode.conflict,
            found ? 'The passage has changed since it was shown: check its current words, then accept again' : 'The passage this proposal replaces has been deleted',
            details,
          );
        }
        const { type, from, to } = found;
        doc.transact(() => {
          type.delete(from, to - from);
          type.insert(from, text);
        }, new EditedBy(by ?? null, 'proposal')); // attributed to the drafter who accepted it
        // The thread now anchors to the wording that replaced the old.
        return { anchor: { ...encodeRange(type, from, from + text.length), quote: text }, replaced: found.words };
      }),

    follow: (documentId, anchor, moved) =>
      withDoc(documentId, (doc) => (locate(doc, anchor) ? null : moveAnchor(anchor, moved, doc, doc.getXmlFragment(fragmentName)))),
  };
}

/** The name the app wires it under. */
