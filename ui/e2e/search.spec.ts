import { expect, test } from '@playwright/test';
import { hasEndpoint } from './helpers';

test('search as you type from the header, on any screen', async ({ page, request }) => {
  const live = await hasEndpoint(request, '/api/search?q=retry');
  await page.goto('/#/glossary');
  const box = page.getByRole('searchbox', { name: 'Search the hub' });
  await box.click();
  await box.pressSequentially('retry', { delay: 30 });
  await expect(page).toHaveURL(/#\/search\?q=retry$/);
  await expect(box).toBeFocused();
  if (!live) {
    await expect(page.getByText('Search is not available on this server yet.')).toBeVisible();
    await expect(page.getByText('GET /api/search')).toBeVisible();
    return;
  }
  const results = page.locator('#search-results');
  await expect(results.locator('li').first()).toBeVisible();
  await expect(results.locator('mark').first()).toBeVisible();
  await expect(results.locator('.badge').first()).toBeVisible();
  await expect(page.getByText(/\d+ results? for “retry”/).first()).toBeVisible();

  // Keyboard: Down from the box into the results, Down/Up between them, Enter opens.
  await page.keyboard.press('ArrowDown');
  const first = results.locator('a.hit-link').first();
  await expect(first).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(results.locator('a.hit-link').nth(1)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(box).toBeFocused();
  await page.keyboard.press('ArrowDown');
  const title = (await first.textContent())!.trim();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
});

test('search facets filter by kind', async ({ page, request }) => {
  test.skip(!(await hasEndpoint(request, '/api/search?q=retry')), 'GET /api/search is not on this server yet');
  await page.goto('/#/search?q=retry');
  const facet = page.getByRole('group', { name: 'Kind' }).getByRole('button', { name: /Patterns/ });
  await facet.click();
  await expect(facet).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/kind=pattern/);
  for (const badge of await page.locator('#search-results .badge').all()) await expect(badge).toHaveText('Pattern');
});

test('a search with no results suggests glossary terms and says the miss was recorded', async ({ page, request }) => {
  test.skip(!(await hasEndpoint(request, '/api/search?q=retry')), 'GET /api/search is not on this server yet');
  await page.goto('/#/search?q=' + encodeURIComponent('zzqx try again later'));
  await expect(page.getByText('We have recorded the search')).toBeVisible();
});

test('command palette: Ctrl+K opens it, arrows move, Enter goes, Esc closes', async ({ page }) => {
  await page.goto('/#/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Quick search' });
  await expect(dialog).toBeVisible();
  const input = dialog.getByRole('combobox');
  await expect(input).toBeFocused();
  await input.pressSequentially('gloss');
  const option = dialog.getByRole('option', { name: 'Go to Glossary' });
  await expect(option).toBeVisible();
  // Move the active option to "Go to Glossary" with the arrow keys.
  for (let i = 0; i < 12 && (await option.getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowDown');
  await expect(input).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id'))!);
  await page.screenshot({ path: 'test-results/screens/palette.png' });
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Glossary');

  await page.keyboard.press('Control+k');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
