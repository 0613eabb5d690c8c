import { IntlMessageFormat } from 'intl-messageformat';
import englishFile from './messages/en.json';
import { loadCatalogue, localiseValues, messagesOf, numberFormat, plainArguments, type Catalogue, type MessageKey } from './catalogue.ts';
import { isLocale, negotiateLocale, rtlLocales, type Locale } from './locales.ts';

export type { MessageKey } from './catalogue.ts';
export type MessageValues = Record<string, string | number | Date | null | undefined>;

const STORAGE_KEY = 'convene.locale';

/** English ships with the app; the other catalogues are loaded on demand (catalogue.ts). */
const en: Catalogue = messagesOf(englishFile);

function storedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

function initialLocale(): Locale {
  return storedLocale() ?? negotiateLocale(navigator.languages ?? [navigator.language]) ?? 'en';
}

class I18n {
  #locale = $state<Locale>('en');
  #catalogue = $state.raw<Catalogue>(en);
  #formatters = new Map<string, { format: IntlMessageFormat; plain: ReadonlySet<string> }>();
  #request = 0;

  get locale(): Locale {
    return this.#locale;
  }

  get dir(): 'rtl' | 'ltr' {
    return rtlLocales.has(this.#locale) ? 'rtl' : 'ltr';
  }

  /** Loads the preferred language before the first render. */
  init(): Promise<void> {
    return this.setLocale(initialLocale(), false);
  }

  async setLocale(locale: Locale, remember = true): Promise<void> {
    const request = ++this.#request;
    let catalogue: Catalogue = en;
    if (locale !== 'en') {
      try {
        catalogue = await loadCatalogue[locale]();
      } catch {
        locale = 'en'; // offline and not cached: English is always there
      }
    }
    if (request !== this.#request) return; // a later choice won
    this.#catalogue = catalogue;
    this.#locale = locale;
    document.documentElement.lang = locale;
    document.documentElement.dir = this.dir;
    if (remember) {
      try {
        localStorage.setItem(STORAGE_KEY, locale);
      } catch {
        // storage may be disabled; the choice then lasts for this visit
      }
    }
  }

  /** Formats a message in the current language. Reactive: reading it in a template re-renders on language change. */
  t = (key: MessageKey, values?: MessageValues): string => {
    const locale = this.#locale;
    const source = this.#catalogue[key] ?? en[key];
    const cacheKey = `${locale}\u0000${key}`;
    let formatter = this.#formatters.get(cacheKey);
    try {
      if (!formatter) {
        const format = new IntlMessageFormat(source, locale);
        formatter = { format, plain: plainArguments(format.getAst()) };
        this.#formatters.set(cacheKey, formatter);
      }
      return String(formatter.format.format(values && localiseValues(isolate(values), formatter.plain, locale)));
    } catch {
      return source;
    }
  };
}

/**
 * Wraps text values in Unicode isolates (FSI … PDI) so that a Latin name in an
 * Arabic sentence, or an Arabic title in an English one, cannot reorder the
 * punctuation around it.
 */
const FSI = String.fromCharCode(0x2068); // first strong isolate
const PDI = String.fromCharCode(0x2069); // pop directional isolate

function isolate(values: MessageValues): MessageValues {
  const out: MessageValues = {};
  for (const [name, value] of Object.entries(values)) out[name] = typeof value === 'string' ? FSI + value + PDI : value;
  return out;
}

export const i18n = new I18n();
export const t = i18n.t;

/** A number as the current language writes it (digits, grouping, decimal sign). Reactive like t(). */
export const formatNumber = (value: number): string => numberFormat(i18n.locale).format(value);

/** A short list as the current language joins it ("a, b, c"; "a、b、c"; "a، b، c"). Reactive like t(). */
export const formatList = (items: readonly string[]): string =>
  new Intl.ListFormat(i18n.locale, { style: 'short', type: 'unit' }).format(items);

/** `errors.<code>` for a known error code, else the generic network/server message. */
export function errorKey(code: string): MessageKey {
  const key = `errors.${code}`;
  return key in en ? (key as MessageKey) : 'errors.internal_error';
}

/** `close.<code>` for a WebSocket close code worth telling the user about, else null. */
export function closeKey(code: number): MessageKey | null {
  const key = `close.${code}`;
  return key in en ? (key as MessageKey) : null;
}
