import type { DocumentContent } from '../../../shared/document-content.ts';
import type { DocumentMeta } from '../../../shared/schemas.ts';
import { api } from './api.ts';
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
  keep(`document:${route.id}`, api.getDocument(route.id));
  keep(`content:${route.id}`, api.getDocumentContent(route.id));
  addEventListener('hashchange', () => early.clear(), { once: true });
}

function take<T>(key: string, ask: () => Promise<T>): Promise<T> {
  const promise = early.get(key) as Promise<T> | undefined;
  early.delete(key);
  return promise ?? ask();
}

export const firstDocument = (id: string, signal: AbortSignal): Promise<DocumentMeta> => take(`document:${id}`, () => api.getDocument(id, signal));
export const firstContent = (id: string, signal: AbortSignal): Promise<DocumentContent> => take(`content:${id}`, () => api.getDocumentContent(id, signal));
