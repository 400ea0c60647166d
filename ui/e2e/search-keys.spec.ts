// What people expect of search (#12 §4), in a real browser against `guildhall serve`: `/` goes to
// the search box (not while typing), Esc closes the palette in one press, every screen is in the
// palette and a screen the query names comes first, results without file paths or timings unless
// asked for, `-word` excludes a word, a page returned twice is shown once, and the header box
// empties when leaving the search screen.
import { expect, test } from '@playwright/test';
import { watchConsole } from './helpers';

test('/ focuses the search box, except while typing in a field', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto('/#/patterns');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const box = page.getByRole('searchbox', { name: 'Search the hub' });
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('');

  // In a text field, "/" is a character.
  await page.goto('/#/settings');
  const name = page.getByLabel('Display name');
  await name.click();
  await name.fill('');
  await page.keyboard.type('a/b');
  await expect(name).toHaveValue('a/b');
  await expect(name).toBeFocused();
  expect(problems).toEqual([]);
});

test('palette: Esc closes in one press with text typed; a named screen comes first; Governance is there', async ({ page }) => {
  await page.goto('/#/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Quick search' });
  const input = dialog.getByRole('combobox');
  await input.pressSequentially('retry');
  await expect(dialog.locator('[id^="palette-hit-"]').first()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.keyboard.press('Control+k');
  await dialog.getByRole('combobox').pressSequentially('gov');
  const first = dialog.getByRole('option').first();
  await expect(first).toHaveText('Go to Governance');
  await expect(first).toHaveAttribute('aria-selected', 'true');
  // The full-text hits for "gov" are listed after it.
  await expect(dialog.locator('[id^="palette-hit-"]').first()).toBeVisible();
  await expect(dialog.getByRole('option').first()).toHaveText('Go to Governance');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/governance/);
});

test('results show no file paths or timings unless asked; the header box empties on leaving', async ({ page }) => {
  await page.goto('/#/search?q=backoff');
  const results = page.locator('#search-results');
  await expect(results.locator('li').first()).toBeVisible();
  await expect(page.getByText(/\.md$/)).toHaveCount(0);
  await expect(page.getByText(/in \d+(\.\d)? ms/)).toHaveCount(0);
  const details = page.getByRole('checkbox', { name: 'Show file paths and timings' });
  await details.check();
  await expect(results.getByText(/\.md$/).first()).toBeVisible();
  await expect(page.getByText(/in \d+(\.\d)? ms/)).toBeVisible();
  await details.uncheck();
  await expect(page.getByText(/\.md$/)).toHaveCount(0);

  const box = page.getByRole('searchbox', { name: 'Search the hub' });
  await expect(box).toHaveValue('backoff');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Glossary' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Glossary');
  await expect(box).toHaveValue('');
});

test('-word excludes a word; the expansions read "Also looked for"', async ({ page, request }) => {
  const all = await (await request.get('/api/search?q=retry&limit=50')).json();
  const without = await (await request.get('/api/search?q=retry%20-backoff&limit=50')).json();
  expect(all.hits.some((h: { id: string }) => h.id === 'retry-with-backoff')).toBe(true);
  expect(without.hits.some((h: { id: string }) => h.id === 'retry-with-backoff')).toBe(false);
  expect(without.total).toBeGreaterThan(0);
  expect(without.total).toBeLessThan(all.total);

  await page.goto('/#/search?q=' + encodeURIComponent('how do I stop my flow hammering an API when it fails'));
  await expect(page.getByText(/^Also looked for: .*retry/)).toBeVisible();
  await expect(page.locator('#search-results li').first()).toBeVisible();
});

test('a page the API returns twice is shown once and the screen keeps working', async ({ page }) => {
  const problems = watchConsole(page);
  // Stands in for an index damaged by an older version (the server now never answers twice).
  await page.route('**/api/search?*', async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    if (body.hits.length) body.hits = [body.hits[0], ...body.hits];
    body.total = body.hits.length;
    await route.fulfill({ response: res, json: body });
  });
  await page.goto('/#/search?q=backoff');
  const links = page.locator('#search-results a.hit-link');
  await expect(links.first()).toBeVisible();
  const titles = await links.allTextContents();
  expect(new Set(titles).size).toBe(titles.length);
  const box = page.getByRole('searchbox', { name: 'Search the hub' });
  await box.fill('timeout');
  await expect(page.locator('[aria-live="polite"]').filter({ hasText: /results? for “timeout”/ })).toHaveCount(1);
  await expect(page.getByText('Nothing matched')).toHaveCount(0);
  expect(problems).toEqual([]);
});
