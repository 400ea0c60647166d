// Bookmarks, notes, recent views and the profile against the real personal store.
import { expect, test } from '@playwright/test';
import { resetPersonal, watchConsole } from './helpers';

test.beforeEach(async ({ request }) => resetPersonal(request));

test('bookmark, note and recent view: saved on the server and shown on Home', async ({ page, request }) => {
  const problems = watchConsole(page);
  const docLoads: string[] = [];
  const views: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/documents/retry-with-backoff') docLoads.push(r.url());
    if (r.method() === 'POST' && r.url().includes('/api/recent/')) views.push(r.url());
  });
  await page.goto('/#/');
  const home = (name: string) => page.getByRole('region', { name });
  await expect(home('Bookmarks')).toContainText('No bookmarks yet');
  await expect(home('Recently viewed')).toContainText('Nothing yet');
  await expect(home('Completed paths')).toContainText('None yet');

  await page.goto('/#/doc/retry-with-backoff');
  const bookmark = page.getByRole('button', { name: /Bookmark/ });
  await bookmark.click();
  await expect(bookmark).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await (await request.get('/api/bookmarks')).json()).map((b: { id: string }) => b.id)).toEqual(['retry-with-backoff']);
  // Loading bookmarks must not reload the page or record the view twice.
  expect(docLoads).toHaveLength(1);
  expect(views).toHaveLength(1);

  await page.getByLabel('Your private note on this page').fill('Ask Tomás about the ceiling.');
  await page.getByRole('button', { name: 'Save note' }).click();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  const note = await (await request.get('/api/notes/retry-with-backoff')).json();
  expect(note.body).toBe('Ask Tomás about the ceiling.');
  await page.reload();
  await expect(page.getByLabel('Your private note on this page')).toHaveValue('Ask Tomás about the ceiling.');

  await page.getByRole('link', { name: 'Home', exact: true }).click();
  const title = 'Retry with exponential backoff and jitter';
  await expect(home('Bookmarks').getByRole('link', { name: title })).toBeVisible();
  await expect(home('Recently viewed').getByRole('link', { name: title })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/home-personal.png', fullPage: true });

  await page.goBack();
  await page.getByRole('button', { name: /Bookmarked/ }).click();
  await expect(page.getByRole('button', { name: /Bookmark/ })).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => (await (await request.get('/api/bookmarks')).json()).length).toBe(0);

  // An empty note deletes it.
  await page.getByLabel('Your private note on this page').fill('');
  await page.getByRole('button', { name: 'Save note' }).click();
  await expect(page.getByText('Note deleted', { exact: true })).toBeVisible();
  expect(await (await request.get('/api/notes/retry-with-backoff')).json()).toBeNull();
  expect(problems).toEqual([]);
});

test('profile from the server: settings show it, and changes are saved there', async ({ page, request }) => {
  await request.put('/api/profile', {
    data: { display_name: 'Sam', role: 'mentor', glossary_view: 'plain', theme: 'system', language: null },
  });
  await page.goto('/#/settings');
  await expect(page.getByLabel('Display name')).toHaveValue('Sam');
  await expect(page.getByLabel('Role')).toHaveValue('mentor');

  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(async () => (await (await request.get('/api/profile')).json()).theme).toBe('dark');

  await page.getByLabel('Display name').fill('Live');
  await page.getByLabel('Role').selectOption('data-steward');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  const p = await (await request.get('/api/profile')).json();
  expect(p).toMatchObject({ display_name: 'Live', role: 'data-steward', theme: 'dark', glossary_view: 'plain' });
});

test('a failing server is reported, not hidden', async ({ page }) => {
  // The one stand-in left: a real server cannot be made to fail on demand.
  await page.route('**/api/bookmarks', (route) =>
    route.fulfill({ status: 500, json: { error: { code: 'internal', message: 'the store is locked' } } }),
  );
  await page.goto('/#/');
  await expect(page.getByRole('region', { name: 'Bookmarks' }).getByRole('alert')).toContainText('the store is locked');
});
