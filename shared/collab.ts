/** Where the Yjs sync endpoint lives: `ws(s)://<host>${yjsPath}/<documentId>` (y-websocket protocol). */
export const yjsPath = '/yjs';

/** Name of the Y.XmlFragment that holds a document's rich text. */
export const fragmentName = 'body';

/** Awareness `user` field every client publishes, read for cursor labels. */
export interface AwarenessUser {
  name: string;
  group: import('./groups.ts').StakeholderGroup;
  color: string;
}
