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
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

mod authoring;
mod backlinks;
mod certificate;
mod drafts;
mod error;
mod eval;
mod files;
mod fresh;
mod gaps;
mod governance;
pub mod inputs;
mod paths;
mod personal;
mod shared;
mod team;
mod templates;
mod views;
mod watch;
pub use authoring::{IdentityView, ProposalFile, ProposalView, RollbackOutcome};
pub use backlinks::{Backlink, LinkPlace};
pub use certificate::{Certificate, CertificateFile, CertificateFormat, CertificateStep};
pub use drafts::{Draft, DraftUpdate, NewDraft, Preview, PreviewRequest, check_draft_path};
pub use error::{ErrorClass, ErrorCode, Problem};
pub use eval::{EVAL_DEPTH, EvalReport, EvalRow, Judgment, parse_judgments};
pub use files::HubFile;
pub use gaps::ContentGap;
pub use governance::{ApprovalRule, DUE_SOON_DAYS, Governance, MemberView, ReviewedDoc, RoleView};
pub use paths::{CONTENT_ENV, DATA_ENV, HubPaths, data_dir, downloads_dir};
pub use personal::{
    BookmarkView, CheckResult, CheckState, MAX_NOTE_BYTES, PathCard, PathProgressView, PathStepView, RecentItem,
    StepStatus, path_version,
};
pub use team::{BackgroundSync, SyncOutcome, SyncProblem, SyncView};
pub use templates::{Template, TemplateKind};
pub use views::{DocRef, DocSummary, DocView, Headline, KindCount, MemberRef, Overview, StepView, TermCard};
pub use watch::{DEBOUNCE, IndexWatcher, MAX_BATCH_WAIT, WatchStatus};

// The façade's vocabulary: exactly the types of the crates below that shells need, named here so
// that no shell reaches past the core (a test in `tests/architecture.rs` keeps it so).
pub use guildhall_content::{Audience, Date, Diagnostic, Kind, RenderOptions, Rendered, Severity};
use guildhall_content::{Catalog, LoadOptions};
pub use guildhall_index::{Facets, Hit, IndexError, SearchIndex, SearchRequest, SearchResponse, SyncReport};
pub use guildhall_review::{
    ChangeKind, ChangelogEntry, ChangelogFilter, Comment, CommentAction, FileChangeKind, Identity, Person, Proposal,
    Published, ReviewError, Rollback, Status, Version, VersionChange, rfc3339,
};
pub use guildhall_store::{Note, PersonalData, Profile, StoreError, Timestamp};
use guildhall_store::{Store, StoreOptions};
/// Team sync's transport, as the shells need it (by name: never the whole crate).
pub mod sync {
    pub use guildhall_sync::{
        Auth, MainUpdate, Progress, SyncError, SyncOptions, SyncReport, SyncStatus, clone, status,
    };
}
pub use shared::sync_hub;

/// How a hub is opened.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct HubOptions {
    /// The day stale pages are measured against; default: today (UTC).
    pub today: Option<Date>,
    /// How rendered pages write their links.
    pub render: RenderOptions,
    /// Days the search log keeps queries (default: the store's, 90).
    pub search_log_days: Option<u32>,
}

impl HubOptions {
    /// Keeps the search log for `days` days.
    pub fn with_search_log_days(mut self, days: u32) -> HubOptions {
        self.search_log_days = Some(days);
        self
    }
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
    /// The personal store could not be opened or written. A store written by a newer
    /// Guildhall, or a damaged one, is refused and left untouched; the message says how to
    /// recover.
    #[error(transparent)]
    Store(#[from] guildhall_store::StoreError),
    /// The hub was opened without a data directory, so it has no personal store.
    #[error("this hub was opened without personal state (open it with a data directory)")]
    NoStore,
    /// The request itself is not acceptable (too long, empty where a value is needed, ...): a 4xx,
    /// never used for Guildhall's own saved state (that is [`Error::Damaged`]).
    #[error("{0}")]
    Invalid(String),
    /// Guildhall's own saved state is damaged: the request was fine, and `hint` says how to
    /// recover.
    #[error("{message}")]
    Damaged { message: String, hint: String },
    /// The file watcher could not start.
    #[error("cannot watch the content folder: {0}")]
    Watch(String),
    /// A review action was refused (permission, self-approval, state, content errors, conflict,
    /// uncommitted edits) or failed (git, I/O); [`ReviewError::is_refusal`] tells which.
    #[error(transparent)]
    Review(#[from] ReviewError),
    /// Talking to the shared hub failed or was refused (a protected branch, a wrong token, `main`
    /// that kept moving, another sync running).
    #[error(transparent)]
    Sync(#[from] guildhall_sync::SyncError),
    /// A completion certificate was asked for a path the person has not completed.
    #[error("no certificate for `{id}`: the path has not been completed yet (mark every step as done first)")]
    NotCompleted { id: String },
    /// No draft has this id.
    #[error("no draft has the id `{0}`")]
    UnknownDraft(String),
    /// No file of the hub has this path (or it is not one that may be served).
    #[error("no file `{0}` in the hub")]
    UnknownFile(String),
    /// A sync was asked of a hub that has no remote.
    #[error(
        "`{}` is not a shared hub (it has no remote to sync with): join a shared hub with `guildhall clone URL`, \
         or add the hub's address with `git -C {} remote add origin URL`",
        .0.display(),
        .0.display()
    )]
    NotShared(PathBuf),
    /// A judgments file line is malformed.
    #[error("judgments line {line}: {message}")]
    Judgments { line: usize, message: String },
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
///
/// All methods take `&self`: a hub is shared by every request of a server or window. The
/// catalog is a snapshot behind a lock that the file watcher swaps when content changes; the
/// index synchronises itself; the personal store sits behind a mutex.
pub struct Hub {
    root: PathBuf,
    renderer_options: RenderOptions,
    today: Date,
    catalog: CatalogCell,
    search: Option<Arc<SearchIndex>>,
    index_status: Option<IndexStatus>,
    store: Option<Mutex<Store>>,
    /// A sync of this hub is running (one at a time; see `team`).
    syncing: std::sync::atomic::AtomicBool,
}

/// The current catalog, replaced as a whole when the content changes.
pub(crate) type CatalogCell = Arc<RwLock<Arc<Catalog>>>;

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").field("root", &self.root).field("documents", &self.catalog().documents().len()).finish()
    }
}

impl Hub {
    /// Loads, links and checks the hub in `content`, without search or personal state (what
    /// `check` and `render` need).
    pub fn open(content: &Path, options: &HubOptions) -> Result<Hub, Error> {
        let today = options.today.unwrap_or_else(Date::today_utc);
        let catalog = Catalog::load(content, &LoadOptions::default().with_today(today))?;
        Ok(Hub {
            root: content.to_path_buf(),
            renderer_options: options.render.clone(),
            today,
            catalog: Arc::new(RwLock::new(Arc::new(catalog))),
            search: None,
            index_status: None,
            store: None,
            syncing: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Loads the hub like [`Hub::open`], then opens its search index and personal store in
    /// `data` (one folder per hub, see [`HubPaths`]). The index is brought up to date: only
    /// documents whose content changed since the last run are re-indexed; a missing, damaged or
    /// outdated index is rebuilt ([`IndexStatus::rebuilt`] says why). A store written by a newer
    /// Guildhall, or damaged, is refused untouched with [`Error::Store`].
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
        // Taken before reading: if a file changes while the hub loads, the next search sees it.
        let fingerprint = guildhall_content::fingerprint(content).ok();
        let mut hub = Hub::open(content, options)?;
        let paths = HubPaths::new(data, content);
        let mut store_options = StoreOptions::default();
        if let Some(days) = options.search_log_days {
            store_options = store_options.with_search_log_retention_days(Some(days));
        }
        let mut store = Store::open(&paths.store_file(), &store_options)?;
        // Remember which hub this store belongs to, for exports and for people who find the file.
        let meta = guildhall_store::HubMeta {
            name: Some(hub.catalog().name().to_string()),
            content_path: content.canonicalize().ok().map(|p| p.to_string_lossy().into_owned()),
        };
        if store.hub_meta()? != meta {
            store.set_hub_meta(&meta)?;
        }
        // Personal data kept under ids the content no longer uses is moved to the new ids.
        store.rename_document_ids(&hub.catalog().renamed_ids())?;
        let dir = paths.index_dir();
        let (index, rebuilt) = SearchIndex::open(&dir)?;
        let sync = index.sync(&hub.catalog(), progress)?;
        if let Some(f) = fingerprint
            && sync.skipped_busy == 0
        {
            fresh::remember(&paths, f);
        }
        hub.index_status = Some(IndexStatus { dir, rebuilt, sync, documents: index.num_docs() });
        hub.search = Some(Arc::new(index));
        hub.store = Some(Mutex::new(store));
        Ok(hub)
    }

    /// The search index's state after opening; `None` without a data directory.
    pub fn index_status(&self) -> Option<&IndexStatus> {
        self.index_status.as_ref()
    }

    /// Searches the hub. Never fails because of what was typed.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, Error> {
        let index = self.search.as_ref().ok_or(Error::NoIndex)?;
        Ok(index.search(request)?)
    }

    /// Searches and records the query with its result count in the search log, which feeds
    /// the content-gap report. Shells call this for settled queries (Enter, a pause, a result
    /// opened), not for every keystroke.
    pub fn search_recorded(&self, request: &SearchRequest) -> Result<SearchResponse, Error> {
        let response = self.search(request)?;
        if let Some(store) = &self.store {
            lock(store).log_search(&request.query, response.total as u64)?;
        }
        Ok(response)
    }

    /// Starts keeping the hub fresh as files are saved: changed documents are re-indexed at
    /// once (debounced, batched, committed off the caller's thread), then the catalog is
    /// reloaded so pages, links and the glossary follow. Must be called inside a tokio
    /// runtime; dropping the returned watcher stops it.
    pub fn watch(&self) -> Result<IndexWatcher, Error> {
        let index = self.search.clone().ok_or(Error::NoIndex)?;
        watch::start(&self.root, index, self.catalog.clone(), LoadOptions::default().with_today(self.today))
    }

    /// The content folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The current documents, links and glossary: a snapshot, unaffected by later reloads.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Every problem found while loading, sorted by file and line.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.catalog().diagnostics().to_vec()
    }

    /// The sanitized HTML of one document, with its table of contents.
    pub fn render(&self, id: &str) -> Result<Rendered, Error> {
        let catalog = self.catalog();
        let r = catalog.renderer(self.renderer_options.clone());
        r.render_id(id).ok_or_else(|| self.unknown(id))
    }

    /// Every document of one kind (or all), in title order, as list rows.
    pub fn documents(&self, kind: Option<Kind>) -> Vec<DocSummary> {
        let catalog = self.catalog();
        let mut out: Vec<DocSummary> = catalog
            .documents()
            .iter()
            .filter(|d| kind.is_none_or(|k| d.kind() == k))
            .map(|d| views::summary(d, self.today))
            .collect();
        out.sort_by_cached_key(|d| d.title.to_lowercase());
        out
    }

    /// One document with everything its screen shows: HTML, contents, backlinks, hover cards.
    pub fn document(&self, id: &str) -> Result<DocView, Error> {
        let catalog = self.catalog();
        let index = catalog.index_of(id).ok_or_else(|| self.unknown(id))?;
        let renderer = catalog.renderer(self.renderer_options.clone());
        Ok(views::document(&catalog, &renderer, index, self.today))
    }

    /// The glossary, A to Z.
    pub fn glossary(&self) -> Vec<TermCard> {
        let mut terms: Vec<TermCard> = self.catalog().terms().filter_map(|(d, _)| views::term_card(d)).collect();
        terms.sort_by_cached_key(|t| t.term.to_lowercase());
        terms
    }

    /// Glossary lookups in both directions for a piece of text: the jargon it contains (terms
    /// and aliases) and the terms whose everyday phrases it contains.
    pub fn glossary_lookup(&self, text: &str) -> GlossaryLookup {
        let catalog = self.catalog();
        let terms: Vec<&guildhall_content::Document> = catalog.terms().map(|(d, _)| d).collect();
        let mut jargon: Vec<TermCard> = Vec::new();
        for f in catalog.glossary().find(text) {
            if let Some(card) = terms.get(f.term).and_then(|d| views::term_card(d))
                && !jargon.iter().any(|c| c.id == card.id)
            {
                jargon.push(card);
            }
        }
        let lower = text.to_lowercase();
        let plain = terms
            .iter()
            .filter(|d| {
                d.term().is_some_and(|t| {
                    t.plain_phrases.iter().any(|p| !p.trim().is_empty() && contains_words(&lower, &p.to_lowercase()))
                })
            })
            .filter_map(|d| views::term_card(d))
            .collect();
        GlossaryLookup { jargon, plain }
    }

    /// Counts, stale pages and content problems: the hub team's overview.
    pub fn overview(&self) -> Overview {
        views::overview(&self.catalog(), self.today)
    }

    /// Members, roles and who approves what; policies; pages overdue or due for review.
    pub fn governance(&self) -> Governance {
        governance::governance(&self.catalog(), self.today)
    }

    fn unknown(&self, id: &str) -> Error {
        Error::UnknownDocument { id: id.to_string(), suggestions: self.similar_ids(id, 3) }
    }

    /// Ids that look like `id`: the closest by edit distance, for "did you mean" hints.
    pub fn similar_ids(&self, id: &str, n: usize) -> Vec<String> {
        let id = id.to_lowercase();
        let catalog = self.catalog();
        let mut scored: Vec<(usize, &str)> = catalog
            .documents()
            .iter()
            .map(|d| {
                let dist = if d.id.contains(&id) && id.len() >= 3 { 1 } else { edit_distance(&id, &d.id) };
                (dist, d.id.as_str())
            })
            .filter(|&(dist, cand)| dist <= (cand.len().max(id.len()) / 3).max(1))
            .collect();
        scored.sort();
        scored.into_iter().take(n).map(|(_, s)| format!("`{s}`")).collect()
    }
}

/// The result of [`Hub::glossary_lookup`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GlossaryLookup {
    /// Terms whose name or alias appears in the text.
    pub jargon: Vec<TermCard>,
    /// Terms whose everyday phrases appear in the text.
    pub plain: Vec<TermCard>,
}

/// Whether `phrase` occurs in `text` on word boundaries.
fn contains_words(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The store's lock, recovering from a panic in another thread (the store's own transactions
/// keep the file consistent; a panic cannot leave half a write behind).
pub(crate) fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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
    fn glossary_lookups_work_both_ways() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("glossary")).expect("mkdir");
        std::fs::write(dir.path().join("guildhall.toml"), "").expect("a Guildhall hub");
        std::fs::write(
            dir.path().join("glossary/exponential-backoff.md"),
            "---\nterm: Exponential backoff\naliases: [backoff]\nplain: Wait longer each time.\nplain_phrases: [try again later]\n---\n",
        )
        .expect("write");
        let hub = Hub::open(dir.path(), &HubOptions::default()).expect("open");
        let l = hub.glossary_lookup("the flow should try again later");
        assert_eq!(l.plain.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["exponential-backoff"]);
        assert!(l.jargon.is_empty());
        let l = hub.glossary_lookup("configure the backoff");
        assert_eq!(l.jargon.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["exponential-backoff"]);
        assert!(!contains_words("retrying again later", "try again later"));
    }

    #[test]
    fn unknown_ids_get_suggestions() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("patterns")).expect("mkdir");
        std::fs::write(dir.path().join("guildhall.toml"), "").expect("a Guildhall hub");
        std::fs::write(dir.path().join("patterns/retry-with-backoff.md"), "---\ntitle: Retry\n---\nx").expect("write");
        let hub = Hub::open(dir.path(), &HubOptions::default()).expect("open");
        let err = hub.render("retry-with-backof").expect_err("unknown");
        assert!(err.to_string().contains("did you mean `retry-with-backoff`"), "{err}");
    }
}
