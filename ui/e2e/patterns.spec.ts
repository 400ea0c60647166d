import { expect, test } from '@playwright/test';

test('pattern filters narrow the cards, live in the address and clear again', async ({ page, request }) => {
  const all = (await (await request.get('/api/documents?kind=pattern')).json()) as Array<{ risk: string; category: string; title: string }>;
  await page.goto('/#/patterns');
  const cards = page.locator('#pattern-list > li');
  await expect(cards).toHaveCount(all.length);

  await page.getByLabel('Risk').selectOption('high');
  const high = all.filter((p) => p.risk === 'high');
  await expect(cards).toHaveCount(high.length);
  await expect(page).toHaveURL(/risk=high/);
  await expect(page.getByText(`${high.length} of ${all.length} patterns`)).toBeVisible();

  const category = high[0]!.category;
  await page.getByLabel('Category').selectOption(category);
  await expect(cards).toHaveCount(high.filter((p) => p.category === category).length);

  // The filters survive a reload (they are in the address).
  await page.reload();
  await expect(page.getByLabel('Risk')).toHaveValue('high');
  await expect(cards).toHaveCount(high.filter((p) => p.category === category).length);

  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await expect(cards).toHaveCount(all.length);
});

test('a pattern page shows related patterns, terms and the case studies that used it', async ({ page, request }) => {
  const studies = (await (await request.get('/api/documents?kind=case-study')).json()) as Array<{ id: string }>;
  const study = await (await request.get(`/api/documents/${studies[0]!.id}`)).json();
  const patternId = study.fields.patterns[0];
  await page.goto(`/#/doc/${patternId}`);
  await expect(page.getByRole('region', { name: 'Case studies that used this pattern' })).toContainText(study.title);
  await expect(page.getByRole('region', { name: 'Terms on this page' })).toBeVisible();
});

// The backlinks endpoint (#13's demonstration): each linking page, and the section the link is in.
test('a page says where it is linked from, down to the section of each link', async ({ page, request }) => {
  const links = (await (await request.get('/api/documents/retry-with-backoff/backlinks')).json()) as Array<{
    from: { id: string; title: string };
    places: Array<{ heading: string | null; heading_slug: string | null }>;
  }>;
  const from = links.find((l) => l.places.some((p) => p.heading));
  expect(from, JSON.stringify(links)).toBeTruthy();
  const place = from!.places.find((p) => p.heading)!;
  await page.goto('/#/doc/retry-with-backoff');
  const region = page.getByRole('region', { name: 'Linked from' });
  const item = region
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: from!.from.title, exact: true }) });
  await expect(item).toHaveCount(1);
  const section = item.getByRole('link', { name: place.heading!, exact: true });
  await expect(section).toHaveAttribute('href', `#/doc/${from!.from.id}?section=gh-${place.heading_slug}`);
  await section.click();
  await expect(page).toHaveURL(new RegExp(`#/doc/${from!.from.id}\\?section=gh-`));
  await expect(page.locator(`#gh-${place.heading_slug}`)).toBeFocused();
});
