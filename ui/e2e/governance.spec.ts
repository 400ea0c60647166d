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
  const gaps = page.getByRole('table', { name: 'Searches that went unanswered' });
  const row = gaps.getByRole('row', { name: /zqxjv wkpfh/ });
  await expect(row).toContainText('1');
  await row.getByRole('link').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/search\?q=zqxjv/);
  await expect(page.getByText(/Nothing matched/)).toBeVisible();
});

test('an empty search log says so', async ({ page }) => {
  await page.goto('/#/governance');
  await expect(page.getByText('No search went unanswered in the last 90 days.')).toBeVisible();
});

// #12 §3: weak results go noticed. The 30 seconds are driven by Playwright's clock, not waited for.
test('searches whose results nobody opened in time are gaps, grouped by wording; an answered one is not', async ({ page }) => {
  const problems = watchConsole(page);
  const settled: Array<[string, boolean]> = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/search/settled') {
      const b = r.postDataJSON() as { q: string; opened: boolean };
      settled.push([b.q, b.opened]);
    }
  });
  await page.clock.install();
  await page.goto('/#/patterns');
  const box = page.getByRole('searchbox', { name: 'Search the hub' });
  const first = page.locator('#search-results a.hit-link').first();
  const search = async (q: string) => {
    await box.fill(q);
    await expect(page.locator('[aria-live="polite"]').filter({ hasText: `for “${q}”` })).toHaveCount(1);
    // The reader stops typing: the query settles.
    await page.clock.runFor(2_000);
  };

  // Answered: a result opened within 30 s is not a gap.
  await search('retry');
  await page.clock.runFor(10_000);
  await first.click();
  await expect(page).toHaveURL(/#\/doc\//);
  await expect.poll(() => settled).toEqual([['retry', true]]);

  // Weak results read for longer than 30 s, then a result opened anyway: unanswered.
  await search('power bi licence');
  await page.clock.fastForward(31_000);
  await first.click();
  await expect(page).toHaveURL(/#\/doc\//);
  // The same need in other words, searched, then left without a click.
  await search('Power BI licences');
  const logged = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/search/settled' && r.request().postDataJSON().q === 'Power BI licences');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Governance' }).click();
  expect((await logged).status()).toBe(204);
  await expect.poll(() => settled).toEqual([['retry', true], ['power bi licence', false], ['Power BI licences', false]]);

  await page.reload();
  const gaps = page.getByRole('table', { name: 'Searches that went unanswered' });
  const row = gaps.getByRole('row', { name: /power bi licence/ });
  await expect(row).toContainText('2');
  // Two wordings, one row: whichever was searched last names it, the other is listed under it.
  await expect(row).toContainText(/also worded: power bi licences?/);
  await expect(row).toContainText('no result opened');
  await expect(gaps.getByRole('row', { name: /retry/ })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/governance-unanswered.png' });
  expect(problems).toEqual([]);
});
