//! Guildhall's core: the one API every shell (the `guildhall` CLI, the desktop app, the HTTP
//! server) calls.
//!
//! A [`Hub`] is a content folder opened for use. Shells convert their input, call a method here
//! and map the typed [`Error`]; they never parse strings or reach into the crates below.
//!
//! ```no_run
//! use guildhall_core::{Hub, HubOptions};
//!
//! let hub = Hub::open("content".as_ref(), &HubOptions::default())?;
//! for d in hub.diagnostics() {
//!     eprintln!("{d}");
//! }
//! let page = hub.render("retry-with-backoff")?;
//! println!("{}", page.html);
//! # Ok::<(), guildhall_core::Error>(())
//! ```
//!
//! Shells that search open the hub with a data directory, which also opens (and updates) the
//! hub's search index:
//!
//! ```no_run
//! use guildhall_core::{Hub, HubOptions, SearchRequest, data_dir};
//!
//! let hub = Hub::open_with_data("content".as_ref(), &data_dir(None), &HubOptions::default())?;
//! let found = hub.search(&SearchRequest::new("try again later"))?;
//! println!("{} results, also searched: {:?}", found.total, found.expanded);
//! # Ok::<(), guildhall_core::Error>(())
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;

mod eval;
mod paths;
mod watch;
pub use eval::{EVAL_DEPTH, EvalReport, EvalRow, Judgment, parse_judgments};
pub use paths::{CONTENT_ENV, DATA_ENV, HubPaths, data_dir};
pub use watch::{DEBOUNCE, IndexWatcher, MAX_BATCH_WAIT, WatchStatus};

pub use guildhall_index as index;
pub use guildhall_index::{Facets, Hit, IndexError, SearchIndex, SearchRequest, SearchResponse, SyncReport};

pub use guildhall_content as content;
use guildhall_content::{Catalog, Date, Diagnostic, LoadOptions, RenderOptions, Rendered, Renderer};

/// How a hub is opened.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct HubOptions {
    /// The day stale pages are measured against; default: today (UTC).
    pub today: Option<Date>,
    /// How rendered pages write their links.
    pub render: RenderOptions,
}

/// Everything that can go wrong in the core, by kind, so that shells can map each to an exit
/// code, an HTTP status or a message without parsing text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The content folder is missing or unreadable.
    #[error("cannot open the hub: {0}")]
    Load(#[from] guildhall_content::LoadError),
    /// No document has this id.
    #[error("no document has the id `{id}`{}", suggestion_text(.suggestions))]
    UnknownDocument { id: String, suggestions: Vec<String> },
    /// The search index could not be opened, updated or read.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The hub was opened without a data directory, so it has no search index.
    #[error("this hub was opened without a search index (open it with a data directory)")]
    NoIndex,
    /// The file watcher could not start.
    #[error("cannot watch the content folder: {0}")]
    Watch(String),
    /// A judgments file line is malformed.
    #[error("judgments line {line}: {message}")]
    Judgments { line: usize, message: String },
}

/// Told about every search, e.g. to record queries that found nothing for a content-gap
/// report (see [`SearchResponse::is_zero_result`]). Called on the searching thread: keep it
/// quick (queue the write).
pub trait SearchObserver: Send + Sync {
    fn searched(&self, request: &SearchRequest, response: &SearchResponse);
}

/// The state of a hub's search index after opening.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IndexStatus {
    /// The index folder.
    pub dir: PathBuf,
    /// Why the index was built from scratch, if it was (missing, damaged, new schema).
    pub rebuilt: Option<String>,
    /// What the update on opening did.
    pub sync: SyncReport,
    /// Documents now searchable.
    pub documents: u64,
}

fn suggestion_text(s: &[String]) -> String {
    if s.is_empty() { String::new() } else { format!("; did you mean {}?", s.join(", ")) }
}

/// An open hub.
pub struct Hub {
    root: PathBuf,
    renderer_options: RenderOptions,
    catalog: Catalog,
    search: Option<Arc<SearchIndex>>,
    index_status: Option<IndexStatus>,
    observer: Option<Arc<dyn SearchObserver>>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").field("root", &self.root).field("documents", &self.catalog.documents().len()).finish()
    }
}

impl Hub {
    /// Loads, links and checks the hub in `content`.
    pub fn open(content: &Path, options: &HubOptions) -> Result<Hub, Error> {
        let today = options.today.unwrap_or_else(Date::today_utc);
        let catalog = Catalog::load(content, &LoadOptions::default().with_today(today))?;
        Ok(Hub {
            root: content.to_path_buf(),
            renderer_options: options.render.clone(),
            catalog,
            search: None,
            index_status: None,
            observer: None,
        })
    }

    /// Loads the hub like [`Hub::open`], then opens its search index in `data` (one folder per
    /// hub, see [`HubPaths`]) and brings it up to date: only documents whose content changed
    /// since the last run are re-indexed; a missing, damaged or outdated index is rebuilt
    /// ([`IndexStatus::rebuilt`] says why).
    pub fn open_with_data(content: &Path, data: &Path, options: &HubOptions) -> Result<Hub, Error> {
        Hub::open_indexed(content, data, options, &mut |_, _| {})
    }

    /// [`Hub::open_with_data`], reporting indexing progress as (done, to do).
    pub fn open_indexed(
        content: &Path,
        data: &Path,
        options: &HubOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Hub, Error> {
        let mut hub = Hub::open(content, options)?;
        let dir = HubPaths::new(data, content).index_dir();
        let (index, rebuilt) = SearchIndex::open(&dir)?;
        let sync = index.sync(&hub.catalog, progress)?;
        hub.index_status = Some(IndexStatus { dir, rebuilt, sync, documents: index.num_docs() });
        hub.search = Some(Arc::new(index));
        Ok(hub)
    }

    /// The search index's state after opening; `None` without a data directory.
    pub fn index_status(&self) -> Option<&IndexStatus> {
        self.index_status.as_ref()
    }

    /// Searches the hub. Never fails because of what was typed.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, Error> {
        let index = self.search.as_ref().ok_or(Error::NoIndex)?;
        let response = index.search(request)?;
        if let Some(o) = &self.observer {
            o.searched(request, &response);
        }
        Ok(response)
    }

    /// Tells `observer` about every search from now on.
    pub fn set_search_observer(&mut self, observer: Arc<dyn SearchObserver>) {
        self.observer = Some(observer);
    }

    /// Starts keeping the search index fresh as files are saved (debounced, batched, committed
    /// off the caller's thread). Must be called inside a tokio runtime; dropping the returned
    /// watcher stops it. The rendered catalog is not reloaded: reopen the hub for that.
    pub fn watch(&self) -> Result<IndexWatcher, Error> {
        let index = self.search.clone().ok_or(Error::NoIndex)?;
        watch::start(&self.root, index)
    }

    /// The content folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The loaded documents, links and glossary.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Every problem found while loading, sorted by file and line.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.catalog.diagnostics()
    }

    /// A renderer for many pages in a row.
    pub fn renderer(&self) -> Renderer<'_> {
        self.catalog.renderer(self.renderer_options.clone())
    }

    /// The sanitized HTML of one document, with its table of contents.
    pub fn render(&self, id: &str) -> Result<Rendered, Error> {
        self.renderer().render_id(id).ok_or_else(|| self.unknown(id))
    }

    fn unknown(&self, id: &str) -> Error {
        Error::UnknownDocument { id: id.to_string(), suggestions: self.similar_ids(id, 3) }
    }

    /// Ids that look like `id`: the closest by edit distance, for "did you mean" hints.
    pub fn similar_ids(&self, id: &str, n: usize) -> Vec<String> {
        let id = id.to_lowercase();
        let mut scored: Vec<(usize, &str)> = self
            .catalog
            .documents()
            .iter()
            .map(|d| {
                let dist = if d.id.contains(&id) && id.len() >= 3 { 1 } else { edit_distance(&id, &d.id) };
                (dist, d.id.as_str())
            })
            .filter(|&(dist, cand)| dist <= (cand.len().max(id.len()) / 3).max(2))
            .collect();
        scored.sort();
        scored.into_iter().take(n).map(|(_, s)| format!("`{s}`")).collect()
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + usize::from(ca != cb));
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("retry", "retry"), 0);
        assert_eq!(edit_distance("retyr", "retry"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn unknown_ids_get_suggestions() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("patterns")).expect("mkdir");
        std::fs::write(dir.path().join("patterns/retry-with-backoff.md"), "---\ntitle: Retry\n---\nx").expect("write");
        let hub = Hub::open(dir.path(), &HubOptions::default()).expect("open");
        let err = hub.render("retry-with-backof").expect_err("unknown");
        assert!(err.to_string().contains("did you mean `retry-with-backoff`"), "{err}");
    }
}
