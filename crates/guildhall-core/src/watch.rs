//! Keeping the search index and the catalog fresh while a long-running shell (`serve`, the
//! app) is open.
//!
//! A `notify` watcher on the content folder feeds a tokio task that waits until saves have been
//! quiet for [`DEBOUNCE`] (at most [`MAX_BATCH_WAIT`] in all), then re-reads only the Markdown
//! files that changed and commits them in one batch on a blocking thread, off the UI path.
//! Folder renames, deletions of folders and overflowing event queues fall back to a full sync,
//! which still only re-indexes documents whose content hash changed.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use guildhall_content::{Catalog, Limits, LoadOptions, is_markdown, parse_document};
use guildhall_index::{Change, SearchIndex, SyncReport};
use notify::{RecursiveMode, Watcher as _};
use tokio::sync::{mpsc, watch};

use crate::{CatalogCell, Error};

/// How long saves must be quiet before a batch is indexed.
pub const DEBOUNCE: Duration = Duration::from_millis(200);
/// A batch is indexed at the latest this long after its first change, even if saves go on.
pub const MAX_BATCH_WAIT: Duration = Duration::from_millis(600);
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
}

/// A running watcher. Dropping it stops watching.
pub struct IndexWatcher {
    _watcher: notify::RecommendedWatcher,
    task: tokio::task::JoinHandle<()>,
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
    }
}

#[derive(Debug, Default)]
struct Batch {
    paths: BTreeSet<PathBuf>,
    rescan: bool,
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
    let task = runtime.spawn(async move {
        let mut generation = 0;
        while let Some(first) = rx.recv().await {
            let mut batch = Batch::default();
            add(&mut batch, first);
            let deadline = tokio::time::Instant::now() + MAX_BATCH_WAIT;
            loop {
                let wait = DEBOUNCE.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
                match tokio::time::timeout(wait, rx.recv()).await {
                    Ok(Some(event)) => add(&mut batch, event),
                    Ok(None) => return,
                    Err(_) => break,
                }
            }
            if batch.paths.is_empty() && !batch.rescan {
                continue;
            }
            let (root, index, catalog, load) = (root.clone(), index.clone(), catalog.clone(), load.clone());
            let result = tokio::task::spawn_blocking(move || {
                let report = apply(&root, &index, batch)?;
                // The index is current now; then the pages, links and glossary follow.
                let fresh = Catalog::load(&root, &load)?;
                *catalog.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(fresh);
                Ok::<_, Error>(report)
            })
            .await;
            generation += 1;
            let status = match result {
                Ok(Ok(report)) => WatchStatus { generation, report: Some(report), error: None },
                Ok(Err(e)) => WatchStatus { generation, report: None, error: Some(e.to_string()) },
                Err(e) => WatchStatus { generation, report: None, error: Some(format!("indexing stopped: {e}")) },
            };
            if status_tx.send(status).is_err() {
                return;
            }
        }
    });
    Ok(IndexWatcher { _watcher: watcher, task, status })
}

fn add(batch: &mut Batch, event: notify::Result<notify::Event>) {
    match event {
        Ok(e) => {
            if e.need_rescan() {
                batch.rescan = true;
            }
            if matches!(e.kind, notify::EventKind::Access(_)) {
                return;
            }
            batch.paths.extend(e.paths);
        }
        Err(_) => batch.rescan = true,
    }
}

/// Indexes one batch: single Markdown files directly, anything else by a full (hash-checked) sync.
fn apply(root: &Path, index: &SearchIndex, batch: Batch) -> Result<SyncReport, Error> {
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
                rescan = true;
            }
            continue;
        }
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            rescan = true;
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
    if rescan {
        let catalog = Catalog::load(root, &LoadOptions::default())?;
        return Ok(index.sync(&catalog, &mut |_, _| {})?);
    }
    Ok(index.apply(changes)?)
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
