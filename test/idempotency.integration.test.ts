import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Thread } from '../shared/comments.ts';
import { IdempotentActions } from '../server/comments/idempotency.ts';
import { addMember, createDocument, startServer } from './helpers/server.ts';
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
  return { s, document, amina, nhri, anchor: { start: anchor.start, end: anchor.end } };
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
    const once = new IdempotentActions(1000, 10, () => now);
    let runs = 0;
    await expect(once.run('u', 'reply', 'k', () => Promise.reject(new Error('offline')))).rejects.toThrow('offline');
    expect((await once.run('u', 'reply', 'k', async () => thread(`t${++runs}`))).id).toBe('t1');
    expect((await once.run('u', 'reply', 'k', async () => thread(`t${++runs}`))).id).toBe('t1');
    now = 1001;
    expect((await once.run('u', 'reply', 'k', async () => thread(`t${++runs}`))).id).toBe('t2');
  });

  it('keeps at most maxKeys, forgetting the oldest', async () => {
    const once = new IdempotentActions(1000, 3, () => 0);
    for (const key of ['a', 'b', 'c', 'd', 'e']) await once.run('u', 'reply', key, async () => thread(key));
    expect(once.size).toBeLessThanOrEqual(3);
    expect((await once.run('u', 'reply', 'e', async () => thread('new'))).id).toBe('e');
  });
});
