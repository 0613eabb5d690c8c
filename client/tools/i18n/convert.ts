/**
 * Turns TypeScript message catalogues into the JSON catalogues translators work on
 * (client/src/lib/i18n/messages/<lang>.json), then deletes the TypeScript.
 *
 *   npm run i18n:convert                      every TS catalogue still in messages/ (the six top-level
 *                                             ones if present, then every feature folder)
 *   npm run i18n:convert -- <feature folder>  one feature folder, e.g. one that arrived from a branch:
 *                                             client/src/lib/i18n/messages/notifications
 *
 * A folder's keys are merged into the six JSON files: a key already there is updated in place, a new one
 * is appended. Its description is the `// …` comment directly above the key in the folder's en.ts; a key
 * with no comment keeps the description it already has, or gets none (the catalogue test then names it).
 * Nothing is written or deleted unless all six languages of the folder have exactly the English keys.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const languages = ['en', 'ar', 'es', 'fr', 'ru', 'zh'] as const;
type Language = (typeof languages)[number];
type Entry = { message: string; description?: string };
type CatalogueFile = Record<string, Entry>;

export const messagesDir = resolve(import.meta.dirname, '../../src/lib/i18n/messages');

const jsonPath = (dir: string, lang: Language) => join(dir, `${lang}.json`);

function readJson(dir: string, lang: Language): CatalogueFile {
  const path = jsonPath(dir, lang);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as CatalogueFile) : {};
}

/** Stable, diff-friendly output: two-space indent, English key order in every language, final newline. */
function writeAll(dir: string, files: Record<Language, CatalogueFile>): void {
  const order = Object.keys(files.en);
  for (const lang of languages) {
    const out: CatalogueFile = {};
    for (const key of order) {
      const entry = files[lang][key];
      if (!entry) continue;
      // Only the English file carries descriptions: translation tools show the source's description
      // beside every language, and one copy cannot drift.
      out[key] = lang === 'en' ? { message: entry.message, description: entry.description ?? '' } : { message: entry.message };
    }
    writeFileSync(jsonPath(dir, lang), JSON.stringify(out, null, 2) + '\n');
  }
}

/**
 * `// comment` lines directly above a `'key': …` line become that key's description
 * (a blank line or any other line in between breaks the link).
 */
export function commentsOf(source: string): Map<string, string> {
  const found = new Map<string, string>();
  let pending: string[] = [];
  for (const line of source.split('\n')) {
    const comment = /^\s*\/\/\s?(.*)$/.exec(line);
    if (comment) {
      pending.push(comment[1]!.trim());
      continue;
    }
    const key = /^\s*(['"])([^'"]+)\1\s*:/.exec(line);
    if (key && pending.length) found.set(key[2]!, pending.join(' ').trim());
    pending = [];
  }
  return found;
}

async function loadTs(file: string): Promise<Record<string, string>> {
  const module = (await import(pathToFileURL(file).href)) as { default: Record<string, unknown> };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(module.default)) {
    if (typeof value !== 'string') throw new Error(`${file}: ${key} is not a string`);
    out[key] = value;
  }
  return out;
}

/** Reads the six `<lang>.ts` in `dir` and checks that each has exactly the English keys. */
async function loadSix(dir: string): Promise<Record<Language, Record<string, string>>> {
  const loaded = {} as Record<Language, Record<string, string>>;
  for (const lang of languages) {
    const file = join(dir, `${lang}.ts`);
    if (!existsSync(file)) throw new Error(`${dir}: ${lang}.ts is missing`);
    loaded[lang] = await loadTs(file);
  }
  const english = Object.keys(loaded.en);
  for (const lang of languages) {
    const keys = new Set(Object.keys(loaded[lang]));
    const missing = english.filter((k) => !keys.has(k));
    const extra = [...keys].filter((k) => !(k in loaded.en));
    if (missing.length || extra.length)
      throw new Error(`${dir}/${lang}.ts: missing ${missing.join(', ') || 'none'}; extra ${extra.join(', ') || 'none'}`);
  }
  return loaded;
}

function merge(
  files: Record<Language, CatalogueFile>,
  loaded: Record<Language, Record<string, string>>,
  descriptions: Map<string, string>,
): number {
  for (const [key, message] of Object.entries(loaded.en)) {
    const description = descriptions.get(key) ?? files.en[key]?.description ?? '';
    files.en[key] = { message, description };
    for (const lang of languages) if (lang !== 'en') files[lang][key] = { message: loaded[lang][key]! };
  }
  return Object.keys(loaded.en).length;
}

const featureFolders = (dir: string) =>
  readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory() && existsSync(join(path, 'en.ts')));

/** Converts one feature folder into the JSON beside it (its parent), then deletes the folder. */
export async function convertFolder(folder: string): Promise<number> {
  folder = resolve(folder);
  const dir = resolve(folder, '..');
  const loaded = await loadSix(folder);
  const files = Object.fromEntries(languages.map((l) => [l, readJson(dir, l)])) as Record<Language, CatalogueFile>;
  const count = merge(files, loaded, commentsOf(readFileSync(join(folder, 'en.ts'), 'utf8')));
  writeAll(dir, files);
  rmSync(folder, { recursive: true });
  return count;
}

/** The six top-level TS catalogues (which spread the feature folders in), then whatever folder is left. */
export async function convertAll(dir = messagesDir): Promise<number> {
  let count = 0;
  if (existsSync(join(dir, 'en.ts'))) {
    const loaded = await loadSix(dir);
    const descriptions = commentsOf(readFileSync(join(dir, 'en.ts'), 'utf8'));
    for (const folder of featureFolders(dir))
      for (const [k, v] of commentsOf(readFileSync(join(folder, 'en.ts'), 'utf8'))) descriptions.set(k, v);
    const files = Object.fromEntries(languages.map((l) => [l, readJson(dir, l)])) as Record<Language, CatalogueFile>;
    count += merge(files, loaded, descriptions);
    writeAll(dir, files);
    for (const lang of languages) rmSync(join(dir, `${lang}.ts`));
  }
  // Folders the top-level files spread in are already merged; converting them again is harmless and
  // also picks up a folder nobody spread in.
  for (const folder of featureFolders(dir)) count += await convertFolder(folder);
  return count;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const target = process.argv[2];
  const count = target ? await convertFolder(target) : await convertAll();
  console.log(`i18n:convert: ${count} keys written to ${messagesDir}/{${languages.join(',')}}.json`);
}
