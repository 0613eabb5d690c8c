import type { CloseCode, ErrorCode } from '../../../../shared/errors.ts';
import type { Phase, StakeholderGroup } from '../../../../shared/groups.ts';
import type { Role } from '../../../../shared/permissions.ts';
import type englishFile from './messages/en.json';
import type { Locale } from './locales.ts';

/**
 * The message catalogues are JSON files translators work on (messages/<lang>.json,
 * "structured JSON": `{ "key": { "message": "<ICU MessageFormat>", "description": "…" } }`,
 * descriptions in the English file only). This module is the one way into them, for the
 * client and the server alike: no Svelte, no Vite, no DOM.
 */

/** Every key of the English catalogue, the reference: a key that is not there is a type error. */
export type MessageKey = keyof typeof englishFile;
/** One language's messages, key → ICU MessageFormat source. */
export type Catalogue = Record<MessageKey, string>;
/** One catalogue file as translation tools read and write it. */
export type CatalogueFile = { [K in MessageKey]?: { message: string; description?: string } };

/** The messages of a catalogue file (its descriptions are for translators, not for the page). */
export function messagesOf(file: CatalogueFile): Catalogue {
  const out = {} as Catalogue;
  for (const [key, entry] of Object.entries(file) as [MessageKey, { message: string }][]) out[key] = entry.message;
  return out;
}

/**
 * Loads one language's catalogue, and only that one: each is its own chunk in the client build,
 * so a page needs just the language it shows.
 */
export const loadCatalogue: Record<Locale, () => Promise<Catalogue>> = {
  en: () => import('./messages/en.json').then((m) => messagesOf(m.default)),
  fr: () => import('./messages/fr.json').then((m) => messagesOf(m.default)),
  es: () => import('./messages/es.json').then((m) => messagesOf(m.default)),
  ar: () => import('./messages/ar.json').then((m) => messagesOf(m.default)),
  ru: () => import('./messages/ru.json').then((m) => messagesOf(m.default)),
  zh: () => import('./messages/zh.json').then((m) => messagesOf(m.default)),
};

/**
 * Every error code, stakeholder group, phase, role and meaningful close code in the shared
 * contract has a message: adding one there without a key in en.json is a type error here
 * (and the catalogue test then asks the other languages to follow).
 */
type Covered =
  | `errors.${ErrorCode}`
  | `groups.${StakeholderGroup}`
  | `phases.${Phase}`
  | `roles.${Role}`
  | `roleInfo.${Role}`
  | `alias.${StakeholderGroup}`
  | `close.${Exclude<CloseCode, 1000 | 1001>}`;
type Uncovered = Exclude<Covered, MessageKey>;
export const everyCodeHasAMessage: [Uncovered] extends [never] ? true : Uncovered = true;

/** The parsed ICU elements the helpers below look at (types from @formatjs/icu-messageformat-parser). */
type Element = { type: number; value?: unknown; options?: Record<string, { value: Element[] }>; children?: Element[] };

/**
 * The names a message uses only as plain `{name}` arguments. intl-messageformat prints a number
 * there with String() ("1234", Latin digits, no grouping), whatever the language: such numbers
 * are formatted for the locale before they go in (localiseValues). A name also used as a plural,
 * number or select keeps its raw number, which those need.
 */
export function plainArguments(ast: readonly unknown[]): ReadonlySet<string> {
  const plain = new Set<string>();
  const other = new Set<string>();
  const walk = (elements: readonly Element[]) => {
    for (const el of elements) {
      if (el.type === 1) plain.add(String(el.value));
      else if (el.type >= 2 && el.type <= 6) other.add(String(el.value));
      for (const option of Object.values(el.options ?? {})) walk(option.value);
      walk(el.children ?? []);
    }
  };
  walk(ast as Element[]);
  for (const name of other) plain.delete(name);
  return plain;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** One Intl.NumberFormat per language, reused (they are costly to create). */
export function numberFormat(locale: string): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale)));
  return format;
}

/** `values` with each number that goes into a plain argument written as the locale writes numbers. */
export function localiseValues<V>(values: Record<string, V | number>, plain: ReadonlySet<string>, locale: string): Record<string, V | number | string> {
  if (!plain.size) return values;
  const out: Record<string, V | number | string> = { ...values };
  for (const name of plain) {
    const value = values[name];
    if (typeof value === 'number') out[name] = numberFormat(locale).format(value);
  }
  return out;
}
