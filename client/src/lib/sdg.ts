import type { SdgGoal, SdgGoals, SdgTarget, SdgTargetId, SdgTargets } from '../../../shared/sdg.ts';
import type { Locale } from './i18n/locales.ts';

/** The goals and targets in one language, as the server sent them, with lookups. */
export interface SdgTitles {
  /** The app's language they were asked for (`zh` for the data's `zh-Hans`). */
  readonly locale: Locale;
  /** The language the titles are written in, as a `lang` attribute takes it (`zh-Hans`): the data's own tag. */
  readonly language: string;
  readonly goals: readonly SdgGoal[];
  /** In UN order: 1.1 … 1.5, 1.a, 1.b, 2.1 … */
  readonly targets: readonly SdgTarget[];
  goal(number: number): SdgGoal | undefined;
  target(id: SdgTargetId): SdgTarget | undefined;
}

/** A GET to the API returning parsed JSON, throwing on failure (`request('GET', …)` in the app). */
export type ApiGet = <T>(path: string) => Promise<T>;

/** The titles in one language: two requests, which the browser may answer from its cache (the server allows a day). */
export async function fetchSdgTitles(locale: Locale, get: ApiGet): Promise<SdgTitles> {
  const lang = encodeURIComponent(locale);
  const [{ goals, language }, { targets }] = await Promise.all([
    get<SdgGoals>(`/api/sdg/goals?lang=${lang}`),
    get<SdgTargets>(`/api/sdg/targets?lang=${lang}`),
  ]);
  const goalsByNumber = new Map(goals.map((g) => [g.number, g]));
  const targetsById = new Map(targets.map((t) => [t.id, t]));
  return { locale, language, goals, targets, goal: (n) => goalsByNumber.get(n), target: (id) => targetsById.get(id) };
}

/**
 * One fetch per language, shared by every caller and kept for the visit: the
 * data only changes with a release. A failed fetch is forgotten, so the next
 * read tries again. Plain TypeScript so that it can be tested without a
 * browser; `sdg.svelte.ts` makes it reactive.
 */
export class SdgTitleCache {
  readonly #loaded = new Map<Locale, SdgTitles>();
  readonly #pending = new Map<Locale, Promise<SdgTitles>>();

  constructor(
    private readonly get: ApiGet,
    /** Told when a language's titles arrive. */
    private readonly onLoaded: (titles: SdgTitles) => void = () => undefined,
  ) {}

  /** The titles if they are here; otherwise undefined, and they are fetched (once) in the background. */
  peek(locale: Locale): SdgTitles | undefined {
    const titles = this.#loaded.get(locale);
    if (!titles) this.load(locale).catch(() => undefined);
    return titles;
  }

  load(locale: Locale): Promise<SdgTitles> {
    const titles = this.#loaded.get(locale);
    if (titles) return Promise.resolve(titles);
    let pending = this.#pending.get(locale);
    if (!pending) {
      pending = fetchSdgTitles(locale, this.get).then(
        (loaded) => {
          this.#pending.delete(locale);
          this.#loaded.set(locale, loaded);
          this.onLoaded(loaded);
          return loaded;
        },
        (error: unknown) => {
          this.#pending.delete(locale);
          throw error;
        },
      );
      this.#pending.set(locale, pending);
    }
    return pending;
  }
}
