// Scroll positions per history entry, so Back (and Forward) return to where the reader was.
// Each entry is tagged with a number in `history.state` the first time it is shown; an entry that
// already has one is being revisited, and gets its saved position back. New entries start at the top.

export interface HistoryLike {
  readonly state: unknown;
  replaceState(data: unknown, unused: string, url?: string | URL | null): void;
}

type Tagged = { guildhallEntry?: number };

export class ScrollMemory {
  #positions = new Map<number, number>();
  #next = 1;
  #current = 0;
  constructor(private readonly history: HistoryLike) {
    this.#current = this.#tag();
  }

  #tag(): number {
    const state = (this.history.state ?? {}) as Tagged;
    if (typeof state.guildhallEntry === 'number') {
      this.#next = Math.max(this.#next, state.guildhallEntry + 1);
      return state.guildhallEntry;
    }
    const n = this.#next++;
    this.history.replaceState({ ...(typeof this.history.state === 'object' ? this.history.state : {}), guildhallEntry: n }, '');
    return n;
  }

  /** The reader scrolled the current entry to `y`. */
  save(y: number): void {
    this.#positions.set(this.#current, y);
  }

  /** A new screen is shown: where to scroll (the saved position on a revisit, else the top). */
  arrive(): number {
    this.#current = this.#tag();
    return this.#positions.get(this.#current) ?? 0;
  }
}

/**
 * Scrolls to `y` once the page is tall enough (screens load their content after they appear),
 * giving up after `ms` or as soon as the reader scrolls, clicks or types.
 */
export function scrollWhenReady(y: number, ms = 2000): void {
  window.scrollTo(0, y);
  if (y === 0) return;
  const until = performance.now() + ms;
  let stopped = false;
  const stop = () => (stopped = true);
  const events = ['wheel', 'touchstart', 'keydown', 'mousedown'] as const;
  for (const e of events) window.addEventListener(e, stop, { once: true, passive: true });
  const step = () => {
    if (stopped || performance.now() > until) return cleanup();
    if (document.documentElement.scrollHeight - window.innerHeight >= y) {
      window.scrollTo(0, y);
      return cleanup();
    }
    requestAnimationFrame(step);
  };
  const cleanup = () => {
    for (const e of events) window.removeEventListener(e, stop);
  };
  requestAnimationFrame(step);
}
