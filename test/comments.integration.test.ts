import { describe, expect, it } from 'vitest';
import type { Thread } from '../shared/comments.ts';
import type { ThreadsPage } from '../shared/events.ts';
import { encodeRange } from '../shared/anchors.ts';
import { addMember, createDocument, startServer } from './helpers/server.ts';
import { connectSocket } from './helpers/socket.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import { anchorOn, liveAnchor, plainText, untilServerHas, writeParagraph } from './helpers/comments.ts';

/** A consultation open for comment, with a drafted paragraph, a drafter and two contributors. */
async function openForComment() {
  const s = await startServer();
  const { owner, consultation, document } = await createDocument(s.url);
  const drafter = await addMember(s.url, owner, consultation.id, 'drafter', 'government');
  const amina = await addMember(s.url, owner, consultation.id, 'contributor', 'civil_society');
  const nhri = await addMember(s.url, owner, consultation.id, 'contributor', 'nhri');
  const editor = connectYjs(s.wsUrl, document.id, { cookie: drafter.cookie });
  await editor.synced;
  const text = writeParagraph(editor.doc, 'The State shall consult civil society before adopting the plan.');
  await untilServerHas(s.server, document.id, 'The State shall consult');
  for (const phase of ['drafting', 'open_for_comment'])
    expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
  return { s, owner, consultation, document, drafter, amina, nhri, editor, text };
}

describe('comment threads, live', () => {
  it('reaches every watcher live, with replies, positions by group, resolution and deletion markers', async () => {
    const w = await openForComment();
    const sockets = await Promise.all([w.amina, w.nhri, w.drafter].map((u) => connectSocket(w.s.url, u.cookie)));
    const seen = sockets.map(() => new Map<string, Thread>());
    sockets.forEach((socket, i) => socket.on('threads:changed', (threads) => threads.forEach((t) => seen[i]!.set(t.id, t))));
    for (const socket of sockets) expect((await socket.emitWithAck('document:watch', w.document.id)).ok).toBe(true);
    const [amina, nhri, drafter] = sockets as [typeof sockets[0], typeof sockets[0], typeof sockets[0]];

    const created = await amina.emitWithAck('thread:create', { documentId: w.document.id, anchor: anchorOn(w.text, 'consult civil society'), body: 'Which groups, and how early?' });
    if (!created.ok) throw new Error(created.error.code);
    const id = created.data.id;
    await eventually(() => seen.every((m) => m.has(id)), 'everyone to see the new thread');

    expect((await nhri.emitWithAck('comment:reply', { threadId: id, body: 'NHRIs too.' })).ok).toBe(true);
    expect((await nhri.emitWithAck('thread:position', { threadId: id, stance: 'support' })).ok).toBe(true);
    const mine = await amina.emitWithAck('thread:position', { threadId: id, stance: 'object' });
    expect(mine.ok && mine.data.yours).toBe('object');
    const reply = await drafter.emitWithAck('comment:reply', { threadId: id, body: 'Noted; we will widen it.' });
    if (!reply.ok) throw new Error(reply.error.code);
    const aminaComment = reply.data.comments[0]!.id;
    expect((await amina.emitWithAck('comment:edit', { threadId: id, commentId: aminaComment, body: 'Which groups, and how early? (edited)' })).ok).toBe(true);
    expect((await amina.emitWithAck('comment:delete', { threadId: id, commentId: aminaComment })).ok).toBe(true);
    expect((await drafter.emitWithAck('thread:status', { threadId: id, status: 'resolved' })).ok).toBe(true);

    await eventually(() => seen.every((m) => m.get(id)?.status === 'resolved'), 'everyone to see it resolved');
    const finalView = seen[1]!.get(id)!;
    expect(finalView.comments.map((c) => c.body)).toEqual([null, 'NHRIs too.', 'Noted; we will widen it.']);
    expect(finalView.comments[0]).toMatchObject({ deleted: true });
    expect(finalView.counts.nhri.support).toBe(1);
    expect(finalView.counts.civil_society.object).toBe(1);
    expect(finalView).not.toHaveProperty('yours');
    expect(JSON.stringify(finalView)).not.toContain(w.amina.me.displayName);

    // Reopening is for the pen-holders; someone else's comment is not yours to edit.
    expect(await nhri.emitWithAck('thread:status', { threadId: id, status: 'open' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await nhri.emitWithAck('comment:edit', { threadId: id, commentId: reply.data.comments[2]!.id, body: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('numbers concurrent changes uniquely and announces them in order', async () => {
    const w = await openForComment();
    const watcher = await connectSocket(w.s.url, w.nhri.cookie);
    const messages: Thread[][] = [];
    watcher.on('threads:changed', (threads) => messages.push(threads));
    expect((await watcher.emitWithAck('document:watch', w.document.id)).ok).toBe(true);
    const authors = await Promise.all([w.amina, w.nhri, w.drafter].map((u) => connectSocket(w.s.url, u.cookie)));
    const words = ['The State', 'consult', 'civil society', 'before', 'adopting', 'the plan'];
    const acks = await Promise.all(
      words.flatMap((word, i) => [0, 1].map((k) => authors[(i + k) % 3]!.emitWithAck('thread:create', { documentId: w.document.id, anchor: anchorOn(w.text, word), body: `${word} ${k}` }))),
    );
    const created = acks.map((a) => {
      if (!a.ok) throw new Error(a.error.code);
      return a.data;
    });
    expect(new Set(created.map((t) => t.seq)).size).toBe(12);

    await eventually(() => messages.flat().length === 12, 'all twelve announced');
    const heard = messages.flat().map((t) => t.seq);
    expect(heard).toEqual([...heard].sort((a, b) => a - b));
    expect(new Set(heard)).toEqual(new Set(created.map((t) => t.seq)));

    const page = await watcher.emitWithAck('threads:sync', { documentId: w.document.id, since: 0 });
    if (!page.ok) throw new Error(page.error.code);
    expect(page.data.seq).toBe(Math.max(...heard));
    expect(page.data.threads.map((t) => t.seq)).toEqual([...heard].sort((a, b) => a - b));
  });

  it('gives a client that was disconnected exactly what it missed: no gaps, no duplicates', async () => {
    const w = await openForComment();
    const watcher = await connectSocket(w.s.url, w.nhri.cookie);
    const first = await watcher.emitWithAck('document:watch', w.document.id);
    if (!first.ok) throw new Error(first.error.code);
    let lastSeq = first.data.seq;
    const held = new Map<string, Thread>();
    const apply = (t: Thread) => {
      if ((held.get(t.id)?.seq ?? -1) < t.seq) held.set(t.id, t);
      lastSeq = Math.max(lastSeq, t.seq);
    };
    watcher.on('threads:changed', (threads) => threads.forEach(apply));

    const author = await connectSocket(w.s.url, w.amina.cookie);
    const made: string[] = [];
    for (const words of ['The State', 'consult', 'civil society']) {
      const t = await author.emitWithAck('thread:create', { documentId: w.document.id, anchor: anchorOn(w.text, words), body: `On "${words}"` });
      if (t.ok) made.push(t.data.id);
    }
    await eventually(() => held.size === 3, 'the three threads live');

    watcher.disconnect();
    // While it is away: two replies and a new thread.
    await author.emitWithAck('comment:reply', { threadId: made[0]!, body: 'missed reply 1' });
    await author.emitWithAck('comment:reply', { threadId: made[2]!, body: 'missed reply 2' });
    const late = await author.emitWithAck('thread:create', { documentId: w.document.id, anchor: anchorOn(w.text, 'the plan'), body: 'missed thread' });
    if (!late.ok) throw new Error(late.error.code);

    watcher.connect();
    await eventually(() => watcher.connected, 'reconnection');
    const catchUp = await watcher.emitWithAck('threads:sync', { documentId: w.document.id, since: lastSeq });
    if (!catchUp.ok) throw new Error(catchUp.error.code);
    expect(catchUp.data.threads.map((t) => t.id).sort()).toEqual([made[0]!, made[2]!, late.data.id].sort());
    catchUp.data.threads.forEach(apply);
    expect(held.size).toBe(4);
    expect(held.get(made[0]!)!.comments.map((c) => c.body)).toEqual(['On "The State"', 'missed reply 1']);
    expect(lastSeq).toBe(catchUp.data.seq);

    const again: { ok: boolean; data?: ThreadsPage } = await watcher.emitWithAck('threads:sync', { documentId: w.document.id, since: lastSeq });
    expect(again.data?.threads).toEqual([]);
  });
});

describe('proposed wording', () => {
  it('a drafter accepts it: the passage changes in every editor, as one edit, and the thread records it', async () => {
    const w = await openForComment();
    const reader = connectYjs(w.s.url.replace('http', 'ws'), w.document.id, { cookie: w.amina.cookie });
    await reader.synced;
    const contributor = await connectSocket(w.s.url, w.amina.cookie);
    const proposal = await contributor.emitWithAck('thread:create', {
      documentId: w.document.id,
      anchor: anchorOn(w.text, 'consult civil society'),
      body: 'Make it binding and inclusive.',
      proposal: 'meaningfully consult civil society, NHRIs and affected communities',
    });
    if (!proposal.ok) throw new Error(proposal.error.code);
    // Someone types before the passage in the meantime: the anchor follows the words.
    w.text.insert(0, 'Article 3. ');

    const drafter = await connectSocket(w.s.url, w.drafter.cookie);
    await untilServerHas(w.s.server, w.document.id, 'Article 3.');
    const accepted = await drafter.emitWithAck('proposal:decide', { threadId: proposal.data.id, decision: 'accept', passage: 'consult civil society' });
    if (!accepted.ok) throw new Error(accepted.error.code);
    expect(accepted.data.proposal).toMatchObject({ status: 'accepted', decidedBy: { role: 'drafter', group: 'government' } });
    const expected = 'Article 3. The State shall meaningfully consult civil society, NHRIs and affected communities before adopting the plan.';
    await eventually(() => plainText(reader.doc) === expected && plainText(w.editor.doc) === expected, 'both editors to hold the new wording');
    expect(accepted.data.anchor.quote).toBe('meaningfully consult civil society, NHRIs and affected communities');

    expect(await drafter.emitWithAck('proposal:decide', { threadId: proposal.data.id, decision: 'accept', passage: 'consult civil society' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('cannot be accepted into an archived document, whose text stays as it was', async () => {
    const w = await openForComment();
    const contributor = await connectSocket(w.s.url, w.nhri.cookie);
    const t = await contributor.emitWithAck('thread:create', { documentId: w.document.id, anchor: anchorOn(w.text, 'the plan'), body: 'Rename.', proposal: 'the action plan' });
    if (!t.ok) throw new Error(t.error.code);
    expect((await w.owner.call('POST', `/documents/${w.document.id}/archive`, {})).status).toBe(200);
    const drafter = await connectSocket(w.s.url, w.drafter.cookie);
    expect(await drafter.emitWithAck('proposal:decide', { threadId: t.data.id, decision: 'accept', passage: 'the plan' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(plainText(w.editor.doc)).toBe('The State shall consult civil society before adopting the plan.');
    expect((await w.owner.call<{ threads: Thread[] }>('GET', `/documents/${w.document.id}/threads`)).body.threads).toMatchObject([{ id: t.data.id, proposal: { status: 'pending' } }]);
  });

  it('a drafter declines it with a reason, and the text stays as it was', async () => {
    const w = await openForComment();
    const contributor = await connectSocket(w.s.url, w.nhri.cookie);
    const t = await contributor.emitWithAck('thread:create', { documentId: w.document.id, anchor: anchorOn(w.text, 'the plan'), body: 'Rename.', proposal: 'the action plan' });
    if (!t.ok) throw new Error(t.error.code);
    const drafter = await connectSocket(w.s.url, w.drafter.cookie);
    expect(await drafter.emitWithAck('proposal:decide', { threadId: t.data.id, decision: 'decline' } as never)).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const declined = await drafter.emitWithAck('proposal:decide', { threadId: t.data.id, decision: 'decline', reason: 'The title is fixed by statute.' });
    expect(declined.ok && declined.data.proposal).toMatchObject({ status: 'declined', reason: 'The title is fixed by statute.' });
    expect(await contributor.emitWithAck('proposal:decide', { threadId: t.data.id, decision: 'accept', passage: 'the plan' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await w.s.server.rooms.flushAll();
    expect(plainText(w.editor.doc)).toBe('The State shall consult civil society before adopting the plan.');
  });
});

/**
 * The case: a contributor anchored "Everyone has the right to take
 * part" but claimed the quote "pubic affairs". The server reads the words
 * itself, and acceptance replaces only the words the drafter was shown.
 */
describe('a proposal replaces exactly what its thread shows', () => {
  const sentence = 'Everyone has the right to take part in the conduct of public affairs.';
  const passage = 'Everyone has the right to take part';
  const wording = 'Every person has the right to take part';

  async function world() {
    const w = await openForComment();
    const paragraph = writeParagraph(w.editor.doc, sentence);
    await untilServerHas(w.s.server, w.document.id, sentence);
    const reader = connectYjs(w.s.wsUrl, w.document.id, { cookie: w.nhri.cookie });
    await reader.synced;
    const [contributor, drafter] = await Promise.all([w.amina, w.drafter].map((u) => connectSocket(w.s.url, u.cookie)));
    const threadsNow = async () => (await w.owner.call<{ threads: Thread[] }>('GET', `/documents/${w.document.id}/threads`)).body.threads;
    /** The reader's copy of the paragraph, once an edit made after everything before it has reached the reader. */
    const settledText = async () => {
      const probe = `probe ${Math.random()}`;
      w.editor.doc.transact(() => writeParagraph(w.editor.doc, probe));
      await eventually(() => plainText(reader.doc).includes(probe), 'the reader to catch up');
      return plainText(reader.doc).split('\n').find((line) => line.includes('public affairs'));
    };
    const propose = async () => {
      const lying = { ...anchorOn(paragraph, passage), quote: 'pubic affairs' };
      const created = await contributor.emitWithAck('thread:create', {
        documentId: w.document.id,
        anchor: lying,
        body: 'Make it inclusive.',
        proposal: wording,
      });
      if (!created.ok) throw new Error(created.error.code);
      return created.data;
    };
    return { ...w, paragraph, reader, contributor, drafter, threadsNow, settledText, propose };
  }

  it('shows the passage the anchor covers in the live document, whatever quote the client claims', async () => {
    const w = await world();
    const thread = await w.propose();
    expect(thread.anchor.quote).toBe(passage);
    expect(thread.originalQuote).toBe(passage);
    const [stored] = await w.threadsNow();
    expect(stored).toMatchObject({ id: thread.id, anchor: { quote: passage }, originalQuote: passage });
    expect(JSON.stringify(stored)).not.toContain('pubic');
  });

  it('refuses an anchor that is not a non-empty passage within one paragraph of this document, storing nothing', async () => {
    const w = await world();
    const other = await createDocument(w.s.url, w.owner);
    const elsewhere = await liveAnchor(w.s.server, other.document.id, 'words of another document');
    const second = writeParagraph(w.editor.doc, 'A second paragraph.');
    await untilServerHas(w.s.server, w.document.id, 'A second paragraph.');
    const across = { start: encodeRange(second, 0, 1).start, end: encodeRange(w.paragraph, 0, 5).end, quote: 'A second' };
    const gone = anchorOn(w.paragraph, 'conduct');
    w.paragraph.delete(w.paragraph.toString().indexOf('the conduct'), 'the conduct '.length);
    await untilServerHas(w.s.server, w.document.id, 'part in of public');
    for (const anchor of [elsewhere, across, anchorOn(w.paragraph, ' '), gone]) {
      const refused = await w.contributor.emitWithAck('thread:create', { documentId: w.document.id, anchor, body: 'On this.' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    }
    expect(await w.threadsNow()).toEqual([]);
  });

  it('refuses acceptance once the passage has changed, answering with its current words, and changes nothing', async () => {
    const w = await world();
    const thread = await w.propose();
    // While the proposal waits, a drafter edits inside the passage and others type around it.
    w.paragraph.insert(w.paragraph.toString().indexOf('right'), 'full ');
    w.paragraph.insert(0, 'Article 25. ');
    const edited = 'Article 25. Everyone has the full right to take part in the conduct of public affairs.';
    await eventually(() => plainText(w.reader.doc).includes(edited), 'the edits to reach everyone');

    const stale = await w.drafter.emitWithAck('proposal:decide', { threadId: thread.id, decision: 'accept', passage });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', details: { current: 'Everyone has the full right to take part' } } });
    expect(await w.settledText()).toBe(edited);
    const [unchanged] = await w.threadsNow();
    expect(unchanged).toMatchObject({ anchor: { quote: passage }, originalQuote: passage, proposal: { status: 'pending', replaced: null } });

    // Shown the current words, the drafter accepts again: exactly that passage is replaced.
    const accepted = await w.drafter.emitWithAck('proposal:decide', { threadId: thread.id, decision: 'accept', passage: 'Everyone has the full right to take part' });
    if (!accepted.ok) throw new Error(accepted.error.code);
    const replaced = `Article 25. ${wording} in the conduct of public affairs.`;
    await eventually(() => plainText(w.reader.doc).includes(replaced), 'the new wording to reach everyone');
    expect(await w.settledText()).toBe(replaced);
    expect(accepted.data).toMatchObject({
      anchor: { quote: wording },
      originalQuote: passage,
      proposal: { status: 'accepted', replaced: 'Everyone has the full right to take part' },
    });
  });

  it('keeps the original wording on the thread after acceptance, in the REST view and the live event', async () => {
    const w = await world();
    const watcher = await connectSocket(w.s.url, w.nhri.cookie);
    const heard = new Map<string, Thread>();
    watcher.on('threads:changed', (threads) => threads.forEach((t) => heard.set(t.id, t)));
    expect((await watcher.emitWithAck('document:watch', w.document.id)).ok).toBe(true);
    const thread = await w.propose();
    const accepted = await w.drafter.emitWithAck('proposal:decide', { threadId: thread.id, decision: 'accept', passage });
    if (!accepted.ok) throw new Error(accepted.error.code);
    await eventually(() => plainText(w.reader.doc).includes(`${wording} in the conduct`), 'the new wording to reach everyone');

    const original = { originalQuote: passage, proposal: { status: 'accepted', text: wording, replaced: passage } };
    await eventually(() => heard.get(thread.id)?.proposal?.status === 'accepted', 'the live event of the acceptance');
    expect(heard.get(thread.id)).toMatchObject(original);
    // And for ever after: later changes to the thread keep it.
    expect((await w.contributor.emitWithAck('comment:reply', { threadId: thread.id, body: 'Thank you.' })).ok).toBe(true);
    const [stored] = await w.threadsNow();
    expect(stored).toMatchObject({ ...original, anchor: { quote: wording } });
    expect(stored!.comments).toHaveLength(2);
  });
});

describe('bad comment input', () => {
  it('refuses empty, oversized and malformed input, unknown ids and the wrong phase, storing nothing', async () => {
    const w = await openForComment();
    const socket = await connectSocket(w.s.url, w.amina.cookie);
    const anchor = anchorOn(w.text, 'civil society');
    const attempts: [unknown, string][] = [
      [{ documentId: w.document.id, anchor, body: '   ' }, 'validation_failed'],
      [{ documentId: w.document.id, anchor, body: 'x'.repeat(4001) }, 'validation_failed'],
      [{ documentId: w.document.id, anchor: { ...anchor, start: 'not base64!' }, body: 'ok' }, 'validation_failed'],
      [{ documentId: w.document.id, body: 'no anchor' }, 'validation_failed'],
      [{ documentId: '6f1e4c52-0a57-4a43-9f53-3f1f9c0e3b11', anchor, body: 'unknown document' }, 'not_found'],
    ];
    for (const [input, code] of attempts)
      expect(await socket.emitWithAck('thread:create', input as never)).toMatchObject({ ok: false, error: { code } });
    expect(await socket.emitWithAck('comment:reply', { threadId: '6f1e4c52-0a57-4a43-9f53-3f1f9c0e3b11', body: 'x' })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    expect((await w.owner.call('POST', `/consultations/${w.consultation.id}/phase`, { phase: 'closed' })).status).toBe(200);
    expect(await socket.emitWithAck('thread:create', { documentId: w.document.id, anchor, body: 'too late' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const stored = await w.owner.call<{ threads: Thread[] }>('GET', `/documents/${w.document.id}/threads`);
    expect(stored.body.threads).toEqual([]);
  });
});
