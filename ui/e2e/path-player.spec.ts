// The path player against the real progress endpoints: the whole start-here path in the browser.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Download, type Page } from '@playwright/test';
import { AXE_SOURCE, AXE_TAGS, resetPersonal, watchConsole } from './helpers';

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
      // The server judges and records every answer.
      const judged = page.waitForResponse((r) => r.url().endsWith('/api/paths/start-here/checks') && r.ok());
      await page.getByRole('button', { name: 'Check my answer' }).click();
      expect(await (await judged).json()).toMatchObject({ correct: false, answer: c.answer });
      await expect(page.getByRole('status').filter({ hasText: 'Not quite' })).toContainText(c.answer);
      await expect(page.getByRole('status').filter({ hasText: 'Not quite' })).toContainText('You have answered once, not yet correctly.');
      await group.getByRole('radio', { name: c.answer, exact: true }).check();
      await page.getByRole('button', { name: 'Check my answer' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Right.' })).toBeVisible();
      await expect(page.getByRole('status').filter({ hasText: 'Right.' })).toContainText('You answered this correctly on try 2.');
      const recorded = (await (await request.get('/api/paths/start-here')).json()).steps[i].check_state;
      expect(recorded).toMatchObject({ attempts: 2, correct_on_attempt: 2, last_correct: true });
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
  const results = await new AxeBuilder({ page, axeSource: AXE_SOURCE }).withTags(AXE_TAGS).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: 'test-results/screens/path-complete.png', fullPage: true });

  const card = (await (await request.get('/api/paths/start-here')).json()).card;
  expect(card).toMatchObject({ complete: true, steps_done: total });
  expect(card.completed_at).toBeTruthy();

  // The certificate, as a page and as a credential, through the browser's own download.
  const save = async (button: string): Promise<[Download, string]> => {
    const dl = page.waitForEvent('download');
    await page.getByRole('button', { name: button }).click();
    const d = await dl;
    return [d, readFileSync((await d.path())!, 'utf8')];
  };
  // No name in the profile: the certificate asks whose name it carries before saving.
  await page.getByRole('button', { name: 'Save certificate (HTML)' }).click();
  await expect(page.getByLabel('Your name')).toBeFocused();
  await page.getByLabel('Your name').fill('Ada Lovelace');
  const htmlDl = await (async () => {
    const dl = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save with this name' }).click();
    return dl;
  })();
  const html = readFileSync((await htmlDl.path())!, 'utf8');
  expect(html).toContain('Ada Lovelace');
  expect(html).not.toContain('the holder of this record');
  expect((await (await request.get('/api/profile')).json()).display_name).toBe('Ada Lovelace');
  expect(htmlDl.suggestedFilename()).toBe('start-here-certificate.html');
  await expect(page.getByRole('status').filter({ hasText: 'Downloaded start-here-certificate.html' })).toBeVisible();
  expect(html).toContain('<!doctype html>');
  expect(html).toContain(view.card.path.title.replace(/&/g, '&amp;'));
  for (const s of steps) expect(html).toContain(`<li>${s.doc!.title.replace(/&/g, '&amp;').replace(/'/g, '&#39;')}</li>`);
  expect(html).toMatch(/unsigned/);
  expect(html).not.toMatch(/<script|https?:\/\/|<link /i);
  const [jsonDl, json] = await save('Save credential (JSON)');
  expect(jsonDl.suggestedFilename()).toBe('start-here-certificate.json');
  const cred = JSON.parse(json);
  expect(cred['@context'][0]).toBe('https://www.w3.org/ns/credentials/v2');
  expect(cred.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
  expect(cred.validFrom).toBe(card.completed_at);
  expect(cred.proof).toBeUndefined();
  expect(cred.description).toMatch(/unsigned/i);
  expect(cred.credentialSubject.achievement.name).toBe(view.card.path.title);
  expect(cred.credentialSubject.achievement.criteria.narrative).toContain(`${total}. ${steps[total - 1]!.doc!.title}`);

  // A reload keeps the completion panel; Home lists the path as completed.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Path complete' })).toBeVisible();
  await page.getByRole('link', { name: 'Home', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Completed paths' }).getByRole('link', { name: view.card.path.title })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Completed paths' })).toContainText(/completed \d/);
  await page.goto('/#/paths');
  const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: view.card.path.title }) });
  await expect(item).toContainText('Completed on');
  await page.goto('/#/');
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

/** A second `guildhall serve` over a copy of the hub, to edit a path while it runs. */
async function serveCopy(): Promise<{ base: string; content: string; stop: () => void }> {
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  const root = mkdtempSync(join(tmpdir(), 'guildhall-e2e-change-'));
  const content = join(root, 'content');
  cpSync(join(repo, 'content'), content, { recursive: true });
  writeFileSync(join(content, 'paths/e2e-change.md'), CHANGE_BEFORE);
  const server: ChildProcess = spawn(
    process.env.GUILDHALL_BIN ?? join(repo, 'target/debug/guildhall'),
    ['serve', '--content', content, '--addr', '127.0.0.1:0', '--ui', join(repo, 'ui/dist')],
    { env: { ...process.env, GUILDHALL_DATA: join(root, 'data') }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the second guildhall serve did not start')), 60_000);
    createInterface({ input: server.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const m = /(http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!.replace(/\/$/, ''));
      else reject(new Error(`unexpected first line: ${line}`));
    });
  });
  return {
    base,
    content,
    stop: () => {
      server.kill('SIGTERM');
      rmSync(root, { recursive: true, force: true });
    },
  };
}

const CHANGE_BEFORE = `---
title: "Changing path"
steps:
  - ref: welcome
  - ref: low-code-policy
  - ref: citizen-developer
---
`;
// Loses low-code-policy (done), gains role-and-permission-matrix, and citizen-developer moves first.
const CHANGE_AFTER = `---
title: "Changing path"
steps:
  - ref: citizen-developer
  - ref: welcome
  - ref: role-and-permission-matrix
---
`;

test('a path edited after the person started it: progress kept, new steps marked, overview says so', async ({ page }) => {
  test.setTimeout(120_000);
  const problems = watchConsole(page);
  const hub = await serveCopy();
  try {
    const api = page.request;
    for (const step of ['welcome', 'low-code-policy']) {
      const r = await api.post(`${hub.base}/api/paths/e2e-change/steps`, { data: { step, done: true } });
      expect(r.ok()).toBe(true);
    }
    await page.goto(`${hub.base}/#/paths`);
    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Changing path' }) });
    await expect(item.getByRole('progressbar')).toHaveJSProperty('value', 2);
    await expect(item).not.toContainText('Updated since you started');

    // Edit the file while the server runs: the watcher reloads it.
    writeFileSync(join(hub.content, 'paths/e2e-change.md'), CHANGE_AFTER);
    await expect
      .poll(async () => (await (await api.get(`${hub.base}/api/paths/e2e-change`)).json()).card.updated_since_start, { timeout: 30_000 })
      .toBe(true);
    await page.reload();
    await expect(item).toContainText('Updated since you started');
    await expect(item.getByRole('progressbar')).toHaveJSProperty('value', 1);
    const results = await new AxeBuilder({ page, axeSource: AXE_SOURCE }).withTags(AXE_TAGS).analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await page.screenshot({ path: 'test-results/screens/paths-updated-since-start.png', fullPage: true });

    await item.getByRole('link', { name: /^Continue Changing path/ }).click();
    await expect(page.getByRole('note').filter({ hasText: 'changed since you started' })).toBeVisible();
    await expect(page.getByRole('note').filter({ hasText: 'low-code-policy' })).toContainText('is kept');
    const links = rail(page).getByRole('link');
    await expect(links).toHaveCount(3);
    await expect(links.nth(0)).toContainText('Current');
    await expect(links.nth(1)).toContainText('Done');
    await expect(links.nth(2)).toContainText('New');
    const view = await (await api.get(`${hub.base}/api/paths/e2e-change`)).json();
    expect(view.steps.map((s: { status: string }) => s.status)).toEqual(['current', 'done', 'new']);
    const results2 = await new AxeBuilder({ page, axeSource: AXE_SOURCE }).withTags(AXE_TAGS).analyze();
    expect(results2.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    expect(problems).toEqual([]);
  } finally {
    hub.stop();
  }
});
