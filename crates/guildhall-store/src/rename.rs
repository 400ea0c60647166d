//! Moving personal data from a document's old id to its new one, when the content's ids change
//! (a folder without `guildhall.toml` used to give `guides/setup.md` the id `setup`; it now keeps
//! the folder, `guides/setup`). The store knows only ids: the caller says what moved where.

use rusqlite::params;

use crate::{Store, StoreError, check_id};

impl Store {
    /// Moves bookmarks, notes, recently viewed entries, path progress, self-check attempts,
    /// completions and drafts from each old id to its new one, in one transaction, and returns
    /// how many rows moved. Where the new id already has a row the two are merged, so nothing is
    /// dropped: a note keeps both texts, a view count is the sum, a bookmark the earlier date.
    /// Renaming ids that have no data is a no-op, so it is safe to run at every open.
    pub fn rename_document_ids(&mut self, renames: &[(&str, &str)]) -> Result<usize, StoreError> {
        for (old, new) in renames {
            check_id("document id", old)?;
            check_id("document id", new)?;
        }
        if renames.is_empty() {
            return Ok(0);
        }
        self.write(|tx| {
            // Path progress rows point at their run; both move within this transaction.
            tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            let mut moved = 0;
            for (old, new) in renames {
                moved += tx.execute(
                    "INSERT INTO bookmarks (doc_id, created_at) SELECT ?2, created_at FROM bookmarks WHERE doc_id = ?1
                     ON CONFLICT (doc_id) DO UPDATE SET created_at = min(bookmarks.created_at, excluded.created_at)",
                    params![old, new],
                )?;
                tx.execute("DELETE FROM bookmarks WHERE doc_id = ?1", [old])?;
                moved += tx.execute(
                    "INSERT INTO notes (doc_id, body, updated_at) SELECT ?2, body, updated_at FROM notes WHERE doc_id = ?1
                     ON CONFLICT (doc_id) DO UPDATE SET body = notes.body || char(10) || char(10) || excluded.body,
                        updated_at = max(notes.updated_at, excluded.updated_at)",
                    params![old, new],
                )?;
                tx.execute("DELETE FROM notes WHERE doc_id = ?1", [old])?;
                moved += tx.execute(
                    "INSERT INTO recent_views (doc_id, last_viewed, view_count)
                     SELECT ?2, last_viewed, view_count FROM recent_views WHERE doc_id = ?1
                     ON CONFLICT (doc_id) DO UPDATE SET last_viewed = max(recent_views.last_viewed, excluded.last_viewed),
                        view_count = recent_views.view_count + excluded.view_count",
                    params![old, new],
                )?;
                tx.execute("DELETE FROM recent_views WHERE doc_id = ?1", [old])?;
                // Steps are documents: a done step stays done under its new id.
                moved += tx.execute("UPDATE OR IGNORE step_progress SET step_ref = ?2 WHERE step_ref = ?1", params![old, new])?;
                tx.execute("DELETE FROM step_progress WHERE step_ref = ?1", [old])?;
                moved += tx.execute("UPDATE checkpoint_attempts SET step_ref = ?2 WHERE step_ref = ?1", params![old, new])?;
                tx.execute("UPDATE path_runs SET current_step = ?2 WHERE current_step = ?1", params![old, new])?;
                // A path itself, unless a run already exists under the new id.
                let taken: bool =
                    tx.query_row("SELECT EXISTS (SELECT 1 FROM path_runs WHERE path_id = ?1)", [new], |r| r.get(0))?;
                if !taken {
                    moved += tx.execute("UPDATE path_runs SET path_id = ?2 WHERE path_id = ?1", params![old, new])?;
                    tx.execute("UPDATE step_progress SET path_id = ?2 WHERE path_id = ?1", params![old, new])?;
                }
                moved += tx.execute("UPDATE checkpoint_attempts SET path_id = ?2 WHERE path_id = ?1", params![old, new])?;
                moved += tx.execute("UPDATE path_completions SET path_id = ?2 WHERE path_id = ?1", params![old, new])?;
                moved += tx.execute("UPDATE drafts SET doc = ?2 WHERE doc = ?1", params![old, new])?;
            }
            Ok(moved)
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{Store, StoreOptions};

    #[test]
    fn personal_data_follows_renamed_ids_and_nothing_is_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = Store::open(&dir.path().join("s.sqlite3"), &StoreOptions::default()).expect("open");
        s.add_bookmark("setup").expect("bookmark");
        s.set_note("setup", "old note").expect("note");
        s.set_note("guides/setup", "new note").expect("note");
        s.start_path("onboarding", &["setup", "other"]).expect("start");
        s.mark_step_done("onboarding", "setup").expect("done");
        let moved = s.rename_document_ids(&[("setup", "guides/setup")]).expect("rename");
        assert!(moved >= 3, "{moved}");
        assert!(s.is_bookmarked("guides/setup").expect("read"));
        assert!(!s.is_bookmarked("setup").expect("read"));
        let note = s.note("guides/setup").expect("read").map(|n| n.body).unwrap_or_default();
        assert!(note.contains("old note") && note.contains("new note"), "{note}");
        // Running it again finds nothing to move.
        assert_eq!(s.rename_document_ids(&[("setup", "guides/setup")]).expect("again"), 0);
    }
}
