import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { addMember, createDocument, startServer, type TestServer, type TestUser } from './helpers/server.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import { membershipsCollection } from '../server/members/members.repository.ts';
import type { AuditEntry } from '../shared/audit.ts';
import type { Config } from '../server/config.ts';
import { connectSocket } from './helpers/socket.ts';
import { anchorOn, untilServerHas, writeParagraph } from './helpers/comments.ts';

async function setUp(config: Partial<Config>, dataDir?: string) {
  const s = await startServer({ config, dataDir });
  const { owner, consultation, document } = await createDocument(s.url);
  const amina = await addMember(s.url, owner, consultation.id, 'drafter', 'government');
  const nhri = await addMember(s.url, owner, consultation.id, 'drafter', 'nhri');
  const memberId = async (u: TestUser) => (await membershipsCollection(s.store).findOne({ consultationId: consultation.id, userId: u.me.id }))!._id;
  return { s, owner, consultation, document, amina, nhri, memberId };
}

const edits = async (owner: TestUser, consultationId: string) => {
  const res = await owner.call<{ items: AuditEntry[] }>('GET', `/consultations/${consultationId}/audit?action=document.edited`);
  expect(res.status).toBe(200);
  return res.body.items;
};

const serverHas = (s: TestServer, docId: string, text: string) =>
  eventually(async () => {
    const room = await s.server.rooms.acquire(docId);
    s.server.rooms.release(room);
    return room.doc.getText('t').toString() === text;
  }, `the server to hold "${text}"`);

describe('editing sessions in the audit log', () => {
  it('writes one entry per member per session when they stop editing, with the characters inserted and deleted, in the API and the CSV', async () => {
    const { s, owner, consultation, document, amina, nhri, memberId } = await setUp({ editSessionIdleMs: 1500 });
    const a = connectYjs(s.wsUrl, document.id, { cookie: amina.cookie });
    const b = connectYjs(s.wsUrl, document.id, { cookie: nhri.cookie });
    await Promise.all([a.synced, b.synced]);

    a.text.insert(0, 'hello world');
    await eventually(() => b.text.toString() === 'hello world', 'b to see a');
    b.text.insert(11, '!?');
    a.text.delete(0, 3);
    await eventually(async () => (await edits(owner, consultation.id)).length === 2, 'both sessions to end for lack of edits');
    const first = await edits(owner, consultation.id);
    const byMember = new Map(first.map((e) => [e.actor?.memberId, e]));
    expect(byMember.get(await memberId(amina))).toMatchObject({
      actor: { group: 'government', role: 'drafter' },
      subject: { type: 'document', id: document.id },
      details: { documentId: document.id, inserted: 11, deleted: 3 },
    });
    expect(byMember.get(await memberId(nhri))).toMatchObject({ actor: { group: 'nhri' }, details: { documentId: document.id, inserted: 2, deleted: 0 } });

    // A new edit after the pause is a new session.
    a.text.insert(0, 'abc');
    await eventually(async () => (await edits(owner, consultation.id)).length === 3, 'the second session of the same member to end');
    const [latest] = await edits(owner, consultation.id);
    expect(latest).toMatchObject({ actor: { memberId: await memberId(amina) }, details: { inserted: 3, deleted: 0 } });

    const res = await fetch(`${s.url}/api/consultations/${consultation.id}/audit.csv?action=document.edited`, { headers: { cookie: owner.cookie } });
    expect(res.status).toBe(200);
    const rows = parse(await res.text(), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.details).sort()).toEqual(
      [`documentId=${document.id}; inserted=11; deleted=3`, `documentId=${document.id}; inserted=2; deleted=0`, `documentId=${document.id}; inserted=3; deleted=0`].sort(),
    );
    expect(rows.every((r) => r.action === 'document.edited' && r.subject_id === document.id)).toBe(true);
  });

  it('ends a session when the member’s last connection to the document closes, not before', async () => {
    const { s, owner, consultation, document, amina, memberId } = await setUp({});
    const a1 = connectYjs(s.wsUrl, document.id, { cookie: amina.cookie, keep: false });
    const a2 = connectYjs(s.wsUrl, document.id, { cookie: amina.cookie, keep: false });
    await Promise.all([a1.synced, a2.synced]);
    a1.text.insert(0, 'draft text');
    await eventually(() => a2.text.toString() === 'draft text', 'the second tab to see it');
    a2.text.delete(5, 5);
    await serverHas(s, document.id, 'draft');

    const room = await s.server.rooms.acquire(document.id);
    s.server.rooms.release(room);
    a1.destroy();
    await eventually(() => room.connectionsOf(amina.me.id) === 1, 'the server to see the first tab close');
    a2.text.insert(5, 's');
    await serverHas(s, document.id, 'drafts');
    expect(await edits(owner, consultation.id)).toEqual([]);
    a2.destroy();
    await eventually(async () => (await edits(owner, consultation.id)).length === 1, 'the session to end with the last connection');
    expect((await edits(owner, consultation.id))[0]).toMatchObject({ actor: { memberId: await memberId(amina) }, details: { inserted: 11, deleted: 5 } });
  });

  it('writes the sessions still open when the server shuts down, such as a drafter’s accepted proposal', async () => {
    const first = await setUp({});
    const { s, owner, consultation, document, amina } = first;
    const editor = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await editor.synced;
    const text = writeParagraph(editor.doc, 'The State shall consult civil society.');
    await untilServerHas(s.server, document.id, 'The State shall consult');
    for (const phase of ['drafting', 'open_for_comment']) expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);
    const contributor = await addMember(s.url, owner, consultation.id, 'contributor', 'civil_society');
    const proposer = await connectSocket(s.url, contributor.cookie);
    const proposal = await proposer.emitWithAck('thread:create', { documentId: document.id, anchor: anchorOn(text, 'civil society'), body: 'Wider.', proposal: 'everyone' });
    if (!proposal.ok) throw new Error(proposal.error.code);
    // The drafter accepts it without having the document open: no connection of theirs will close to end the session.
    const drafter = await connectSocket(s.url, amina.cookie);
    const accepted = await drafter.emitWithAck('proposal:decide', { threadId: proposal.data.id, decision: 'accept', passage: 'civil society' });
    if (!accepted.ok) throw new Error(accepted.error.code);
    await s.stop();

    const again = await startServer({ dataDir: s.dataDir });
    const entries = await api(again.url, owner.cookie, consultation.id);
    const drafterId = (await membershipsCollection(again.store).findOne({ consultationId: consultation.id, userId: amina.me.id }))!._id;
    expect(entries.filter((e) => e.actor?.memberId === drafterId)).toMatchObject([{ actor: { group: 'government' }, details: { documentId: document.id, inserted: 8, deleted: 13 } }]);
  });
});

async function api(url: string, cookie: string, consultationId: string): Promise<AuditEntry[]> {
  const res = await fetch(`${url}/api/consultations/${consultationId}/audit?action=document.edited`, { headers: { cookie } });
  return ((await res.json()) as { items: AuditEntry[] }).items;
}
