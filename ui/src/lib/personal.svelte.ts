// Bookmarks and recently viewed documents, from the personal store (/api/bookmarks, /api/recent).
import { api } from '../api/client';
import type { BookmarkView, DocRef, RecentItem } from '../api/types';

export type Availability = 'loading' | 'ok' | 'error';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class Personal {
  bookmarks = $state<BookmarkView[]>([]);
  bookmarksState = $state<Availability>('loading');
  recent = $state<RecentItem[]>([]);
  recentState = $state<Availability>('loading');
  error = $state<string | null>(null);

  async loadBookmarks(): Promise<void> {
    try {
      this.bookmarks = await api.bookmarks();
      this.bookmarksState = 'ok';
    } catch (e) {
      this.bookmarksState = 'error';
      this.error = message(e);
    }
  }

  async loadRecent(limit = 8): Promise<void> {
    try {
      this.recent = await api.recent(limit);
      this.recentState = 'ok';
    } catch (e) {
      this.recentState = 'error';
      this.error = message(e);
    }
  }

  isBookmarked(id: string): boolean {
    return this.bookmarks.some((b) => b.id === id);
  }

  async toggleBookmark(doc: DocRef): Promise<void> {
    const was = this.isBookmarked(doc.id);
    const before = this.bookmarks;
    // Optimistic, then the server's list.
    const mark: BookmarkView = { id: doc.id, doc: { id: doc.id, kind: doc.kind, title: doc.title }, created_at: new Date().toISOString() };
    this.bookmarks = was ? before.filter((b) => b.id !== doc.id) : [mark, ...before];
    try {
      if (was) await api.removeBookmark(doc.id);
      else await api.addBookmark(doc.id);
      this.error = null;
      await this.loadBookmarks();
    } catch (e) {
      this.bookmarks = before;
      this.error = message(e);
    }
  }

  /** Record a view; a failure only costs the recent list an entry. */
  async recordView(id: string): Promise<void> {
    try {
      await api.recordView(id);
    } catch {
      // not worth interrupting the reader for
    }
  }
}

export const personal = new Personal();
