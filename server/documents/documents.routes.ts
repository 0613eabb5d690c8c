import { z } from 'zod';
import { ArchiveDocumentInput, CreateDocumentInput, DocumentListQuery, DocumentMeta, LockDocumentInput, RenameDocumentInput } from '../../shared/schemas.ts';
import { IdParams, type ApiRegistry } from '../http/route.ts';
import type { DocumentsService } from './documents.service.ts';
import type { DocumentContentReader } from './document-content.ts';
import { DocumentContent } from '../../shared/document-content.ts';

const tag = 'Documents';

export function documentsRoutes(api: ApiRegistry, documents: DocumentsService, content: DocumentContentReader): void {
  api.add(
    { method: 'get', path: '/consultations/:id/documents', tag, summary: "The plan's documents, newest first; `archived=true` lists the archived ones instead (facilitators)", params: IdParams, query: DocumentListQuery, response: z.object({ items: z.array(DocumentMeta), nextCursor: z.string().nullable() }) },
    ({ auth, params, query }) => documents.list(auth.user._id, params.id, query),
  );
  api.add(
    { method: 'post', path: '/consultations/:id/documents', tag, summary: 'Add a document (facilitators and drafters)', params: IdParams, body: CreateDocumentInput, response: DocumentMeta, status: 201 },
    ({ auth, params, body }) => documents.create(auth.user._id, params.id, body),
  );
  api.add(
    { method: 'get', path: '/documents/:id', tag, summary: "One document's metadata", params: IdParams, response: DocumentMeta },
    ({ auth, params }) => documents.get(auth.user._id, params.id),
  );
  api.add(
    { method: 'get', path: '/documents/:id/content', tag, summary: "The document's text now (headings with the plan's numbers, paragraphs, list items), for reading before the editor loads; any member who may read it", params: IdParams, response: DocumentContent },
    ({ auth, params }) => content.read(auth.user._id, params.id),
  );
  api.add(
    { method: 'post', path: '/documents/:id/lock', tag, summary: 'Lock or unlock a document for editing (facilitators)', params: IdParams, body: LockDocumentInput, response: DocumentMeta },
    ({ auth, params, body }) => documents.setLocked(auth.user._id, params.id, body.locked, body.reason),
  );
  api.add(
    { method: 'patch', path: '/documents/:id', tag, summary: 'Rename a document (facilitators and drafters)', params: IdParams, body: RenameDocumentInput, response: DocumentMeta },
    ({ auth, params, body }) => documents.rename(auth.user._id, params.id, body.title),
  );
  api.add(
    { method: 'post', path: '/documents/:id/archive', tag, summary: "Take a document out of the plan: hidden from the list, read-only, restorable (facilitators)", params: IdParams, body: ArchiveDocumentInput, response: DocumentMeta },
    ({ auth, params, body }) => documents.setArchived(auth.user._id, params.id, true, body.reason),
  );
  api.add(
    { method: 'post', path: '/documents/:id/restore', tag, summary: 'Put an archived document back in the plan (facilitators)', params: IdParams, body: ArchiveDocumentInput, response: DocumentMeta },
    ({ auth, params, body }) => documents.setArchived(auth.user._id, params.id, false, body.reason),
  );
}
