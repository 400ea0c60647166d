// Search as you type: a keystroke is sent at once, unless a search is in flight; then only the
// newest query waits for it, and the stale answer is not shown.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const search = vi.fn();
const glossaryLookup = vi.fn();
const recordSettledSearch = vi.fn();
vi.mock('../src/api/client', async (orig) => {
  const real = await orig<typeof import('../src/api/client')>();
  return { ...real, api: { search, glossaryLookup, recordSettledSearch } };
});

const { SearchState, SETTLE_AFTER_MS, OPEN_WITHIN_MS, forgetSettled, pendingSearch } = await import('../src/lib/search.svelte');
const { ApiError } = await import('../src/api/client');

const result = (q: string, total = 1) => ({ query: q, expanded: [], total, took_us: 10, hits: [], facets: { kind: {}, tag: {} } });

describe('SearchState', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    search.mockReset();
    glossaryLookup.mockReset();
    recordSettledSearch.mockReset();
    recordSettledSearch.mockResolvedValue(undefined);
    forgetSettled();
  });
  const sent = () => recordSettledSearch.mock.calls.map(([b]) => [b.q, b.opened]);
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

  it('never logs while typing; a settled query is logged once, when a result is opened', async () => {
    search.mockImplementation(async (p: { q: string }) => result(p.q));
    const s = new SearchState();
    for (const q of ['r', 're', 'ret', 'retry']) {
      s.run({ q });
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(search.mock.calls.every(([p]) => !p.record)).toBe(true);
    await vi.advanceTimersByTimeAsync(SETTLE_AFTER_MS + 10);
    // Settled, but its outcome is not known yet.
    expect(pendingSearch()?.q).toBe('retry');
    expect(sent()).toEqual([]);
    await s.opened();
    await s.opened();
    expect(sent()).toEqual([['retry', true]]);
    expect(s.recorded).toBe(true);
  });

  it('logs a query that found nothing once the reader pauses, not before', async () => {
    search.mockImplementation(async (p: { q: string }) => result(p.q, 0));
    glossaryLookup.mockResolvedValue({ jargon: [], plain: [] });
    const s = new SearchState();
    s.run({ q: 'zzqx' });
    await vi.advanceTimersByTimeAsync(SETTLE_AFTER_MS - 100);
    expect(sent()).toEqual([]);
    s.run({ q: 'zzqxy' });
    await vi.advanceTimersByTimeAsync(SETTLE_AFTER_MS + 10);
    expect(sent()).toEqual([['zzqxy', false]]);
    expect(s.recorded).toBe(true);
  });

  it('a settled query left unopened is unanswered: searched again, opened too late, or left', async () => {
    search.mockImplementation(async (p: { q: string }) => result(p.q, 7));
    const s = new SearchState();
    const settle = async (q: string) => {
      s.run({ q });
      await vi.advanceTimersByTimeAsync(SETTLE_AFTER_MS + 10);
    };
    await settle('power bi');
    // Typing on: "power bi" was not a search of its own.
    await settle('power bi licence');
    expect(sent()).toEqual([]);
    await settle('gateway setup');
    expect(sent()).toEqual([['power bi licence', false]]);
    await vi.advanceTimersByTimeAsync(OPEN_WITHIN_MS + 1);
    await s.opened();
    expect(sent()).toEqual([['power bi licence', false], ['gateway setup', false]]);

    await settle('dataverse quota');
    s.leave();
    expect(sent().at(-1)).toEqual(['dataverse quota', false]);
    // A query that led to a screen, not a page, is not logged.
    await settle('settings');
    s.forget();
    s.leave();
    expect(sent()).toHaveLength(3);
  });

  it('clears on an empty query', () => {
    const s = new SearchState();
    s.run({ q: '  ' });
    expect(s.status).toBe('idle');
    expect(search).not.toHaveBeenCalled();
  });
});
