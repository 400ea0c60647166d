// Team sync in the browser: a clone of a shared hub shows where it stands in the status area, and
// Ctrl+Shift+S pulls what someone else published, which is then searchable. A hub that is not
// shared shows no sync controls at all.
import { expect, test } from '@playwright/test';
import { AuthoringHub, axeViolations, watchConsole } from './helpers';

const PAGE = `---
term: Fuel card
plain: "A company payment card that only pays for fuel, so drivers need not claim it back."
summary: "What a fuel card is and why claims for fuel bought with one are refused."
tags: [finance]
audience: [citizen-developer]
owner: Finance lead
updated: 2026-12-01
review_by: 2027-12-01
---

A fuel card pays the fuel station directly. A claim for fuel bought with a fuel card is refused.
`;

test('a shared hub shows its sync status, and Ctrl+Shift+S pulls a page that is then searchable', async ({ page }) => {
  const hub = await AuthoringHub.start();
  try {
    const problems = watchConsole(page);
    const remote = hub.share();
    hub.publishElsewhere(remote, 'glossary/fuel-card.md', PAGE);
    await page.goto(`${hub.url}/#/`);
    const status = page.getByTestId('sync-status');
    await expect(status).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sync now' })).toBeVisible();

    await page.keyboard.press('Control+Shift+S');
    await expect(page.getByTestId('sync-message')).toHaveText('Synced: 1 page updated.');
    await expect(status).toContainText('Synced just now');

    await page.goto(`${hub.url}/#/search?q=fuel+card`);
    await expect(page.locator('#search-results a').first()).toContainText('Fuel card');
    expect(await axeViolations(page, 'sync status')).toEqual([]);

    // The remote goes away: the status says what stopped the sync; the page keeps working.
    hub.removeRemote(remote);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByTestId('sync-message')).toContainText('Sync stopped:');
    await expect(page.getByTestId('sync-error')).toContainText('The last sync stopped');
    expect(problems).toEqual([]);
  } finally {
    await hub.stop();
  }
});

test('a hub that is not shared shows no sync controls', async ({ page }) => {
  await page.goto('/#/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByTestId('sync-status')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+S');
  await expect(page.getByTestId('sync-status')).toHaveCount(0);
});
