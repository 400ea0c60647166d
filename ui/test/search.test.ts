// Search as you type: one request per pause in typing, stale requests aborted.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const search = vi.fn();
const glossaryLookup = vi.fn();
vi.mock('../src/api/client', async (orig) => {
  const real = await orig<typeof import('../src/api/client')>();
  return { ...real, api: { search, glossaryLookup } };
});

const { SearchState, DEBOUNCE_MS } = await import('../src/lib/search.svelte');
const { ApiError } = await import('../src/api/client');

const result = (q: string, total = 1) => ({ query: q, expanded: [], total, took_us: 10, hits: [], facets: { kind: {}, tag: {} } });

describe('SearchState', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    search.mockReset();
    glossaryLookup.mockReset();
  });
  afterEach(() => vi.useRealTimers());

  it('debounces typing into one request', async () => {
    search.mockImplementation(async (p: { q: string }) => result(p.q));
    const s = new SearchState();
    s.run({ q: 'r' });
    s.run({ q: 're' });
    s.run({ q: 'ret' });
    expect(s.status).toBe('loading');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search.mock.calls[0]![0]).toMatchObject({ q: 'ret' });
    expect(s.status).toBe('done');
    expect(s.results?.query).toBe('ret');
  });

  it('aborts a request still in flight when the query changes', async () => {
    const signals: AbortSignal[] = [];
    search.mockImplementation((p: { q: string }, signal: AbortSignal) => {
      signals.push(signal);
      return new Promise((resolve) => setTimeout(() => resolve(result(p.q)), 500));
    });
    const s = new SearchState();
    s.run({ q: 'slow' });
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    s.run({ q: 'fast' });
    expect(signals[0]!.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS + 500);
    expect(s.results?.query).toBe('fast');
  });

  it('looks up glossary terms when nothing matched', async () => {
    search.mockResolvedValue(result('try again later', 0));
    glossaryLookup.mockResolvedValue({ jargon: [], plain: [{ id: 'retry', term: 'Retry' }] });
    const s = new SearchState();
    s.run({ q: 'try again later' }, true);
    await vi.advanceTimersByTimeAsync(0);
    expect(glossaryLookup).toHaveBeenCalledWith('try again later', expect.any(AbortSignal));
    expect(s.lookup?.plain[0]?.id).toBe('retry');
  });

  it('says so when the server has no search endpoint', async () => {
    search.mockRejectedValue(new ApiError(404, 'not-found', 'no such API endpoint'));
    const s = new SearchState();
    s.run({ q: 'x' }, true);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.status).toBe('missing');
    expect(s.results).toBeNull();
  });

  it('clears on an empty query', () => {
    const s = new SearchState();
    s.run({ q: '  ' });
    expect(s.status).toBe('idle');
    expect(search).not.toHaveBeenCalled();
  });
});
