import { whenPageSettled } from '../page-settled.ts';

/**
 * The service worker downloads every file it keeps as it installs: on a slow
 * first visit that would compete with the editor's code for the line. So it is
 * registered once the page has settled (see page-settled.ts).
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  void whenPageSettled()
    .then(() => navigator.serviceWorker.register('/sw.js', { scope: '/' }))
    .catch(() => undefined); // no worker (private mode, an old browser): the app works online as before
}
