//! Guildhall's offline search: a tantivy index of one hub.
//!
//! The index is a cache of the content. It is kept in one folder (the core passes
//! `HubPaths::index_dir()`), holds every document of every kind and can be deleted at any time:
//! [`SearchIndex::open`] rebuilds it when it is missing, damaged or of another
//! [`SCHEMA_VERSION`], and [`SearchIndex::sync`] re-indexes only the documents whose content
//! hash changed since the last commit (the hashes live in a fast field, so the manifest commits
//! atomically with the documents).
//!
//! One [`SearchIndex`] owns the only `IndexWriter` (commits are explicit) and one long-lived
//! `IndexReader` with [`ReloadPolicy::Manual`]: every commit is made here and followed by a
//! reload, so a search after `sync`/`apply` returning always sees the change, with no file
//! watching thread inside tantivy.
//!
//! Queries never go through tantivy's query parser: see [`query`] for how text becomes a query
//! and [`glossary`] for the plain-words ↔ jargon expansion.
//!
//! The crate knows documents ([`guildhall_content`]) and nothing of databases, HTTP, UIs or
//! the command line.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use guildhall_content::{Audience, Document, Kind, fnv1a64};
use serde::{Deserialize, Serialize};
use tantivy::schema::Schema;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy};

mod correct;
mod facets;
pub mod glossary;
pub mod query;
mod schema;
mod search;
mod snippet;
mod update;

pub use facets::Facets;
pub use schema::SCHEMA_VERSION;
pub use snippet::{Highlighter, escape_into};

use glossary::Expander;
use schema::{Fields, raw_analyzer, stem_analyzer};

/// At most this many hits are returned by one search.
pub const MAX_LIMIT: usize = 200;
/// At most this many words of a query are matched with typos.
pub const MAX_FUZZY: usize = 4;
/// The last word is matched as a prefix from this many characters on.
pub const MIN_PREFIX_CHARS: usize = 3;
/// Snippets are about this many characters long.
pub const SNIPPET_CHARS: usize = 180;

/// Everything that can go wrong with the index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("cannot use the index folder `{}`: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// Another process holds the index's writer lock (a running `serve` or app).
    #[error("the search index is being updated by another Guildhall process")]
    Busy,
}

/// A search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchRequest {
    /// What was typed; anything is accepted.
    pub query: String,
    /// Only these kinds (in addition to `kind:` in the query).
    pub kinds: Vec<Kind>,
    /// Only documents with all these tags (in addition to `tag:`).
    pub tags: Vec<String>,
    /// Only documents for one of these audiences (in addition to `audience:`).
    pub audiences: Vec<Audience>,
    /// How many hits to return (1 to [`MAX_LIMIT`]).
    pub limit: usize,
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest { query: query.into(), kinds: Vec::new(), tags: Vec::new(), audiences: Vec::new(), limit: 10 }
    }

    pub fn with_limit(mut self, limit: usize) -> SearchRequest {
        self.limit = limit;
        self
    }

    pub fn with_kind(mut self, kind: Kind) -> SearchRequest {
        self.kinds.push(kind);
        self
    }

    pub fn with_tag(mut self, tag: impl Into<String>) -> SearchRequest {
        self.tags.push(tag.into());
        self
    }

    pub fn with_audience(mut self, audience: Audience) -> SearchRequest {
        self.audiences.push(audience);
        self
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub summary: String,
    /// The file, relative to the hub folder.
    pub path: String,
    pub score: f32,
    /// Sanitized HTML: escaped text with `<mark>` around matches.
    pub snippet: String,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    pub query: String,
    /// Phrases added by the glossary (`also searched: exponential backoff`).
    pub expanded: Vec<String>,
    /// What was cut or ignored in the query, in words for the user.
    pub notices: Vec<String>,
    /// How many documents matched.
    pub total: usize,
    pub took_us: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

impl SearchResponse {
    /// Whether nothing matched a query that asked for something: a content gap.
    pub fn is_zero_result(&self) -> bool {
        self.total == 0 && !self.query.trim().is_empty()
    }
}

/// What an update did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Documents found indexed twice (by an older version) and indexed once again.
    pub repaired: usize,
    /// Changes found but not written, because another process holds the index.
    pub skipped_busy: usize,
    #[serde(serialize_with = "as_millis")]
    pub took: Duration,
}

impl SyncReport {
    pub fn changed(&self) -> usize {
        self.added + self.updated + self.removed
    }
}

fn as_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

/// A change to apply without reloading the whole hub (the file watcher's path).
#[derive(Debug, Clone)]
pub enum Change {
    /// A document was added or saved.
    Upsert(Box<Document>),
    /// The file at this relative path is gone (or no longer a document).
    Remove(String),
    /// The document with this path key (see [`path_key`] and [`SearchIndex::manifest`]) is gone.
    RemoveKey(u64),
}

/// The key of a file path in the index.
pub fn path_key(path: &str) -> u64 {
    fnv1a64(path.as_bytes())
}

/// An open index.
pub struct SearchIndex {
    dir: PathBuf,
    reader: IndexReader,
    /// `None` when another process holds the writer lock: searches work, updates are skipped.
    writer: Mutex<Option<IndexWriter>>,
    f: Fields,
    stem: TextAnalyzer,
    raw: TextAnalyzer,
    expander: RwLock<Arc<Expander>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("dir", &self.dir).finish_non_exhaustive()
    }
}

/// Why an existing index could not be used as it is.
type Reason = String;

impl SearchIndex {
    /// Opens the index in `dir`, creating it, or rebuilding it when it is missing, damaged or of
    /// another schema version. Returns why it was (re)built, if it was. The index may be empty or
    /// stale: call [`SearchIndex::sync`] next.
    pub fn open(dir: &Path) -> Result<(SearchIndex, Option<Reason>), IndexError> {
        match SearchIndex::try_open(dir) {
            Ok(Ok(ix)) => Ok((ix, None)),
            Ok(Err(reason)) => Ok((SearchIndex::create(dir)?, Some(reason))),
            Err(e) => Err(e),
        }
    }

    /// `Ok(Err(reason))` when the index must be rebuilt.
    fn try_open(dir: &Path) -> Result<Result<SearchIndex, Reason>, IndexError> {
        if !dir.join("meta.json").exists() {
            return Ok(Err("no index yet".into()));
        }
        let index = match Index::open_in_dir(dir) {
            Ok(i) => i,
            Err(e) => return Ok(Err(format!("the index cannot be opened ({e})"))),
        };
        let version = index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
            .map(|p| p.schema_version);
        if version != Some(SCHEMA_VERSION) {
            let was = version.map_or_else(|| "unknown".to_string(), |v| v.to_string());
            return Ok(Err(format!("the schema version changed ({was} → {SCHEMA_VERSION})")));
        }
        let (schema, fields) = schema::build();
        if index.schema() != schema {
            return Ok(Err("the schema changed".into()));
        }
        match index.validate_checksum() {
            Ok(damaged) if damaged.is_empty() => {}
            Ok(damaged) => {
                let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
                names.sort();
                return Ok(Err(format!("damaged index files: {}", names.join(", "))));
            }
            Err(e) => return Ok(Err(format!("the index files cannot be checked ({e})"))),
        }
        let ix = match SearchIndex::with_index(dir, index, fields) {
            Ok(ix) => ix,
            Err(IndexError::Busy) => return Err(IndexError::Busy),
            Err(e) => return Ok(Err(format!("the index cannot be read ({e})"))),
        };
        // Reading the manifest touches every segment's fast fields: a damaged segment shows here.
        if let Err(e) = ix.manifest() {
            return Ok(Err(format!("the index cannot be read ({e})")));
        }
        Ok(Ok(ix))
    }

    fn create(dir: &Path) -> Result<SearchIndex, IndexError> {
        let io = |source| IndexError::Io { path: dir.to_path_buf(), source };
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(io)?;
        }
        std::fs::create_dir_all(dir).map_err(io)?;
        let (schema, fields): (Schema, Fields) = schema::build();
        let index = Index::create_in_dir(dir, schema)?;
        let ix = SearchIndex::with_index(dir, index, fields)?;
        // An empty first commit records the schema version.
        ix.commit_locked(&mut ix.writer.lock().unwrap_or_else(PoisonError::into_inner))?;
        Ok(ix)
    }

    fn with_index(dir: &Path, index: Index, f: Fields) -> Result<SearchIndex, IndexError> {
        index.tokenizers().register(schema::STEM, stem_analyzer());
        index.tokenizers().register(schema::RAW, raw_analyzer());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
        let writer = match index.writer_with_num_threads(threads, threads * 48_000_000) {
            Ok(w) => Some(w),
            Err(tantivy::TantivyError::LockFailure(..)) => None,
            Err(e) => return Err(e.into()),
        };
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex {
            dir: dir.to_path_buf(),
            reader,
            writer: Mutex::new(writer),
            f,
            stem: stem_analyzer(),
            raw: raw_analyzer(),
            expander: RwLock::new(Arc::new(Expander::default())),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether this process can update the index (no other process holds it).
    pub fn is_writable(&self) -> bool {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner).is_some()
    }

    /// How many documents are searchable.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Waits for background merges to finish and releases the writer (for a clean exit).
    pub fn close(self) -> Result<(), IndexError> {
        let writer = self.writer.into_inner().unwrap_or_else(PoisonError::into_inner);
        if let Some(w) = writer {
            w.wait_merging_threads()?;
        }
        Ok(())
    }
}

#[derive(Serialize, Deserialize)]
struct Payload {
    schema_version: u32,
}
