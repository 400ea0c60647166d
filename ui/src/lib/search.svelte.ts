// Search as you type: debounced (~60 ms), stale requests aborted, answers applied in one
// assignment so they paint in the next frame.
//
// The search log (what the content-gap report is made of) must only hold queries people settled
// on, not every prefix they typed: `record=true` is sent by `recordSearch` when a query is
// submitted with Enter, when a result is opened, and when a query that found nothing has been
// left on screen for a pause (RECORD_EMPTY_AFTER_MS). The same query is logged at most once per
// RECORD_AGAIN_AFTER_MS.
import { api, isAbort } from '../api/client';
import type { GlossaryLookup, SearchParams, SearchResponse } from '../api/types';

export const DEBOUNCE_MS = 60;
export const RECORD_EMPTY_AFTER_MS = 1200;
export const RECORD_AGAIN_AFTER_MS = 10 * 60 * 1000;

export type SearchStatus = 'idle' | 'loading' | 'done' | 'error';
export type SearchQuery = Omit<SearchParams, 'record' | 'limit'> & { q: string };

function keyOf(p: SearchQuery): string {
  return JSON.stringify([p.q.trim(), p.kind ?? '', p.tag ?? '', p.audience ?? '']);
}

/** When each settled query was logged (ms since the epoch), by `keyOf`. */
const logged = $state<Record<string, number>>({});

export function wasRecorded(p: SearchQuery): boolean {
  const at = logged[keyOf(p)];
  return at !== undefined && Date.now() - at < RECORD_AGAIN_AFTER_MS;
}

/** Log a settled query (once); never aborted, so it survives navigating away. */
export async function recordSearch(p: SearchQuery): Promise<void> {
  if (!p.q.trim() || wasRecorded(p)) return;
  const key = keyOf(p);
  logged[key] = Date.now();
  try {
    await api.search({ ...p, limit: 1, record: true });
  } catch {
    delete logged[key];
  }
}

export class SearchState {
  results = $state<SearchResponse | null>(null);
  status = $state<SearchStatus>('idle');
  error = $state<string | null>(null);
  /** For an empty result: glossary terms the query mentions or means. */
  lookup = $state<GlossaryLookup | null>(null);
  /** The query whose results are shown (or being fetched). */
  query = $state<SearchQuery>({ q: '' });

  #timer: ReturnType<typeof setTimeout> | undefined;
  #recordTimer: ReturnType<typeof setTimeout> | undefined;
  #ctrl: AbortController | null = null;
  #last = '';

  constructor(private readonly limit = 20) {}

  /** Has the query on screen been written to the search log? */
  get recorded(): boolean {
    return wasRecorded(this.query);
  }

  /** Ask for `params` after the debounce; a newer call cancels this one. */
  run(params: SearchQuery, immediate = false): void {
    const key = keyOf(params);
    if (key === this.#last && this.status !== 'error') return;
    this.#last = key;
    clearTimeout(this.#timer);
    clearTimeout(this.#recordTimer);
    this.#ctrl?.abort();
    this.query = params;
    if (!params.q.trim()) {
      this.results = null;
      this.lookup = null;
      this.status = 'idle';
      return;
    }
    this.status = 'loading';
    const go = () => void this.#fetch(params);
    if (immediate) go();
    else this.#timer = setTimeout(go, DEBOUNCE_MS);
  }

  /** The person settled on the query on screen (Enter, or opening a result): log it. */
  settle(): Promise<void> {
    clearTimeout(this.#recordTimer);
    return recordSearch(this.query);
  }

  async #fetch(params: SearchQuery): Promise<void> {
    const ctrl = new AbortController();
    this.#ctrl = ctrl;
    try {
      const res = await api.search({ limit: this.limit, ...params }, ctrl.signal);
      if (ctrl.signal.aborted) return;
      let lookup: GlossaryLookup | null = null;
      if (res.total === 0) {
        try {
          lookup = await api.glossaryLookup(params.q, ctrl.signal);
        } catch (e) {
          if (isAbort(e)) return;
        }
        if (ctrl.signal.aborted) return;
        // Nothing found and the reader has stopped typing: that is a gap worth reporting.
        this.#recordTimer = setTimeout(() => void recordSearch(params), RECORD_EMPTY_AFTER_MS);
      }
      this.results = res;
      this.lookup = lookup;
      this.error = null;
      this.status = 'done';
    } catch (e) {
      if (isAbort(e)) return;
      this.results = null;
      this.status = 'error';
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  cancel(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#recordTimer);
    this.#ctrl?.abort();
    this.#last = '';
  }
}
