import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { testConfig, type Config } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { createServer, type ConveneServer } from '../../server/app.ts';
import { openEmbeddedStore } from '../../server/store/embedded.ts';
import type { Store } from '../../server/store/types.ts';
import type { Consultation, DocumentMeta } from '../../shared/schemas.ts';
import { onCleanup } from './cleanup.ts';

export async function tempDir(prefix = 'convene-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface TestServer {
  server: ConveneServer;
  store: Store;
  dataDir: string;
  /** http://127.0.0.1:port */
  url: string;
  /** ws://127.0.0.1:port */
  wsUrl: string;
  /** Closes the server and its store (idempotent). */
  stop(): Promise<void>;
}

/**
 * Starts a real server on a random port over an embedded store in a temp
 * folder (or the given one and store), torn down after the test.
 */
export async function startServer(
  options: { config?: Partial<Config>; dataDir?: string; store?: Store } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await tempDir());
  const store = options.store ?? (await openEmbeddedStore(dataDir));
  const config = testConfig({ dataDir, ...options.config });
  const server = await createServer(config, { store, logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
  const { port } = await server.listen(0, '127.0.0.1');
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await server.close();
      await store.close();
    })());
  onCleanup(stop);
  return { server, store, dataDir, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}`, stop };
}

export async function api<T>(base: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}/api${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Creates a consultation with one document through the REST API. */
export async function createDocument(base: string, title = 'Draft action plan'): Promise<{ consultation: Consultation; document: DocumentMeta }> {
  const c = await api<Consultation>(base, 'POST', '/consultations', { title: 'National Action Plan 2027–2031', country: 'KE' });
  if (c.status !== 201) throw new Error(`creating a consultation failed: ${c.status}`);
  const d = await api<DocumentMeta>(base, 'POST', `/consultations/${c.body.id}/documents`, { title });
  if (d.status !== 201) throw new Error(`creating a document failed: ${d.status}`);
  return { consultation: c.body, document: d.body };
}
