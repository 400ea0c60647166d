// Search as you type: a keystroke is sent at once, unless a search is in flight; then only the
// newest query waits for it, and the stale answer is not shown.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const search = vi.fn();
const glossaryLookup = vi.fn();
vi.mock('../src/api/client', async (orig) => {
  const real = await orig<typeof import('../src/api/client')>();
  return { ...real, api: { search, glossaryLookup } };
});

const { SearchState, RECORD_EMPTY_AFTER_MS } = await import('../src/lib/search.svelte');
const { ApiError } = await import('../src/api/client');

const result = (q: string, total = 1) => ({ query: q, expanded: [], total, took_us: 10, hits: [], facets: { kind: {}, tag: {} } });

describe('SearchState', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    search.mockReset();
    glossaryLookup.mockReset();
  });
  afterEach(() => vi.useRealTimers());

  it('sends a keystroke at once, and only the newest of those typed while a search is in flight', async () => {
    search.mockImplementation((p: { q: string }) => new Promise((resolve) => setTimeout(() => resolve(result(p.q)), 20)));
    const s = new SearchState();
    s.run({ q: 'r' });
    expect(search).toHaveBeenCalledTimes(1);
    s.run({ q: 're' });
    s.run({ q: 'ret' });
    expect(s.status).toBe('loading');
    expect(search).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(20);
    // The answer for "r" is stale: not shown; "ret" is sent instead ("re" never is).
    expect(s.results).toBeNull();
    expect(search.mock.calls.map(([p]) => p.q)).toEqual(['r', 'ret']);
    await vi.advanceTimersByTimeAsync(20);
    expect(s.status).toBe('done');
    expect(s.results?.query).toBe('ret');
    s.run({ q: 'retr' });
    expect(search).toHaveBeenCalledTimes(3);
  });

  it('aborts the search in flight and forgets the waiting one when the box is cleared', async () => {
    const signals: AbortSignal[] = [];
    search.mockImplementation((p: { q: string }, signal: AbortSignal) => {
      signals.push(signal);
      return new Promise((resolve) => setTimeout(() => resolve(result(p.q)), 500));
    });
    const s = new SearchState();
    s.run({ q: 'slow' });
    s.run({ q: 'slower' });
    s.run({ q: '' });
    expect(signals[0]!.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(search).toHaveBeenCalledTimes(1);
    expect(s.status).toBe('idle');
    expect(s.results).toBeNull();
    s.run({ q: 'fast' });
    await vi.advanceTimersByTimeAsync(500);
    expect(s.results?.query).toBe('fast');
  });

  it('looks up glossary terms when nothing matched', async () => {
    search.mockResolvedValue(result('try again later', 0));
    glossaryLookup.mockResolvedValue({ jargon: [], plain: [{ id: 'retry', term: 'Retry' }] });
    const s = new SearchState();
    s.run({ q: 'try again later' });
    await vi.advanceTimersByTimeAsync(0);
    expect(glossaryLookup).toHaveBeenCalledWith('try again later', expect.any(AbortSignal));
    expect(s.lookup?.plain[0]?.id).toBe('retry');
  });

  it('reports a failed search as an error', async () => {
    search.mockRejectedValue(new ApiError(500, 'internal', 'the search stopped'));
    const s = new SearchState();
    s.run({ q: 'x' });
    await vi.advanceTimersByTimeAsync(0);
    expect(s.status).toBe('error');
    expect(s.error).toBe('the search stopped');
    expect(s.results).toBeNull();
  });

  it('never asks to record while typing; records a settled query once', async () => {
    search.mockImplementation(async (p: { q: string }) => result(p.q));
    const s = new SearchState();
    for (const q of ['r', 're', 'ret', 'retry']) {
      s.run({ q });
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(search.mock.calls.every(([p]) => !p.record)).toBe(true);
    expect(s.recorded).toBe(false);
    await s.settle();
    await s.settle();
    const recorded = search.mock.calls.filter(([p]) => p.record);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]![0]).toMatchObject({ q: 'retry', record: true });
    expect(s.recorded).toBe(true);
  });

  it('records a query that found nothing once the reader pauses, not before', async () => {
    search.mockImplementation(async (p: { q: string }) => result(p.q, 0));
    glossaryLookup.mockResolvedValue({ jargon: [], plain: [] });
    const s = new SearchState();
    s.run({ q: 'zzqx' });
    await vi.advanceTimersByTimeAsync(RECORD_EMPTY_AFTER_MS - 100);
    expect(search.mock.calls.some(([p]) => p.record)).toBe(false);
    s.run({ q: 'zzqxy' });
    await vi.advanceTimersByTimeAsync(RECORD_EMPTY_AFTER_MS + 10);
    const recorded = search.mock.calls.filter(([p]) => p.record).map(([p]) => p.q);
    expect(recorded).toEqual(['zzqxy']);
    expect(s.recorded).toBe(true);
  });

  it('clears on an empty query', () => {
    const s = new SearchState();
    s.run({ q: '  ' });
    expect(s.status).toBe('idle');
    expect(search).not.toHaveBeenCalled();
  });
});
