import type { Locale } from './locales.ts';
import { messagesOf, type Catalogue } from './catalogue.ts';
import en from './messages/en.json';
import ar from './messages/ar.json';
import es from './messages/es.json';
import fr from './messages/fr.json';
import ru from './messages/ru.json';
import zh from './messages/zh.json';

/**
 * All six catalogues at once, for the server (labels in exported files and reports) and for tests.
 * The client never imports this: it loads one language at a time (catalogue.ts, loadCatalogue).
 */
export const catalogues: Record<Locale, Catalogue> = {
  en: messagesOf(en),
  ar: messagesOf(ar),
  es: messagesOf(es),
  fr: messagesOf(fr),
  ru: messagesOf(ru),
  zh: messagesOf(zh),
};
