import { beforeAll, describe, expect, it } from 'vitest';
import type { Consultation } from '../shared/schemas.ts';
import type { Member } from '../shared/accounts.ts';
import { summaryTextChars, type RecommendationSummary } from '../shared/recommendations.ts';
import { addMember, api, registerUser, startServer, type TestServer, type TestUser } from './helpers/server.ts';
import { uploadRecommendations } from './helpers/recommendations.ts';
import { connectSocket, type TestSocket } from './helpers/socket.ts';
import { eventually } from './helpers/yjs.ts';

type Summaries = { items: RecommendationSummary[] };

let s: TestServer;
let owner: TestUser;

beforeAll(async () => {
  s = await startServer();
  owner = await registerUser(s.url, 'Facilitator');
});

const newConsultation = async (by = owner, title = 'NAP') => (await by.call<Consultation>('POST', '/consultations', { title })).body;
const summariesOf = (who: TestUser, id: string) => who.call<Summaries>('GET', `/consultations/${id}/recommendation-summaries`);

describe('the register in short', () => {
  it('gives every member every row by id, with the text cut to its start, and refuses everyone else', async () => {
    const c = await newConsultation();
    const long = 'Ensure that every child is registered at birth, free of charge, '.repeat(6).trim();
    // An emoji (two UTF-16 units) straddling the cut: the cut may not split it into a lone surrogate.
    const astral = `${'x'.repeat(summaryTextChars - 2)}😀${'y'.repeat(20)}`;
    const exact = 'z'.repeat(summaryTextChars);
    const csv = [
      'Annotation ID,Document Symbol,Recommending Body,Themes,Affected Persons,SDGs,Text,Position',
      `B-1,A/HRC/52/10 para 4,UPR,Birth registration;Children,Children,16.9,"${long}",Supported`,
      `A-10,CRC/C/KEN/CO/3,CRC,,,,"${astral}",`,
      `A-2,CEDAW/C/KEN/CO/8,CEDAW,Women’s rights,Women and girls,5,${exact},Noted`,
    ].join('\n');
    expect((await uploadRecommendations(s.url, owner, c.id, csv, { commit: true })).status).toBe(200);
    const manual = await owner.call('POST', `/consultations/${c.id}/recommendations`, { id: 'A-1', text: 'Short one', body: 'CAT' });
    expect(manual.status).toBe(201);

    const observer = await addMember(s.url, owner, c.id, 'observer', 'international');
    const contributor = await addMember(s.url, owner, c.id, 'contributor', 'civil_society');
    for (const member of [owner, observer, contributor]) {
      const res = await summariesOf(member, c.id);
      expect(res.status).toBe(200);
      // By id, the order plan actions cite them in (code point order: "A-10" before "A-2").
      expect(res.body.items.map((r) => r.id)).toEqual(['A-1', 'A-10', 'A-2', 'B-1']);
    }
    const items = (await summariesOf(observer, c.id)).body.items;
    const byId = new Map(items.map((r) => [r.id, r]));
    expect(byId.get('B-1')).toEqual({
      id: 'B-1',
      symbol: 'A/HRC/52/10 para 4',
      body: 'UPR',
      themes: ['Birth registration', 'Children'],
      affectedPersons: ['Children'],
      sdgs: ['16.9'],
      position: 'supported',
      text: `${long.slice(0, summaryTextChars - 1)}…`,
    });
    expect(byId.get('B-1')!.text).toHaveLength(summaryTextChars);
    // Exactly at the limit: whole, no ellipsis.
    expect(byId.get('A-2')!.text).toBe(exact);
    expect(byId.get('A-1')).toMatchObject({ symbol: '', body: 'CAT', themes: [], affectedPersons: [], sdgs: [], position: null, text: 'Short one' });
    const cut = byId.get('A-10')!.text;
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect([...cut].length).toBeLessThanOrEqual(summaryTextChars);
    expect(astral.startsWith(cut.slice(0, -1))).toBe(true);
    // Nothing more than a summary: no timestamps, source or consultation id.
    expect(Object.keys(items[0]!).sort()).toEqual(['affectedPersons', 'body', 'id', 'position', 'sdgs', 'symbol', 'text', 'themes']);

    const stranger = await registerUser(s.url, 'Stranger');
    expect((await summariesOf(stranger, c.id)).status).toBe(404);
    const signedOut = await api(s.url, 'GET', `/consultations/${c.id}/recommendation-summaries`);
    expect(signedOut.status).toBe(401);
    expect(JSON.stringify(signedOut.body)).not.toContain('A-1');
  });

  it('follows every change to the register: an import, an addition, an edit, and not a refused import', async () => {
    const c = await newConsultation();
    const ids = async () => (await summariesOf(owner, c.id)).body.items.map((r) => `${r.id}:${r.position ?? '-'}`);
    expect(await ids()).toEqual([]);
    expect((await uploadRecommendations(s.url, owner, c.id, 'id,text\nR-1,Protect journalists', { commit: true })).status).toBe(200);
    expect(await ids()).toEqual(['R-1:-']);
    expect((await owner.call('POST', `/consultations/${c.id}/recommendations`, { id: 'R-2', text: 'Register births' })).status).toBe(201);
    expect(await ids()).toEqual(['R-1:-', 'R-2:-']);
    expect((await owner.call('PATCH', `/consultations/${c.id}/recommendations/R-2`, { position: 'noted' })).status).toBe(200);
    expect(await ids()).toEqual(['R-1:-', 'R-2:noted']);
    // A file with a bad row is refused whole: the register in short is what it was.
    const bad = await uploadRecommendations(s.url, owner, c.id, 'id,text,position\nR-3,New,supported\nR-4,Bad,maybe', { commit: true });
    expect(bad.status).toBe(400);
    expect(await ids()).toEqual(['R-1:-', 'R-2:noted']);
  });

  it('is empty for a register with nothing in it', async () => {
    const c = await newConsultation();
    expect((await summariesOf(owner, c.id)).body).toEqual({ items: [] });
  });
});

/** Waits for `socket` to have received everything the server sent it before now: an acknowledged round trip. */
async function drained(socket: TestSocket, consultationId: string): Promise<void> {
  await socket.emitWithAck('consultation:watch', consultationId);
}

describe('recommendations:changed', () => {
  it('reaches the watchers of the consultation after an import, an addition and an edit, and no one else', async () => {
    const c = await newConsultation();
    const contributor = await addMember(s.url, owner, c.id, 'contributor', 'nhri');
    const watcher = await connectSocket(s.url, contributor.cookie);
    expect((await watcher.emitWithAck('consultation:watch', c.id)).ok).toBe(true);
    const heard: string[] = [];
    watcher.on('recommendations:changed', (id) => heard.push(id));

    // Someone who is not a member: refused the room, and watching a consultation of their own meanwhile.
    const strangerUser = await registerUser(s.url, 'Elsewhere');
    const own = await newConsultation(strangerUser, 'Another NAP');
    const stranger = await connectSocket(s.url, strangerUser.cookie);
    expect(await stranger.emitWithAck('consultation:watch', c.id)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await stranger.emitWithAck('consultation:watch', own.id)).ok).toBe(true);
    const strangerHeard: string[] = [];
    stranger.on('recommendations:changed', (id) => strangerHeard.push(id));
    // A member who does not watch hears nothing either (the event goes to the room, not to everyone).
    const idle = await connectSocket(s.url, (await addMember(s.url, owner, c.id, 'observer')).cookie);
    const idleHeard: string[] = [];
    idle.on('recommendations:changed', (id) => idleHeard.push(id));

    const file = 'id,text\nR-1,Protect journalists\nR-2,Register births';
    expect((await uploadRecommendations(s.url, owner, c.id, file, { commit: true })).status).toBe(200);
    await eventually(() => heard.length === 1, 'the watcher to hear of the import');
    // The same file again changes nothing, and says nothing.
    expect((await uploadRecommendations(s.url, owner, c.id, file, { commit: true })).body).toMatchObject({ created: 0, updated: 0 });
    expect((await owner.call('POST', `/consultations/${c.id}/recommendations`, { id: 'R-3', text: 'Prevent torture' })).status).toBe(201);
    await eventually(() => heard.length === 2, 'the watcher to hear of the addition');
    expect((await owner.call('PATCH', `/consultations/${c.id}/recommendations/R-1`, { position: 'supported' })).status).toBe(200);
    await eventually(() => heard.length === 3, 'the watcher to hear of the edit');
    expect(heard).toEqual([c.id, c.id, c.id]);

    // Nor does an edit to the same value, or a refused addition.
    expect((await owner.call('PATCH', `/consultations/${c.id}/recommendations/R-1`, { position: 'supported' })).status).toBe(200);
    expect((await owner.call('POST', `/consultations/${c.id}/recommendations`, { id: 'R-3', text: 'Again' })).status).toBe(409);
    expect((await contributor.call('POST', `/consultations/${c.id}/recommendations`, { text: 'Not mine to add' })).status).toBe(403);
    await Promise.all([drained(watcher, c.id), drained(stranger, own.id), drained(idle, own.id)]);
    expect(heard).toHaveLength(3);
    expect(strangerHeard).toEqual([]);
    expect(idleHeard).toEqual([]);
  });

  it('stops reaching a member once they are removed', async () => {
    const c = await newConsultation();
    const member = await addMember(s.url, owner, c.id, 'contributor');
    const socket = await connectSocket(s.url, member.cookie);
    expect((await socket.emitWithAck('consultation:watch', c.id)).ok).toBe(true);
    const heard: string[] = [];
    socket.on('recommendations:changed', (id) => heard.push(id));
    const removed = new Promise<void>((resolve) => socket.once('consultation:removed', () => resolve()));
    const members = await owner.call<Member[]>('GET', `/consultations/${c.id}/members`);
    const record = members.body.find((m) => m.userId === member.me.id);
    expect(record).toBeDefined();
    expect((await owner.call('DELETE', `/consultations/${c.id}/members/${record!.id}`)).status).toBeLessThan(300);
    await removed;
    expect((await owner.call('POST', `/consultations/${c.id}/recommendations`, { text: 'After they left' })).status).toBe(201);
    await drained(socket, c.id);
    expect(heard).toEqual([]);
  });
});
