// Bookmarks and recently viewed documents, from the personal store when the server has it.
import { api, ApiError } from '../api/client';
import type { Bookmark, RecentView } from '../api/types';

export type Availability = 'loading' | 'ok' | 'missing' | 'error';

function availability(e: unknown): Availability {
  return e instanceof ApiError && e.missingEndpoint ? 'missing' : 'error';
}

class Personal {
  bookmarks = $state<Bookmark[]>([]);
  bookmarksState = $state<Availability>('loading');
  recent = $state<RecentView[]>([]);
  recentState = $state<Availability>('loading');
  error = $state<string | null>(null);

  async loadBookmarks(): Promise<void> {
    try {
      const seen = new Set<string>();
      this.bookmarks = (await api.bookmarks()).filter((b) => !seen.has(b.id) && seen.add(b.id));
      this.bookmarksState = 'ok';
    } catch (e) {
      this.bookmarksState = availability(e);
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  async loadRecent(): Promise<void> {
    try {
      // Newest first, each document once (keyed lists refuse duplicates).
      const seen = new Set<string>();
      this.recent = (await api.recent()).filter((r) => !seen.has(r.id) && seen.add(r.id));
      this.recentState = 'ok';
    } catch (e) {
      this.recentState = availability(e);
    }
  }

  isBookmarked(id: string): boolean {
    return this.bookmarks.some((b) => b.id === id);
  }

  async toggleBookmark(doc: { id: string; title: string; kind: Bookmark['kind'] }): Promise<void> {
    const was = this.isBookmarked(doc.id);
    // Optimistic, then the server's list.
    this.bookmarks = was ? this.bookmarks.filter((b) => b.id !== doc.id) : [...this.bookmarks, { ...doc }];
    try {
      if (was) await api.removeBookmark(doc.id);
      else await api.addBookmark(doc.id);
      this.error = null;
      await this.loadBookmarks();
    } catch (e) {
      this.bookmarks = was ? [...this.bookmarks, { ...doc }] : this.bookmarks.filter((b) => b.id !== doc.id);
      this.error = e instanceof Error ? e.message : String(e);
      if (e instanceof ApiError && e.missingEndpoint) this.bookmarksState = 'missing';
    }
  }

  /** Record a view; silently skipped while the endpoint does not exist. */
  async recordView(id: string): Promise<void> {
    if (this.recentState === 'missing') return;
    try {
      await api.recordView(id);
    } catch (e) {
      if (e instanceof ApiError && e.missingEndpoint) this.recentState = 'missing';
    }
  }
}

export const personal = new Personal();
