import * as Y from 'yjs';
import { encodeRange } from '../../shared/anchors.ts';
import { fragmentName } from '../../shared/collab.ts';
import type { Anchor } from '../../shared/comments.ts';
import type { ConveneServer } from '../../server/app.ts';
import { eventually } from './yjs.ts';

/** Writes one paragraph into a client's document the way the editor stores it. */
export function writeParagraph(doc: Y.Doc, text: string): Y.XmlText {
  const paragraph = new Y.XmlElement('paragraph');
  const content = new Y.XmlText(text);
  paragraph.insert(0, [content]);
  doc.getXmlFragment(fragmentName).insert(0, [paragraph]);
  return content;
}

/** An anchor on the first occurrence of `words` in a text. The quote is only what a client would claim: the server reads its own. */
export function anchorOn(text: Y.XmlText, words: string): Anchor {
  const from = text.toString().indexOf(words);
  if (from < 0) throw new Error(`"${words}" is not in the text`);
  return { ...encodeRange(text, from, from + words.length), quote: words };
}

export const plainText = (doc: Y.Doc) =>
  doc
    .getXmlFragment(fragmentName)
    .toArray()
    .map((p) => ((p as Y.XmlElement).get(0) as Y.XmlText | undefined)?.toString() ?? '')
    .join('\n');

/** The text of a document as the server's live room holds it now ('' when the room is not loaded). */
export function serverText(server: ConveneServer, documentId: string): string {
  for (const room of server.rooms.loaded()) if (room.docId === documentId) return plainText(room.doc);
  return '';
}

/** Waits until the server's live document holds `words`: a thread can only anchor words the server has. */
export const untilServerHas = (server: ConveneServer, documentId: string, words: string) =>
  eventually(() => serverText(server, documentId).includes(words), `the server to hold "${words}"`);

/**
 * An anchor on a paragraph written straight into the server's live document:
 * for tests where the text itself does not matter, but the server must find it.
 */
export async function liveAnchor(server: ConveneServer, documentId: string, words = 'passage'): Promise<Anchor> {
  const room = await server.rooms.acquire(documentId);
  try {
    return anchorOn(writeParagraph(room.doc, words), words);
  } finally {
    server.rooms.release(room);
  }
}

/** A well-formed anchor on a passage of no stored document: enough where the request is refused before the text is read. */
export function looseAnchor(quote = 'passage'): Anchor {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, quote);
  return { ...encodeRange(text, 0, quote.length), quote };
}
