import { mount } from 'svelte';
import App from './App.svelte';
import { i18n } from './lib/i18n/i18n.svelte.ts';
import { session } from './lib/session.svelte.ts';
import { followAccount } from './lib/offline/device.svelte.ts';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('Missing #app element');

// Load the reader's language (this also sets <html lang dir>) and ask who is
// signed in, then render once: a signed-in reader sees their account's language at once.
// Offline data belongs to one account: it follows who signs in and out.
followAccount(() => session.me, () => session.status === 'signedOut');

void Promise.all([i18n.init(), session.init()]).then(() => mount(App, { target }));
