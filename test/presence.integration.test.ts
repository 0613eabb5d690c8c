import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { addMember, createDocument, registerUser, startServer, type TestUser } from './helpers/server.ts';
import { connectYjs, eventually, rawYjsSocket, type RawSocket, type YjsClient } from './helpers/yjs.ts';
import { CloseCode } from '../shared/errors.ts';
import { yjsPath } from '../shared/collab.ts';
import { presenceLimits } from '../shared/limits.ts';
import { groupColours } from '../shared/groups.ts';
import type { Consultation } from '../shared/schemas.ts';

/** An awareness message publishing `state` (any JSON text, or null to remove) under `clientId`. */
function awarenessFrame(clientId: number, clock: number, state: string): Uint8Array {
  return awarenessFrameOf([{ clientId, clock, state }]);
}

function awarenessFrameOf(entries: { clientId: number; clock: number; state: string }[]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(inner, clientId);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, state);
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

const stateOf = (client: YjsClient, clientId: number) => client.provider.awareness.getStates().get(clientId) as Record<string, unknown> | undefined;

/** A raw socket that the server has let in (it sent its sync step 1). */
async function joined(raw: RawSocket): Promise<void> {
  await raw.open;
  await eventually(() => raw.messages.length > 0, 'the server to greet the socket');
}

async function aliasOf(user: TestUser, consultationId: string): Promise<number> {
  return (await user.call<Consultation>('GET', `/consultations/${consultationId}`)).body.you.alias;
}


/** A document with its facilitator connected (the peer who watches) and an observer on a raw socket (who sends). */
async function observerBesidePeer() {
  const s = await startServer();
  const { owner, consultation, document } = await createDocument(s.url);
  const observer = await addMember(s.url, owner, consultation.id, 'observer');
  const peer = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
  await peer.synced;
  const raw = rawYjsSocket(s.wsUrl, document.id, observer.cookie);
  await joined(raw);
  return { s, owner, document, peer, raw };
}

describe('presence (awareness) the server vouches for', () => {
  it('drops an awareness state over the size limit: not relayed, not sent to a newcomer, the sender told in-band', async () => {
    const { s, owner, document, peer, raw } = await observerBesidePeer();
    const huge = JSON.stringify({ cursor: null, padding: 'x'.repeat(presenceLimits.awarenessStateBytes) });
    raw.ws.send(awarenessFrame(4242, 1, huge));
    // A small state sent after it: once it has arrived, the large one would have too.
    raw.ws.send(awarenessFrame(4343, 1, JSON.stringify({ cursor: null })));
    await eventually(() => stateOf(peer, 4343) !== undefined, 'the small state to reach the peer');
    expect(stateOf(peer, 4242)).toBeUndefined();

    // Told in-band (y-websocket's auth message, "permission denied"), and still connected.
    await eventually(() => raw.messages.some((m) => m[0] === 2), 'the sender to be told');
    const notice = decoding.createDecoder(raw.messages.find((m) => m[0] === 2)!);
    decoding.readVarUint(notice);
    expect(decoding.readVarUint(notice)).toBe(0);
    expect(decoding.readVarString(notice)).toContain(String(presenceLimits.awarenessStateBytes));
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);

    const newcomer = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await newcomer.synced;
    await eventually(() => stateOf(newcomer, 4343) !== undefined, 'the newcomer to be sent the small state');
    expect(stateOf(newcomer, 4242)).toBeUndefined();
    const room = [...s.server.rooms.loaded()].find((r) => r.docId === document.id)!;
    expect(room.awareness.getStates().has(4242)).toBe(false);
  });

  it('keeps at most a few states per connection, even when they all come in one message', async () => {
    const { s, document, peer, raw } = await observerBesidePeer();
    const ids = Array.from({ length: 50 }, (_, i) => 900_000 + i);
    raw.ws.send(awarenessFrameOf(ids.map((clientId) => ({ clientId, clock: 1, state: '{"cursor":null}' }))));
    const cap = presenceLimits.awarenessStatesPerConnection;
    const shown = () => ids.filter((id) => stateOf(peer, id) !== undefined);
    await eventually(() => shown().length >= cap, 'the first states to arrive');
    // A later message renews the first id: once it has arrived, anything else would have too.
    raw.ws.send(awarenessFrame(ids[0]!, 2, '{"cursor":null,"renewed":true}'));
    await eventually(() => stateOf(peer, ids[0]!)?.renewed === true, 'the renewal to arrive');
    expect(shown()).toEqual(ids.slice(0, cap));
  });

  it('refuses an account its connection past the limit with 4429, and lets it in again once one closes', async () => {
    const limit = 3;
    const s = await startServer({ config: { yjsConnectionsPerAccount: limit } });
    const { owner, consultation, document } = await createDocument(s.url);
    const first = Array.from({ length: limit }, () => rawYjsSocket(s.wsUrl, document.id, owner.cookie));
    await Promise.all(first.map(joined));

    const extra = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
    const outcome = await Promise.race([
      extra.closed,
      eventually(() => extra.messages.length > 0, 'a greeting', 30_000).then(() => 'let in' as const),
    ]);
    expect(outcome).toEqual({ code: CloseCode.tooManyConnections, reason: expect.stringContaining(String(limit)) });

    // Another member is not counted against the first.
    const drafter = await addMember(s.url, owner, consultation.id, 'drafter');
    await joined(rawYjsSocket(s.wsUrl, document.id, drafter.cookie));

    first[0]!.ws.close();
    await first[0]!.closed;
    await eventually(() => [...s.server.rooms.loaded()].every((r) => r.connectionsOf(owner.me.id) < limit), 'the server to see the close');
    await joined(rawYjsSocket(s.wsUrl, document.id, owner.cookie));
  });

  it('drops connections that stopped answering, so that they no longer count against the cap', async () => {
    const s = await startServer({ config: { yjsConnectionsPerAccount: 3, yjsHeartbeatMs: 1_000 } });
    const { owner, document } = await createDocument(s.url);
    const live = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
    await joined(live);
    // Sockets whose far end has gone: they never answer a ping (nor close).
    const zombies = [0, 1].map(() => new WebSocket(`${s.wsUrl}${yjsPath}/${document.id}`, { headers: { cookie: owner.cookie }, autoPong: false }));
    const dropped = zombies.map((ws) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code))));
    // Greeted means let in: listened for from the start, so a quick heartbeat cannot make the test miss it.
    const greeted = zombies.map((ws) => new Promise<void>((resolve) => ws.once('message', () => resolve())));
    const room = () => [...s.server.rooms.loaded()].find((r) => r.docId === document.id)!;
    await Promise.all(greeted);
    expect(await Promise.all(dropped)).toEqual([1006, 1006]); // terminated: no close frame
    // The answering one was pinged meanwhile and stays; the places the others held are free again.
    expect(live.ws.readyState).toBe(live.ws.OPEN);
    await eventually(() => room().connectionsOf(owner.me.id) === 1, 'the server to count them gone');
    await Promise.all([0, 1].map(() => joined(rawYjsSocket(s.wsUrl, document.id, owner.cookie))));
  });

  it('shows the server’s name or alias, group, role and colour, never what the client claims, and follows identity hiding live', async () => {
    const s = await startServer();
    const facilitator = await registerUser(s.url, 'Amina Okafor');
    const { consultation, document } = await createDocument(s.url, facilitator);
    // Names shown before anyone joins (hidden is the default), so that the members below are named at first.
    expect((await facilitator.call('PATCH', `/consultations/${consultation.id}`, { hideIdentities: false })).status).toBe(200);
    const observer = await addMember(s.url, facilitator, consultation.id, 'observer', 'international');
    const contributor = await addMember(s.url, facilitator, consultation.id, 'contributor', 'nhri');
    const observerAlias = await aliasOf(observer, consultation.id);

    const peer = connectYjs(s.wsUrl, document.id, { cookie: contributor.cookie });
    const forger = connectYjs(s.wsUrl, document.id, { cookie: observer.cookie });
    const chair = connectYjs(s.wsUrl, document.id, { cookie: facilitator.cookie });
    await Promise.all([peer.synced, forger.synced, chair.synced]);
    chair.provider.awareness.setLocalStateField('cursor', null);
    const forged = { name: 'Amina Okafor', group: 'government', color: '#000000', role: 'facilitator' };
    forger.provider.awareness.setLocalState({ user: forged, name: 'Amina Okafor', role: 'facilitator', cursor: { anchor: 5, head: 'x' } });

    const forgerId = forger.doc.clientID;
    await eventually(() => stateOf(peer, forgerId) !== undefined && stateOf(peer, chair.doc.clientID) !== undefined, 'both states to reach the peer');
    // Identities are visible: the observer's own account name, from the server.
    expect(stateOf(peer, forgerId)).toEqual({
      cursor: null, // malformed: it would have thrown in everyone's editor
      user: { name: observer.me.displayName, group: 'international', role: 'observer', color: groupColours.international },
    });
    expect(stateOf(peer, chair.doc.clientID)).toEqual({
      cursor: null,
      user: { name: 'Amina Okafor', group: 'other', role: 'facilitator', color: groupColours.other },
    });

    // Identities hidden: the observer becomes an alias at once, without moving; the facilitator stays named.
    expect((await facilitator.call('PATCH', `/consultations/${consultation.id}`, { hideIdentities: true })).status).toBe(200);
    await eventually(() => (stateOf(peer, forgerId)?.user as { alias?: number } | undefined)?.alias !== undefined, 'the alias to replace the name');
    expect(stateOf(peer, forgerId)!.user).toEqual({ alias: observerAlias, group: 'international', role: 'observer', color: groupColours.international });
    expect(JSON.stringify(stateOf(peer, forgerId))).not.toContain(observer.me.displayName);

    // Publishing again changes nothing: the claim is replaced every time.
    forger.provider.awareness.setLocalState({ user: forged, cursor: null, marker: 2 });
    await eventually(() => stateOf(peer, forgerId)?.marker === 2, 'the new state to arrive');
    expect(stateOf(peer, forgerId)!.user).toEqual({ alias: observerAlias, group: 'international', role: 'observer', color: groupColours.international });
    expect(JSON.stringify([...peer.provider.awareness.getStates().values()])).not.toContain(observer.me.displayName);
    expect(stateOf(peer, chair.doc.clientID)!.user).toMatchObject({ name: 'Amina Okafor', role: 'facilitator' });

    // Hiding off again reveals nobody who was a member while it was on: the observer stays an alias.
    expect((await facilitator.call('PATCH', `/consultations/${consultation.id}`, { hideIdentities: false })).status).toBe(200);
    forger.provider.awareness.setLocalState({ cursor: null, marker: 3 });
    await eventually(() => stateOf(peer, forgerId)?.marker === 3, 'the state published after the change to arrive');
    expect(stateOf(peer, forgerId)!.user).toEqual({ alias: observerAlias, group: 'international', role: 'observer', color: groupColours.international });
  });

  it('keeps a client id bound to the account that first used it: no takeover, no removal by another connection', async () => {
    const s = await startServer();
    const { owner, consultation, document } = await createDocument(s.url);
    const drafter = await addMember(s.url, owner, consultation.id, 'drafter');
    const observer = await addMember(s.url, owner, consultation.id, 'observer');
    const peer = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    const drafting = connectYjs(s.wsUrl, document.id, { cookie: drafter.cookie });
    await Promise.all([peer.synced, drafting.synced]);
    const drafterId = drafting.doc.clientID;
    drafting.provider.awareness.setLocalStateField('cursor', null);
    await eventually(() => stateOf(peer, drafterId) !== undefined, 'the drafter’s state to reach the peer');

    const raw = rawYjsSocket(s.wsUrl, document.id, observer.cookie);
    await joined(raw);
    const ownId = 777_001;
    // While the drafter is here, a removal of their state by someone else is ignored.
    raw.ws.send(awarenessFrame(drafterId, 1_000, 'null'));
    raw.ws.send(awarenessFrame(ownId, 1, JSON.stringify({ cursor: null, step: 1 })));
    await eventually(() => stateOf(peer, ownId)?.step === 1, 'the observer’s own state to arrive');
    expect(stateOf(peer, drafterId)).toBeDefined();

    // The drafter's connection drops; the observer tries to publish under their client id.
    drafting.destroy();
    await eventually(() => stateOf(peer, drafterId) === undefined, 'the drafter’s state to go');
    raw.ws.send(awarenessFrame(drafterId, 2_000, JSON.stringify({ cursor: null, user: { name: drafter.me.displayName } })));
    raw.ws.send(awarenessFrame(ownId, 2, JSON.stringify({ cursor: null, step: 2 })));
    await eventually(() => stateOf(peer, ownId)?.step === 2, 'the observer’s next state to arrive');
    expect(stateOf(peer, drafterId)).toBeUndefined();
    const room = [...s.server.rooms.loaded()].find((r) => r.docId === document.id)!;
    expect(room.awareness.getStates().has(drafterId)).toBe(false);

    // The drafter themself may come back under the same id.
    const back = rawYjsSocket(s.wsUrl, document.id, drafter.cookie);
    await joined(back);
    back.ws.send(awarenessFrame(drafterId, 3_000, JSON.stringify({ cursor: null })));
    await eventually(() => stateOf(peer, drafterId) !== undefined, 'the drafter’s return to be shown');
    expect(stateOf(peer, drafterId)!.user).toMatchObject({ name: drafter.me.displayName, role: 'drafter' });
  });
});
