import type { APIRequestContext, Page } from '@playwright/test';

/** Does the server answer this API endpoint yet? (Planned endpoints answer 404 `not-found`.) */
export async function hasEndpoint(request: APIRequestContext, path: string): Promise<boolean> {
  const res = await request.get(path);
  if (res.status() !== 404) return true;
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
  return body.error?.code !== 'not-found';
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
  ['search-empty', '/#/search?q=zzqx+nothing'],
  ['glossary', '/#/glossary'],
  ['patterns', '/#/patterns'],
  ['case-studies', '/#/case-studies'],
  ['paths', '/#/paths'],
  ['doc-pattern', '/#/doc/retry-with-backoff'],
  ['doc-term', '/#/doc/exponential-backoff'],
  ['doc-path', '/#/doc/start-here'],
  ['settings', '/#/settings'],
  ['not-found', '/#/doc/no-such-page'],
] as const;
