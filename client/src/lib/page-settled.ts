/**
 * What can wait until the page has settled waits here, so that on a slow
 * first visit it does not share the line with what the reader is waiting for:
 * the service worker's install (it downloads every file it keeps) and the
 * live connection's library and handshake (the page catches up on what
 * happened meanwhile when it connects). The document page settles when its
 * editor is usable; any other page once the window has loaded.
 */
let settle: () => void = () => undefined;
const settled = new Promise<void>((resolve) => (settle = resolve));

/** The document page calls this once its editor holds the text. */
export const pageSettled = (): void => settle();

/** A document page whose editor never comes (its code failed to load) settles anyway, later. */
const documentPageWaitMs = 60_000;

/** Resolved once the page has settled; before `followPageSettling` says which page this is, at once. */
let gate: Promise<void> = Promise.resolve();

export const whenPageSettled = (): Promise<void> => gate;

/** Called once as the app starts, with whether it opened on a document page. */
export function followPageSettling(documentPage: boolean): void {
  const loaded = document.readyState === 'complete' ? Promise.resolve() : new Promise<void>((resolve) => addEventListener('load', () => resolve(), { once: true }));
  gate = loaded.then(() => (documentPage ? Promise.race([settled, new Promise<void>((resolve) => setTimeout(resolve, documentPageWaitMs))]) : undefined));
}
