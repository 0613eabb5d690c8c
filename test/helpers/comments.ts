import * as Y from 'yjs';
import { encodeRange } from '../../shared/anchors.ts';
import { fragmentName } from '../../shared/collab.ts';
import type { Anchor } from '../../shared/comments.ts';

/** Writes one paragraph into a client's document the way the editor stores it. */
export function writeParagraph(doc: Y.Doc, text: string): Y.XmlText {
  const paragraph = new Y.XmlElement('paragraph');
  const content = new Y.XmlText(text);
  paragraph.insert(0, [content]);
  doc.getXmlFragment(fragmentName).insert(0, [paragraph]);
  return content;
}

/** An anchor on the first occurrence of `words` in a text. */
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

/** A well-formed anchor on a passage of some other document: enough where the text itself does not matter. */
export function looseAnchor(quote = 'passage'): Anchor {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, quote);
  return { ...encodeRange(text, 0, quote.length), quote };
}
