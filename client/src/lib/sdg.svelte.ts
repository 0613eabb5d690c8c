import { request } from './api.ts';
import { i18n } from './i18n/i18n.svelte.ts';
import { SdgTitleCache, type SdgTitles } from './sdg.ts';
import type { SdgTargetId } from '../../../shared/sdg.ts';

/**
 * SDG goal and target titles in the reader's language, fetched from the API
 * (the client bundles none of the six languages) and kept per language.
 * Reading them in a template re-renders when they arrive, and a change of
 * language fetches that language's titles the first time:
 *
 *   {sdg.targetTitle('16.10') ?? '16.10'}
 */
class Sdg {
  /** Bumped whenever a language arrives, so that readers of `titles` look again. */
  #arrivals = $state(0);
  readonly #cache = new SdgTitleCache(
    <T>(path: string) => request<T>('GET', path),
    () => {
      this.#arrivals++;
    },
  );

  /** The titles in the current language; undefined until they have arrived. */
  get titles(): SdgTitles | undefined {
    void this.#arrivals;
    return this.#cache.peek(i18n.locale);
  }

  /** The titles' language tag (`ar`, `zh-Hans`) for `lang` where they are shown; undefined while loading. */
  get language(): string | undefined {
    return this.titles?.language;
  }

  /** A goal's name ("Peace, justice and strong institutions"), or undefined while loading. */
  goalName(number: number): string | undefined {
    return this.titles?.goal(number)?.short;
  }

  /** A target's wording, or undefined while loading (or for an id the catalogue does not have). */
  targetTitle(id: SdgTargetId): string | undefined {
    return this.titles?.target(id)?.title;
  }

  /** Waits for the current language's titles, e.g. before a view that cannot do without them. */
  load(): Promise<SdgTitles> {
    return this.#cache.load(i18n.locale);
  }
}

export const sdg = new Sdg();
