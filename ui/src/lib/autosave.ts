// Autosave for drafts: a small state machine, free of Svelte and of the API, so it can be tested
// with fake timers.
//
//   idle ──change──▶ pending ──(quiet for `delay`)──▶ saving ──ok──▶ saved
//                       ▲                              │
//                       └──────change while saving─────┤ (saved again once this save ends)
//                                                      └─fail─▶ retrying ──(backoff)──▶ saving
//                                                      └─permanent fail─▶ failed (until the next change or flush)
//
// `flush()` (Ctrl+S, blur, leaving the screen) saves at once and resolves when what was typed is
// stored, or rejects with the error. Only the newest value is ever sent; saves never overlap.

export type AutosaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'retrying' | 'failed';

export interface AutosaveState {
  status: AutosaveStatus;
  /** The last error, while retrying or failed. */
  error: unknown;
  /** Retries so far for the current value. */
  attempt: number;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface AutosaveOptions<T> {
  save: (value: T) => Promise<void>;
  /** Quiet time after the last change before saving (ms). */
  delay?: number;
  /** Waits between retries; the last one repeats. */
  retryDelays?: readonly number[];
  /** Errors no retry can fix (the draft was deleted, a refusal): stop and say so. */
  isPermanent?: (e: unknown) => boolean;
  onstate?: (s: AutosaveState) => void;
  timers?: Timers;
}

export const AUTOSAVE_DELAY_MS = 800;
export const RETRY_DELAYS_MS = [1000, 2000, 5000, 10000] as const;

export class Autosave<T> {
  #opts: Required<Omit<AutosaveOptions<T>, 'onstate'>> & Pick<AutosaveOptions<T>, 'onstate'>;
  #state: AutosaveState = { status: 'idle', error: null, attempt: 0 };
  /** The newest value not yet stored (undefined when everything is stored). */
  #unsaved: { value: T } | null = null;
  #timer: unknown = null;
  #inflight: Promise<void> | null = null;
  #waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  #disposed = false;

  constructor(opts: AutosaveOptions<T>) {
    this.#opts = {
      delay: AUTOSAVE_DELAY_MS,
      retryDelays: RETRY_DELAYS_MS,
      isPermanent: () => false,
      timers: realTimers,
      ...opts,
    };
  }

  get state(): AutosaveState {
    return this.#state;
  }

  /** Whether something typed is not stored yet. */
  get dirty(): boolean {
    return this.#unsaved !== null || this.#inflight !== null;
  }

  #set(patch: Partial<AutosaveState>): void {
    this.#state = { ...this.#state, ...patch };
    this.#opts.onstate?.(this.#state);
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#opts.timers.clear(this.#timer);
    this.#timer = null;
  }

  #schedule(ms: number): void {
    this.#clearTimer();
    this.#timer = this.#opts.timers.set(() => {
      this.#timer = null;
      void this.#run().catch(() => {});
    }, ms);
  }

  /** The text changed: save it after a quiet pause. */
  change(value: T): void {
    if (this.#disposed) return;
    this.#unsaved = { value };
    if (this.#inflight) {
      // Saved when the current save ends; the status keeps saying "Saving…".
      return;
    }
    this.#set({ status: 'pending', error: null, attempt: 0 });
    this.#schedule(this.#opts.delay);
  }

  /** Save now. Resolves once everything typed so far is stored; rejects with the error. */
  flush(): Promise<void> {
    if (this.#disposed) return Promise.resolve();
    if (!this.#unsaved && !this.#inflight) return Promise.resolve();
    const p = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#inflight) {
      this.#clearTimer();
      this.#set({ attempt: 0 });
      void this.#run().catch(() => {});
    }
    return p;
  }

  async #run(): Promise<void> {
    if (this.#inflight || !this.#unsaved || this.#disposed) return;
    const { value } = this.#unsaved;
    this.#unsaved = null;
    this.#set({ status: 'saving' });
    this.#inflight = this.#opts.save(value);
    try {
      await this.#inflight;
    } catch (e) {
      this.#inflight = null;
      if (this.#disposed) return;
      // Keep the value unless something newer was typed meanwhile.
      if (!this.#unsaved) this.#unsaved = { value };
      const waiters = this.#waiters.splice(0);
      for (const w of waiters) w.reject(e);
      if (this.#opts.isPermanent(e)) {
        this.#set({ status: 'failed', error: e });
        return;
      }
      const attempt = this.#state.attempt + 1;
      const delays = this.#opts.retryDelays;
      const wait = delays[Math.min(attempt - 1, delays.length - 1)] ?? this.#opts.delay;
      this.#set({ status: 'retrying', error: e, attempt });
      this.#schedule(wait);
      return;
    }
    this.#inflight = null;
    if (this.#disposed) return;
    if (this.#unsaved) {
      // Typed while saving: store that too, at once (the pause already happened while saving).
      await this.#run();
      return;
    }
    this.#set({ status: 'saved', error: null, attempt: 0 });
    const waiters = this.#waiters.splice(0);
    for (const w of waiters) w.resolve();
  }

  /** Forget pending timers (the screen is gone). Call `flush()` first to keep what was typed. */
  dispose(): void {
    this.#disposed = true;
    this.#clearTimer();
  }
}

/** The words shown next to the editor for each status. */
export function autosaveLabel(s: AutosaveState): string {
  switch (s.status) {
    case 'idle':
      return '';
    case 'pending':
      return 'Unsaved changes';
    case 'saving':
      return 'Saving…';
    case 'saved':
      return 'Saved';
    case 'retrying':
      return 'Not saved — retrying';
    case 'failed':
      return 'Not saved';
  }
}
