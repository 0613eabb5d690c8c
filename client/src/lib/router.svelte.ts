/**
 * A tiny hash router: `#/` home, `#/c/<id>` consultation, `#/d/<id>` document.
 * No dependency, no history juggling; the browser's back button just works.
 */
export type Route =
  | { name: 'home' }
  | { name: 'consultation'; id: string }
  | { name: 'document'; id: string }
  | { name: 'notFound' };

/** Ids are server-made UUIDs; anything else cannot match a page. */
const idPattern = '([0-9A-Za-z-]{1,64})';
const patterns: [RegExp, (id: string) => Route][] = [
  [new RegExp(`^/c/${idPattern}/?$`), (id) => ({ name: 'consultation', id })],
  [new RegExp(`^/d/${idPattern}/?$`), (id) => ({ name: 'document', id })],
];

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/') return { name: 'home' };
  for (const [pattern, make] of patterns) {
    const match = pattern.exec(path);
    if (match?.[1]) return make(match[1]);
  }
  return { name: 'notFound' };
}

export const paths = {
  home: () => '#/',
  consultation: (id: string) => `#/c/${encodeURIComponent(id)}`,
  document: (id: string) => `#/d/${encodeURIComponent(id)}`,
};

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
