import { describe, expect, it } from 'vitest';
import type { AdoptionCheck } from '../shared/adoption.ts';
import type { AuditEntry } from '../shared/audit.ts';
import type { Thread } from '../shared/comments.ts';
import type { Consultation, DocumentMeta } from '../shared/schemas.ts';
import { api, createDocument, startServer, tempDir } from './helpers/server.ts';
import { connectSocket } from './helpers/socket.ts';
import { openEmbeddedStore } from '../server/store/embedded.ts';
import { consultationsCollection } from '../server/consultations/consultations.repository.ts';
import { eventually } from './helpers/yjs.ts';
import { liveAnchor } from './helpers/comments.ts';
import { consultationRoom, ok } from './helpers/meetings.ts';

type Page<T> = { items: T[]; nextCursor: string | null };

describe('adopting the plan', () => {
  it('lists open threads and pending proposals first, asks for confirmation, then closes and lapses each one, live and audited', async () => {
    const room = await consultationRoom(await startServer());
    const { owner, consultation, document, sockets: so, heard } = room;
    const base = `/consultations/${consultation.id}`;
    const annex = (await owner.call<DocumentMeta>('POST', `${base}/documents`, { title: 'Annex: budget' })).body;
    const thread = async (documentId: string, quote: string, proposal?: string) =>
      ok(await so.cso1.emitWithAck('thread:create', { documentId, anchor: await liveAnchor(room.s.server, documentId, quote), body: `About ${quote}`, ...(proposal ? { proposal } : {}) }));
    const openWithProposal = await thread(document.id, 'civic space', 'civic and digital space');
    const openOnly = await thread(annex.id, 'budget lines');
    const resolvedWithProposal = await thread(document.id, 'justice sector', 'the justice sector');
    ok(await so.gov.emitWithAck('thread:status', { threadId: resolvedWithProposal.id, status: 'resolved' }));
    const settled = await thread(document.id, 'prisons', 'places of detention');
    ok(await so.gov.emitWithAck('proposal:decide', { threadId: settled.id, decision: 'decline', reason: 'Out of scope' }));
    ok(await so.gov.emitWithAck('thread:status', { threadId: settled.id, status: 'resolved' }));
    // What each follower holds: the threads the watch answers with, then what is broadcast (whichever is newer).
    for (const p of ['cso1', 'observer'] as const)
      for (const d of [document.id, annex.id])
        for (const t of ok(await so[p].emitWithAck('document:watch', d)).threads) {
          const known = heard[p].threads.get(t.id);
          if (!known || known.seq < t.seq) heard[p].threads.set(t.id, t);
        }
    expect((await owner.call('POST', `${base}/phase`, { phase: 'closed' })).status).toBe(200);

    // The check: facilitators only, with counts, documents, quotes and the proposed wording.
    expect((await room.people.gov.call('GET', `${base}/phase/adoption-check`)).status).toBe(403);
    const check = await owner.call<AdoptionCheck>('GET', `${base}/phase/adoption-check`);
    expect(check.status).toBe(200);
    // Oldest first; threads started in the same millisecond may come in either order, so compare them by passage.
    const sorted = (list: AdoptionCheck['openThreads']) => ({ count: list.count, items: [...list.items].sort((a, b) => a.quote.localeCompare(b.quote)) });
    expect(sorted(check.body.openThreads)).toEqual({
      count: 2,
      items: [
        { threadId: openOnly.id, documentId: annex.id, documentTitle: 'Annex: budget', quote: 'budget lines', proposal: null },
        { threadId: openWithProposal.id, documentId: document.id, documentTitle: document.title, quote: 'civic space', proposal: null },
      ],
    });
    expect(sorted(check.body.pendingProposals)).toEqual({
      count: 2,
      items: [
        { threadId: openWithProposal.id, documentId: document.id, documentTitle: document.title, quote: 'civic space', proposal: 'civic and digital space' },
        { threadId: resolvedWithProposal.id, documentId: document.id, documentTitle: document.title, quote: 'justice sector', proposal: 'the justice sector' },
      ],
    });

    // Without confirmation the plan is not adopted, and the refusal carries the same list.
    const unconfirmed = await owner.call<{ error: { code: string; details: AdoptionCheck } }>('POST', `${base}/phase`, { phase: 'adopted' });
    expect(unconfirmed).toMatchObject({ status: 409, body: { error: { code: 'confirmation_required', details: check.body } } });
    expect((await owner.call<Consultation>('GET', base)).body.phase).toBe('closed');

    expect((await owner.call('POST', `${base}/phase`, { phase: 'adopted', confirm: true })).status).toBe(200);

    // Over REST, as soon as the adoption is answered: every formerly open thread is closed, every pending proposal lapsed.
    const threads = async (documentId: string) => (await room.people.observer.call<{ threads: Thread[] }>('GET', `/documents/${documentId}/threads`)).body.threads;
    const byId = new Map([...(await threads(document.id)), ...(await threads(annex.id))].map((t) => [t.id, t]));
    expect(byId.get(openWithProposal.id)).toMatchObject({ status: 'closed_at_adoption', proposal: { status: 'lapsed', decidedBy: null, reason: null } });
    expect(byId.get(openWithProposal.id)!.proposal!.decidedAt).not.toBeNull();
    expect(byId.get(openOnly.id)).toMatchObject({ status: 'closed_at_adoption', proposal: null });
    expect(byId.get(resolvedWithProposal.id)).toMatchObject({ status: 'resolved', proposal: { status: 'lapsed' } });
    expect(byId.get(settled.id)).toMatchObject({ status: 'resolved', proposal: { status: 'declined', reason: 'Out of scope' } });
    const after = (await owner.call<AdoptionCheck>('GET', `${base}/phase/adoption-check`)).status;
    expect(after).toBe(403); // nobody changes the phase of an adopted plan

    // Live, to everyone following the documents.
    for (const p of ['cso1', 'observer'] as const) {
      await eventually(
        () =>
          heard[p].threads.get(openWithProposal.id)?.proposal?.status === 'lapsed' &&
          heard[p].threads.get(openWithProposal.id)?.status === 'closed_at_adoption' &&
          heard[p].threads.get(openOnly.id)?.status === 'closed_at_adoption' &&
          heard[p].threads.get(resolvedWithProposal.id)?.proposal?.status === 'lapsed',
        `${p} to hear every outcome`,
      );
    }
    expect(heard.cso1.threads.get(settled.id)?.proposal?.status).toBe('declined');

    // In the audit log, one entry per outcome, by the facilitator who adopted.
    const audit = async (action: string) => (await owner.call<Page<AuditEntry>>('GET', `${base}/audit?action=${action}`)).body.items;
    const closed = await audit('thread.closed_at_adoption');
    expect(closed.map((e) => e.subject?.id).sort()).toEqual([openWithProposal.id, openOnly.id].sort());
    expect(closed.find((e) => e.subject?.id === openOnly.id)).toMatchObject({
      actor: { memberId: room.memberIds.facilitator },
      reason: 'The plan was adopted',
      subject: { type: 'thread', name: 'budget lines' },
      details: { documentId: annex.id },
    });
    const lapsed = await audit('proposal.lapsed');
    expect(lapsed.map((e) => e.subject?.id).sort()).toEqual([openWithProposal.id, resolvedWithProposal.id].sort());
    expect(lapsed.find((e) => e.subject?.id === resolvedWithProposal.id)).toMatchObject({ details: { proposal: 'the justice sector' }, subject: { name: 'justice sector' } });
  });

  it('needs no confirmation when nothing is outstanding', async () => {
    const s = await startServer();
    const { owner, consultation } = await createDocument(s.url);
    const base = `/consultations/${consultation.id}`;
    for (const phase of ['drafting', 'open_for_comment', 'closed']) expect((await owner.call('POST', `${base}/phase`, { phase })).status).toBe(200);
    expect((await owner.call<AdoptionCheck>('GET', `${base}/phase/adoption-check`)).body).toEqual({ openThreads: { count: 0, items: [] }, pendingProposals: { count: 0, items: [] } });
    expect((await owner.call('POST', `${base}/phase`, { phase: 'adopted' })).status).toBe(200);
  });

  it('is finished at start-up when the server stopped between the phase change and the settling', async () => {
    const dataDir = await tempDir();
    const first = await startServer({ dataDir });
    const { owner, consultation, document } = await createDocument(first.url);
    const base = `/consultations/${consultation.id}`;
    for (const phase of ['drafting', 'open_for_comment']) expect((await owner.call('POST', `${base}/phase`, { phase })).status).toBe(200);
    const socket = await connectSocket(first.url, owner.cookie);
    const thread = ok(await socket.emitWithAck('thread:create', { documentId: document.id, anchor: await liveAnchor(first.server, document.id, 'civic space'), body: 'Too narrow.', proposal: 'civic and digital space' }));
    socket.close();
    await first.stop();
    // What a crash right after the phase was written leaves behind: adopted, with the thread still open.
    const store = await openEmbeddedStore(dataDir);
    await consultationsCollection(store).updateOne({ _id: consultation.id }, { $set: { phase: 'adopted' } });

    const second = await startServer({ dataDir, store });
    const [after] = (await api<{ threads: Thread[] }>(second.url, 'GET', `/documents/${document.id}/threads`, undefined, owner.cookie)).body.threads;
    expect(after).toMatchObject({ id: thread.id, status: 'closed_at_adoption', proposal: { status: 'lapsed' } });
    const entries = (await api<Page<AuditEntry>>(second.url, 'GET', `${base}/audit?action=proposal.lapsed`, undefined, owner.cookie)).body.items;
    expect(entries).toMatchObject([{ actor: null, subject: { id: thread.id }, reason: 'The plan was adopted (settled after a restart)' }]);
  });
});
