import express, { type Express } from 'express';
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
  app.use(express.static(clientDist, { index: false, maxAge: '1h', immutable: false }));
  app.get('/{*path}', (_req, res, next) => {
    const index = path.join(clientDist, 'index.html');
    if (!existsSync(index)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return async () => undefined;
}
