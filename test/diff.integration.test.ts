import { describe, expect, it } from 'vitest';
import { startServer, addMember, createDocument } from './helpers/server.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import { connectSocket } from './helpers/socket.ts';
import { anchorOn, writeParagraph } from './helpers/comments.ts';
import { fragmentName } from '../shared/collab.ts';
import type { DocumentDiff, Version } from '../shared/history.ts';

/** The text a side of the comparison reads: unchanged and added segments for the later end, unchanged and removed for the earlier. */
const sideText = (diff: DocumentDiff, side: 'from' | 'to') =>
  diff.blocks
    .filter((b) => (side === 'to' ? b.status !== 'removed' : b.status !== 'added'))
    .map((b) => b.segments.filter((s) => !s.change || s.change.kind === (side === 'to' ? 'added' : 'removed')).map((s) => s.text).join(''))
    .join('\n');

describe('GET /api/documents/:id/diff', () => {
  it('shows a contributor what changed since their last visit, by whom (alias and group), and that their thread’s passage changed', async () => {
    const s = await startServer();
    const { owner, consultation, document } = await createDocument(s.url);
    const drafter = await addMember(s.url, owner, consultation.id, 'drafter', 'government');
    const contributor = await addMember(s.url, owner, consultation.id, 'contributor', 'civil_society');
    expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase: 'drafting' })).status).toBe(200);
    expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase: 'open_for_comment' })).status).toBe(200);

    const pen = connectYjs(s.wsUrl, document.id, { cookie: drafter.cookie });
    await pen.synced;
    const text = writeParagraph(pen.doc, 'The state shall consult civil society before adopting laws.');
    const reader = connectYjs(s.wsUrl, document.id, { cookie: contributor.cookie, keep: false });
    await reader.synced;
    await eventually(() => reader.doc.getXmlFragment(fragmentName).toString().includes('consult civil society'), 'the contributor to read it');
    const socket = await connectSocket(s.url, contributor.cookie);
    const anchor = anchorOn(text, 'consult civil society');
    const thread = await socket.emitWithAck('thread:create', { documentId: document.id, anchor: { start: anchor.start, end: anchor.end }, body: 'Say how.' });
    if (!thread.ok) throw new Error(thread.error.message);
    reader.destroy(); // the contributor leaves: their last visit is recorded
    await eventually(async () => {
      const visit = await contributor.call<DocumentDiff>('GET', `/documents/${document.id}/diff?from=visit`);
      return visit.status === 200 && visit.body.from.at !== null;
    }, 'the visit to be recorded');

    // The drafter changes the passage the contributor commented on.
    const at = text.toString().indexOf('civil society');
    text.delete(at, 'civil society'.length);
    text.insert(at, 'everyone concerned');
    await eventually(async () => sideText((await contributor.call<DocumentDiff>('GET', `/documents/${document.id}/diff?from=visit`)).body, 'to').includes('everyone concerned'), 'the change to reach the server');

    const { body: diff } = await contributor.call<DocumentDiff>('GET', `/documents/${document.id}/diff?from=visit`);
    expect(sideText(diff, 'from')).toBe('The state shall consult civil society before adopting laws.');
    expect(sideText(diff, 'to')).toBe('The state shall consult everyone concerned before adopting laws.');
    const changed = diff.blocks.flatMap((b) => b.segments).filter((seg) => seg.change);
    expect(changed.map((seg) => [seg.change!.kind, seg.text]).sort()).toEqual([
      ['added', 'everyone concerned'],
      ['removed', 'civil society'],
    ]);
    for (const seg of changed) {
      expect(seg.change!.by).toMatchObject({ group: 'government', role: 'drafter' });
      expect(seg.change!.by).not.toHaveProperty('name');
    }
    expect(diff.counts.government).toEqual({ added: 'everyone concerned'.length, removed: 'civil society'.length });
    expect(diff.threads).toEqual([expect.objectContaining({ threadId: thread.data.id, fate: 'passage_changed', groups: ['government'] })]);
  });

  it('compares two versions, refuses an unknown one, and answers only members', async () => {
    const s = await startServer();
    const { owner, consultation, document } = await createDocument(s.url);
    const pen = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await pen.synced;
    const text = writeParagraph(pen.doc, 'First wording.');
    const version = async (name: string) => {
      await eventually(async () => (await owner.call<DocumentDiff>('GET', `/documents/${document.id}/diff?from=visit`)).status === 200, 'the server');
      const made = await owner.call<Version>('POST', `/documents/${document.id}/versions`, { name });
      expect(made.status).toBe(201);
      return made.body;
    };
    await eventually(async () => sideText((await owner.call<DocumentDiff>('GET', `/documents/${document.id}/diff?from=visit`)).body, 'to') === 'First wording.', 'the text on the server');
    const a = await version('A');
    text.insert(text.length, ' Second sentence.');
    await eventually(async () => sideText((await owner.call<DocumentDiff>('GET', `/documents/${document.id}/diff?from=${a.id}`)).body, 'to').endsWith('Second sentence.'), 'the edit on the server');
    const b = await version('B');
    text.delete(0, 'First '.length);

    const between = await owner.call<DocumentDiff>('GET', `/documents/${document.id}/diff?from=${a.id}&to=${b.id}`);
    expect(between.status).toBe(200);
    expect(between.body.from.versionId).toBe(a.id);
    expect(between.body.to).toEqual({ versionId: b.id, at: b.createdAt });
    expect(sideText(between.body, 'from')).toBe('First wording.');
    expect(sideText(between.body, 'to')).toBe('First wording. Second sentence.');
    // Backwards, a version against now, with the later deletion.
    await eventually(async () => sideText((await owner.call<DocumentDiff>('GET', `/documents/${document.id}/diff?from=${b.id}`)).body, 'to') === 'wording. Second sentence.', 'the deletion');

    const unknown = await owner.call('GET', `/documents/${document.id}/diff?from=${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect((await owner.call('GET', `/documents/${document.id}/diff?from=yesterday`)).status).toBe(400);
    const elsewhere = await createDocument(s.url);
    const stranger = await addMember(s.url, elsewhere.owner, elsewhere.consultation.id, 'drafter');
    expect((await stranger.call('GET', `/documents/${document.id}/diff?from=visit`)).status).toBe(404);
  });
});
