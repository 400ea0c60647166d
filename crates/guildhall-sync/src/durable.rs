//! Writes that survive a crash: a new file is written, fsynced, then its folder fsynced; a
//! replacement goes through a temporary file and a rename. A reader sees the old content or the
//! new, never half of either.

use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::path::Path;

use crate::SyncError;

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SyncError + '_ {
    move |source| SyncError::Io { path: path.to_path_buf(), source }
}

/// Replaces `path` with `bytes` atomically and durably.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SyncError> {
    let dir = parent(path)?;
    fs::create_dir_all(dir).map_err(io(dir))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.guildhall-tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(&tmp).map_err(io(&tmp))?;
        f.write_all(bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
        fs::rename(&tmp, path).map_err(io(path))?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Removes `path` durably (no error when it is already gone).
pub(crate) fn remove(path: &Path) -> Result<(), SyncError> {
    match fs::remove_file(path) {
        Ok(()) => sync_dir(parent(path)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(path)(e)),
    }
}

fn parent(path: &Path) -> Result<&Path, SyncError> {
    path.parent().ok_or_else(|| SyncError::Invalid(format!("`{}` has no folder", path.display())))
}

/// Makes a rename or a new file in `dir` durable (a no-op where folders cannot be opened).
pub(crate) fn sync_dir(dir: &Path) -> Result<(), SyncError> {
    #[cfg(unix)]
    {
        File::open(dir).and_then(|f| f.sync_all()).map_err(io(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Flushes a file that something else (libgit2) wrote, if it exists.
pub(crate) fn sync_file(path: &Path) -> Result<(), SyncError> {
    match File::open(path) {
        Ok(f) => f.sync_all().map_err(io(path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(path)(e)),
    }
}

/// Makes the loose objects of `oids` and the ref `name` durable: libgit2 does not fsync.
pub(crate) fn sync_objects_and_ref(repo: &git2::Repository, oids: &[git2::Oid], name: &str) -> Result<(), SyncError> {
    let objects = repo.path().join("objects");
    let mut dirs = std::collections::BTreeSet::new();
    for oid in oids {
        let hex = oid.to_string();
        let dir = objects.join(&hex[..2]);
        sync_file(&dir.join(&hex[2..]))?;
        dirs.insert(dir);
    }
    for dir in dirs {
        if dir.exists() {
            sync_dir(&dir)?;
        }
    }
    let path = repo.path().join(name);
    sync_file(&path)?;
    if let Some(dir) = path.parent().filter(|d| d.exists()) {
        sync_dir(dir)?;
    }
    sync_file(&repo.path().join("packed-refs"))
}
