import { test, expect } from '@playwright/test';

const SCREENS = [
  ['home', '/#/'],
  ['search', '/#/search?q=retry'],
  ['glossary', '/#/glossary'],
  ['patterns', '/#/patterns'],
  ['case-studies', '/#/case-studies'],
  ['paths', '/#/paths'],
  ['doc-pattern', '/#/doc/retry-with-backoff'],
  ['settings', '/#/settings'],
] as const;

for (const [name, path] of SCREENS) {
  test(`screenshot ${name}`, async ({ page }) => {
    await page.goto(path);
    await expect(page.locator('main h1')).toBeVisible();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: false });
  });
}
