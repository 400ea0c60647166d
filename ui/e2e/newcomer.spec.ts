// A newcomer's first hour: Home says what Guildhall is and where to start, the narrow layout folds
// the navigation away, Back returns to where the reader was, the glossary's A–Z bar stays in
// view, a path's self-check is one key press away, and the header's quick-search button is named
// as it reads (WCAG 2.5.3).
import { expect, test } from '@playwright/test';
import { axeViolations, resetPersonal, watchConsole } from './helpers';

test.beforeEach(async ({ request }) => {
  await resetPersonal(request);
});

test('Home: what Guildhall is, the first step, and pages that changed (not glossary terms)', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto('/#/');
  await expect(page.locator('main .lead')).toContainText('Guildhall is where');
  const start = page.getByRole('region', { name: 'Start here' });
  await expect(start.getByText(/^First step:/)).toBeVisible();
  await expect(start.getByRole('link', { name: 'Start the path' })).toBeVisible();
  const changed = page.getByRole('region', { name: 'What changed recently' });
  await expect(changed.getByRole('listitem').first()).toBeVisible();
  // The shared hub has no changelog of its own: pages by date, and no glossary term among them.
  await expect(changed.getByText('Term', { exact: true })).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('narrow window: the navigation folds behind Menu, and opens and closes by keyboard', async ({ page }) => {
  await page.setViewportSize({ width: 700, height: 900 });
  await page.goto('/#/');
  const menu = page.getByRole('button', { name: 'Menu' });
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav.getByRole('link', { name: 'Glossary' })).toBeHidden();
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await nav.getByRole('link', { name: 'Glossary' }).click();
  await expect(page).toHaveURL(/#\/glossary/);
  await expect(nav.getByRole('link', { name: 'Glossary' })).toBeHidden();
  // Nothing scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  expect(await axeViolations(page, 'narrow glossary')).toEqual([]);
  await page.screenshot({ path: 'test-results/screens/narrow-glossary.png' });
  // Wide again: the navigation is always there and the Menu button is not.
  await page.setViewportSize({ width: 1200, height: 900 });
  await expect(menu).toBeHidden();
  await expect(nav.getByRole('link', { name: 'Glossary' })).toBeVisible();
});

test('Back returns to where the reader was; the A–Z bar stays in view', async ({ page }) => {
  await page.goto('/#/glossary');
  const az = page.getByRole('navigation', { name: 'Glossary index' });
  await expect(az).toBeVisible();
  const term = page.locator('.term a').nth(20);
  await term.scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 300);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(400);
  await expect(az).toBeInViewport();
  const y = await page.evaluate(() => window.scrollY);
  await term.click();
  await expect(page).toHaveURL(/#\/doc\//);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
  await page.goBack();
  await expect(page).toHaveURL(/#\/glossary/);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(y - 50);
});

test("a path's self-check is reachable without tabbing through the page's glossary links", async ({ page, request }) => {
  const view = await (await request.get('/api/paths/data-and-security-basics')).json();
  const withCheck = view.steps.find((s: { step: { check?: unknown } }) => s.step.check);
  await page.goto(`/#/path/data-and-security-basics?step=${withCheck.step.ref}`);
  await expect(page.getByRole('heading', { level: 2, name: withCheck.doc.title })).toBeVisible();
  // From the step's heading: Tab reaches "Skip to the self-check" at once, Enter lands on the first answer.
  await page.getByRole('heading', { level: 2, name: withCheck.doc.title }).focus();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('button', { name: 'Skip to the self-check' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  const form = page.getByRole('form', { name: 'Self-check' });
  await expect(form.getByRole('radio').first()).toBeFocused();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await expect(form.getByRole('button', { name: 'Check my answer' })).toBeFocused();
});

test('the quick-search button is named as it reads (label in name), and every screen passes axe with experimental rules', async ({ page }) => {
  await page.goto('/#/');
  const button = page.getByRole('button', { name: /^Ctrl K quick search$/ });
  await expect(button).toBeVisible();
  await expect(button).toHaveAttribute('aria-keyshortcuts', 'Control+K');
  expect(await axeViolations(page, 'home')).toEqual([]);
});
