import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { sdgLanguages, type SdgCatalogue, type SdgLanguage } from '../shared/sdg.ts';
import { convert } from '../shared/sdg/convert.ts';
import { sdgDataDir } from '../server/sdg/sdg.service.ts';
import { tempDir } from './helpers/server.ts';

const shipped = async (language: SdgLanguage, dir = sdgDataDir) =>
  JSON.parse(await readFile(path.join(dir, `${language}.json`), 'utf8')) as SdgCatalogue;

/** The shipped JSON written back as the open-sdg YAML maps, so the converter can be checked against it. */
async function yamlSource(): Promise<string> {
  const dir = await tempDir('convene-sdg-yaml-');
  for (const language of sdgLanguages) {
    const { goals, targets } = await shipped(language);
    await mkdir(path.join(dir, language));
    const goalMap = Object.fromEntries(goals.flatMap((g) => [[`${g.number}-title`, g.title], [`${g.number}-short`, g.short]]));
    const targetMap = Object.fromEntries(targets.map((t) => [`${t.id.replace('.', '-')}-title`, t.title]));
    await writeFile(path.join(dir, language, 'global_goals.yml'), stringify(goalMap));
    await writeFile(path.join(dir, language, 'global_targets.yml'), stringify(targetMap));
  }
  return dir;
}

describe('the SDG converter', () => {
  it('makes the shipped files from the open-sdg YAML, and refuses an incomplete source', async () => {
    const source = await yamlSource();
    const out = await tempDir('convene-sdg-out-');
    await convert(source, out);
    for (const language of sdgLanguages) expect(await shipped(language, out), language).toEqual(await shipped(language));

    const broken = await yamlSource();
    const file = path.join(broken, 'zh-Hans', 'global_targets.yml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^1-a-title:.*\n/m, ''));
    const nothing = await tempDir('convene-sdg-out-');
    await expect(convert(broken, nothing)).rejects.toThrow(/zh-Hans: lacks targets 1\.a/);
    expect(existsSync(path.join(nothing, 'en.json'))).toBe(false);
  });
});
