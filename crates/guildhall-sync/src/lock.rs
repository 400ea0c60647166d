//! One sync at a time per repository, and the `*.lock` files a killed process leaves behind.
//!
//! A sync holds an OS file lock (`flock`) on `.git/guildhall/sync.lock`; the kernel releases it
//! when the process dies, even by `kill -9`. While it holds the lock the guard writes its process
//! id and start time into the file, and empties it on a clean finish. So a guard that finds the
//! file non-empty knows the previous sync was killed, and when: git's own lock files
//! (`index.lock`, `refs/heads/x.lock`, `packed-refs.lock`, `HEAD.lock`, `config.lock`...) created
//! since then are that process's leftovers and are removed. A lock file that predates it belongs
//! to someone else (a `git` command the person runs) and is only removed once older than
//! [`FOREIGN_STALE_AFTER`]; a younger one makes the sync wait its turn ([`SyncError::Busy`]).

use std::fs::{File, OpenOptions};
use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use fs4::fs_std::FileExt;

use crate::SyncError;
use crate::durable::io;

/// A git lock file older than this, not made by a killed sync, is considered abandoned.
pub const FOREIGN_STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// Held for the duration of a sync; released on drop (and by the kernel on a crash).
#[derive(Debug)]
pub struct SyncGuard {
    file: File,
    /// Lock files removed when the guard was taken.
    pub removed: Vec<PathBuf>,
}

impl SyncGuard {
    /// Takes the lock of the repository whose git folder is `git_dir`, or fails with
    /// [`SyncError::Busy`] when another sync holds it.
    pub fn acquire(git_dir: &Path) -> Result<SyncGuard, SyncError> {
        let dir = git_dir.join("guildhall");
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let path = dir.join("sync.lock");
        let mut file =
            OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(io(&path))?;
        if !FileExt::try_lock_exclusive(&file).map_err(io(&path))? {
            return Err(SyncError::Busy { repo: git_dir.to_path_buf(), lock: path });
        }
        let mut previous = String::new();
        file.read_to_string(&mut previous).map_err(io(&path))?;
        // "pid start-seconds": a previous holder that did not finish cleanly.
        let crashed_since = previous
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u64>().ok())
            .map(|secs| SystemTime::UNIX_EPOCH + Duration::from_secs(secs.saturating_sub(1)));
        let removed = clear_stale(git_dir, crashed_since)?;
        let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        file.set_len(0).map_err(io(&path))?;
        file.rewind().map_err(io(&path))?;
        write!(file, "{} {now}", std::process::id()).map_err(io(&path))?;
        file.sync_all().map_err(io(&path))?;
        Ok(SyncGuard { file, removed })
    }
}

impl Drop for SyncGuard {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.sync_all();
        let _ = FileExt::unlock(&self.file);
    }
}

/// Removes git lock files under `git_dir` left by a process that was killed at or after
/// `crashed_since`, and any older than [`FOREIGN_STALE_AFTER`]; a younger foreign one gives
/// [`SyncError::Busy`]. Object and pack files are never touched.
fn clear_stale(git_dir: &Path, crashed_since: Option<SystemTime>) -> Result<Vec<PathBuf>, SyncError> {
    let mut found = Vec::new();
    collect_locks(git_dir, git_dir, &mut found);
    let now = SystemTime::now();
    let mut removed = Vec::new();
    for path in found {
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        let modified = meta.modified().unwrap_or(now);
        let ours = crashed_since.is_some_and(|since| modified >= since);
        let abandoned = now.duration_since(modified).unwrap_or_default() >= FOREIGN_STALE_AFTER;
        if ours || abandoned {
            match std::fs::remove_file(&path) {
                Ok(()) => removed.push(path),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(&path)(e)),
            }
        } else {
            return Err(SyncError::Busy { repo: git_dir.to_path_buf(), lock: path });
        }
    }
    Ok(removed)
}

fn collect_locks(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            // Objects and our own folder (the sync lock itself, the outbox) are not git locks.
            if rel == Path::new("objects") || rel == Path::new("guildhall") || rel == Path::new("hooks") {
                continue;
            }
            collect_locks(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "lock") {
            out.push(path);
        }
    }
}
