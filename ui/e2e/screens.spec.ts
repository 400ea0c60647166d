// Every screen: renders without console or CSP errors, passes axe with no serious or critical
// violation in both themes, and leaves a screenshot in test-results/screens/ to look at.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { resetPersonal, SCREENS, watchConsole } from './helpers';

// The same personal state for every screenshot: a name, a bookmark, two pages viewed and the
// onboarding path a third done.
test.beforeEach(async ({ request }) => {
  await resetPersonal(request);
  await request.put('/api/profile', { data: { display_name: 'Ada', role: 'citizen-developer', glossary_view: 'plain', theme: 'system', language: null } });
  await request.put('/api/bookmarks/retry-with-backoff');
  for (const id of ['exponential-backoff', 'retry-with-backoff']) await request.post(`/api/recent/${id}`);
  const path = await (await request.get('/api/paths/start-here')).json();
  for (const s of path.steps.slice(0, 4)) await request.post('/api/paths/start-here/steps', { data: { step: s.step.ref, done: true } });
  await request.put('/api/paths/start-here/current', { data: { step: path.steps[4].step.ref } });
});

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
