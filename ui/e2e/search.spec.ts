import { expect, test } from '@playwright/test';

test('search as you type from the header, on any screen', async ({ page }) => {
  await page.goto('/#/glossary');
  const box = page.getByRole('searchbox', { name: 'Search the hub' });
  await box.click();
  await box.pressSequentially('retry', { delay: 30 });
  await expect(page).toHaveURL(/#\/search\?q=retry$/);
  await expect(box).toBeFocused();
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

test('search facets filter by kind', async ({ page }) => {
  await page.goto('/#/search?q=retry');
  const facet = page.getByRole('group', { name: 'Kind' }).getByRole('button', { name: /Patterns/ });
  await facet.click();
  await expect(facet).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/kind=pattern/);
  const badges = page.locator('#search-results .badge');
  await expect(badges.filter({ hasNotText: 'Pattern' })).toHaveCount(0);
  expect(await badges.count()).toBeGreaterThan(0);
  // Off again.
  await facet.click();
  await expect(facet).toHaveAttribute('aria-pressed', 'false');
  await expect(badges.filter({ hasNotText: 'Pattern' }).first()).toBeVisible();
});

test('a search with no results suggests glossary terms and says the miss was recorded', async ({ page }) => {
  // Everyday words that do match pages, narrowed by a topic no page has: nothing left.
  await page.goto('/#/search?q=' + encodeURIComponent('try again later') + '&tag=zzqx-no-such-topic');
  await expect(page.getByText('Nothing matched “try again later” with the filters chosen.')).toBeVisible();
  await expect(page.getByText('These glossary terms may be what you mean:')).toBeVisible();
  await expect(page.getByText('We have recorded the search')).toBeVisible();
  // The active filter stays on screen, so it can be switched off.
  const topic = page.getByRole('group', { name: 'Topic' }).getByRole('button', { name: /zzqx-no-such-topic/ });
  await expect(topic).toHaveAttribute('aria-pressed', 'true');
  await topic.click();
  await expect(page.locator('#search-results li').first()).toBeVisible();
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
  // Wait for the search hits (listed after the screen the query names), so the list no longer
  // changes under the arrow keys.
  await expect(dialog.locator('[id^="palette-hit-"]').first()).toBeVisible();
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
