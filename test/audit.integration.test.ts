import { describe, expect, it } from 'vitest';
import { auditActions, type AuditEntry } from '../shared/audit.ts';
import type { Consultation, DocumentMeta } from '../shared/schemas.ts';
import type { CreatedInvitation, Member } from '../shared/accounts.ts';
import type { Meeting } from '../shared/meetings.ts';
import { auditRepository } from '../server/audit/audit.repository.ts';
import { csvCell } from '../server/audit/audit.csv.ts';
import { addMember, registerUser, startServer, type TestServer, type TestUser } from './helpers/server.ts';
import { connectSocket } from './helpers/socket.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import { writePlan } from './helpers/plan.ts';
import { fragmentName } from '../shared/collab.ts';
import { liveAnchor } from './helpers/comments.ts';
import { ok } from './helpers/meetings.ts';
import { uploadRecommendations } from './helpers/recommendations.ts';

type Page = { items: AuditEntry[]; nextCursor: string | null };

/**
 * A consultation taken through one of every audited action, by a facilitator
 * who renames themself afterwards (entries keep the name they had).
 */
async function eventfulConsultation(s: TestServer, names: { contributor?: string } = {}) {
  const startedAt = new Date().toISOString();
  const owner = await registerUser(s.url, 'Facilitator Fatima');
  // Names shown at first, so that turning hiding on is a change the log records.
  const c = (await owner.call<Consultation>('POST', '/consultations', { title: 'NAP 2027', group: 'nhri', hideIdentities: false })).body;
  const base = `/consultations/${c.id}`;
  const drafter = await addMember(s.url, owner, c.id, 'drafter', 'government');
  const contributor = await addMember(s.url, owner, c.id, 'contributor', 'civil_society');
  if (names.contributor) await contributor.call('PATCH', '/auth/me', { displayName: names.contributor });
  const doc = (await owner.call<DocumentMeta>('POST', `${base}/documents`, { title: 'Draft' })).body;
  const members = (await owner.call<Member[]>('GET', `${base}/members`)).body;
  const idOf = (u: TestUser) => members.find((m) => m.userId === u.me.id)!.id;
  const expectStatus = async (p: Promise<{ status: number }>, status: number) => expect((await p).status).toBe(status);

  await expectStatus(owner.call('PATCH', `${base}/members/${idOf(contributor)}`, { role: 'observer', reason: 'Asked to follow only' }), 204);
  await expectStatus(owner.call('PATCH', `${base}/members/${idOf(contributor)}`, { organisation: 'Rights Watch', role: 'contributor' }), 204);
  await expectStatus(owner.call('PATCH', `${base}/members/${idOf(drafter)}`, { organisation: 'Ministry of Justice' }), 204);
  await expectStatus(owner.call('PATCH', base, { hideIdentities: true }), 200);
  await expectStatus(owner.call('POST', `${base}/phase`, { phase: 'drafting', reason: 'Kick-off done' }), 200);
  await expectStatus(owner.call('POST', `/documents/${doc.id}/lock`, { locked: true, reason: 'Legal review' }), 200);
  await expectStatus(owner.call('POST', `/documents/${doc.id}/lock`, { locked: false }), 200);
  await expectStatus(owner.call('PATCH', `/documents/${doc.id}`, { title: 'Draft plan' }), 200);
  await expectStatus(owner.call('POST', `/documents/${doc.id}/archive`, { reason: 'Wrong file' }), 200);
  await expectStatus(owner.call('POST', `/documents/${doc.id}/restore`, {}), 200);
  const spare = (await owner.call<CreatedInvitation>('POST', `${base}/invitations`, { role: 'observer', group: 'other' })).body;
  await expectStatus(owner.call('DELETE', `${base}/invitations/${spare.id}`), 204);
  await expectStatus(uploadRecommendations(s.url, owner, c.id, 'Annotation ID,Text\nU-1,Protect journalists\n', { commit: true }), 200);
  await expectStatus(drafter.call('POST', `${base}/recommendations`, { id: 'H-1', text: 'Ratify the Protocol' }), 201);
  await expectStatus(drafter.call('PATCH', `${base}/recommendations/H-1`, { position: 'supported' }), 200);
  // Links made in the editor: an action that follows up H-1 and SDG target 16.3.
  const editor = connectYjs(s.wsUrl, doc.id, { cookie: drafter.cookie });
  await editor.synced;
  const action = { id: 'a1', title: 'Train judges', attrs: { recommendations: ['H-1'], sdgTargets: ['16.3'] } };
  writePlan(editor.doc.getXmlFragment(fragmentName), [{ id: 'g1', title: 'Justice', objectives: [{ id: 'o1', title: 'Courts', actions: [action] }] }]);
  const linked = async () => (await owner.call<Page>('GET', `${base}/audit?action=action.sdg_targets_changed`)).body.items.length === 1;
  await eventually(linked, 'the link to be recorded');
  editor.destroy();
  // A named version, brought back at once (the text stays as it is).
  const version = (await drafter.call<{ id: string }>('POST', `/documents/${doc.id}/versions`, { name: 'With the plan' })).body;
  await expectStatus(owner.call('POST', `/documents/${doc.id}/versions/${version.id}/restore`), 201);
  await expectStatus(owner.call('POST', `${base}/phase`, { phase: 'open_for_comment' }), 200);

  const [fac, drf, con] = await Promise.all([owner, drafter, contributor].map((u) => connectSocket(s.url, u.cookie)));
  const thread = ok(await drf!.emitWithAck('thread:create', { documentId: doc.id, anchor: await liveAnchor(s.server, doc.id), body: 'Our position.', proposal: 'Better wording' }));
  const target = { threadId: thread.id, commentId: thread.comments[0]!.id };
  ok(await con!.emitWithAck('comment:flag', { ...target, reason: 'Misleading' }));
  ok(await fac!.emitWithAck('moderation:hide', { ...target, reason: 'Pending verification' }));
  ok(await fac!.emitWithAck('moderation:restore', { ...target, reason: 'Verified' }));
  ok(await con!.emitWithAck('comment:flag', { ...target, reason: 'Still misleading' }));
  ok(await fac!.emitWithAck('moderation:dismiss', { ...target, reason: 'Not abuse' }));
  ok(await fac!.emitWithAck('member:mute', { consultationId: c.id, memberId: idOf(contributor), minutes: 15, reason: 'Shouting' }));
  ok(await fac!.emitWithAck('member:unmute', { consultationId: c.id, memberId: idOf(contributor) }));

  const meeting = (await owner.call<Meeting>('POST', `${base}/meetings`, { title: 'Hearing', startsAt: new Date().toISOString() })).body;
  await expectStatus(owner.call('PATCH', `/meetings/${meeting.id}`, { agenda: ['Chapter 1'] }), 200);
  ok(await fac!.emitWithAck('meeting:start', { meetingId: meeting.id }));
  const poll = ok(await fac!.emitWithAck('poll:open', { meetingId: meeting.id, question: 'Agree?', options: ['Yes', 'No'] }));
  ok(await fac!.emitWithAck('poll:close', { pollId: poll.id }));
  ok(await fac!.emitWithAck('meeting:end', { meetingId: meeting.id }));
  await expectStatus(owner.call('DELETE', `${base}/members/${idOf(contributor)}?reason=${encodeURIComponent('Left the coalition')}`), 204);
  await expectStatus(owner.call('PATCH', '/auth/me', { displayName: 'Fatima (renamed)' }), 200);

  const all = async (query = ''): Promise<AuditEntry[]> => (await owner.call<Page>('GET', `${base}/audit?limit=200${query}`)).body.items;
  return { owner, drafter, contributor, c, base, ids: { owner: idOf(owner), drafter: idOf(drafter), contributor: idOf(contributor) }, all, startedAt };
}

describe('the audit log', () => {
  it('records every kind of audited action: who (with their name at the time), what, when and why', async () => {
    const s = await startServer();
    const w = await eventfulConsultation(s);
    const entries = await w.all();
    // Everything but what only adoption does (below).
    const atAdoption = ['thread.closed_at_adoption', 'proposal.lapsed'];
    expect(new Set(entries.map((e) => e.action))).toEqual(new Set(auditActions.filter((a) => !atAdoption.includes(a))));

    const times = entries.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(times.every((t) => t >= w.startedAt && t <= new Date().toISOString())).toBe(true);
    const one = (action: AuditEntry['action']) => entries.filter((e) => e.action === action);
    for (const e of entries.filter((e) => e.actor?.memberId === w.ids.owner)) expect(e.actor).toMatchObject({ displayName: 'Facilitator Fatima', role: 'facilitator', group: 'nhri' });

    expect(one('consultation.phase_changed').map((e) => [e.details, e.reason])).toEqual([
      [{ from: 'drafting', to: 'open_for_comment' }, null],
      [{ from: 'preparation', to: 'drafting' }, 'Kick-off done'],
    ]);
    expect(one('document.locked')[0]).toMatchObject({ reason: 'Legal review', subject: { type: 'document', name: 'Draft' } });
    expect(one('document.renamed')[0]).toMatchObject({ subject: { type: 'document', name: 'Draft plan' }, details: { from: 'Draft', to: 'Draft plan' } });
    expect(one('document.archived')[0]).toMatchObject({ reason: 'Wrong file', subject: { type: 'document', name: 'Draft plan' } });
    expect(one('member.role_changed').map((e) => e.details.role)).toEqual(['observer → contributor', 'contributor → observer']);
    expect(one('member.role_changed')[1]).toMatchObject({ reason: 'Asked to follow only', subject: { id: w.ids.contributor, name: w.contributor.me.displayName } });
    expect(one('member.updated')[0]).toMatchObject({ subject: { id: w.ids.drafter }, details: { organisation: ' → Ministry of Justice' } });
    expect(one('member.joined').map((e) => e.actor!.memberId).sort()).toEqual([w.ids.drafter, w.ids.contributor].sort());
    expect(one('member.removed')[0]).toMatchObject({ reason: 'Left the coalition', subject: { type: 'member', id: w.ids.contributor, name: w.contributor.me.displayName } });
    expect(one('moderation.flagged').map((e) => [e.actor!.memberId, e.reason])).toEqual([[w.ids.contributor, 'Still misleading'], [w.ids.contributor, 'Misleading']]);
    expect(one('moderation.hidden')[0]).toMatchObject({ reason: 'Pending verification', subject: { type: 'comment' } });
    expect(one('member.muted')[0]).toMatchObject({ reason: 'Shouting', details: { minutes: 15 } });
    expect(one('consultation.updated')[0]!.details).toEqual({ hideIdentities: 'true' });
    expect(one('recommendations.imported')[0]).toMatchObject({ details: { format: 'csv', rows: 1, created: 1, updated: 0 } });
    expect(one('recommendation.edited')[0]).toMatchObject({ actor: { memberId: w.ids.drafter }, subject: { type: 'recommendation', id: 'H-1', name: 'Ratify the Protocol' }, details: { fields: 'position' } });

    // Adoption ends open meetings on the server's own authority, and the log stays readable afterwards.
    const later = (await w.owner.call<Meeting>('POST', `${w.base}/meetings`, { title: 'Never held', startsAt: new Date().toISOString() })).body;
    for (const phase of ['closed', 'adopted']) expect((await w.owner.call('POST', `${w.base}/phase`, { phase, confirm: true })).status).toBe(200);
    expect(new Set((await w.all()).map((e) => e.action))).toEqual(new Set(auditActions));
    await eventually(async () => (await w.all('&action=meeting.ended')).some((e) => e.subject?.id === later.id), 'the meeting to end on adoption');
    expect((await w.all('&action=meeting.ended')).find((e) => e.subject?.id === later.id)).toMatchObject({ actor: null, reason: 'The plan was adopted' });
    expect((await w.owner.call<Meeting>('GET', `/meetings/${later.id}`)).body.status).toBe('ended');
  });

  it('filters by action and by actor, and pages with the keyset cursor; only facilitators read it', async () => {
    const s = await startServer();
    const w = await eventfulConsultation(s);
    const all = await w.all();
    expect((await w.all('&action=member.joined')).map((e) => e.id)).toEqual(all.filter((e) => e.action === 'member.joined').map((e) => e.id));
    expect(await w.all(`&actor=${w.ids.contributor}`)).toEqual(all.filter((e) => e.actor?.memberId === w.ids.contributor));
    expect((await w.all(`&actor=${w.ids.contributor}`)).map((e) => e.action).sort()).toEqual(['member.joined', 'moderation.flagged', 'moderation.flagged']);
    expect(await w.all(`&actor=${w.ids.contributor}&action=moderation.flagged`)).toHaveLength(2);
    expect(await w.all(`&actor=${w.ids.drafter}&action=member.removed`)).toEqual([]);

    const paged: AuditEntry[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: Page = (await w.owner.call<Page>('GET', `${w.base}/audit?limit=4${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(page.items.length).toBeLessThanOrEqual(4);
      paged.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(all);

    for (const bad of ['action=nothing.happened', 'actor=someone', 'cursor=broken', 'limit=0'])
      expect((await w.owner.call('GET', `${w.base}/audit?${bad}`)).status).toBe(400);
    expect((await w.drafter.call('GET', `${w.base}/audit`)).status).toBe(403);
    expect((await w.drafter.call('GET', `${w.base}/audit.csv`)).status).toBe(403);
    expect((await (await registerUser(s.url)).call('GET', `${w.base}/audit`)).status).toBe(404);
  });

  it('is append-only: nothing in the API or the repository changes or deletes an entry', async () => {
    const s = await startServer();
    const w = await eventfulConsultation(s);
    const before = await w.all();
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      expect((await w.owner.call(method, `${w.base}/audit`, method === 'DELETE' ? undefined : {})).status).toBe(404);
      expect((await w.owner.call(method, `${w.base}/audit/${before[0]!.id}`, method === 'DELETE' ? undefined : {})).status).toBe(404);
    }
    expect(Object.keys(auditRepository(s.store)).sort()).toEqual(['find', 'insert']);
    // A removed member's own entries stay.
    expect(before.some((e) => e.action === 'member.joined' && e.actor?.memberId === w.ids.contributor)).toBe(true);
    expect(await w.all()).toEqual(before);
  });
});

/** RFC 4180, as a spreadsheet reads it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return rows;
}

describe('the audit log as CSV', () => {
  it('escapes every cell properly and neutralises anything a spreadsheet would run as a formula', async () => {
    const s = await startServer();
    const w = await eventfulConsultation(s, { contributor: '=HYPERLINK("http://evil.example","Click")' });
    const base = w.base;
    await w.owner.call('POST', `${base}/phase`, { phase: 'drafting', reason: '+1, "quoted"\nsecond line' });
    const doc = (await w.owner.call<{ items: DocumentMeta[] }>('GET', `${base}/documents`)).body.items[0]!;
    await w.owner.call('POST', `/documents/${doc.id}/lock`, { locked: true, reason: '@SUM(A1:A9)' });
    await w.owner.call('POST', `/documents/${doc.id}/lock`, { locked: false, reason: '-2+3' });

    const res = await fetch(`${s.url}/api${base}/audit.csv`, { headers: { cookie: w.owner.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-[0-9a-f-]+\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a UTF-8 byte-order mark, for spreadsheets
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain(`"'+1, ""quoted""\nsecond line"`);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(['time', 'action', 'actor_member_id', 'actor_name', 'actor_role', 'actor_group', 'subject_type', 'subject_id', 'subject_name', 'reason', 'details']);
    const entries = await w.all();
    expect(rows).toHaveLength(entries.length);
    expect(rows.every((r) => r.length === header!.length)).toBe(true);
    expect(rows.map((r) => r[1])).toEqual(entries.map((e) => e.action));

    const cell = (action: string, column: string, nth = 0) => rows.filter((r) => r[1] === action)[nth]![header!.indexOf(column)];
    expect(cell('consultation.phase_changed', 'reason')).toBe(`'+1, "quoted"\nsecond line`);
    expect(cell('document.locked', 'reason')).toBe(`'@SUM(A1:A9)`);
    expect(cell('document.unlocked', 'reason')).toBe(`'-2+3`);
    // The name each entry keeps is the one the member had then: joined under another, reporting under this one.
    expect(rows.filter((r) => r[1] === 'member.joined').map((r) => r[3])).not.toContain(`'=HYPERLINK("http://evil.example","Click")`);
    expect(cell('moderation.flagged', 'actor_name')).toBe(`'=HYPERLINK("http://evil.example","Click")`);
    expect(cell('member.removed', 'subject_name')).toBe(`'=HYPERLINK("http://evil.example","Click")`);
    expect(cell('consultation.phase_changed', 'details')).toBe('from=open_for_comment; to=drafting');
    for (const r of rows) for (const c of r) expect(c).not.toMatch(/^[=+\-@]/);

    const filtered = parseCsv(await (await fetch(`${s.url}/api${base}/audit.csv?action=member.removed`, { headers: { cookie: w.owner.cookie } })).text());
    expect(filtered.slice(1).map((r) => r[1])).toEqual(['member.removed']);
  });

  it('writes single cells by the rules', () => {
    expect(csvCell('plain text')).toBe('plain text');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+44 20')).toBe("'+44 20");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('@user')).toBe("'@user");
    expect(csvCell('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell(null)).toBe('');
    expect(csvCell(15)).toBe('15');
  });
});
