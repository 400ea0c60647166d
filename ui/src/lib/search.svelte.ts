// Search as you type: debounced (~60 ms), stale requests aborted, answers applied in one
// assignment so they paint in the next frame.
import { api, ApiError, isAbort } from '../api/client';
import type { GlossaryLookup, SearchParams, SearchResults } from '../api/types';

export const DEBOUNCE_MS = 60;

export type SearchStatus = 'idle' | 'loading' | 'done' | 'error' | 'missing';

export class SearchState {
  results = $state<SearchResults | null>(null);
  status = $state<SearchStatus>('idle');
  error = $state<string | null>(null);
  /** For an empty result: glossary terms the query mentions or means. */
  lookup = $state<GlossaryLookup | null>(null);

  #timer: ReturnType<typeof setTimeout> | undefined;
  #ctrl: AbortController | null = null;
  #last = '';

  constructor(private readonly limit = 20) {}

  /** Ask for `params` after the debounce; a newer call cancels this one. */
  run(params: SearchParams, immediate = false): void {
    const key = JSON.stringify(params);
    if (key === this.#last && this.status !== 'error') return;
    this.#last = key;
    clearTimeout(this.#timer);
    this.#ctrl?.abort();
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

  async #fetch(params: SearchParams): Promise<void> {
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
      }
      this.results = res;
      this.lookup = lookup;
      this.error = null;
      this.status = 'done';
    } catch (e) {
      if (isAbort(e)) return;
      this.results = null;
      if (e instanceof ApiError && e.missingEndpoint) {
        this.status = 'missing';
        this.error = null;
      } else {
        this.status = 'error';
        this.error = e instanceof Error ? e.message : String(e);
      }
    }
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#ctrl?.abort();
    this.#last = '';
  }
}
