/**
 * Checks the JSON catalogues the way a translator's change must pass:
 *
 *   npm run i18n:check
 *
 * Every language has exactly the English keys; every message parses as ICU MessageFormat;
 * each uses the same placeholders as the English (argument names; each one's kind: plain or
 * number, plural, date, time, select with the same cases; rich-text tags); every English key
 * has a description. (The ICU parser itself refuses a plural or select without an `other` case.) Prints one line per problem; exits 1 if any.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';
import { messagesDir } from './convert.ts';

export const languages = ['en', 'ar', 'es', 'fr', 'ru', 'zh'] as const;
export type Language = (typeof languages)[number];
type Entry = { message?: unknown; description?: unknown };
export type CatalogueFiles = Record<Language, Record<string, Entry>>;

/** The parsed ICU elements, as intl-messageformat's parser gives them (types from @formatjs/icu-messageformat-parser). */
type Element = {
  type: number;
  value?: string;
  style?: unknown;
  pluralType?: 'cardinal' | 'ordinal';
  options?: Record<string, { value: Element[] }>;
  children?: Element[];
};
const TYPE = { argument: 1, number: 2, date: 3, time: 4, select: 5, plural: 6, pound: 7, tag: 8 } as const;

/**
 * The placeholders of a message: each argument's name with the kinds it is used as (`value` for a
 * plain or number argument, `plural`, `selectordinal`, `date`, `time`, `select:<cases>`), and
 * rich-text tags as `<name>`. Where in the sentence they sit (inside which plural case) is the
 * translator's to decide.
 */
export function placeholders(message: string, locale: string): Map<string, Set<string>> {
  const ast = new IntlMessageFormat(message, locale).getAst() as unknown as Element[];
  const found = new Map<string, Set<string>>();
  const add = (name: string, kind: string) => found.set(name, (found.get(name) ?? new Set()).add(kind));
  const walk = (elements: Element[]) => {
    for (const el of elements) {
      const name = String(el.value);
      if (el.type === TYPE.argument || el.type === TYPE.number) add(name, 'value');
      else if (el.type === TYPE.date) add(name, 'date');
      else if (el.type === TYPE.time) add(name, 'time');
      else if (el.type === TYPE.select) add(name, `select:${Object.keys(el.options ?? {}).sort().join('|')}`);
      else if (el.type === TYPE.plural) add(name, el.pluralType === 'ordinal' ? 'selectordinal' : 'plural');
      else if (el.type === TYPE.tag) add(`<${name}>`, 'tag');
      for (const option of Object.values(el.options ?? {})) walk(option.value);
      walk(el.children ?? []);
    }
  };
  walk(ast);
  return found;
}

/** Languages whose numbers have one form only (Chinese): a plural there may be a plain number. */
const oneForm = (locale: string) => new Intl.PluralRules(locale).resolvedOptions().pluralCategories.length === 1;

/**
 * Whether a translation's use of one argument fits the English. The same kinds fit. Beyond that,
 * grammar differs: a number English shows plainly may need plural forms elsewhere ("{min}
 * characters" is a plural in Arabic and Russian), and a plural may be a plain number in a
 * language without plural forms.
 */
function fits(english: Set<string>, translated: Set<string>, locale: string): boolean {
  const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((k) => b.has(k));
  if (same(english, translated)) return true;
  if (english.size !== 1 || translated.size !== 1) return false;
  const [e] = english;
  const [t] = translated;
  return (e === 'value' && t === 'plural') || (e === 'plural' && t === 'value' && oneForm(locale));
}

const show = (found: Map<string, Set<string>>) =>
  [...found].map(([name, kinds]) => `${name}:${[...kinds].sort().join('+')}`).sort().join(' ') || '(none)';

export function checkCatalogues(files: CatalogueFiles): string[] {
  const problems: string[] = [];
  const english = files.en;
  const reference = new Map<string, Map<string, Set<string>>>();
  for (const [key, entry] of Object.entries(english)) {
    if (typeof entry.description !== 'string' || !entry.description.trim()) problems.push(`en ${key}: no description`);
    if (typeof entry.message !== 'string') continue; // reported below with the other languages
    try {
      reference.set(key, placeholders(entry.message, 'en'));
    } catch (error) {
      problems.push(`en ${key}: not valid ICU MessageFormat (${(error as Error).message})`);
    }
  }
  for (const lang of languages) {
    const file = files[lang];
    for (const key of Object.keys(english)) if (!(key in file)) problems.push(`${lang} ${key}: missing`);
    for (const [key, entry] of Object.entries(file)) {
      if (!(key in english)) {
        problems.push(`${lang} ${key}: not in the English catalogue`);
        continue;
      }
      if (typeof entry.message !== 'string' || !entry.message.trim()) {
        problems.push(`${lang} ${key}: no message`);
        continue;
      }
      const expected = reference.get(key);
      try {
        const got = placeholders(entry.message, lang);
        const names = new Set([...(expected?.keys() ?? []), ...got.keys()]);
        if (expected && [...names].some((name) => !fits(expected.get(name) ?? new Set(), got.get(name) ?? new Set(), lang)))
          problems.push(`${lang} ${key}: placeholders ${show(got)} instead of ${show(expected)}`);
      } catch (error) {
        problems.push(`${lang} ${key}: not valid ICU MessageFormat (${(error as Error).message})`);
      }
    }
  }
  return problems;
}

export function readCatalogues(dir = messagesDir): CatalogueFiles {
  return Object.fromEntries(
    languages.map((lang) => [lang, JSON.parse(readFileSync(join(dir, `${lang}.json`), 'utf8')) as Record<string, Entry>]),
  ) as CatalogueFiles;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const problems = checkCatalogues(readCatalogues());
  for (const problem of problems) console.log(problem);
  console.log(problems.length ? `i18n:check: ${problems.length} problems` : 'i18n:check: every catalogue is complete and consistent');
  process.exit(problems.length ? 1 : 0);
}
