import { apiCacheName, offlinePrefix } from './names.ts';

/**
 * Removes what Convene kept on this device for working offline: every
 * account's documents and queued comments except `keep`'s, and the service
 * worker's copy of API answers. Called when someone signs out, their account
 * is deleted, or another account signs in (on a shared computer, the next
 * person must not find the previous one's documents).
 */
export async function forgetDevice(keep: string | null = null): Promise<void> {
  const tasks: Promise<unknown>[] = [];
  if (typeof caches !== 'undefined') tasks.push(caches.delete(apiCacheName).catch(() => false));
  try {
    const keepPrefix = keep === null ? null : `${offlinePrefix}${keep}:`;
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith(offlinePrefix) || (keepPrefix && name.startsWith(keepPrefix))) continue;
      tasks.push(
        new Promise<void>((resolve) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = request.onerror = request.onblocked = () => resolve();
        }),
      );
    }
  } catch {
    // indexedDB.databases() is missing in old browsers: nothing listed, nothing removed
  }
  await Promise.all(tasks);
}

/** The account whose offline data this browser holds (an id, never a name): a different one signing in clears it. */
const accountKey = 'convene.offline.account';

/**
 * Follows who is signed in: opens their queue; when another account signs in,
 * or someone signs out (or deletes their account), the offline data of
 * everyone else goes. Called once, from main.ts.
 */
export function followAccount(me: () => { id: string } | null, signedOut: () => boolean): void {
  // The queue (and its IndexedDB code) is fetched when there is someone to open it for: not in the first view's budget.
  const queue = () => import('./outbox.svelte.ts').then((m) => m.outbox);
  $effect.root(() => {
    $effect(() => {
      const id = me()?.id ?? null;
      const out = signedOut();
      if (id) {
        const previous = localStorage.getItem(accountKey);
        if (previous === id) return void queue().then((outbox) => outbox.open(id));
        localStorage.setItem(accountKey, id);
        void forgetDevice(id).then(queue).then((outbox) => outbox.open(id));
      } else if (out) {
        localStorage.removeItem(accountKey);
        // The queue's database is closed first, so that deleting it is not blocked.
        void queue()
          .then((outbox) => outbox.close())
          .then(() => forgetDevice(null));
      }
    });
  });
}
