import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AuditEntry } from '../shared/audit.ts';
import type { DocumentMeta } from '../shared/schemas.ts';
import { addMember, createDocument, startServer, storedText, type TestServer, type TestUser } from './helpers/server.ts';
import { connectSocket } from './helpers/socket.ts';
import { eventually, rawYjsSocket, updateFrame, type RawSocket } from './helpers/yjs.ts';
import { ok } from './helpers/meetings.ts';

type Page<T> = { items: T[]; nextCursor: string | null };

/** A consultation with two documents, a drafter and a contributor, and a facilitator's socket following it. */
async function world() {
  const s = await startServer();
  const { owner, consultation, document } = await createDocument(s.url, undefined, 'Test document');
  const base = `/consultations/${consultation.id}`;
  const plan = (await owner.call<DocumentMeta>('POST', `${base}/documents`, { title: 'Action plan' })).body;
  const drafter = await addMember(s.url, owner, consultation.id, 'drafter', 'government');
  const contributor = await addMember(s.url, owner, consultation.id, 'contributor', 'civil_society');
  const watcher = await connectSocket(s.url, contributor.cookie);
  ok(await watcher.emitWithAck('consultation:watch', consultation.id));
  const updates: DocumentMeta[] = [];
  watcher.on('document:updated', (d) => updates.push(d));
  const listed = async (as: TestUser, query = '') => (await as.call<Page<DocumentMeta>>('GET', `${base}/documents${query}`)).body.items?.map((d) => d.title);
  const audit = async (action: string) => (await owner.call<Page<AuditEntry>>('GET', `${base}/audit?action=${action}`)).body.items;
  const adopt = async () => {
    for (const phase of ['drafting', 'open_for_comment', 'closed', 'adopted']) expect((await owner.call('POST', `${base}/phase`, { phase, confirm: true })).status).toBe(200);
  };
  return { s, owner, drafter, contributor, consultation, document, plan, base, updates, listed, audit, adopt };
}

/** Sends an edit carrying `marker` and waits for the server to answer it with a permission-denied message. */
async function refusedEdit(s: TestServer, raw: RawSocket, documentId: string, marker: string): Promise<void> {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, marker);
  const denials = () => raw.messages.filter((m) => m[0] === 2).length;
  const before = denials();
  raw.ws.send(updateFrame(Y.encodeStateAsUpdate(doc)));
  await eventually(() => denials() > before, `the edit "${marker}" to be refused`);
  expect(await storedText(s.server, documentId, { flush: true })).not.toContain(marker);
}

async function acceptedEdit(s: TestServer, raw: RawSocket, documentId: string, marker: string): Promise<void> {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, marker);
  raw.ws.send(updateFrame(Y.encodeStateAsUpdate(doc)));
  await eventually(async () => (await storedText(s.server, documentId, { flush: true })).includes(marker), `the edit "${marker}" to be stored`);
}

describe('renaming a document', () => {
  it('is for facilitators and drafters, reaches watchers live, is audited with the old title, and stops at adoption', async () => {
    const w = await world();
    const rename = (as: TestUser, title: string) => as.call<DocumentMeta>('PATCH', `/documents/${w.document.id}`, { title });

    expect(await rename(w.contributor, 'Mine now')).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await rename(w.owner, '   ')).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    expect((await rename(w.owner, 'x'.repeat(201))).status).toBe(400);
    const outsider = (await createDocument(w.s.url)).owner;
    expect((await rename(outsider, 'Theirs')).status).toBe(404);

    const renamed = await rename(w.owner, '  Annex: budget  ');
    expect(renamed).toMatchObject({ status: 200, body: { id: w.document.id, title: 'Annex: budget', archivedAt: null } });
    await eventually(() => w.updates.some((d) => d.id === w.document.id && d.title === 'Annex: budget'), 'watchers to hear of the new title');
    expect((await rename(w.drafter, 'Annex 1: budget')).body.title).toBe('Annex 1: budget');
    expect((await w.contributor.call<DocumentMeta>('GET', `/documents/${w.document.id}`)).body.title).toBe('Annex 1: budget');
    expect(await w.listed(w.contributor)).toEqual(['Action plan', 'Annex 1: budget']);

    const entries = await w.audit('document.renamed');
    expect(entries.map((e) => [e.details, e.subject?.name])).toEqual([
      [{ from: 'Annex: budget', to: 'Annex 1: budget' }, 'Annex 1: budget'],
      [{ from: 'Test document', to: 'Annex: budget' }, 'Annex: budget'],
    ]);
    // The same title again changes nothing and records nothing.
    expect((await rename(w.owner, 'Annex 1: budget')).status).toBe(200);
    expect(await w.audit('document.renamed')).toHaveLength(2);

    await w.adopt();
    expect(await rename(w.owner, 'After adoption')).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await w.owner.call<DocumentMeta>('GET', `/documents/${w.document.id}`)).body.title).toBe('Annex 1: budget');
  });
});

describe('archiving a document', () => {
  it('takes it out of the plan and makes it read-only, for facilitators only; restoring puts it back; both are audited and live', async () => {
    const w = await world();
    const archive = (as: TestUser, body: object = {}) => as.call<DocumentMeta>('POST', `/documents/${w.document.id}/archive`, body);
    const restore = (as: TestUser, body: object = {}) => as.call<DocumentMeta>('POST', `/documents/${w.document.id}/restore`, body);
    // An editor connected before the archive, and one who will connect after it.
    const before = rawYjsSocket(w.s.wsUrl, w.document.id, w.drafter.cookie);
    await before.open;
    await acceptedEdit(w.s, before, w.document.id, 'draft text');

    for (const as of [w.drafter, w.contributor]) expect(await archive(as)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await archive((await createDocument(w.s.url)).owner)).status).toBe(404);

    const archived = await archive(w.owner, { reason: 'Only a test' });
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).not.toBeNull();
    expect(await archive(w.owner)).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    await eventually(() => w.updates.some((d) => d.id === w.document.id && d.archivedAt !== null), 'watchers to hear of the archive');

    // Out of the plan's list for everyone; facilitators alone can list the archived ones.
    expect(await w.listed(w.contributor)).toEqual(['Action plan']);
    expect(await w.listed(w.owner)).toEqual(['Action plan']);
    expect(await w.listed(w.owner, '?archived=true')).toEqual(['Test document']);
    expect((await w.drafter.call('GET', `${w.base}/documents?archived=true`)).status).toBe(403);
    expect((await w.owner.call('GET', `${w.base}/documents?archived=maybe`)).status).toBe(400);
    // Still readable by its id (links in threads and the audit log keep working), but nobody may edit it.
    expect((await w.contributor.call<DocumentMeta>('GET', `/documents/${w.document.id}`)).body).toMatchObject({ title: 'Test document', archivedAt: archived.body.archivedAt });
    await refusedEdit(w.s, before, w.document.id, 'edit over an open connection');
    const after = rawYjsSocket(w.s.wsUrl, w.document.id, w.owner.cookie);
    await after.open;
    await refusedEdit(w.s, after, w.document.id, 'edit by a facilitator');
    // Renaming an archived document stays possible (its title in the archive list), archiving twice does not.
    expect((await w.owner.call('PATCH', `/documents/${w.document.id}`, { title: 'Test document (old)' })).status).toBe(200);

    expect(await restore(w.drafter)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const restored = await restore(w.owner, { reason: 'Needed after all' });
    expect(restored.body).toMatchObject({ archivedAt: null, title: 'Test document (old)' });
    expect(await restore(w.owner)).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    await eventually(() => w.updates.at(-1)?.id === w.document.id && w.updates.at(-1)?.archivedAt === null, 'watchers to hear of the restore');
    expect(await w.listed(w.contributor)).toEqual(['Action plan', 'Test document (old)']);
    expect(await w.listed(w.owner, '?archived=true')).toEqual([]);
    await acceptedEdit(w.s, after, w.document.id, 'edit after restoring');

    expect((await w.audit('document.archived'))[0]).toMatchObject({ reason: 'Only a test', subject: { type: 'document', id: w.document.id, name: 'Test document' } });
    expect((await w.audit('document.restored'))[0]).toMatchObject({ reason: 'Needed after all', subject: { type: 'document', id: w.document.id, name: 'Test document (old)' } });
    expect(await w.audit('document.archived')).toHaveLength(1);
  });

  it('is refused once the plan is adopted, and what was archived stays archived', async () => {
    const w = await world();
    expect((await w.owner.call('POST', `/documents/${w.document.id}/archive`, {})).status).toBe(200);
    await w.adopt();
    expect(await w.owner.call('POST', `/documents/${w.plan.id}/archive`, {})).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await w.owner.call('POST', `/documents/${w.document.id}/restore`, {})).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await w.listed(w.contributor)).toEqual(['Action plan']);
    // Archiving ends with the consultation: the audit log keeps what was taken out, and the document stays readable by its id.
    expect((await w.owner.call('GET', `${w.base}/documents?archived=true`)).status).toBe(403);
    expect((await w.audit('document.archived')).map((e) => e.subject?.id)).toEqual([w.document.id]);
    expect((await w.contributor.call<DocumentMeta>('GET', `/documents/${w.document.id}`)).body.archivedAt).not.toBeNull();
  });
});
