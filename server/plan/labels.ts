import { IntlMessageFormat } from 'intl-messageformat';
import type { Locale } from '../../client/src/lib/i18n/locales.ts';
import { localiseValues, plainArguments, type MessageKey } from '../../client/src/lib/i18n/catalogue.ts';
import { catalogues } from '../../client/src/lib/i18n/all-catalogues.ts';

/**
 * The labels inside exported files, in the requester's language, from the
 * client's own message catalogues. Those are JSON files (all-catalogues.ts
 * reads them with no Svelte and no Vite), so the server imports them as they are:
 * one catalogue, one translation of every status, group and heading, whether
 * it is read on a page or in a downloaded file. Importing the merged
 * catalogues rather than only messages/export/ lets the files reuse the
 * editor's names for statuses, budget sources, groups and stances.
 */
const en = catalogues.en;

export type Label = (key: MessageKey, values?: Record<string, string | number>) => string;

const cache = new Map<string, { format: IntlMessageFormat; plain: ReadonlySet<string> }>();

export function labelsFor(locale: Locale): Label {
  const catalogue = catalogues[locale];
  return (key, values) => {
    const source = catalogue[key] ?? en[key];
    const cacheKey = `${locale}\u0000${key}`;
    let format = cache.get(cacheKey);
    try {
      if (!format) {
        const parsed = new IntlMessageFormat(source, locale);
        cache.set(cacheKey, (format = { format: parsed, plain: plainArguments(parsed.getAst()) }));
      }
      return String(format.format.format(values && localiseValues(values, format.plain, locale)));
    } catch {
      return source;
    }
  };
}
