// The reader's profile: from /api/profile when the server has it, else localStorage.
// Applies the theme to <html data-theme> (an attribute, so the strict CSP is unaffected).
import { api, ApiError } from '../api/client';
import type { GlossaryView, Profile, Theme } from '../api/types';

const KEY = 'guildhall.profile';

export const DEFAULT_PROFILE: Profile = {
  display_name: '',
  role: '',
  glossary_view: 'plain',
  theme: 'system',
  language: 'en-GB',
};

function readLocal(): Profile {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw) return { ...DEFAULT_PROFILE, ...(JSON.parse(raw) as Partial<Profile>) };
  } catch {
    // private mode or corrupt value: defaults
  }
  return { ...DEFAULT_PROFILE };
}

function writeLocal(p: Profile): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    // ignore: preferences simply do not persist
  }
}

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
}

class Prefs {
  profile = $state<Profile>(readLocal());
  /** 'server' once /api/profile answered; 'local' while the endpoint does not exist. */
  source = $state<'loading' | 'server' | 'local'>('loading');
  error = $state<string | null>(null);

  async load(): Promise<void> {
    applyTheme(this.profile.theme);
    try {
      const p = await api.profile();
      this.profile = { ...DEFAULT_PROFILE, ...p };
      this.source = 'server';
      writeLocal(this.profile);
    } catch (e) {
      this.source = 'local';
      if (!(e instanceof ApiError && e.missingEndpoint)) this.error = e instanceof Error ? e.message : String(e);
    }
    applyTheme(this.profile.theme);
  }

  async update(patch: Partial<Profile>): Promise<void> {
    const next = { ...this.profile, ...patch };
    this.profile = next;
    applyTheme(next.theme);
    writeLocal(next);
    if (this.source !== 'server') return;
    try {
      const saved = await api.saveProfile(next);
      this.profile = { ...DEFAULT_PROFILE, ...saved };
      this.error = null;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  setGlossaryView(v: GlossaryView): Promise<void> {
    return this.update({ glossary_view: v });
  }
}

export const prefs = new Prefs();
