import type * as Y from 'yjs';
import type { Attribution, AttributionIndex } from './types.ts';
import type { StoredRun } from './attribution.runs.ts';
import { IdRanges } from './attribution.ranges.ts';

/** One client's attributed ids: disjoint ranges sorted by clock, each with who made it. */
interface Table {
  starts: number[];
  ends: number[];
  who: Attribution[];
}

interface Segment {
  start: number;
  end: number;
  /** Position of its run in time order: the earlier run wins where two claim the same id. */
  order: number;
}

/**
 * Who inserted and who deleted each item of a document, from its stored runs
 * (server/history/attribution.runs.ts). Lookups are a binary search in the
 * item's client's table. The same range may be stored more than once (a
 * compaction repeated after a crash) or claimed by two members (both deleted
 * the same word at once): the earliest run is taken.
 */
export class RunsIndex implements AttributionIndex {
  readonly #inserted: Map<number, Table>;
  readonly #deleted: Map<number, Table>;

  constructor(stored: readonly StoredRun[]) {
    const runs = stored.map((r, i) => ({ r, i })).sort((a, b) => a.r.at.localeCompare(b.r.at) || a.i - b.i);
    const who = runs.map(({ r }): Attribution => ({ membershipId: r.m, group: r.g, at: r.at }));
    this.#inserted = tables(runs.map(({ r }) => IdRanges.decode(r.ins)), who);
    this.#deleted = tables(runs.map(({ r }) => IdRanges.decode(r.del)), who);
  }

  insertedBy(id: Y.ID): Attribution | null {
    return lookup(this.#inserted, id);
  }

  deletedBy(id: Y.ID): Attribution | null {
    return lookup(this.#deleted, id);
  }
}

function lookup(tables: Map<number, Table>, { client, clock }: Y.ID): Attribution | null {
  const t = tables.get(client);
  if (!t) return null;
  // The last range starting at or before `clock`.
  let lo = 0;
  let hi = t.starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t.starts[mid]! <= clock) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && clock < t.ends[found]! ? t.who[found]! : null;
}

function tables(perRun: IdRanges[], who: Attribution[]): Map<number, Table> {
  const segments = new Map<number, Segment[]>();
  perRun.forEach((ranges, order) =>
    ranges.forEach((client, clock, len) => {
      let list = segments.get(client);
      if (!list) segments.set(client, (list = []));
      list.push({ start: clock, end: clock + len, order });
    }),
  );
  const out = new Map<number, Table>();
  for (const [client, list] of segments) out.set(client, resolve(list, who));
  return out;
}

/** Disjoint ranges from possibly overlapping segments: where several cover an id, the earliest run's. */
function resolve(list: Segment[], who: Attribution[]): Table {
  list.sort((a, b) => a.start - b.start || a.order - b.order);
  const t: Table = { starts: [], ends: [], who: [] };
  const push = (start: number, end: number, order: number) => {
    if (end <= start) return;
    const n = t.starts.length;
    if (n > 0 && t.ends[n - 1] === start && t.who[n - 1] === who[order]) t.ends[n - 1] = end;
    else {
      t.starts.push(start);
      t.ends.push(end);
      t.who.push(who[order]!);
    }
  };
  let overlapping = false;
  for (let i = 1; i < list.length && !overlapping; i++) overlapping = list[i]!.start < list[i - 1]!.end;
  if (!overlapping) {
    for (const s of list) push(s.start, s.end, s.order);
    return t;
  }
  // A sweep over the boundaries, the covering segments kept in a heap by run order.
  const points = [...new Set(list.flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);
  const heap = new MinHeap<Segment>((a, b) => a.order - b.order);
  let next = 0;
  for (let p = 0; p < points.length - 1; p++) {
    const from = points[p]!;
    while (next < list.length && list[next]!.start <= from) heap.push(list[next++]!);
    while (heap.peek() && heap.peek()!.end <= from) heap.pop();
    const top = heap.peek();
    if (top) push(from, points[p + 1]!, top.order);
  }
  return t;
}

/** A binary min-heap (the earliest run among the segments covering a point). */
class MinHeap<T> {
  readonly #items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const a = this.#items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(a[i]!, a[parent]!) >= 0) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
