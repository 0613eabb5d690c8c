import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { SdgCatalogue, sdgLanguages, type SdgGoal, type SdgLanguage, type SdgTarget, type SdgTargetId } from '../../shared/sdg.ts';
import { checkCatalogues } from '../../shared/sdg/check.ts';

/** The JSON files shipped in the repository (shared/sdg/, see its README). */
export const sdgDataDir = fileURLToPath(new URL('../../shared/sdg/', import.meta.url));

/**
 * The SDG goals and targets in the six languages, read once when the server
 * starts and kept in memory (about half a megabyte): they change only with a
 * release. A copy that lacks a title in one language stops the start rather
 * than show readers a gap.
 */
export class SdgService {
  readonly #byLanguage: ReadonlyMap<SdgLanguage, SdgCatalogue>;
  readonly #targetIds: ReadonlySet<string>;

  private constructor(catalogues: readonly SdgCatalogue[]) {
    checkCatalogues(catalogues);
    this.#byLanguage = new Map(catalogues.map((c) => [c.language, c]));
    this.#targetIds = new Set(catalogues[0]!.targets.map((t) => t.id));
  }

  static async load(dir = sdgDataDir): Promise<SdgService> {
    const catalogues = await Promise.all(
      sdgLanguages.map(async (language) => {
        const file = path.join(dir, `${language}.json`);
        const parsed = SdgCatalogue.safeParse(JSON.parse(await readFile(file, 'utf8')));
        if (!parsed.success) throw new Error(`${file}: ${parsed.error.message}`);
        if (parsed.data.language !== language) throw new Error(`${file}: holds ${parsed.data.language}`);
        return parsed.data;
      }),
    );
    return new SdgService(catalogues);
  }

  goals(language: SdgLanguage): readonly SdgGoal[] {
    return this.#byLanguage.get(language)!.goals;
  }

  targets(language: SdgLanguage, goal?: number): readonly SdgTarget[] {
    const all = this.#byLanguage.get(language)!.targets;
    return goal === undefined ? all : all.filter((t) => t.goal === goal);
  }

  /** Whether a well-formed id names a real target (`1.a` does, `1.z` does not): for links from actions. */
  hasTarget(id: SdgTargetId): boolean {
    return this.#targetIds.has(id);
  }
}
