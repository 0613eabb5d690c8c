/**
 * The y-websocket wire format as the simulated clients speak it, plus the
 * two cheap readers the load generators rely on: clock ranges of an update
 * (for loss accounting) and the send times typists embed in their text.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

export const MSG_SYNC = 0;
export const MSG_AWARENESS = 1;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;

function frame(write: (e: encoding.Encoder) => void): Buffer {
  const e = encoding.createEncoder();
  write(e);
  const bytes = encoding.toUint8Array(e);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Sync step 1 with a state vector (empty by default: "send me everything"). */
export const syncStep1Frame = (stateVector: Uint8Array = Y.encodeStateVector(new Y.Doc())): Buffer =>
  frame((e) => (encoding.writeVarUint(e, MSG_SYNC), encoding.writeVarUint(e, STEP1), encoding.writeVarUint8Array(e, stateVector)));

export const updateFrame = (update: Uint8Array): Buffer =>
  frame((e) => (encoding.writeVarUint(e, MSG_SYNC), encoding.writeVarUint(e, UPDATE), encoding.writeVarUint8Array(e, update)));

/** An awareness message announcing one client's state (as y-protocols encodes it). */
export const awarenessFrame = (clientId: number, clock: number, state: string): Buffer =>
  frame((e) => {
    encoding.writeVarUint(e, MSG_AWARENESS);
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, clientId);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, state);
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  });

export type Incoming =
  | { kind: 'step1' }
  | { kind: 'update'; update: Uint8Array; step2: boolean }
  | { kind: 'awareness'; entries: { clientId: number; clock: number; state: string }[] }
  | { kind: 'other' };

/** Reads one frame; awareness entries are only decoded when asked (most receivers just count them). */
export function readFrame(data: Uint8Array, decodeAwareness: boolean): Incoming {
  const d = decoding.createDecoder(data);
  const type = decoding.readVarUint(d);
  if (type === MSG_SYNC) {
    const step = decoding.readVarUint(d);
    if (step === STEP1) return { kind: 'step1' };
    return { kind: 'update', update: decoding.readVarUint8Array(d), step2: step === STEP2 };
  }
  if (type === MSG_AWARENESS) {
    if (!decodeAwareness) return { kind: 'awareness', entries: [] };
    const inner = decoding.createDecoder(decoding.readVarUint8Array(d));
    const entries = [];
    for (let n = decoding.readVarUint(inner); n > 0; n--) {
      entries.push({ clientId: decoding.readVarUint(inner), clock: decoding.readVarUint(inner), state: decoding.readVarString(inner) });
    }
    return { kind: 'awareness', entries };
  }
  return { kind: 'other' };
}

/** Skips a var string and returns its length in UTF-16 units (what a Yjs clock counts), without decoding it. */
function skipString(d: decoding.Decoder): number {
  const bytes = decoding.readVarUint8Array(d);
  let units = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1; // lead bytes; 4-byte sequences are surrogate pairs
  }
  return units;
}

/**
 * Appends [client, fromClock, toClock] for each client in a (v1) update.
 * Reads just the struct headers and string lengths — a fraction of a
 * microsecond for a typist's update, against several for `Y.parseUpdateMeta`,
 * which is the fallback for anything unusual.
 */
export function clockRanges(update: Uint8Array, out: number[]): void {
  const start = out.length;
  try {
    const d = decoding.createDecoder(update);
    for (let clients = decoding.readVarUint(d); clients > 0; clients--) {
      const structs = decoding.readVarUint(d);
      const client = decoding.readVarUint(d);
      const from = decoding.readVarUint(d);
      let clock = from;
      for (let i = 0; i < structs; i++) {
        const info = decoding.readUint8(d);
        const ref = info & 31;
        if (ref === 0) {
          clock += decoding.readVarUint(d); // GC
          continue;
        }
        if (info & 128) (decoding.readVarUint(d), decoding.readVarUint(d));
        if (info & 64) (decoding.readVarUint(d), decoding.readVarUint(d));
        if ((info & 192) === 0) {
          if (decoding.readVarUint(d) === 1) skipString(d);
          else (decoding.readVarUint(d), decoding.readVarUint(d));
          if (info & 32) skipString(d);
        }
        if (ref === 4) clock += skipString(d); // ContentString
        else if (ref === 1) clock += decoding.readVarUint(d); // ContentDeleted
        else throw new Error('unusual struct');
      }
      out.push(client, from, clock);
    }
  } catch {
    out.length = start;
    const { from, to } = Y.parseUpdateMeta(update);
    for (const [client, clock] of to) out.push(client, from.get(client) ?? 0, clock);
  }
}

/** Typists insert fixed-width send times, so one update is always STAMP_LEN clock units. */
export const STAMP_LEN = 16;

/** `ms` (monotonic, 0.1 ms resolution) as 15 digits and a ';'. */
export const stamp = (ms: number): string => String(Math.round(ms * 10)).padStart(STAMP_LEN - 1, '0') + ';';

/**
 * Calls `found(sendTimeMs, clock)` for each complete stamp in a string that
 * starts at `clock`; stamps begin at multiples of STAMP_LEN in the sender's clock.
 */
export function readStamps(str: string, clock: number, found: (sendTimeMs: number, clock: number) => void): void {
  for (let k = (STAMP_LEN - (clock % STAMP_LEN)) % STAMP_LEN; k + STAMP_LEN <= str.length; k += STAMP_LEN) {
    if (str.charCodeAt(k + STAMP_LEN - 1) !== 59) continue;
    found(Number(str.slice(k, k + STAMP_LEN - 1)) / 10, clock + k);
  }
}
