import type { DocumentContent } from '../../../shared/document-content.ts';
import type { Consultation, DocumentMeta } from '../../../shared/schemas.ts';
import { api } from './api.ts';
import { closeEarlySocket, openEarlySocket } from './early-socket.ts';
import type { Route } from './router.svelte.ts';

/**
 * The document page's first requests, sent as the app starts when it opens on
 * a document, beside the session check and the page's own code: on a slow
 * connection each round trip saved is most of half a second before the text
 * shows. The page takes them once; anything else (another page, a later
 * visit, a navigation first) asks afresh.
 */
const early = new Map<string, Promise<unknown>>();

export function startEarly(route: Route): void {
  if (route.name !== 'document') return;
  const keep = (key: string, promise: Promise<unknown>) => {
    early.set(key, promise);
    // A refusal is not kept (signed out: the page, opened after signing in, must ask again); a page that took
    // the request before sees it, as it would have.
    promise.catch(() => {
      if (early.get(key) === promise) early.delete(key);
    });
  };
  const meta = api.getDocument(route.id);
  keep(`document:${route.id}`, meta);
  // The consultation (who you are there, its phase) is the page's next round trip: asked as soon as the document
  // says which it is, not once the page's code has arrived and asked for the document.
  void meta.then(
    (value) => early.has(`document:${route.id}`) && keep(`consultation:${value.consultationId}`, api.getConsultation(value.consultationId)),
    () => undefined,
  );
  keep(`content:${route.id}`, api.getDocumentContent(route.id));
  // And the editor's live connection: its handshake and the server's checks happen while the text loads.
  openEarlySocket(route.id);
  addEventListener(
    'hashchange',
    () => {
      early.clear();
      closeEarlySocket();
    },
    { once: true },
  );
}

function take<T>(key: string, ask: () => Promise<T>): Promise<T> {
  const promise = early.get(key) as Promise<T> | undefined;
  early.delete(key);
  return promise ?? ask();
}

export const firstDocument = (id: string, signal: AbortSignal): Promise<DocumentMeta> => take(`document:${id}`, () => api.getDocument(id, signal));
export const firstConsultation = (id: string, signal: AbortSignal): Promise<Consultation> =>
  take(`consultation:${id}`, () => api.getConsultation(id, signal));
export const firstContent = (id: string, signal: AbortSignal): Promise<DocumentContent> => take(`content:${id}`, () => api.getDocumentContent(id, signal));
