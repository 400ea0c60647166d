// Team sync as the window shows it: where the hub stands with its remote (polled while the app is
// open, since the server also syncs in the background), and a sync now (the Sync button,
// Ctrl+Shift+S). A hub that is not shared shows nothing.
import { api, ApiError } from '../api/client';
import type { SyncOutcome, SyncView } from '../api/types';

/** How often the status is read again (local state only: cheap). */
export const POLL_MS = 30_000;

/** One line for the status area: what a person needs to know, in words. */
export function describe(view: SyncView, now: number = Date.now()): string {
  if (!view.shared) return '';
  if (view.running) return 'Syncing…';
  const parts: string[] = [];
  if (view.last_sync == null) parts.push('Not synced yet');
  else parts.push(`Synced ${age(view.last_sync, now)}`);
  if (view.outbox > 0) parts.push(`${view.outbox} ${view.outbox === 1 ? 'change' : 'changes'} waiting to sync`);
  return parts.join(' · ');
}

/** What a finished sync did, for the announcement after the button. */
export function summarise(o: SyncOutcome): string {
  if (o.error) return `Sync stopped: ${o.error.message}`;
  const parts: string[] = [];
  if (o.fast_forwarded) parts.push(o.files_changed === 1 ? '1 page updated' : `${o.files_changed} pages updated`);
  if (o.rescued) parts.push(`your local changes were kept on the branch ${o.rescued}`);
  if (o.pushed > 0) parts.push(`${o.pushed} ${o.pushed === 1 ? 'change' : 'changes'} sent`);
  if (o.needs_update.length > 0) parts.push(`${o.needs_update.length} proposal(s) need an update`);
  return parts.length ? `Synced: ${parts.join(', ')}.` : 'Synced: everything was up to date.';
}

function age(unixSecs: number, now: number): string {
  const secs = Math.max(0, now / 1000 - unixSecs);
  if (secs < 45) return 'just now';
  const min = Math.round(secs / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

class Sync {
  view = $state<SyncView | null>(null);
  /** What the last sync started here did (announced), or why it could not run. */
  message = $state('');
  busy = $state(false);
  #timer: ReturnType<typeof setInterval> | null = null;

  get shared(): boolean {
    return this.view?.shared ?? false;
  }

  async refresh(): Promise<void> {
    try {
      this.view = await api.syncStatus();
    } catch {
      // Status is a nicety: the app works without it (an older server, a hub still opening).
    }
  }

  /** Starts polling (idempotent). */
  start(): void {
    if (this.#timer) return;
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  async now(): Promise<void> {
    if (this.busy || !this.shared) return;
    this.busy = true;
    this.message = 'Syncing…';
    try {
      const outcome = await api.syncNow();
      this.view = outcome.status;
      this.message = summarise(outcome);
    } catch (e) {
      this.message = e instanceof ApiError ? `Sync could not run: ${e.message}` : 'Sync could not run.';
      await this.refresh();
    } finally {
      this.busy = false;
    }
  }
}

export const sync = new Sync();
