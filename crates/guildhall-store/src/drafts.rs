//! Drafts of the editor: documents being written before they are proposed for review.

use rusqlite::{OptionalExtension, params};

use crate::{InputProblem, MAX_TEXT_BYTES, Store, StoreError, Timestamp, check_text, ts};

/// The largest draft the store accepts (the content loader's file limit).
pub const MAX_DRAFT_BYTES: usize = 2 * 1024 * 1024;

/// A stored draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Assigned by the store, never reused.
    pub id: i64,
    /// The file it will become, relative to the hub folder.
    pub path: String,
    /// The published document it edits, if any.
    pub doc: Option<String>,
    /// The proposal it revises, if any.
    pub revise: Option<String>,
    /// The proposal title and reason.
    pub title: String,
    pub reason: String,
    /// The whole file: front matter and Markdown.
    pub content: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a draft starts as.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewDraft {
    pub path: String,
    pub doc: Option<String>,
    pub revise: Option<String>,
    pub title: String,
    pub reason: String,
    pub content: String,
}

const COLUMNS: &str = "id, path, doc, revise, title, reason, content, created_at, updated_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Draft> {
    Ok(Draft {
        id: r.get(0)?,
        path: r.get(1)?,
        doc: r.get(2)?,
        revise: r.get(3)?,
        title: r.get(4)?,
        reason: r.get(5)?,
        content: r.get(6)?,
        created_at: ts(r, 7)?,
        updated_at: ts(r, 8)?,
    })
}

fn check_draft(path: &str, title: &str, reason: &str, content: &str) -> Result<(), StoreError> {
    check_text("draft path", path, MAX_TEXT_BYTES, false)?;
    check_text("draft title", title, MAX_TEXT_BYTES, true)?;
    if reason.len() > MAX_TEXT_BYTES * 4 {
        return Err(StoreError::InvalidInput {
            field: "draft reason",
            problem: InputProblem::TooLong { max: MAX_TEXT_BYTES * 4 },
        });
    }
    if content.len() > MAX_DRAFT_BYTES {
        return Err(StoreError::InvalidInput {
            field: "draft content",
            problem: InputProblem::TooLong { max: MAX_DRAFT_BYTES },
        });
    }
    Ok(())
}

impl Store {
    /// Stores a new draft; it is durable when this returns.
    pub fn create_draft(&mut self, new: &NewDraft) -> Result<Draft, StoreError> {
        check_draft(&new.path, &new.title, &new.reason, &new.content)?;
        let now = self.now().as_millis();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO drafts (path, doc, revise, title, reason, content, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![new.path, new.doc, new.revise, new.title, new.reason, new.content, now],
            )?;
            let id = tx.last_insert_rowid();
            Ok(tx.query_row(&format!("SELECT {COLUMNS} FROM drafts WHERE id = ?1"), [id], row)?)
        })
    }

    /// Replaces a draft's path, title, reason and content (an autosave); durable when this
    /// returns. `None` when there is no such draft.
    pub fn save_draft(
        &mut self,
        id: i64,
        path: &str,
        title: &str,
        reason: &str,
        content: &str,
    ) -> Result<Option<Draft>, StoreError> {
        check_draft(path, title, reason, content)?;
        let now = self.now().as_millis();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE drafts SET path = ?2, title = ?3, reason = ?4, content = ?5,
                     updated_at = max(?6, updated_at) WHERE id = ?1",
                params![id, path, title, reason, content, now],
            )?;
            if n == 0 {
                return Ok(None);
            }
            Ok(Some(tx.query_row(&format!("SELECT {COLUMNS} FROM drafts WHERE id = ?1"), [id], row)?))
        })
    }

    /// One draft.
    pub fn draft(&self, id: i64) -> Result<Option<Draft>, StoreError> {
        Ok(self.conn.query_row(&format!("SELECT {COLUMNS} FROM drafts WHERE id = ?1"), [id], row).optional()?)
    }

    /// Every draft, most recently saved first.
    pub fn drafts(&self) -> Result<Vec<Draft>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("SELECT {COLUMNS} FROM drafts ORDER BY updated_at DESC, id DESC"))?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Deletes a draft; returns whether there was one.
    pub fn delete_draft(&mut self, id: i64) -> Result<bool, StoreError> {
        self.write(|tx| Ok(tx.execute("DELETE FROM drafts WHERE id = ?1", [id])? == 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreOptions;

    /// A clock that moves one second per reading, so that "newest first" is decided by time.
    fn stepping() -> Timestamp {
        static NOW: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1_700_000_000_000);
        Timestamp::from_millis(NOW.fetch_add(1000, std::sync::atomic::Ordering::SeqCst))
    }

    #[test]
    fn drafts_are_created_saved_listed_and_deleted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("s.sqlite3");
        let mut store = Store::open(&file, &StoreOptions::default().with_clock(stepping)).expect("open");
        let a = store
            .create_draft(&NewDraft {
                path: "patterns/a.md".into(),
                content: "---\ntitle: A\n---\n".into(),
                ..NewDraft::default()
            })
            .expect("create");
        let b = store
            .create_draft(&NewDraft {
                path: "glossary/b.md".into(),
                doc: Some("b".into()),
                revise: Some("7".into()),
                ..NewDraft::default()
            })
            .expect("create");
        assert_ne!(a.id, b.id);
        let saved =
            store.save_draft(a.id, "patterns/a2.md", "Add A", "why", "new text").expect("save").expect("exists");
        assert_eq!(
            (saved.path.as_str(), saved.content.as_str(), saved.created_at),
            ("patterns/a2.md", "new text", a.created_at)
        );
        assert_eq!(store.drafts().expect("list")[0].id, a.id, "the last saved comes first");
        assert_eq!(store.draft(b.id).expect("get").expect("b").revise.as_deref(), Some("7"));
        assert_eq!(store.save_draft(999, "x.md", "", "", "").expect("save"), None);
        assert!(matches!(
            store.save_draft(a.id, "", "", "", ""),
            Err(StoreError::InvalidInput { field: "draft path", .. })
        ));
        assert!(store.delete_draft(a.id).expect("delete"));
        assert!(!store.delete_draft(a.id).expect("delete"));
        drop(store);
        // A reopened store still has what was acknowledged.
        let store = Store::open(&file, &StoreOptions::default()).expect("reopen");
        assert_eq!(store.drafts().expect("list").iter().map(|d| d.id).collect::<Vec<_>>(), [b.id]);
    }

    #[test]
    fn oversized_drafts_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(&dir.path().join("s.sqlite3"), &StoreOptions::default()).expect("open");
        let big = "x".repeat(MAX_DRAFT_BYTES + 1);
        let err = store
            .create_draft(&NewDraft { path: "a.md".into(), content: big, ..NewDraft::default() })
            .expect_err("too big");
        assert!(matches!(err, StoreError::InvalidInput { field: "draft content", .. }), "{err}");
    }
}
