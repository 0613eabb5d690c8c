/**
 * Names of what Convene keeps on the device for working offline. Every name
 * starts with the account's id, so that another account signed in on the same
 * browser never opens them, and so that signing out can remove them all.
 */
export const offlinePrefix = 'convene-offline:';

/** One document's Yjs updates (y-indexeddb). */
export const documentDbName = (userId: string, documentId: string) => `${offlinePrefix}${userId}:doc:${documentId}`;

/** The comments, replies and positions waiting to be sent. */
export const outboxDbName = (userId: string) => `${offlinePrefix}${userId}:outbox`;

/**
 * The service worker's copy of the few API answers a page opened before needs
 * offline (who you are, the document, its consultation, its members): see the
 * runtime caching in vite.config.ts, which uses this same name.
 */
export const apiCacheName = 'convene-api';
