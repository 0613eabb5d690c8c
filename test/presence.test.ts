import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { applyStates, ClientIdBindings, stampState } from '../server/collab/presence.ts';
import type { AwarenessEntry } from '../server/collab/protocol.ts';
import type { AwarenessUser } from '../shared/collab.ts';

const user: AwarenessUser = { alias: 3, group: 'nhri', role: 'observer', color: '#7a3b9a' };
const position = { type: null, tname: 'body', item: { client: 12, clock: 4 }, assoc: 0 };

describe('stamping an awareness state', () => {
  it('drops every identity field the client sent and sets the server’s user', () => {
    const sent = { user: { name: 'Facilitator' }, name: 'x', displayName: 'x', alias: 1, group: 'government', role: 'facilitator', color: '#000', colour: '#000', organisation: 'x', email: 'x', cursor: null, t: 5 };
    expect(stampState(sent, user)).toEqual({ cursor: null, t: 5, user });
  });

  it('keeps a well-formed cursor and replaces a malformed one by null', () => {
    const cursor = { anchor: position, head: { ...position, item: null, type: { client: 1, clock: 0 } } };
    expect(stampState({ cursor }, user)).toEqual({ cursor, user });
    for (const bad of [5, 'x', {}, { anchor: position }, { anchor: position, head: 7 }, { anchor: { ...position, item: { client: -1, clock: 0 } }, head: position }, { anchor: { ...position, assoc: 0.5 }, head: position }])
      expect(stampState({ cursor: bad }, user)).toEqual({ cursor: null, user });
  });

  it('refuses what is not an object, and never lets a "__proto__" key reach the prototype', () => {
    for (const bad of [null, 3, 'x', [1, 2], true]) expect(stampState(bad, user)).toBeNull();
    const stamped = stampState(JSON.parse('{"__proto__": {"polluted": true}, "cursor": null}'), user)!;
    expect(Object.getPrototypeOf(stamped)).toBe(Object.prototype);
    expect((stamped as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('applying decoded awareness states', () => {
  /** The same entries through y-protocols (encoded) and through applyStates (decoded): same states, clocks and events. */
  it('matches y-protocols’ applyAwarenessUpdate, step by step', () => {
    const theirs = new awarenessProtocol.Awareness(new Y.Doc());
    const ours = new awarenessProtocol.Awareness(new Y.Doc());
    theirs.setLocalState(null);
    ours.setLocalState(null);
    const events = (a: awarenessProtocol.Awareness) => {
      const seen: unknown[] = [];
      a.on('change', (e: unknown) => seen.push(['change', e]));
      a.on('update', (e: unknown) => seen.push(['update', e]));
      return seen;
    };
    const theirEvents = events(theirs);
    const ourEvents = events(ours);
    const steps: AwarenessEntry[][] = [
      [{ clientId: 1, clock: 1, state: { cursor: null } }, { clientId: 2, clock: 1, state: { a: 1 } }],
      [{ clientId: 1, clock: 2, state: { cursor: null } }], // same state: an update, not a change
      [{ clientId: 1, clock: 2, state: { cursor: 1 } }], // stale clock: ignored
      [{ clientId: 2, clock: 2, state: { a: 2 } }],
      [{ clientId: 2, clock: 3, state: null }],
      [{ clientId: 2, clock: 3, state: null }], // already gone
      [{ clientId: 2, clock: 4, state: { a: 3 } }], // back again
    ];
    for (const step of steps) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, step.length);
      for (const { clientId, clock, state } of step) {
        encoding.writeVarUint(e, clientId);
        encoding.writeVarUint(e, clock);
        encoding.writeVarString(e, JSON.stringify(state));
      }
      awarenessProtocol.applyAwarenessUpdate(theirs, encoding.toUint8Array(e), 'origin');
      applyStates(ours, step, 'origin');
      expect([...ours.getStates()]).toEqual([...theirs.getStates()]);
      const clocks = (a: awarenessProtocol.Awareness) => [...a.meta].filter(([id]) => id !== a.clientID).map(([id, m]) => [id, m.clock]);
      expect(clocks(ours)).toEqual(clocks(theirs));
    }
    expect(ourEvents).toEqual(theirEvents);
    theirs.destroy();
    ours.destroy();
  });
});

describe('binding client ids to accounts', () => {
  it('binds an id to the first account that uses it, for good', () => {
    const bindings = new ClientIdBindings(4, () => false);
    expect(bindings.claim(10, 'drafter')).toBe(true);
    expect(bindings.claim(10, 'observer')).toBe(false);
    expect(bindings.claim(10, 'drafter')).toBe(true);
  });

  it('forgets an account’s oldest idle id past its cap, and never one with a live state', () => {
    const live = new Set<number>();
    const bindings = new ClientIdBindings(2, (id) => live.has(id));
    expect(bindings.claim(1, 'a')).toBe(true);
    expect(bindings.claim(2, 'a')).toBe(true);
    live.add(1);
    expect(bindings.claim(3, 'a')).toBe(true); // 2 was idle: forgotten
    expect(bindings.claim(2, 'b')).toBe(true);
    expect(bindings.claim(1, 'b')).toBe(false); // still a's
    live.add(3);
    expect(bindings.claim(4, 'a')).toBe(true); // 1 and 3 both live: kept, and 4 bound too
    expect(bindings.claim(1, 'c')).toBe(false);
    expect(bindings.claim(3, 'c')).toBe(false);
    expect(bindings.claim(4, 'c')).toBe(false);
    expect(bindings.claim(5, 'c')).toBe(true); // other accounts are not affected
  });
});
