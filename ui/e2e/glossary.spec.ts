import { expect, test } from '@playwright/test';
import { resetPersonal, watchConsole } from './helpers';

test.beforeEach(async ({ request }) => resetPersonal(request));

test('hover card: mouse hover shows the plain definition and links to the term', async ({ page }) => {
  // Also proves the card's positioning (CSSOM custom properties) raises no CSP violation.
  const problems = watchConsole(page);
  await page.goto('/#/doc/retry-with-backoff');
  const mention = page.locator('.prose a.term').first();
  const id = (await mention.getAttribute('href'))!.replace('#/doc/', '');
  await mention.hover();
  const card = page.getByRole('tooltip');
  await expect(card).toBeVisible();
  await expect(card).toContainText((await mention.getAttribute('data-plain'))!);
  await expect(mention).toHaveAttribute('aria-describedby', (await card.getAttribute('id'))!);
  await expect(card.getByRole('link')).toHaveAttribute('href', `#/doc/${id}`);
  await page.screenshot({ path: 'test-results/screens/hovercard-mouse.png' });
  // Moving away closes it.
  await page.mouse.move(5, 500);
  await expect(card).toBeHidden();
  expect(problems).toEqual([]);
});

test('hover card: keyboard focus shows it too, Escape hides it', async ({ page }) => {
  await page.goto('/#/doc/retry-with-backoff');
  const mention = page.locator('.prose a.term').first();
  await expect(mention).toBeVisible();
  // Tab until the first mention is focused (keyboard only).
  for (let i = 0; i < 60 && !(await mention.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(mention).toBeFocused();
  const card = page.getByRole('tooltip');
  await expect(card).toBeVisible();
  await expect(mention).toHaveAttribute('aria-describedby', (await card.getAttribute('id'))!);
  await page.screenshot({ path: 'test-results/screens/hovercard-keyboard.png' });
  await page.keyboard.press('Escape');
  await expect(card).toBeHidden();
  await expect(mention).not.toHaveAttribute('aria-describedby', /./);
  // Tab moves on: the first mention is not described again. In this page the next link is the
  // next mention, which opens its own card.
  await page.keyboard.press('Tab');
  await expect(mention).not.toBeFocused();
  await expect(mention).not.toHaveAttribute('aria-describedby', /./);
  const next = page.locator('.prose a:focus');
  if (await next.evaluate((el) => el.classList.contains('term'))) {
    await expect(next).toHaveAttribute('aria-describedby', (await card.getAttribute('id'))!);
    await expect(card).toContainText((await next.getAttribute('data-plain'))!);
  } else {
    await expect(card).toBeHidden();
  }
});

test('glossary: filter, A–Z index, technical a click away, pages that use a term', async ({ page }) => {
  await page.goto('/#/glossary');
  await page.getByLabel('Filter terms').fill('backoff');
  const term = page.locator('.term', { has: page.getByRole('link', { name: 'Exponential backoff', exact: true }) });
  await expect(term).toBeVisible();
  await expect(page.locator('.term')).toHaveCount(await page.locator('.term').count());
  await expect(term).toContainText('Plain');
  await term.getByRole('button', { name: /Show technical definition/ }).click();
  await expect(term).toContainText('Technical');
  await term.getByText(/Pages that use/).click();
  await expect(term.getByRole('link').nth(1)).toBeVisible();

  await page.getByLabel('Filter terms').fill('');
  await page.getByRole('button', { name: 'Terms starting with J' }).click();
  await expect(page.locator('#letter-J')).toBeFocused();
});

test('glossary view preference is remembered', async ({ page }) => {
  await page.goto('/#/glossary');
  await page.getByRole('button', { name: 'Technical first' }).click();
  await expect(page.getByRole('button', { name: 'Technical first' })).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Technical first' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.term').first()).toContainText('Technical');
  await page.getByRole('button', { name: 'Plain first' }).click();
});
