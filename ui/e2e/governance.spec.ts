// The hub team's governance screen against the real starter content and a real search log.
import { expect, test } from '@playwright/test';
import { resetPersonal, watchConsole } from './helpers';

test.beforeEach(async ({ request }) => {
  await resetPersonal(request);
});

test('shows what exists, who approves what, members and policies', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto('/#/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Governance' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Governance' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Governance' })).toHaveAttribute('aria-current', 'page');

  const approvals = page.getByRole('table', { name: 'Approval rules by kind of change' });
  await expect(approvals.getByRole('row', { name: /^case studies mentor, admin/ })).toBeVisible();
  await expect(approvals.getByRole('row', { name: /^glossary terms admin / })).toContainText('Amara Okafor');

  const members = page.getByRole('table', { name: 'Members of this hub' });
  await expect(members.getByRole('row', { name: /Amara Okafor/ })).toContainText('admin, mentor');

  const policies = page.locator('section', { has: page.getByRole('heading', { name: 'Policies' }) });
  await policies.getByRole('link', { name: 'Low-code acceptable-use policy' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Low-code acceptable-use policy' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('lists searches that found nothing, and one click searches again', async ({ page, request }) => {
  const res = await request.get('/api/search?q=zqxjv%20wkpfh&record=true');
  expect((await res.json()).hits).toEqual([]);
  await page.goto('/#/governance');
  const gaps = page.getByRole('table', { name: 'Searches that found nothing' });
  const row = gaps.getByRole('row', { name: /zqxjv wkpfh/ });
  await expect(row).toContainText('1');
  await row.getByRole('link').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/search\?q=zqxjv/);
  await expect(page.getByText(/Nothing matched/)).toBeVisible();
});

test('an empty search log says so', async ({ page }) => {
  await page.goto('/#/governance');
  await expect(page.getByText('No search came back empty in the last 90 days.')).toBeVisible();
});
