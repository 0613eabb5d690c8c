/** The six official UN languages, in the order the language picker shows them. */
export const locales = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type Locale = (typeof locales)[number];

/** Each language named in itself, so that anyone can find their own. */
export const localeNames: Record<Locale, string> = {
  ar: 'العربية',
  zh: '中文',
  en: 'English',
  fr: 'Français',
  ru: 'Русский',
  es: 'Español',
};

export const rtlLocales: ReadonlySet<Locale> = new Set<Locale>(['ar']);

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The first of the browser's preferred languages that Convene speaks, matched on the primary subtag. */
export function negotiateLocale(preferred: readonly string[]): Locale | null {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLocale(primary)) return primary;
  }
  return null;
}
