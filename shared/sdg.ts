import { z } from 'zod';
import { locales, type Locale } from './accounts.ts';

/**
 * The Sustainable Development Goals reference data: 17 goals and their 169
 * targets, titled in the six UN languages (the copy in shared/sdg/, see its
 * README). Plan actions link to targets by `SdgTargetId`; titles are looked
 * up in the reader's language, never stored with the link.
 */

/** The language tags of the shipped files; the app's `zh` is the data's `zh-Hans`. */
export const sdgLanguages = ['ar', 'en', 'es', 'fr', 'ru', 'zh-Hans'] as const;
export type SdgLanguage = (typeof sdgLanguages)[number];

export const sdgLanguageOf: Record<Locale, SdgLanguage> = { ar: 'ar', en: 'en', es: 'es', fr: 'fr', ru: 'ru', zh: 'zh-Hans' };

/**
 * The SDG language for a language tag as a client sends it (`zh`, `zh-Hans`,
 * `fr-CA`, `ES`), matched on its primary subtag; null for a language the data
 * does not have (Chinese is only ever the simplified script here).
 */
export function sdgLanguageFor(tag: string): SdgLanguage | null {
  const primary = tag.toLowerCase().split('-')[0];
  return (locales as readonly string[]).includes(primary!) ? sdgLanguageOf[primary as Locale] : null;
}

export const sdgGoalCount = 17;

export const SdgGoalNumber = z.number().int().min(1).max(sdgGoalCount);

/**
 * A target as the UN numbers it: the goal, a dot, then a number for an
 * outcome target (`16.10`) or a letter for a means of implementation (`1.a`).
 * The format only: whether the target exists is the catalogue's to say.
 */
export const SdgTargetId = z.string().regex(/^(?:[1-9]|1[0-7])\.(?:[1-9][0-9]?|[a-z])$/, 'An SDG target such as 16.10 or 1.a');
export type SdgTargetId = z.infer<typeof SdgTargetId>;

/** The goal a target belongs to, e.g. 16 for `16.10`. */
export const sdgGoalOf = (target: SdgTargetId): number => Number(target.slice(0, target.indexOf('.')));

export const SdgGoal = z.object({
  number: SdgGoalNumber,
  /** The goal's full wording, e.g. "Promote peaceful and inclusive societies …". */
  title: z.string().min(1),
  /** The goal's name, e.g. "Peace, justice and strong institutions". */
  short: z.string().min(1),
});
export type SdgGoal = z.infer<typeof SdgGoal>;

export const SdgTarget = z.object({ id: SdgTargetId, goal: SdgGoalNumber, title: z.string().min(1) });
export type SdgTarget = z.infer<typeof SdgTarget>;

/** One language's file in shared/sdg/: goals by number, targets in UN order (1.1 … 1.5, 1.a, 1.b, 2.1 …). */
export const SdgCatalogue = z.object({ language: z.enum(sdgLanguages), goals: z.array(SdgGoal), targets: z.array(SdgTarget) });
export type SdgCatalogue = z.infer<typeof SdgCatalogue>;

/**
 * A language tag (`ar`, `zh-Hans`, `fr-CA`). One the data lacks (`de`) gets
 * the reader's own language instead; one that is not a tag at all is refused.
 */
const LanguageTag = z.string().regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/, 'A language tag such as ar, fr or zh-Hans');

export const SdgGoalsQuery = z.object({ lang: LanguageTag.optional() });
export type SdgGoalsQuery = z.infer<typeof SdgGoalsQuery>;

export const SdgTargetsQuery = z.object({ lang: LanguageTag.optional(), goal: z.coerce.number().pipe(SdgGoalNumber).optional() });
export type SdgTargetsQuery = z.infer<typeof SdgTargetsQuery>;

export const SdgGoals = z.object({ language: z.enum(sdgLanguages), goals: z.array(SdgGoal) });
export type SdgGoals = z.infer<typeof SdgGoals>;

export const SdgTargets = z.object({ language: z.enum(sdgLanguages), targets: z.array(SdgTarget) });
export type SdgTargets = z.infer<typeof SdgTargets>;
