import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { testConfig, type Config } from '../../server/config.ts';
import { createLogger, type Logger } from '../../server/logger.ts';
import * as Y from 'yjs';
import { createServer, type ConveneServer } from '../../server/app.ts';
import { openEmbeddedStore } from '../../server/store/embedded.ts';
import type { Store } from '../../server/store/types.ts';
import type { Consultation, DocumentMeta } from '../../shared/schemas.ts';
import type { CreatedInvitation, Me } from '../../shared/accounts.ts';
import type { Role } from '../../shared/permissions.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';
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
  options: { config?: Partial<Config>; dataDir?: string; store?: Store; logger?: Logger } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await tempDir());
  const store = options.store ?? (await openEmbeddedStore(dataDir));
  const config = testConfig({ dataDir, ...options.config });
  const server = await createServer(config, { store, logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
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

export interface ApiResult<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** One HTTP call to the API; `cookie` acts as a signed-in person. */
export async function api<T>(base: string, method: string, route: string, body?: unknown, cookie?: string): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  const res = await fetch(`${base}/api${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

let userCount = 0;

export interface TestUser {
  me: Me;
  cookie: string;
  password: string;
  /** The API as this person. */
  call<T>(method: string, route: string, body?: unknown): Promise<ApiResult<T>>;
}

export function cookieFrom(headers: Headers): string {
  const setCookie = headers.get('set-cookie');
  if (!setCookie) throw new Error('no session cookie was set');
  return setCookie.split(';')[0]!;
}

/** Registers a new account (with a unique email) and returns it signed in. */
export async function registerUser(base: string, displayName = `Person ${++userCount}`): Promise<TestUser> {
  const password = 'a long enough passphrase';
  const email = `user${++userCount}.${Date.now()}@example.org`;
  const res = await api<Me>(base, 'POST', '/auth/register', { email, password, displayName });
  if (res.status !== 201) throw new Error(`registering failed: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = cookieFrom(res.headers);
  return { me: res.body, cookie, password, call: (method, route, body) => api(base, method, route, body, cookie) };
}

/** Makes `owner` invite a new person with the given role and group, and has them join. */
export async function addMember(base: string, owner: TestUser, consultationId: string, role: Role, group: StakeholderGroup = 'civil_society'): Promise<TestUser> {
  const invite = await owner.call<CreatedInvitation>('POST', `/consultations/${consultationId}/invitations`, { role, group });
  if (invite.status !== 201) throw new Error(`inviting failed: ${invite.status} ${JSON.stringify(invite.body)}`);
  const user = await registerUser(base, `${role} ${userCount}`);
  const joined = await user.call('POST', '/invitations/accept', { token: invite.body.token });
  if (joined.status !== 200) throw new Error(`joining failed: ${joined.status} ${JSON.stringify(joined.body)}`);
  return user;
}

/** A facilitator with a consultation holding one document, all through the REST API. */
export async function createDocument(
  base: string,
  owner?: TestUser,
  title = 'Draft action plan',
): Promise<{ owner: TestUser; consultation: Consultation; document: DocumentMeta }> {
  const facilitator = owner ?? (await registerUser(base, 'Facilitator'));
  const c = await facilitator.call<Consultation>('POST', '/consultations', { title: 'National Action Plan 2027–2031', country: 'KE' });
  if (c.status !== 201) throw new Error(`creating a consultation failed: ${c.status}`);
  const d = await facilitator.call<DocumentMeta>('POST', `/consultations/${c.body.id}/documents`, { title });
  if (d.status !== 201) throw new Error(`creating a document failed: ${d.status}`);
  return { owner: facilitator, consultation: c.body, document: d.body };
}

/**
 * The text (`getText('t')`) a document has in the store: every stored update
 * applied to a fresh doc. `flush` first writes what the server still holds.
 */
export async function storedText(server: ConveneServer, docId: string, { flush = false } = {}): Promise<string> {
  if (flush) await server.rooms.flushAll();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await server.updateLog.load(docId)).update);
  return doc.getText('t').toString();
}
