//! The store's typed errors.

use std::path::PathBuf;

/// Everything that can go wrong in the personal store, by kind, so that callers can map each to a
/// message, an exit code or an HTTP status without parsing text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The folder that should hold the database file could not be created.
    #[error("cannot create the folder {path} for the personal store: {source}")]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The database file exists but could not be read.
    #[error("cannot read the personal store {path}: {source}")]
    Read {
        /// The database file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file was written by a newer Guildhall whose schema this version does not know. The
    /// file was not changed.
    #[error(
        "the personal store {path} was written by a newer version of Guildhall (schema version {found}, this \
         version knows up to {supported}); it was left untouched: update Guildhall to use it"
    )]
    TooNew {
        /// The database file.
        path: PathBuf,
        /// The schema version found in the file (`PRAGMA user_version`).
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },
    /// The file is not a database or is damaged. It was not changed, overwritten or deleted.
    #[error(
        "the personal store {path} cannot be used ({problem}); Guildhall left it untouched. To start afresh, close \
         Guildhall and move the file aside (for example rename it to `{}.damaged`): a new, empty store is \
         created at the next start. `sqlite3 <file> .recover` may rescue data from the old one",
        path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
    )]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What is wrong with it.
        problem: Corruption,
    },
    /// Another process held the database locked for longer than the busy timeout.
    #[error("the personal store {path} is busy (locked by another Guildhall process); try again")]
    Busy {
        /// The database file.
        path: PathBuf,
    },
    /// Applying the schema migrations failed; the migration ran in one transaction, so the file
    /// keeps its previous schema.
    #[error("cannot upgrade the personal store {path} to schema version {target}: {source}")]
    Migration {
        /// The database file.
        path: PathBuf,
        /// The schema version that was being applied.
        target: i64,
        /// What went wrong.
        source: rusqlite_migration::Error,
    },
    /// An SQLite error not covered by a more specific kind.
    #[error("personal store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A training-path operation named a path that was never started with
    /// [`Store::start_path`](crate::Store::start_path).
    #[error("the training path `{path_id}` has not been started")]
    PathNotStarted {
        /// The path id.
        path_id: String,
    },
    /// An argument was refused before anything was written.
    #[error("invalid {field}: {problem}")]
    InvalidInput {
        /// Which argument.
        field: &'static str,
        /// What is wrong with it.
        problem: InputProblem,
    },
    /// A value read from the database is not one this version knows (for example an unknown
    /// theme name written by hand).
    #[error("the personal store holds an unknown value `{value}` in {column}")]
    InvalidStoredValue {
        /// The table and column.
        column: &'static str,
        /// The value found.
        value: String,
    },
    /// An import document is not JSON.
    #[error("the personal-data document is not valid JSON: {0}")]
    ImportNotJson(#[source] serde_json::Error),
    /// An import document is JSON but not a Guildhall personal-data export.
    #[error(
        "the document is not a Guildhall personal-data export (its `format` is {}, expected `{}`)",
        found.as_deref().map_or_else(|| "missing".to_string(), |f| format!("`{f}`")),
        crate::EXPORT_FORMAT
    )]
    ImportWrongFormat {
        /// The `format` field found, if any.
        found: Option<String>,
    },
    /// An import document has a format version this build cannot read.
    #[error("the personal-data export has version {found}; this version of Guildhall reads version {supported}")]
    ImportUnsupportedVersion {
        /// The `version` found (absent or not a number reads as 0).
        found: u64,
        /// The version this build reads and writes.
        supported: u32,
    },
    /// A field of an import document has the wrong shape (unknown field, wrong type, bad date).
    #[error("the personal-data export is invalid at `{at}`: {source}")]
    ImportInvalid {
        /// Where in the document, e.g. `bookmarks[2].created_at`.
        at: String,
        /// What serde said.
        source: serde_json::Error,
    },
    /// A value of an import document is refused (empty id, duplicate, too long). Nothing was
    /// imported.
    #[error("the personal-data export is refused at `{at}`: {problem}")]
    ImportRejected {
        /// Where in the document, e.g. `notes[0].doc_id`.
        at: String,
        /// What is wrong.
        problem: InputProblem,
    },
}

/// What makes a database file unusable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Corruption {
    /// The file does not start with the SQLite header.
    #[error("it is not an SQLite database")]
    NotADatabase,
    /// The file is an SQLite database without a Guildhall schema version but with tables: some
    /// other program's database.
    #[error("it is an SQLite database, but not a Guildhall personal store")]
    ForeignDatabase,
    /// The file is shorter than its header says, or not a whole number of pages.
    #[error("it is truncated: {actual} bytes where {expected} were expected")]
    Truncated {
        /// The size the header implies.
        expected: u64,
        /// The size on disk.
        actual: u64,
    },
    /// `PRAGMA quick_check` found problems (the first few messages).
    #[error("integrity check failed: {}", .0.join("; "))]
    IntegrityCheck(Vec<String>),
    /// SQLite itself reported the file as corrupt or not a database.
    #[error("{0}")]
    Sqlite(rusqlite::Error),
}

/// Why an argument or an imported value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputProblem {
    /// It is empty (or only whitespace).
    #[error("it is empty")]
    Empty,
    /// It is longer than the store accepts.
    #[error("it is longer than {max} bytes")]
    TooLong {
        /// The limit in bytes.
        max: usize,
    },
    /// It contains a control character (ids and names must be plain text).
    #[error("it contains a control character")]
    ControlCharacter,
    /// The same key appears twice in an import document.
    #[error("`{0}` appears more than once")]
    Duplicate(String),
    /// A count that must be at least one is zero.
    #[error("it must be at least 1")]
    Zero,
}
