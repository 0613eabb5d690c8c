import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Thread } from '../shared/comments.ts';
import type { Ack } from '../shared/events.ts';
import { IdempotentActions } from '../server/comments/idempotency.ts';
import { CommentKeys, commentKeysCollection } from '../server/comments/comment-keys.ts';
import { openEmbeddedStore } from '../server/store/embedded.ts';
import { createLogger } from '../server/logger.ts';
import { addMember, createDocument, startServer, tempDir, type TestServer } from './helpers/server.ts';
import { connectSocket } from './helpers/socket.ts';
import { liveAnchor } from './helpers/comments.ts';

/** A document open for comment, with two contributors. */
async function openForComment() {
  const s = await startServer();
  const { owner, consultation, document } = await createDocument(s.url);
  const amina = await addMember(s.url, owner, consultation.id, 'contributor', 'civil_society');
  const nhri = await addMember(s.url, owner, consultation.id, 'contributor', 'nhri');
  for (const phase of ['drafting', 'open_for_comment'])
    expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
  const anchor = await liveAnchor(s.server, document.id, 'The State shall consult civil society.');
  return { s, owner, consultation, document, amina, nhri, anchor: { start: anchor.start, end: anchor.end } };
}

/** The server stopped (its store closed) and started again on the same data: nothing held in memory survives. */
async function restart(s: TestServer): Promise<TestServer> {
  await s.stop();
  return startServer({ dataDir: s.dataDir });
}

function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`refused: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

async function threadsOf(url: string, cookie: string, documentId: string): Promise<Thread[]> {
  const socket = await connectSocket(url, cookie);
  const page = await socket.emitWithAck('document:watch', documentId);
  socket.close();
  if (!page.ok) throw new Error(page.error.code);
  return page.data.threads;
}

describe('comments sent with an idempotency key', () => {
  it('makes one thread, one reply and one position however often the same key is sent, also concurrently and on a new socket', async () => {
    const w = await openForComment();
    const socket = await connectSocket(w.s.url, w.amina.cookie);
    const createKey = randomUUID();
    const create = { documentId: w.document.id, anchor: w.anchor, body: 'Which groups?', key: createKey };
    const [first, second] = await Promise.all([socket.emitWithAck('thread:create', create), socket.emitWithAck('thread:create', create)]);
    if (!first.ok || !second.ok) throw new Error('create refused');
    expect(second.data.id).toBe(first.data.id);
    const threadId = first.data.id;

    const reply = { threadId, body: 'And how early?', key: randomUUID() };
    expect((await socket.emitWithAck('comment:reply', reply)).ok).toBe(true);
    // The acknowledgement was "lost": the client resends on a new connection.
    socket.close();
    const again = await connectSocket(w.s.url, w.amina.cookie);
    const resent = await again.emitWithAck('comment:reply', reply);
    expect(resent.ok && resent.data.comments.length).toBe(2);
    expect((await again.emitWithAck('thread:create', create)).ok).toBe(true);

    const position = { threadId, stance: 'support' as const, key: randomUUID() };
    expect((await again.emitWithAck('thread:position', position)).ok).toBe(true);
    expect((await again.emitWithAck('thread:position', { threadId, stance: null, key: randomUUID() })).ok).toBe(true);
    // A late resend of the first position does not undo the withdrawal made after it.
    const late = await again.emitWithAck('thread:position', position);
    expect(late.ok).toBe(true);

    const threads = await threadsOf(w.s.url, w.amina.cookie, w.document.id);
    expect(threads).toHaveLength(1);
    expect(threads[0]!.comments.map((c) => c.body)).toEqual(['Which groups?', 'And how early?']);
    expect(threads[0]!.counts.civil_society.support).toBe(0);
  });

  it('keys are per member: another member sending the same key writes their own reply', async () => {
    const w = await openForComment();
    const amina = await connectSocket(w.s.url, w.amina.cookie);
    const nhri = await connectSocket(w.s.url, w.nhri.cookie);
    const created = await amina.emitWithAck('thread:create', { documentId: w.document.id, anchor: w.anchor, body: 'Which groups?' });
    if (!created.ok) throw new Error(created.error.code);
    const key = randomUUID();
    expect((await amina.emitWithAck('comment:reply', { threadId: created.data.id, body: 'Mine', key })).ok).toBe(true);
    const theirs = await nhri.emitWithAck('comment:reply', { threadId: created.data.id, body: 'Theirs', key });
    expect(theirs.ok && theirs.data.comments.map((c) => c.body)).toEqual(['Which groups?', 'Mine', 'Theirs']);
  });

  it('without a key, a resend is a second reply (as before), and a malformed key is refused', async () => {
    const w = await openForComment();
    const socket = await connectSocket(w.s.url, w.amina.cookie);
    const created = await socket.emitWithAck('thread:create', { documentId: w.document.id, anchor: w.anchor, body: 'Which groups?' });
    if (!created.ok) throw new Error(created.error.code);
    await socket.emitWithAck('comment:reply', { threadId: created.data.id, body: 'Twice' });
    const twice = await socket.emitWithAck('comment:reply', { threadId: created.data.id, body: 'Twice' });
    expect(twice.ok && twice.data.comments).toHaveLength(3);
    const bad = await socket.emitWithAck('comment:reply', { threadId: created.data.id, body: 'x', key: 'not-a-uuid' });
    expect(bad.ok ? 'accepted' : bad.error.code).toBe('validation_failed');
  });
});

describe('IdempotentActions', () => {
  const thread = (id: string) => ({ id }) as Thread;

  it('forgets a failed attempt (the retry runs) and forgets keys after their time', async () => {
    let now = 0;
    const once = new IdempotentActions({ ttlMs: 1000, maxKeys: 10, now: () => now });
    let runs = 0;
    await expect(once.run('u', 'reply', 'k', () => Promise.reject(new Error('offline')))).rejects.toThrow('offline');
    expect((await once.run('u', 'reply', 'k', async () => thread(`t${++runs}`))).id).toBe('t1');
    expect((await once.run('u', 'reply', 'k', async () => thread(`t${++runs}`))).id).toBe('t1');
    now = 1001;
    expect((await once.run('u', 'reply', 'k', async () => thread(`t${++runs}`))).id).toBe('t2');
  });

  it('keeps at most maxKeys, forgetting the oldest', async () => {
    const once = new IdempotentActions({ ttlMs: 1000, maxKeys: 3, now: () => 0 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) await once.run('u', 'reply', key, async () => thread(key));
    expect(once.size).toBeLessThanOrEqual(3);
    expect((await once.run('u', 'reply', 'e', async () => thread('new'))).id).toBe('e');
  });
});

describe('idempotency keys across a server restart', () => {
  it('a thread, a reply and a position acknowledged before a restart are not done again when resent after it', async () => {
    const w = await openForComment();
    const before = await connectSocket(w.s.url, w.amina.cookie);
    const create = { documentId: w.document.id, anchor: w.anchor, body: 'Which groups?', key: randomUUID() };
    const thread = ok(await before.emitWithAck('thread:create', create));
    const reply = { threadId: thread.id, body: 'And how early?', key: randomUUID() };
    const replied = ok(await before.emitWithAck('comment:reply', reply));
    const position = { threadId: thread.id, stance: 'support' as const, key: randomUUID() };
    ok(await before.emitWithAck('thread:position', position));
    // A facilitator hides the reply meanwhile: a resend's answer must show it hidden, as every view does.
    const owner = await connectSocket(w.s.url, w.owner.cookie);
    ok(await owner.emitWithAck('moderation:hide', { threadId: thread.id, commentId: replied.comments[1]!.id, reason: 'Off topic' }));

    // Every acknowledgement was "lost", and the server restarted before the client came back.
    const s = await restart(w.s);
    const after = await connectSocket(s.url, w.amina.cookie);
    const created = ok(await after.emitWithAck('thread:create', create));
    expect(created.id).toBe(thread.id);
    const resent = ok(await after.emitWithAck('comment:reply', reply));
    expect(resent.id).toBe(thread.id);
    expect(resent.comments.map((c) => [c.body, c.hidden])).toEqual([['Which groups?', null], [null, { reason: 'Off topic' }]]);
    const positioned = ok(await after.emitWithAck('thread:position', position));
    expect([positioned.yours, positioned.counts.civil_society.support]).toEqual(['support', 1]);

    const threads = await threadsOf(s.url, w.amina.cookie, w.document.id);
    expect(threads).toHaveLength(1);
    expect(threads[0]!.comments).toHaveLength(2);
    expect(threads[0]!.counts.civil_society.support).toBe(1);
  });

  it('keeps keys per member: another member sending the same key after the restart writes their own reply', async () => {
    const w = await openForComment();
    const amina = await connectSocket(w.s.url, w.amina.cookie);
    const thread = ok(await amina.emitWithAck('thread:create', { documentId: w.document.id, anchor: w.anchor, body: 'Which groups?' }));
    const key = randomUUID();
    ok(await amina.emitWithAck('comment:reply', { threadId: thread.id, body: 'Mine', key }));
    const s = await restart(w.s);
    const nhri = await connectSocket(s.url, w.nhri.cookie);
    expect(ok(await nhri.emitWithAck('comment:reply', { threadId: thread.id, body: 'Theirs', key })).comments.map((c) => c.body)).toEqual(['Which groups?', 'Mine', 'Theirs']);
    const again = await connectSocket(s.url, w.amina.cookie);
    expect(ok(await again.emitWithAck('comment:reply', { threadId: thread.id, body: 'Mine', key })).comments).toHaveLength(3);
  });

  it('runs a resend again once its key is older than a day', async () => {
    const w = await openForComment();
    const amina = await connectSocket(w.s.url, w.amina.cookie);
    const thread = ok(await amina.emitWithAck('thread:create', { documentId: w.document.id, anchor: w.anchor, body: 'Which groups?' }));
    const reply = { threadId: thread.id, body: 'Once more', key: randomUUID() };
    ok(await amina.emitWithAck('comment:reply', reply));
    const s = await restart(w.s);
    // The stored key is made a day and a minute old (the clock moved on while the server was down).
    const keys = commentKeysCollection(s.store);
    const aged = new Date(Date.now() - 24 * 3_600_000 - 60_000).toISOString();
    expect((await keys.updateOne({ key: reply.key }, { $set: { createdAt: aged } })).matchedCount).toBe(1);
    const again = await connectSocket(s.url, w.amina.cookie);
    expect(ok(await again.emitWithAck('comment:reply', reply)).comments).toHaveLength(3);
    // The key now stands for the new reply: a further resend is answered, not done.
    const s2 = await restart(s);
    const last = await connectSocket(s2.url, w.amina.cookie);
    expect(ok(await last.emitWithAck('comment:reply', reply)).comments).toHaveLength(3);
  });

  it('erases a member\'s keys when they delete their account (also after being removed) and when the retention sweep erases them', async () => {
    const w = await openForComment();
    const gov = await addMember(w.s.url, w.owner, w.consultation.id, 'contributor', 'government');
    const keys = commentKeysCollection(w.s.store);
    const thread = ok(await (await connectSocket(w.s.url, w.amina.cookie)).emitWithAck('thread:create', { documentId: w.document.id, anchor: w.anchor, body: 'Which groups?', key: randomUUID() }));
    for (const person of [w.amina, w.nhri, gov]) {
      const socket = await connectSocket(w.s.url, person.cookie);
      ok(await socket.emitWithAck('comment:reply', { threadId: thread.id, body: `From ${person.me.id}`, key: randomUUID() }));
    }
    const held = async () => Object.fromEntries(await Promise.all([w.amina, w.nhri, gov].map(async (p) => [p.me.displayName, await keys.countDocuments({ userId: p.me.id })])));
    expect(await held()).toEqual({ [w.amina.me.displayName]: 2, [w.nhri.me.displayName]: 1, [gov.me.displayName]: 1 });

    expect((await w.amina.call('POST', '/auth/me/delete', { password: w.amina.password })).status).toBe(204);
    // Compacted: no line of the embedded store's file names the account any more.
    expect(await readFile(path.join(w.s.dataDir, 'comment_keys.db'), 'utf8')).not.toContain(w.amina.me.id);
    // Removed from the consultation first: no membership leads to the keys, the account does.
    const nhriMember = await w.s.store.collection<{ _id: string; userId: string }>('memberships').findOne({ userId: w.nhri.me.id });
    expect((await w.owner.call('DELETE', `/consultations/${w.consultation.id}/members/${nhriMember!._id}`)).status).toBe(204);
    expect((await w.nhri.call('POST', '/auth/me/delete', { password: w.nhri.password })).status).toBe(204);
    expect(await held()).toEqual({ [w.amina.me.displayName]: 0, [w.nhri.me.displayName]: 0, [gov.me.displayName]: 1 });

    expect((await w.owner.call('POST', `/consultations/${w.consultation.id}/phase`, { phase: 'closed' })).status).toBe(200);
    expect(await w.s.server.privacy.sweep(Date.now() + 400 * 24 * 3_600_000)).toBe(1);
    expect(await keys.countDocuments({})).toBe(0);
  });
});

describe('CommentKeys', () => {
  it('answers only fresh keys, replaces an expired one, and sweeps expired records away', async () => {
    const store = await openEmbeddedStore(await tempDir());
    let now = Date.parse('2026-12-01T00:00:00Z');
    const keys = new CommentKeys(store, 1000, createLogger('silent'), () => now, 10);
    const thread = (id: string) => ({ _id: id, consultationId: 'c' });
    await keys.remember('u', 'reply', 'k', thread('t1'));
    await keys.remember('u', 'reply', 'k', thread('t2'));
    expect(await keys.find('u', 'reply', 'k')).toBe('t1');
    expect(await keys.find('u', 'position', 'k')).toBeNull();
    expect(await keys.find('v', 'reply', 'k')).toBeNull();
    now += 1000;
    expect(await keys.find('u', 'reply', 'k')).toBeNull();
    await keys.remember('u', 'reply', 'k', thread('t3'));
    expect(await keys.find('u', 'reply', 'k')).toBe('t3');
    await keys.remember('u', 'reply', 'old', thread('t4'));
    now += 1000;
    await keys.remember('u', 'reply', 'new', thread('t5'));
    const left = async () => (await commentKeysCollection(store).find({}, { sort: { key: 1 } })).map((r) => r.key);
    await expect.poll(left).toEqual(['new']);
    await store.close();
  });
});
