import * as Y from 'yjs';

/**
 * Merges many updates into one. `Y.mergeUpdates` re-sorts all its inputs for
 * every struct it emits, so its cost grows with the square of the number of
 * updates: a thousand keystrokes take tens of milliseconds, several thousand
 * take seconds. Merging in groups of eight, level by level, keeps every step
 * small and the whole linear in practice.
 */
export function mergeMany(updates: readonly Uint8Array[]): Uint8Array {
  if (updates.length === 1) return updates[0]!;
  let level = updates.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 8) {
      const group = level.slice(i, i + 8);
      next.push(group.length === 1 ? group[0]! : Y.mergeUpdates(group));
    }
    level = next;
  }
  return level[0] ?? Y.mergeUpdates([]);
}

/**
 * Updates waiting to be stored, merged as they arrive: every 32 at one level
 * become one at the next, up to parts of 1,024 updates, which are kept as
 * they are. Merging a half-second batch of fast typing (several thousand
 * updates) at once blocked the event loop for tens of milliseconds; this way
 * no step takes more than a couple. A batch that keeps growing because the
 * store is slow becomes more parts, never one ever-longer merge (a backlog of
 * 180,000 updates took 0.6 s to merge in one piece).
 */
export class MergingBatch {
  #levels: Uint8Array[][] = [[]];
  #count = 0;

  /** How many updates went in. */
  get size(): number {
    return this.#count;
  }

  push(update: Uint8Array, counts = 1): void {
    this.#count += counts;
    this.#levels[0]!.push(update);
    this.#mergeFull();
  }

  /** Takes in another batch's updates, level by level. */
  absorb(other: MergingBatch): void {
    other.#levels.forEach((parts, level) => (this.#levels[level] ??= []).push(...parts));
    this.#count += other.#count;
    this.#mergeFull();
  }

  /** Everything in a few updates: each full part as it is, then the rest merged into one (none if empty). */
  parts(): Uint8Array[] {
    const full = this.#levels[topLevel] ?? [];
    const rest = this.#levels.slice(0, topLevel).flat();
    return rest.length === 0 ? [...full] : [...full, mergeMany(rest)];
  }

  /** Merges every level below the top that holds a full group (after `absorb`, any of them may). */
  #mergeFull(): void {
    for (let level = 0; level < topLevel; level++) {
      if ((this.#levels[level]?.length ?? 0) < fanIn) continue;
      const merged = Y.mergeUpdates(this.#levels[level]!);
      this.#levels[level] = [];
      (this.#levels[level + 1] ??= []).push(merged);
    }
  }
}

const fanIn = 32;
/** Parts of fanIn² updates are not merged further. */
const topLevel = 2;
