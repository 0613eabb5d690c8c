import type { Access } from '../members/access.ts';
import type { RoomRegistry } from '../collab/rooms.ts';
import { withLiveDoc } from '../collab/proposals.ts';
import { fragmentName } from '../../shared/collab.ts';
import type { ContentBlock, DocumentContent } from '../../shared/document-content.ts';
import { documentText } from '../report/document-text.ts';

/**
 * The text of a document as it is now, for the page's first view: a reader on
 * a slow connection sees it before the editor's code (Tiptap, Yjs) arrives.
 * Read from the open room, or the stored document loaded like one, through the
 * same walk the report uses, so it numbers the plan as every other view does.
 */
export class DocumentContentReader {
  constructor(
    private readonly access: Access,
    private readonly rooms: RoomRegistry,
  ) {}

  async read(userId: string, documentId: string): Promise<DocumentContent> {
    // Whoever may open the document may read it; non-members learn nothing (404).
    await this.access.authorizeDocument(userId, documentId, 'document.view');
    return withLiveDoc(this.rooms, documentId, (doc) => {
      const blocks: ContentBlock[] = [];
      for (const block of documentText(doc.getXmlFragment(fragmentName), '').blocks) {
        // An action's fields (lead, dates, budget…) come with the editor; the first view is the text.
        if (block.kind !== 'fields') blocks.push(block);
      }
      return { blocks };
    });
  }
}
