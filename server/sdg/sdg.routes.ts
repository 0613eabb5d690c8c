import type { Response } from 'express';
import { SdgGoals, SdgGoalsQuery, SdgTargets, SdgTargetsQuery, sdgLanguageFor, sdgLanguageOf, type SdgLanguage } from '../../shared/sdg.ts';
import type { ApiRegistry } from '../http/route.ts';
import type { Authenticated } from '../accounts/accounts.service.ts';
import type { SdgService } from './sdg.service.ts';

const tag = 'SDG';

/** The data only changes with a release. */
const publicCache = 'public, max-age=86400';

/**
 * The language asked for when the data has it; otherwise the signed-in
 * person's own, or English. Only an answer in the language named in the URL
 * may be kept by shared caches: the fallback depends on who asks.
 */
function language(lang: string | undefined, auth: Authenticated | undefined, res: Response): SdgLanguage {
  const asked = lang === undefined ? null : sdgLanguageFor(lang);
  const served = asked ?? (auth ? sdgLanguageOf[auth.user.language] : 'en');
  res.setHeader('Content-Language', served);
  if (asked) res.setHeader('Cache-Control', publicCache);
  else {
    res.setHeader('Cache-Control', 'private, no-cache');
    res.vary('Cookie');
  }
  return served;
}

/**
 * Reference data, open without signing in: it says nothing about anyone, and
 * pages that show plan actions to the public can title their SDG links too.
 */
export function sdgRoutes(api: ApiRegistry, sdg: SdgService): void {
  api.add(
    {
      method: 'get',
      path: '/sdg/goals',
      tag,
      auth: false,
      summary: 'The 17 Sustainable Development Goals, titled in the language asked for (ar, en, es, fr, ru, zh), else your own or English',
      query: SdgGoalsQuery,
      response: SdgGoals,
    },
    async ({ query, auth, res }) => {
      const served = language(query.lang, auth as Authenticated | undefined, res);
      return { language: served, goals: [...sdg.goals(served)] };
    },
  );
  api.add(
    {
      method: 'get',
      path: '/sdg/targets',
      tag,
      auth: false,
      summary: 'The 169 SDG targets (or one goal’s), in UN order, titled in the language asked for, else your own or English',
      query: SdgTargetsQuery,
      response: SdgTargets,
    },
    async ({ query, auth, res }) => {
      const served = language(query.lang, auth as Authenticated | undefined, res);
      return { language: served, targets: [...sdg.targets(served, query.goal)] };
    },
  );
}
