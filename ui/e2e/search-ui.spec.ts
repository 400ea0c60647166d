// The search screen's own behaviour against the real GET /api/search: one search in flight at a time, the search log
// (POST /api/search/settled, only for settled queries, with whether a result was opened), glossary expansion, the
// palette, and one stand-in for a server error (the real server cannot be made to fail on demand).
import { expect, test, type Page, type Request } from '@playwright/test';
import { resetPersonal, watchConsole } from './helpers';

test.beforeEach(async ({ request }) => resetPersonal(request));

type Seen = URL[] & { maxInFlight: number; settled: Array<[string, boolean]> };

/** The search requests, in order; `seen.maxInFlight` is the most that were ever in flight at once;
 * `seen.settled` the settled searches logged, as [query, opened]. */
function searches(page: Page): Seen {
  const seen: Seen = Object.assign([] as URL[], { maxInFlight: 0, settled: [] as Array<[string, boolean]> });
  let inFlight = 0;
  const isSearch = (r: Request) => new URL(r.url()).pathname === '/api/search';
  page.on('request', (r: Request) => {
    const u = new URL(r.url());
    if (u.pathname === '/api/search') seen.push(u);
    if (u.pathname === '/api/search/settled') {
      const b = r.postDataJSON() as { q: string; opened: boolean };
      seen.settled.push([b.q, b.opened]);
    }
    if (isSearch(r)) seen.maxInFlight = Math.max(seen.maxInFlight, ++inFlight);
  });
  const done = (r: Request) => {
    if (isSearch(r)) inFlight--;
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return seen;
}
const recorded = (seen: Seen) => seen.settled.map(([q]) => q);

test('typing: one search in flight at a time, nothing logged; opening a result logs the query once, answered', async ({ page }) => {
  const problems = watchConsole(page);
  const seen = searches(page);
  await page.goto('/#/patterns');
  const box = page.getByRole('searchbox', { name: 'Search the hub' });
  await box.click();
  await box.pressSequentially('retry', { delay: 10 });
  const results = page.locator('#search-results');
  await expect(results.locator('li').first()).toBeVisible();
  await expect(results.locator('mark').first()).toBeVisible();
  await expect(results.locator('.badge').first()).toBeVisible();
  await expect(page.locator('[aria-live="polite"]').filter({ hasText: /\d+ results? for “retry”/ })).toHaveCount(1);
  // Typing fast: never more than one search in flight (keystrokes typed meanwhile leave only the
  // newest waiting), at most one per keystroke, and none of them logged.
  expect(seen.maxInFlight).toBe(1);
  expect(seen.length).toBeLessThanOrEqual(5);
  expect(recorded(seen)).toEqual([]);
  await page.screenshot({ path: 'test-results/screens/search-results.png' });

  // Enter moves to the results; the query is logged once its outcome is known: a result opened.
  await box.press('Enter');
  await expect(results.locator('a.hit-link').first()).toBeFocused();
  expect(recorded(seen)).toEqual([]);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/#\/doc\//);
  await expect.poll(() => seen.settled).toEqual([['retry', true]]);
  expect(problems).toEqual([]);
});

test('opening a result logs the query it came from', async ({ page }) => {
  const seen = searches(page);
  await page.goto('/#/search?q=backoff');
  const first = page.locator('#search-results a.hit-link').first();
  await expect(first).toBeVisible();
  expect(recorded(seen)).toEqual([]);
  await first.click();
  await expect(page).toHaveURL(/#\/doc\//);
  await expect.poll(() => seen.settled).toEqual([['backoff', true]]);
});

test('plain words find the engineering terms: "also searched" line', async ({ page }) => {
  await page.goto('/#/search?q=' + encodeURIComponent('try again later'));
  await expect(page.getByText(/^Also looked for:/)).toBeVisible();
  await expect(page.locator('#search-results li').first()).toBeVisible();
});

test('no results: the miss is logged only after a pause, for the content-gap report', async ({ page, request }) => {
  const seen = searches(page);
  await page.goto('/#/patterns');
  const box = page.getByRole('searchbox', { name: 'Search the hub' });
  await box.click();
  await box.pressSequentially('zzqx qwvb', { delay: 40 });
  await expect(page.getByText('Nothing matched “zzqx qwvb”')).toBeVisible();
  await expect(page.getByText('We have recorded the search')).toBeVisible();
  // Only the query the reader stopped at, not the ones typed on the way.
  expect(recorded(seen)).toEqual(['zzqx qwvb']);
  expect(seen.settled).toEqual([['zzqx qwvb', false]]);
  const gaps = (await (await request.get('/api/gaps')).json()) as Array<{ query: string; count: number }>;
  expect(gaps.map((g) => g.query)).toContain('zzqx qwvb');
  await page.screenshot({ path: 'test-results/screens/search-empty-recorded.png' });
});

test('palette shows search hits and opens one with Enter, logging the query', async ({ page }) => {
  const seen = searches(page);
  await page.goto('/#/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Quick search' });
  await dialog.getByRole('combobox').pressSequentially('retry');
  const hit = dialog.getByRole('option', { name: /Retry with exponential backoff/ });
  await expect(hit).toBeVisible();
  await expect(dialog.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  for (let i = 0; i < 12 && (await hit.getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowDown');
  await page.screenshot({ path: 'test-results/screens/palette-results.png' });
  expect(recorded(seen)).toEqual([]);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Retry with exponential backoff and jitter');
  await expect.poll(() => seen.settled).toEqual([['retry', true]]);
});

test('a search the server fails is reported, with no made-up results', async ({ page }) => {
  await page.route('**/api/search?*', (route) =>
    route.fulfill({ status: 500, json: { error: { code: 'internal', message: 'the search stopped' } } }),
  );
  await page.goto('/#/search?q=retry');
  await expect(page.getByRole('alert')).toContainText('the search stopped');
  await expect(page.locator('#search-results')).toHaveCount(0);
});
