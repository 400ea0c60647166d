// The search screen's own behaviour, checked now with GET /api/search answered by the test
// (the endpoint is being added in parallel). The stub follows the planned shape exactly; once the
// real endpoint exists, search.spec.ts covers the same ground against the server.
import { expect, test, type Page } from '@playwright/test';

const HITS = [
  { id: 'retry-with-backoff', kind: 'pattern', title: 'Retry with exponential backoff and jitter', summary: null, path: 'patterns/retry-with-backoff.md', score: 9.1, snippet: 'wait a little longer before each <mark>retry</mark>' },
  { id: 'retry', kind: 'term', title: 'Retry', summary: null, path: 'glossary/retry.md', score: 8.2, snippet: '<mark>Retry</mark>: trying again' },
  { id: 'exponential-backoff', kind: 'term', title: 'Exponential backoff', summary: null, path: 'glossary/exponential-backoff.md', score: 5.0, snippet: 'each <mark>retry</mark> waits longer' },
];

async function stubSearch(page: Page, seen: string[] = []) {
  await page.route('**/api/search?*', async (route) => {
    const url = new URL(route.request().url());
    const q = url.searchParams.get('q') ?? '';
    seen.push(url.search);
    const kind = url.searchParams.get('kind');
    const hits = q.includes('zzqx') ? [] : HITS.filter((h) => !kind || h.kind === kind);
    await route.fulfill({
      json: {
        query: q,
        expanded: q.includes('zzqx') ? [] : ['try again later', 'backoff'],
        total: hits.length,
        took_us: 850,
        hits,
        facets: { kind: { pattern: 1, term: 2 }, tag: { reliability: 3, integration: 1 } },
      },
    });
  });
}

test('results as you type: one request per pause, highlighted snippets, kind badges, also-searched line', async ({ page }) => {
  const seen: string[] = [];
  await stubSearch(page, seen);
  await page.goto('/#/patterns');
  const box = page.getByRole('searchbox', { name: 'Search the hub' });
  await box.click();
  await box.pressSequentially('retry', { delay: 10 });
  const results = page.locator('#search-results');
  await expect(results.locator('li')).toHaveCount(3);
  await expect(results.locator('mark').first()).toHaveText(/retry/i);
  await expect(results.locator('.badge').first()).toHaveText('Pattern');
  await expect(page.getByText('Also searched: try again later, backoff')).toBeVisible();
  await expect(page.locator('[aria-live="polite"]').filter({ hasText: '3 results for “retry”' })).toHaveCount(1);
  // Typing fast is debounced: far fewer requests than keystrokes.
  expect(seen.length).toBeLessThan(5);
  expect(seen.at(-1)).toContain('q=retry');
  await page.screenshot({ path: 'test-results/screens/search-results-stubbed.png' });

  await page.keyboard.press('ArrowDown');
  await expect(results.locator('a.hit-link').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(results.locator('a.hit-link').nth(2)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(box).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Retry with exponential backoff and jitter');
});

test('facet buttons filter by kind and show their state', async ({ page }) => {
  await stubSearch(page);
  await page.goto('/#/search?q=retry');
  const terms = page.getByRole('group', { name: 'Kind' }).getByRole('button', { name: /Terms/ });
  await terms.click();
  await expect(terms).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/kind=term/);
  await expect(page.locator('#search-results li')).toHaveCount(2);
  await terms.click();
  await expect(page.locator('#search-results li')).toHaveCount(3);
});

test('no results: glossary suggestions from the real lookup, and the miss was recorded', async ({ page }) => {
  await stubSearch(page);
  await page.goto('/#/search?q=' + encodeURIComponent('zzqx try again later'));
  await expect(page.getByText('We have recorded the search')).toBeVisible();
  // /api/glossary/lookup is real: "try again later" is a plain phrase of a glossary term.
  await expect(page.getByText('These glossary terms may be what you mean:')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/search-empty-stubbed.png' });
});

test('palette shows search hits and opens one with Enter', async ({ page }) => {
  await stubSearch(page);
  await page.goto('/#/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Quick search' });
  await dialog.getByRole('combobox').pressSequentially('retry');
  await expect(dialog.getByRole('option', { name: /Retry with exponential backoff/ })).toBeVisible();
  await expect(dialog.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(dialog.getByRole('option').nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.screenshot({ path: 'test-results/screens/palette-results-stubbed.png' });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Retry');
});
