/** What the document page says about one open document's own edits: how many the server has not had yet, and whether they are on the device. */
export interface DocumentEdits {
  /** Local changes made since the server last had this copy (kept across reloads in the document's IndexedDB). */
  unsent: number;
  /** Whether changes made now are stored on the device (the document's IndexedDB is open). */
  savedLocally: boolean;
}

const edits = $state<Record<string, DocumentEdits>>({});

/** The open copy of a document reports here; the offline status and the leave-page guard read it. */
export function reportEdits(documentId: string, value: DocumentEdits | null): void {
  if (value) edits[documentId] = value;
  else delete edits[documentId];
}

export function editsOf(documentId: string): DocumentEdits {
  return edits[documentId] ?? { unsent: 0, savedLocally: true };
}
