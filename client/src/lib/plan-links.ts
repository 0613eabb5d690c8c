import { SdgTargetId, sdgGoalOf } from '../../../shared/sdg.ts';
import { planLimits, Indicator } from '../../../shared/plan.ts';

/**
 * Pure helpers for an action's links (indicators, recommendations, SDG
 * targets), kept out of the Svelte component so that they can be tested alone.
 */

/** What a recommendation's SDGs suggest for an action: targets to add as they are, goals to pick a target in. */
export interface SdgSuggestions {
  /** Targets listed by a linked recommendation ("16.10") that the action does not link yet, in first-seen order. */
  targets: SdgTargetId[];
  /** Goals listed alone ("16"), to pick one of their targets; goals the action already has a target in are kept. */
  goals: number[];
}

/**
 * From the SDGs the linked recommendations list (each "16" or "16.10") to
 * suggestions: a target is offered directly unless already linked; a goal on
 * its own is offered as a goal to choose among. Anything malformed is skipped
 * (the register checks loosely; the action's schema is stricter).
 */
export function suggestSdgTargets(recommendationSdgs: readonly (readonly string[])[], linked: readonly string[]): SdgSuggestions {
  const have = new Set(linked);
  const targets: SdgTargetId[] = [];
  const goals: number[] = [];
  for (const sdgs of recommendationSdgs) {
    for (const raw of sdgs) {
      const ref = raw.trim();
      if (/^\d{1,2}$/.test(ref)) {
        const goal = Number(ref);
        if (goal >= 1 && goal <= 17 && !goals.includes(goal)) goals.push(goal);
      } else if (SdgTargetId.safeParse(ref).success && !have.has(ref) && !targets.includes(ref)) {
        targets.push(ref);
      }
    }
  }
  // A goal whose target is already suggested needs no separate prompt.
  return { targets, goals: goals.filter((g) => !targets.some((t) => sdgGoalOf(t) === g)) };
}

/** Adds an id to a list of links, once, in order; the list unchanged when it is there or full. */
export function addLink<T extends string>(list: readonly T[], id: T): T[] {
  if (list.includes(id) || list.length >= planLimits.links) return [...list];
  return [...list, id];
}

export const removeLink = <T extends string>(list: readonly T[], id: T): T[] => list.filter((x) => x !== id);

/** A recommendation matches a search when its symbol, body, id or text contains every word (any case). */
export function matchesSearch(rec: { id: string; symbol: string; body: string; text: string }, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = `${rec.symbol}\n${rec.body}\n${rec.id}\n${rec.text}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** A short text for a list: the first `max` characters, cut at a word where possible. */
export function shortText(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

export const emptyIndicator = (): Indicator => ({ name: '', baseline: '', target: '', unit: '', verification: '' });
export const indicatorFields = ['name', 'baseline', 'target', 'unit', 'verification'] as const satisfies readonly (keyof Indicator)[];
