// The same flows against the real personal-store endpoints; skipped until the server has them.
import { expect, test } from '@playwright/test';
import { hasEndpoint } from './helpers';

test('bookmark a page and find it on Home (real /api/bookmarks)', async ({ page, request }) => {
  test.skip(!(await hasEndpoint(request, '/api/bookmarks')), 'GET /api/bookmarks is not on this server yet');
  await page.goto('/#/doc/retry-with-backoff');
  const bookmark = page.getByRole('button', { name: /Bookmark/ });
  if ((await bookmark.getAttribute('aria-pressed')) !== 'true') await bookmark.click();
  await expect(bookmark).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('link', { name: 'Home', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Bookmarks' }).getByRole('link').first()).toBeVisible();
});

test('a note survives a reload (real /api/notes)', async ({ page, request }) => {
  test.skip(!(await hasEndpoint(request, '/api/notes/retry-with-backoff')), 'GET /api/notes/{id} is not on this server yet');
  await page.goto('/#/doc/retry-with-backoff');
  await page.getByLabel('Your private note on this page').fill('e2e note');
  await page.getByRole('button', { name: 'Save note' }).click();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Your private note on this page')).toHaveValue('e2e note');
});

test('profile is stored on the server (real /api/profile)', async ({ page, request }) => {
  test.skip(!(await hasEndpoint(request, '/api/profile')), 'GET /api/profile is not on this server yet');
  await page.goto('/#/settings');
  await page.getByLabel('Display name').fill('Live');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  const p = await (await request.get('/api/profile')).json();
  expect(p.display_name).toBe('Live');
});
