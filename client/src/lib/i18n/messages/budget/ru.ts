import type budgetEn from './en.ts';

/** ru strings for loading pages on slow connections; the type requires every key of the English ones. */
export default {
  'budget.pageFailed': 'Не удалось загрузить эту страницу. Проверьте подключение и попробуйте ещё раз.',
} as const satisfies Record<keyof typeof budgetEn, string>;
