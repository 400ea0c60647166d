//! Opening the database file: refuse newer and damaged files before SQLite may write to them,
//! then set the connection up and migrate.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};
use rusqlite_migration::{M, Migrations};

use crate::error::{Corruption, StoreError};

/// The migrations, oldest first. Migration *n* (1-based) brings the file to `user_version` *n*.
/// Never edit a released migration: add a new file.
const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("migrations/001_init.sql")).foreign_key_check(),
    M::up(include_str!("migrations/002_drafts.sql")),
    M::up(include_str!("migrations/003_unanswered.sql")),
];

/// The schema version this build creates and reads (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Looks at the file's 100-byte header without SQLite, so that a file this build must not touch
/// is refused before a connection could write to it (setting WAL mode or migrating would).
pub(crate) fn probe_header(path: &Path) -> Result<(), StoreError> {
    let read_err = |source| StoreError::Read { path: path.to_path_buf(), source };
    let corrupt = |problem| StoreError::Corrupt { path: path.to_path_buf(), problem };
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(read_err(e)),
    };
    let len = file.metadata().map_err(read_err)?.len();
    if len == 0 {
        // SQLite treats an empty file as an empty database.
        return Ok(());
    }
    let mut header = [0u8; 100];
    if len < 100 {
        return Err(corrupt(Corruption::Truncated { expected: 100, actual: len }));
    }
    file.read_exact(&mut header).map_err(read_err)?;
    if &header[..16] != SQLITE_MAGIC {
        return Err(corrupt(Corruption::NotADatabase));
    }
    let be32 = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    let user_version = i64::from(be32(60) as i32);
    if !(0..=SCHEMA_VERSION).contains(&user_version) {
        return Err(StoreError::TooNew { path: path.to_path_buf(), found: user_version, supported: SCHEMA_VERSION });
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n if n >= 512 && n.is_power_of_two() => u64::from(n),
        _ => return Err(corrupt(Corruption::NotADatabase)),
    };
    if len % page_size != 0 {
        return Err(corrupt(Corruption::Truncated { expected: len.div_ceil(page_size) * page_size, actual: len }));
    }
    // The in-header page count is valid only when the change counter matches "version valid for".
    // With a non-empty WAL file, a checkpoint may have been cut short: the WAL still holds the
    // pages and SQLite's recovery (and the quick_check after it) decides.
    let pages = u64::from(be32(28));
    let wal_len = std::fs::metadata(wal_path(path)).map(|m| m.len()).unwrap_or(0);
    if pages != 0 && be32(24) == be32(92) && wal_len == 0 && pages * page_size > len {
        return Err(corrupt(Corruption::Truncated { expected: pages * page_size, actual: len }));
    }
    Ok(())
}

fn wal_path(path: &Path) -> std::path::PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push("-wal");
    p.into()
}

/// True for the SQLite error codes that mean the file itself is bad.
pub(crate) fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase))
}

/// Maps an SQLite error met while opening to the most specific kind.
pub(crate) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    if is_corruption(&e) {
        StoreError::Corrupt { path: path.to_path_buf(), problem: Corruption::Sqlite(e) }
    } else if matches!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)) {
        StoreError::Busy { path: path.to_path_buf() }
    } else {
        StoreError::Sqlite(e)
    }
}

/// Opens the connection, checks the file with SQLite's eyes (version again, now including any
/// WAL, then `quick_check`), and only then sets the pragmas that write and migrates.
pub(crate) fn open_connection(path: &Path, busy_timeout: Duration) -> Result<Connection, StoreError> {
    let c = |e| classify(path, e);
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_EXRESCODE;
    let mut conn = Connection::open_with_flags(path, flags).map_err(c)?;
    conn.busy_timeout(busy_timeout).map_err(c)?;

    // Reads only, up to the journal_mode pragma.
    let user_version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(c)?;
    // A negative version was not written by any Guildhall: refuse it the same way.
    if !(0..=SCHEMA_VERSION).contains(&user_version) {
        return Err(StoreError::TooNew { path: path.to_path_buf(), found: user_version, supported: SCHEMA_VERSION });
    }
    if user_version == 0 {
        // Version 0 is a new, empty file, or someone else's database: never migrate the latter.
        let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(c)?;
        if objects > 0 {
            return Err(StoreError::Corrupt { path: path.to_path_buf(), problem: Corruption::ForeignDatabase });
        }
    }
    let problems = integrity_problems(&conn, "quick_check").map_err(c)?;
    if !problems.is_empty() {
        return Err(StoreError::Corrupt { path: path.to_path_buf(), problem: Corruption::IntegrityCheck(problems) });
    }

    // WAL: readers never block the writer and a commit is one append to the log.
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0)).map_err(c)?;
    if !mode.eq_ignore_ascii_case("wal") {
        // WAL can be refused (e.g. some network file systems); the rollback journal is as safe.
        conn.pragma_update(None, "journal_mode", "delete").map_err(c)?;
    }
    // synchronous=FULL: in WAL mode NORMAL already survives a crash of the process (kill -9):
    // a committed transaction is in the WAL file, in the OS page cache. It can lose the last
    // commits on power loss or an OS crash, because the WAL is only synced at checkpoints. FULL
    // syncs the WAL on every commit, so an acknowledged write survives power loss too. Personal
    // writes come at human speed (a click, a search), so one fsync each costs nothing noticeable,
    // and a person who ticks a step and sees it ticked must find it ticked after a power cut.
    conn.pragma_update(None, "synchronous", "FULL").map_err(c)?;
    conn.pragma_update(None, "foreign_keys", "ON").map_err(c)?;
    // Every transaction this connection begins, including the migration's, is IMMEDIATE: it
    // takes the write lock at BEGIN, so a busy database is met (and waited for) up front instead
    // of failing half-way through with SQLITE_BUSY on lock upgrade.
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);

    Migrations::from_slice(MIGRATIONS).to_latest(&mut conn).map_err(|source| match source {
        rusqlite_migration::Error::RusqliteError { err, .. } if is_corruption(&err) => {
            StoreError::Corrupt { path: path.to_path_buf(), problem: Corruption::Sqlite(err) }
        }
        source => StoreError::Migration { path: path.to_path_buf(), target: SCHEMA_VERSION, source },
    })?;
    Ok(conn)
}

/// Runs `PRAGMA quick_check` or `integrity_check`; the first few problems, none when it says `ok`.
pub(crate) fn integrity_problems(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}(10)"))?;
    let rows: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    if rows.len() == 1 && rows[0] == "ok" {
        return Ok(Vec::new());
    }
    // SQLite may put several messages in one row, under a "*** in database main ***" banner.
    Ok(rows.iter().flat_map(|r| r.lines()).filter(|l| !l.starts_with("***")).take(5).map(str::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(Migrations::from_slice(MIGRATIONS).validate().is_ok());
    }
}
