// Search as you type, with no fixed delay: a keystroke is sent at once when no search is in
// flight; keystrokes typed while one is in flight leave only the newest query waiting, sent when
// that answer arrives (and the stale answer is not shown). So each keystroke waits for at most the
// search before it, and a slow backend never has more than one search per box queued. Answers are
// applied in one assignment so they paint in the next frame. (A 60 ms debounce used to hold every
// keystroke for 60 ms; a search at 10,000 documents takes a few ms.)
//
// The search log (what the content-gap report is made of) must only hold queries people settled
// on, not every prefix they typed: `record=true` is sent by `recordSearch` when a query is
// submitted with Enter, when a result is opened, and when a query that found nothing has been
// left on screen for a pause (RECORD_EMPTY_AFTER_MS). The same query is logged at most once per
// RECORD_AGAIN_AFTER_MS.
import { api, isAbort } from '../api/client';
import type { GlossaryLookup, SearchParams, SearchResponse } from '../api/types';

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

/**
 * Each document once, in rank order. The core returns a document once, but a repeated id must
 * never reach a keyed list: Svelte throws `each_key_duplicate` and the screen stops updating
 * (#12: a page indexed twice broke the search screen).
 */
export function uniqueHits<T extends { id: string }>(hits: T[]): T[] {
  const seen = new Set<string>();
  return hits.filter((h) => !seen.has(h.id) && (seen.add(h.id), true));
}

export class SearchState {
  results = $state<SearchResponse | null>(null);
  status = $state<SearchStatus>('idle');
  error = $state<string | null>(null);
  /** For an empty result: glossary terms the query mentions or means. */
  lookup = $state<GlossaryLookup | null>(null);
  /** The query whose results are shown (or being fetched). */
  query = $state<SearchQuery>({ q: '' });

  #recordTimer: ReturnType<typeof setTimeout> | undefined;
  /** The search in flight. */
  #ctrl: AbortController | null = null;
  /** The newest query, typed while a search was in flight. */
  #pending: SearchQuery | null = null;
  #last = '';

  constructor(private readonly limit = 20) {}

  /** Has the query on screen been written to the search log? */
  get recorded(): boolean {
    return wasRecorded(this.query);
  }

  /** Ask for `params`: now, or when the search in flight answers (a newer call replaces it). */
  run(params: SearchQuery): void {
    const key = keyOf(params);
    if (key === this.#last && this.status !== 'error') return;
    this.#last = key;
    clearTimeout(this.#recordTimer);
    this.query = params;
    if (!params.q.trim()) {
      this.#stop();
      this.results = null;
      this.lookup = null;
      this.status = 'idle';
      return;
    }
    this.status = 'loading';
    if (this.#ctrl) this.#pending = params;
    else void this.#fetch(params);
  }

  /** The person settled on the query on screen (Enter, or opening a result): log it. */
  settle(): Promise<void> {
    clearTimeout(this.#recordTimer);
    return recordSearch(this.query);
  }

  async #fetch(params: SearchQuery): Promise<void> {
    const ctrl = new AbortController();
    this.#ctrl = ctrl;
    // A newer query is waiting: this answer is stale, and the next one is sent instead.
    const stale = () => ctrl.signal.aborted || this.#pending !== null;
    try {
      const res = await api.search({ limit: this.limit, ...params }, ctrl.signal);
      if (stale()) return;
      let lookup: GlossaryLookup | null = null;
      if (res.total === 0) {
        try {
          lookup = await api.glossaryLookup(params.q, ctrl.signal);
        } catch (e) {
          if (isAbort(e)) return;
        }
        if (stale()) return;
        // Nothing found and the reader has stopped typing: that is a gap worth reporting.
        this.#recordTimer = setTimeout(() => void recordSearch(params), RECORD_EMPTY_AFTER_MS);
      }
      const hits = uniqueHits(res.hits);
      this.results = hits.length === res.hits.length ? res : { ...res, hits };
      this.lookup = lookup;
      this.error = null;
      this.status = 'done';
    } catch (e) {
      if (isAbort(e) || stale()) return;
      this.results = null;
      this.status = 'error';
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (this.#ctrl === ctrl) {
        this.#ctrl = null;
        const next = this.#pending;
        this.#pending = null;
        if (next) void this.#fetch(next);
      }
    }
  }

  /** Abort the search in flight and forget the one waiting. */
  #stop(): void {
    this.#pending = null;
    this.#ctrl?.abort();
    this.#ctrl = null;
  }

  cancel(): void {
    clearTimeout(this.#recordTimer);
    this.#stop();
    this.#last = '';
  }
}
