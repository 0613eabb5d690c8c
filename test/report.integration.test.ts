import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import mammoth from 'mammoth';
import JSZip from 'jszip';
import { fragmentName } from '../shared/collab.ts';
import type { Thread } from '../shared/comments.ts';
import type { ReportJob } from '../shared/report.ts';
import type { Poll } from '../shared/polls.ts';
import type { ModerationItem } from '../shared/moderation.ts';
import type { StakeholderGroup } from '../shared/groups.ts';
import { registerUser, startServer, type TestServer, type TestUser } from './helpers/server.ts';
import { consultationRoom, liveMeeting, ok, type Room } from './helpers/meetings.ts';
import { anchorOn } from './helpers/comments.ts';
import { writePlan } from './helpers/plan.ts';
import { eventually } from './helpers/yjs.ts';
import { pdfText } from './helpers/pdf.ts';
import { findChromium } from './helpers/browser.ts';
import { catalogues } from '../client/src/lib/i18n/all-catalogues.ts';

const { en, fr, ar } = catalogues;

/**
 * The consultation report and a meeting's minutes, made through the API by
 * real members after a real consultation (threads, positions, proposals
 * accepted and declined, a hidden comment, a poll voted by two groups), then
 * read back with mammoth (DOCX) and pdf.js (PDF) and compared with what the
 * consultation holds.
 */

const hiddenWords = 'HIDDEN-INSULT-7731 you are a traitor';
const acceptedProposal = 'Everyone may assemble peacefully without prior authorisation';
const declinedProposal = 'Courts shall decide within six months';
const declineReason = 'Outside the scope of this plan: a matter for the procedure code';
const hideReason = 'Personal attack';

let s: TestServer;
let room: Room;
let outsider: TestUser;
let meetingId: string;
let nhriAlias: number;
let pollId: string;
let threads: Thread[];

const mail = (p: TestUser) => p.me.email;
const people = () => Object.values(room.people) as TestUser[];

function paragraph(name: string, text: string, attrs: Record<string, string> = {}): { el: Y.XmlElement; text: Y.XmlText } {
  const el = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  const content = new Y.XmlText(text);
  el.insert(0, [content]);
  return { el, text: content };
}

beforeAll(async () => {
  s = await startServer();
  room = await consultationRoom(s);
  outsider = await registerUser(s.url, 'Stranger Danger');
  const so = room.sockets;
  const documentId = room.document.id;

  // The text, as the editor stores it: two headed sections.
  const live = await s.server.rooms.acquire(documentId);
  const h1 = paragraph('heading', 'Freedom of assembly', { level: '2' });
  const p1 = paragraph('paragraph', 'Everyone may assemble peacefully in public places.');
  const h2 = paragraph('heading', 'Access to justice', { level: '2' });
  const p2 = paragraph('paragraph', 'Courts shall decide within a reasonable time.');
  live.doc.getXmlFragment(fragmentName).insert(0, [h1.el, p1.el, h2.el, p2.el]);
  // Then the plan's blocks: a goal, an objective and an action with its fields.
  writePlan(live.doc.getXmlFragment(fragmentName), [
    { id: 'g1', title: 'Justice', objectives: [{ id: 'o1', title: 'Courts', actions: [{ id: 'a1', title: 'Train magistrates', description: 'In all 47 counties.', attrs: { lead: 'Ministry of Justice', status: 'in_progress' } }] }] },
  ]);
  const action = ((((live.doc.getXmlFragment(fragmentName).get(4) as Y.XmlElement).get(1) as Y.XmlElement).get(1) as Y.XmlElement).get(1) as Y.XmlElement).get(0) as Y.XmlText;
  s.server.rooms.release(live);

  // Thread 1 (civil society) with a proposal the drafter accepts; three groups take positions; a reply is hidden.
  let t1 = ok(await so.cso1.emitWithAck('thread:create', { documentId, anchor: anchorOn(p1.text, 'assemble peacefully in public places'), body: 'Prior authorisation is used to ban protests.', proposal: acceptedProposal.replace('Everyone may ', '') }));
  ok(await so.nhri.emitWithAck('thread:position', { threadId: t1.id, stance: 'support' }));
  ok(await so.cso2.emitWithAck('thread:position', { threadId: t1.id, stance: 'support' }));
  ok(await so.gov.emitWithAck('thread:position', { threadId: t1.id, stance: 'object' }));
  t1 = ok(await so.cso2.emitWithAck('comment:reply', { threadId: t1.id, body: hiddenWords }));
  ok(await so.facilitator.emitWithAck('moderation:hide', { threadId: t1.id, commentId: t1.comments[1]!.id, reason: hideReason }));
  t1 = ok(await so.gov.emitWithAck('proposal:decide', { threadId: t1.id, decision: 'accept', passage: 'assemble peacefully in public places' }));

  // Thread 2 (NHRI) with a proposal the drafter declines, with a reason; a member reports the NHRI's comment.
  let t2 = ok(await so.nhri.emitWithAck('thread:create', { documentId, anchor: anchorOn(p2.text, 'Courts shall decide within a reasonable time'), body: 'A reasonable time is too vague.', proposal: declinedProposal }));
  ok(await so.cso1.emitWithAck('thread:position', { threadId: t2.id, stance: 'object' }));
  ok(await so.gov.emitWithAck('comment:reply', { threadId: t2.id, body: 'We will take this up with the judiciary.' }));
  t2 = ok(await so.gov.emitWithAck('proposal:decide', { threadId: t2.id, decision: 'decline', reason: declineReason }));
  ok(await so.observer.emitWithAck('comment:flag', { threadId: t2.id, commentId: t2.comments[0]!.id, reason: 'Off topic' }));
  // Thread 3 (the facilitator) on the action's description: it belongs under the action.
  ok(await so.facilitator.emitWithAck('thread:create', { documentId, anchor: anchorOn(action, '47 counties'), body: 'Which counties come first?' }));
  threads = ok(await so.facilitator.emitWithAck('document:watch', documentId)).threads;

  // A meeting with a poll that two groups vote in, then closed.
  const meeting = await liveMeeting(room);
  meetingId = meeting.id;
  const poll = ok(await so.facilitator.emitWithAck('poll:open', { meetingId, question: 'Keep chapter 1 as amended?', options: ['Yes', 'No'] }));
  pollId = poll.id;
  ok(await so.cso1.emitWithAck('poll:vote', { pollId, option: 0 }));
  ok(await so.cso2.emitWithAck('poll:vote', { pollId, option: 0 }));
  ok(await so.nhri.emitWithAck('poll:vote', { pollId, option: 1 }));
  ok(await so.facilitator.emitWithAck('poll:close', { pollId }));
  // A turn at the floor for the NHRI and a decision noted live: the minutes the report reads.
  ok(await so.nhri.emitWithAck('hand:raise', { meetingId }));
  ok(await so.facilitator.emitWithAck('floor:give', { meetingId, to: 'next' }));
  ok(await so.facilitator.emitWithAck('minutes:decision', { meetingId, text: 'Chapter 1 is kept as amended' }));
  ok(await so.facilitator.emitWithAck('floor:give', { meetingId, to: null }));
  // The turn lasted however long the test took; make it two and a half minutes, so the figures are known.
  const speeches = s.store.collection<{ _id: string; meetingId: string; endedAt: string | null; seconds: number }>('minutes_speeches');
  const turns = await speeches.find({ meetingId });
  expect(turns).toHaveLength(1);
  expect(turns[0]!.endedAt).not.toBeNull();
  await speeches.updateOne({ _id: turns[0]!._id }, { $set: { seconds: 150 } });
  const minutes = (await room.owner.call<{ speeches: { seconds: number; speaker: { alias: number; group: string } }[] }>('GET', `/meetings/${meetingId}/minutes`)).body;
  expect(minutes.speeches).toMatchObject([{ seconds: 150, speaker: { group: 'nhri' } }]);
  nhriAlias = minutes.speeches[0]!.speaker.alias;
}, 120_000);

/** Asks for a report and follows its progress to the end; the steps seen never go back. */
async function makeReport(as: TestUser, format: 'docx' | 'pdf', lang = 'en'): Promise<{ job: ReportJob; bytes: Buffer; seen: number[] }> {
  const created = await as.call<ReportJob>('POST', `/consultations/${room.consultation.id}/reports`, { format, lang });
  expect(created.status).toBe(202);
  expect(created.headers.get('location')).toBe(`/api/reports/${created.body.id}`);
  let job = created.body;
  const seen = [job.done];
  await eventually(async () => {
    job = (await as.call<ReportJob>('GET', `/reports/${created.body.id}`)).body;
    seen.push(job.done);
    return job.status !== 'running';
  }, 'the report to be made', 90_000);
  expect(job).toMatchObject({ status: 'done', error: null });
  expect(job.done).toBe(job.total);
  const res = await fetch(`${s.url}/api/reports/${job.id}/file`, { headers: { cookie: as.cookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain(format === 'docx' ? 'wordprocessingml' : 'application/pdf');
  expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain(`${room.consultation.title}.${format}`);
  return { job, bytes: Buffer.from(await res.arrayBuffer()), seen };
}

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

/** What the report must say, from the consultation as its members see it through the API. */
async function expectations() {
  const c = room.consultation.id;
  const moderation = (await room.owner.call<{ items: ModerationItem[] }>('GET', `/consultations/${c}/moderation`)).body.items;
  const poll = (await room.owner.call<Poll>('GET', `/polls/${pollId}`)).body;
  return { moderation, poll };
}

function checkReportText(raw: string, moderation: ModerationItem[], poll: Poll) {
  const text = flat(raw);
  // The text of the document, current (with the accepted wording).
  expect(text).toContain('Freedom of assembly');
  expect(text).toContain(`${acceptedProposal}.`);
  expect(text).toContain('Courts shall decide within a reasonable time.');
  // Every thread's shown comments, its proposal, outcome and reason; grouped under its section.
  for (const t of threads) for (const c of t.comments) if (c.body) expect(text).toContain(c.body);
  expect(text).toContain(`Proposed wording: “${declinedProposal}”`);
  expect(text).toContain('Proposal: accepted');
  expect(text).toContain('Proposal: declined');
  expect(text).toContain(`Drafter’s reason: ${declineReason}`);
  expect(text).toContain('Wording it replaced: “assemble peacefully in public places”');
  expect(text.indexOf('Comments by section')).toBeGreaterThan(-1);
  const threadsPart = text.slice(text.indexOf('Comments by section'));
  expect(threadsPart.indexOf('Freedom of assembly')).toBeLessThan(threadsPart.indexOf('Prior authorisation is used'));
  expect(threadsPart.indexOf('Access to justice')).toBeLessThan(threadsPart.indexOf('A reasonable time is too vague.'));
  expect(threadsPart.indexOf('Prior authorisation is used')).toBeLessThan(threadsPart.indexOf('Access to justice'));
  expect(threadsPart.indexOf('1.1.1 Train magistrates')).toBeGreaterThan(threadsPart.indexOf('A reasonable time is too vague.'));
  expect(threadsPart.indexOf('1.1.1 Train magistrates')).toBeLessThan(threadsPart.indexOf('Which counties come first?'));
  // The plan's blocks, numbered, with the action's fields labelled as in the plan's exports.
  expect(text).toContain('1 Justice 1.1 Courts 1.1.1 Train magistrates');
  expect(text).toContain('Status: In progress');
  expect(text).toContain('Lead institution: Ministry of Justice');
  expect(text).toContain('Comment hidden by a facilitator.');
  // Authors by alias and group, as members see them.
  for (const t of threads) for (const c of t.comments) expect(text).toContain(`${en[`alias.${c.author.group}`].replace('{alias}', String(c.author.alias))}`);
  // Positions by group: thread 1 had support from the NHRI and civil society, an objection from government.
  const t1 = threads.find((t) => t.comments[0]!.body === 'Prior authorisation is used to ban protests.')!;
  expect(t1.counts).toMatchObject({ nhri: { support: 1 }, civil_society: { support: 1 }, government: { object: 1 } });
  // Participation by group, from what happened above.
  const row = (group: StakeholderGroup, values: number[]) => `${en[`groups.${group}`]} ${values.join(' ')}`;
  // invited, joined, active, comments, positions, proposals, accepted, speaking minutes
  expect(text).toContain(row('civil_society', [2, 2, 2, 2, 2, 1, 1, 0]));
  expect(text).toContain(row('nhri', [1, 1, 1, 1, 1, 1, 0, 2.5]));
  expect(text).toContain(row('government', [1, 1, 1, 1, 1, 0, 0, 0]));
  expect(text).toContain(row('international', [1, 1, 0, 0, 0, 0, 0, 0]));
  expect(text).toContain(row('other', [0, 1, 1, 1, 0, 0, 0, 0]));
  expect(text).toContain('Members by group: invited, joined and active');
  // Poll results by group, as the poll itself reports them.
  expect(poll.results).toMatchObject({ total: 3, byOption: [2, 1], byGroup: { civil_society: [2, 0], nhri: [0, 1] } });
  expect(text).toContain('Keep chapter 1 as amended?');
  expect(text).toContain(`Yes ${poll.results!.byOption[0]} ${poll.results!.byGroup.nhri[0]} ${poll.results!.byGroup.civil_society[0]}`);
  expect(text).toContain(`No ${poll.results!.byOption[1]} ${poll.results!.byGroup.nhri[1]} ${poll.results!.byGroup.civil_society[1]}`);
  // Minutes of the meeting.
  expect(text).toContain('Minutes: Validation workshop');
  expect(text).toContain('Chapter 1: civic space');
  expect(text).toContain('Chapter 1 is kept as amended');
  expect(text).toContain(`${en['alias.nhri'].replace('{alias}', String(nhriAlias))} (${en['groups.nhri']}): 2 min 30 s`);
  // Moderation: counts by status and by reason, as the facilitators' queue holds them.
  const count = (status: string) => moderation.filter((m) => m.status === status).length;
  expect(count('hidden')).toBe(1);
  expect(count('pending')).toBe(1);
  expect(text).toContain(`Reported comments awaiting a decision ${count('pending')}`);
  expect(text).toContain(`Reported comments hidden ${count('hidden')}`);
  expect(text).toContain(`${hideReason} 1`);
  // Never the hidden words, nor a name or an e-mail of anyone.
  expect(text).not.toContain('HIDDEN-INSULT');
  expect(text).not.toContain('traitor');
  for (const p of people()) {
    expect(text).not.toContain(p.me.displayName);
    expect(text).not.toContain(mail(p));
  }
}

describe('the consultation report', () => {
  it('as DOCX: the text, threads by section, participation, polls, minutes and moderation, read back with mammoth', async () => {
    const { moderation, poll } = await expectations();
    const { bytes, seen, job } = await makeReport(room.people.gov, 'docx');
    expect(job.total).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const { value } = await mammoth.extractRawText({ buffer: bytes });
    checkReportText(value, moderation, poll);
    // The charts: bars are shaded table cells, one colour per series.
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
    for (const colour of ['0072B2', 'D55E00', '009E73']) expect(xml).toContain(`w:fill="${colour}"`);
  });

  it.runIf(findChromium())('as PDF: the same, read back with pdf.js', async () => {
    const { moderation, poll } = await expectations();
    const { bytes } = await makeReport(room.owner, 'pdf');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    checkReportText(await pdfText(bytes), moderation, poll);
  });

  it('in the language asked for: French labels', async () => {
    const { bytes } = await makeReport(room.owner, 'docx', 'fr');
    const text = flat((await mammoth.extractRawText({ buffer: bytes })).value);
    expect(text).toContain(fr['report.participation']);
    expect(text).toContain(fr['groups.civil_society']);
    expect(text).not.toContain(en['report.participation']);
  });

  it('in Arabic: Arabic labels in right-to-left paragraphs', async () => {
    const { bytes } = await makeReport(room.owner, 'docx', 'ar');
    const text = flat((await mammoth.extractRawText({ buffer: bytes })).value);
    expect(text).toContain(ar['report.participation']);
    expect(text).toContain(ar['groups.civil_society']);
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
    expect(xml).toContain('<w:bidi/>');
    expect(xml).toContain('<w:rtl/>');
  });

  it('is refused to a stranger (404), to a role the table does not allow (403); a job is its owner’s alone', async () => {
    const c = room.consultation.id;
    expect((await outsider.call('POST', `/consultations/${c}/reports`, { format: 'docx' })).status).toBe(404);
    expect(await room.people.observer.call('POST', `/consultations/${c}/reports`, { format: 'docx' })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await room.people.cso1.call('POST', `/consultations/${c}/reports`, { format: 'docx' })).toMatchObject({ status: 403 });
    const created = await room.people.gov.call<ReportJob>('POST', `/consultations/${c}/reports`, { format: 'docx' });
    expect(created.status).toBe(202);
    expect((await room.owner.call('GET', `/reports/${created.body.id}`)).status).toBe(404);
    expect((await outsider.call('GET', `/reports/${created.body.id}/file`)).status).toBe(404);
    expect((await room.people.gov.call('POST', `/consultations/${c}/reports`, { format: 'odt' })).status).toBe(400);
  });
});

describe('the API description', () => {
  it('lists the report and minutes endpoints', async () => {
    const spec = (await (await fetch(`${s.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(spec.paths['/api/consultations/{id}/reports']!.post!.responses)).toContain('202');
    expect(spec.paths['/api/reports/{id}']!.get).toBeDefined();
    expect(spec.paths['/api/reports/{id}/file']!.get).toBeDefined();
    expect(spec.paths['/api/meetings/{id}/minutes.docx']!.get).toBeDefined();
    expect(Object.keys(spec.paths['/api/meetings/{id}/minutes.pdf']!.get!.responses)).toContain('503');
  });
});

describe("a meeting's minutes as files", () => {
  const download = (as: TestUser, format: string) => fetch(`${s.url}/api/meetings/${meetingId}/minutes.${format}?lang=en`, { headers: { cookie: as.cookie } });

  it('DOCX for any member: title, agenda, polls by group; never a name', async () => {
    const res = await download(room.people.observer, 'docx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('Validation workshop.docx');
    const text = flat((await mammoth.extractRawText({ buffer: Buffer.from(await res.arrayBuffer()) })).value);
    expect(text).toContain('Minutes: Validation workshop');
    for (const item of ['Opening', 'Chapter 1: civic space', 'Chapter 2: justice', 'Closing']) expect(text).toContain(item);
    expect(text).toContain('Keep chapter 1 as amended?');
    expect(text).toContain('3 votes');
    expect(text).toContain('Yes 2 0 2');
    for (const p of people()) expect(text).not.toContain(p.me.displayName);
  });

  it.runIf(findChromium())('PDF, read back with pdf.js', async () => {
    const res = await download(room.people.cso2, 'pdf');
    expect(res.status).toBe(200);
    const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(text).toContain('Minutes: Validation workshop');
    expect(flat(text)).toContain('Yes 2 0 2');
  });

  it('is not found for a stranger, nor for a meeting that does not exist', async () => {
    // The same address serves a member: the stranger's 404 is a refusal, not a missing route.
    expect((await download(room.owner, 'docx')).status).toBe(200);
    expect((await download(outsider, 'docx')).status).toBe(404);
    const res = await fetch(`${s.url}/api/meetings/00000000-0000-4000-8000-000000000000/minutes.docx`, { headers: { cookie: room.owner.cookie } });
    expect(res.status).toBe(404);
  });
});
