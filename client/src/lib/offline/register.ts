/**
 * The service worker downloads every file it keeps as it installs: on a slow
 * first visit that would compete with the editor's code for the line. So it is
 * registered once the page has settled — the document page says so when its
 * editor is usable; any other page once the window has loaded.
 */
let settle: () => void = () => undefined;
const settled = new Promise<void>((resolve) => (settle = resolve));

/** The document page calls this once its editor holds the text. */
export const pageSettled = (): void => settle();

/** A document page whose editor never comes (its code failed to load) still gets the worker, later. */
const documentPageWaitMs = 60_000;

/** Resolved once the page has settled; until `registerServiceWorker` says which page this is, at once. */
let settledGate: Promise<void> = Promise.resolve();

/**
 * What can wait for the page to settle waits here: the live connection's
 * library (13 KB) and its handshake, on the document page, would otherwise
 * share a slow line with the editor's code; the page catches up on what
 * happened meanwhile when it connects.
 */
export const whenPageSettled = (): Promise<void> => settledGate;

export function registerServiceWorker(documentPage: boolean): void {
  const loaded = document.readyState === 'complete' ? Promise.resolve() : new Promise<void>((resolve) => addEventListener('load', () => resolve(), { once: true }));
  settledGate = loaded.then(() => (documentPage ? Promise.race([settled, new Promise<void>((resolve) => setTimeout(resolve, documentPageWaitMs))]) : undefined));
  if (!('serviceWorker' in navigator)) return;
  void settledGate
    .then(() => navigator.serviceWorker.register('/sw.js', { scope: '/' }))
    .catch(() => undefined); // no worker (private mode, an old browser): the app works online as before
}
