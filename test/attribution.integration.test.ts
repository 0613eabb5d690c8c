import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addMember, createDocument, startServer, type TestServer, type TestUser } from './helpers/server.ts';
import { connectYjs, eventually, type YjsClient } from './helpers/yjs.ts';
import { seededRandom, testSeed } from './helpers/random.ts';
import { connectSocket } from './helpers/socket.ts';
import { anchorOn, plainText, untilServerHas, writeParagraph } from './helpers/comments.ts';
import { membershipsCollection } from '../server/members/members.repository.ts';
import { loadAttribution } from '../server/history/attribution.load.ts';
import { attributionAuthors } from '../server/history/attribution.authors.ts';
import type { AttributionIndex } from '../server/history/types.ts';
import type { StakeholderGroup } from '../shared/groups.ts';

const idKey = (client: number, clock: number) => `${client}:${clock}`;

async function membershipOf(s: TestServer, consultationId: string, user: TestUser) {
  const m = await membershipsCollection(s.store).findOne({ consultationId, userId: user.me.id });
  if (!m) throw new Error('no membership');
  return m;
}

/** Every character item of a document rebuilt from its stored log, kept without garbage collection: live and deleted. */
async function storedCharacters(s: TestServer, docId: string): Promise<{ id: Y.ID; deleted: boolean }[]> {
  const doc = new Y.Doc({ gc: false });
  Y.applyUpdate(doc, (await s.server.updateLog.load(docId)).update);
  const out: { id: Y.ID; deleted: boolean }[] = [];
  for (const structs of doc.store.clients.values()) {
    for (const s of structs) {
      if (!(s instanceof Y.Item) || !(s.content instanceof Y.ContentString)) continue;
      for (let k = 0; k < s.length; k++) out.push({ id: Y.createID(s.id.client, s.id.clock + k), deleted: s.deleted });
    }
  }
  return out;
}

describe('attribution recorded by the server', () => {
  it('attributes every live and deleted character to the member and group whose client typed or deleted it, through offline edits and compaction', async () => {
    const seed = testSeed();
    const random = seededRandom(seed);
    const s = await startServer({ config: { persistence: { maxDelayMs: 30, debounceMs: 5, compactAfterUpdates: 40 } } });
    const { owner, consultation, document } = await createDocument(s.url);
    const groups: StakeholderGroup[] = ['government', 'nhri', 'civil_society', 'international'];
    const users = [owner, ...(await Promise.all(groups.map((g) => addMember(s.url, owner, consultation.id, 'drafter', g))))];
    const members = await Promise.all(users.map((u) => membershipOf(s, consultation.id, u)));
    const clients: YjsClient[] = users.map((u) => connectYjs(s.wsUrl, document.id, { cookie: u.cookie }));
    await Promise.all(clients.map((c) => c.synced));

    // Ground truth, from each client's own edits: who owns each client id, who deleted each item.
    const ownerOf = new Map<number, number>();
    const deleters = new Map<string, Set<number>>();
    clients.forEach((c, i) => {
      ownerOf.set(c.doc.clientID, i);
      c.doc.on('afterTransaction', (tr: Y.Transaction) => {
        if (!tr.local) return;
        (tr.deleteSet.clients as Map<number, { clock: number; len: number }[]>).forEach((items, client) => {
          for (const { clock, len } of items) for (let k = 0; k < len; k++) {
            const key = idKey(client, clock + k);
            if (!deleters.has(key)) deleters.set(key, new Set());
            deleters.get(key)!.add(i);
          }
        });
      });
    });

    const words = 'the state shall consult civil society and national human rights institutions ';
    const edit = (c: YjsClient) => {
      const t = c.text;
      if (t.length > 0 && random() < 0.35) {
        const at = Math.floor(random() * t.length);
        t.delete(at, Math.min(t.length - at, 1 + Math.floor(random() * 4)));
      } else {
        const start = Math.floor(random() * (words.length - 6));
        t.insert(Math.floor(random() * (t.length + 1)), words.slice(start, start + 1 + Math.floor(random() * 6)));
      }
    };
    for (let round = 0; round < 12; round++) {
      // Now and then someone drops off, goes on typing, and comes back later.
      const offline = clients.filter(() => random() < 0.25);
      for (const c of offline) c.provider.disconnect();
      for (let step = 0; step < 15; step++) edit(clients[Math.floor(random() * clients.length)]!);
      await new Promise((r) => setTimeout(r, 10 + random() * 30));
      for (const c of offline) c.provider.connect();
    }
    const settled = () => clients.every((c) => c.provider.wsconnected && c.text.toString() === clients[0]!.text.toString());
    await eventually(settled, 'every client to settle on the same text');
    const room = await s.server.rooms.acquire(document.id);
    await eventually(() => room.doc.getText('t').toString() === clients[0]!.text.toString(), 'the server to hold it');
    await room.compact();
    s.server.rooms.release(room);
    expect((await s.server.updateLog.stats(document.id)).entries).toBe(1);

    const check = (index: AttributionIndex, chars: { id: Y.ID; deleted: boolean }[]) => {
      let live = 0;
      let deleted = 0;
      for (const { id, deleted: isDeleted } of chars) {
        const typist = ownerOf.get(id.client);
        expect(typist, `a character of an unknown client ${id.client}`).toBeDefined();
        expect(index.insertedBy(id)).toMatchObject({ membershipId: members[typist!]!._id, group: members[typist!]!.group });
        if (!isDeleted) {
          live++;
          expect(index.deletedBy(id)).toBeNull();
          continue;
        }
        deleted++;
        const who = index.deletedBy(id);
        const candidates = [...(deleters.get(idKey(id.client, id.clock)) ?? [])];
        expect(candidates.length, 'a deleted character that no client deleted').toBeGreaterThan(0);
        // Two members may delete the same character at once: it is either's.
        expect(candidates.map((i) => members[i]!._id)).toContain(who?.membershipId);
        expect(who?.group).toBe(members.find((m) => m._id === who?.membershipId)?.group);
      }
      return { live, deleted };
    };
    const chars = await storedCharacters(s, document.id);
    const counted = check(await loadAttribution(document.id, s.server.updateLog, s.server.rooms), chars);
    expect(counted.live).toBe(clients[0]!.text.length);
    expect(counted.deleted).toBeGreaterThan(0);
    // Every group typed something that is attributed to it.
    const index = await loadAttribution(document.id, s.server.updateLog, s.server.rooms);
    expect(new Set(chars.map(({ id }) => index.insertedBy(id)?.group))).toEqual(new Set(members.map((m) => m.group)));

    // A new server on the same store reads the same attribution.
    for (const c of clients) c.destroy();
    await s.stop();
    const again = await startServer({ dataDir: s.dataDir });
    expect(check(await loadAttribution(document.id, again.server.updateLog, again.server.rooms), await storedCharacters(again, document.id))).toEqual(counted);
  });

  it('attributes proposed wording a drafter accepts to the drafter, insertions and deletions', async () => {
    const s = await startServer();
    const { owner, consultation, document } = await createDocument(s.url);
    const drafter = await addMember(s.url, owner, consultation.id, 'drafter', 'government');
    const amina = await addMember(s.url, owner, consultation.id, 'contributor', 'civil_society');
    const editor = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await editor.synced;
    const text = writeParagraph(editor.doc, 'The State shall consult civil society before adopting the plan.');
    await untilServerHas(s.server, document.id, 'The State shall consult');
    for (const phase of ['drafting', 'open_for_comment']) expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);

    const contributor = await connectSocket(s.url, amina.cookie);
    const proposal = await contributor.emitWithAck('thread:create', {
      documentId: document.id,
      anchor: anchorOn(text, 'consult civil society'),
      body: 'Make it inclusive.',
      proposal: 'meaningfully consult everyone',
    });
    if (!proposal.ok) throw new Error(proposal.error.code);
    const decider = await connectSocket(s.url, drafter.cookie);
    const accepted = await decider.emitWithAck('proposal:decide', { threadId: proposal.data.id, decision: 'accept', passage: 'consult civil society' });
    if (!accepted.ok) throw new Error(accepted.error.code);
    await eventually(() => plainText(editor.doc).includes('meaningfully consult everyone'), 'the editor to receive the new wording');
    await s.server.rooms.flushAll();

    const index = await loadAttribution(document.id, s.server.updateLog, s.server.rooms);
    const drafterMember = await membershipOf(s, consultation.id, drafter);
    const ownerMember = await membershipOf(s, consultation.id, owner);
    const chars = await storedCharacters(s, document.id);
    const doc = new Y.Doc({ gc: false });
    Y.applyUpdate(doc, (await s.server.updateLog.load(document.id)).update);
    const textOf = (id: Y.ID) => {
      const item = Y.getItem(doc.store, id) as Y.Item;
      return (item.content as Y.ContentString).str[id.clock - item.id.clock];
    };
    const inserted = chars.filter(({ id }) => index.insertedBy(id)?.membershipId === drafterMember._id);
    expect(inserted.map(({ id }) => textOf(id)).join('')).toBe('meaningfully consult everyone');
    expect(inserted.every(({ id }) => index.insertedBy(id)?.group === 'government')).toBe(true);
    const removed = chars.filter(({ deleted }) => deleted);
    expect(removed.map(({ id }) => textOf(id)).join('')).toBe('consult civil society');
    for (const { id } of removed) {
      expect(index.deletedBy(id)).toMatchObject({ membershipId: drafterMember._id, group: 'government' });
      expect(index.insertedBy(id)?.membershipId).toBe(ownerMember._id);
    }
    // Shown as comments show their authors: the public face (alias, group, role), never a name.
    const authorOf = await attributionAuthors(s.store, consultation.id);
    expect(authorOf(index.insertedBy(inserted[0]!.id))).toStrictEqual({ memberId: drafterMember._id, alias: drafterMember.alias, group: 'government', role: 'drafter' });
  });

  it('attributes a member’s edits to the group they are in when they make them, changed while connected', async () => {
    const s = await startServer({ config: { persistence: { maxDelayMs: 20, debounceMs: 5, compactAfterUpdates: 10_000 } } });
    const { owner, consultation, document } = await createDocument(s.url);
    const drafter = await addMember(s.url, owner, consultation.id, 'drafter', 'nhri');
    const member = await membershipOf(s, consultation.id, drafter);
    const client = connectYjs(s.wsUrl, document.id, { cookie: drafter.cookie });
    await client.synced;
    client.text.insert(0, 'before ');
    const room = await s.server.rooms.acquire(document.id);
    s.server.rooms.release(room);
    await eventually(() => room.doc.getText('t').toString() === 'before ', 'the server to hold the first words');
    expect((await owner.call('PATCH', `/consultations/${consultation.id}/members/${member._id}`, { group: 'government' })).status).toBe(204);
    await eventually(() => [...room.connections].some((c) => c.editor?.group === 'government'), 'the connection to learn the new group');
    client.text.insert(7, 'after');
    await eventually(() => room.doc.getText('t').toString() === 'before after', 'the server to hold the later words');
    const index = await loadAttribution(document.id, s.server.updateLog, s.server.rooms);
    const groups = Array.from({ length: 12 }, (_, clock) => index.insertedBy(Y.createID(client.doc.clientID, clock))?.group);
    expect(groups).toEqual([...Array(7).fill('nhri'), ...Array(5).fill('government')]);
  });
});
