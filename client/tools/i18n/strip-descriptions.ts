import type { Plugin } from 'vite';

/**
 * The catalogues' descriptions are for translators: the build leaves them out of the
 * client (about a third of en.json), keeping `{ "key": { "message": … } }` so that
 * catalogue.ts reads built and source files alike.
 */
export function stripCatalogueDescriptions(): Plugin {
  const catalogue = /\/client\/src\/lib\/i18n\/messages\/[a-z]{2}\.json$/;
  return {
    name: 'convene:strip-catalogue-descriptions',
    enforce: 'pre',
    transform(code, id) {
      if (!catalogue.test(id.split('?')[0]!)) return null;
      const file = JSON.parse(code) as Record<string, { message: string }>;
      const messages: Record<string, { message: string }> = {};
      for (const [key, entry] of Object.entries(file)) messages[key] = { message: entry.message };
      return { code: JSON.stringify(messages), map: null };
    },
  };
}
