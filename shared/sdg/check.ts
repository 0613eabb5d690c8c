import { sdgGoalCount, sdgGoalOf, sdgLanguages, type SdgCatalogue } from '../sdg.ts';

/**
 * Throws unless the catalogues are one a language, every one with goals 1–17
 * and exactly the targets English has, in the same order, each under its own
 * goal. The converter runs it before writing and the server before starting,
 * so a broken copy (a target lost in one translation) never reaches a reader
 * as a missing or English-only title.
 */
export function checkCatalogues(catalogues: readonly SdgCatalogue[]): void {
  const problems: string[] = [];
  const languages = catalogues.map((c) => c.language);
  for (const language of sdgLanguages) if (!languages.includes(language)) problems.push(`${language}: missing`);
  if (new Set(languages).size !== languages.length) problems.push('a language appears twice');
  const english = catalogues.find((c) => c.language === 'en');
  const goals = Array.from({ length: sdgGoalCount }, (_, i) => i + 1).join();
  for (const catalogue of catalogues) {
    const { language } = catalogue;
    if (catalogue.goals.map((g) => g.number).join() !== goals) problems.push(`${language}: goals are not 1 to ${sdgGoalCount}`);
    const ids = catalogue.targets.map((t) => t.id);
    if (new Set(ids).size !== ids.length) problems.push(`${language}: a target appears twice`);
    for (const target of catalogue.targets)
      if (sdgGoalOf(target.id) !== target.goal) problems.push(`${language}: target ${target.id} is filed under goal ${target.goal}`);
    for (const goal of catalogue.goals)
      if (!catalogue.targets.some((t) => t.goal === goal.number)) problems.push(`${language}: goal ${goal.number} has no targets`);
    if (english && catalogue !== english) {
      const expected = new Set(english.targets.map((t) => t.id));
      const missing = [...expected].filter((id) => !ids.includes(id));
      const extra = ids.filter((id) => !expected.has(id));
      if (missing.length) problems.push(`${language}: lacks targets ${missing.join(', ')}`);
      if (extra.length) problems.push(`${language}: has targets English lacks: ${extra.join(', ')}`);
      if (!missing.length && !extra.length && ids.join() !== english.targets.map((t) => t.id).join())
        problems.push(`${language}: targets are not in the order English has`);
    }
  }
  if (problems.length) throw new Error(`The SDG data is not complete: ${problems.join('; ')}`);
}
