// Bookmarks, notes, recent views, profile and path progress, with the planned endpoints answered
// by the test (the lead is adding them in parallel). Each test is skipped once the real endpoint
// exists, so the real server is never shadowed; personal-live.spec.ts takes over then.
import { expect, test, type Page } from '@playwright/test';
import { hasEndpoint } from './helpers';

async function stubPersonal(page: Page) {
  const state = {
    bookmarks: new Map<string, { id: string; kind: string; title: string }>(),
    notes: new Map<string, string>(),
    recent: [] as string[],
    profile: { display_name: 'Sam', role: 'Mentor', glossary_view: 'plain', theme: 'system', language: 'en-GB' },
    calls: [] as string[],
  };
  await page.route(/\/api\/(bookmarks|notes|recent|profile|paths)(\/|$|\?)/, async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    const [, , what, ...rest] = url.pathname.split('/');
    const id = decodeURIComponent(rest.join('/'));
    state.calls.push(`${req.method()} ${url.pathname}`);
    if (what === 'bookmarks') {
      if (req.method() === 'PUT') state.bookmarks.set(id, { id, kind: 'pattern', title: id });
      if (req.method() === 'DELETE') state.bookmarks.delete(id);
      return route.fulfill(req.method() === 'GET' ? { json: [...state.bookmarks.values()] } : { status: 204 });
    }
    if (what === 'notes') {
      if (req.method() === 'PUT') {
        state.notes.set(id, (req.postDataJSON() as { text: string }).text);
        return route.fulfill({ status: 204 });
      }
      return route.fulfill({ json: { text: state.notes.get(id) ?? '' } });
    }
    if (what === 'recent') {
      if (req.method() === 'POST') state.recent.unshift(id);
      return route.fulfill(req.method() === 'GET' ? { json: state.recent.map((r) => ({ id: r, kind: 'pattern', title: r })) } : { status: 204 });
    }
    if (what === 'profile') {
      if (req.method() === 'PUT') state.profile = req.postDataJSON();
      return route.fulfill({ json: state.profile });
    }
    return route.fulfill({
      json: [{ id: 'start-here', title: 'Start here: citizen developer onboarding', steps: 12, done: 3, completed: false,
        next: { ref: 'acceptable-use-policy', doc: { id: 'acceptable-use-policy', kind: 'guide', title: 'Low-code acceptable-use policy' } } }],
    });
  });
  return state;
}

test('bookmark and note on a page, then Home lists the bookmark, the recent view and the next step', async ({ page, request }) => {
  test.skip(await hasEndpoint(request, '/api/bookmarks'), 'the real endpoints exist: see personal-live.spec.ts');
  const state = await stubPersonal(page);
  const docLoads: string[] = [];
  page.on('request', (r) => r.url().includes('/api/documents/retry-with-backoff') && docLoads.push(r.url()));
  await page.goto('/#/doc/retry-with-backoff');
  const bookmark = page.getByRole('button', { name: /Bookmark/ });
  await bookmark.click();
  await expect(bookmark).toHaveAttribute('aria-pressed', 'true');
  expect(state.calls).toContain('PUT /api/bookmarks/retry-with-backoff');
  expect(state.calls).toContain('POST /api/recent/retry-with-backoff');
  // Loading bookmarks must not reload the page or record the view twice.
  expect(docLoads).toHaveLength(1);
  expect(state.calls.filter((c) => c.startsWith('POST /api/recent'))).toHaveLength(1);

  await page.getByLabel('Your private note on this page').fill('Ask Tomás about the ceiling.');
  await page.getByRole('button', { name: 'Save note' }).click();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  expect(state.notes.get('retry-with-backoff')).toBe('Ask Tomás about the ceiling.');

  await page.getByRole('link', { name: 'Home', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome back, Sam');
  await expect(page.getByRole('region', { name: 'Bookmarks' }).getByRole('link', { name: 'retry-with-backoff' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Recently viewed' }).getByRole('link', { name: 'retry-with-backoff' })).toBeVisible();
  const start = page.getByRole('region', { name: 'Start here' });
  await expect(start).toContainText('3 of 12 steps done');
  await expect(start.getByRole('link', { name: 'Low-code acceptable-use policy' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/home-personal-stubbed.png' });

  await page.goBack();
  await page.getByRole('button', { name: /Bookmarked/ }).click();
  expect(state.calls).toContain('DELETE /api/bookmarks/retry-with-backoff');
});

test('profile from the server: settings show it and changes are PUT back', async ({ page, request }) => {
  test.skip(await hasEndpoint(request, '/api/profile'), 'the real endpoint exists: see personal-live.spec.ts');
  const state = await stubPersonal(page);
  await page.goto('/#/settings');
  await expect(page.getByLabel('Display name')).toHaveValue('Sam');
  await expect(page.getByText('Your profile is kept on this device only.')).toHaveCount(0);
  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => state.profile.theme).toBe('dark');
  expect(state.calls).toContain('PUT /api/profile');
});
