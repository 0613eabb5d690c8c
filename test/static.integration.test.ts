import { describe, expect, it } from 'vitest';
import http from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { clientDist } from '../server/http/client.ts';
import { startServer } from './helpers/server.ts';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One GET with exactly these headers, the body as sent (fetch would add Accept-Encoding and decode). */
function get(base: string, route: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${route}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const decode = (r: Raw): Buffer =>
  r.headers['content-encoding'] === 'br' ? brotliDecompressSync(r.body) : r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body;

const varies = (r: Raw) => String(r.headers.vary ?? '').toLowerCase().split(/\s*,\s*/).includes('accept-encoding');

describe('security headers over HTTP and HTTPS', () => {
  const directives = (r: Raw) => String(r.headers['content-security-policy']).split(';').map((d) => d.trim());

  it('sends no HTTPS-only directive over plain HTTP, and keeps the rest of the policy', async () => {
    const { url } = await startServer();
    for (const route of ['/', '/api/health']) {
      const r = await get(url, route, { host: 'convene.test:8080' });
      expect(r.status).toBe(200);
      expect(r.headers['strict-transport-security']).toBeUndefined();
      expect(directives(r)).not.toContain('upgrade-insecure-requests');
      expect(directives(r)).toEqual(expect.arrayContaining(["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'self'", "connect-src 'self' ws: wss:"]));
    }
  });

  it('sends upgrade-insecure-requests and HSTS when a trusted proxy says the request came over HTTPS', async () => {
    const { url } = await startServer();
    // TRUST_PROXY's default trusts loopback, where this request comes from.
    const r = await get(url, '/', { host: 'convene.example.org', 'x-forwarded-proto': 'https' });
    expect(r.status).toBe(200);
    expect(directives(r)).toContain('upgrade-insecure-requests');
    expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(directives(r)).toEqual(expect.arrayContaining(["default-src 'self'", "script-src 'self'", "connect-src 'self' ws: wss:"]));
  });

  it('ignores X-Forwarded-Proto from a proxy it does not trust', async () => {
    const { url } = await startServer({ config: { trustProxy: '10.1.2.3' } });
    const r = await get(url, '/', { 'x-forwarded-proto': 'https' });
    expect(directives(r)).not.toContain('upgrade-insecure-requests');
    expect(r.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('built assets', () => {
  const assets = path.join(clientDist, 'assets');
  // The largest script: the document page's bundle.
  const script = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .sort((a, b) => statSync(path.join(assets, b)).size - statSync(path.join(assets, a)).size)[0]!;
  const plain = readFileSync(path.join(assets, script));

  it('serves a hashed script as brotli, gzip or plain, as the browser accepts, cached for a year', async () => {
    const { url } = await startServer();
    const cases: [string | undefined, string | undefined][] = [
      ['br', 'br'],
      ['gzip', 'gzip'],
      // What Chromium sends: every encoding with equal weight, gzip first. Brotli is smaller.
      ['gzip, deflate, br, zstd', 'br'],
      ['br;q=0, gzip', 'gzip'],
      ['identity', undefined],
      [undefined, undefined],
    ];
    for (const [accept, encoding] of cases) {
      const r = await get(url, `/assets/${script}`, accept === undefined ? {} : { 'accept-encoding': accept });
      expect(r.status, String(accept)).toBe(200);
      expect(r.headers['content-encoding'], String(accept)).toBe(encoding);
      expect(varies(r), String(accept)).toBe(true);
      expect(r.headers['cache-control'], String(accept)).toBe('public, max-age=31536000, immutable');
      expect(r.headers['content-type'], String(accept)).toMatch(/^text\/javascript|^application\/javascript/);
      if (encoding) expect(r.body.length, String(accept)).toBeLessThan(plain.length / 2);
      expect(decode(r).equals(plain), String(accept)).toBe(true);
    }
  });

  it('sends a script only the headers that apply to it: no sniffing, not for other sites; the page keeps its whole policy', async () => {
    const { url } = await startServer();
    const r = await get(url, `/assets/${script}`, { 'accept-encoding': 'br' });
    expect(r.status).toBe(200);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
    for (const name of ['content-security-policy', 'x-frame-options', 'referrer-policy', 'strict-transport-security']) expect(r.headers[name], name).toBeUndefined();
    const page = await get(url, '/', {});
    for (const name of ['content-security-policy', 'x-frame-options', 'referrer-policy', 'x-content-type-options']) expect(page.headers[name], name).toBeDefined();
    // Anything else under /assets (a map, a missing file) keeps the whole set.
    const missing = await get(url, '/assets/index-00000000.js.map');
    expect(missing.headers['content-security-policy']).toBeDefined();
  });

  it('serves index.html, directly and for client routes, to be revalidated every time', async () => {
    const { url } = await startServer();
    const html = readFileSync(path.join(clientDist, 'index.html'));
    for (const route of ['/', '/index.html', '/consultations/abc']) {
      const r = await get(url, route, { 'accept-encoding': 'gzip, br' });
      expect(r.status, route).toBe(200);
      expect(r.headers['cache-control'], route).toBe('no-cache');
      expect(decode(r).equals(html), route).toBe(true);
    }
  });

  it('answers 404 for a missing asset rather than the app', async () => {
    const { url } = await startServer();
    const r = await get(url, '/assets/index-00000000.js');
    expect(r.status).toBe(404);
    expect(r.headers['cache-control']).toBe('no-store');
  });
});

describe('API responses', () => {
  it('compresses large JSON when asked, and only then', async () => {
    const { url } = await startServer();
    const plain = await get(url, '/api/openapi.json');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    const doc = JSON.parse(plain.body.toString('utf8')) as { openapi: string };
    expect(doc.openapi).toMatch(/^3\./);

    const gz = await get(url, '/api/openapi.json', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(varies(gz)).toBe(true);
    expect(gz.body.length).toBeLessThan(plain.body.length);
    expect(JSON.parse(gunzipSync(gz.body).toString('utf8'))).toEqual(doc);

    // Brotli when the browser offers it (compression picks br over gzip, at a quality cheap enough per request).
    const br = await get(url, '/api/openapi.json', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8'))).toEqual(doc);
  });

  it('sends small JSON as it is', async () => {
    const { url } = await startServer();
    const r = await get(url, '/api/health', { 'accept-encoding': 'gzip, br' });
    expect(r.status).toBe(200);
    expect(r.body.length).toBeLessThan(1024);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(r.body.toString('utf8'))).toMatchObject({ status: 'ok' });
  });
});
