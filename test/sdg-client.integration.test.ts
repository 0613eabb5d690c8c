import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from './helpers/server.ts';
import { SdgTitleCache, type ApiGet, type SdgTitles } from '../client/src/lib/sdg.ts';
import { sdgDataDir } from '../server/sdg/sdg.service.ts';
import type { SdgCatalogue, SdgLanguage } from '../shared/sdg.ts';

const shipped = async (language: SdgLanguage) =>
  JSON.parse(await readFile(path.join(sdgDataDir, `${language}.json`), 'utf8')) as SdgCatalogue;

/** The client's cache over real HTTP, counting requests and able to fail the next ones. */
function client(base: string) {
  const requests: string[] = [];
  let failNext = 0;
  const get: ApiGet = async <T>(route: string) => {
    requests.push(route);
    if (failNext > 0) {
      failNext--;
      throw new Error('offline');
    }
    const res = await fetch(base + route);
    if (!res.ok) throw new Error(`${res.status}`);
    return (await res.json()) as T;
  };
  const arrived: SdgTitles[] = [];
  const cache = new SdgTitleCache(get, (titles) => arrived.push(titles));
  return { cache, requests, arrived, fail: (n: number) => (failNext = n) };
}

describe('the client’s SDG titles', () => {
  it('fetch the reader’s language once, answer lookups in it, and fetch another language when the reader switches', async () => {
    const s = await startServer();
    const { cache, requests, arrived } = client(s.url);

    expect(cache.peek('ar')).toBeUndefined();
    expect(cache.peek('ar')).toBeUndefined(); // still loading: no second fetch
    await expect.poll(() => arrived.length).toBe(1);
    const arabic = cache.peek('ar')!;
    expect(arabic.locale).toBe('ar');
    const ar = await shipped('ar');
    expect(arabic.target('16.10')!.title).toBe(ar.targets.find((t) => t.id === '16.10')!.title);
    expect(arabic.goal(16)!.short).toBe(ar.goals[15]!.short);
    expect(arabic.target('1.z')).toBeUndefined();
    expect(requests).toEqual(['/api/sdg/goals?lang=ar', '/api/sdg/targets?lang=ar']);

    // The reader switches to Chinese: fetched once, however many views ask at the same time.
    const [a, b] = await Promise.all([cache.load('zh'), cache.load('zh')]);
    expect(a).toBe(b);
    expect(a.target('1.a')!.title).toBe((await shipped('zh-Hans')).targets.find((t) => t.id === '1.a')!.title);
    expect(requests).toHaveLength(4);
    // And back: Arabic is still here.
    expect(cache.peek('ar')).toBe(arabic);
    expect(requests).toHaveLength(4);
  });

  it('try again after a failed fetch instead of remembering the failure', async () => {
    const s = await startServer();
    const { cache, fail, arrived } = client(s.url);
    fail(2);
    await expect(cache.load('fr')).rejects.toThrow('offline');
    expect(cache.peek('fr')).toBeUndefined();
    await expect.poll(() => arrived.length).toBe(1);
    expect(cache.peek('fr')!.goals).toEqual((await shipped('fr')).goals);
  });
});
