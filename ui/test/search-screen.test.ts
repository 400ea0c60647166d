// Regression (#12): a page indexed twice came back twice from the search API; the search screen
// keyed its rows by id, so Svelte threw `each_key_duplicate`, the count and "Nothing matched"
// showed together and the screen lagged a keystroke behind. A repeated hit is now shown once and
// the screen keeps following the query.
import { render } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';

const search = vi.fn();
vi.mock('../src/api/client', async (orig) => {
  const real = await orig<typeof import('../src/api/client')>();
  return { ...real, api: { search, glossaryLookup: vi.fn() } };
});

const { default: Search } = await import('../src/screens/Search.svelte');
const { uniqueHits } = await import('../src/lib/search.svelte');

const hit = (id: string, title: string) => ({ id, kind: 'case-study', title, snippet: 'fuel', summary: '', path: `case-studies/${id}.md`, score: 1 });
const answer = (q: string, hits: ReturnType<typeof hit>[]) => ({
  query: q,
  expanded: [],
  notices: [],
  total: hits.length,
  took_us: 10,
  hits,
  facets: { kind: { 'case-study': hits.length }, tag: {} },
});

describe('Search screen', () => {
  it('shows a hit returned twice once, and goes on following the query', async () => {
    search.mockImplementation(async (p: { q: string }) =>
      p.q === 'fuel'
        ? answer('fuel', [hit('fleet-fuel', 'Fleet fuel cards'), hit('fleet-fuel', 'Fleet fuel cards'), hit('mileage', 'Mileage claims')])
        : answer(p.q, [hit('mileage', 'Mileage claims')]),
    );
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { findAllByRole, rerender, queryByText } = render(Search, { params: new URLSearchParams('q=fuel') });
    const links = await findAllByRole('link', { name: /Fleet fuel cards|Mileage claims/ });
    expect(links.map((a) => a.textContent)).toEqual(['Fleet fuel cards', 'Mileage claims']);
    expect(queryByText(/Nothing matched/)).toBeNull();
    await rerender({ params: new URLSearchParams('q=mileage') });
    await vi.waitFor(() => expect(queryByText('Fleet fuel cards')).toBeNull());
    expect(queryByText('Mileage claims')).toBeTruthy();
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('keeps the first, best-ranked copy of a repeated id', () => {
    expect(uniqueHits([{ id: 'a', n: 1 }, { id: 'b', n: 2 }, { id: 'a', n: 3 }])).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
  });
});
