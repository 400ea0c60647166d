// The path player against the real progress endpoints: the whole start-here path in the browser.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { resetPersonal, watchConsole } from './helpers';

interface StepView {
  step: { ref: string; check?: { question: string; options: string[]; answer: string; explain?: string | null } | null };
  doc: { id: string; title: string } | null;
}

test.beforeEach(async ({ request }) => resetPersonal(request));

const stepTitle = (page: Page) => page.locator('#step-title');
const rail = (page: Page) => page.getByRole('navigation', { name: 'Steps' });

test('start here from Home to the completion panel: every step done, resumes after a reload', async ({ page, request }) => {
  test.setTimeout(120_000);
  const problems = watchConsole(page);
  const view = await (await request.get('/api/paths/start-here')).json();
  const steps = view.steps as StepView[];
  const total = steps.length;
  expect(total).toBeGreaterThan(4);

  await page.goto('/#/');
  const start = page.getByRole('region', { name: 'Start here' });
  await expect(start.getByRole('link', { name: view.card.path.title })).toBeVisible();
  await expect(start).toContainText(`First step: ${steps[0]!.doc!.title}`);
  await start.getByRole('link', { name: 'Start the path' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(view.card.path.title);

  const middle = Math.floor(total / 2);
  for (let i = 0; i < total; i++) {
    const s = steps[i]!;
    await expect(stepTitle(page)).toHaveText(s.doc!.title);
    await expect(page.getByText(`Step ${i + 1} of ${total}`)).toBeVisible();
    await expect(rail(page).getByRole('link').nth(i)).toHaveAttribute('aria-current', 'step');
    // The step's document is rendered in place.
    await expect(page.locator('.step .prose')).not.toBeEmpty();

    if (s.step.check) {
      const c = s.step.check;
      const group = page.getByRole('group', { name: new RegExp(c.question.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
      const wrong = c.options.find((o) => o !== c.answer)!;
      await group.getByRole('radio', { name: wrong, exact: true }).check();
      await page.getByRole('button', { name: 'Check my answer' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Not quite' })).toContainText(c.answer);
      await group.getByRole('radio', { name: c.answer, exact: true }).check();
      await page.getByRole('button', { name: 'Check my answer' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Right.' })).toBeVisible();
      if (c.explain) await expect(page.getByRole('status').filter({ hasText: 'Right.' })).toContainText(c.explain);
      if (i === 1) await page.screenshot({ path: 'test-results/screens/path-self-check.png', fullPage: true });
    }

    const last = i === total - 1;
    if (i % 2 === 0) {
      // Buttons.
      await page.getByRole('button', { name: 'Mark as done' }).click();
      if (!last) {
        await expect(page.getByRole('button', { name: 'Mark as not done' })).toBeVisible();
        await expect(page.getByRole('progressbar')).toHaveJSProperty('value', i + 1);
        const saved = page.waitForResponse((r) => r.url().endsWith('/api/paths/start-here/current') && r.ok());
        await page.getByRole('button', { name: 'Next', exact: true }).click();
        await saved;
      }
    } else {
      // Keyboard only: d marks the step done, j goes on.
      await page.keyboard.press('d');
      if (!last) {
        await expect(page.getByRole('button', { name: 'Mark as not done' })).toBeVisible();
        const saved = page.waitForResponse((r) => r.url().endsWith('/api/paths/start-here/current') && r.ok());
        await page.keyboard.press('j');
        await saved;
      }
    }

    if (i === middle) {
      // Leave and come back: the player resumes at the step after the last one done.
      await page.goto('/#/');
      await expect(start).toContainText(`${i + 1} of ${total} steps done`);
      await expect(start).toContainText(`Next step: ${steps[i + 1]!.doc!.title}`);
      await page.goto('/#/path/start-here');
      await page.reload();
      await expect(stepTitle(page)).toHaveText(steps[i + 1]!.doc!.title);
      await expect(page).toHaveURL(new RegExp(`step=${steps[i + 1]!.step.ref}`));
      // k goes back, j forward again, without marking anything.
      await page.keyboard.press('k');
      await expect(stepTitle(page)).toHaveText(s.doc!.title);
      await expect(rail(page).getByRole('link').nth(i)).toContainText('Done');
      await page.keyboard.press('j');
      await expect(stepTitle(page)).toHaveText(steps[i + 1]!.doc!.title);
    }
  }

  const done = page.getByRole('heading', { name: 'Path complete' });
  await expect(done).toBeVisible();
  await expect(done).toBeFocused();
  await expect(page.getByText(`All ${total} steps done`)).toBeVisible();
  for (let i = 0; i < total; i++) await expect(rail(page).getByRole('link').nth(i)).toContainText('Done');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: 'test-results/screens/path-complete.png', fullPage: true });

  const card = (await (await request.get('/api/paths/start-here')).json()).card;
  expect(card).toMatchObject({ complete: true, steps_done: total });

  // A reload keeps the completion panel; Home lists the path as completed.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Path complete' })).toBeVisible();
  await page.getByRole('link', { name: 'Home', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Completed paths' }).getByRole('link', { name: view.card.path.title })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Your next path' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('shortcuts dialog on ?, Esc closes it and focus returns', async ({ page }) => {
  await page.goto('/#/path/start-here');
  await expect(stepTitle(page)).toBeVisible();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Next step');
  await expect(dialog).toContainText('Mark the step as done');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.screenshot({ path: 'test-results/screens/path-shortcuts.png' });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // Alt+Down / Alt+Up move between steps too; nothing is marked done on the way.
  const first = await stepTitle(page).textContent();
  await page.keyboard.press('Alt+ArrowDown');
  await expect(page.getByText('Step 2 of')).toBeVisible();
  await expect(stepTitle(page)).toBeFocused();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(stepTitle(page)).toHaveText(first!);
  await expect(page.getByText('0 of')).toBeVisible();
  // Typing in a text box never triggers a shortcut.
  await page.getByRole('searchbox', { name: 'Search the hub' }).fill('');
  await page.getByRole('searchbox', { name: 'Search the hub' }).press('j');
  await expect(page).toHaveURL(/#\/search\?q=j/);
});

test('paths overview: time, audience, prerequisites that are not done, and progress', async ({ page, request }) => {
  const cards = (await (await request.get('/api/paths')).json()) as Array<{
    path: { id: string; title: string };
    prerequisites: Array<{ id: string; title: string }>;
  }>;
  const withPrereq = cards.find((c) => c.prerequisites.length)!;
  await request.post(`/api/paths/start-here/steps`, { data: { step: 'welcome', done: true } });
  await page.goto('/#/paths');
  const list = page.locator('#path-list > li');
  await expect(list).toHaveCount(cards.length);
  const started = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Start here' }) });
  await expect(started.getByRole('progressbar')).toBeVisible();
  await expect(started.getByRole('link', { name: /^Continue Start here/ })).toBeVisible();
  const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: withPrereq.path.title, exact: true }) });
  await expect(item).toContainText('Take first:');
  await expect(item).toContainText('(not done yet)');
  await expect(item.getByRole('link', { name: withPrereq.prerequisites[0]!.title })).toHaveAttribute('href', `#/path/${withPrereq.prerequisites[0]!.id}`);
  await expect(item.getByRole('link', { name: `Start ${withPrereq.path.title}`, exact: true })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/paths-progress.png', fullPage: true });
});
