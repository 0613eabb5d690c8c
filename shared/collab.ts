/** Where the Yjs sync endpoint lives: `ws(s)://<host>${yjsPath}/<documentId>` (y-websocket protocol). */
export const yjsPath = '/yjs';

/** Name of the Y.XmlFragment that holds a document's rich text. */
export const fragmentName = 'body';

/**
 * The `user` field of every awareness state (cursor labels, the people list).
 * The server sets it from the membership record and replaces whatever a client
 * sent: clients publish only their cursor. When the consultation hides this
 * member's identity from the others, `name` is absent and `alias` is set, and
 * readers show the alias label ("Civil society participant 7") in their own
 * language.
 */
export interface AwarenessUser {
  name?: string;
  alias?: number;
  group: import('./groups.ts').StakeholderGroup;
  role: import('./permissions.ts').Role;
  /** The group's colour (readable with white text). */
  color: string;
}
