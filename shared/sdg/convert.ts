/**
 * Converts the open-sdg translations (one folder a language, each with
 * global_goals.yml and global_targets.yml) into the JSON files beside this
 * script, one a language, in the shape `SdgCatalogue` describes. Run once
 * when the data is updated, then commit the JSON:
 *
 *   node --import tsx shared/sdg/convert.ts <folder with ar/ en/ … zh-Hans/> [output folder]
 *
 * The source folder must be given: nothing in the repository reads from
 * outside it. The conversion refuses (and writes nothing) unless every
 * language has exactly the goals and targets English has, each titled.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { SdgCatalogue, sdgLanguages, type SdgLanguage, type SdgTarget } from '../sdg.ts';
import { checkCatalogues } from './check.ts';

async function readMap(file: string): Promise<Record<string, unknown>> {
  const value: unknown = parse(await readFile(file, 'utf8'));
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file}: not a YAML map`);
  return value as Record<string, unknown>;
}

const text = (value: unknown, where: string): string => {
  if (typeof value !== 'string' || !value.trim()) throw new Error(`${where}: no title`);
  return value.replace(/\s+/g, ' ').trim();
};

/** UN order within a goal: numbered targets first, then lettered ones (1.5 before 1.a). */
function targetOrder(a: SdgTarget, b: SdgTarget): number {
  if (a.goal !== b.goal) return a.goal - b.goal;
  const [x, y] = [a.id.split('.')[1]!, b.id.split('.')[1]!];
  const [nx, ny] = [Number(x), Number(y)];
  if (Number.isInteger(nx) && Number.isInteger(ny)) return nx - ny;
  if (Number.isInteger(nx) !== Number.isInteger(ny)) return Number.isInteger(nx) ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

export async function readLanguage(source: string, language: SdgLanguage): Promise<SdgCatalogue> {
  const goalsFile = path.join(source, language, 'global_goals.yml');
  const targetsFile = path.join(source, language, 'global_targets.yml');
  const [goalMap, targetMap] = await Promise.all([readMap(goalsFile), readMap(targetsFile)]);
  const goals = Object.keys(goalMap)
    .map((key) => /^(\d+)-title$/.exec(key)?.[1])
    .filter((n): n is string => n !== undefined)
    .map((n) => ({
      number: Number(n),
      title: text(goalMap[`${n}-title`], `${goalsFile}: ${n}-title`),
      short: text(goalMap[`${n}-short`], `${goalsFile}: ${n}-short`),
    }))
    .sort((a, b) => a.number - b.number);
  const targets = Object.entries(targetMap)
    .map(([key, value]) => {
      const match = /^(\d+)-([0-9a-z]+)-title$/.exec(key);
      if (!match) throw new Error(`${targetsFile}: unexpected key ${key}`);
      return { id: `${match[1]}.${match[2]}`, goal: Number(match[1]), title: text(value, `${targetsFile}: ${key}`) };
    })
    .sort(targetOrder);
  return SdgCatalogue.parse({ language, goals, targets });
}

export async function convert(source: string, output: string): Promise<SdgCatalogue[]> {
  const catalogues = await Promise.all(sdgLanguages.map((language) => readLanguage(source, language)));
  checkCatalogues(catalogues);
  for (const catalogue of catalogues)
    await writeFile(path.join(output, `${catalogue.language}.json`), `${JSON.stringify(catalogue, null, 1)}\n`);
  return catalogues;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [source, output = path.dirname(fileURLToPath(import.meta.url))] = process.argv.slice(2);
  if (!source) {
    console.error('Usage: node --import tsx shared/sdg/convert.ts <source folder> [output folder]');
    process.exit(2);
  }
  const catalogues = await convert(path.resolve(source), path.resolve(output));
  console.log(`Wrote ${catalogues.map((c) => `${c.language}.json`).join(', ')}: ${catalogues[0]!.goals.length} goals, ${catalogues[0]!.targets.length} targets each`);
}
