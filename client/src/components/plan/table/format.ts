/** Number formats are costly to create: one per language and currency, reused by every row. */
const formats = new Map<string, Intl.NumberFormat>();

export function formatAmount(amount: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 2 });
    } catch {
      format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    }
    formats.set(key, format);
  }
  return format.format(amount);
}
