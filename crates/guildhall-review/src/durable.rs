//! Writes that survive a crash: a temporary file in the same folder, fsync, rename, fsync of the
//! folder. A reader sees the old file or the new one, never half of either.

use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::path::Path;

use git2::Oid;

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

/// Flushing what git wrote: a new commit's objects and a ref, before anything points at them.
impl crate::Review {
    /// Flushes the loose objects a new commit added (its commit object and every tree and blob
    /// that `base` does not share), so that no ref can outlive the objects it names.
    pub(crate) fn sync_objects(&self, base: Option<&git2::Tree<'_>>, commit: Oid) -> Result<(), ReviewError> {
        let c = self.repo.find_commit(commit)?;
        let mut ids = vec![commit, c.tree_id()];
        let new = c.tree()?;
        self.collect_new(base, &new, &mut ids)?;
        let objects = self.repo.path().join("objects");
        let mut dirs = std::collections::BTreeSet::new();
        for id in ids {
            let hex = id.to_string();
            let dir = objects.join(&hex[..2]);
            sync_file(&dir.join(&hex[2..]))?;
            dirs.insert(dir);
        }
        for d in dirs {
            if d.exists() {
                sync_dir(&d)?;
            }
        }
        Ok(())
    }

    pub(crate) fn collect_new(
        &self,
        base: Option<&git2::Tree<'_>>,
        new: &git2::Tree<'_>,
        ids: &mut Vec<Oid>,
    ) -> Result<(), ReviewError> {
        for entry in new.iter() {
            let name = entry.name().unwrap_or_default();
            let old = base.and_then(|b| b.get_name(name)).map(|e| e.id());
            if old == Some(entry.id()) {
                continue;
            }
            ids.push(entry.id());
            if entry.kind() == Some(git2::ObjectType::Tree) {
                let sub = self.repo.find_tree(entry.id())?;
                let old_sub = old.and_then(|o| self.repo.find_tree(o).ok());
                self.collect_new(old_sub.as_ref(), &sub, ids)?;
            }
        }
        Ok(())
    }

    pub(crate) fn sync_ref(&self, name: &str) -> Result<(), ReviewError> {
        let path = self.repo.path().join(name);
        sync_file(&path)?;
        if let Some(dir) = path.parent() {
            sync_dir(dir)?;
        }
        Ok(())
    }
}
