import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCatalogues, languages, readCatalogues, type CatalogueFiles } from '../client/tools/i18n/check.ts';

const run = promisify(execFile);
const converter = resolve(import.meta.dirname, '../client/tools/i18n/convert.ts');

describe('the message catalogues (client/src/lib/i18n/messages/<lang>.json)', () => {
  it('have every English key in every language, nothing else, valid ICU with the English placeholders, and a description per key', () => {
    const files = readCatalogues();
    expect(Object.keys(files.en).length).toBeGreaterThan(1000);
    expect(checkCatalogues(files)).toEqual([]);
  });
});

describe('the catalogue check', () => {
  /** A small, correct set of six catalogues, changed one way per case below. */
  const base = (): CatalogueFiles => {
    const en = {
      'a.plain': { message: 'Hello {name}', description: 'Greeting. {name}: a display name.' },
      'a.count': { message: '{count, plural, one {# reply} other {# replies}}', description: 'Replies under a thread.' },
      'a.min': { message: 'At least {min} characters', description: 'Password hint.' },
      'a.when': { message: 'Started {date, date, medium}', description: 'A meeting start.' },
      'a.kind': { message: '{kind, select, doc {Document} other {Item}}', description: 'What was opened.' },
    };
    const files = { en } as unknown as CatalogueFiles;
    for (const lang of languages) if (lang !== 'en') files[lang] = Object.fromEntries(Object.entries(en).map(([k, v]) => [k, { message: v.message }]));
    return files;
  };

  it('passes a consistent set, and the grammar each language needs', () => {
    const files = base();
    // Russian needs plural forms where English shows a plain number; Chinese has no plural forms.
    files.ru['a.min'] = { message: 'Не менее {min, plural, one {# символа} few {# символов} many {# символов} other {# символа}}' };
    files.zh['a.count'] = { message: '{count} 条回复' };
    expect(checkCatalogues(files)).toEqual([]);
  });

  it('names each kind of problem', () => {
    const files = base();
    delete files.fr['a.plain'];
    files.es['a.extra'] = { message: 'Extra' };
    files.ar['a.plain'] = { message: 'مرحبا {nom}' }; // renamed placeholder
    files.ru['a.when'] = { message: 'Начало {date, number}' }; // a date shown as a number
    files.zh['a.kind'] = { message: '{kind, select, document {文件} other {项目}}' }; // select cases are data
    files.fr['a.count'] = { message: '{count, plural, one {# réponse} other {# réponses}' }; // unbalanced brace
    files.es['a.count'] = { message: '{count, plural, one {# respuesta}}' }; // no "other"
    files.fr['a.min'] = { message: 'Au moins {min} caractères' };
    files.ar['a.count'] = { message: 'ردود' }; // Arabic has plural forms: the count cannot just go
    files.en['a.min']!.description = ' ';
    const problems = checkCatalogues(files).join('\n');
    expect(problems).toContain('fr a.plain: missing');
    expect(problems).toContain('es a.extra: not in the English catalogue');
    expect(problems).toContain('ar a.plain: placeholders nom:value instead of name:value');
    expect(problems).toContain('ru a.when: placeholders date:value instead of date:date');
    expect(problems).toContain('zh a.kind: placeholders kind:select:document|other instead of kind:select:doc|other');
    expect(problems).toContain('fr a.count: not valid ICU MessageFormat');
    expect(problems).toContain('es a.count: not valid ICU MessageFormat (MISSING_OTHER_CLAUSE)');
    expect(problems).toContain('ar a.count: placeholders (none) instead of count:plural');
    expect(problems).toContain('en a.min: no description');
    expect(problems).not.toContain('fr a.min');
  });
});

describe('npm run i18n:convert -- <feature folder>', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A messages/ directory with JSON catalogues, as on main after the conversion. */
  function messagesDir(): string {
    dir = mkdtempSync(join(tmpdir(), 'convene-i18n-'));
    for (const lang of languages) {
      const entry = (message: string) => (lang === 'en' ? { message, description: 'Kept.' } : { message });
      writeFileSync(join(dir, `${lang}.json`), JSON.stringify({ 'app.name': entry('Convene'), 'notes.old': entry(`old ${lang}`) }, null, 2));
    }
    return dir;
  }

  /** A feature folder as another branch adds it: six TS files, a `// …` comment above each English key. */
  function featureFolder(parent: string, name: string, keysOf: (lang: string) => Record<string, string>): string {
    const folder = join(parent, name);
    mkdirSync(folder);
    for (const lang of languages) {
      const lines = Object.entries(keysOf(lang)).map(([k, v]) =>
        (lang === 'en' && k !== 'notes.bare' ? `  // Where ${k} shows; {count}: how many.\n` : '') + `  '${k}': ${JSON.stringify(v)},`,
      );
      writeFileSync(join(folder, `${lang}.ts`), `/** ${lang} strings */\nexport default {\n${lines.join('\n')}\n} as const;\n`);
    }
    return folder;
  }

  it('merges the folder’s keys into the six JSON files with their comments as descriptions, then deletes the folder', async () => {
    const parent = messagesDir();
    const folder = featureFolder(parent, 'notes', (lang) => ({
      'notes.old': `new ${lang}`,
      'notes.badge': `{count, plural, other {# ${lang}}}`,
      'notes.bare': `bare ${lang}`,
    }));
    await run(process.execPath, ['--import', 'tsx', converter, folder]);

    expect(existsSync(folder)).toBe(false);
    const en = JSON.parse(readFileSync(join(parent, 'en.json'), 'utf8'));
    expect(Object.keys(en)).toEqual(['app.name', 'notes.old', 'notes.badge', 'notes.bare']);
    expect(en['notes.old']).toEqual({ message: 'new en', description: 'Where notes.old shows; {count}: how many.' });
    expect(en['notes.badge'].description).toBe('Where notes.badge shows; {count}: how many.');
    expect(en['notes.bare']).toEqual({ message: 'bare en', description: '' }); // the check then asks for one
    const fr = JSON.parse(readFileSync(join(parent, 'fr.json'), 'utf8'));
    expect(fr['notes.badge']).toEqual({ message: '{count, plural, other {# fr}}' });
    expect(fr['app.name']).toEqual({ message: 'Convene' });
  });

  it('writes and deletes nothing when a language lacks a key of the English', async () => {
    const parent = messagesDir();
    const before = readFileSync(join(parent, 'ar.json'), 'utf8');
    const folder = featureFolder(parent, 'notes', (lang): Record<string, string> => (lang === 'ar' ? {} : { 'notes.new': `x ${lang}` }));
    await expect(run(process.execPath, ['--import', 'tsx', converter, folder])).rejects.toThrow(/ar\.ts: missing notes\.new/);
    expect(existsSync(folder)).toBe(true);
    expect(readFileSync(join(parent, 'ar.json'), 'utf8')).toBe(before);
  });
});
