import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Consultation } from '../shared/schemas.ts';
import type { CreatedInvitation, Member } from '../shared/accounts.ts';
import { CloseCode, type ErrorBody } from '../shared/errors.ts';
import { addMember, api, createDocument, registerUser, startServer, storedText } from './helpers/server.ts';
import { connectSocket } from './helpers/socket.ts';
import { connectYjs, eventually, rawYjsSocket, updateFrame } from './helpers/yjs.ts';

const flushedText = (s: Awaited<ReturnType<typeof startServer>>, docId: string) => storedText(s.server, docId, { flush: true });

describe('read-only connections inside the Yjs protocol', () => {
  it('an observer receives the text live, but crafted updates and sync-step-2 content are dropped, never stored', async () => {
    const s = await startServer();
    const { owner, consultation, document } = await createDocument(s.url);
    const observer = await addMember(s.url, owner, consultation.id, 'observer');
    const writer = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    writer.text.insert(0, 'Official draft.');

    const reader = connectYjs(s.wsUrl, document.id, { cookie: observer.cookie });
    await reader.synced;
    await eventually(() => reader.text.toString() === 'Official draft.', 'the observer to receive the text');

    // A hand-made update, as a plain update and as sync step 2.
    const forged = new Y.Doc();
    forged.getText('t').insert(0, 'FORGED ');
    const raw = rawYjsSocket(s.wsUrl, document.id, observer.cookie);
    await raw.open;
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(forged)));
    const step2 = updateFrame(Y.encodeStateAsUpdate(forged));
    step2[1] = 1; // sync step 2 instead of update
    raw.ws.send(step2);
    // Local edits through the provider are refused the same way.
    reader.text.insert(0, 'OBSERVER WAS HERE ');

    await eventually(() => raw.messages.filter((m) => m[0] === 2).length >= 2, 'two permission-denied messages');
    writer.text.insert(writer.text.length, ' Amended.');
    await eventually(() => reader.text.toString().endsWith('Official draft. Amended.'), 'the observer to keep receiving');
    expect(writer.text.toString()).toBe('Official draft. Amended.');
    expect(await flushedText(s, document.id)).toBe('Official draft. Amended.');
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
  });

  it('a locked document and an adopted plan accept no update from anyone, facilitators included', async () => {
    const s = await startServer();
    const { owner, consultation, document } = await createDocument(s.url);
    const writer = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    writer.text.insert(0, 'v1');
    await eventually(async () => (await flushedText(s, document.id)) === 'v1', 'v1 stored');

    expect((await owner.call('POST', `/documents/${document.id}/lock`, { locked: true })).status).toBe(200);
    writer.text.insert(2, ' while locked');
    await new Promise((r) => setTimeout(r, 300));
    expect(await flushedText(s, document.id)).toBe('v1');

    expect((await owner.call('POST', `/documents/${document.id}/lock`, { locked: false })).status).toBe(200);
    const fresh = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await fresh.synced;
    fresh.text.insert(fresh.text.length, ' unlocked');
    await eventually(async () => (await flushedText(s, document.id)).endsWith(' unlocked'), 'the edit after unlocking to be stored');

    for (const phase of ['drafting', 'open_for_comment', 'closed', 'adopted'])
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
    const before = await flushedText(s, document.id);
    fresh.text.insert(0, 'after adoption ');
    await new Promise((r) => setTimeout(r, 300));
    expect(await flushedText(s, document.id)).toBe(before);
  });
});

describe('ending access ends live connections', () => {
  it('removing a member closes their Yjs and Socket.IO connections at once', async () => {
    const s = await startServer();
    const { owner, consultation, document } = await createDocument(s.url);
    const drafter = await addMember(s.url, owner, consultation.id, 'drafter', 'government');
    const raw = rawYjsSocket(s.wsUrl, document.id, drafter.cookie);
    await raw.open;
    const socket = await connectSocket(s.url, drafter.cookie);
    await socket.emitWithAck('consultation:watch', consultation.id);
    const removed = new Promise<string>((resolve) => socket.once('consultation:removed', resolve));

    const members = (await owner.call<Member[]>('GET', `/consultations/${consultation.id}/members`)).body;
    expect((await owner.call('DELETE', `/consultations/${consultation.id}/members/${members.find((m) => m.role === 'drafter')!.id}`)).status).toBe(204);
    // Nothing re-checks open connections on a timer, so only the removal itself can close them;
    // how fast is not judged here (the suite runs on busy machines).
    expect((await raw.closed).code).toBe(CloseCode.forbidden);
    expect(await removed).toBe(consultation.id);
    expect((await drafter.call('GET', `/consultations/${consultation.id}`)).status).toBe(404);
  });

  it('signing out or revoking a session closes that session’s connections, and only its own', async () => {
    const s = await startServer();
    const { owner, document } = await createDocument(s.url);
    const other = await api(s.url, 'POST', '/auth/login', { email: owner.me.email, password: owner.password });
    const otherCookie = other.headers.get('set-cookie')!.split(';')[0]!;

    const mine = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
    const theirs = rawYjsSocket(s.wsUrl, document.id, otherCookie);
    const theirSocket = await connectSocket(s.url, otherCookie);
    const theirSocketGone = new Promise<void>((resolve) => theirSocket.once('disconnect', () => resolve()));
    await Promise.all([mine.open, theirs.open]);

    const sessions = (await owner.call<{ id: string; current: boolean }[]>('GET', '/auth/sessions')).body;
    expect(sessions).toHaveLength(2);
    const otherSession = sessions.find((x) => !x.current)!;
    expect((await owner.call('DELETE', `/auth/sessions/${otherSession.id}`)).status).toBe(204);
    expect((await theirs.closed).code).toBe(CloseCode.unauthorized);
    await theirSocketGone;
    expect((await api(s.url, 'GET', '/auth/me', undefined, otherCookie)).status).toBe(401);
    expect(mine.ws.readyState).toBe(mine.ws.OPEN);

    expect((await owner.call('POST', '/auth/logout')).status).toBe(204);
    expect((await mine.closed).code).toBe(CloseCode.unauthorized);
    expect((await owner.call('GET', '/auth/me')).status).toBe(401);
  });

  it('an expired session is refused everywhere and its connections close', async () => {
    const s = await startServer({ config: { sessionTtlMs: 1_500 } });
    const { owner, document } = await createDocument(s.url);
    const raw = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
    await raw.open;
    expect((await raw.closed).code).toBe(CloseCode.unauthorized);
    expect((await owner.call('GET', '/auth/me')).status).toBe(401);
    await expect(connectSocket(s.url, owner.cookie)).rejects.toThrow(/unauthenticated/);
  });
});

describe('invitations', () => {
  async function invite(body: object = {}) {
    const s = await startServer();
    const owner = await registerUser(s.url);
    const c = (await owner.call<Consultation>('POST', '/consultations', { title: 'Invite-only' })).body;
    const inv = await owner.call<CreatedInvitation>('POST', `/consultations/${c.id}/invitations`, { role: 'contributor', group: 'nhri', ...body });
    expect(inv.status).toBe(201);
    return { s, owner, c, inv: inv.body };
  }
  const join = async (s: Awaited<ReturnType<typeof startServer>>, token: string) =>
    (await registerUser(s.url)).call<ErrorBody>('POST', '/invitations/accept', { token });

  it('joins with the role and group the link carries, and stores only a hash of the token', async () => {
    const { s, c, inv } = await invite();
    const person = await registerUser(s.url);
    expect((await api(s.url, 'GET', `/invitations/${inv.token}`)).body).toMatchObject({ consultationTitle: 'Invite-only', role: 'contributor' });
    expect((await person.call('POST', '/invitations/accept', { token: inv.token })).status).toBe(200);
    expect((await person.call<Consultation>('GET', `/consultations/${c.id}`)).body.you).toMatchObject({ role: 'contributor', group: 'nhri' });
    const stored = await s.store.collection('invitations').find({});
    expect(JSON.stringify(stored)).not.toContain(inv.token);
  });

  it('cannot be used beyond its limit, even by people joining at the same moment', async () => {
    const { s, inv } = await invite({ maxUses: 2 });
    const results = await Promise.all([1, 2, 3, 4].map(() => join(s, inv.token)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 410, 410]);
    expect(results.find((r) => r.status === 410)!.body.error.code).toBe('invitation_unavailable');
  });

  it('stops working once expired or revoked', async () => {
    const { s, owner, c, inv } = await invite({ maxUses: 10 });
    await s.store.collection('invitations').updateOne({ publicId: inv.id }, { $set: { expiresAt: new Date(Date.now() - 1000).toISOString() } });
    expect((await join(s, inv.token)).status).toBe(410);

    const second = (await owner.call<CreatedInvitation>('POST', `/consultations/${c.id}/invitations`, { role: 'observer', group: 'other', maxUses: 10 })).body;
    expect((await join(s, second.token)).status).toBe(200);
    expect((await owner.call('DELETE', `/consultations/${c.id}/invitations/${second.id}`)).status).toBe(204);
    expect((await join(s, second.token)).status).toBe(410);
    expect((await api(s.url, 'GET', `/invitations/${second.token}`)).status).toBe(410);
  });
});

describe('privacy', () => {
  it('shows nothing of a consultation to non-members and no email to anyone', async () => {
    const s = await startServer();
    const { owner, consultation, document } = await createDocument(s.url);
    const member = await addMember(s.url, owner, consultation.id, 'contributor');
    const stranger = await registerUser(s.url);
    expect((await stranger.call('GET', `/consultations/${consultation.id}`)).status).toBe(404);
    expect((await stranger.call('GET', `/documents/${document.id}`)).status).toBe(404);
    expect((await stranger.call<{ items: unknown[] }>('GET', '/consultations')).body.items).toEqual([]);
    const raw = rawYjsSocket(s.wsUrl, document.id, stranger.cookie);
    expect((await raw.closed).code).toBe(CloseCode.documentNotFound);

    const seen = await member.call<Member[]>('GET', `/consultations/${consultation.id}/members`);
    expect(JSON.stringify(seen.body)).not.toContain('@');
    expect(seen.body.map((m) => m.displayName)).toContain('Facilitator');
  });

  it('hides contributors from one another, and from drafters, when the consultation hides identities', async () => {
    const s = await startServer();
    const owner = await registerUser(s.url, 'Facilitator');
    const c = (await owner.call<Consultation>('POST', '/consultations', { title: 'Sensitive', hideIdentities: true })).body;
    const a = await addMember(s.url, owner, c.id, 'contributor', 'civil_society');
    await addMember(s.url, owner, c.id, 'contributor', 'civil_society');
    const drafter = await addMember(s.url, owner, c.id, 'drafter', 'government');

    for (const viewer of [a, drafter]) {
      const list = (await viewer.call<Member[]>('GET', `/consultations/${c.id}/members`)).body;
      for (const m of list.filter((m) => m.role === 'contributor' && !m.isYou)) {
        expect(m).toMatchObject({ displayName: null, userId: null, organisation: null, group: 'civil_society' });
        expect(m.alias).toBeGreaterThan(0);
      }
      expect(list.find((m) => m.role === 'facilitator')!.displayName).toBe('Facilitator');
    }
    const own = (await a.call<Member[]>('GET', `/consultations/${c.id}/members`)).body.find((m) => m.isYou)!;
    expect(own.displayName).toBe(a.me.displayName);
    const all = (await owner.call<Member[]>('GET', `/consultations/${c.id}/members`)).body;
    expect(all.every((m) => m.displayName !== null)).toBe(true);
  });
});

describe('sign-in safety', () => {
  it('limits failed sign-ins per account with a clear error, and blocks even the right password meanwhile', async () => {
    const s = await startServer();
    const user = await registerUser(s.url);
    for (let i = 0; i < 5; i++) {
      const res = await api<ErrorBody>(s.url, 'POST', '/auth/login', { email: user.me.email, password: 'wrong password' });
      expect(res.body.error.code).toBe('invalid_credentials');
    }
    const blocked = await api<ErrorBody>(s.url, 'POST', '/auth/login', { email: user.me.email, password: user.password });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits failed sign-ins per address across accounts', async () => {
    const s = await startServer({ config: { login: { failuresPerAccount: 100, failuresPerAddress: 3, windowMs: 60_000 } } });
    for (let i = 0; i < 3; i++) await api(s.url, 'POST', '/auth/login', { email: `nobody${i}@example.org`, password: 'guess guess' });
    expect((await api(s.url, 'POST', '/auth/login', { email: 'someone@example.org', password: 'guess guess' })).status).toBe(429);
  });

  it('ends other sessions when the password changes, and hashes passwords with scrypt', async () => {
    const s = await startServer();
    const user = await registerUser(s.url);
    const other = await api(s.url, 'POST', '/auth/login', { email: user.me.email, password: user.password });
    const otherCookie = other.headers.get('set-cookie')!.split(';')[0]!;
    expect((await user.call('POST', '/auth/password', { currentPassword: user.password, newPassword: 'an even longer passphrase' })).status).toBe(204);
    expect((await api(s.url, 'GET', '/auth/me', undefined, otherCookie)).status).toBe(401);
    expect((await user.call('GET', '/auth/me')).status).toBe(200);
    const [record] = await s.store.collection<{ _id: string; passwordHash: string }>('users').find({});
    expect(record!.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('sets the session cookie httpOnly and SameSite=Lax', async () => {
    const s = await startServer();
    const res = await api(s.url, 'POST', '/auth/register', { email: 'cookie@example.org', password: 'a long enough passphrase', displayName: 'C' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('refuses state-changing requests and live connections from another origin', async () => {
    const s = await startServer();
    const { owner, document } = await createDocument(s.url);
    const res = await fetch(`${s.url}/api/consultations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: owner.cookie, origin: 'https://evil.example' },
      body: JSON.stringify({ title: 'Forged' }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error.code).toBe('cross_origin');
    expect((await owner.call<{ items: unknown[] }>('GET', '/consultations')).body.items).toHaveLength(1);
    const raw = rawYjsSocket(s.wsUrl, document.id, owner.cookie, { origin: 'https://evil.example' });
    expect((await raw.closed).code).toBe(CloseCode.forbidden);
    const sameSite = await fetch(`${s.url}/api/consultations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: owner.cookie, origin: s.url },
      body: JSON.stringify({ title: 'Legit' }),
    });
    expect(sameSite.status).toBe(201);
  });
});

describe('the API description', () => {
  it('serves OpenAPI 3 generated from the schemas the server validates with', async () => {
    const s = await startServer();
    const doc = (await api<{ openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }> } }>> }>(s.url, 'GET', '/openapi.json')).body;
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/auth/register', '/api/consultations/{id}/members/{memberId}', '/api/invitations/accept', '/api/documents/{id}/lock'])
      expect(doc.paths).toHaveProperty([path]);
    const register = doc.paths['/api/auth/register']!.post!.requestBody!.content['application/json']!.schema;
    expect(register.required).toEqual(expect.arrayContaining(['email', 'password', 'displayName']));
    expect(register.properties.password).toMatchObject({ minLength: 10 });
  });
});
