import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { api, startServer, registerUser, addMember, createDocument, storedText, type TestUser } from './helpers/server.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import { connectSocket } from './helpers/socket.ts';
import { writePlan } from './helpers/plan.ts';
import { fragmentName } from '../shared/collab.ts';
import type { Consultation, DocumentMeta, Page } from '../shared/schemas.ts';
import type { Version, VersionContent } from '../shared/history.ts';
import type { AuditEntry } from '../shared/audit.ts';
import { loadAttribution } from '../server/history/attribution.load.ts';
import { membershipsCollection } from '../server/members/members.repository.ts';

const versionsOf = (as: TestUser, docId: string, query = '') => as.call<Page<Version>>('GET', `/documents/${docId}/versions${query}`);

/** The text (`getText('t')`) of a version, as a reader gets it. */
async function versionText(as: TestUser, docId: string, versionId: string): Promise<string> {
  const res = await as.call<VersionContent>('GET', `/documents/${docId}/versions/${versionId}`);
  expect(res.status).toBe(200);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from(res.body.update, 'base64'));
  return doc.getText('t').toString();
}

async function makeVersion(as: TestUser, docId: string, name: string): Promise<Version> {
  const res = await as.call<Version>('POST', `/documents/${docId}/versions`, { name });
  expect(res.status).toBe(201);
  return res.body;
}

const memberId = async (as: TestUser, consultationId: string) => (await as.call<Consultation>('GET', `/consultations/${consultationId}`)).body.you.memberId;

/** Many edits in small transactions, as typing makes them: inserts and deletions all over the text. */
function scribble(text: Y.Text, count: number, seed: number): void {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < count; i++) {
    if (text.length > 10 && rand() < 0.4) text.delete(Math.floor(rand() * (text.length - 3)), 1 + Math.floor(rand() * 3));
    else text.insert(Math.floor(rand() * (text.length + 1)), String.fromCharCode(97 + Math.floor(rand() * 26)));
  }
}

describe('versions made on demand', () => {
  it('a drafter names one; contributors and observers may not; nobody may once the plan is adopted', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    const drafter = await addMember(server.url, owner, consultation.id, 'drafter', 'government');
    const contributor = await addMember(server.url, owner, consultation.id, 'contributor');
    const observer = await addMember(server.url, owner, consultation.id, 'observer');
    const outsider = await registerUser(server.url);
    const writer = connectYjs(server.wsUrl, document.id, { cookie: drafter.cookie });
    await writer.synced;
    writer.text.insert(0, 'The State shall protect human rights defenders.');

    const made = await makeVersion(drafter, document.id, 'First draft');
    expect(made).toMatchObject({ documentId: document.id, name: 'First draft', reason: 'manual', phase: null, restoredFrom: null });
    expect(made.createdBy).toMatchObject({ role: 'drafter', group: 'government' });
    expect(await versionText(observer, document.id, made.id)).toBe('The State shall protect human rights defenders.');

    for (const refused of [contributor, observer]) {
      expect((await refused.call('POST', `/documents/${document.id}/versions`, { name: 'Mine' })).status).toBe(403);
    }
    expect((await outsider.call('POST', `/documents/${document.id}/versions`, { name: 'Mine' })).status).toBe(404);
    expect((await outsider.call('GET', `/documents/${document.id}/versions`)).status).toBe(404);
    expect((await drafter.call('POST', `/documents/${document.id}/versions`, { name: '  ' })).status).toBe(400);

    for (const phase of ['drafting', 'open_for_comment', 'closed', 'adopted']) {
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase, confirm: true })).status).toBe(200);
    }
    for (const refused of [owner, drafter]) {
      expect((await refused.call('POST', `/documents/${document.id}/versions`, { name: 'Too late' })).status).toBe(403);
    }
  });
});

describe('versions the server makes', () => {
  it('at every phase change and at adoption, for every document, with the audit entries and a live event', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    const annex = (await owner.call<DocumentMeta>('POST', `/consultations/${consultation.id}/documents`, { title: 'Annex' })).body;
    const watcher = await connectSocket(server.url, owner.cookie);
    await watcher.emitWithAck('consultation:watch', consultation.id);
    const heard: Version[] = [];
    watcher.on('version:created', (v) => heard.push(v));

    const phases = ['drafting', 'open_for_comment', 'closed', 'open_for_comment', 'closed', 'adopted'] as const;
    const writer = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    for (const [i, phase] of phases.entries()) {
      writer.text.insert(writer.text.length, `${i}`);
      await eventually(async () => (await storedText(server.server, document.id, { flush: true })).length === i + 1, 'the edit to be stored');
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase, confirm: true })).status).toBe(200);
    }

    for (const doc of [document, annex]) {
      const list = (await versionsOf(owner, doc.id, '?limit=50')).body.items;
      // Newest first.
      expect(list.map((v) => v.phase)).toEqual([...phases].reverse());
      expect(list.map((v) => v.reason)).toEqual(['adoption', 'phase', 'phase', 'phase', 'phase', 'phase']);
      for (const v of list) expect(v).toMatchObject({ documentId: doc.id, name: null, createdBy: null, restoredFrom: null });
    }
    // Each phase version holds the text as the phase began.
    const list = (await versionsOf(owner, document.id, '?limit=50')).body.items.reverse();
    for (const [i, v] of list.entries()) expect(await versionText(owner, document.id, v.id)).toBe('012345'.slice(0, i + 1));

    await eventually(() => heard.length === phases.length * 2, 'every version to be announced');
    expect(new Set(heard.map((v) => v.documentId))).toEqual(new Set([document.id, annex.id]));
    const audit = (await owner.call<Page<AuditEntry>>('GET', `/consultations/${consultation.id}/audit?action=version.created&limit=50`)).body.items;
    expect(audit).toHaveLength(phases.length * 2);
    for (const entry of audit) expect(entry).toMatchObject({ actor: null, subject: { type: 'document' } });
  });
});

describe('the adoption version after a crash', () => {
  it('is made at start-up for every document of an adopted plan that lacks one', async () => {
    const first = await startServer();
    const { owner, consultation, document } = await createDocument(first.url);
    const writer = connectYjs(first.wsUrl, document.id, { cookie: owner.cookie, keep: false });
    await writer.synced;
    writer.text.insert(0, 'The adopted plan.');
    await eventually(async () => (await storedText(first.server, document.id, { flush: true })) === 'The adopted plan.', 'the text to be stored');
    writer.destroy();
    for (const phase of ['drafting', 'open_for_comment', 'closed', 'adopted']) {
      expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase, confirm: true })).status).toBe(200);
    }
    // As if the server had died between the phase change and the adoption version.
    expect(await first.store.collection('document_versions').deleteMany({ documentId: document.id, reason: 'adoption' })).toBe(1);
    await first.stop();

    const second = await startServer({ dataDir: first.dataDir });
    const again: TestUser = { ...owner, call: (method, route, body) => api(second.url, method, route, body, owner.cookie) };
    const list = (await versionsOf(again, document.id)).body.items;
    expect(list.filter((v) => v.reason === 'adoption')).toHaveLength(1);
    expect(list[0]).toMatchObject({ reason: 'adoption', phase: 'adopted', createdBy: null });
    expect(await versionText(again, document.id, list[0]!.id)).toBe('The adopted plan.');
    // Once made, a later start-up makes no other.
    await second.stop();
    const third = await startServer({ dataDir: first.dataDir });
    expect((await api<Page<Version>>(third.url, 'GET', `/documents/${document.id}/versions`, undefined, owner.cookie)).body.items.filter((v) => v.reason === 'adoption')).toHaveLength(1);
  });
});

describe('the version list', () => {
  it('pages newest first and shows who made each only by alias, group and role', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    await owner.call('PATCH', `/consultations/${consultation.id}`, { hideIdentities: true });
    const drafter = await addMember(server.url, owner, consultation.id, 'drafter', 'nhri');
    const observer = await addMember(server.url, owner, consultation.id, 'observer');
    const names = ['one', 'two', 'three', 'four', 'five'];
    for (const [i, name] of names.entries()) await makeVersion(i % 2 ? owner : drafter, document.id, name);

    const seen: Version[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<typeof versionsOf>> = await versionsOf(observer, document.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((v) => v.name)).toEqual([...names].reverse());
    const drafterId = await memberId(drafter, consultation.id);
    for (const v of seen) {
      expect(Object.keys(v.createdBy!).sort()).toEqual(['alias', 'group', 'memberId', 'role']);
      if (v.createdBy!.memberId === drafterId) expect(v.createdBy).toMatchObject({ group: 'nhri', role: 'drafter' });
    }
    const raw = JSON.stringify(seen);
    expect(raw).not.toContain(drafter.me.displayName);
    expect(raw).not.toContain(owner.me.displayName);
  });
});

describe("a version's content", () => {
  it('is the text as it was, after many edits since, compaction and a restart', async () => {
    const persistence = { maxDelayMs: 50, debounceMs: 10, compactAfterUpdates: 20 };
    const first = await startServer({ config: { persistence } });
    const { owner, document } = await createDocument(first.url);
    const writer = connectYjs(first.wsUrl, document.id, { cookie: owner.cookie, keep: false });
    await writer.synced;
    const expected: { id: string; text: string }[] = [];
    /** Edits in many separate writes, so that the log is compacted again and again meanwhile. */
    const edit = async (writes: number, seed: number) => {
      for (let i = 0; i < writes; i++) {
        scribble(writer.text, 15, seed * 100 + i);
        const text = writer.text.toString();
        await eventually(async () => (await storedText(first.server, document.id, { flush: true })) === text, 'the edits to be stored');
      }
    };
    for (let round = 0; round < 4; round++) {
      await edit(12, round + 1);
      expected.push({ id: (await makeVersion(owner, document.id, `round ${round}`)).id, text: writer.text.toString() });
    }
    await edit(30, 99);
    // Compacted since the last version: a merged entry above it, and far fewer entries than writes.
    const log = await first.store.collection<{ _id: string; docId: string; seq: number; compacted: boolean }>('yjs_updates').find({ docId: document.id });
    expect(log.some((r) => r.compacted)).toBe(true);
    expect(log.length).toBeLessThan(40);
    for (const { id, text } of expected) expect(await versionText(owner, document.id, id)).toBe(text);
    writer.destroy();
    await first.stop();

    const second = await startServer({ dataDir: first.dataDir, config: { persistence } });
    // The same person against the restarted server (sessions are stored, so the cookie still serves).
    const again: TestUser = { ...owner, call: (method, route, body) => api(second.url, method, route, body, owner.cookie) };
    for (const { id, text } of expected) expect(await versionText(again, document.id, id)).toBe(text);
  });
});

describe('a version read again', () => {
  it('is not rebuilt: its text is kept, and the room is not loaded for it', async () => {
    const server = await startServer({ config: { roomIdleMs: 50 } });
    const { owner, document } = await createDocument(server.url);
    const writer = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie, keep: false });
    await writer.synced;
    writer.text.insert(0, 'Read by everyone.');
    const version = await makeVersion(owner, document.id, 'For the plenary');
    writer.destroy();
    const unloaded = () => eventually(() => !server.server.rooms.isLoaded(document.id), 'the room to be unloaded');
    await unloaded();
    expect(await versionText(owner, document.id, version.id)).toBe('Read by everyone.');
    await unloaded();
    expect(await versionText(owner, document.id, version.id)).toBe('Read by everyone.');
    expect(server.server.rooms.isLoaded(document.id)).toBe(false);
  });
});

describe('restoring a version', () => {
  it('brings its text back for every connected editor, as a new change kept after a restart, with a restore version and an audit entry', async () => {
    const first = await startServer();
    const { owner, consultation, document } = await createDocument(first.url);
    const drafter = await addMember(first.url, owner, consultation.id, 'drafter', 'government');
    const a = connectYjs(first.wsUrl, document.id, { cookie: owner.cookie, keep: false });
    const b = connectYjs(first.wsUrl, document.id, { cookie: drafter.cookie, keep: false });
    await Promise.all([a.synced, b.synced]);
    a.text.insert(0, 'Article 1. Everyone has the right to life.');
    await eventually(() => b.text.toString() === a.text.toString(), 'b to see it');
    const version = await makeVersion(drafter, document.id, 'Agreed wording');
    b.text.delete(0, 11);
    b.text.insert(b.text.length, ' Except in emergencies.');
    scribble(a.text, 50, 7);
    await eventually(() => b.text.toString() === a.text.toString(), 'the clients to agree');
    expect(a.text.toString()).not.toBe('Article 1. Everyone has the right to life.');

    expect((await drafter.call('POST', `/documents/${document.id}/versions/${version.id}/restore`)).status).toBe(403);
    const restored = await owner.call<Version>('POST', `/documents/${document.id}/versions/${version.id}/restore`);
    expect(restored.status).toBe(201);
    expect(restored.body).toMatchObject({ reason: 'restore', restoredFrom: version.id, documentId: document.id });
    for (const client of [a, b]) await eventually(() => client.text.toString() === 'Article 1. Everyone has the right to life.', 'every editor to get the restored text');
    expect(await versionText(owner, document.id, restored.body.id)).toBe('Article 1. Everyone has the right to life.');
    // Editing goes on from the restored text.
    a.text.insert(0, '» ');
    await eventually(() => b.text.toString() === '» Article 1. Everyone has the right to life.', 'an edit after the restore');
    // History is kept: the version in between still reads as it was.
    expect(await versionText(owner, document.id, version.id)).toBe('Article 1. Everyone has the right to life.');

    // The restored text is a change of the facilitator's: attributed to their membership, like their typing.
    await first.server.rooms.flushAll();
    const index = await loadAttribution(document.id, first.server.updateLog, first.server.rooms);
    const ownerMember = await membershipsCollection(first.store).findOne({ consultationId: consultation.id, userId: owner.me.id });
    const kept = new Y.Doc({ gc: false });
    Y.applyUpdate(kept, (await first.server.updateLog.load(document.id)).update);
    const live: Y.Item[] = [];
    for (let item = kept.getText('t')._start; item; item = item.right) if (!item.deleted && item.content instanceof Y.ContentString) live.push(item);
    const restoredItems = live.filter((item) => item.id.client !== a.doc.clientID && item.id.client !== b.doc.clientID);
    expect(restoredItems.map((item) => (item.content as Y.ContentString).str).join('')).toBe('Article 1. Everyone has the right to life.');
    for (const item of restoredItems) expect(index.insertedBy(item.id)?.membershipId).toBe(ownerMember!._id);
    const audit = (await owner.call<Page<AuditEntry>>('GET', `/consultations/${consultation.id}/audit?action=version.restored`)).body.items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ subject: { type: 'document', id: document.id }, details: { versionId: version.id, newVersionId: restored.body.id } });
    a.destroy();
    b.destroy();
    await first.stop();
    const second = await startServer({ dataDir: first.dataDir });
    expect(await storedText(second.server, document.id)).toBe('» Article 1. Everyone has the right to life.');
  });

  it('keeps plan blocks and their ids', async () => {
    const server = await startServer();
    const { owner, document } = await createDocument(server.url);
    const editor = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    await editor.synced;
    const body = editor.doc.getXmlFragment(fragmentName);
    writePlan(body, [{ id: 'g1', title: 'Justice', objectives: [{ id: 'o1', title: 'Courts', actions: [{ id: 'a1', title: 'Train judges' }, { id: 'a2', title: 'Build courts' }] }] }]);
    const before = body.toString();
    const room = await server.server.rooms.acquire(document.id);
    await eventually(() => room.doc.getXmlFragment(fragmentName).toString() === before, 'the server to hold the plan');
    server.server.rooms.release(room);
    const version = await makeVersion(owner, document.id, 'Plan');
    body.delete(0, body.length);
    expect((await owner.call('POST', `/documents/${document.id}/versions/${version.id}/restore`)).status).toBe(201);
    await eventually(() => body.toString() === before, 'the plan to come back with its ids');
    expect(before).toContain('a2');
  });
});

describe('the last visit', () => {
  it('is recorded when a member’s last connection to a document closes, as the document stood then', async () => {
    const server = await startServer();
    const { owner, consultation, document } = await createDocument(server.url);
    const contributor = await addMember(server.url, owner, consultation.id, 'contributor');
    const contributorId = await memberId(contributor, consultation.id);
    expect(await server.server.versions.lastVisit(contributorId, document.id)).toBeNull();
    const writer = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    writer.text.insert(0, 'Seen by the contributor.');
    const reader = connectYjs(server.wsUrl, document.id, { cookie: contributor.cookie, keep: false });
    const second = connectYjs(server.wsUrl, document.id, { cookie: contributor.cookie, keep: false });
    await Promise.all([reader.synced, second.synced]);
    await eventually(() => reader.text.toString() === 'Seen by the contributor.', 'the reader to see it');
    reader.destroy();
    // One connection is still open: not left yet.
    await new Promise((r) => setTimeout(r, 200));
    expect(await server.server.versions.lastVisit(contributorId, document.id)).toBeNull();
    second.destroy();
    await eventually(async () => (await server.server.versions.lastVisit(contributorId, document.id)) !== null, 'the visit to be recorded');
    writer.text.insert(writer.text.length, ' Changed afterwards.');
    const visit = (await server.server.versions.lastVisit(contributorId, document.id))!;
    const origin = new Y.Doc({ gc: false });
    await eventually(async () => (await storedText(server.server, document.id, { flush: true })).endsWith('afterwards.'), 'the later edit to be stored');
    Y.applyUpdate(origin, (await server.server.updateLog.load(document.id)).update);
    expect(Y.createDocFromSnapshot(origin, visit).getText('t').toString()).toBe('Seen by the contributor.');
  });

  it('is recorded for a reader without building a document only read since it was loaded', async () => {
    const first = await startServer();
    const { owner, consultation, document } = await createDocument(first.url);
    const observer = await addMember(first.url, owner, consultation.id, 'observer');
    const observerId = await memberId(observer, consultation.id);
    const writer = connectYjs(first.wsUrl, document.id, { cookie: owner.cookie, keep: false });
    await writer.synced;
    writer.text.insert(0, 'Stored before the restart, then partly deleted.');
    writer.text.delete(29, 18);
    await eventually(async () => (await storedText(first.server, document.id, { flush: true })) === 'Stored before the restart, th', 'the edits to be stored');
    writer.destroy();
    await first.stop();

    const second = await startServer({ dataDir: first.dataDir });
    const reader = connectYjs(second.wsUrl, document.id, { cookie: observer.cookie, keep: false });
    await reader.synced;
    reader.destroy();
    await eventually(async () => (await second.server.versions.lastVisit(observerId, document.id)) !== null, 'the visit to be recorded');
    const room = [...second.server.rooms.loaded()].find((r) => r.docId === document.id)!;
    expect(room.parsed).toBe(false);
    const origin = new Y.Doc({ gc: false });
    Y.applyUpdate(origin, (await second.server.updateLog.load(document.id)).update);
    const visit = (await second.server.versions.lastVisit(observerId, document.id))!;
    expect(Y.createDocFromSnapshot(origin, visit).getText('t').toString()).toBe('Stored before the restart, th');
  });
});
