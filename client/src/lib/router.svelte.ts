/**
 * A tiny hash router: `#/` home, `#/c/<id>` consultation (with `/moderation`
 * and `/audit`, `/recommendations`), `#/d/<id>` document, `#/m/<id>` meeting, `#/account`,
 * `#/invite/<token>`; a document's plan as a table `#/d/<id>/table` and its coverage `#/d/<id>/coverage`,
 * its history `#/d/<id>/history`. No dependency, no history juggling; the
 * browser's back button just works. Invitation tokens live in the hash, which
 * browsers never send to a server.
 */
export type Route =
  | { name: 'home' }
  | { name: 'account' }
  | { name: 'consultation'; id: string }
  | { name: 'document'; id: string }
  | { name: 'planTable'; id: string }
  | { name: 'coverage'; id: string }
  | { name: 'history'; id: string }
  | { name: 'meeting'; id: string }
  | { name: 'moderation'; id: string }
  | { name: 'audit'; id: string }
  | { name: 'recommendations'; id: string }
  | { name: 'invite'; token: string }
  | { name: 'notFound' };

/** Ids are server-made UUIDs; anything else cannot match a page. */
const idPattern = '([0-9A-Za-z-]{1,64})';
const tokenPattern = '([0-9A-Za-z_-]{1,128})';
const patterns: [RegExp, (value: string) => Route][] = [
  [new RegExp(`^/c/${idPattern}/?$`), (id) => ({ name: 'consultation', id })],
  [new RegExp(`^/c/${idPattern}/moderation/?$`), (id) => ({ name: 'moderation', id })],
  [new RegExp(`^/c/${idPattern}/audit/?$`), (id) => ({ name: 'audit', id })],
  [new RegExp(`^/c/${idPattern}/recommendations/?$`), (id) => ({ name: 'recommendations', id })],
  [new RegExp(`^/d/${idPattern}/?$`), (id) => ({ name: 'document', id })],
  [new RegExp(`^/d/${idPattern}/table/?$`), (id) => ({ name: 'planTable', id })],
  [new RegExp(`^/d/${idPattern}/coverage/?$`), (id) => ({ name: 'coverage', id })],
  [new RegExp(`^/d/${idPattern}/history/?$`), (id) => ({ name: 'history', id })],
  [new RegExp(`^/m/${idPattern}/?$`), (id) => ({ name: 'meeting', id })],
  [new RegExp(`^/invite/${tokenPattern}/?$`), (token) => ({ name: 'invite', token })],
];

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/') return { name: 'home' };
  if (path === '/account' || path === '/account/') return { name: 'account' };
  for (const [pattern, make] of patterns) {
    const match = pattern.exec(path);
    if (match?.[1]) return make(match[1]);
  }
  return { name: 'notFound' };
}

/** A string that tells routes apart, for `{#key}` blocks and focus management. */
export function routeKey(route: Route): string {
  if ('id' in route) return `${route.name}:${route.id}`;
  if ('token' in route) return `${route.name}:${route.token}`;
  return route.name;
}

export const paths = {
  home: () => '#/',
  account: () => '#/account',
  consultation: (id: string) => `#/c/${encodeURIComponent(id)}`,
  document: (id: string) => `#/d/${encodeURIComponent(id)}`,
  planTable: (documentId: string) => `#/d/${encodeURIComponent(documentId)}/table`,
  coverage: (documentId: string) => `#/d/${encodeURIComponent(documentId)}/coverage`,
  history: (documentId: string) => `#/d/${encodeURIComponent(documentId)}/history`,
  meeting: (id: string) => `#/m/${encodeURIComponent(id)}`,
  moderation: (consultationId: string) => `#/c/${encodeURIComponent(consultationId)}/moderation`,
  audit: (consultationId: string) => `#/c/${encodeURIComponent(consultationId)}/audit`,
  recommendations: (consultationId: string) => `#/c/${encodeURIComponent(consultationId)}/recommendations`,
  invite: (token: string) => `#/invite/${encodeURIComponent(token)}`,
};

/** The full address of an invitation link, as it is shown to the facilitator who made it. */
export function inviteUrl(token: string): string {
  return `${location.origin}/${paths.invite(token)}`;
}

class Router {
  #hash = $state(location.hash);
  #route = $derived(parseHash(this.#hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.#hash = location.hash;
    });
  }

  get route(): Route {
    return this.#route;
  }

  navigate(hash: string): void {
    location.hash = hash;
  }
}

export const router = new Router();
