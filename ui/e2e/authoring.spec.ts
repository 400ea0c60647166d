// Authoring, review and publishing through the browser, against a real `guildhall serve` over a
// throw-away copy of the starter content that is its own git repository, with two real identities
// (an author who is a citizen developer, a reviewer who is a mentor) switched with `git config`.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { AXE_SOURCE, AXE_TAGS, ADMIN, AUTHOR, AuthoringHub, REVIEWER, pasteText, watchConsole } from './helpers';

const TITLE = 'Faster expense claims';
const DOC = 'faster-expense-claims';

/** The template's placeholders written as an author would (people are the hub's members). */
function fillPlaceholders(t: string): string {
  return t.replace(/‹([^‹›\n]*)›/g, (_, inner: string) => {
    if (/mentor/i.test(inner)) return REVIEWER.name;
    if (/your name/i.test(inner)) return AUTHOR.name;
    if (/department/i.test(inner)) return 'Operations';
    if (/what you measured/i.test(inner)) return 'Days to pay a claim';
    if (/^unit$/i.test(inner)) return 'days';
    return 'Written by the finance team.';
  });
}

async function axe(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page, axeSource: AXE_SOURCE }).withTags(AXE_TAGS).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

test.describe('on the project content (inside the project repository)', () => {
  test('the editor and the review queue explain that authoring needs a hub folder of its own', async ({ page }) => {
    const problems = watchConsole(page);
    for (const path of ['/#/write', '/#/review', '/#/changelog', '/#/history/retry-with-backoff']) {
      await page.goto(path);
      await expect(page.getByRole('alert')).toContainText('Authoring needs a hub folder of its own');
      await expect(page.getByRole('alert')).toContainText('inside the git repository');
    }
    // The document page still offers Edit and History; they lead to the same explanation.
    await page.goto('/#/doc/retry-with-backoff');
    await page.getByRole('link', { name: 'Edit this page' }).click();
    await expect(page.getByRole('alert')).toContainText('Authoring needs a hub folder of its own');
    expect(problems).toEqual([]);
  });
});

test.describe.serial('draft → propose → changes requested → revise → approve → published', () => {
  let hub: AuthoringHub;
  let proposalUrl = '';

  test.beforeAll(async () => {
    hub = await AuthoringHub.start();
  });
  test.afterAll(async () => {
    await hub?.stop();
  });

  const editor = (page: Page) => page.getByRole('textbox', { name: 'Markdown' });
  // The editor's text and caret, as the editor element reports them (CodeMirror keeps only the
  // lines in view in the page).
  const text = (page: Page) => page.locator('.md-editor').evaluate((el) => (el as HTMLElement & { value: string }).value);
  const preview = (page: Page) => page.getByRole('region', { name: 'Preview' });
  const problemsList = (page: Page) => page.getByRole('region', { name: /^Problems/ });

  test('the author writes a case study from the template, with live preview and inline problems', async ({ page }) => {
    const problems = watchConsole(page);
    hub.actAs(AUTHOR);
    await page.goto(`${hub.url}/#/write`);
    await expect(page.getByText(`Writing as ${AUTHOR.name}`)).toBeVisible();
    await expect(page.getByRole('complementary', { name: 'My drafts' })).toContainText('No drafts yet');

    await page.getByRole('radio', { name: /Case study/ }).check();
    await page.getByLabel('Title').fill(TITLE);
    await expect(page.getByText(`case-studies/${DOC}.md`)).toBeVisible();
    await page.getByRole('button', { name: 'Start case study' }).click();

    await expect(page).toHaveURL(/#\/write\?draft=/);
    await expect.poll(() => text(page)).toMatch(/title: "Faster expense claims"/);
    await expect.poll(() => text(page)).toMatch(/metrics:/);
    await expect(page.getByLabel('File')).toHaveValue(`case-studies/${DOC}.md`);
    // The server renders the preview: the template's sections and its metrics table.
    await expect(preview(page).getByRole('heading', { name: 'What we built' })).toBeVisible();
    await expect(preview(page).getByRole('heading', { name: 'Before and after' })).toBeVisible();

    // A glossary mention is highlighted as on published pages; a broken wikilink is an error on
    // its line, listed under Problems and marked in the gutter.
    const draft = `${(await text(page)).trimEnd()}\n\nClaims now retry with jitter. See [[no-such-pattern]].\n`;
    await pasteText(page, draft);
    await expect(preview(page).locator('a.term', { hasText: /jitter/i }).first()).toBeVisible();
    const broken = problemsList(page).getByRole('button', { name: /Error.*no-such-pattern/ });
    await expect(broken).toBeVisible();
    const line = draft.split('\n').findIndex((l) => l.includes('[[no-such-pattern]]')) + 1;
    await expect(broken).toContainText(`Line ${line}`);
    await expect(page.getByText(/Not ready to propose: .*Fix the error/)).toBeVisible();
    // Propose says why it cannot, and Ctrl+Enter goes to the problem instead of opening the dialog.
    await expect(page.getByRole('button', { name: 'Propose…' })).toHaveAttribute('aria-disabled', 'true');
    await editor(page).focus();
    await page.keyboard.press('Control+Enter');
    await expect(page.getByRole('dialog', { name: 'Propose for review' })).toHaveCount(0);
    // (the first error, in line order: a template placeholder)
    await expect(problemsList(page).locator('li.error button').first()).toBeFocused();

    // Clicking the problem puts the caret on its line.
    await broken.click();
    await expect(editor(page)).toBeFocused();
    const caretLine = await page.locator('.md-editor').evaluate((el) => {
      const e = el as HTMLElement & { value: string; caret: number };
      return e.value.slice(0, e.caret).split('\n').length;
    });
    expect(caretLine).toBe(line);

    // The template's placeholders (‹…›) are errors too, and Propose says so.
    await expect(page.locator('#propose-why')).toContainText(/Replace the \d+ placeholders marked ‹…›/);
    await expect(problemsList(page).getByRole('button', { name: /placeholder ‹Your mentor's name›/ })).toBeVisible();

    // Writing them and fixing the link clears the problems.
    await pasteText(page, fillPlaceholders(draft.replace('[[no-such-pattern]]', '[[retry-with-backoff]]')));
    await expect(problemsList(page).getByRole('status')).toHaveText(/^0 errors/);
    await expect(page.getByText('Ready to propose')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Propose…' })).toHaveAttribute('aria-disabled', 'false');
    await page.getByLabel('Why this change').fill('Finance asked for the before/after figures to be shared.');
    await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible({ timeout: 10_000 });

    // The draft survives a reload (autosaved on the server).
    await page.reload();
    await expect.poll(() => text(page)).toMatch(/Claims now retry with jitter\. See \[\[retry-with-backoff\]\]/);
    await expect(page.getByLabel('Why this change')).toHaveValue('Finance asked for the before/after figures to be shared.');
    await expect(page.getByRole('complementary', { name: 'My drafts' }).getByRole('link', { name: TITLE })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test('the author proposes it with Ctrl+Enter', async ({ page }) => {
    hub.actAs(AUTHOR);
    await page.goto(`${hub.url}/#/write`);
    await page.getByRole('complementary', { name: 'My drafts' }).getByRole('link', { name: TITLE }).click();
    await expect.poll(() => text(page)).toMatch(/Claims now retry/);
    await expect(problemsList(page).getByRole('status')).toHaveText(/^0 errors/);
    // The shortcuts are listed (? outside a text box), and Esc closes the list.
    await page.locator('main h1').click();
    await page.keyboard.press('?');
    const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(shortcuts).toContainText('Save the draft now');
    await expect(shortcuts).toContainText('Propose the draft for review');
    await page.keyboard.press('Escape');
    await expect(shortcuts).toHaveCount(0);
    await editor(page).focus();
    await page.keyboard.press('Control+Enter');
    const dialog = page.getByRole('dialog', { name: 'Propose for review' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Title')).toHaveValue(TITLE);
    await dialog.getByRole('button', { name: 'Propose', exact: true }).click();

    await expect(page).toHaveURL(/#\/review\//);
    proposalUrl = page.url();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE);
    await expect(page.getByText('Waiting for review').first()).toBeVisible();
    // Authors do not review their own proposals: no decision buttons for them.
    await expect(page.getByRole('button', { name: 'Approve and publish' })).toHaveCount(0);
  });

  test('the reviewer finds it in the queue, sees before/after and the diff, and requests changes', async ({ page }) => {
    const problems = watchConsole(page);
    hub.actAs(REVIEWER);
    await page.goto(`${hub.url}/#/review`);
    const row = page.getByRole('region', { name: /Waiting for review/ }).getByRole('row', { name: new RegExp(TITLE) });
    await expect(row).toContainText(AUTHOR.name);
    await expect(row).toContainText('Case study');
    await expect(row).toContainText('You can review');
    // The queue with something in it: axe, and a screenshot to look at.
    expect(await axe(page), 'review queue with a proposal').toEqual([]);
    await page.screenshot({ path: 'test-results/screens/review-queue-waiting.png', fullPage: true });
    await row.getByRole('link', { name: TITLE }).click();
    // The proposal as its reviewer sees it, before deciding.
    await expect(page.getByRole('button', { name: 'Approve and publish' })).toBeVisible();
    expect(await axe(page), 'proposal, open for review').toEqual([]);
    await page.screenshot({ path: 'test-results/screens/proposal-open.png', fullPage: true });

    await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE);
    await expect(page.getByRole('region', { name: `Before: case-studies/${DOC}.md` })).toContainText('A new page');
    await expect(page.getByRole('region', { name: `After: case-studies/${DOC}.md` }).getByRole('heading', { name: 'What we built' })).toBeVisible();
    const diff = page.getByRole('region', { name: `Line changes of case-studies/${DOC}.md` });
    await expect(diff).toContainText('lines added');
    await expect(diff.getByRole('heading', { name: /new file/ })).toBeVisible();
    const added = diff.locator('tr.add', { hasText: 'Claims now retry with jitter' });
    await expect(added).toContainText('+');
    await expect(added).toContainText('added');

    // A comment is required to request changes.
    await page.getByRole('button', { name: 'Request changes' }).click();
    await expect(page.getByRole('alert')).toContainText('comment is required');
    await page.getByRole('textbox', { name: /^Comment/ }).fill('Please name the department.');
    await page.getByRole('button', { name: 'Request changes' }).click();
    await expect(page.getByText(`Sent back to ${AUTHOR.name}`)).toBeVisible();
    await expect(page.getByText('Changes requested').first()).toBeVisible();
    await expect(page.getByRole('region', { name: 'Comments and history' })).toContainText('Please name the department.');
    expect(problems).toEqual([]);
  });

  test('the author revises and proposes again', async ({ page }) => {
    hub.actAs(AUTHOR);
    await page.goto(proposalUrl);
    await expect(page.getByRole('region', { name: 'Comments and history' })).toContainText('Please name the department.');
    await page.getByRole('button', { name: 'Revise' }).click();
    await expect(page).toHaveURL(/#\/write\?draft=/);
    await expect.poll(() => text(page)).toMatch(/Claims now retry/);
    await expect(page.getByLabel('Why this change')).toHaveValue('Finance asked for the before/after figures to be shared.');
    const before = await text(page);
    expect(before).toMatch(/^department: .*$/m);
    await pasteText(page, before.replace(/^department: .*$/m, 'department: Finance'));
    await expect(problemsList(page).getByRole('status')).toHaveText(/^0 errors/);
    await page.keyboard.press('Control+s');
    await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
    await page.getByRole('button', { name: 'Propose…' }).click();
    await page.getByRole('dialog', { name: 'Propose for review' }).getByRole('button', { name: 'Propose', exact: true }).click();
    await expect(page).toHaveURL(/#\/review\//);
    await expect(page.getByText('revision 2')).toBeVisible();
  });

  test('the reviewer approves; the case study is published, searchable, in its history and the changelog', async ({ page }) => {
    const problems = watchConsole(page);
    hub.actAs(REVIEWER);
    await page.goto(proposalUrl);
    const diff = page.getByRole('region', { name: `Line changes of case-studies/${DOC}.md` });
    await expect(diff).toContainText('department: Finance');
    await page.getByRole('button', { name: 'Approve and publish' }).click();
    await expect(page.getByText('Approved and published')).toBeVisible();
    // A published proposal never claims it changed nothing.
    await expect(page.getByText('Approved', { exact: true })).toBeVisible();
    await expect(page.getByText('No differences.')).toHaveCount(0);

    await page.goto(`${hub.url}/#/doc/${DOC}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE);
    await expect(page.getByText('Finance', { exact: true })).toBeVisible();

    await page.goto(`${hub.url}/#/search?q=${encodeURIComponent('faster expense claims')}`);
    await expect(page.locator('#search-results').getByRole('link', { name: TITLE })).toBeVisible();

    await page.goto(`${hub.url}/#/doc/${DOC}`);
    await page.getByRole('link', { name: 'History' }).click();
    const first = page.getByRole('row').filter({ hasText: TITLE }).first();
    await expect(first).toContainText(AUTHOR.name);
    await expect(first).toContainText(REVIEWER.name);
    await expect(first).toContainText('Finance asked for the before/after figures to be shared.');

    await page.goto(`${hub.url}/#/changelog`);
    const entry = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: TITLE }) });
    await expect(entry).toContainText(AUTHOR.name);
    await expect(entry).toContainText(REVIEWER.name);
    await expect(entry.getByText('Proposal to approval')).toBeVisible();
    await page.getByLabel('Kind').selectOption('pattern');
    await expect(page.getByRole('heading', { name: TITLE })).toHaveCount(0);
    await page.getByLabel('Kind').selectOption('case-study');
    await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
    await page.getByLabel('Person').fill('priya');
    await expect(page).toHaveURL(/person=priya/);
    await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
    await page.getByLabel('Person').fill('nobody-at-all');
    await expect(page.getByText('No published change matches these filters.')).toBeVisible();

    // What git recorded on main.
    const log = hub.log();
    expect(log).toMatch(new RegExp(`Requested-by: ${AUTHOR.name}`));
    expect(log).toMatch(new RegExp(`Approved-by: ${REVIEWER.name}`));
    expect(problems).toEqual([]);
  });

  test('an edit of the published page, a diff between versions, and an admin rolling back directly', async ({ page }) => {
    const problems = watchConsole(page);
    hub.actAs(AUTHOR);
    await page.goto(`${hub.url}/#/doc/${DOC}`);
    await page.getByRole('link', { name: 'Edit this page' }).click();
    await expect(page).toHaveURL(/#\/write\?draft=/);
    await expect(page.getByLabel('Title of the change')).toHaveValue(`Update ${TITLE}`);
    await pasteText(page, (await text(page)).replace('department: Finance', 'department: Finance and Procurement'));
    await page.getByLabel('Why this change').fill('Procurement joined the project.');
    await expect(problemsList(page).getByRole('status')).toHaveText(/^0 errors/);
    await page.getByRole('button', { name: 'Propose…' }).click();
    await page.getByRole('dialog', { name: 'Propose for review' }).getByRole('button', { name: 'Propose', exact: true }).click();
    await expect(page).toHaveURL(/#\/review\//);

    hub.actAs(REVIEWER);
    // The same address: reload so the screen asks again who is looking.
    await page.reload();
    await expect(page.getByRole('region', { name: `Line changes of case-studies/${DOC}.md` })).toContainText('department: Finance and Procurement');
    await page.getByRole('button', { name: 'Approve and publish' }).click();
    await expect(page.getByText('Approved and published')).toBeVisible();

    // Two versions: the newest is compared with the one before by default.
    await page.goto(`${hub.url}/#/history/${DOC}`);
    const rows = page.getByRole('table', { name: /^Published versions/ }).getByRole('row');
    await expect(rows).toHaveCount(3);
    const diff = page.getByRole('region', { name: 'Changes between the two versions' });
    await expect(diff.locator('tr.del', { hasText: 'department: Finance' })).toContainText('-');
    await expect(diff.locator('tr.add', { hasText: 'department: Finance and Procurement' })).toContainText('+');
    // Mentors do not get the direct rollback.
    await rows.nth(2).getByRole('button', { name: /Roll back to this/ }).click();
    const dialog = page.getByRole('dialog', { name: /Roll back to/ });
    await expect(dialog.getByRole('checkbox')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);

    hub.actAs(ADMIN);
    await page.reload();
    await rows.nth(2).getByRole('button', { name: /Roll back to this/ }).click();
    await dialog.getByRole('button', { name: 'Propose the rollback' }).click();
    await expect(dialog.getByRole('alert')).toContainText('the reason is required');
    await dialog.getByLabel(/Why roll back/).fill('Procurement left the project again.');
    await dialog.getByRole('checkbox', { name: /Roll back directly/ }).check();
    await dialog.getByRole('button', { name: 'Roll back now' }).click();
    await expect(page.getByText('Rolled back: the old version is published again.')).toBeVisible();
    await expect(rows).toHaveCount(4);
    await expect(rows.nth(1)).toContainText(`Rolled back directly by ${ADMIN.name}`);
    await expect(rows.nth(1)).toContainText('Procurement left the project again.');

    await page.goto(`${hub.url}/#/changelog`);
    const rolledBack = page.getByRole('listitem').filter({ hasText: 'Procurement left the project again.' });
    await expect(rolledBack).toContainText(new RegExp(`Rolled back directly by\\s*${ADMIN.name}`));

    await page.goto(`${hub.url}/#/doc/${DOC}`);
    await expect(page.getByText('Finance', { exact: true })).toBeVisible();
    expect(problems).toEqual([]);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`authoring screens are accessible in the ${theme} theme (axe), with screenshots`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      hub.actAs(AUTHOR);
      const screens: Array<[string, string]> = [
        ['write-chooser', '/#/write'],
        ['review-queue', '/#/review'],
        ['proposal', proposalUrl.slice(proposalUrl.indexOf('/#/'))],
        ['history', `/#/history/${DOC}`],
        ['changelog', '/#/changelog'],
      ];
      for (const [name, path] of screens) {
        await page.goto(`${hub.url}${path}`);
        await expect(page.locator('main h1')).toBeVisible();
        await expect(page.getByText('Loading…')).toHaveCount(0);
        expect(await axe(page), `${name} (${theme})`).toEqual([]);
        // Wide tables scroll inside their box; the page itself never scrolls sideways.
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${name} overflows`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `test-results/screens/${name}-${theme}.png`, fullPage: true });
      }
      // The editor with a draft open, problems listed and the preview rendered.
      await page.goto(`${hub.url}/#/write?doc=${DOC}`);
      await expect(page).toHaveURL(/#\/write\?draft=/);
      await pasteText(page, (await text(page)) + '\nSee [[missing-page]].\n');
      await expect(problemsList(page).getByRole('button', { name: /missing-page/ })).toBeVisible();
      expect(await axe(page), `write-draft (${theme})`).toEqual([]);
      await page.screenshot({ path: `test-results/screens/write-draft-${theme}.png`, fullPage: true });
      await page.getByRole('button', { name: 'Delete draft' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete this draft?' });
      await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(confirm).toHaveCount(0);
      await page.getByRole('button', { name: 'Delete draft' }).click();
      await confirm.getByRole('button', { name: 'Delete draft' }).click();
      await expect(page).toHaveURL(/#\/write$/);
    });
  }

  // #13: a git user outside [[members]] was told to set the git identity they already had.
  test('someone who is not a member is told exactly that, and how to become one', async ({ page }) => {
    hub.actAs({ name: 'Mallory Visitor', email: 'mallory@example.org' });
    try {
      await page.goto(`${hub.url}/#/write`);
      const alert = page.getByRole('alert');
      await expect(alert).toContainText('You are not a member of this hub yet.');
      await expect(alert).not.toContainText('does not know who you are');
      await expect(alert).toContainText('mallory@example.org');
      await expect(alert).toContainText('[[members]]');
      await expect(page.getByRole('button', { name: /^Start/ })).toHaveCount(0);
    } finally {
      hub.actAs(AUTHOR);
    }
  });
});
