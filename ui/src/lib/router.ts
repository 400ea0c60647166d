// Hash routes: `#/`, `#/search?q=`, `#/glossary`, `#/patterns`, `#/case-studies`, `#/paths`,
// `#/doc/<id>` (ids may contain `/`), `#/path/<id>` (the path player; `#/paths/<id>` too), `#/settings`, `#/governance`,
// authoring: `#/write` (`?draft=<id>`, `?doc=<id>` to edit a page, `?template=<key>`), `#/review`
// (the queue), `#/review/<proposal id>`, `#/history/<doc id>` and `#/changelog`. Query parameters follow `?` inside the hash,
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
  | { name: 'write'; params: URLSearchParams }
  | { name: 'review'; params: URLSearchParams }
  | { name: 'changelog'; params: URLSearchParams }
  | { name: 'proposal'; id: string; params: URLSearchParams }
  | { name: 'history'; id: string; params: URLSearchParams }
  | { name: 'doc'; id: string; params: URLSearchParams }
  | { name: 'path'; id: string; params: URLSearchParams }
  | { name: 'not-found'; path: string; params: URLSearchParams };

const SIMPLE = ['search', 'glossary', 'patterns', 'case-studies', 'paths', 'settings', 'governance', 'write', 'review', 'changelog'] as const;

export function parseHash(hash: string): Route {
  let h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h.startsWith('/')) h = '/' + h;
  const qi = h.indexOf('?');
  const path = qi >= 0 ? h.slice(0, qi) : h;
  const params = new URLSearchParams(qi >= 0 ? h.slice(qi + 1) : '');
  if (path === '/' || path === '') return { name: 'home', params };
  const PREFIXES = [
    ['/doc/', 'doc'],
    ['/path/', 'path'],
    ['/paths/', 'path'],
    ['/review/', 'proposal'],
    ['/history/', 'history'],
  ] as const;
  for (const [prefix, name] of PREFIXES) {
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

function encId(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/');
}

function withParams(base: string, params: Record<string, string | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `${base}?${s}` : base;
}

/** The editor: a draft, a new draft editing a page, or a new draft from a template. */
export function writeHref(opts: { draft?: string; doc?: string; template?: string } = {}): string {
  return withParams('#/write', opts);
}

export function proposalHref(id: string): string {
  return `#/review/${encodeURIComponent(id)}`;
}

/** A document's history, optionally with a diff between two versions. */
export function historyHref(id: string, diff: { from?: string; to?: string } = {}): string {
  return withParams(`#/history/${encId(id)}`, diff);
}

export function changelogHref(filters: { kind?: string; person?: string } = {}): string {
  return withParams('#/changelog', filters);
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
  if (r.name === 'doc' || r.name === 'path' || r.name === 'proposal' || r.name === 'history') return `${r.name}:${r.id}`;
  return r.name;
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
  write: 'Write',
  review: 'Review queue',
  changelog: 'Changelog',
  proposal: 'Proposal',
  history: 'History',
  doc: 'Document',
  path: 'Training path',
  'not-found': 'Page not found',
};
