import { mount } from 'svelte';
import App from './App.svelte';
import { i18n } from './lib/i18n/i18n.svelte.ts';
import { session } from './lib/session.svelte.ts';
import { followAccount } from './lib/offline/device.svelte.ts';
import { registerServiceWorker } from './lib/offline/register.ts';
import { followPageSettling } from './lib/page-settled.ts';
import { router } from './lib/router.svelte.ts';
import { preloadPage } from './lib/pages.ts';
import { startEarly } from './lib/first-view.ts';
import { prefetchEditor } from './lib/editor-prefetch.ts';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('Missing #app element');

// Before anything that waits for the page to settle (the live connection, the service worker).
followPageSettling(router.route.name === 'document');
// A document's first requests, the session check and the page a link opens start now, in that order: on a
// slow connection they were the next round trips of the wait (see the budget in the README). Over HTTP/1.1 the
// browser sends six at a time and the page's code is a dozen files: asked first, the document and the session
// check are not queued behind them (the document's consultation, the next round trip, waits for the document).
startEarly(router.route);
// Load the reader's language (this also sets <html lang dir>) and ask who is
// signed in, then render once: a signed-in reader sees their account's language at once.
const ready = Promise.all([i18n.init(), session.init()]);
preloadPage(router.route.name);
if (router.route.name === 'document') prefetchEditor();

// Offline data belongs to one account: it follows who signs in and out.
followAccount(() => session.me, () => session.status === 'signedOut');
registerServiceWorker();

void ready.then(() => mount(App, { target }));
