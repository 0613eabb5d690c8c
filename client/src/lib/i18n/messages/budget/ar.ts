import type budgetEn from './en.ts';

/** ar strings for loading pages on slow connections; the type requires every key of the English ones. */
export default {
  'budget.pageFailed': 'تعذّر تحميل هذه الصفحة. تحقّق من اتصالك وحاول مرة أخرى.',
} as const satisfies Record<keyof typeof budgetEn, string>;
