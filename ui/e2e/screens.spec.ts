// Every screen: renders without console or CSP errors, passes axe with no serious or critical
// violation in both themes, and leaves a screenshot in test-results/screens/ to look at.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { AXE_SOURCE, AXE_TAGS, resetPersonal, SCREENS, watchConsole } from './helpers';

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
        const results = await new AxeBuilder({ page, axeSource: AXE_SOURCE }).withTags(AXE_TAGS).analyze();
        const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
        await page.screenshot({ path: `test-results/screens/${name}-${theme}.png` });
        expect(problems).toEqual([]);
      });
    }
  });
}

// States of the training paths that the plain screens above do not reach: a self-check answered
// wrong (the server's verdict and explanation), a completed path with its certificate panel, and
// the overview and Home listing the completion.
for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme, path states`, () => {
    test.use({ colorScheme: theme });
    test('self-check feedback, completion panel with certificate, completed on the overview and Home', async ({ page, request }) => {
      test.setTimeout(60_000);
      const problems = watchConsole(page);
      const axe = async (what: string) => {
        const results = await new AxeBuilder({ page, axeSource: AXE_SOURCE }).withTags(AXE_TAGS).analyze();
        const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(bad.map((v) => `${what}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
        await page.screenshot({ path: `test-results/screens/${what}-${theme}.png`, fullPage: true });
      };
      const view = await (await request.get('/api/paths/data-and-security-basics')).json();
      const withCheck = view.steps.find((s: { step: { check?: unknown } }) => s.step.check);
      await page.goto(`/#/path/data-and-security-basics?step=${withCheck.step.ref}`);
      const c = withCheck.step.check as { options: string[]; answer: string };
      await page.getByRole('radio', { name: c.options.find((o) => o !== c.answer)!, exact: true }).check();
      await page.getByRole('button', { name: 'Check my answer' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Not quite' })).toBeVisible();
      await axe('path-check-wrong');

      for (const s of view.steps) await request.post('/api/paths/data-and-security-basics/steps', { data: { step: s.step.ref, done: true } });
      // Same route, another hash: reload so that the player reads the finished path afresh.
      await page.goto('/#/path/data-and-security-basics');
      await page.reload();
      await expect(page.getByRole('heading', { name: 'Your certificate' })).toBeVisible();
      await axe('path-complete-certificate');
      await page.goto('/#/paths');
      await expect(page.getByText(/Completed on/)).toBeVisible();
      await axe('paths-completed');
      await page.goto('/#/');
      await expect(page.getByRole('region', { name: 'Completed paths' })).toContainText('completed');
      await axe('home-completed');
      expect(problems).toEqual([]);
    });
  });
}
