//! Export and import of all personal data as one JSON document.
//!
//! The document (format `guildhall-personal-data`, version 2; version 1, which had no `opened`
//! in the search log, is still read):
//!
//! ```json
//! {
//!   "format": "guildhall-personal-data",
//!   "version": 2,
//!   "exported_at": "2025-03-01T09:30:00.000Z",
//!   "hub": { "name": "Contoso makers", "content_path": "/srv/hub" },
//!   "profile": { "display_name": "Ada", "role": "mentor", "glossary_view": "plain",
//!                "theme": "system", "language": null },
//!   "paths": [ { "path_id": "first-app", "started_at": "…", "updated_at": "…",
//!                "steps_at_start": ["a", "b"], "current_step": "b",
//!                "done_steps": [ { "step_ref": "a", "done_at": "…" } ] } ],
//!   "checkpoint_attempts": [ { "path_id": "…", "step_ref": "…", "answer": "…", "correct": true, "at": "…" } ],
//!   "path_completions": [ { "path_id": "…", "completed_at": "…", "content_version": "…" } ],
//!   "bookmarks": [ { "doc_id": "…", "created_at": "…" } ],
//!   "notes": [ { "doc_id": "…", "body": "Markdown", "updated_at": "…" } ],
//!   "recent_views": [ { "doc_id": "…", "last_viewed": "…", "view_count": 3 } ],
//!   "search_log": [ { "query": "…", "result_count": 0, "at": "…", "opened": false } ]
//! }
//! ```
//!
//! Times are RFC 3339 in UTC. Unknown fields are refused (a new field means a new version), so
//! nothing in a document is silently dropped on import.

use std::collections::HashSet;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::library::trim_recent;
use crate::profile::{read_profile, write_profile};
use crate::progress::{parse_steps, query_attempts, query_completions};
use crate::search::{insert_entry, query_log};
use crate::{
    Bookmark, CheckpointAttempt, HubMeta, InputProblem, MAX_ID_BYTES, MAX_NOTE_BYTES, MAX_TEXT_BYTES, Note,
    PathCompletion, Profile, RecentView, SearchLogEntry, Store, StoreError, Timestamp, text_problem, ts,
};

/// The `format` of a personal-data document.
pub const EXPORT_FORMAT: &str = "guildhall-personal-data";
/// The `version` of the personal-data document this build writes and reads.
pub const EXPORT_VERSION: u32 = 2;
/// The oldest `version` this build still reads (version 1 lacks `search_log[].opened`).
pub const OLDEST_IMPORT_VERSION: u32 = 1;

/// All personal data of one hub: what [`Store::export`] writes and [`Store::import`] reads.
/// See the module source for the JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonalData {
    /// Always [`EXPORT_FORMAT`].
    pub format: String,
    /// Always [`EXPORT_VERSION`] for documents this build writes.
    pub version: u32,
    /// When the export was made.
    pub exported_at: Timestamp,
    /// Which hub the data came from (informative: import keeps the target store's own).
    pub hub: HubMeta,
    /// The profile.
    pub profile: Profile,
    /// Every started path with its progress.
    pub paths: Vec<PathRecord>,
    /// Every self-check answer.
    pub checkpoint_attempts: Vec<CheckpointAttempt>,
    /// Every path completion.
    pub path_completions: Vec<PathCompletion>,
    /// Every bookmark.
    pub bookmarks: Vec<Bookmark>,
    /// Every personal note.
    pub notes: Vec<Note>,
    /// The recently viewed documents.
    pub recent_views: Vec<RecentView>,
    /// The search log (what retention has kept).
    pub search_log: Vec<SearchLogEntry>,
}

/// A started path and its progress, as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathRecord {
    /// The path id.
    pub path_id: String,
    /// When the person started it.
    pub started_at: Timestamp,
    /// When its progress last changed.
    pub updated_at: Timestamp,
    /// The path's step refs when it was started.
    pub steps_at_start: Vec<String>,
    /// Where the person left off.
    pub current_step: Option<String>,
    /// The steps marked done.
    pub done_steps: Vec<DoneStep>,
}

/// A step marked done, as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DoneStep {
    /// The step ref.
    pub step_ref: String,
    /// When it was marked done.
    pub done_at: Timestamp,
}

impl PersonalData {
    /// The document as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Serializing these plain structs (strings, numbers, options, vectors) cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a document: first its `format` and `version` (so that a newer export gets a clear
    /// error rather than a field error), then every field. Does not check values: [`Store::import`]
    /// does.
    pub fn from_json(text: &str) -> Result<PersonalData, StoreError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(StoreError::ImportNotJson)?;
        let format = value.get("format").and_then(serde_json::Value::as_str);
        if format != Some(EXPORT_FORMAT) {
            return Err(StoreError::ImportWrongFormat { found: format.map(str::to_string) });
        }
        let version = value.get("version").and_then(serde_json::Value::as_u64).unwrap_or(0);
        if !(u64::from(OLDEST_IMPORT_VERSION)..=u64::from(EXPORT_VERSION)).contains(&version) {
            return Err(StoreError::ImportUnsupportedVersion { found: version, supported: EXPORT_VERSION });
        }
        serde_path_to_error::deserialize(value)
            .map_err(|e| StoreError::ImportInvalid { at: e.path().to_string(), source: e.into_inner() })
    }

    /// Checks every value; the first problem found is the error.
    fn validate(&self) -> Result<(), StoreError> {
        let reject = |at: String, problem| Err(StoreError::ImportRejected { at, problem });
        if self.format != EXPORT_FORMAT {
            return Err(StoreError::ImportWrongFormat { found: Some(self.format.clone()) });
        }
        if !(OLDEST_IMPORT_VERSION..=EXPORT_VERSION).contains(&self.version) {
            return Err(StoreError::ImportUnsupportedVersion { found: self.version.into(), supported: EXPORT_VERSION });
        }
        if let Some((field, problem)) = self.profile.problem() {
            return reject(format!("profile.{field}"), problem);
        }
        let id = |at: String, v: &str| match text_problem(v, MAX_ID_BYTES, false) {
            Some(p) => reject(at, p),
            None => Ok(()),
        };
        let text = |at: String, v: &str, max: usize| match text_problem(v, max, true) {
            Some(p) => reject(at, p),
            None => Ok(()),
        };
        let mut seen = HashSet::new();
        for (i, p) in self.paths.iter().enumerate() {
            id(format!("paths[{i}].path_id"), &p.path_id)?;
            unique(&mut seen, &p.path_id, || format!("paths[{i}].path_id"))?;
            for (j, s) in p.steps_at_start.iter().enumerate() {
                id(format!("paths[{i}].steps_at_start[{j}]"), s)?;
            }
            if let Some(c) = &p.current_step {
                id(format!("paths[{i}].current_step"), c)?;
            }
            let mut done = HashSet::new();
            for (j, d) in p.done_steps.iter().enumerate() {
                id(format!("paths[{i}].done_steps[{j}].step_ref"), &d.step_ref)?;
                unique(&mut done, &d.step_ref, || format!("paths[{i}].done_steps[{j}].step_ref"))?;
            }
        }
        for (i, a) in self.checkpoint_attempts.iter().enumerate() {
            id(format!("checkpoint_attempts[{i}].path_id"), &a.path_id)?;
            id(format!("checkpoint_attempts[{i}].step_ref"), &a.step_ref)?;
            if a.answer.len() > MAX_TEXT_BYTES {
                return reject(
                    format!("checkpoint_attempts[{i}].answer"),
                    InputProblem::TooLong { max: MAX_TEXT_BYTES },
                );
            }
        }
        for (i, c) in self.path_completions.iter().enumerate() {
            id(format!("path_completions[{i}].path_id"), &c.path_id)?;
            text(format!("path_completions[{i}].content_version"), &c.content_version, MAX_TEXT_BYTES)?;
        }
        let mut seen = HashSet::new();
        for (i, b) in self.bookmarks.iter().enumerate() {
            id(format!("bookmarks[{i}].doc_id"), &b.doc_id)?;
            unique(&mut seen, &b.doc_id, || format!("bookmarks[{i}].doc_id"))?;
        }
        let mut seen = HashSet::new();
        for (i, n) in self.notes.iter().enumerate() {
            id(format!("notes[{i}].doc_id"), &n.doc_id)?;
            unique(&mut seen, &n.doc_id, || format!("notes[{i}].doc_id"))?;
            if n.body.len() > MAX_NOTE_BYTES {
                return reject(format!("notes[{i}].body"), InputProblem::TooLong { max: MAX_NOTE_BYTES });
            }
            if n.body.trim().is_empty() {
                return reject(format!("notes[{i}].body"), InputProblem::Empty);
            }
        }
        let mut seen = HashSet::new();
        for (i, r) in self.recent_views.iter().enumerate() {
            id(format!("recent_views[{i}].doc_id"), &r.doc_id)?;
            unique(&mut seen, &r.doc_id, || format!("recent_views[{i}].doc_id"))?;
            if r.view_count == 0 {
                return reject(format!("recent_views[{i}].view_count"), InputProblem::Zero);
            }
            if i64::try_from(r.view_count).is_err() {
                return reject(format!("recent_views[{i}].view_count"), InputProblem::TooLong { max: 8 });
            }
        }
        for (i, s) in self.search_log.iter().enumerate() {
            if s.query.trim().is_empty() {
                return reject(format!("search_log[{i}].query"), InputProblem::Empty);
            }
        }
        Ok(())
    }
}

fn unique<'a>(seen: &mut HashSet<&'a str>, key: &'a str, at: impl FnOnce() -> String) -> Result<(), StoreError> {
    if seen.insert(key) {
        Ok(())
    } else {
        Err(StoreError::ImportRejected { at: at(), problem: InputProblem::Duplicate(key.to_string()) })
    }
}

impl Store {
    /// All personal data, read in one snapshot.
    pub fn export(&self) -> Result<PersonalData, StoreError> {
        let exported_at = self.now();
        let hub = self.hub_meta()?;
        let tx = self.read_snapshot()?;
        let profile = read_profile(&tx)?;
        let mut paths = Vec::new();
        {
            let mut runs = tx.prepare(
                "SELECT path_id, started_at, updated_at, steps_at_start, current_step FROM path_runs ORDER BY path_id",
            )?;
            let mut done = tx
                .prepare("SELECT step_ref, done_at FROM step_progress WHERE path_id = ?1 ORDER BY done_at, step_ref")?;
            let rows = runs.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, ts(r, 1)?, ts(r, 2)?, r.get::<_, String>(3)?, r.get(4)?))
            })?;
            for row in rows {
                let (path_id, started_at, updated_at, steps, current_step) = row?;
                let done_steps = done
                    .query_map([&path_id], |r| Ok(DoneStep { step_ref: r.get(0)?, done_at: ts(r, 1)? }))?
                    .collect::<Result<_, _>>()?;
                paths.push(PathRecord {
                    path_id,
                    started_at,
                    updated_at,
                    steps_at_start: parse_steps(&steps)?,
                    current_step,
                    done_steps,
                });
            }
        }
        let mut bookmarks = self.bookmarks()?;
        bookmarks.reverse();
        let mut notes = self.notes()?;
        notes.reverse();
        let mut recent_views = self.recent_views(usize::MAX)?;
        recent_views.reverse();
        let data = PersonalData {
            format: EXPORT_FORMAT.to_string(),
            version: EXPORT_VERSION,
            exported_at,
            hub,
            profile,
            paths,
            checkpoint_attempts: query_attempts(&tx, None)?,
            path_completions: query_completions(&tx, None)?,
            bookmarks,
            notes,
            recent_views,
            search_log: query_log(&tx, Timestamp::from_millis(i64::MIN))?,
        };
        drop(tx);
        Ok(data)
    }

    /// Replaces all personal data with `data`: the profile, progress, attempts, completions,
    /// bookmarks, notes, recent views and search log (the hub facts stay this store's own).
    ///
    /// All or nothing: every value is checked first, then everything is written in one IMMEDIATE
    /// transaction; on any error the store is as it was.
    pub fn import(&mut self, data: &PersonalData) -> Result<(), StoreError> {
        data.validate()?;
        self.write(|tx| {
            for table in [
                "step_progress",
                "path_runs",
                "checkpoint_attempts",
                "path_completions",
                "bookmarks",
                "notes",
                "recent_views",
                "search_log",
                "profile",
            ] {
                tx.execute(&format!("DELETE FROM {table}"), [])?;
            }
            write_profile(tx, &data.profile)?;
            for p in &data.paths {
                let steps = serde_json::to_string(&p.steps_at_start).unwrap_or_else(|_| "[]".to_string());
                tx.execute(
                    "INSERT INTO path_runs (path_id, started_at, updated_at, steps_at_start, current_step)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![p.path_id, p.started_at.as_millis(), p.updated_at.as_millis(), steps, p.current_step],
                )?;
                for d in &p.done_steps {
                    tx.execute(
                        "INSERT INTO step_progress (path_id, step_ref, done_at) VALUES (?1, ?2, ?3)",
                        params![p.path_id, d.step_ref, d.done_at.as_millis()],
                    )?;
                }
            }
            for a in &data.checkpoint_attempts {
                tx.execute(
                    "INSERT INTO checkpoint_attempts (path_id, step_ref, answer, correct, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![a.path_id, a.step_ref, a.answer, a.correct, a.at.as_millis()],
                )?;
            }
            for c in &data.path_completions {
                tx.execute(
                    "INSERT INTO path_completions (path_id, completed_at, content_version) VALUES (?1, ?2, ?3)",
                    params![c.path_id, c.completed_at.as_millis(), c.content_version],
                )?;
            }
            for b in &data.bookmarks {
                tx.execute(
                    "INSERT INTO bookmarks (doc_id, created_at) VALUES (?1, ?2)",
                    params![b.doc_id, b.created_at.as_millis()],
                )?;
            }
            for n in &data.notes {
                tx.execute(
                    "INSERT INTO notes (doc_id, body, updated_at) VALUES (?1, ?2, ?3)",
                    params![n.doc_id, n.body, n.updated_at.as_millis()],
                )?;
            }
            for r in &data.recent_views {
                tx.execute(
                    "INSERT INTO recent_views (doc_id, last_viewed, view_count) VALUES (?1, ?2, ?3)",
                    params![r.doc_id, r.last_viewed.as_millis(), i64::try_from(r.view_count).unwrap_or(i64::MAX)],
                )?;
            }
            trim_recent(tx)?;
            for s in &data.search_log {
                insert_entry(tx, &s.query, s.result_count, s.at.as_millis(), s.opened)?;
            }
            Ok(())
        })
    }
}
