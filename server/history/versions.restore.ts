import * as Y from 'yjs';

/**
 * Restoring a version is a new change, never a rewrite: in one transaction
 * on the live document, each top-level type's current content is deleted and
 * copies of the version's content inserted. Copies of plan blocks keep their
 * attributes, ids included, so the room's block-move handling re-anchors the
 * comments on them as it does for a block moved in the editor.
 */

type Kind = 'text' | 'fragment' | 'array' | 'map';

/**
 * What a top-level type holds, read from its content: a document parsed from
 * updates knows its top-level types only by name until someone asks for one.
 */
function kindOf(type: Y.AbstractType<any>): Kind | null {
  if (type instanceof Y.XmlFragment) return 'fragment';
  if (type instanceof Y.Text) return 'text';
  if (type instanceof Y.Array) return 'array';
  if (type instanceof Y.Map) return 'map';
  for (let item = type._start; item !== null; item = item.right) {
    const c = item.content;
    if (c instanceof Y.ContentString || c instanceof Y.ContentFormat || c instanceof Y.ContentEmbed) return 'text';
    if (c instanceof Y.ContentType) return c.type instanceof Y.XmlElement || c.type instanceof Y.XmlText || c.type instanceof Y.XmlHook ? 'fragment' : 'array';
    if (c instanceof Y.ContentAny || c instanceof Y.ContentBinary || c instanceof Y.ContentJSON || c instanceof Y.ContentDoc) return 'array';
  }
  return type._map.size > 0 ? 'map' : null;
}

function typed(doc: Y.Doc, name: string, kind: Kind): Y.AbstractType<any> {
  switch (kind) {
    case 'text':
      return doc.getText(name);
    case 'fragment':
      return doc.getXmlFragment(name);
    case 'array':
      return doc.getArray(name);
    case 'map':
      return doc.getMap(name);
  }
}

/** A copy of a value read from `version`, ready to insert into another document. */
const copy = (value: unknown): unknown =>
  value instanceof Y.AbstractType ? (value as Y.AbstractType<any> & { clone(): unknown }).clone() : value;

/** Makes `live`'s content equal `version`'s, in the caller's transaction. */
export function replaceContent(live: Y.Doc, version: Y.Doc): void {
  const names = new Set([...live.share.keys(), ...version.share.keys()]);
  for (const name of names) {
    const was = version.share.get(name);
    const now = live.share.get(name);
    const kind = (was && kindOf(was)) ?? (now && kindOf(now));
    if (!kind) continue;
    const target = typed(live, name, kind);
    const source = typed(version, name, kind);
    if (target instanceof Y.Text && source instanceof Y.Text) {
      target.delete(0, target.length);
      target.applyDelta(source.toDelta() as unknown[]);
    } else if (target instanceof Y.XmlFragment && source instanceof Y.XmlFragment) {
      target.delete(0, target.length);
      target.insert(0, source.toArray().map((el) => el.clone() as Y.XmlElement | Y.XmlText));
    } else if (target instanceof Y.Array && source instanceof Y.Array) {
      target.delete(0, target.length);
      target.insert(0, source.toArray().map(copy));
    } else if (target instanceof Y.Map && source instanceof Y.Map) {
      for (const key of [...target.keys()]) if (!source.has(key)) target.delete(key);
      for (const [key, value] of source.entries()) target.set(key, copy(value));
    }
  }
}
