import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { actions, actionsBlockedWhenMuted, blockedWhenMuted, can, permissionTable, roles, type Action, type Role } from '../shared/permissions.ts';
import { phases, type Phase } from '../shared/groups.ts';
import type { Consultation, DocumentMeta } from '../shared/schemas.ts';
import type { Member } from '../shared/accounts.ts';
import type { Meeting } from '../shared/meetings.ts';
import type { Poll } from '../shared/polls.ts';
import { startServer, registerUser, addMember, type TestServer, type TestUser, type ApiResult, storedText } from './helpers/server.ts';
import { connectSocket } from './helpers/socket.ts';
import { liveAnchor } from './helpers/comments.ts';
import { rawYjsSocket, updateFrame, eventually } from './helpers/yjs.ts';
import { uploadRecommendations } from './helpers/recommendations.ts';
import { connectYjs } from './helpers/yjs.ts';
import { writePlan, planBlock } from './helpers/plan.ts';
import { fragmentName } from '../shared/collab.ts';
import { downloadArchive } from './helpers/archive.ts';

/**
 * Every cell of the permission table (action × phase × role), asserted over
 * the real channels. The expectations come from `can`, so a change to the
 * table changes the tests, and a server that enforces something else fails.
 */
interface World {
  consultation: Consultation;
  document: DocumentMeta;
  people: Record<Role, TestUser>;
  observerMemberId: string;
  contributorMemberId: string;
  threadId: string;
  commentId: string;
  /** A meeting started in preparation: live in every phase until adoption ends it. */
  meetingId: string;
  pollId: string;
  /** A version made in preparation, to restore. */
  versionId: string;
}

const socketActions = [
  'comment.view',
  'comment.create',
  'comment.reply',
  'comment.position',
  'comment.resolve',
  'proposal.decide',
  'meeting.attend',
  'meeting.speak',
  'poll.manage',
  'poll.vote',
  'moderation.flag',
] as const;
type SocketAction = (typeof socketActions)[number];
/** Actions that decide what a view shows rather than whether a request succeeds; each has its own block below. */
const viewFilters = ['votes.view'] as const;
/** Actions enforced inside the Yjs protocol, each with its own block below. */
const yjsActions = ['document.edit', 'plan.structure', 'plan.link'] as const;
type RestAction = Exclude<Action, SocketAction | (typeof yjsActions)[number] | (typeof viewFilters)[number]>;
const isRest = (a: Action): a is RestAction =>
  !(yjsActions as readonly string[]).includes(a) && !(socketActions as readonly string[]).includes(a) && !(viewFilters as readonly string[]).includes(a);

/** An anchor on words the server holds in the document (the server reads the quote itself). */
const anchor = (documentId: string) => liveAnchor(server.server, documentId);

let server: TestServer;
const worlds = new Map<Phase, World>();
/** An extra consultation open for comment whose contributor is muted. */
let mutedWorld: World;

async function makeWorld(phase: Phase): Promise<World> {
  const facilitator = await registerUser(server.url, `Facilitator ${phase}`);
  const consultation = (await facilitator.call<Consultation>('POST', '/consultations', { title: `In ${phase}` })).body;
  const document = (await facilitator.call<DocumentMeta>('POST', `/consultations/${consultation.id}/documents`, { title: 'Plan' })).body;
  const people = { facilitator } as Record<Role, TestUser>;
  for (const role of roles.filter((r) => r !== 'facilitator')) people[role] = await addMember(server.url, facilitator, consultation.id, role);
  const members = (await facilitator.call<Member[]>('GET', `/consultations/${consultation.id}/members`)).body;
  // One recommendation to edit, added while anyone allowed may still add one.
  const added = await facilitator.call('POST', `/consultations/${consultation.id}/recommendations`, { id: 'REC-1', text: 'Ratify the Optional Protocol' });
  if (added.status !== 201) throw new Error(`could not add a recommendation: ${added.status}`);
  // A goal, an objective and an action, to add actions to and link (plan.structure, plan.link).
  const editor = connectYjs(server.wsUrl, document.id, { cookie: facilitator.cookie, keep: false });
  await editor.synced;
  writePlan(editor.doc.getXmlFragment(fragmentName), [{ id: 'g1', title: 'Justice', objectives: [{ id: 'o1', title: 'Courts', actions: [{ id: 'a1', title: 'Train judges' }] }] }]);
  await eventually(async () => goalOf(await storedPlan(document.id)) !== undefined, 'the plan to be stored');
  editor.destroy();
  const socket = await connectSocket(server.url, facilitator.cookie);
  const thread = await socket.emitWithAck('thread:create', { documentId: document.id, anchor: await anchor(document.id), body: 'Is this wording right?', proposal: 'Better wording' });
  if (!thread.ok) throw new Error(`could not create a thread: ${thread.error.code}`);
  const meeting = await facilitator.call<Meeting>('POST', `/consultations/${consultation.id}/meetings`, { title: 'Validation session', startsAt: new Date().toISOString(), agenda: ['Opening'] });
  if (meeting.status !== 201) throw new Error(`could not schedule a meeting: ${meeting.status}`);
  const started = await socket.emitWithAck('meeting:start', { meetingId: meeting.body.id });
  // Named, with results shown as votes come in, so that who may see who voted what is observable.
  const poll = await socket.emitWithAck('poll:open', { meetingId: meeting.body.id, question: 'Agree?', options: ['Yes', 'No'], anonymous: false, resultsVisibility: 'always' });
  if (!started.ok || !poll.ok) throw new Error('could not start the meeting or open a poll');
  socket.close();
  const version = await facilitator.call<{ id: string }>('POST', `/documents/${document.id}/versions`, { name: 'Before the matrix' });
  if (version.status !== 201) throw new Error(`could not make a version: ${version.status}`);
  for (const next of phases.slice(1, phases.indexOf(phase) + 1)) {
    // The thread's pending proposal lapses at adoption, which the facilitator confirms.
    const moved = await facilitator.call('POST', `/consultations/${consultation.id}/phase`, { phase: next, confirm: true });
    if (moved.status !== 200) throw new Error(`could not move to ${next}: ${moved.status}`);
  }
  const memberId = (role: Role) => members.find((m) => m.role === role)!.id;
  return {
    consultation,
    document,
    people,
    observerMemberId: memberId('observer'),
    contributorMemberId: memberId('contributor'),
    threadId: thread.data.id,
    commentId: thread.data.comments[0]!.id,
    meetingId: meeting.body.id,
    pollId: poll.data.id,
    versionId: version.body.id,
  };
}

beforeAll(async () => {
  server = await startServer();
  for (const phase of phases) worlds.set(phase, await makeWorld(phase));
  mutedWorld = await makeWorld('open_for_comment');
  const muted = await mutedWorld.people.facilitator.call('POST', `/consultations/${mutedWorld.consultation.id}/members/${mutedWorld.contributorMemberId}/mute`, { minutes: 60, reason: 'Matrix' });
  if (muted.status !== 200) throw new Error(`could not mute: ${muted.status}`);
}, 180_000);

/** One REST request that exercises exactly this action and nothing more lasting. */
function restAttempt(action: RestAction, w: World, phase: Phase, as: TestUser): Promise<ApiResult<unknown>> {
  const c = `/consultations/${w.consultation.id}`;
  switch (action) {
    case 'consultation.view':
      return as.call('GET', c);
    case 'consultation.update':
      return as.call('PATCH', c, { summary: `checked by ${as.me.displayName}` });
    case 'consultation.changePhase':
      // Moving to the phase it is already in: allowed callers get past the permission check to 409.
      return as.call('POST', `${c}/phase`, { phase });
    case 'members.view':
      return as.call('GET', `${c}/members`);
    case 'members.manage':
      return as.call('PATCH', `${c}/members/${w.observerMemberId}`, { organisation: 'Checked' });
    case 'invitations.manage':
      return as.call('GET', `${c}/invitations`);
    case 'document.create':
      return as.call('POST', `${c}/documents`, { title: 'Annex' });
    case 'document.view':
      return as.call('GET', `/documents/${w.document.id}`);
    case 'document.lock':
      return as.call('POST', `/documents/${w.document.id}/lock`, { locked: false });
    case 'document.rename':
      // The same title again: allowed callers get past the permission check to a change of nothing.
      return as.call('PATCH', `/documents/${w.document.id}`, { title: w.document.title });
    case 'document.archive':
      // Restoring a document that is not archived: allowed callers get past the permission check to 409.
      return as.call('POST', `/documents/${w.document.id}/restore`, {});
    case 'meeting.view':
      return as.call('GET', `${c}/meetings`);
    case 'meeting.manage':
      return as.call('POST', `${c}/meetings`, { title: 'Follow-up', startsAt: new Date().toISOString() });
    case 'moderation.manage':
      return as.call('GET', `${c}/moderation`);
    case 'audit.view':
      return as.call('GET', `${c}/audit`);
    case 'identity.choose':
      return as.call('PUT', `${c}/identity`, { showName: false });
    case 'recommendation.view':
      return as.call('GET', `${c}/recommendations`);
    case 'recommendation.import':
      // The preview: it goes through the import's permission check and stores nothing.
      return uploadRecommendations(server.url, as, w.consultation.id, 'Annotation ID,Text\nREC-2,Protect journalists\n');
    case 'recommendation.edit':
      // The same text again: allowed callers get past the permission check to a change of nothing.
      return as.call('PATCH', `${c}/recommendations/REC-1`, { text: 'Ratify the Optional Protocol' });
    case 'version.create':
      return as.call('POST', `/documents/${w.document.id}/versions`, { name: `By ${as.me.displayName}` });
    case 'version.restore':
      return as.call('POST', `/documents/${w.document.id}/versions/${w.versionId}/restore`);
    case 'minutes.view':
      return as.call('GET', `/meetings/${w.meetingId}/minutes`);
    case 'minutes.edit':
      return as.call('PATCH', `/meetings/${w.meetingId}/minutes/notes`, { general: `Checked by ${as.me.displayName}` });
    case 'archive.export':
      return downloadArchive(server.url, as, w.consultation.id);
    case 'report.export':
      return reportAttempt(as, `${c}/reports`);
    case 'minutes.export':
      return minutesStatus(as, w);
  }
}

/** Asks for a report and, when a job starts (202), waits for it to end, so that jobs do not pile up against the server's limit. */
async function reportAttempt(as: TestUser, route: string): Promise<ApiResult<unknown>> {
  const res = await as.call<{ id: string }>('POST', route, { format: 'docx', lang: 'en' });
  if (res.status === 202) await eventually(async () => (await as.call<{ status: string }>('GET', `/reports/${res.body.id}`)).body.status !== 'running', 'the report job to end');
  return res;
}

/** The minutes download's status, without reading the DOCX as JSON. */
async function minutesStatus(as: TestUser, w: World): Promise<ApiResult<unknown>> {
  const res = await fetch(`${server.url}/api/meetings/${w.meetingId}/minutes.docx`, { headers: { cookie: as.cookie } });
  return { status: res.status, body: res.ok ? null : await res.json(), headers: res.headers };
}

const allowedStatus = (action: Action) =>
  action === 'report.export' ? 202 : action === 'consultation.changePhase' || action === 'document.archive' ? 409 : action === 'members.manage' || action === 'identity.choose' ? 204 : action === 'document.create' || action === 'meeting.manage' || action === 'version.create' || action === 'version.restore' ? 201 : 200;

describe('the permission table, enforced over REST', () => {
  for (const action of actions.filter(isRest)) {
    for (const phase of phases) {
      for (const role of roles) {
        const allowed = can(role, phase, action);
        it(`${action} by a ${role} in ${phase}: ${allowed ? 'allowed' : 'denied'}`, async () => {
          const w = worlds.get(phase)!;
          const res = await restAttempt(action, w, phase, w.people[role]);
          if (allowed) expect(res.status).toBe(allowedStatus(action));
          else expect(res).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
        });
      }
      it(`${action} by a non-member in ${phase}: not found`, async () => {
        const w = worlds.get(phase)!;
        const res = await restAttempt(action, w, phase, await registerUser(server.url));
        expect(res.status).toBe(404);
      });
    }
  }
});

/** One Socket.IO event that exercises exactly this action. */
async function socketAttempt(action: SocketAction, w: World, as: TestUser) {
  const socket = await connectSocket(server.url, as.cookie);
  const threadId = w.threadId;
  switch (action) {
    case 'comment.view':
      return socket.emitWithAck('document:watch', w.document.id);
    case 'comment.create':
      return socket.emitWithAck('thread:create', { documentId: w.document.id, anchor: await anchor(w.document.id), body: 'A comment' });
    case 'comment.reply':
      return socket.emitWithAck('comment:reply', { threadId, body: 'A reply' });
    case 'comment.position':
      return socket.emitWithAck('thread:position', { threadId, stance: 'support' });
    case 'comment.resolve':
      return socket.emitWithAck('thread:status', { threadId, status: 'open' });
    case 'proposal.decide':
      // Only the first allowed caller finds the proposal pending; the others get past the check to a conflict.
      return socket.emitWithAck('proposal:decide', { threadId, decision: 'decline', reason: 'Checked' });
    case 'meeting.attend':
      return socket.emitWithAck('meeting:join', w.meetingId);
    case 'meeting.speak':
      return socket.emitWithAck('hand:raise', { meetingId: w.meetingId });
    case 'poll.manage':
      return socket.emitWithAck('poll:open', { meetingId: w.meetingId, question: 'Another?', options: ['A', 'B'] });
    case 'poll.vote':
      return socket.emitWithAck('poll:vote', { pollId: w.pollId, option: 1 });
    case 'moderation.flag':
      return socket.emitWithAck('comment:flag', { threadId, commentId: w.commentId, reason: 'Checked' });
  }
}

describe('reading versions, which follows document.view', () => {
  for (const phase of phases) {
    for (const role of roles) {
      const allowed = can(role, phase, 'document.view');
      it(`the version list and a version by a ${role} in ${phase}: ${allowed ? 'allowed' : 'denied'}`, async () => {
        const w = worlds.get(phase)!;
        const reads = [await w.people[role].call('GET', `/documents/${w.document.id}/versions`), await w.people[role].call('GET', `/documents/${w.document.id}/versions/${w.versionId}`)];
        for (const res of reads) expect(res.status).toBe(allowed ? 200 : 403);
      });
    }
    it(`the version list and a version by a non-member in ${phase}: not found`, async () => {
      const w = worlds.get(phase)!;
      const outsider = await registerUser(server.url);
      expect((await outsider.call('GET', `/documents/${w.document.id}/versions`)).status).toBe(404);
      expect((await outsider.call('GET', `/documents/${w.document.id}/versions/${w.versionId}`)).status).toBe(404);
    });
  }
});

describe('the permission table for comments, meetings, polls and flags, enforced over Socket.IO', () => {
  for (const action of socketActions) {
    for (const phase of phases) {
      for (const role of roles) {
        const allowed = can(role, phase, action);
        it(`${action} by a ${role} in ${phase}: ${allowed ? 'allowed' : 'denied'}`, async () => {
          const w = worlds.get(phase)!;
          const ack = await socketAttempt(action, w, w.people[role]);
          if (allowed) expect(ack.ok || ack.error.code === 'conflict').toBe(true);
          else expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        });
      }
      it(`${action} by a non-member in ${phase}: not found`, async () => {
        const ack = await socketAttempt(action, worlds.get(phase)!, await registerUser(server.url));
        expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
      });
    }
  }
});

describe('the permission table, enforced in what views show', () => {
  for (const phase of phases) {
    for (const role of roles) {
      const allowed = can(role, phase, 'votes.view');
      it(`votes.view by a ${role} in ${phase}: ${allowed ? 'shown' : 'left out'}`, async () => {
        const w = worlds.get(phase)!;
        const rest = await w.people[role].call<Poll>('GET', `/polls/${w.pollId}`);
        const listed = await w.people[role].call<Poll[]>('GET', `/meetings/${w.meetingId}/polls`);
        const socket = await connectSocket(server.url, w.people[role].cookie);
        const joined = await socket.emitWithAck('meeting:join', w.meetingId);
        const views = [rest.body, ...listed.body.filter((p) => p.id === w.pollId), ...(joined.ok ? joined.data.polls.filter((p) => p.id === w.pollId) : [])];
        expect(views.length).toBeGreaterThanOrEqual(2);
        for (const view of views) expect(view.votes !== null).toBe(allowed);
      });
    }
    it(`votes.view by a non-member in ${phase}: not found`, async () => {
      const res = await (await registerUser(server.url)).call('GET', `/polls/${worlds.get(phase)!.pollId}`);
      expect(res.status).toBe(404);
    });
  }
});

describe('the permission table, enforced over Socket.IO', () => {
  for (const phase of phases) {
    for (const role of roles) {
      const allowed = can(role, phase, 'consultation.view');
      it(`consultation:watch by a ${role} in ${phase}: ${allowed ? 'allowed' : 'denied'}`, async () => {
        const w = worlds.get(phase)!;
        const socket = await connectSocket(server.url, w.people[role].cookie);
        const ack = await socket.emitWithAck('consultation:watch', w.consultation.id);
        expect(ack.ok).toBe(allowed);
      });
    }
  }
});

describe('the permission table, enforced inside the Yjs protocol', () => {
  for (const phase of phases) {
    for (const role of roles) {
      const allowed = can(role, phase, 'document.edit');
      it(`document.edit by a ${role} in ${phase}: ${allowed ? 'applied' : 'dropped'}`, async () => {
        const w = worlds.get(phase)!;
        const marker = `${role}-${phase}`;
        const doc = new Y.Doc();
        doc.getText('t').insert(0, marker);
        const raw = rawYjsSocket(server.wsUrl, w.document.id, w.people[role].cookie);
        await raw.open;
        raw.ws.send(updateFrame(Y.encodeStateAsUpdate(doc)));
        const stored = async () => (await storedText(server.server, w.document.id, { flush: true })).includes(marker);
        if (allowed) {
          await eventually(stored, `${marker} to be stored`);
        } else {
          // The refusal is said in-band (an auth message) and nothing reaches the store.
          await eventually(() => raw.messages.some((m) => m[0] === 2), 'a permission-denied message');
          expect(await stored()).toBe(false);
        }
        raw.ws.close();
      });
    }
  }
});

/** The document as the server has stored it. */
async function storedPlan(docId: string): Promise<Y.Doc> {
  await server.server.rooms.flushAll();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await server.server.updateLog.load(docId)).update);
  return doc;
}

// The comment thread's paragraph may come before the goal.
const goalOf = (doc: Y.Doc) => doc.getXmlFragment(fragmentName).toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === 'planGoal') as Y.XmlElement;
const objectiveOf = (doc: Y.Doc) => goalOf(doc).get(1) as Y.XmlElement;
const actionOf = (doc: Y.Doc) => objectiveOf(doc).get(1) as Y.XmlElement;
const actionIds = (doc: Y.Doc) => objectiveOf(doc).toArray().slice(1).map((a) => (a as Y.XmlElement).getAttribute('id'));

/** One update made on the document as the server has it now, sent over a bare Yjs connection. */
async function planAttempt(w: World, as: TestUser, change: (doc: Y.Doc) => void) {
  const base = await storedPlan(w.document.id);
  const before = Y.encodeStateVector(base);
  change(base);
  const raw = rawYjsSocket(server.wsUrl, w.document.id, as.cookie);
  await raw.open;
  raw.ws.send(updateFrame(Y.encodeStateAsUpdate(base, before)));
  return raw;
}

/** An SDG target per role, so each attempt changes the action's links whoever went before. */
const targetOf: Record<Role, string> = { facilitator: '1.1', drafter: '1.2', contributor: '1.3', observer: '1.4' };

describe('the plan’s structure and links, enforced inside the Yjs protocol', () => {
  for (const phase of phases) {
    for (const role of roles) {
      const structure = can(role, phase, 'plan.structure');
      it(`plan.structure by a ${role} in ${phase}: ${structure ? 'applied' : 'refused'}`, async () => {
        const w = worlds.get(phase)!;
        const id = `new-${role}`;
        const raw = await planAttempt(w, w.people[role], (doc) => {
          const objective = objectiveOf(doc);
          objective.insert(objective.length, [planBlock('planAction', { id, status: 'planned' }, `Added by a ${role}`)]);
        });
        const stored = async () => actionIds(await storedPlan(w.document.id)).includes(id);
        if (structure) await eventually(stored, `${id} to be stored`);
        else {
          await eventually(() => raw.messages.some((m) => m[0] === 2), 'a refusal');
          expect(await stored()).toBe(false);
        }
        raw.ws.close();
      });

      const link = can(role, phase, 'plan.link');
      it(`plan.link by a ${role} in ${phase}: ${link ? 'applied' : 'refused'}`, async () => {
        const w = worlds.get(phase)!;
        const target = targetOf[role];
        const raw = await planAttempt(w, w.people[role], (doc) => actionOf(doc).setAttribute('sdgTargets', [target] as never));
        const stored = async () => JSON.stringify(actionOf(await storedPlan(w.document.id)).getAttribute('sdgTargets')) === JSON.stringify([target]);
        if (link) await eventually(stored, `the link to ${target} to be stored`);
        else {
          await eventually(() => raw.messages.some((m) => m[0] === 2), 'a refusal');
          expect(await stored()).toBe(false);
        }
        raw.ws.close();
      });
    }
  }
});

describe('a mute, enforced over every channel on top of the table', () => {
  // The muted contributor, in a consultation open for comment: what the table lets them do, minus what a mute blocks.
  const contributorMay = actions.filter((a) => !(yjsActions as readonly string[]).includes(a) && can('contributor', 'open_for_comment', a));
  for (const action of contributorMay) {
    const blocked = blockedWhenMuted(action);
    it(`${action} by a muted contributor: ${blocked ? 'refused as muted' : 'still allowed'}`, async () => {
      const as = mutedWorld.people.contributor;
      if (isRest(action)) {
        const res = await restAttempt(action, mutedWorld, 'open_for_comment', as);
        if (blocked) expect(res).toMatchObject({ status: 403, body: { error: { code: 'muted' } } });
        else expect(res.status).toBe(allowedStatus(action));
      } else {
        const ack = await socketAttempt(action as SocketAction, mutedWorld, as);
        if (blocked) expect(ack).toMatchObject({ ok: false, error: { code: 'muted' } });
        else expect(ack.ok || ack.error.code === 'conflict').toBe(true);
      }
    });
  }
  it('covers every action a mute blocks', () => {
    for (const action of actionsBlockedWhenMuted) expect(contributorMay).toContain(action);
  });
});

describe('the table itself', () => {
  it('lets nobody edit, add documents or change membership once a plan is adopted', () => {
    for (const action of ['document.edit', 'document.create', 'members.manage', 'invitations.manage'] as const) {
      expect(permissionTable[action].adopted).toEqual([]);
    }
  });

  it('allows nothing new after adoption: only viewing, taking copies, the audit log, and choosing whether others see your own name', () => {
    // A member may withdraw (or give) their name at any time: it changes nothing in the plan. Nor does taking the report,
    // the minutes or the whole consultation (an archive) away: an adopted plan most of all.
    const afterAdoption = actions.filter((a) => permissionTable[a].adopted.length > 0 && a !== 'identity.choose');
    expect(afterAdoption.every((a) => a.endsWith('.view') || a.endsWith('.export'))).toBe(true);
    expect(permissionTable['report.export'].adopted).toEqual(roles);
    expect(permissionTable['identity.choose'].adopted).toEqual(roles);
    expect(afterAdoption).toContain('audit.view');
    for (const phase of phases) expect(permissionTable['archive.export'][phase]).toEqual(['facilitator']);
  });

  it('lets observers attend meetings but not speak or vote, and only facilitators moderate and read the audit log', () => {
    for (const phase of phases.filter((p) => p !== 'adopted')) {
      expect(can('observer', phase, 'meeting.attend')).toBe(true);
      expect(can('observer', phase, 'meeting.speak') || can('observer', phase, 'poll.vote')).toBe(false);
    }
    for (const action of ['moderation.manage', 'audit.view', 'meeting.manage', 'poll.manage'] as const)
      for (const phase of phases) expect(permissionTable[action][phase].every((r) => r === 'facilitator')).toBe(true);
  });
});
