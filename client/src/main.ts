import { mount } from 'svelte';
import App from './App.svelte';
import { i18n } from './lib/i18n/i18n.svelte.ts';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('Missing #app element');

// Load the reader's language first (this also sets <html lang dir>), then render once.
void i18n.init().then(() => mount(App, { target }));
