import { defaultRangeExtractor, elementScroll, observeElementOffset, observeElementRect, Virtualizer, type VirtualItem } from '@tanstack/virtual-core';

/** A run of drawn rows, or the empty height standing for the rows between two runs. */
export type RowSegment = { kind: 'rows'; key: string; items: VirtualItem[] } | { kind: 'gap'; key: string; size: number };

export interface VirtualRowsOptions {
  scrollElement: () => HTMLElement | null;
  count: () => number;
  key: (index: number) => string;
  /** Which run a row belongs to (a table's row group): drawn rows of one run share a <tbody>. */
  run: (index: number) => string;
  estimate: (index: number) => number;
  /** Rows drawn wherever the scroll is: the one being edited, the one holding focus. */
  keep: () => number[];
  /** Height above the first row inside the scroll element (caption, sticky header). */
  margin: () => number;
}

/**
 * Draws only the rows of a long list near the scroll position (with
 * TanStack Virtual measuring each drawn row's real height), so a table of
 * hundreds of rows costs the browser a screenful of rows to build, style and
 * lay out, on load and on every filter. Rows are drawn in the document's
 * flow with an empty row's height for the rest, so a <table> keeps its
 * semantics and sticky header; `segments` lists them in order.
 */
export class VirtualRows {
  #items = $state.raw<VirtualItem[]>([]);
  #total = $state(0);
  readonly #v: Virtualizer<HTMLElement, HTMLElement>;

  constructor(private readonly o: VirtualRowsOptions) {
    this.#v = new Virtualizer<HTMLElement, HTMLElement>(this.#options());
  }

  #options() {
    const o = this.o;
    const keep = o.keep();
    return {
      count: o.count(),
      getScrollElement: o.scrollElement,
      // Fresh functions on every call: the virtualizer keeps its row offsets until these change, and the list
      // behind them may change while its length stays the same (a filter swapping one row for another).
      estimateSize: (i: number) => o.estimate(i),
      getItemKey: (i: number) => o.key(i),
      scrollMargin: o.margin(),
      // Ten rows either side: Tab from the last drawn row reaches a drawn one, and a quick scroll rarely shows a gap.
      overscan: 10,
      rangeExtractor: (range: Parameters<typeof defaultRangeExtractor>[0]) => {
        const indexes = defaultRangeExtractor(range);
        const extra = keep.filter((i) => i >= 0 && i < range.count && (i < range.startIndex - range.overscan || i > range.endIndex + range.overscan));
        return extra.length ? [...new Set([...indexes, ...extra])].sort((a, b) => a - b) : indexes;
      },
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      onChange: () => this.#read(),
    };
  }

  #read(): void {
    this.#items = this.#v.getVirtualItems();
    this.#total = this.#v.getTotalSize();
  }

  /** Call from an $effect: follows the list, the scroll element and the rows to keep. */
  follow(): void {
    this.#v.setOptions(this.#options());
    this.#v._willUpdate();
    this.#read();
  }

  /** Call once from an $effect: starts observing; returns the function that stops. */
  mount(): () => void {
    return this.#v._didMount();
  }

  /** Attach to each drawn row (which carries `data-index`): its real height replaces the estimate. */
  readonly measure = (row: HTMLElement) => {
    this.#v.measureElement(row);
    // Forgets rows no longer in the document, and stops observing them.
    return () => queueMicrotask(() => this.#v.measureElement(null));
  };

  /** The drawn rows in runs, with a gap before, between and after them. */
  get segments(): RowSegment[] {
    const segments: RowSegment[] = [];
    let end = this.o.margin();
    let gaps = 0;
    for (const item of this.#items) {
      // Virtual offsets count from the top of the scroll element; the margin is the header above the rows.
      if (item.start > end) segments.push({ kind: 'gap', key: `gap:${gaps++}`, size: item.start - end });
      const run = this.o.run(item.index);
      const last = segments[segments.length - 1];
      if (last?.kind === 'rows' && last.key === run && last.items[last.items.length - 1]!.index === item.index - 1) last.items.push(item);
      else segments.push({ kind: 'rows', key: segments.some((s) => s.key === run) ? `${run}:${item.index}` : run, items: [item] });
      end = item.end;
    }
    const after = this.#total + this.o.margin() - end;
    if (after > 0) segments.push({ kind: 'gap', key: `gap:${gaps}`, size: after });
    return segments;
  }
}
