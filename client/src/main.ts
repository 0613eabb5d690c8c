import { mount } from 'svelte';
import App from './App.svelte';
import { i18n } from './lib/i18n/i18n.svelte.ts';
import { session } from './lib/session.svelte.ts';
import { followAccount } from './lib/offline/device.svelte.ts';
import { registerServiceWorker } from './lib/offline/register.ts';
import { router } from './lib/router.svelte.ts';
import { preloadPage } from './lib/pages.ts';
import { startEarly } from './lib/first-view.ts';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('Missing #app element');

// The page a link opens, and a document's first requests, start now, beside the session check: on a slow
// connection they were the next round trips of the wait (see the budget in the README).
preloadPage(router.route.name);
startEarly(router.route);

// Load the reader's language (this also sets <html lang dir>) and ask who is
// signed in, then render once: a signed-in reader sees their account's language at once.
// Offline data belongs to one account: it follows who signs in and out.
followAccount(() => session.me, () => session.status === 'signedOut');
registerServiceWorker(router.route.name === 'document');

void Promise.all([i18n.init(), session.init()]).then(() => mount(App, { target }));
