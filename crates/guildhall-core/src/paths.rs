//! Where Guildhall keeps its own files: the data directory and, inside it, one folder per hub.

use std::path::{Path, PathBuf};

use guildhall_content::fnv1a64;

/// The environment variable naming the data directory.
pub const DATA_ENV: &str = "GUILDHALL_DATA";
/// The environment variable naming the content (hub) folder.
pub const CONTENT_ENV: &str = "GUILDHALL_CONTENT";

/// The data directory: `explicit` (a `--data` flag), else `$GUILDHALL_DATA`, else the OS data
/// directory (`~/.local/share/guildhall` on Linux), else `./.guildhall`.
pub fn data_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os(DATA_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    dirs::data_dir().map_or_else(|| PathBuf::from(".guildhall"), |d| d.join("guildhall"))
}

/// Where the desktop app saves files the person asks for (certificates): the OS downloads
/// folder, else `~/Downloads`, else the data directory.
pub fn downloads_dir() -> PathBuf {
    dirs::download_dir().or_else(|| dirs::home_dir().map(|h| h.join("Downloads"))).unwrap_or_else(|| data_dir(None))
}

/// The folders of one hub inside the data directory. Hubs are keyed by the canonical path of
/// their content folder, so two hubs never share an index or a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubPaths {
    /// `<data>/hubs/<name>-<hash>`.
    pub dir: PathBuf,
}

impl HubPaths {
    pub fn new(data_dir: &Path, content_dir: &Path) -> HubPaths {
        let canonical = content_dir.canonicalize().unwrap_or_else(|_| content_dir.to_path_buf());
        let hash = fnv1a64(canonical.to_string_lossy().as_bytes());
        let name: String = canonical
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
            .take(32)
            .collect();
        HubPaths { dir: data_dir.join("hubs").join(format!("{name}-{hash:016x}")) }
    }

    /// The search index folder (a cache: deleting it loses nothing).
    pub fn index_dir(&self) -> PathBuf {
        self.dir.join("index")
    }

    /// The personal store (SQLite).
    pub fn store_file(&self) -> PathBuf {
        self.dir.join("guildhall.sqlite3")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hubs_are_kept_apart() {
        let a = HubPaths::new(Path::new("/data"), Path::new("/nonexistent/one/content"));
        let b = HubPaths::new(Path::new("/data"), Path::new("/nonexistent/two/content"));
        assert_ne!(a.dir, b.dir);
        assert!(a.dir.starts_with("/data/hubs"));
        assert!(a.dir.to_string_lossy().contains("content-"));
    }

    #[test]
    fn explicit_data_dir_wins() {
        assert_eq!(data_dir(Some(Path::new("/x"))), PathBuf::from("/x"));
    }
}
