import { describe, expect, it } from 'vitest';
import { labelsFor } from '../server/plan/labels.ts';
import type { MessageKey } from '../client/src/lib/i18n/catalogue.ts';

/**
 * Numbers and dates in messages follow the reader's language. The server's labels and the
 * page's t() format through the same helpers (client/src/lib/i18n/catalogue.ts), so checking
 * the labels checks both. Expected forms come from Intl for that language, not from English.
 */
const numberIn = (locale: string, n: number) => new Intl.NumberFormat(locale).format(n);
const label = (locale: 'ar' | 'fr' | 'zh' | 'en' | 'ru', key: MessageKey, values: Record<string, unknown>) =>
  labelsFor(locale)(key, values as Record<string, string | number>);

describe('numbers and dates in messages follow the language', () => {
  it('writes a plain number argument with the language’s grouping and digits, not as "1234"', () => {
    const fr = label('fr', 'invitations.usesOf', { uses: 1234, max: 25000 });
    expect(fr).toBe(`${numberIn('fr', 1234)} sur ${numberIn('fr', 25000)}`);
    expect(numberIn('fr', 1234)).not.toBe('1234'); // French groups thousands with a narrow space

    const ar = label('ar', 'coverage.summary.addressedValue', { addressed: 1500, total: 20000 });
    expect(ar).toContain(numberIn('ar', 1500));
    expect(ar).toContain(numberIn('ar', 20000));
    expect(ar).not.toContain('20000');

    const zh = label('zh', 'coverage.page', { page: 1200, pages: 3400 });
    expect(zh).toBe(`第 ${numberIn('zh', 1200)} 页，共 ${numberIn('zh', 3400)} 页`);
  });

  it('keeps the raw number where the message chooses a plural form by it', () => {
    expect(label('en', 'members.count', { count: 1 })).toBe('1 member');
    expect(label('en', 'members.count', { count: 1234 })).toBe('1,234 members');
    expect(label('ru', 'members.count', { count: 21 })).toMatch(/^21 /);
  });

  it('writes dates the language’s way', () => {
    const date = new Date(Date.UTC(2026, 11, 2, 12));
    for (const locale of ['ar', 'fr', 'zh'] as const) {
      // ICU's "medium" date is month short, day and year in numbers.
      const expected = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
      expect(label(locale, 'common.createdOn', { date }), locale).toContain(expected);
    }
    expect(label('zh', 'common.createdOn', { date })).toContain('2026年12月2日');
    expect(label('fr', 'common.createdOn', { date })).toContain('déc. 2026');
  });

  it('leaves text arguments as they are', () => {
    expect(label('fr', 'export.field', { label: 'Budget', value: '1234 XOF' })).toContain('1234 XOF');
  });
});
