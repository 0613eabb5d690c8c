import { describe, expect, it } from 'vitest';
import type { Consultation } from '../shared/schemas.ts';
import type { CreatedInvitation, InvitationPreview, Member } from '../shared/accounts.ts';
import type { Poll } from '../shared/polls.ts';
import type { Thread } from '../shared/comments.ts';
import type { ModerationItem } from '../shared/moderation.ts';
import { addMember, api, registerUser, startServer, type TestServer, type TestUser } from './helpers/server.ts';
import { eventually } from './helpers/yjs.ts';
import { liveAnchor } from './helpers/comments.ts';
import { consultationRoom, liveMeeting, ok, type Person, type Room } from './helpers/meetings.ts';

const membersAs = async (user: TestUser, consultationId: string) => (await user.call<Member[]>('GET', `/consultations/${consultationId}/members`)).body;
/** The name `viewer` sees for `who` in the member list (null when hidden). */
const nameOf = async (viewer: TestUser, consultationId: string, who: TestUser) => {
  const list = await membersAs(viewer, consultationId);
  const owner = await membersAs(who, consultationId);
  const memberId = owner.find((m) => m.isYou)!.id;
  return list.find((m) => m.id === memberId)!.displayName;
};
const setHiding = async (owner: TestUser, consultationId: string, hideIdentities: boolean) =>
  expect((await owner.call<Consultation>('PATCH', `/consultations/${consultationId}`, { hideIdentities })).status).toBe(200);
const you = async (user: TestUser, consultationId: string) => (await user.call<Consultation>('GET', `/consultations/${consultationId}`)).body.you;

async function consultation(s: TestServer, body: Record<string, unknown> = {}) {
  const owner = await registerUser(s.url, 'Facilitator');
  const c = await owner.call<Consultation>('POST', '/consultations', { title: 'Sensitive', ...body });
  expect(c.status).toBe(201);
  return { owner, c: c.body };
}

describe('identities, hidden by default', () => {
  it('are hidden in a new consultation unless its creator shows them', async () => {
    const s = await startServer();
    const { owner, c } = await consultation(s);
    expect(c.hideIdentities).toBe(true);
    const a = await addMember(s.url, owner, c.id, 'contributor');
    const b = await addMember(s.url, owner, c.id, 'observer');
    expect(await nameOf(b, c.id, a)).toBeNull();
    expect(await nameOf(a, c.id, b)).toBeNull();
    expect(await nameOf(owner, c.id, a)).toBe(a.me.displayName); // facilitators still see names
    expect(await you(a, c.id)).toMatchObject({ showName: false, nameHidden: true });

    const open = await consultation(s, { hideIdentities: false });
    expect(open.c.hideIdentities).toBe(false);
    const x = await addMember(s.url, open.owner, open.c.id, 'contributor');
    const y = await addMember(s.url, open.owner, open.c.id, 'contributor');
    expect(await nameOf(y, open.c.id, x)).toBe(x.me.displayName);
    expect(await you(x, open.c.id)).toMatchObject({ showName: true, nameHidden: false });
  });

  it('stay hidden when hiding is turned off, for whoever joined or was a member under it, until each shows their own name', async () => {
    const s = await startServer();
    const { owner, c } = await consultation(s, { hideIdentities: false });
    const early = await addMember(s.url, owner, c.id, 'contributor'); // joins while names are shown
    await setHiding(owner, c.id, true);
    const underHiding = await addMember(s.url, owner, c.id, 'contributor'); // joins while they are hidden
    await setHiding(owner, c.id, false);
    const late = await addMember(s.url, owner, c.id, 'observer'); // joins once they are shown again

    // Turning hiding off revealed nobody who was a member while it was on.
    expect(await nameOf(late, c.id, early)).toBeNull();
    expect(await nameOf(late, c.id, underHiding)).toBeNull();
    expect(await nameOf(early, c.id, underHiding)).toBeNull();
    expect(await nameOf(early, c.id, late)).toBe(late.me.displayName);
    for (const member of [early, underHiding, late]) expect(await nameOf(owner, c.id, member)).toBe(member.me.displayName);
    // Facilitators see every name, and which of them the others see only as an alias.
    const aliasToOthers = Object.fromEntries((await membersAs(owner, c.id)).map((m) => [m.displayName, m.aliasToOthers]));
    expect(aliasToOthers).toEqual({ Facilitator: false, [early.me.displayName]: true, [underHiding.me.displayName]: true, [late.me.displayName]: false });
    expect(await you(underHiding, c.id)).toMatchObject({ showName: false, nameHidden: true });

    // Only the member decides: a facilitator's call sets the facilitator's own choice, nobody else's.
    expect((await owner.call('PUT', `/consultations/${c.id}/identity`, { showName: true })).status).toBe(204);
    expect(await nameOf(late, c.id, underHiding)).toBeNull();
    expect((await underHiding.call('PUT', `/consultations/${c.id}/identity`, { showName: true })).status).toBe(204);
    expect(await nameOf(late, c.id, underHiding)).toBe(underHiding.me.displayName);
    expect(await nameOf(early, c.id, underHiding)).toBe(underHiding.me.displayName);
    expect(await you(underHiding, c.id)).toMatchObject({ showName: true, nameHidden: false });
    expect(await nameOf(late, c.id, early)).toBeNull(); // one member's choice is theirs alone

    // Withdrawn again at will.
    expect((await underHiding.call('PUT', `/consultations/${c.id}/identity`, { showName: false })).status).toBe(204);
    expect(await nameOf(late, c.id, underHiding)).toBeNull();
    expect((await underHiding.call('PUT', `/consultations/${c.id}/identity`, { showName: true })).status).toBe(204);

    // Hiding on again voids every earlier consent: turning it off once more reveals nobody.
    await setHiding(owner, c.id, true);
    expect(await nameOf(late, c.id, underHiding)).toBeNull();
    await setHiding(owner, c.id, false);
    expect(await nameOf(late, c.id, underHiding)).toBeNull();
    expect(await nameOf(early, c.id, late)).toBeNull();
    expect(await you(late, c.id)).toMatchObject({ showName: false, nameHidden: true });

    // A choice made while hiding is on takes effect once it is turned off.
    await setHiding(owner, c.id, true);
    expect((await late.call('PUT', `/consultations/${c.id}/identity`, { showName: true })).status).toBe(204);
    expect(await nameOf(early, c.id, late)).toBeNull();
    expect(await you(late, c.id)).toMatchObject({ showName: true, nameHidden: true });
    await setHiding(owner, c.id, false);
    expect(await nameOf(early, c.id, late)).toBe(late.me.displayName);

    // The setting is members-only, and validated.
    expect((await (await registerUser(s.url)).call('PUT', `/consultations/${c.id}/identity`, { showName: true })).status).toBe(404);
    expect((await late.call('PUT', `/consultations/${c.id}/identity`, { showName: 'yes' })).status).toBe(400);
  });

  it('keep members from before this rule hidden when a consultation that hides them stops', async () => {
    const s = await startServer();
    const { owner, c } = await consultation(s, { hideIdentities: true });
    const a = await addMember(s.url, owner, c.id, 'contributor');
    const b = await addMember(s.url, owner, c.id, 'contributor');
    // Records as an earlier version stored them: no epoch on the consultation, no consent on the memberships.
    await s.store.collection('consultations').updateOne({ _id: c.id }, { $unset: { hidingEpoch: 1 } });
    for (const m of await s.store.collection<{ _id: string; consultationId: string }>('memberships').find({ consultationId: c.id }))
      await s.store.collection('memberships').updateOne({ _id: m._id }, { $unset: { namedInEpoch: 1 } });
    await setHiding(owner, c.id, false);
    expect(await nameOf(b, c.id, a)).toBeNull();
    expect((await a.call('PUT', `/consultations/${c.id}/identity`, { showName: true })).status).toBe(204);
    expect(await nameOf(b, c.id, a)).toBe(a.me.displayName);
  });

  it('name facilitators and drafters, who act in an official capacity, whatever the setting', async () => {
    const s = await startServer();
    const { owner, c } = await consultation(s);
    const drafter = await addMember(s.url, owner, c.id, 'drafter', 'government');
    const contributor = await addMember(s.url, owner, c.id, 'contributor');
    expect(await nameOf(contributor, c.id, drafter)).toBe(drafter.me.displayName);
    expect(await nameOf(contributor, c.id, owner)).toBe('Facilitator');
    expect(await you(drafter, c.id)).toMatchObject({ nameHidden: false });
  });
});

describe('the invitation page', () => {
  const invite = async (owner: TestUser, consultationId: string, role: string) =>
    (await owner.call<CreatedInvitation>('POST', `/consultations/${consultationId}/invitations`, { role, group: 'civil_society', maxUses: 5 })).body;
  const preview = async (s: TestServer, token: string) => (await api<InvitationPreview>(s.url, 'GET', `/invitations/${token}`)).body;

  it('says what other members will see, and lets a newcomer join known only by alias where names are shown', async () => {
    const s = await startServer();
    const hidden = await consultation(s);
    expect(await preview(s, (await invite(hidden.owner, hidden.c.id, 'contributor')).token)).toMatchObject({ role: 'contributor', othersSee: 'alias' });
    expect(await preview(s, (await invite(hidden.owner, hidden.c.id, 'observer')).token)).toMatchObject({ othersSee: 'alias' });
    expect(await preview(s, (await invite(hidden.owner, hidden.c.id, 'drafter')).token)).toMatchObject({ othersSee: 'name' });

    const shown = await consultation(s, { hideIdentities: false });
    const link = await invite(shown.owner, shown.c.id, 'contributor');
    expect(await preview(s, link.token)).toMatchObject({ othersSee: 'name' });
    const named = await registerUser(s.url, 'Named');
    const discreet = await registerUser(s.url, 'Discreet');
    expect((await named.call('POST', '/invitations/accept', { token: link.token })).status).toBe(200);
    expect((await discreet.call('POST', '/invitations/accept', { token: link.token, showName: false })).status).toBe(200);
    expect(await nameOf(discreet, shown.c.id, named)).toBe('Named');
    expect(await nameOf(named, shown.c.id, discreet)).toBeNull();
    expect(await nameOf(shown.owner, shown.c.id, discreet)).toBe('Discreet');

    // Asking to be named where identities are hidden changes nothing.
    const hiddenLink = await invite(hidden.owner, hidden.c.id, 'contributor');
    const bold = await registerUser(s.url, 'Bold');
    const other = await addMember(s.url, hidden.owner, hidden.c.id, 'contributor');
    expect((await bold.call('POST', '/invitations/accept', { token: hiddenLink.token, showName: true })).status).toBe(200);
    expect(await nameOf(other, hidden.c.id, bold)).toBeNull();
    await setHiding(hidden.owner, hidden.c.id, false);
    expect(await nameOf(other, hidden.c.id, bold)).toBeNull();
  });
});

/** Every view of one poll that `p` can get: REST (one and list), the join snapshot, and what arrived over `poll:changed`. */
async function viewsOf(room: Room, p: Person, pollId: string, meetingId: string): Promise<Poll[]> {
  const views = [
    (await room.people[p].call<Poll>('GET', `/polls/${pollId}`)).body,
    ...(await room.people[p].call<Poll[]>('GET', `/meetings/${meetingId}/polls`)).body,
    ...ok(await room.sockets[p].emitWithAck('meeting:join', meetingId)).polls,
    ...room.heard[p].raw.filter((r) => r.event === 'poll:changed').map((r) => r.payload as Poll),
  ];
  return views.filter((v) => v.id === pollId);
}

describe('polls, private by default', () => {
  it('are anonymous, and show results to each member only once they have voted (or the poll has closed), on every channel', async () => {
    const room = await consultationRoom(await startServer());
    const { sockets: so, s } = room;
    const { id: meetingId } = await liveMeeting(room);
    const poll = ok(await so.facilitator.emitWithAck('poll:open', { meetingId, question: 'Has your organisation faced reprisals?', options: ['Yes', 'No'] }));
    expect(poll).toMatchObject({ anonymous: true, resultsVisibility: 'afterVote', results: null, votes: null });
    await eventually(() => Object.values(room.heard).every((h) => h.polls.has(poll.id)), 'everyone to hear of the poll');

    const voted = ok(await so.cso1.emitWithAck('poll:vote', { pollId: poll.id, option: 0 }));
    expect(voted).toMatchObject({ yours: 0, results: { total: 1, byOption: [1, 0] }, votes: null });
    // Ballots are filed under an HMAC, not the member id: the poll is anonymous in the store too.
    expect(await s.store.collection('ballots').findOne({ _id: `${poll.id}:${room.memberIds.cso1}` })).toBeNull();
    const second = ok(await so.nhri.emitWithAck('poll:vote', { pollId: poll.id, option: 1 }));
    expect(second.results).toMatchObject({ total: 2, byOption: [1, 1] });
    await eventually(() => room.heard.cso1.polls.get(poll.id)?.results?.total === 2, 'the first voter to follow the count live');

    // Those who have not voted (the facilitator and the observer included) see no results anywhere, however they ask.
    await eventually(() => room.heard.observer.polls.get(poll.id)?.seq === second.seq, 'the observer to hear the second vote');
    for (const p of ['facilitator', 'gov', 'cso2', 'observer'] as const) {
      const views = await viewsOf(room, p, poll.id, meetingId);
      expect(views.length).toBeGreaterThanOrEqual(4);
      for (const view of views) expect(view).toMatchObject({ results: null, votes: null });
    }
    expect((await room.people.nhri.call<Poll>('GET', `/polls/${poll.id}`)).body).toMatchObject({ yours: 1, results: { total: 2 } });

    // Closed, the results are everyone's.
    const closed = ok(await so.facilitator.emitWithAck('poll:close', { pollId: poll.id }));
    expect(closed.results).toMatchObject({ total: 2, byOption: [1, 1] });
    await eventually(() => room.heard.observer.polls.get(poll.id)?.results?.total === 2, 'the observer to see the results once closed');
    expect((await room.people.cso2.call<Poll>('GET', `/polls/${poll.id}`)).body.results).toMatchObject({ total: 2 });
  });

  it('can hold results back until the close, even from voters, or show them from the start', async () => {
    const room = await consultationRoom(await startServer());
    const { sockets: so } = room;
    const { id: meetingId } = await liveMeeting(room);
    const sealed = ok(await so.facilitator.emitWithAck('poll:open', { meetingId, question: 'Sealed?', options: ['A', 'B'], resultsVisibility: 'afterClose' }));
    expect(ok(await so.cso1.emitWithAck('poll:vote', { pollId: sealed.id, option: 1 }))).toMatchObject({ yours: 1, results: null });
    ok(await so.facilitator.emitWithAck('poll:vote', { pollId: sealed.id, option: 0 }));
    for (const p of ['facilitator', 'cso1', 'observer'] as const)
      for (const view of await viewsOf(room, p, sealed.id, meetingId)) expect(view.results).toBeNull();
    ok(await so.facilitator.emitWithAck('poll:close', { pollId: sealed.id }));
    await eventually(() => room.heard.cso1.polls.get(sealed.id)?.results?.total === 2, 'the results once closed');

    const live = ok(await so.facilitator.emitWithAck('poll:open', { meetingId, question: 'Live?', options: ['A', 'B'], resultsVisibility: 'always' }));
    expect(live.results).toMatchObject({ total: 0 });
    ok(await so.nhri.emitWithAck('poll:vote', { pollId: live.id, option: 0 }));
    await eventually(() => room.heard.observer.polls.get(live.id)?.results?.total === 1, 'the observer to see live results');
  });

  it('when named, show who voted what to facilitators only', async () => {
    const room = await consultationRoom(await startServer());
    const { sockets: so, memberIds: id, people } = room;
    const { id: meetingId } = await liveMeeting(room);
    const poll = ok(await so.facilitator.emitWithAck('poll:open', { meetingId, question: 'Named?', options: ['Yes', 'No'], anonymous: false, resultsVisibility: 'always' }));
    expect(poll).toMatchObject({ anonymous: false, votes: [] });
    ok(await so.cso1.emitWithAck('poll:vote', { pollId: poll.id, option: 0 }));
    const last = ok(await so.gov.emitWithAck('poll:vote', { pollId: poll.id, option: 1 }));
    expect(last.votes).toBeNull();
    await eventually(() => Object.values(room.heard).every((h) => (h.polls.get(poll.id)?.seq ?? 0) >= last.seq), 'everyone to hear both votes');

    for (const p of ['gov', 'cso1', 'cso2', 'nhri', 'observer'] as const) {
      const views = await viewsOf(room, p, poll.id, meetingId);
      expect(views.length).toBeGreaterThanOrEqual(4);
      for (const view of views) {
        expect(view.votes).toBeNull();
        expect(view.results).not.toBeNull();
        expect(JSON.stringify(view)).not.toContain(id.cso1);
      }
    }
    const facilitatorViews = await viewsOf(room, 'facilitator', poll.id, meetingId);
    const latest = facilitatorViews.filter((v) => v.seq === last.seq);
    expect(latest.length).toBeGreaterThanOrEqual(3);
    for (const view of latest) expect(view.votes!.map((v) => [v.memberId, v.option]).sort()).toEqual([[id.cso1, 0], [id.gov, 1]].sort());
    expect((await people.facilitator.call<Poll>('GET', `/polls/${poll.id}`)).body.votes).toHaveLength(2);
  });
});

describe('the moderation record', () => {
  it("keeps a hidden comment's text for facilitators after its author deletes it, and for nobody else", async () => {
    const body = 'The governor ordered the raid on our office.';
    const room = await consultationRoom(await startServer());
    const { sockets: so } = room;
    for (const socket of Object.values(so)) ok(await socket.emitWithAck('document:watch', room.document.id));
    const thread = ok(await so.cso1.emitWithAck('thread:create', { documentId: room.document.id, anchor: await liveAnchor(room.s.server, room.document.id), body }));
    const target = { threadId: thread.id, commentId: thread.comments[0]!.id };
    ok(await so.facilitator.emitWithAck('moderation:watch', room.consultation.id));
    ok(await so.nhri.emitWithAck('comment:flag', { ...target, reason: 'Names an official' }));
    ok(await so.facilitator.emitWithAck('moderation:hide', { ...target, reason: 'Under review' }));

    const deleted = ok(await so.cso1.emitWithAck('comment:delete', target));
    expect(deleted.comments[0]).toMatchObject({ deleted: true, body: null });
    const queue = async (status: string) =>
      (await room.owner.call<{ items: ModerationItem[] }>('GET', `/consultations/${room.consultation.id}/moderation?status=${status}`)).body.items;
    const [item] = await queue('hidden');
    expect(item).toMatchObject({ commentId: target.commentId, status: 'hidden', deleted: true, body, hidden: { reason: 'Under review' } });
    // Facilitators following the queue see the deletion at once, with the text still there.
    await eventually(() => room.heard.facilitator.moderation.at(-1)?.deleted === true, 'the queue to show the deletion live');
    expect(room.heard.facilitator.moderation.at(-1)).toMatchObject({ status: 'hidden', body });

    // Members, the author included, see it gone, on every channel: once each has heard of the deletion live.
    const heardDeleted = (p: Person) =>
      room.heard[p].raw.some(
        (r) => r.event === 'threads:changed' && (r.payload as Thread[]).some((t) => t.id === thread.id && t.comments[0]?.deleted),
      );
    for (const p of Object.keys(room.sockets) as Person[]) await eventually(() => heardDeleted(p), `${p} to hear of the deletion`);
    for (const p of Object.keys(room.sockets) as Person[]) {
      const fetched = (await room.people[p].call<{ threads: Thread[] }>('GET', `/documents/${room.document.id}/threads`)).body.threads.find((t) => t.id === thread.id)!;
      expect(fetched.comments[0]).toMatchObject({ deleted: true, body: null });
      expect(JSON.stringify(fetched)).not.toContain(body);
      expect(JSON.stringify(room.heard[p].raw.filter((r) => r.event === 'threads:changed').slice(1))).not.toContain(body);
    }
    expect((await room.people.gov.call('GET', `/consultations/${room.consultation.id}/moderation`)).status).toBe(403);

    // Restoring it honours the deletion: the text is dropped from the store for good.
    ok(await so.facilitator.emitWithAck('moderation:restore', { ...target, reason: 'Author withdrew it' }));
    const [restored] = await queue('restored');
    expect(restored).toMatchObject({ deleted: true, body: null });
    expect(JSON.stringify(await room.s.store.collection('threads').findOne({ _id: thread.id }))).not.toContain(body);
  });
});
