import { expect, test } from '@playwright/test';
import { hasEndpoint } from './helpers';

test('theme switch: dark and light override the system, and stick after reload', async ({ page }) => {
  await page.goto('/#/settings');
  const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const light = await bg();

  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await bg()).not.toBe(light);
  await page.screenshot({ path: 'test-results/screens/settings-dark-override.png' });

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();

  await page.getByRole('radio', { name: 'Follow the system' }).check();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  expect(await bg()).toBe(light);
});

test('profile: name is saved and greets on Home; the content folder is desktop-only', async ({ page, request }) => {
  const server = await hasEndpoint(request, '/api/profile');
  await page.goto('/#/settings');
  if (!server) await expect(page.getByText('Your profile is kept on this device only.')).toBeVisible();
  await page.getByLabel('Display name').fill('Ada');
  await page.getByLabel('Role').fill('Citizen developer');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Saved/ })).toBeVisible();
  await expect(page.getByLabel('Hub folder')).toBeDisabled();
  await expect(page.getByText('Only the desktop app can switch folders.')).toBeVisible();
  await page.getByRole('link', { name: 'Home', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome back, Ada');
});
