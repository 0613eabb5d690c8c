import { describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { createDocument, startServer, type TestServer, type TestUser } from './helpers/server.ts';
import { eventually, rawYjsSocket } from './helpers/yjs.ts';
import { normaliseOrigin, originPolicy, trustProxy } from '../server/http/origin.ts';
import { CloseCode } from '../shared/errors.ts';
import type { Config } from '../server/config.ts';

type Verdict = 'allowed' | 'refused';
type Headers = Record<string, string>;

/** A state-changing REST call with the session cookie: 201 if the origin passes, 403 cross_origin if not. */
async function rest(s: TestServer, owner: TestUser, headers: Headers): Promise<Verdict> {
  const res = await fetch(`${s.url}/api/consultations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: owner.cookie, ...headers },
    body: JSON.stringify({ title: 'Origin check', country: 'KE' }),
  });
  const body = (await res.json()) as { error?: { code: string } };
  if (res.status === 201) return 'allowed';
  expect({ status: res.status, code: body.error?.code }).toEqual({ status: 403, code: 'cross_origin' });
  return 'refused';
}

/** A Yjs upgrade: the server syncs if the origin passes, closes with 4403 if not. */
async function yjs(s: TestServer, owner: TestUser, docId: string, headers: Headers): Promise<Verdict> {
  const raw = rawYjsSocket(s.wsUrl, docId, owner.cookie, headers);
  let closedWith: number | undefined;
  void raw.closed.then(({ code }) => (closedWith = code));
  await eventually(() => closedWith !== undefined || raw.messages.length > 0, 'a sync message or a close');
  raw.ws.terminate();
  if (closedWith === undefined) return 'allowed';
  expect(closedWith).toBe(CloseCode.forbidden);
  return 'refused';
}

/** A Socket.IO handshake (WebSocket transport) with the session cookie. */
async function socketIo(s: TestServer, owner: TestUser, headers: Headers): Promise<Verdict> {
  const socket = io(s.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: owner.cookie, ...headers } });
  try {
    return await new Promise<Verdict>((resolve) => {
      socket.once('connect', () => resolve('allowed'));
      socket.once('connect_error', () => resolve('refused'));
    });
  } finally {
    socket.close();
  }
}

async function setUp(config: Partial<Config> = {}) {
  const s = await startServer({ config });
  const { owner, document } = await createDocument(s.url);
  const port = Number(new URL(s.url).port);
  /** The verdict of all three channels on the same headers. */
  const check = async (headers: Headers) => ({
    rest: await rest(s, owner, headers),
    yjs: await yjs(s, owner, document.id, headers),
    socketIo: await socketIo(s, owner, headers),
  });
  return { s, port, check };
}

const allowed = { rest: 'allowed', yjs: 'allowed', socketIo: 'allowed' };
const refused = { rest: 'refused', yjs: 'refused', socketIo: 'refused' };

describe('origin checks compare scheme, host and port on REST, Yjs and Socket.IO', () => {
  it('take our own origin, and refuse https on a plain-HTTP server and another port', async () => {
    const { s, port, check } = await setUp();
    expect(await check({ origin: s.url })).toEqual(allowed);
    expect(await check({ origin: `https://127.0.0.1:${port}` })).toEqual(refused);
    expect(await check({ origin: `http://127.0.0.1:${port + 1}` })).toEqual(refused);
    expect(await check({ origin: 'http://127.0.0.1' })).toEqual(refused);
    expect(await check({ origin: 'null' })).toEqual(refused);
  });

  it.each(['false', '10.0.0.1'])('ignore X-Forwarded-Host and -Proto from a peer TRUST_PROXY=%s does not trust', async (trust) => {
    const { s, check } = await setUp({ trustProxy: trust });
    const forwarded = { 'x-forwarded-host': 'plan.example.org', 'x-forwarded-proto': 'https' };
    expect(await check({ ...forwarded, origin: 'https://plan.example.org' })).toEqual(refused);
    expect(await check({ 'x-forwarded-host': 'plan.example.org', origin: 'http://plan.example.org' })).toEqual(refused);
    // What the peer really addressed still counts.
    expect(await check({ ...forwarded, origin: s.url })).toEqual(allowed);
  });

  it('honour X-Forwarded-Host and -Proto from a trusted proxy (loopback), default ports comparing equal', async () => {
    const { s, check } = await setUp({ trustProxy: 'loopback' });
    const forwarded = { 'x-forwarded-host': 'plan.example.org', 'x-forwarded-proto': 'https' };
    expect(await check({ ...forwarded, origin: 'https://plan.example.org' })).toEqual(allowed);
    expect(await check({ ...forwarded, origin: 'https://PLAN.example.org:443' })).toEqual(allowed);
    expect(await check({ ...forwarded, origin: 'http://plan.example.org' })).toEqual(refused);
    expect(await check({ ...forwarded, origin: 'https://plan.example.org:8443' })).toEqual(refused);
    // Behind the proxy, the address the proxy itself used is not the site's origin.
    expect(await check({ ...forwarded, origin: s.url })).toEqual(refused);
    expect(await check({ 'x-forwarded-host': 'plan.example.org:80', 'x-forwarded-proto': 'http', origin: 'http://plan.example.org' })).toEqual(allowed);
  });

  it('compare ALLOWED_ORIGINS as normalised origins', async () => {
    const { check } = await setUp({ allowedOrigins: ['HTTPS://Front.Example:443', 'http://localhost:5173/'] });
    expect(await check({ origin: 'https://front.example' })).toEqual(allowed);
    expect(await check({ origin: 'http://localhost:5173' })).toEqual(allowed);
    expect(await check({ origin: 'http://front.example' })).toEqual(refused);
    expect(await check({ origin: 'https://front.example:8443' })).toEqual(refused);
  });

  it('refuse an ALLOWED_ORIGINS entry that is no origin, so the server does not start', () => {
    expect(() => originPolicy('loopback', ['front.example'])).toThrow(/ALLOWED_ORIGINS/);
  });
});

describe('TRUST_PROXY and origins as text', () => {
  it('reads the words Express takes and those an environment gives', () => {
    expect(trustProxy('false')('127.0.0.1', 0)).toBe(false);
    expect(trustProxy('')('127.0.0.1', 0)).toBe(false);
    expect(trustProxy('true')('203.0.113.9', 0)).toBe(true);
    expect([trustProxy('1')('203.0.113.9', 0), trustProxy('1')('203.0.113.9', 1)]).toEqual([true, false]);
    expect([trustProxy('loopback')('127.0.0.1', 0), trustProxy('loopback')('::ffff:127.0.0.1', 0), trustProxy('loopback')('10.0.0.1', 0)]).toEqual([true, true, false]);
    expect([trustProxy('10.0.0.1, 192.168.0.0/16')('192.168.4.4', 0), trustProxy('10.0.0.1, 192.168.0.0/16')('127.0.0.1', 0)]).toEqual([true, false]);
  });

  it('normalises scheme, host case and default ports, and rejects what is no http(s) origin', () => {
    expect(normaliseOrigin('HTTP://Example.ORG:80')).toBe('http://example.org');
    expect(normaliseOrigin('https://example.org:443/')).toBe('https://example.org');
    expect(normaliseOrigin('https://example.org:8443')).toBe('https://example.org:8443');
    for (const bad of ['null', 'example.org', 'ftp://example.org', 'https://user@example.org', '']) expect(normaliseOrigin(bad)).toBeNull();
  });
});
