import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { clientDist } from '../server/http/client.ts';
import { startServer } from './helpers/server.ts';

/** The offline app shell as the server sends it: the service worker, its registration, and what it keeps. */
describe('the offline app shell', () => {
  it('serves the service worker and its registration from this origin, revalidated every time, and the CSP allows it', async () => {
    const { url } = await startServer();
    const page = await fetch(`${url}/`);
    const csp = (page.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim());
    expect(csp).toContain("worker-src 'self'");
    // Registered by the app's own script once the page has settled, never by an inline script (the CSP allows none).
    const html = await page.text();
    expect(html).not.toMatch(/<script>[^<]*serviceWorker/);
    for (const file of ['/sw.js']) {
      const r = await fetch(`${url}${file}`);
      expect(r.status, file).toBe(200);
      expect(r.headers.get('content-type'), file).toMatch(/javascript/);
      // A new version must reach browsers on their next visit: never kept without asking.
      expect(r.headers.get('cache-control'), file).toBe('no-cache');
    }
  });

  it('keeps the HTML, every script and style (catalogues included), and no source map or compressed copy', async () => {
    await startServer(); // builds the client if its sources changed
    const worker = readFileSync(path.join(clientDist, 'sw.js'), 'utf8');
    const kept = new Set([...worker.matchAll(/"?url"?\s*:\s*"([^"]+)"/g)].map((m) => m[1]));
    expect(kept).toContain('index.html');
    const built = readdirSync(path.join(clientDist, 'assets')).filter((f) => /\.(js|css)$/.test(f));
    for (const lang of ['ar', 'es', 'fr', 'ru', 'zh']) expect(built.some((f) => f.startsWith(`${lang}-`)), lang).toBe(true);
    for (const file of built) expect(kept, file).toContain(`assets/${file}`);
    for (const url of kept) expect(url).not.toMatch(/\.(map|gz|br)$/);
    // The API is kept only through the deliberate cache (network first), and the live connections never.
    expect(worker).toContain('convene-api');
    for (const url of kept) expect(url).not.toMatch(/^\/?(api|yjs|socket\.io)\//);
  });
});
