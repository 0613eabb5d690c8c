import { copyFile, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SdgTargetId, sdgLanguageFor, sdgLanguages, type SdgCatalogue, type SdgLanguage } from '../shared/sdg.ts';
import { SdgService, sdgDataDir } from '../server/sdg/sdg.service.ts';
import { tempDir } from './helpers/server.ts';

const shipped = async (language: SdgLanguage, dir = sdgDataDir) =>
  JSON.parse(await readFile(path.join(dir, `${language}.json`), 'utf8')) as SdgCatalogue;

/** The 169 targets as the UN numbers them, goal by goal: how many numbered, then which letters. */
const targetsPerGoal: [number, string][] = [
  [5, 'ab'], [5, 'abc'], [9, 'abcd'], [7, 'abc'], [6, 'abc'], [6, 'ab'], [3, 'ab'], [10, 'ab'], [5, 'abc'],
  [7, 'abc'], [7, 'abc'], [8, 'abc'], [3, 'ab'], [7, 'abc'], [9, 'abc'], [10, 'ab'], [19, ''],
];
const unTargetIds = targetsPerGoal.flatMap(([numbered, letters], i) => [
  ...Array.from({ length: numbered }, (_, n) => `${i + 1}.${n + 1}`),
  ...[...letters].map((letter) => `${i + 1}.${letter}`),
]);

/** A copy of the shipped files in a temp folder, for breaking. */
async function copyOfData(): Promise<string> {
  const dir = await tempDir('convene-sdg-');
  for (const language of sdgLanguages) await copyFile(path.join(sdgDataDir, `${language}.json`), path.join(dir, `${language}.json`));
  return dir;
}

describe('the SDG data shipped in shared/sdg/', () => {
  it('has every goal and every target, titled, in all six languages, with the ids English has', async () => {
    expect(unTargetIds).toHaveLength(169);
    const english = await shipped('en');
    for (const language of sdgLanguages) {
      const catalogue = await shipped(language);
      expect(catalogue.language).toBe(language);
      expect(catalogue.goals.map((g) => g.number), language).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
      for (const goal of catalogue.goals) {
        expect(goal.title.trim(), `${language} goal ${goal.number}`).not.toBe('');
        expect(goal.short.trim(), `${language} goal ${goal.number}`).not.toBe('');
      }
      expect(catalogue.targets.map((t) => t.id), language).toEqual(unTargetIds);
      expect(catalogue.targets.map((t) => t.id), language).toEqual(english.targets.map((t) => t.id));
      for (const target of catalogue.targets) {
        expect(target.title.trim(), `${language} target ${target.id}`).not.toBe('');
        expect(target.goal).toBe(Number(target.id.split('.')[0]));
      }
      // A translation, not English copied over (names and numbers aside, the titles differ).
      if (language !== 'en') expect(catalogue.goals[15]!.title).not.toBe(english.goals[15]!.title);
    }
    expect(english.goals[15]!.short).toBe('Peace, justice and strong institutions');
    expect(english.targets.find((t) => t.id === '16.10')!.title).toMatch(/^Ensure public access to information/);
  });

  it('keeps its licence and attribution beside it', async () => {
    const files = await readdir(sdgDataDir);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md']));
    expect(await readFile(path.join(sdgDataDir, 'LICENSE'), 'utf8')).toMatch(/MIT License[\s\S]*Copyright \(c\) 2019 Open SDG/);
    expect(await readFile(path.join(sdgDataDir, 'README.md'), 'utf8')).toContain('open-sdg/sdg-translations');
  });

  it('loads into the server, which refuses a copy that lost a target in one language', async () => {
    const sdg = await SdgService.load();
    expect(sdg.targets('ar')).toHaveLength(169);
    expect(sdg.targets('fr', 1).map((t) => t.id)).toEqual(['1.1', '1.2', '1.3', '1.4', '1.5', '1.a', '1.b']);
    expect(sdg.hasTarget('1.a')).toBe(true);
    expect(sdg.hasTarget('1.z')).toBe(false);

    const dir = await copyOfData();
    const french = await shipped('fr', dir);
    await writeFile(path.join(dir, 'fr.json'), JSON.stringify({ ...french, targets: french.targets.filter((t) => t.id !== '16.10') }));
    await expect(SdgService.load(dir)).rejects.toThrow(/fr: lacks targets 16\.10/);

    const blank = await copyOfData();
    const russian = await shipped('ru', blank);
    russian.goals[4]!.short = '';
    await writeFile(path.join(blank, 'ru.json'), JSON.stringify(russian));
    await expect(SdgService.load(blank)).rejects.toThrow(/ru\.json/);
  });
});

describe('SDG ids and languages', () => {
  it('accepts target ids as the UN writes them and nothing else', () => {
    for (const id of ['1.1', '1.a', '16.10', '17.19', '10.c']) expect(SdgTargetId.safeParse(id).success, id).toBe(true);
    for (const id of ['18.1', '0.1', '1.A', '16.100', '16-10', ' 1.1', '1.01', '1.', '16.10.1', 'x'])
      expect(SdgTargetId.safeParse(id).success, id).toBe(false);
  });

  it('maps the app’s language codes and common tags onto the data’s, Chinese onto simplified', () => {
    expect(sdgLanguageFor('zh')).toBe('zh-Hans');
    expect(sdgLanguageFor('zh-Hans')).toBe('zh-Hans');
    expect(sdgLanguageFor('fr-CA')).toBe('fr');
    expect(sdgLanguageFor('AR')).toBe('ar');
    expect(sdgLanguageFor('de')).toBeNull();
  });
});
