// The person's profile, from /api/profile. Applies the theme to <html data-theme> (an attribute,
// so the strict CSP is unaffected). Only the theme is also kept in localStorage, so the next start
// paints in the right colours before the profile has arrived.
import { api } from '../api/client';
import type { GlossaryView, Profile, Theme } from '../api/types';

const THEME_KEY = 'guildhall.theme';

export const DEFAULT_PROFILE: Profile = {
  display_name: '',
  role: null,
  glossary_view: 'plain',
  theme: 'system',
  language: null,
};

function cachedTheme(): Theme {
  try {
    const t = localStorage.getItem(THEME_KEY);
    if (t === 'light' || t === 'dark' || t === 'system') return t;
  } catch {
    // private mode: the default
  }
  return 'system';
}

function cacheTheme(t: Theme): void {
  try {
    localStorage.setItem(THEME_KEY, t);
  } catch {
    // ignore: the theme then follows the profile once it loads
  }
}

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class Prefs {
  profile = $state<Profile>({ ...DEFAULT_PROFILE, theme: cachedTheme() });
  /** 'ready' once /api/profile answered. */
  status = $state<'loading' | 'ready' | 'error'>('loading');
  error = $state<string | null>(null);
  #saving: Promise<unknown> = Promise.resolve();
  #gen = 0;

  async load(): Promise<void> {
    applyTheme(this.profile.theme);
    try {
      this.profile = await api.profile();
      this.status = 'ready';
      this.error = null;
    } catch (e) {
      this.status = 'error';
      this.error = message(e);
    }
    applyTheme(this.profile.theme);
    cacheTheme(this.profile.theme);
  }

  /** Apply a change at once, then save the profile; saves run one after another. */
  update(patch: Partial<Profile>): Promise<boolean> {
    const next = { ...this.profile, ...patch };
    this.profile = next;
    applyTheme(next.theme);
    cacheTheme(next.theme);
    const gen = ++this.#gen;
    const run = this.#saving.then(async () => {
      try {
        const saved = await api.saveProfile(next);
        // Only the newest change may replace what is on screen with the server's answer.
        if (gen === this.#gen) this.profile = saved;
        this.error = null;
        this.status = 'ready';
        return true;
      } catch (e) {
        this.error = message(e);
        return false;
      }
    });
    this.#saving = run;
    return run;
  }

  setGlossaryView(v: GlossaryView): Promise<boolean> {
    return this.update({ glossary_view: v });
  }
}

export const prefs = new Prefs();
