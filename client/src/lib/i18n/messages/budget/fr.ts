import type budgetEn from './en.ts';

/** fr strings for loading pages on slow connections; the type requires every key of the English ones. */
export default {
  'budget.pageFailed': 'Cette page n’a pas pu être chargée. Vérifiez votre connexion et réessayez.',
} as const satisfies Record<keyof typeof budgetEn, string>;
