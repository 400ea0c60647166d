import { expect, type APIRequestContext, type Page } from '@playwright/test';

/**
 * Empty the personal store of the (shared, throw-away) server: profile back to its defaults, no
 * bookmarks, notes, recent views, path progress or search log. Tests that depend on personal state
 * call this first, so they do not depend on the order the spec files run in.
 */
export async function resetPersonal(request: APIRequestContext): Promise<void> {
  const data = await (await request.get('/api/personal-data')).json();
  const empty = {
    ...data,
    profile: { display_name: '', role: null, glossary_view: 'plain', theme: 'system', language: null },
    bookmarks: [],
    notes: [],
    recent_views: [],
    paths: [],
    path_completions: [],
    checkpoint_attempts: [],
    search_log: [],
  };
  const res = await request.put('/api/personal-data', { data: empty });
  expect(res.status(), await res.text()).toBe(204);
}

/** Collect CSP violations and console errors, so every test also checks the strict CSP holds. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 404/.test(m.text())) {
      problems.push(m.text());
    }
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return problems;
}

export const SCREENS = [
  ['home', '/#/'],
  ['search', '/#/search?q=retry'],
  ['search-empty', '/#/search?q=zzqx+qwvb'],
  ['glossary', '/#/glossary'],
  ['patterns', '/#/patterns'],
  ['case-studies', '/#/case-studies'],
  ['paths', '/#/paths'],
  ['path-player', '/#/path/start-here'],
  ['doc-pattern', '/#/doc/retry-with-backoff'],
  ['doc-term', '/#/doc/exponential-backoff'],
  ['doc-path', '/#/doc/start-here'],
  ['settings', '/#/settings'],
  ['governance', '/#/governance'],
  ['not-found', '/#/doc/no-such-page'],
] as const;
