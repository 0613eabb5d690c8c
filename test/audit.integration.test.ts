import { describe, expect, it } from 'vitest';
import { auditActions, type AuditEntry } from '../shared/audit.ts';
import type { Consultation, DocumentMeta } from '../shared/schemas.ts';
import type { CreatedInvitation, Member } from '../shared/accounts.ts';
import type { Meeting } from '../shared/meetings.ts';
import { auditRepository } from '../server/audit/audit.repository.ts';
import { auditCsv, csvCell } from '../server/audit/audit.csv.ts';
import { withIdentities } from '../server/audit/audit.identity.ts';
import type { MembershipRecord } from '../server/members/members.repository.ts';
import { openEmbeddedStore } from '../server/store/embedded.ts';
import { capturingLogger } from './helpers/logger.ts';
import { parse } from 'csv-parse/sync';
import { addMember, registerUser, startServer, tempDir, type TestServer, type TestUser } from './helpers/server.ts';
import { connectSocket } from './helpers/socket.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import { writePlan } from './helpers/plan.ts';
import { fragmentName } from '../shared/collab.ts';
import { liveAnchor } from './helpers/comments.ts';
import { ok } from './helpers/meetings.ts';
import { uploadRecommendations } from './helpers/recommendations.ts';
import { downloadArchive } from './helpers/archive.ts';

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
  // The conversation: a reply its author edits and deletes, a position taken, changed and withdrawn, a thread resolved and
  // reopened, one proposal accepted and another declined.
  const reply = ok(await con!.emitWithAck('comment:reply', { threadId: thread.id, body: 'We disagree.' })).comments.at(-1)!;
  ok(await con!.emitWithAck('comment:edit', { threadId: thread.id, commentId: reply.id, body: 'We disagree strongly.' }));
  ok(await con!.emitWithAck('comment:delete', { threadId: thread.id, commentId: reply.id }));
  for (const stance of ['support', 'object', null] as const) ok(await con!.emitWithAck('thread:position', { threadId: thread.id, stance }));
  ok(await drf!.emitWithAck('thread:status', { threadId: thread.id, status: 'resolved' }));
  ok(await drf!.emitWithAck('thread:status', { threadId: thread.id, status: 'open' }));
  ok(await drf!.emitWithAck('proposal:decide', { threadId: thread.id, decision: 'accept', passage: 'passage' }));
  const other = ok(
    await drf!.emitWithAck('thread:create', { documentId: doc.id, anchor: await liveAnchor(s.server, doc.id, 'clause'), body: 'Second thoughts.', proposal: 'Another clause' }),
  );
  ok(await drf!.emitWithAck('proposal:decide', { threadId: other.id, decision: 'decline', reason: 'Out of scope' }));

  const meeting = (await owner.call<Meeting>('POST', `${base}/meetings`, { title: 'Hearing', startsAt: new Date().toISOString() })).body;
  await expectStatus(owner.call('PATCH', `/meetings/${meeting.id}`, { agenda: ['Chapter 1'] }), 200);
  ok(await fac!.emitWithAck('meeting:start', { meetingId: meeting.id }));
  const poll = ok(await fac!.emitWithAck('poll:open', { meetingId: meeting.id, question: 'Agree?', options: ['Yes', 'No'] }));
  ok(await fac!.emitWithAck('poll:close', { pollId: poll.id }));
  ok(await fac!.emitWithAck('floor:give', { meetingId: meeting.id, to: idOf(drafter) }));
  const minutes = ok(await fac!.emitWithAck('minutes:decision', { meetingId: meeting.id, text: 'Chapter 1 stands' }));
  ok(await fac!.emitWithAck('meeting:end', { meetingId: meeting.id }));
  // The minutes, kept afterwards: a decision changed and removed, notes, a turn moved off the agenda.
  const decision = `/meetings/${meeting.id}/minutes/decisions/${minutes.decisions[0]!.id}`;
  await expectStatus(owner.call('PATCH', decision, { text: 'Chapter 1 stands as amended' }), 200);
  await expectStatus(owner.call('DELETE', decision), 200);
  await expectStatus(owner.call('PATCH', `/meetings/${meeting.id}/minutes/notes`, { general: 'Quorum reached' }), 200);
  const speechId = (await owner.call<{ speeches: { id: string }[] }>('GET', `/meetings/${meeting.id}/minutes`)).body.speeches[0]!.id;
  await expectStatus(owner.call('PATCH', `/meetings/${meeting.id}/minutes/speeches/${speechId}`, { agendaItem: null }), 200);
  await expectStatus(owner.call('DELETE', `${base}/members/${idOf(contributor)}?reason=${encodeURIComponent('Left the coalition')}`), 204);
  // The whole consultation taken away as an archive.
  await expectStatus(downloadArchive(s.url, owner, c.id), 200);
  await expectStatus(owner.call('PATCH', '/auth/me', { displayName: 'Fatima (renamed)' }), 200);

  const all = async (query = ''): Promise<AuditEntry[]> => (await owner.call<Page>('GET', `${base}/audit?limit=200${query}`)).body.items;
  const aliases = Object.fromEntries(members.map((m) => [m.id, m.alias]));
  const threads = { first: thread.id, firstComment: thread.comments[0]!.id, reply: reply.id, other: other.id, documentId: doc.id };
  return { owner, drafter, contributor, c, base, ids: { owner: idOf(owner), drafter: idOf(drafter), contributor: idOf(contributor) }, aliases, threads, all, startedAt };
}

describe('the audit log', () => {
  it('records every kind of audited action: who (with their name at the time), what, when and why', async () => {
    const s = await startServer();
    const w = await eventfulConsultation(s);
    const entries = await w.all();
    // Everything but what only adoption does (below), the recordedElsewhere of personal data (test/personal-data.integration.test.ts),
    // and what only an import records, on the server it restores to (test/archive.integration.test.ts).
    const atAdoption = ['thread.closed_at_adoption', 'proposal.lapsed'];
    const recordedElsewhere = ['member.account_deleted', 'consultation.personal_data_erased', 'consultation.imported'];
    expect(new Set(entries.map((e) => e.action))).toEqual(new Set(auditActions.filter((a) => !atAdoption.includes(a) && !recordedElsewhere.includes(a))));

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

    // The conversation: which passage (by its words) of which document, and no comment's words.
    const where = { documentId: w.threads.documentId, document: 'Draft plan' };
    const onFirst = { type: 'thread', id: w.threads.first, name: 'passage' };
    // Entries made in the same millisecond have no set order: compared by subject.
    const bySubject = (a: AuditEntry, b: AuditEntry) => (a.subject!.id < b.subject!.id ? -1 : 1);
    const created = one('thread.created').sort(bySubject);
    expect(created.map((e) => [e.actor?.memberId, e.subject, e.details])).toEqual(
      [
        [w.ids.drafter, { type: 'thread', id: w.threads.other, name: 'clause' }, { ...where, commentId: expect.any(String), characters: 'Second thoughts.'.length }],
        [w.ids.drafter, onFirst, { ...where, commentId: w.threads.firstComment, characters: 'Our position.'.length }],
      ].sort((a, b) => ((a[1] as { id: string }).id < (b[1] as { id: string }).id ? -1 : 1)),
    );
    expect(one('proposal.made').map((e) => [e.subject?.id, e.details.proposal]).sort()).toEqual([[w.threads.other, 'Another clause'], [w.threads.first, 'Better wording']].sort());
    const onReply = { type: 'comment', id: w.threads.reply, name: 'passage' };
    expect(one('comment.replied')).toEqual([expect.objectContaining({ actor: expect.objectContaining({ memberId: w.ids.contributor }), subject: onReply, details: { ...where, threadId: w.threads.first, characters: 12 } })]);
    expect(one('comment.edited')).toEqual([expect.objectContaining({ subject: onReply, details: { ...where, threadId: w.threads.first, characters: 21 } })]);
    expect(one('comment.deleted')).toEqual([expect.objectContaining({ actor: expect.objectContaining({ memberId: w.ids.contributor }), subject: onReply, details: { ...where, threadId: w.threads.first } })]);
    // Positions for the group only, as members see them: no member is recorded with a stance.
    const positions = entries.filter((e) => e.action.startsWith('position.')).sort((a, b) => (a.action < b.action ? -1 : 1));
    expect(positions.map((e) => [e.action, e.actor, e.subject, e.details])).toEqual([
      ['position.changed', null, onFirst, { ...where, group: 'civil_society', from: 'support', stance: 'object' }],
      ['position.taken', null, onFirst, { ...where, group: 'civil_society', from: null, stance: 'support' }],
      ['position.withdrawn', null, onFirst, { ...where, group: 'civil_society', from: 'object', stance: null }],
    ]);
    for (const action of ['thread.resolved', 'thread.reopened'] as const) expect(one(action)).toEqual([expect.objectContaining({ actor: expect.objectContaining({ memberId: w.ids.drafter }), subject: onFirst, details: where })]);
    expect(one('proposal.accepted')).toEqual([expect.objectContaining({ subject: onFirst, details: { ...where, replaced: 'passage', wording: 'Better wording' } })]);
    expect(one('proposal.declined')).toEqual([
      expect.objectContaining({ reason: 'Out of scope', subject: { type: 'thread', id: w.threads.other, name: 'clause' }, details: { ...where, proposal: 'Another clause' } }),
    ]);
    for (const body of ['Our position', 'We disagree', 'Second thoughts']) expect(JSON.stringify(entries)).not.toContain(body);

    // A proposal still pending lapses at adoption.
    const socket = await connectSocket(s.url, w.drafter.cookie);
    const anchor = await liveAnchor(s.server, w.threads.documentId, 'article');
    ok(await socket.emitWithAck('thread:create', { documentId: w.threads.documentId, anchor, body: 'Left open.', proposal: 'Left pending' }));
    // Adoption ends open meetings on the server's own authority, and the log stays readable afterwards.
    const later = (await w.owner.call<Meeting>('POST', `${w.base}/meetings`, { title: 'Never held', startsAt: new Date().toISOString() })).body;
    for (const phase of ['closed', 'adopted']) expect((await w.owner.call('POST', `${w.base}/phase`, { phase, confirm: true })).status).toBe(200);
    expect(new Set((await w.all()).map((e) => e.action))).toEqual(new Set(auditActions.filter((a) => !recordedElsewhere.includes(a))));
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
    expect((await w.all(`&actor=${w.ids.contributor}`)).map((e) => e.action).sort()).toEqual([
      'comment.deleted',
      'comment.edited',
      'comment.replied',
      'member.joined',
      'moderation.flagged',
      'moderation.flagged',
    ]);
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
    expect(header).toEqual([
      'time',
      'action',
      'actor_member_id',
      'actor_name',
      'actor_alias',
      'actor_role',
      'actor_group',
      'subject_type',
      'subject_id',
      'subject_name',
      'subject_alias',
      'reason',
      'details',
    ]);
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

/** A consultation open for comment, with identities hidden (the default), a facilitator and a civil-society contributor. */
async function openForComment(s: TestServer) {
  const owner = await registerUser(s.url, 'Facilitator Farah');
  const c = (await owner.call<Consultation>('POST', '/consultations', { title: 'NAP 2028', group: 'nhri' })).body;
  const base = `/consultations/${c.id}`;
  const contributor = await addMember(s.url, owner, c.id, 'contributor', 'civil_society');
  const doc = (await owner.call<DocumentMeta>('POST', `${base}/documents`, { title: 'Chapter 2' })).body;
  for (const phase of ['drafting', 'open_for_comment']) expect((await owner.call('POST', `${base}/phase`, { phase })).status).toBe(200);
  const [fac, con] = await Promise.all([owner, contributor].map((u) => connectSocket(s.url, u.cookie)));
  const all = async (): Promise<AuditEntry[]> => (await owner.call<Page>('GET', `${base}/audit?limit=200`)).body.items;
  const csv = async () => (await fetch(`${s.url}/api${base}/audit.csv`, { headers: { cookie: owner.cookie } })).text();
  return { owner, contributor, c, base, doc, fac: fac!, con: con!, all, csv };
}

describe('the conversation in the audit log', () => {
  it('keeps no words of a comment, so nothing its author deleted or a facilitator hid stays in the log or its CSV', async () => {
    const s = await startServer();
    const w = await openForComment(s);
    const thread = ok(await w.con.emitWithAck('thread:create', { documentId: w.doc.id, anchor: await liveAnchor(s.server, w.doc.id, 'the right to protest'), body: 'SECRET-ONE names a witness' }));
    const first = thread.comments[0]!.id;
    const reply = ok(await w.con.emitWithAck('comment:reply', { threadId: thread.id, body: 'SECRET-TWO' })).comments.at(-1)!.id;
    ok(await w.con.emitWithAck('comment:edit', { threadId: thread.id, commentId: reply, body: 'SECRET-THREE, longer' }));
    ok(await w.con.emitWithAck('comment:delete', { threadId: thread.id, commentId: reply }));
    ok(await w.fac.emitWithAck('moderation:hide', { threadId: thread.id, commentId: first, reason: 'Names a witness' }));
    // Deleted by its author while hidden: the moderation queue keeps the words for facilitators; the log never had them.
    ok(await w.con.emitWithAck('comment:delete', { threadId: thread.id, commentId: first }));

    const entries = await w.all();
    const conversation = entries.filter((e) => e.action.startsWith('comment.') || e.action.startsWith('thread.') || e.action.startsWith('moderation.'));
    // Entries made in the same millisecond have no set order.
    expect(conversation.map((e) => `${e.action} ${e.subject?.id}`).sort()).toEqual(
      [`comment.deleted ${first}`, `moderation.hidden ${first}`, `comment.deleted ${reply}`, `comment.edited ${reply}`, `comment.replied ${reply}`, `thread.created ${thread.id}`].sort(),
    );
    expect(conversation.filter((e) => e.action !== 'moderation.hidden').every((e) => e.subject?.name === 'the right to protest')).toBe(true);
    expect(conversation.find((e) => e.action === 'comment.edited')!.details.characters).toBe('SECRET-THREE, longer'.length);
    const text = await w.csv();
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.action)).toEqual(entries.map((e) => e.action));
    for (const secret of ['SECRET', 'witness Names', 'names a witness']) {
      expect(JSON.stringify(entries)).not.toContain(secret);
      expect(text).not.toContain(secret);
    }
  });

  it('never undoes or refuses a stored comment when the audit log cannot be written, and says so in the server log', async () => {
    const store = await openEmbeddedStore(await tempDir());
    let failing = false;
    // The store as the server sees it, except that audit entries cannot be written while `failing`.
    const broken = new Proxy(store, {
      get(target, key) {
        if (key !== 'collection') return Reflect.get(target, key, target) as unknown;
        return (name: string) => {
          const collection = target.collection(name);
          if (name !== 'audit') return collection;
          return new Proxy(collection, {
            get(c, k) {
              const value = Reflect.get(c, k, c) as unknown;
              if (k === 'insertOne') return (...args: unknown[]) => (failing ? Promise.reject(new Error('disk full')) : (value as (...a: unknown[]) => unknown).apply(c, args));
              return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(c) : value;
            },
          });
        };
      },
    });
    const { logger, lines } = capturingLogger();
    const s = await startServer({ store: broken, logger });
    const w = await openForComment(s);
    failing = true;
    const thread = ok(await w.con.emitWithAck('thread:create', { documentId: w.doc.id, anchor: await liveAnchor(s.server, w.doc.id), body: 'Kept anyway' }));
    const replied = ok(await w.con.emitWithAck('comment:reply', { threadId: thread.id, body: 'Also kept' }));
    failing = false;
    const listed = ok(await w.con.emitWithAck('threads:sync', { documentId: w.doc.id, since: 0 }));
    expect(listed.threads.find((t) => t.id === thread.id)!.comments.map((c) => c.body)).toEqual(['Kept anyway', 'Also kept']);
    expect(replied.comments).toHaveLength(2);
    expect(lines.filter((l) => l.msg === 'recording a comment change in the audit log failed')).toHaveLength(2);
    expect((await w.all()).some((e) => e.action === 'thread.created' || e.action === 'comment.replied')).toBe(false);
    // Once the store works again, so does the log.
    ok(await w.fac.emitWithAck('thread:status', { threadId: thread.id, status: 'resolved' }));
    expect((await w.all())[0]).toMatchObject({ action: 'thread.resolved', subject: { id: thread.id } });
  });
});

describe('the audit CSV and hidden identities', () => {
  it('carries every entry, with each member\'s alias, as csv-parse reads it back', async () => {
    const s = await startServer();
    const w = await eventfulConsultation(s);
    const entries = await w.all();
    const text = await (await fetch(`${s.url}/api${w.base}/audit.csv`, { headers: { cookie: w.owner.cookie } })).text();
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.action, r.subject_id])).toEqual(entries.map((e) => [e.action, e.subject?.id ?? '']));
    expect(new Set(rows.map((r) => r.action))).toEqual(new Set(entries.map((e) => e.action)));
    // Identities were hidden: each member's rows carry the alias others saw, kept even for the contributor removed since.
    const of = (id: string) => rows.filter((r) => r.actor_member_id === id);
    expect(of(w.ids.contributor).length).toBeGreaterThan(0);
    expect(of(w.ids.contributor).every((r) => r.actor_alias === String(w.aliases[w.ids.contributor]))).toBe(true);
    expect(of(w.ids.drafter).every((r) => r.actor_alias === String(w.aliases[w.ids.drafter]))).toBe(true);
    const removed = rows.find((r) => r.action === 'member.removed')!;
    expect([removed.subject_name, removed.subject_alias]).toEqual([w.contributor.me.displayName, String(w.aliases[w.ids.contributor])]);
    // A facilitator, who moderates, reads names (identityVisible).
    expect(of(w.ids.contributor).every((r) => r.actor_name === w.contributor.me.displayName)).toBe(true);
    // Positions: the group, never a member.
    const positions = rows.filter((r) => r.action.startsWith('position.'));
    expect(positions.map((r) => [r.actor_member_id, r.actor_name, r.actor_alias, r.actor_group])).toEqual(Array(3).fill(['', '', '', 'civil_society']));
    expect(rows.find((r) => r.action === 'proposal.accepted')).toMatchObject({ subject_type: 'thread', subject_name: 'passage', details: expect.stringContaining('replaced=passage; wording=Better wording') });
    expect(rows.find((r) => r.action === 'proposal.declined')).toMatchObject({ reason: 'Out of scope', subject_name: 'clause' });
    expect(text).not.toContain('We disagree');
  });

  it('names a member only to a reader who may see who they are, and gives everyone their alias', () => {
    // Hiding was on, then turned off: only who chose to be named since is named to other members.
    const consultation = { hideIdentities: false, hidingEpoch: 2 };
    const members = new Map(
      [
        { _id: 'm-hidden', role: 'contributor', alias: 7, namedInEpoch: null },
        { _id: 'm-named', role: 'contributor', alias: 8, namedInEpoch: 2 },
        { _id: 'm-drafter', role: 'drafter', alias: 9, namedInEpoch: null },
      ].map((m) => [m._id, { ...m, consultationId: 'c', userId: `u-${m._id}`, group: 'civil_society', organisation: null, joinedAt: '' } as MembershipRecord]),
    );
    const entry = (memberId: string, subject: AuditEntry['subject'] = null): AuditEntry => ({
      id: `e-${memberId}`,
      action: 'comment.replied',
      at: '2026-12-01T00:00:00.000Z',
      actor: { memberId, displayName: `Name of ${memberId}`, role: members.get(memberId)?.role ?? 'contributor', group: 'civil_society' },
      subject,
      reason: null,
      details: {},
    });
    const entries = [
      entry('m-hidden'),
      entry('m-named'),
      entry('m-drafter', { type: 'member', id: 'm-hidden', name: 'Name of m-hidden' }),
      // Removed since, with the alias the entry kept: judged as someone who never chose to be named.
      { ...entry('m-gone'), actor: { memberId: 'm-gone', displayName: 'Name of m-gone', alias: 11, role: 'contributor' as const, group: 'civil_society' as const } },
    ];
    const read = (viewer: { _id: string; role: MembershipRecord['role'] }) =>
      parse(auditCsv(withIdentities(entries, consultation, viewer, members)), { bom: true, columns: true }) as Record<string, string>[];

    const byDrafter = read({ _id: 'm-drafter', role: 'drafter' });
    expect(byDrafter.map((r) => [r.actor_name, r.actor_alias])).toEqual([
      ['', '7'],
      ['Name of m-named', '8'],
      ['Name of m-drafter', '9'],
      ['', '11'],
    ]);
    expect([byDrafter[2]!.subject_name, byDrafter[2]!.subject_alias]).toEqual(['', '7']);
    // Members see themselves; facilitators see everyone.
    expect(read({ _id: 'm-hidden', role: 'contributor' })[0]!.actor_name).toBe('Name of m-hidden');
    expect(read({ _id: 'm-fac', role: 'facilitator' }).map((r) => r.actor_name)).toEqual(['Name of m-hidden', 'Name of m-named', 'Name of m-drafter', 'Name of m-gone']);
  });
});
