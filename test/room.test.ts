import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Connection, Room } from '../server/collab/room.ts';
import { decodeMessage, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from '../server/collab/protocol.ts';
import type { DocumentWriter } from '../server/collab/writer.ts';
import { createLogger } from '../server/logger.ts';

/** A room of three fake connections, with what each was sent and what went to the store. */
function room() {
  const stored: Uint8Array[] = [];
  const writer = { schedule: (u: Uint8Array) => stored.push(u), flush: async () => undefined, dispose: () => undefined };
  const r = new Room('doc', new Y.Doc(), writer as unknown as DocumentWriter, createLogger('silent'));
  const people = ['a', 'b', 'c'].map((label) => {
    const sent: Uint8Array[] = [];
    const conn = new Connection({ send: (d) => sent.push(d), close: () => undefined }, true, label);
    r.join(conn);
    sent.length = 0; // the greeting (sync step 1)
    return { conn, sent };
  });
  return { r, people, stored };
}

/** The updates among frames a connection was sent. */
const updatesIn = (frames: Uint8Array[]) =>
  frames.map(decodeMessage).flatMap((m) => (m.type === 'update' || m.type === 'sync-step-2' ? [m.update] : []));

const tick = () => new Promise((r) => setImmediate(r));

function edit(doc: Y.Doc, change: (t: Y.Text) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  change(doc.getText('t'));
  return Y.encodeStateAsUpdate(doc, before);
}

describe('a room relays and stores what changed', () => {
  it('passes a typed update on to the others and to the store as it came', async () => {
    const { r, people: [a, b, c], stored } = room();
    const client = new Y.Doc();
    const update = edit(client, (t) => t.insert(0, 'Article 1'));
    r.receive(a!.conn, encodeUpdate(update));
    await tick();
    expect(updatesIn(b!.sent)).toEqual([update]);
    expect(updatesIn(c!.sent)).toEqual([update]);
    expect(a!.sent).toEqual([]);
    expect(stored).toEqual([update]);
    expect(r.doc.getText('t').toString()).toBe('Article 1');
  });

  it('relays and stores only what a reconnecting client’s answer adds to what the room has', async () => {
    const { r, people: [a, b], stored } = room();
    const client = new Y.Doc();
    const first = edit(client, (t) => t.insert(0, 'known'));
    r.receive(a!.conn, encodeUpdate(first));
    await tick();
    const seen = new Y.Doc();
    Y.applyUpdate(seen, first);
    stored.length = 0;
    b!.sent.length = 0;

    // Everything the client has, as a reconnecting client may answer: all known already.
    r.receive(a!.conn, encodeSyncStep2(Y.encodeStateAsUpdate(client)));
    await tick();
    expect(b!.sent).toEqual([]);
    expect(stored).toEqual([]);

    // Its offline edit, along with the rest.
    edit(client, (t) => t.insert(5, ' and new'));
    r.receive(a!.conn, encodeSyncStep2(Y.encodeStateAsUpdate(client)));
    await tick();
    const [relayed] = updatesIn(b!.sent);
    Y.applyUpdate(seen, relayed!);
    expect(seen.getText('t').toString()).toBe('known and new');
    expect(relayed!.byteLength).toBeLessThan(Y.encodeStateAsUpdate(client).byteLength);
    expect(stored).toHaveLength(1);
    expect(r.doc.getText('t').toString()).toBe('known and new');
  });

  it('relays and stores a change the server makes itself', async () => {
    const { r, people: [a, b], stored } = room();
    r.doc.transact(() => r.doc.getText('t').insert(0, 'Adopted wording'), 'proposal');
    await tick();
    for (const p of [a!, b!]) {
      const seen = new Y.Doc();
      for (const u of updatesIn(p.sent)) Y.applyUpdate(seen, u);
      expect(seen.getText('t').toString()).toBe('Adopted wording');
    }
    const fromStore = new Y.Doc();
    for (const u of stored) Y.applyUpdate(fromStore, u);
    expect(fromStore.getText('t').toString()).toBe('Adopted wording');
  });
});

describe('a room applies a turn’s updates together', () => {
  it('applies updates that arrive in one read in one transaction, and relays and stores each in order', async () => {
    const { r, people: [a, b], stored } = room();
    let transactions = 0;
    r.doc.on('afterTransaction', () => transactions++);
    const client = new Y.Doc();
    const updates = ['A', 'r', 't'].map((ch, i) => edit(client, (t) => t.insert(i, ch)));
    for (const u of updates) r.receive(a!.conn, encodeUpdate(u));
    await tick();
    expect(transactions).toBe(1);
    expect(updatesIn(b!.sent)).toEqual(updates);
    expect(stored).toEqual(updates);
    expect(r.doc.getText('t').toString()).toBe('Art');
  });

  it('answers a newcomer’s sync request with the updates received just before it', () => {
    const { r, people: [a, b] } = room();
    const client = new Y.Doc();
    const update = edit(client, (t) => t.insert(0, 'Goal 16'));
    r.receive(a!.conn, encodeUpdate(update));
    b!.sent.length = 0;
    // Before the end of the turn: the update is not applied yet unless the request makes it so.
    r.receive(b!.conn, encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    const seen = new Y.Doc();
    for (const u of updatesIn(b!.sent)) Y.applyUpdate(seen, u);
    expect(seen.getText('t').toString()).toBe('Goal 16');
  });
});

describe('framing', () => {
  it('frames a large update (a newcomer’s whole document) and a small one so that both decode back intact', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'Article 3. '.repeat(2_000));
    const large = Y.encodeStateAsUpdate(doc);
    const small = edit(doc, (t) => t.insert(0, '§'));
    expect(large.byteLength).toBeGreaterThan(4096);
    for (const [update, encode] of [[large, encodeSyncStep2], [small, encodeUpdate]] as const) {
      const message = decodeMessage(encode(update));
      expect(message.type === 'sync-step-2' || message.type === 'update' ? message.update : null).toEqual(update);
    }
  });
});
