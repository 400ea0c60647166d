//! Writes that survive a crash: a temporary file in the same folder, fsync, rename, fsync of the
//! folder. A reader sees the old file or the new one, never half of either.

use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::path::Path;

use crate::ReviewError;

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ReviewError + '_ {
    move |source| ReviewError::Io { path: path.to_path_buf(), source }
}

/// Replaces `path` with `bytes` atomically and durably.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReviewError> {
    let dir = path.parent().ok_or_else(|| io(path)(std::io::Error::other("the path has no folder")))?;
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

/// Creates `path` with `bytes` only if it does not exist yet (`Ok(false)` when it does).
pub(crate) fn create_new(path: &Path, bytes: &[u8]) -> Result<bool, ReviewError> {
    let dir = path.parent().ok_or_else(|| io(path)(std::io::Error::other("the path has no folder")))?;
    fs::create_dir_all(dir).map_err(io(dir))?;
    match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(mut f) => {
            f.write_all(bytes).map_err(io(path))?;
            f.sync_all().map_err(io(path))?;
            sync_dir(dir)?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io(path)(e)),
    }
}

/// Flushes a file that something else (libgit2) wrote, if it exists.
pub(crate) fn sync_file(path: &Path) -> Result<(), ReviewError> {
    match File::open(path) {
        Ok(f) => f.sync_all().map_err(io(path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(path)(e)),
    }
}

/// Makes a rename or a new file in `dir` durable (a no-op where folders cannot be opened).
pub(crate) fn sync_dir(dir: &Path) -> Result<(), ReviewError> {
    #[cfg(unix)]
    {
        File::open(dir).and_then(|f| f.sync_all()).map_err(io(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
