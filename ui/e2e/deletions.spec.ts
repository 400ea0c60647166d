// The safety rail on mass deletions (#14), in the browser: a proposal deleting more than a tenth
// of the hub's documents is not published on a reviewer's click. A mentor is told an admin must
// confirm; an admin confirms in a dialog and it is published.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { ADMIN, AUTHOR, AuthoringHub, REVIEWER, watchConsole } from './helpers';

/** The starter hub's members, and five small patterns. */
function smallHub(dir: string): void {
  copyFileSync(fileURLToPath(new URL('../../content/guildhall.toml', import.meta.url)), join(dir, 'guildhall.toml'));
  mkdirSync(join(dir, 'patterns'));
  for (let n = 1; n <= 5; n++) {
    writeFileSync(join(dir, `patterns/p${n}.md`), `---\ntitle: Pattern ${n}\nsummary: Pattern ${n}.\n---\nText ${n}.\n`);
  }
}

test('deleting 1 of 5 pages needs an admin to confirm it before it is published', async ({ page }) => {
  const hub = await AuthoringHub.start(smallHub);
  try {
    const problems = watchConsole(page);
    hub.actAs(AUTHOR);
    rmSync(join(hub.content, 'patterns/p5.md'));
    const proposal = JSON.parse(hub.cli('propose', '--content', '.', 'patterns/p5.md', '--title', 'Remove pattern 5', '--reason', 'Outdated.', '--json')) as { id: string };

    // A mentor may approve patterns, but not confirm a mass deletion.
    hub.actAs(REVIEWER);
    await page.goto(`${hub.url}/#/review/${proposal.id}`);
    await page.getByRole('button', { name: 'Approve and publish' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this many pages?' });
    await expect(dialog).toContainText('deletes 1 of the hub\'s 5 documents');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await dialog.getByRole('button', { name: 'Confirm and publish' }).click();
    await expect(page.getByRole('alert')).toContainText('admin');
    expect(hub.log()).not.toContain('Remove pattern 5');

    // An admin confirms; it is published.
    hub.actAs(ADMIN);
    await page.reload();
    await page.getByRole('button', { name: 'Approve and publish' }).click();
    await page.getByRole('dialog', { name: 'Delete this many pages?' }).getByRole('button', { name: 'Confirm and publish' }).click();
    await expect(page.getByText('Approved and published')).toBeVisible();
    expect(hub.log()).toContain('Remove pattern 5');
    expect(problems).toEqual([]);
  } finally {
    await hub.stop();
  }
});
