// Search as you type, with no fixed delay: a keystroke is sent at once when no search is in
// flight; keystrokes typed while one is in flight leave only the newest query waiting, sent when
// that answer arrives (and the stale answer is not shown). So each keystroke waits for at most the
// search before it, and a slow backend never has more than one search per box queued. Answers are
// applied in one assignment so they paint in the next frame. (A 60 ms debounce used to hold every
// keystroke for 60 ms; a search at 10,000 documents takes a few ms.)
//
// The search log (what the content-gap report is made of) holds searches people settled on, not
// every prefix they typed, with what they did next, so that weak results show up and not only
// empty ones (#12 §3). A query is *settled* when its results have stayed on screen for
// SETTLE_AFTER_MS without typing (or when a result is opened). Its outcome is then sent once
// (POST /api/search/settled) when it is known:
// - nothing found: at once (unanswered);
// - a result opened within OPEN_WITHIN_MS of settling: answered (`opened: true`);
// - another query settled, or the person left (the search screen, the palette, the page) without
//   opening one in time: a settled search without a click (`opened: false`, unanswered).
// A query that only continues the settled one ("power" → "power bi") was still being typed: the
// shorter one is dropped. Nothing sent says who searched. The same query is logged at most once
// per RECORD_AGAIN_AFTER_MS.
import { api, isAbort } from '../api/client';
import type { GlossaryLookup, SearchParams, SearchResponse } from '../api/types';

export const SETTLE_AFTER_MS = 1200;
export const OPEN_WITHIN_MS = 30_000;
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

/** Log a settled query's outcome (once); never aborted, so it survives navigating away. */
async function send(p: SearchQuery, opened: boolean): Promise<void> {
  if (!p.q.trim() || wasRecorded(p)) return;
  const key = keyOf(p);
  logged[key] = Date.now();
  try {
    await api.recordSettledSearch({ q: p.q, kind: p.kind, tag: p.tag, audience: p.audience, opened });
  } catch {
    delete logged[key];
  }
}

/** The settled search whose outcome is not known yet: one person, one at a time. */
let pending: { query: SearchQuery; key: string; at: number } | null = null;

/** The settled query with results whose outcome is still open, if any (for tests and screens). */
export function pendingSearch(): SearchQuery | null {
  return pending?.query ?? null;
}

const continues = (next: SearchQuery, prev: SearchQuery) =>
  next.q.trim().toLowerCase().startsWith(prev.q.trim().toLowerCase());

/** The person stopped at `p`, which found `total` results. */
export function settleQuery(p: SearchQuery, total: number): void {
  const key = keyOf(p);
  if (!p.q.trim() || pending?.key === key) return;
  if (pending && !continues(p, pending.query)) void send(pending.query, false);
  pending = null;
  if (total === 0) void send(p, false);
  else pending = { query: p, key, at: Date.now() };
}

/** A result of `p` was opened: it answered `p` if `p` settled less than OPEN_WITHIN_MS ago (or had not settled yet). */
export function openedResult(p: SearchQuery): Promise<void> {
  const key = keyOf(p);
  const was = pending;
  pending = null;
  if (was?.key === key) return send(p, Date.now() - was.at <= OPEN_WITHIN_MS);
  if (was) void send(was.query, false);
  return send(p, true);
}

/** The person left searching (closed the palette, left the search screen or the page): a
 * settled search still open was one without a click. `only`: leave only if it is this query. */
export function leftSearch(only?: SearchQuery): void {
  if (!pending || (only && pending.key !== keyOf(only))) return;
  const was = pending;
  pending = null;
  void send(was.query, false);
}

/** Forget the open settled search without logging it (the person chose a screen instead).
 * `only`: forget it only if it is this query. */
export function forgetSettled(only?: SearchQuery): void {
  if (pending && (!only || pending.key === keyOf(only))) pending = null;
}

if (typeof window !== 'undefined') window.addEventListener('pagehide', () => leftSearch());

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

  /** A result of the query on screen is being opened. */
  opened(): Promise<void> {
    clearTimeout(this.#recordTimer);
    return openedResult(this.query);
  }

  /** The person settled on the query on screen at once (asked for all its results). */
  settle(): void {
    clearTimeout(this.#recordTimer);
    if (this.results) settleQuery(this.query, this.results.total);
  }

  /** The query on screen led to a screen rather than a page: its outcome is not logged. */
  forget(): void {
    clearTimeout(this.#recordTimer);
    forgetSettled(this.query);
  }

  /** The person left this search (the screen or the palette closed). */
  leave(): void {
    clearTimeout(this.#recordTimer);
    leftSearch(this.query);
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
      }
      // Results on screen and the reader has stopped typing: the query is settled.
      this.#recordTimer = setTimeout(() => settleQuery(params, res.total), SETTLE_AFTER_MS);
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
