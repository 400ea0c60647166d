// Hash routes: `#/`, `#/search?q=`, `#/glossary`, `#/patterns`, `#/case-studies`, `#/paths`,
// `#/doc/<id>` (ids may contain `/`), `#/path/<id>` (the path player; `#/paths/<id>` too), `#/settings`, `#/governance`. Query parameters follow `?` inside the hash,
// as the Rust renderer writes them: `#/doc/<id>?section=gh-<slug>`.

export type Route =
  | { name: 'home'; params: URLSearchParams }
  | { name: 'search'; params: URLSearchParams }
  | { name: 'glossary'; params: URLSearchParams }
  | { name: 'patterns'; params: URLSearchParams }
  | { name: 'case-studies'; params: URLSearchParams }
  | { name: 'paths'; params: URLSearchParams }
  | { name: 'settings'; params: URLSearchParams }
  | { name: 'governance'; params: URLSearchParams }
  | { name: 'doc'; id: string; params: URLSearchParams }
  | { name: 'path'; id: string; params: URLSearchParams }
  | { name: 'not-found'; path: string; params: URLSearchParams };

const SIMPLE = ['search', 'glossary', 'patterns', 'case-studies', 'paths', 'settings', 'governance'] as const;

export function parseHash(hash: string): Route {
  let h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h.startsWith('/')) h = '/' + h;
  const qi = h.indexOf('?');
  const path = qi >= 0 ? h.slice(0, qi) : h;
  const params = new URLSearchParams(qi >= 0 ? h.slice(qi + 1) : '');
  if (path === '/' || path === '') return { name: 'home', params };
  for (const [prefix, name] of [['/doc/', 'doc'], ['/path/', 'path'], ['/paths/', 'path']] as const) {
    if (!path.startsWith(prefix)) continue;
    const raw = path.slice(prefix.length).replace(/\/+$/, '');
    let id = raw;
    try {
      id = decodeURIComponent(raw);
    } catch {
      // keep the raw id; the server will answer with suggestions
    }
    if (id) return { name, id, params };
  }
  const simple = path.slice(1).replace(/\/+$/, '');
  for (const s of SIMPLE) if (s === simple) return { name: s, params };
  return { name: 'not-found', path, params };
}

/** The hash for a path in the path player, optionally at one step. */
export function pathHref(id: string, step?: string): string {
  const enc = id.split('/').map(encodeURIComponent).join('/');
  return `#/path/${enc}${step ? `?step=${encodeURIComponent(step)}` : ''}`;
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
  return r.name === 'doc' || r.name === 'path' ? `${r.name}:${r.id}` : r.name;
}

export const TITLES: Record<Route['name'], string> = {
  home: 'Home',
  search: 'Search',
  glossary: 'Glossary',
  patterns: 'Pattern library',
  'case-studies': 'Case studies',
  paths: 'Training paths',
  settings: 'Settings',
  governance: 'Governance',
  doc: 'Document',
  path: 'Training path',
  'not-found': 'Page not found',
};
