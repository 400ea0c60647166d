//! Keeping the search index and the catalog fresh while a long-running shell (`serve`, the
//! app) is open.
//!
//! A `notify` watcher on the content folder feeds a tokio task that waits until saves have been
//! quiet for [`DEBOUNCE`] (at most [`MAX_BATCH_WAIT`] in all), then re-reads only the Markdown
//! files that changed and commits them in one batch on a blocking thread, off the UI path.
//! Folder renames, deletions of folders and overflowing event queues fall back to a rescan: every
//! file is read and hashed, and only files whose hash differs from the index's are parsed and
//! re-indexed (at 100k documents a second, not a full reload).
//!
//! inotify reports every `open()` in the tree, so reading the whole hub (our own rescan, the
//! watch registration walking 20k folders, a user's grep) can overflow the kernel queue and ask
//! for yet another rescan. Rescan requests that arrive while (or just after) we read the whole
//! hub ourselves, or while the watch is being set up right after the hub was synced, are
//! therefore dropped; file events from that time are kept.
//!
//! After each indexed batch the catalog (pages, links, glossary) is reloaded on its own task, so
//! a slow whole-hub reload never delays the next save's indexing.

use std::collections::{BTreeSet, HashSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use guildhall_content::{Catalog, Limits, LoadOptions, fnv1a64, is_markdown, parse_document, read_hub};
use guildhall_index::{Change, SearchIndex, SyncReport, path_key};
use notify::{RecursiveMode, Watcher as _};
use tokio::sync::{mpsc, watch};

use crate::{CatalogCell, Error};

/// How long saves must be quiet before a batch is indexed.
pub const DEBOUNCE: Duration = Duration::from_millis(200);
/// A batch is indexed at the latest this long after its first change, even if saves go on.
pub const MAX_BATCH_WAIT: Duration = Duration::from_millis(600);
/// Rescan requests this soon after the watch starts, or after we read the whole hub, are our
/// own doing.
const SETTLE: Duration = Duration::from_millis(500);
/// Files larger than this are not documents (the content crate's limit).
const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// What the watcher last did.
#[derive(Debug, Clone, Default)]
pub struct WatchStatus {
    /// Increases with every batch indexed.
    pub generation: u64,
    pub report: Option<SyncReport>,
    /// Why the last batch failed, if it did.
    pub error: Option<String>,
    /// Why the last batch needed a full (hash-checked) sync instead of single files, if it did.
    pub full_sync: Option<String>,
}

/// A running watcher. Dropping it stops watching.
pub struct IndexWatcher {
    _watcher: notify::RecommendedWatcher,
    task: tokio::task::JoinHandle<()>,
    reloader: tokio::task::JoinHandle<()>,
    status: watch::Receiver<WatchStatus>,
}

impl std::fmt::Debug for IndexWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexWatcher").field("status", &*self.status.borrow()).finish_non_exhaustive()
    }
}

impl IndexWatcher {
    /// Follows what the watcher did (e.g. to refresh a result list after a batch).
    pub fn status(&self) -> watch::Receiver<WatchStatus> {
        self.status.clone()
    }
}

impl Drop for IndexWatcher {
    fn drop(&mut self) {
        self.task.abort();
        self.reloader.abort();
    }
}

#[derive(Debug, Default)]
struct Batch {
    paths: BTreeSet<PathBuf>,
    /// Why single-file updates are not enough.
    rescan: Option<String>,
}

pub(crate) fn start(
    root: &Path,
    index: Arc<SearchIndex>,
    catalog: CatalogCell,
    load: LoadOptions,
) -> Result<IndexWatcher, Error> {
    let runtime = tokio::runtime::Handle::try_current()
        .map_err(|_| Error::Watch("the file watcher needs a running tokio runtime".into()))?;
    let root = root.canonicalize().map_err(|e| Error::Watch(format!("cannot watch `{}`: {e}", root.display())))?;
    let (tx, mut rx) = mpsc::unbounded_channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(move |event| {
        // The receiver is gone only when the watcher is being dropped.
        let _ = tx.send(event);
    })
    .map_err(|e| Error::Watch(e.to_string()))?;
    watcher.watch(&root, RecursiveMode::Recursive).map_err(|e| Error::Watch(e.to_string()))?;
    let (status_tx, status) = watch::channel(WatchStatus::default());
    let quiet_until = Quiet::default();
    quiet_until.mark();
    let reload = Arc::new(tokio::sync::Notify::new());
    let reloader = {
        let (root, reload, quiet) = (root.clone(), reload.clone(), quiet_until.clone());
        runtime.spawn(async move {
            loop {
                // Saves during a reload coalesce into one more reload.
                reload.notified().await;
                let (root, catalog, load, quiet) = (root.clone(), catalog.clone(), load.clone(), quiet.clone());
                let _ = tokio::task::spawn_blocking(move || {
                    if let Ok(fresh) = Catalog::load(&root, &load) {
                        *catalog.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(fresh);
                    }
                    // Loading opened every file.
                    quiet.mark();
                })
                .await;
            }
        })
    };
    let task = runtime.spawn(async move {
        let mut generation = 0;
        let mut batch = Batch::default();
        loop {
            if batch.paths.is_empty() {
                let Some(first) = rx.recv().await else { return };
                add(&mut batch, first, &quiet_until);
            }
            let deadline = tokio::time::Instant::now() + MAX_BATCH_WAIT;
            loop {
                let wait = DEBOUNCE.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
                match tokio::time::timeout(wait, rx.recv()).await {
                    Ok(Some(event)) => add(&mut batch, event, &quiet_until),
                    Ok(None) => return,
                    Err(_) => break,
                }
            }
            if batch.paths.is_empty() && batch.rescan.is_none() {
                continue;
            }
            let batch = std::mem::take(&mut batch);
            let (root2, index2) = (root.clone(), index.clone());
            let quiet = quiet_until.clone();
            let result = tokio::task::spawn_blocking(move || {
                let out = apply(&root2, &index2, batch);
                if matches!(&out, Ok((_, Some(_)))) {
                    // Our own rescan opened every file: an overflow it caused is no news.
                    quiet.mark();
                }
                out
            })
            .await;
            // The index is current now; the pages, links and glossary follow, off this loop so
            // that the next save is not held up by a whole-hub reload.
            reload.notify_one();
            generation += 1;
            let status = match result {
                Ok(Ok((report, full_sync))) => WatchStatus { generation, report: Some(report), error: None, full_sync },
                Ok(Err(e)) => WatchStatus { generation, error: Some(e.to_string()), ..WatchStatus::default() },
                Err(e) => {
                    WatchStatus { generation, error: Some(format!("indexing stopped: {e}")), ..WatchStatus::default() }
                }
            };
            if status_tx.send(status).is_err() {
                return;
            }
        }
    });
    Ok(IndexWatcher { _watcher: watcher, task, reloader, status })
}

/// Until when rescan requests are our own doing (we just read every file) and are dropped.
#[derive(Debug, Clone, Default)]
struct Quiet(Arc<std::sync::Mutex<Option<std::time::Instant>>>);

impl Quiet {
    fn mark(&self) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(std::time::Instant::now() + SETTLE);
    }

    fn active(&self) -> bool {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).is_some_and(|t| std::time::Instant::now() < t)
    }
}

fn add(batch: &mut Batch, event: notify::Result<notify::Event>, quiet: &Quiet) {
    match event {
        Ok(e) => {
            if e.need_rescan() && !quiet.active() {
                batch.rescan = Some("the file system asked for a rescan".into());
            }
            if matches!(e.kind, notify::EventKind::Access(_)) {
                return;
            }
            batch.paths.extend(e.paths);
        }
        Err(e) => batch.rescan = Some(format!("watch error: {e}")),
    }
}

/// Indexes one batch: single Markdown files directly, anything else by a full (hash-checked) sync.
fn apply(root: &Path, index: &SearchIndex, batch: Batch) -> Result<(SyncReport, Option<String>), Error> {
    let mut changes = Vec::new();
    let mut rescan = batch.rescan;
    for path in &batch.paths {
        let Ok(rel) = path.strip_prefix(root) else { continue };
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        if parts.is_empty() || parts.iter().any(|p| p.starts_with('.') || p == "node_modules") {
            continue;
        }
        let rel = parts.join("/");
        let name = parts.last().map_or("", String::as_str);
        if !is_markdown(name) {
            // A folder created, renamed or removed: only a full sync sees what moved.
            if !path.is_file() {
                rescan.get_or_insert_with(|| format!("`{rel}` is not a Markdown file"));
            }
            continue;
        }
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            rescan.get_or_insert_with(|| format!("`{rel}` is a symbolic link"));
            continue;
        }
        match read_document(path) {
            Some(bytes) => match parse_document(&rel, &bytes, &Limits::default()) {
                (Some(doc), _) => changes.push(Change::Upsert(Box::new(doc))),
                (None, _) => changes.push(Change::Remove(rel)),
            },
            None => changes.push(Change::Remove(rel)),
        }
    }
    if let Some(why) = rescan {
        return Ok((rescan_hub(root, index)?, Some(why)));
    }
    Ok((index.apply(changes)?, None))
}

/// Reads and hashes every file; parses and indexes only those whose hash changed, removes the
/// documents whose file is gone.
fn rescan_hub(root: &Path, index: &SearchIndex) -> Result<SyncReport, Error> {
    let (sources, _, _, _) = read_hub(root, &LoadOptions::default())?;
    let manifest = index.manifest()?;
    let mut present = HashSet::with_capacity(sources.len());
    let mut changes = Vec::new();
    let mut unchanged = 0;
    for src in sources {
        let Ok(bytes) = src.bytes else { continue };
        let key = path_key(&src.path);
        present.insert(key);
        if manifest.get(&key) == Some(&fnv1a64(&bytes)) {
            unchanged += 1;
            continue;
        }
        match parse_document(&src.path, &bytes, &Limits::default()) {
            (Some(doc), _) => changes.push(Change::Upsert(Box::new(doc))),
            (None, _) => changes.push(Change::Remove(src.path)),
        }
    }
    changes.extend(manifest.keys().filter(|k| !present.contains(k)).map(|&k| Change::RemoveKey(k)));
    let mut report = index.apply(changes)?;
    report.unchanged += unchanged;
    Ok(report)
}

/// The bytes of a regular file, or `None` when it is gone, not a regular file or too large.
fn read_document(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path).ok()?.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: at 100k documents an inotify queue overflow (caused by the watch registration
    /// itself) made the first save wait for a full catalog reload, 7-13 s. A rescan now hashes
    /// files and re-indexes only the changed ones.
    #[test]
    fn rescan_after_queue_overflow_reindexes_only_changed_files() {
        let content = tempfile::tempdir().expect("tempdir");
        let data = tempfile::tempdir().expect("tempdir");
        for i in 0..5 {
            let path = content.path().join(format!("guides/page-{i}.md"));
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, format!("---\ntitle: Page {i}\n---\nText {i}.\n")).expect("write");
        }
        let hub = crate::Hub::open_with_data(content.path(), data.path(), &crate::HubOptions::default()).expect("open");
        let index = hub.search.clone().expect("index");
        std::fs::write(content.path().join("guides/page-1.md"), "---\ntitle: Page 1\n---\nChanged.\n").expect("write");
        std::fs::remove_file(content.path().join("guides/page-2.md")).expect("rm");
        std::fs::create_dir_all(content.path().join("moved")).expect("mkdir");
        std::fs::rename(content.path().join("guides/page-3.md"), content.path().join("moved/page-3.md")).expect("mv");
        let batch = Batch { paths: BTreeSet::new(), rescan: Some("overflow".into()) };
        let (report, why) = apply(&content.path().canonicalize().expect("canon"), &index, batch).expect("apply");
        assert_eq!(why.as_deref(), Some("overflow"));
        assert_eq!((report.added, report.updated, report.removed, report.unchanged), (1, 1, 2, 2));
        let r = hub.search(&crate::SearchRequest::new("changed")).expect("search");
        assert_eq!(r.hits[0].id, "page-1");
        let r = hub.search(&crate::SearchRequest::new("text 3")).expect("search");
        assert_eq!(r.hits[0].path, "moved/page-3.md");
    }
}
