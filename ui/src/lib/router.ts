// Hash routes: `#/`, `#/search?q=`, `#/glossary`, `#/patterns`, `#/case-studies`, `#/paths`,
// `#/doc/<id>` (ids may contain `/`), `#/settings`. Query parameters follow `?` inside the hash,
// as the Rust renderer writes them: `#/doc/<id>?section=gh-<slug>`.

export type Route =
  | { name: 'home'; params: URLSearchParams }
  | { name: 'search'; params: URLSearchParams }
  | { name: 'glossary'; params: URLSearchParams }
  | { name: 'patterns'; params: URLSearchParams }
  | { name: 'case-studies'; params: URLSearchParams }
  | { name: 'paths'; params: URLSearchParams }
  | { name: 'settings'; params: URLSearchParams }
  | { name: 'doc'; id: string; params: URLSearchParams }
  | { name: 'not-found'; path: string; params: URLSearchParams };

const SIMPLE = ['search', 'glossary', 'patterns', 'case-studies', 'paths', 'settings'] as const;

export function parseHash(hash: string): Route {
  let h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h.startsWith('/')) h = '/' + h;
  const qi = h.indexOf('?');
  const path = qi >= 0 ? h.slice(0, qi) : h;
  const params = new URLSearchParams(qi >= 0 ? h.slice(qi + 1) : '');
  if (path === '/' || path === '') return { name: 'home', params };
  if (path.startsWith('/doc/')) {
    const raw = path.slice('/doc/'.length).replace(/\/+$/, '');
    let id = raw;
    try {
      id = decodeURIComponent(raw);
    } catch {
      // keep the raw id; the server will answer with suggestions
    }
    if (id) return { name: 'doc', id, params };
  }
  const simple = path.slice(1).replace(/\/+$/, '');
  for (const s of SIMPLE) if (s === simple) return { name: s, params };
  return { name: 'not-found', path, params };
}

/** The hash for a document; `/` in ids is kept readable. */
export function docHref(id: string, section?: string): string {
  const enc = id.split('/').map(encodeURIComponent).join('/');
  return `#/doc/${enc}${section ? `?section=${encodeURIComponent(section)}` : ''}`;
}

export function searchHref(q: string, filters: Record<string, string | undefined> = {}): string {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  for (const [k, v] of Object.entries(filters)) if (v) p.set(k, v);
  const s = p.toString();
  return `#/search${s ? `?${s}` : ''}`;
}

/** The part of a route that decides which screen (and which document) is shown. */
export function routeKey(r: Route): string {
  return r.name === 'doc' ? `doc:${r.id}` : r.name;
}

export const TITLES: Record<Route['name'], string> = {
  home: 'Home',
  search: 'Search',
  glossary: 'Glossary',
  patterns: 'Pattern library',
  'case-studies': 'Case studies',
  paths: 'Training paths',
  settings: 'Settings',
  doc: 'Document',
  'not-found': 'Page not found',
};
