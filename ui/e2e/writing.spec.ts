// Writing as a mentor or a citizen developer: the CodeMirror editor (under the strict CSP), the
// front-matter form kept in step with the YAML, completion of pages and glossary terms, and a
// preview that is the published page. Runs against its own hub (AuthoringHub), a git repository.
import { expect, test, type Page } from '@playwright/test';
import { AUTHOR, AuthoringHub, axeViolations, pasteText, watchConsole } from './helpers';

let hub: AuthoringHub;
test.beforeAll(async () => {
  hub = await AuthoringHub.start();
});
test.afterAll(async () => {
  await hub?.stop();
});

const editor = (page: Page) => page.getByRole('textbox', { name: 'Markdown' });
const text = (page: Page) => page.locator('.md-editor').evaluate((el) => (el as HTMLElement & { value: string }).value);
const preview = (page: Page) => page.getByRole('region', { name: 'Preview' });

/** Watches for CSP violations in the page (CodeMirror's styles must not need an inline style). */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

test('the editor: styled under the CSP, opens at the top, completes pages and terms, searches, undoes', async ({ page }) => {
  const problems = watchConsole(page);
  const violations = await watchCsp(page);
  hub.actAs(AUTHOR);
  await page.goto(`${hub.url}/#/write?doc=finance-invoice-approval`);
  await expect(page).toHaveURL(/#\/write\?draft=/);
  await expect.poll(() => text(page)).toMatch(/^---\ntitle: "Invoice approval/);

  // CodeMirror's own styles apply (a constructed style sheet in the editor's shadow root), and
  // the page reported no CSP violation.
  const host = page.locator('.md-editor');
  expect(await host.evaluate((el) => el.shadowRoot?.adoptedStyleSheets.length ?? 0)).toBeGreaterThan(0);
  const wrap = await editor(page).evaluate((el) => getComputedStyle(el).whiteSpace);
  expect(['pre-wrap', 'break-spaces']).toContain(wrap); // soft wrap
  expect(await violations()).toEqual([]);

  // It opens at the top, with the front matter in view.
  await host.scrollIntoViewIfNeeded();
  await expect(editor(page).getByText('title: "Invoice approval', { exact: false })).toBeInViewport();
  expect(await host.evaluate((el) => el.shadowRoot!.querySelector('.cm-scroller')!.scrollTop)).toBe(0);

  // `[[` offers pages by title; choosing one writes the id and closes the link.
  await editor(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n\nSee [[retry with');
  const list = page.getByRole('listbox');
  await expect(list.getByRole('option', { name: /retry-with-backoff/ })).toBeVisible();
  // CodeMirror ignores Enter for 75 ms after the list opens (so fast typing never accepts a
  // completion by accident); a person reads the list first, and so does this test.
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
  await expect.poll(() => text(page)).toMatch(/See \[\[retry-with-backoff\]\]$/);

  // A glossary term is offered while typing a word.
  await page.keyboard.type(' and jitt');
  await expect(list.getByRole('option', { name: /Jitter/i })).toBeVisible();
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
  await expect.poll(() => text(page)).toMatch(/See \[\[retry-with-backoff\]\] and jitter$/i);

  // Undo takes the typing back; search finds text.
  await page.keyboard.press('Control+z');
  await expect.poll(() => text(page)).not.toMatch(/jitter$/i);
  await page.keyboard.press('Control+f');
  const find = page.getByRole('textbox', { name: 'Find' });
  await expect(find).toBeFocused();
  await find.fill('duplicate');
  await page.keyboard.press('Escape');

  // Tab leaves the editor (no keyboard trap).
  await editor(page).focus();
  await page.keyboard.press('Tab');
  await expect(editor(page)).not.toBeFocused();

  expect(await violations()).toEqual([]);
  expect(problems).toEqual([]); // a CSP refusal is a console error too
  await page.getByRole('button', { name: 'Delete draft' }).click();
  await page.getByRole('dialog', { name: 'Delete this draft?' }).getByRole('button', { name: 'Delete draft' }).click();
  await expect(page).toHaveURL(/#\/write$/);
});

test('the form and the YAML stay in step both ways, keeping comments and order', async ({ page }) => {
  const problems = watchConsole(page);
  hub.actAs(AUTHOR);
  await page.goto(`${hub.url}/#/write?doc=finance-invoice-approval`);
  await expect(page).toHaveURL(/#\/write\?draft=/);
  const form = page.getByRole('region', { name: 'Page details' });
  await expect(form.getByLabel('Mentor')).toHaveValue('Mei Lin');
  await expect(form.getByLabel('Authors')).toHaveValue('Aisha Karim, Ruth Adeyemi');

  // Text -> form: a comment added in the text stays; the form follows the value.
  const original = await text(page);
  const commented = original.replace('mentor: Mei Lin\n', 'mentor: Mei Lin # agreed in October\n');
  await pasteText(page, commented);
  await expect(form.getByLabel('Mentor')).toHaveValue('Mei Lin');

  // Form -> text: only the touched keys change, the comment and the key order stay.
  await form.getByLabel('Owner').fill('Priya Raman');
  await form.getByLabel('After').nth(1).fill('2');
  await form.getByLabel('After').nth(1).blur();
  await expect.poll(() => text(page)).toContain('owner: Priya Raman\n');
  const edited = await text(page);
  expect(edited).toContain('mentor: Mei Lin # agreed in October\n');
  expect(edited).toContain('  - {name: Late-payment charges, before: 11, after: 2, unit: charges per quarter, better: lower}\n');
  const before = commented.split('\n');
  const after = edited.split('\n');
  expect(after.length).toBe(before.length);
  expect(after.filter((l, i) => l !== before[i])).toEqual([
    '  - {name: Late-payment charges, before: 11, after: 2, unit: charges per quarter, better: lower}',
    'owner: Priya Raman',
  ]);

  // A measure added in the form is a row in the YAML and a card in the preview.
  await form.getByRole('button', { name: 'Add a measure' }).click();
  await form.getByLabel('What was measured').nth(3).fill('Supplier queries per week');
  await expect.poll(() => text(page)).toContain('{name: Supplier queries per week, before: 0, after: 0, unit: days, better: lower}');
  await expect(preview(page).getByRole('heading', { name: 'Supplier queries per week' })).toBeVisible();

  // Members are offered where a field names a person.
  const options = await page.locator('#fm-mentors option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(options).toContain('Priya Raman');
  expect(options).not.toContain('Hannah Schulz'); // a citizen developer, not a mentor

  expect(await axeViolations(page, 'write with the form')).toEqual([]);
  expect(problems).toEqual([]);
  await page.getByRole('button', { name: 'Delete draft' }).click();
  await page.getByRole('dialog', { name: 'Delete this draft?' }).getByRole('button', { name: 'Delete draft' }).click();
});

test('the preview is the published page: summary, metric cards and glossary mentions', async ({ page }) => {
  hub.actAs(AUTHOR);
  const id = 'finance-invoice-approval';
  await page.goto(`${hub.url}/#/doc/${id}`);
  const published = page.locator('main .page-body');
  await expect(published.getByRole('heading', { name: 'Before and after' })).toBeVisible();
  const publishedText = await published.innerText();
  const publishedHtml = await published.evaluate((el) => el.innerHTML.replace(/ svelte-[a-z0-9]+/g, ''));
  const summary = await page.locator('main header .summary').innerText();

  await page.goto(`${hub.url}/#/write?doc=${id}`);
  await expect(page).toHaveURL(/#\/write\?draft=/);
  const previewed = preview(page).locator('.page-body');
  await expect(previewed.getByRole('heading', { name: 'Before and after' })).toBeVisible();
  await expect(previewed.locator('a.term').first()).toBeVisible();
  expect(await previewed.innerText()).toBe(publishedText);
  expect(await previewed.evaluate((el) => el.innerHTML.replace(/ svelte-[a-z0-9]+/g, ''))).toBe(publishedHtml);
  await expect(preview(page).locator('.preview-summary')).toHaveText(summary);
  // A rate's change is said as its two values.
  await expect(previewed.getByText('better: from 12% to 5%')).toBeVisible();
  // Hover cards work in the preview as on the page.
  await previewed.locator('a.term').first().focus();
  await expect(page.getByRole('tooltip')).toBeVisible();
  await page.getByRole('button', { name: 'Delete draft' }).click();
  await page.getByRole('dialog', { name: 'Delete this draft?' }).getByRole('button', { name: 'Delete draft' }).click();
});

test('a new case study: placeholders are refused until written', async ({ page }) => {
  hub.actAs(AUTHOR);
  await page.goto(`${hub.url}/#/write?template=case-study`);
  await page.getByLabel('Title').fill('Placeholder check');
  await page.getByRole('button', { name: 'Start case study' }).click();
  await expect(page).toHaveURL(/#\/write\?draft=/);
  const why = page.locator('#propose-why');
  await expect(why).toContainText(/Replace the \d+ placeholders marked ‹…›/);
  await expect(page.getByRole('button', { name: 'Propose…' })).toHaveAttribute('aria-disabled', 'true');
  const problemsList = page.getByRole('region', { name: /^Problems/ });
  await expect(problemsList.getByRole('button', { name: /placeholder ‹Your name›/ }).first()).toBeVisible();
  // The form writes a person: that placeholder is gone, the others stay.
  await page.getByRole('region', { name: 'Page details' }).getByLabel('Mentor').fill('Priya Raman');
  await expect(problemsList.getByRole('button', { name: /placeholder ‹Your mentor's name›/ })).toHaveCount(0);
  await expect(why).toContainText(/Replace the \d+ placeholders/);
  await page.getByRole('button', { name: 'Delete draft' }).click();
  await page.getByRole('dialog', { name: 'Delete this draft?' }).getByRole('button', { name: 'Delete draft' }).click();
});
