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
