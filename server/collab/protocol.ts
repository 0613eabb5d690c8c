/**
 * Codecs for the y-websocket protocol, kept apart from rooms and sockets.
 * Every incoming frame is decoded *completely* before anything is applied, so
 * a malformed or truncated message is refused whole and changes nothing.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { decodeUtf8 } from 'lib0/string';
import { presenceLimits } from '../../shared/limits.ts';

export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;

export type IncomingMessage =
  | { type: 'sync-step-1'; stateVector: Uint8Array }
  | { type: 'sync-step-2'; update: Uint8Array; empty: boolean; structs: DecodedStructs; ds: DecodedDeletions }
  | { type: 'update'; update: Uint8Array; empty: boolean; structs: DecodedStructs; ds: DecodedDeletions }
  | { type: 'awareness'; update: Uint8Array; entries: AwarenessEntry[] }
  | { type: 'query-awareness' };

/** An update's structs as decoded for checking, kept for the plan check (no second decode). */
export type DecodedStructs = ReturnType<typeof Y.decodeUpdate>['structs'];
/** An update's delete set as decoded for checking (Yjs does not export its class's type). */
export type DecodedDeletions = ReturnType<typeof Y.decodeUpdate>['ds'];

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** null when the client left; null too when oversize */
  state: unknown;
  /** Larger than `presenceLimits.awarenessStateBytes`: not even parsed, to be dropped. */
  oversize?: boolean;
}

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

export function exhaustive(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

/** Runs a decoder and turns any failure (lib0 throws on reading past the end) into a ProtocolError. */
function guarded<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw new ProtocolError(`Malformed ${what}`);
  }
}

function finish(decoder: decoding.Decoder, what: string): void {
  if (decoding.hasContent(decoder)) throw new ProtocolError(`Trailing bytes after ${what}`);
}

/**
 * Checks that a Yjs update decodes fully, so that applying it cannot fail
 * half-way; tells whether it carries anything (inserts or deletions).
 */
export function checkUpdate(update: Uint8Array): { empty: boolean; structs: DecodedStructs; ds: DecodedDeletions } {
  const { structs, ds } = guarded('Yjs update', () => Y.decodeUpdate(update));
  return { empty: structs.length === 0 && ds.clients.size === 0, structs, ds };
}

function readAwareness(payload: Uint8Array): AwarenessEntry[] {
  return guarded('awareness update', () => {
    const d = decoding.createDecoder(payload);
    const count = decoding.readVarUint(d);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const json = decoding.readVarUint8Array(d);
      if (json.byteLength > presenceLimits.awarenessStateBytes) entries.push({ clientId, clock, state: null, oversize: true });
      else entries.push({ clientId, clock, state: JSON.parse(decodeUtf8(json)) as unknown });
    }
    finish(d, 'awareness update');
    return entries;
  });
}

export function decodeMessage(frame: Uint8Array): IncomingMessage {
  return guarded('message', () => {
    const d = decoding.createDecoder(frame);
    const kind = decoding.readVarUint(d);
    switch (kind) {
      case MessageType.sync: {
        const step = decoding.readVarUint(d);
        const payload = decoding.readVarUint8Array(d);
        finish(d, 'sync message');
        if (step === syncProtocol.messageYjsSyncStep1) {
          guarded('state vector', () => Y.decodeStateVector(payload));
          return { type: 'sync-step-1', stateVector: payload };
        }
        if (step !== syncProtocol.messageYjsSyncStep2 && step !== syncProtocol.messageYjsUpdate)
          throw new ProtocolError(`Unknown sync message ${step}`);
        const { empty, structs, ds } = checkUpdate(payload);
        return { type: step === syncProtocol.messageYjsSyncStep2 ? 'sync-step-2' : 'update', update: payload, empty, structs, ds };
      }
      case MessageType.awareness: {
        const update = decoding.readVarUint8Array(d);
        finish(d, 'awareness message');
        return { type: 'awareness', update, entries: readAwareness(update) };
      }
      case MessageType.queryAwareness:
        finish(d, 'query-awareness message');
        return { type: 'query-awareness' };
      default:
        throw new ProtocolError(`Unknown message type ${kind}`);
    }
  });
}

/**
 * A message: its type (and a sync message's kind), then the payload with its
 * length. A large payload (a whole document for a newcomer) is copied once,
 * straight into the frame: the encoder would copy it twice, 35 ms for 24 MiB.
 */
function frame(header: readonly number[], payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  for (const n of header) encoding.writeVarUint(e, n);
  if (payload.byteLength < 4096) {
    encoding.writeVarUint8Array(e, payload);
    return encoding.toUint8Array(e);
  }
  encoding.writeVarUint(e, payload.byteLength);
  const head = encoding.toUint8Array(e);
  const out = new Uint8Array(head.byteLength + payload.byteLength);
  out.set(head);
  out.set(payload, head.byteLength);
  return out;
}

/** Sync step 1 announcing an encoded state vector (`Y.encodeStateVector`). */
export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array => frame([MessageType.sync, syncProtocol.messageYjsSyncStep1], stateVector);

/** Sync step 2 carrying an already encoded update (the whole state, or the diff a client lacks). */
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array => frame([MessageType.sync, syncProtocol.messageYjsSyncStep2], update);

export const encodeUpdate = (update: Uint8Array): Uint8Array => frame([MessageType.sync, syncProtocol.messageYjsUpdate], update);

export const encodeAwareness = (update: Uint8Array): Uint8Array => frame([MessageType.awareness], update);

/**
 * Tells a client in-band that its edits were refused (y-websocket's auth
 * message, "permission denied" with a reason), without closing the socket.
 */
export function encodePermissionDenied(reason: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.auth);
  encoding.writeVarUint(e, 0);
  encoding.writeVarString(e, reason);
  return encoding.toUint8Array(e);
}
