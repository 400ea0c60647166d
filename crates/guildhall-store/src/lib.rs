//! Guildhall's personal store: what one person did in one hub, in one SQLite file.
//!
//! It keeps the profile (name, role, glossary view, theme, language), training-path progress
//! (steps done, where the person left off, self-check answers, completions), bookmarks, personal
//! notes, recently viewed documents and the search log that feeds the content-gap report. All of
//! it can be exported as one JSON document ([`PersonalData`]) and imported back, all or nothing.
//!
//! The store knows ids and strings only: it never reads the hub's Markdown, so personal data
//! outlives content edits. Progress is keyed by path id and step ref (a document id), never by
//! position; [`Store::path_progress`] compares it with the path as it is now and reports steps
//! that were done but have since been removed.
//!
//! ```
//! use guildhall_store::{Store, StoreOptions};
//!
//! let dir = tempfile::tempdir()?;
//! let file = dir.path().join("guildhall.sqlite3"); // in the app: HubPaths::store_file()
//! let mut store = Store::open(&file, &StoreOptions::default())?;
//!
//! store.start_path("first-app", &["what-is-low-code", "retry-with-backoff", "old-page"])?;
//! store.mark_step_done("first-app", "what-is-low-code")?;
//! store.mark_step_done("first-app", "old-page")?;
//!
//! // The path is edited: a step is added in front, one is removed, the others keep their state.
//! let progress = store.path_progress("first-app", &["intro", "what-is-low-code", "retry-with-backoff"])?;
//! let progress = progress.expect("the path was started");
//! assert!(progress.changed_since_start);
//! assert_eq!(progress.done_count(), 1);
//! assert_eq!(progress.next_step(), Some("intro"));
//! assert_eq!(progress.removed_done_steps[0].step_ref, "old-page");
//!
//! store.log_search("dead letter", 0)?;
//! let json = store.export()?.to_json();
//! assert!(json.contains("\"format\": \"guildhall-personal-data\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Guarantees
//!
//! - **Durability.** The file is in WAL mode with `synchronous=FULL`: once a write method returns
//!   `Ok`, the change survives the process being killed and a power cut.
//! - **Atomicity.** Every write method is one IMMEDIATE transaction; [`Store::import`] replaces
//!   everything in one transaction after validating the whole document, so a failed import
//!   changes nothing.
//! - **Hands off foreign files.** A file written by a newer schema ([`StoreError::TooNew`]) or a
//!   damaged one ([`StoreError::Corrupt`]) is refused at open and never written, truncated or
//!   deleted. The check reads the header before SQLite opens the file, then runs
//!   `PRAGMA quick_check` before the first write.
//! - **Threads.** [`Store`] is `Send` but not `Sync` (it owns one SQLite connection): share it
//!   behind a `Mutex`, or open one `Store` per thread on the same file (WAL lets readers run
//!   while one writer writes; writers wait up to the busy timeout).

mod drafts;
mod error;
mod export;
mod library;
mod open;
mod profile;
mod progress;
mod rename;
mod search;
mod time;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use drafts::{Draft, MAX_DRAFT_BYTES, NewDraft};
pub use error::{Corruption, InputProblem, StoreError};
pub use export::{DoneStep, EXPORT_FORMAT, EXPORT_VERSION, PathRecord, PersonalData};
pub use library::{Bookmark, Note, RECENT_VIEWS_KEPT, RecentView};
pub use open::SCHEMA_VERSION;
pub use profile::{GlossaryView, HubMeta, Profile, Role, Theme};
pub use progress::{CheckpointAttempt, PathCompletion, PathProgress, PathRun, StepState};
pub use search::{MAX_LOGGED_QUERY_CHARS, SearchLogEntry, UnansweredQuery, ZeroResultQuery, normalize_query};
pub use time::Timestamp;

/// The default number of days the search log is kept ([`StoreOptions::search_log_retention_days`]).
pub const DEFAULT_SEARCH_LOG_RETENTION_DAYS: u32 = 90;

/// The longest id (document, path or step ref) the store accepts, in bytes.
pub const MAX_ID_BYTES: usize = 512;
/// The longest personal note the store accepts, in bytes.
pub const MAX_NOTE_BYTES: usize = 1024 * 1024;
/// The longest short text (display name, language, answer, content version) the store accepts.
pub const MAX_TEXT_BYTES: usize = 4096;

/// How a [`Store`] is opened.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StoreOptions {
    /// Search-log entries older than this many days are deleted at open; `None` keeps them all.
    /// Default: [`DEFAULT_SEARCH_LOG_RETENTION_DAYS`].
    pub search_log_retention_days: Option<u32>,
    /// How long a write waits for another process holding the file locked. Default: 5 s.
    pub busy_timeout: Duration,
    /// Where "now" comes from for every timestamp the store writes. Default: the system clock.
    pub clock: fn() -> Timestamp,
}

impl Default for StoreOptions {
    fn default() -> StoreOptions {
        StoreOptions {
            search_log_retention_days: Some(DEFAULT_SEARCH_LOG_RETENTION_DAYS),
            busy_timeout: Duration::from_secs(5),
            clock: Timestamp::now,
        }
    }
}

impl StoreOptions {
    /// Sets [`StoreOptions::search_log_retention_days`].
    pub fn with_search_log_retention_days(mut self, days: Option<u32>) -> StoreOptions {
        self.search_log_retention_days = days;
        self
    }

    /// Sets [`StoreOptions::busy_timeout`].
    pub fn with_busy_timeout(mut self, timeout: Duration) -> StoreOptions {
        self.busy_timeout = timeout;
        self
    }

    /// Sets [`StoreOptions::clock`] (tests use a fixed or stepping clock).
    pub fn with_clock(mut self, clock: fn() -> Timestamp) -> StoreOptions {
        self.clock = clock;
        self
    }
}

/// An open personal store: one SQLite connection to one hub's file. See the crate docs for its
/// guarantees.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    clock: fn() -> Timestamp,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

const _: () = {
    const fn assert_send<T: Send>() {}
    assert_send::<Store>();
};

impl Store {
    /// Opens the store in `path` (normally `HubPaths::store_file()`), creating the file and its
    /// folder if needed and bringing the schema up to date, then prunes the search log as
    /// `options` say.
    ///
    /// Refuses, without changing the file, one written by a newer Guildhall
    /// ([`StoreError::TooNew`]) and one that is damaged or not a database
    /// ([`StoreError::Corrupt`], whose message says how to recover).
    pub fn open(path: &Path, options: &StoreOptions) -> Result<Store, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|source| StoreError::CreateDir { path: parent.to_path_buf(), source })?;
        }
        open::probe_header(path)?;
        let conn = open::open_connection(path, options.busy_timeout)?;
        let mut store = Store { conn, path: path.to_path_buf(), clock: options.clock };
        if let Some(days) = options.search_log_retention_days {
            // Housekeeping must not make opening fail: if another process holds the write lock
            // past the busy timeout, the log is pruned at a later open instead.
            match store.prune_search_log(days) {
                Ok(_) | Err(StoreError::Busy { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs SQLite's full `PRAGMA integrity_check`; `Ok(())` when it says `ok`.
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let problems = open::integrity_problems(&self.conn, "integrity_check")?;
        if problems.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Corrupt { path: self.path.clone(), problem: Corruption::IntegrityCheck(problems) })
        }
    }

    fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// A DEFERRED transaction for reads that must see one snapshot (it never takes the write
    /// lock; dropping it ends it).
    fn read_snapshot(&self) -> Result<Transaction<'_>, StoreError> {
        Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred).map_err(|e| open::classify(&self.path, e))
    }

    /// Runs `f` in one IMMEDIATE transaction and commits it; any error rolls everything back.
    fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| open::classify(&self.path, e))?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

/// Refuses empty, over-long and control-character ids before anything is written.
fn check_id(field: &'static str, id: &str) -> Result<(), StoreError> {
    check_text(field, id, MAX_ID_BYTES, false)
}

fn check_text(field: &'static str, text: &str, max: usize, allow_empty: bool) -> Result<(), StoreError> {
    text_problem(text, max, allow_empty).map_or(Ok(()), |problem| Err(StoreError::InvalidInput { field, problem }))
}

/// What is wrong with `text` as a one-line value, if anything.
fn text_problem(text: &str, max: usize, allow_empty: bool) -> Option<InputProblem> {
    if !allow_empty && text.trim().is_empty() {
        Some(InputProblem::Empty)
    } else if text.len() > max {
        Some(InputProblem::TooLong { max })
    } else if text.chars().any(char::is_control) {
        Some(InputProblem::ControlCharacter)
    } else {
        None
    }
}

/// Reads a timestamp column.
fn ts(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<Timestamp> {
    row.get::<_, i64>(idx).map(Timestamp::from_millis)
}
