import type { Express, RequestHandler } from 'express';
import compression from 'compression';
import expressStaticGzip from 'express-static-gzip';
import type { Server as HttpServer } from 'node:http';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const clientDist = path.join(projectRoot, 'dist', 'client');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Whether the built client is missing or older than its sources. */
export function clientBuildIsStale(): boolean {
  const index = path.join(clientDist, 'index.html');
  if (!existsSync(index)) return true;
  const sources = Math.max(
    newestMtime(path.join(projectRoot, 'client')),
    newestMtime(path.join(projectRoot, 'shared')),
    statSync(path.join(projectRoot, 'vite.config.ts')).mtimeMs,
  );
  return sources > statSync(index).mtimeMs;
}

export async function buildClient(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(projectRoot, 'vite.config.ts'), logLevel: 'warn' });
}

/**
 * Serves the single-page app: Vite's dev middleware with hot reload in
 * development, the built files otherwise. Unknown paths get index.html so that
 * client routes survive a reload.
 */
export async function serveClient(app: Express, http: HttpServer, dev: boolean): Promise<() => Promise<void>> {
  if (dev) {
    const { createServer } = await import('vite');
    const vite = await createServer({
      configFile: path.join(projectRoot, 'vite.config.ts'),
      server: { middlewareMode: true, hmr: { server: http } },
      appType: 'spa',
    });
    app.use(vite.middlewares);
    return () => vite.close();
  }
  app.use(builtAssets(clientDist));
  // A hashed asset that is not there (a page from before a deploy asking for an old chunk) is a 404, not the app.
  app.use('/assets', (_req, res) => void res.status(404).setHeader('Cache-Control', 'no-store').end());
  app.get('/{*path}', (_req, res, next) => {
    const index = path.join(clientDist, 'index.html');
    if (!existsSync(index)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return async () => undefined;
}

/** Hashed file names change with their content, so the browser may keep them for a year without asking again. */
export const immutableCache = 'public, max-age=31536000, immutable';

/**
 * The built files, each as the `.br` or `.gz` the build wrote beside it when
 * the browser accepts one (brotli first: browsers list gzip first with equal
 * weight), with `Vary: Accept-Encoding`. Files under assets/ have hashed names
 * and are cached for good; anything else (index.html) is revalidated on every use.
 */
export function builtAssets(root: string): RequestHandler {
  const assets = path.join(root, 'assets') + path.sep;
  return expressStaticGzip(root, {
    index: false,
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    serveStatic: {
      index: false,
      cacheControl: false,
      setHeaders: (res, file) => res.setHeader('Cache-Control', file.startsWith(assets) ? immutableCache : 'no-cache'),
    },
  });
}

/**
 * JSON from the API compressed on the fly above 1 KiB (smaller bodies gain
 * less than the encoding costs). Mounted on /api only: the built files are
 * compressed at build time, and Socket.IO and the Yjs endpoint do not pass
 * through Express.
 */
export function apiCompression(): RequestHandler {
  return compression({ threshold: 1024 });
}
