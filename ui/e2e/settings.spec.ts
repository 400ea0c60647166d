import { expect, test } from '@playwright/test';
import { resetPersonal } from './helpers';

test.beforeEach(async ({ request }) => resetPersonal(request));

test('theme switch: dark and light override the system at once, and stick after reload', async ({ page, request }) => {
  await page.goto('/#/settings');
  const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await expect(page.getByRole('radio', { name: 'Follow the system' })).toBeChecked();
  const light = await bg();

  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await bg()).not.toBe(light);
  await expect.poll(async () => (await (await request.get('/api/profile')).json()).theme).toBe('dark');
  await page.screenshot({ path: 'test-results/screens/settings-dark-override.png' });

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();

  await page.getByRole('radio', { name: 'Follow the system' }).check();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  expect(await bg()).toBe(light);
  await expect.poll(async () => (await (await request.get('/api/profile')).json()).theme).toBe('system');
});

test('profile: name and role are saved and greet on Home; the content folder is desktop-only', async ({ page, request }) => {
  await page.goto('/#/settings');
  await page.getByLabel('Display name').fill('Ada');
  await page.getByLabel('Role').selectOption({ label: 'Citizen developer' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Saved/ })).toBeVisible();
  expect(await (await request.get('/api/profile')).json()).toMatchObject({ display_name: 'Ada', role: 'citizen-developer' });
  await expect(page.getByLabel('Hub folder')).toBeDisabled();
  await expect(page.getByText('Only the desktop app can switch folders.')).toBeVisible();
  await page.getByRole('link', { name: 'Home', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome back, Ada');
});

test('the glossary view chosen in Settings is the one the glossary shows first', async ({ page, request }) => {
  await page.goto('/#/settings');
  await page.getByRole('radio', { name: 'Technical first' }).check();
  await expect.poll(async () => (await (await request.get('/api/profile')).json()).glossary_view).toBe('technical');
  await page.getByRole('link', { name: 'Glossary', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Technical first' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.term').first()).toContainText('Technical');
  // And on a term page.
  await page.goto('/#/doc/exponential-backoff');
  await expect(page.getByRole('region', { name: 'Definition' }).getByRole('button', { name: 'Technical' })).toHaveAttribute('aria-pressed', 'true');
});
