import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

/**
 * Sets of Yjs item ids as clock ranges per client, kept sorted and merged
 * (touching or overlapping ranges become one). A client's clocks grow as it
 * types, so a member's insertions are usually one range per client id;
 * deletions are many short ranges, which merge as adjacent ones arrive.
 */
export class IdRanges {
  /** Per client: [clock, len, clock, len, …], sorted by clock, not touching. */
  readonly clients = new Map<number, number[]>();

  get empty(): boolean {
    return this.clients.size === 0;
  }

  add(client: number, clock: number, len: number): void {
    if (len <= 0) return;
    let list = this.clients.get(client);
    if (!list) this.clients.set(client, (list = []));
    const n = list.length;
    // The common case: ranges arrive in clock order (typing), so they extend or follow the last.
    if (n === 0 || clock > list[n - 2]! + list[n - 1]!) {
      list.push(clock, len);
      return;
    }
    if (clock >= list[n - 2]!) {
      list[n - 1] = Math.max(list[n - 1]!, clock + len - list[n - 2]!);
      return;
    }
    insertMerged(list, clock, len);
  }

  addAll(other: IdRanges): void {
    for (const [client, list] of other.clients) for (let i = 0; i < list.length; i += 2) this.add(client, list[i]!, list[i + 1]!);
  }

  /** Calls `f` for every range. */
  forEach(f: (client: number, clock: number, len: number) => void): void {
    for (const [client, list] of this.clients) for (let i = 0; i < list.length; i += 2) f(client, list[i]!, list[i + 1]!);
  }

  /** How many ids in all. */
  get size(): number {
    let n = 0;
    for (const list of this.clients.values()) for (let i = 1; i < list.length; i += 2) n += list[i]!;
    return n;
  }

  /**
   * Compact bytes: per client its id and its ranges, each clock as the gap
   * from the end of the range before it (small numbers, one or two bytes).
   */
  encode(): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, this.clients.size);
    for (const [client, list] of this.clients) {
      encoding.writeVarUint(e, client);
      encoding.writeVarUint(e, list.length / 2);
      let end = 0;
      for (let i = 0; i < list.length; i += 2) {
        encoding.writeVarUint(e, list[i]! - end);
        encoding.writeVarUint(e, list[i + 1]!);
        end = list[i]! + list[i + 1]!;
      }
    }
    return encoding.toUint8Array(e);
  }

  static decode(bytes: Uint8Array): IdRanges {
    const ranges = new IdRanges();
    const d = decoding.createDecoder(bytes);
    const clients = decoding.readVarUint(d);
    for (let c = 0; c < clients; c++) {
      const client = decoding.readVarUint(d);
      const count = decoding.readVarUint(d);
      const list: number[] = [];
      let end = 0;
      for (let i = 0; i < count; i++) {
        const clock = end + decoding.readVarUint(d);
        const len = decoding.readVarUint(d);
        list.push(clock, len);
        end = clock + len;
      }
      if (list.length > 0) ranges.clients.set(client, list);
    }
    return ranges;
  }
}

/** Inserts [clock, clock+len) into a sorted list, merging with every range it touches. */
function insertMerged(list: number[], clock: number, len: number): void {
  let start = clock;
  let end = clock + len;
  // First range whose end reaches `start`.
  let lo = 0;
  let hi = list.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid * 2]! + list[mid * 2 + 1]! < start) lo = mid + 1;
    else hi = mid;
  }
  let last = lo;
  while (last * 2 < list.length && list[last * 2]! <= end) {
    start = Math.min(start, list[last * 2]!);
    end = Math.max(end, list[last * 2]! + list[last * 2 + 1]!);
    last++;
  }
  list.splice(lo * 2, (last - lo) * 2, start, end - start);
}
