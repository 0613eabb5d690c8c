import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import { Connection } from '../server/collab/room.ts';
import { Fanout, relayIntervalMs } from '../server/collab/fanout.ts';

function fakeConnections(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const frames: Uint8Array[] = [];
    return { conn: new Connection({ send: (d) => frames.push(d), close: () => undefined }, true, `c${i}`), frames };
  });
}

/** Applies the update inside a y-websocket update frame to a doc. */
function applyFrame(doc: Y.Doc, frame: Uint8Array): void {
  const d = decoding.createDecoder(frame);
  expect(decoding.readVarUint(d)).toBe(0);
  expect(decoding.readVarUint(d)).toBe(2);
  Y.applyUpdate(doc, decoding.readVarUint8Array(d));
}

/** Moves the fake clock past `ms`, running what falls due. */
const settle = (ms: number) => vi.advanceTimersByTime(ms + 5);

describe('coalesced relaying of updates and awareness', () => {
  // The relay intervals are a few ms: on a busy machine that much passes between two lines of a
  // test, so the clock is a fake one that moves only when told to ("the end of the turn" included).
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] }));
  afterEach(() => void vi.useRealTimers());

  it('relays every turn\'s updates in a room of 300 at the end of that turn, however close together', async () => {
    const people = fakeConnections(300);
    const source = new Y.Doc();
    const fanout = new Fanout(new Set(people.map((p) => p.conn)), new awarenessProtocol.Awareness(source));
    source.on('update', (u: Uint8Array) => fanout.update(u, people[0]!.conn));
    for (const word of ['one', 'two', 'three']) {
      source.getText('t').insert(0, word);
      vi.advanceTimersByTime(0);
    }
    expect(people[1]!.frames).toHaveLength(3);
  });

  it('merges a burst of updates into one message per recipient in a large room, losing none', async () => {
    const people = fakeConnections(200);
    const source = new Y.Doc();
    const fanout = new Fanout(new Set(people.map((p) => p.conn)), new awarenessProtocol.Awareness(source));
    const updates: [Uint8Array, Connection][] = [];
    source.on('update', (u: Uint8Array) => updates.push([u, people[updates.length % 10]!.conn]));
    for (let i = 0; i < 30; i++) source.getText('t').insert(i, String(i % 10));
    for (const [u, origin] of updates) fanout.update(u, origin);
    expect(people.every((p) => p.frames.length === 0)).toBe(true);

    await settle(relayIntervalMs(200));
    for (const p of people) {
      expect(p.frames).toHaveLength(1);
      const doc = new Y.Doc();
      applyFrame(doc, p.frames[0]!);
      expect(doc.getText('t').toString()).toBe(source.getText('t').toString());
    }
  });

  it('relays a lone update at the end of the turn, and holds the next until the room\'s interval has passed', async () => {
    const people = fakeConnections(1000);
    const source = new Y.Doc();
    const fanout = new Fanout(new Set(people.map((p) => p.conn)), new awarenessProtocol.Awareness(source));
    source.on('update', (u: Uint8Array) => fanout.update(u, people[0]!.conn));
    source.getText('t').insert(0, 'a');
    vi.advanceTimersByTime(0);
    expect(people[1]!.frames).toHaveLength(1);

    source.getText('t').insert(1, 'b');
    source.getText('t').insert(2, 'c');
    vi.advanceTimersByTime(0);
    expect(people[1]!.frames).toHaveLength(1);
    vi.advanceTimersByTime(relayIntervalMs(1000) - 1);
    expect(people[1]!.frames).toHaveLength(1);
    await settle(relayIntervalMs(1000));
    expect(people[1]!.frames).toHaveLength(2);
    const doc = new Y.Doc();
    for (const f of people[1]!.frames) applyFrame(doc, f);
    expect(doc.getText('t').toString()).toBe('abc');
  });

  it('sends pending cursors along with the text rather than waiting for their own interval', async () => {
    const people = fakeConnections(200);
    const source = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(source);
    const fanout = new Fanout(new Set(people.map((p) => p.conn)), awareness);
    // A cursor relayed just now: the next one would wait 100 ms on its own.
    awareness.setLocalStateField('cursor', 1);
    fanout.awarenessChanged([source.clientID]);
    fanout.flushAwareness();
    awareness.setLocalStateField('cursor', 2);
    fanout.awarenessChanged([source.clientID]);
    source.on('update', (u: Uint8Array) => fanout.update(u, people[0]!.conn));
    source.getText('t').insert(0, 'x');
    vi.advanceTimersByTime(0);
    const kinds = people[3]!.frames.map((f) => f[0]);
    expect(kinds).toEqual([1, 0, 1]);
  });

  it('relays at once in a small room, and not back to the only sender', async () => {
    const people = fakeConnections(3);
    const source = new Y.Doc();
    const fanout = new Fanout(new Set(people.map((p) => p.conn)), new awarenessProtocol.Awareness(source));
    source.on('update', (u: Uint8Array) => fanout.update(u, people[0]!.conn));
    source.getText('t').insert(0, 'hello');
    vi.advanceTimersByTime(0);
    expect(people.map((p) => p.frames.length)).toEqual([0, 1, 1]);
  });

  it('sends one awareness message with the latest state of everyone who moved, to everyone', async () => {
    const people = fakeConnections(50);
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    const fanout = new Fanout(new Set(people.map((p) => p.conn)), awareness);
    awareness.setLocalStateField('cursor', 1);
    awareness.setLocalStateField('cursor', 2);
    fanout.awarenessChanged([doc.clientID]);
    fanout.awarenessChanged([doc.clientID]);
    await settle(50);
    for (const p of people) expect(p.frames).toHaveLength(1);
    const other = new awarenessProtocol.Awareness(new Y.Doc());
    const d = decoding.createDecoder(people[7]!.frames[0]!);
    expect(decoding.readVarUint(d)).toBe(1);
    awarenessProtocol.applyAwarenessUpdate(other, decoding.readVarUint8Array(d), 'test');
    expect(other.getStates().get(doc.clientID)).toEqual({ cursor: 2 });
  });
});

describe('merging many updates', () => {
  it('gives the same document as merging them all at once, for any batch size', async () => {
    const { mergeMany } = await import('../server/collab/merge.ts');
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 300; i++) {
      const t = source.getText('t');
      if (i % 7 === 3 && t.length > 2) t.delete(Math.floor(t.length / 2), 1);
      else t.insert(i % 5 === 0 ? 0 : t.length, String.fromCharCode(97 + (i % 26)));
    }
    for (const size of [1, 2, 8, 9, 64, 300]) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, mergeMany(updates.slice(0, size)));
      const expected = new Y.Doc();
      Y.applyUpdate(expected, Y.mergeUpdates(updates.slice(0, size)));
      expect(doc.getText('t').toString()).toBe(expected.getText('t').toString());
    }
  });
});

describe('a batch merged as it fills', () => {
  it('holds every update pushed, across levels, and after taking in another batch', async () => {
    const { MergingBatch } = await import('../server/collab/merge.ts');
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    const t = source.getText('t');
    for (let i = 0; i < 1500; i++) {
      if (i % 5 === 4) t.delete(t.length - 1, 1);
      else t.insert(i % 3 === 0 ? 0 : t.length, String.fromCharCode(97 + (i % 26)));
    }
    const first = new MergingBatch();
    const second = new MergingBatch();
    updates.slice(0, 1100).forEach((u) => first.push(u));
    updates.slice(1100).forEach((u) => second.push(u));
    expect(first.size).toBe(1100);
    second.absorb(first);
    expect(second.size).toBe(1500);
    // 1,500 updates: one full part of 1,024 kept as it is, and the rest merged into one.
    const parts = second.parts();
    expect(parts).toHaveLength(2);
    const doc = new Y.Doc();
    for (const part of parts) Y.applyUpdate(doc, part);
    expect(doc.getText('t').toString()).toBe(t.toString());
    expect(new MergingBatch().parts()).toEqual([]);
  });

  it('keeps a growing batch in parts of 1,024 rather than merging it ever further', async () => {
    const { MergingBatch } = await import('../server/collab/merge.ts');
    const source = new Y.Doc();
    const batch = new MergingBatch();
    source.on('update', (u: Uint8Array) => batch.push(u));
    const t = source.getText('t');
    for (let i = 0; i < 5 * 1024; i++) t.insert(t.length, String.fromCharCode(97 + (i % 26)));
    const parts = batch.parts();
    expect(parts).toHaveLength(5);
    const doc = new Y.Doc();
    for (const part of parts) Y.applyUpdate(doc, part);
    expect(doc.getText('t').toString()).toBe(t.toString());
  });
});
