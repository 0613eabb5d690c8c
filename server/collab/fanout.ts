import * as awarenessProtocol from 'y-protocols/awareness';
import { encodeAwareness, encodeUpdate } from './protocol.ts';
import { mergeMany } from './merge.ts';
import type { Connection } from './room.ts';
import { Throttle } from '../throttle.ts';

/** Up to this many connections, updates go out one by one as they come: nothing to gain from merging. */
const smallRoom = 8;

/**
 * The least time between two relays of text in a room, by its size: none up
 * to 300 people (each turn's updates go out merged at its end, which a 2-core
 * server sustains), then up to a few tens of milliseconds in a plenary, where
 * one merged message per interval to each of a thousand people costs far less
 * than one message per keystroke. It bounds a big room to about 25,000 sends a
 * second.
 */
export function relayIntervalMs(connections: number): number {
  if (connections <= unthrottled) return 0;
  return Math.min(40, Math.ceil(connections / 25));
}

/** Up to this many connections, every turn's updates go out merged at its end, however often. */
const unthrottled = 300;

/**
 * Awareness (cursors, names) is less urgent than text: its own interval is
 * longer in big rooms, where it would cost as many sends as the text itself
 * (cursors move about once a second; a tenth of a second more is not seen).
 * It also leaves with every text relay, in the same write to each person.
 */
const awarenessIntervalMs = (connections: number) =>
  connections <= smallRoom ? 0 : Math.max(relayIntervalMs(connections), connections > 100 ? 100 : 50);

/**
 * Relays a room's document updates and awareness changes to its connections,
 * coalesced: updates gathered since the last relay are merged into one update
 * and framed once for everyone; awareness changes become one message with the
 * latest state of every client that changed. A relay goes out at the end of
 * the current turn of the event loop unless the room's interval since the
 * previous one has not yet passed, so a lone keystroke waits for nothing and a
 * busy plenary is throttled.
 */
export class Fanout {
  #updates: Uint8Array[] = [];
  #origins = new Set<unknown>();
  #awarenessIds = new Set<number>();
  readonly #updateRelay = new Throttle(() => this.#relayUpdates(), () => relayIntervalMs(this.connections.size));
  readonly #awarenessRelay = new Throttle(() => this.#relayAwareness(), () => awarenessIntervalMs(this.connections.size));

  constructor(
    private readonly connections: ReadonlySet<Connection>,
    private readonly awareness: awarenessProtocol.Awareness,
  ) {}

  update(update: Uint8Array, origin: unknown): void {
    if (this.connections.size <= smallRoom && this.#updates.length === 0) {
      const frame = encodeUpdate(update);
      for (const c of this.connections) if (c !== origin) c.socket.send(frame);
      return;
    }
    this.#updates.push(update);
    this.#origins.add(origin);
    this.#updateRelay.request();
  }

  awarenessChanged(clientIds: readonly number[]): void {
    for (const id of clientIds) this.#awarenessIds.add(id);
    this.#awarenessRelay.request();
  }

  flushUpdates(): void {
    this.#updateRelay.flush();
  }

  flushAwareness(): void {
    this.#awarenessRelay.flush();
  }

  #relayUpdates(): boolean {
    const updates = this.#updates;
    const origins = this.#origins;
    if (updates.length > 0) {
      this.#updates = [];
      this.#origins = new Set();
      const frame = encodeUpdate(mergeMany(updates));
      // When everything came from one connection it already has it; otherwise everyone gets the merge (applying it twice is harmless).
      const skip = origins.size === 1 ? [...origins][0] : undefined;
      for (const c of this.connections) if (c !== skip) c.socket.send(frame);
    }
    // Pending cursors ride along: the same write to each person carries both.
    if (this.#awarenessIds.size > 0) this.#awarenessRelay.flush();
    return updates.length > 0;
  }

  #relayAwareness(): boolean {
    if (this.#awarenessIds.size === 0) return false;
    const ids = [...this.#awarenessIds];
    this.#awarenessIds.clear();
    // Sent to the senders too: y-websocket clients take long silence for a dead connection.
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
    for (const c of this.connections) c.socket.send(frame);
    return true;
  }

  dispose(): void {
    this.#updateRelay.cancel();
    this.#awarenessRelay.cancel();
  }
}
