import * as awarenessProtocol from 'y-protocols/awareness';
import { encodeAwareness, encodeUpdate } from './protocol.ts';
import { mergeMany } from './merge.ts';
import type { Connection } from './room.ts';

/**
 * How long a room gathers updates before relaying them, by its size: nothing
 * beyond the current turn of the event loop for small rooms, up to a few tens
 * of milliseconds for a plenary, where one merged message per window to each
 * of a thousand people costs far less than one message per keystroke.
 */
export function relayWindowMs(connections: number): number {
  if (connections <= smallRoom) return 0;
  return Math.min(40, Math.ceil(connections / 25));
}

/** Up to this many connections, updates go out one by one as they come: nothing to gain from merging. */
const smallRoom = 8;

/**
 * Awareness (cursors, names) is less urgent than text: it waits longer in big
 * rooms, where it costs as many sends as the text itself (cursors move about
 * once a second; a tenth of a second more is not seen).
 */
const awarenessWindowMs = (connections: number) =>
  connections <= smallRoom ? 0 : Math.max(relayWindowMs(connections), connections > 100 ? 100 : 50);

/**
 * Relays a room's document updates and awareness changes to its connections,
 * coalesced: updates gathered in a window are merged into one update and
 * framed once for everyone; awareness changes become one message with the
 * latest state of every client that changed.
 */
export class Fanout {
  #updates: Uint8Array[] = [];
  #origins = new Set<unknown>();
  #updateTimer: Cancel | undefined;
  #awarenessIds = new Set<number>();
  #awarenessTimer: Cancel | undefined;

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
    this.#updateTimer ??= schedule(relayWindowMs(this.connections.size), () => this.flushUpdates());
  }

  awarenessChanged(clientIds: readonly number[]): void {
    for (const id of clientIds) this.#awarenessIds.add(id);
    this.#awarenessTimer ??= schedule(awarenessWindowMs(this.connections.size), () => this.flushAwareness());
  }

  flushUpdates(): void {
    this.#updateTimer?.();
    this.#updateTimer = undefined;
    if (this.#updates.length === 0) return;
    const updates = this.#updates;
    const origins = this.#origins;
    this.#updates = [];
    this.#origins = new Set();
    const frame = encodeUpdate(mergeMany(updates));
    // When everything came from one connection it already has it; otherwise everyone gets the merge (applying it twice is harmless).
    const skip = origins.size === 1 ? [...origins][0] : undefined;
    for (const c of this.connections) if (c !== skip) c.socket.send(frame);
  }

  flushAwareness(): void {
    this.#awarenessTimer?.();
    this.#awarenessTimer = undefined;
    if (this.#awarenessIds.size === 0) return;
    const ids = [...this.#awarenessIds];
    this.#awarenessIds.clear();
    // Sent to the senders too: y-websocket clients take long silence for a dead connection.
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
    for (const c of this.connections) c.socket.send(frame);
  }

  dispose(): void {
    this.#updateTimer?.();
    this.#awarenessTimer?.();
  }
}

type Cancel = () => void;

/** Runs `fn` after `ms`, or at the end of this turn of the event loop when `ms` is 0; returns a canceller. */
function schedule(ms: number, fn: () => void): Cancel {
  if (ms === 0) {
    const handle = setImmediate(fn);
    return () => clearImmediate(handle);
  }
  const handle = setTimeout(fn, ms);
  return () => clearTimeout(handle);
}
