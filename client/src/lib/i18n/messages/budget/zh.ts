import type budgetEn from './en.ts';

/** zh strings for loading pages on slow connections; the type requires every key of the English ones. */
export default {
  'budget.pageFailed': '无法加载此页面。请检查网络连接后重试。',
} as const satisfies Record<keyof typeof budgetEn, string>;
