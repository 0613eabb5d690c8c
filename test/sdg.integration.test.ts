import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, registerUser, startServer } from './helpers/server.ts';
import { sdgLanguages, type SdgCatalogue, type SdgGoals, type SdgLanguage, type SdgTargets } from '../shared/sdg.ts';
import { sdgDataDir } from '../server/sdg/sdg.service.ts';
import type { Me } from '../shared/accounts.ts';

const shipped = async (language: SdgLanguage) =>
  JSON.parse(await readFile(path.join(sdgDataDir, `${language}.json`), 'utf8')) as SdgCatalogue;

/** The app's language codes, as the client sends them. */
const appLocale: Record<SdgLanguage, string> = { ar: 'ar', en: 'en', es: 'es', fr: 'fr', ru: 'ru', 'zh-Hans': 'zh' };

describe('the SDG routes', () => {
  it('answer in each of the six languages, without sign-in, cacheable for a day', async () => {
    const s = await startServer();
    for (const language of sdgLanguages) {
      const file = await shipped(language);
      const goals = await api<SdgGoals>(s.url, 'GET', `/sdg/goals?lang=${appLocale[language]}`);
      expect(goals.status, language).toBe(200);
      expect(goals.body).toEqual({ language, goals: file.goals });
      expect(goals.headers.get('cache-control')).toBe('public, max-age=86400');
      expect(goals.headers.get('content-language')).toBe(language);
      const targets = await api<SdgTargets>(s.url, 'GET', `/sdg/targets?lang=${appLocale[language]}`);
      expect(targets.status, language).toBe(200);
      expect(targets.body.language).toBe(language);
      expect(targets.body.targets).toHaveLength(169);
      expect(targets.body.targets).toEqual(file.targets);
    }
    const arabic = (await api<SdgGoals>(s.url, 'GET', '/sdg/goals?lang=ar')).body.goals.find((g) => g.number === 16)!;
    const english = (await api<SdgGoals>(s.url, 'GET', '/sdg/goals?lang=en')).body.goals.find((g) => g.number === 16)!;
    expect(arabic.title).not.toBe(english.title);
    expect(arabic.title).toMatch(/[\u0600-\u06FF]/);
    expect(arabic.title).toBe((await shipped('ar')).goals[15]!.title);
    expect(english.short).toBe('Peace, justice and strong institutions');
  });

  it('filter targets by goal, in UN order, and take zh, zh-Hans or a regional tag', async () => {
    const s = await startServer();
    const french = await api<SdgTargets>(s.url, 'GET', '/sdg/targets?lang=fr-CA&goal=16');
    expect(french.status).toBe(200);
    expect(french.body.language).toBe('fr');
    expect(french.body.targets.map((t) => t.id)).toEqual([...Array.from({ length: 10 }, (_, i) => `16.${i + 1}`), '16.a', '16.b']);
    expect(french.body.targets.every((t) => t.goal === 16)).toBe(true);
    expect(french.body.targets[9]!.title).toBe((await shipped('fr')).targets.find((t) => t.id === '16.10')!.title);

    const zh = await api<SdgTargets>(s.url, 'GET', '/sdg/targets?lang=zh&goal=1');
    const zhHans = await api<SdgTargets>(s.url, 'GET', '/sdg/targets?lang=zh-Hans&goal=1');
    expect(zh.body.language).toBe('zh-Hans');
    expect(zhHans.body).toEqual(zh.body);
    expect(zh.body.targets.map((t) => t.id)).toEqual(['1.1', '1.2', '1.3', '1.4', '1.5', '1.a', '1.b']);
    expect(zh.body.targets[0]!.title).toMatch(/[\u4E00-\u9FFF]/);
  });

  it('answer in the reader’s own language, or English, when none of ours is asked for, and keep that answer private', async () => {
    const s = await startServer();
    for (const route of ['/sdg/goals', '/sdg/goals?lang=de']) {
      const anonymous = await api<SdgGoals>(s.url, 'GET', route);
      expect(anonymous.status, route).toBe(200);
      expect(anonymous.body.language, route).toBe('en');
      expect(anonymous.headers.get('cache-control'), route).toBe('private, no-cache');
      expect(anonymous.headers.get('vary'), route).toMatch(/cookie/i);
    }
    const person = await registerUser(s.url);
    expect((await person.call<Me>('PATCH', '/auth/me', { language: 'ru' })).status).toBe(200);
    const own = await person.call<SdgTargets>('GET', '/sdg/targets?lang=de&goal=5');
    expect(own.body.language).toBe('ru');
    expect(own.body.targets).toEqual((await shipped('ru')).targets.filter((t) => t.goal === 5));
    expect(own.headers.get('cache-control')).toBe('private, no-cache');
    // Naming a language wins over the account's.
    expect((await person.call<SdgGoals>('GET', '/sdg/goals?lang=es')).body.language).toBe('es');
  });

  it('refuse a malformed language or a goal outside 1–17 with 400', async () => {
    const s = await startServer();
    for (const route of [
      '/sdg/goals?lang=%3Cscript%3E',
      '/sdg/goals?lang=',
      '/sdg/goals?lang=english%20please',
      '/sdg/goals?lang=en&lang=fr',
      '/sdg/targets?goal=0',
      '/sdg/targets?goal=18',
      '/sdg/targets?goal=1.5',
      '/sdg/targets?goal=peace',
      '/sdg/targets?lang=ar&goal=',
    ]) {
      const res = await api<{ error: { code: string } }>(s.url, 'GET', route);
      expect(res.status, route).toBe(400);
      expect(res.body.error.code, route).toBe('validation_failed');
      expect(res.headers.get('cache-control') ?? '', route).not.toContain('public');
    }
  });
});
