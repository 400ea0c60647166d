import { expect, test } from '@playwright/test';

test('main navigation reaches every screen and marks the current one', async ({ page }) => {
  await page.goto('/#/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [label, heading] of [
    ['Paths', 'Training paths'],
    ['Patterns', 'Pattern library'],
    ['Case studies', 'Case studies'],
    ['Glossary', 'Glossary'],
    ['Write', 'Write'],
    ['Review', 'Review queue'],
    ['Changelog', 'Changelog'],
    ['Settings', 'Settings'],
    ['Home', /Welcome/],
  ] as const) {
    await nav.getByRole('link', { name: label, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(nav.getByRole('link', { name: label, exact: true })).toHaveAttribute('aria-current', 'page');
  }
});

test('keyboard only: skip link, then focus moves to the new heading on navigation', async ({ page }) => {
  await page.goto('/#/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  // Tab to the Patterns nav link and follow it with Enter.
  await page.getByRole('link', { name: 'Patterns', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Pattern library' })).toBeFocused();
  await expect(page.getByLabel('Category')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Category')).toBeFocused();
});

test('document page: contents link scrolls to its section, links lead on, Back returns', async ({ page }) => {
  await page.goto('/#/doc/retry-with-backoff');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Retry with exponential backoff and jitter');
  const toc = page.getByRole('navigation', { name: 'On this page' });
  await toc.getByRole('link', { name: 'Example' }).click();
  await expect(page).toHaveURL(/section=gh-example/);
  await expect(page.locator('#gh-example')).toBeFocused();
  await expect(page.locator('#gh-example')).toBeInViewport();

  // A related pattern, then Back.
  const related = page.getByRole('region', { name: 'Related' }).getByRole('link').first();
  const title = (await related.textContent())!.trim();
  await related.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  // Focus follows to the new page's heading once it has loaded.
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Retry with exponential backoff and jitter');
});

test('a section link in the address opens the page at that section', async ({ page }) => {
  await page.goto('/#/doc/retry-with-backoff?section=gh-risks-and-safeguards');
  await expect(page.locator('#gh-risks-and-safeguards')).toBeInViewport();
});

test('an unknown page says so and suggests close ids', async ({ page }) => {
  await page.goto('/#/doc/retry-with-backof');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.getByRole('alert')).toContainText('retry-with-backof');
});

test('case study: before/after cards show the change in the right direction', async ({ page, request }) => {
  const list = await (await request.get('/api/documents?kind=case-study')).json();
  const study = list.find((d: { headline: unknown }) => d.headline);
  await page.goto('/#/case-studies');
  await page.getByRole('link', { name: study.title }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Before and after' })).toBeVisible();
  const view = await (await request.get(`/api/documents/${study.id}`)).json();
  const cards = page.locator('.metric');
  await expect(cards).toHaveCount(view.fields.metrics.length);
  const m = view.fields.metrics[0];
  const better = m.better === 'lower' ? m.after < m.before : m.after > m.before;
  await expect(cards.first()).toContainText(better ? 'better' : 'worse');
  await expect(page.getByRole('region', { name: 'Patterns used' })).toBeVisible();
});

test('external links open outside the app', async ({ page, request }) => {
  // The WCAG term links to the W3C's text of the guidelines.
  const view = await (await request.get('/api/documents/wcag')).json();
  expect(view.html).toContain('class="external"');
  await page.goto('/#/doc/wcag');
  const a = page.locator('.prose a.external').first();
  await expect(a).toHaveAttribute('href', /^https:\/\//);
  await expect(a).toHaveAttribute('target', '_blank');
  await expect(a).toHaveAttribute('rel', /noopener/);
});
