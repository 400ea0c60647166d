//! Bookmarks, personal notes and recently viewed documents.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::{MAX_NOTE_BYTES, Store, StoreError, Timestamp, check_id, ts};

/// How many recently viewed documents are kept; older views are forgotten on the next view.
pub const RECENT_VIEWS_KEPT: usize = 200;

/// A bookmarked document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bookmark {
    /// The document id.
    pub doc_id: String,
    /// When it was bookmarked.
    pub created_at: Timestamp,
}

/// A personal note on a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    /// The document id.
    pub doc_id: String,
    /// The note, Markdown text as the person wrote it (the store never renders it).
    pub body: String,
    /// When it was last saved.
    pub updated_at: Timestamp,
}

/// A recently viewed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecentView {
    /// The document id.
    pub doc_id: String,
    /// When it was last viewed.
    pub last_viewed: Timestamp,
    /// How many times it was viewed while in the recent list.
    pub view_count: u64,
}

/// Deletes all but the [`RECENT_VIEWS_KEPT`] most recent views.
pub(crate) fn trim_recent(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM recent_views WHERE doc_id NOT IN
             (SELECT doc_id FROM recent_views ORDER BY last_viewed DESC, doc_id LIMIT ?1)",
        [RECENT_VIEWS_KEPT as i64],
    )?;
    Ok(())
}

impl Store {
    /// Bookmarks a document; returns whether it was newly bookmarked.
    pub fn add_bookmark(&mut self, doc_id: &str) -> Result<bool, StoreError> {
        check_id("document id", doc_id)?;
        let now = self.now().as_millis();
        self.write(|tx| {
            let n = tx.execute(
                "INSERT INTO bookmarks (doc_id, created_at) VALUES (?1, ?2) ON CONFLICT (doc_id) DO NOTHING",
                params![doc_id, now],
            )?;
            Ok(n == 1)
        })
    }

    /// Removes a bookmark; returns whether there was one.
    pub fn remove_bookmark(&mut self, doc_id: &str) -> Result<bool, StoreError> {
        self.write(|tx| Ok(tx.execute("DELETE FROM bookmarks WHERE doc_id = ?1", [doc_id])? == 1))
    }

    /// Whether a document is bookmarked.
    pub fn is_bookmarked(&self, doc_id: &str) -> Result<bool, StoreError> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM bookmarks WHERE doc_id = ?1)", [doc_id], |r| r.get(0))?)
    }

    /// Every bookmark, newest first.
    pub fn bookmarks(&self) -> Result<Vec<Bookmark>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT doc_id, created_at FROM bookmarks ORDER BY created_at DESC, doc_id")?;
        let rows = stmt.query_map([], |r| Ok(Bookmark { doc_id: r.get(0)?, created_at: ts(r, 1)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Saves the person's note on a document, replacing the previous one. A note that is empty
    /// or only whitespace deletes it.
    pub fn set_note(&mut self, doc_id: &str, body: &str) -> Result<(), StoreError> {
        check_id("document id", doc_id)?;
        if body.len() > MAX_NOTE_BYTES {
            return Err(StoreError::InvalidInput {
                field: "note",
                problem: crate::InputProblem::TooLong { max: MAX_NOTE_BYTES },
            });
        }
        if body.trim().is_empty() {
            return self.delete_note(doc_id).map(drop);
        }
        let now = self.now().as_millis();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO notes (doc_id, body, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (doc_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                params![doc_id, body, now],
            )?;
            Ok(())
        })
    }

    /// Deletes the note on a document; returns whether there was one.
    pub fn delete_note(&mut self, doc_id: &str) -> Result<bool, StoreError> {
        self.write(|tx| Ok(tx.execute("DELETE FROM notes WHERE doc_id = ?1", [doc_id])? == 1))
    }

    /// The note on a document, if any.
    pub fn note(&self, doc_id: &str) -> Result<Option<Note>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT doc_id, body, updated_at FROM notes WHERE doc_id = ?1", [doc_id], |r| {
                Ok(Note { doc_id: r.get(0)?, body: r.get(1)?, updated_at: ts(r, 2)? })
            })
            .optional()?)
    }

    /// Every note, most recently saved first.
    pub fn notes(&self) -> Result<Vec<Note>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT doc_id, body, updated_at FROM notes ORDER BY updated_at DESC, doc_id")?;
        let rows = stmt.query_map([], |r| Ok(Note { doc_id: r.get(0)?, body: r.get(1)?, updated_at: ts(r, 2)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records that a document was viewed now. Keeps only the [`RECENT_VIEWS_KEPT`] most recent.
    pub fn record_view(&mut self, doc_id: &str) -> Result<(), StoreError> {
        check_id("document id", doc_id)?;
        let now = self.now().as_millis();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO recent_views (doc_id, last_viewed, view_count) VALUES (?1, ?2, 1)
                 ON CONFLICT (doc_id) DO UPDATE SET last_viewed = max(last_viewed, excluded.last_viewed),
                     view_count = view_count + 1",
                params![doc_id, now],
            )?;
            trim_recent(tx)
        })
    }

    /// The `limit` most recently viewed documents, most recent first.
    pub fn recent_views(&self, limit: usize) -> Result<Vec<RecentView>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT doc_id, last_viewed, view_count FROM recent_views ORDER BY last_viewed DESC, doc_id LIMIT ?1",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map([limit], |r| {
            Ok(RecentView {
                doc_id: r.get(0)?,
                last_viewed: ts(r, 1)?,
                view_count: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Forgets every recently viewed document.
    pub fn clear_recent_views(&mut self) -> Result<(), StoreError> {
        self.write(|tx| Ok(tx.execute("DELETE FROM recent_views", []).map(drop)?))
    }
}
