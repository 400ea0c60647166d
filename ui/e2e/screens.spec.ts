// Every screen: renders without console or CSP errors, passes axe with no serious or critical
// violation in both themes, and leaves a screenshot in test-results/screens/ to look at.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { SCREENS, watchConsole } from './helpers';

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });
    for (const [name, path] of SCREENS) {
      test(`${name}: accessible, no console errors, screenshot`, async ({ page }) => {
        const problems = watchConsole(page);
        await page.goto(path);
        await expect(page.locator('main h1')).toBeVisible();
        await expect(page.getByText('Loading…')).toHaveCount(0);
        const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
        const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
        await page.screenshot({ path: `test-results/screens/${name}-${theme}.png` });
        expect(problems).toEqual([]);
      });
    }
  });
}
