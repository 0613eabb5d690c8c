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
 * become one at the next. Merging a half-second batch of fast typing (several
 * thousand updates) at once blocks the event loop for tens of milliseconds;
 * this way no step takes more than a couple, and what is left when the batch
 * is written is a few dozen updates to merge.
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
    for (let level = 0; this.#levels[level]!.length >= fanIn; level++) {
      const merged = Y.mergeUpdates(this.#levels[level]!);
      this.#levels[level] = [];
      (this.#levels[level + 1] ??= []).push(merged);
    }
  }

  /** Takes in another batch's updates. */
  absorb(other: MergingBatch): void {
    for (const part of other.#levels.flat()) this.push(part, 0);
    this.#count += other.#count;
  }

  /** Everything in one update (empty batch: an empty update). */
  merge(): Uint8Array {
    return mergeMany(this.#levels.flat());
  }
}

const fanIn = 32;
