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
