import type budgetEn from './en.ts';

/** es strings for loading pages on slow connections; the type requires every key of the English ones. */
export default {
  'budget.pageFailed': 'No se pudo cargar esta página. Compruebe su conexión e inténtelo de nuevo.',
} as const satisfies Record<keyof typeof budgetEn, string>;
