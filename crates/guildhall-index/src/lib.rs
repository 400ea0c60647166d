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

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use guildhall_content::{Audience, Catalog, Document, Kind, KindFields, fnv1a64};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Schema, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

mod facets;
pub mod glossary;
pub mod query;
mod schema;
mod snippet;

pub use facets::Facets;
pub use schema::SCHEMA_VERSION;
pub use snippet::{Highlighter, escape_into};

use glossary::{Expander, TermEntry, is_stopword};
use schema::{Fields, raw_analyzer, stem_analyzer, tokens};

/// At most this many hits are returned by one search.
pub const MAX_LIMIT: usize = 200;
/// At most this many words of a query are matched with typos.
pub const MAX_FUZZY: usize = 4;
/// The last word is matched as a prefix from this many characters on.
pub const MIN_PREFIX_CHARS: usize = 3;
/// Snippets are about this many characters long.
pub const SNIPPET_CHARS: usize = 180;

/// Field weights: names above summaries above bodies.
const W_TITLE: f32 = 3.0;
const W_NAMES: f32 = 3.0;
const W_SUMMARY: f32 = 1.5;
const W_BODY: f32 = 1.0;
/// Expanded phrases weigh this fraction of typed words.
const W_EXPANSION: f32 = 0.35;
/// A typo match scores a constant this small; it only runs for words no document contains, so a
/// typo match never competes with an exact match of the same word.
const W_FUZZY: f32 = 0.6;
const W_FUZZY_HEAD: f32 = 1.5;
/// Added once per distinct query word a page contains.
const W_COORD: f32 = 3.0;
const W_PREFIX_HEAD: f32 = 1.0;
const W_PREFIX_BODY: f32 = 0.3;
/// An exact title, term or alias match: above anything else.
const W_EXACT: f32 = 100.0;
/// The query is the start of (or a typo of) a whole title or name.
const W_EXACT_PREFIX: f32 = 6.0;

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

    /// Path key → content hash of every indexed document.
    pub fn manifest(&self) -> Result<HashMap<u64, u64>, IndexError> {
        let searcher = self.reader.searcher();
        let mut map = HashMap::with_capacity(searcher.num_docs() as usize);
        for seg in searcher.segment_readers() {
            let keys = seg.fast_fields().u64("path_key")?;
            let hashes = seg.fast_fields().u64("hash")?;
            let alive = seg.alive_bitset();
            for doc in 0..seg.max_doc() {
                if alive.is_some_and(|a| a.is_deleted(doc)) {
                    continue;
                }
                if let (Some(k), Some(h)) = (keys.first(doc), hashes.first(doc)) {
                    map.insert(k, h);
                }
            }
        }
        Ok(map)
    }

    /// Brings the index in line with `catalog`: documents whose content hash changed are
    /// re-indexed, new ones added, vanished ones removed; nothing else is touched. `progress` is
    /// called with (done, to do) while documents are written.
    pub fn sync(&self, catalog: &Catalog, progress: &mut dyn FnMut(usize, usize)) -> Result<SyncReport, IndexError> {
        let start = Instant::now();
        let mut expander = Expander::default();
        for (doc, _) in catalog.terms() {
            expander.set(path_key(&doc.path), TermEntry::from_document(doc));
        }
        *self.expander.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(expander);

        let mut current = self.manifest()?;
        let mut report = SyncReport::default();
        let mut changed: Vec<(&Document, bool)> = Vec::new();
        let mut seen = HashSet::new();
        for doc in catalog.documents() {
            let key = path_key(&doc.path);
            if !seen.insert(key) {
                continue;
            }
            match current.remove(&key) {
                Some(h) if h == doc.content_hash => report.unchanged += 1,
                Some(_) => {
                    report.updated += 1;
                    changed.push((doc, true));
                }
                None => {
                    report.added += 1;
                    changed.push((doc, false));
                }
            }
        }
        report.removed = current.len();
        if report.changed() == 0 {
            report.took = start.elapsed();
            return Ok(report);
        }
        let mut guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(writer) = guard.as_mut() else {
            report.skipped_busy = report.changed();
            report.took = start.elapsed();
            return Ok(report);
        };
        for key in current.keys() {
            writer.delete_term(Term::from_field_u64(self.f.path_key, *key));
        }
        let total = changed.len();
        let mut done = 0;
        progress(0, total);
        for chunk in changed.chunks(1024) {
            let docs: Vec<TantivyDocument> =
                chunk.par_iter().map_init(raw_analyzer, |raw, (d, _)| self.to_doc(raw, d)).collect();
            for ((d, update), td) in chunk.iter().zip(docs) {
                if *update {
                    writer.delete_term(Term::from_field_u64(self.f.path_key, path_key(&d.path)));
                }
                writer.add_document(td)?;
            }
            done += chunk.len();
            progress(done, total);
        }
        self.commit_locked(&mut guard)?;
        report.took = start.elapsed();
        Ok(report)
    }

    /// Applies single-file changes (from a file watcher) and commits them.
    pub fn apply(&self, changes: Vec<Change>) -> Result<SyncReport, IndexError> {
        let start = Instant::now();
        let mut report = SyncReport::default();
        if changes.is_empty() {
            return Ok(report);
        }
        let mut guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(writer) = guard.as_mut() else {
            report.skipped_busy = changes.len();
            return Ok(report);
        };
        let current = self.manifest()?;
        let mut expander = (**self.expander.read().unwrap_or_else(PoisonError::into_inner)).clone();
        let mut raw = raw_analyzer();
        for change in changes {
            match change {
                Change::Upsert(doc) => {
                    let key = path_key(&doc.path);
                    match current.get(&key) {
                        Some(&h) if h == doc.content_hash => {
                            report.unchanged += 1;
                            continue;
                        }
                        Some(_) => report.updated += 1,
                        None => report.added += 1,
                    }
                    expander.set(key, TermEntry::from_document(&doc));
                    writer.delete_term(Term::from_field_u64(self.f.path_key, key));
                    writer.add_document(self.to_doc(&mut raw, &doc))?;
                }
                Change::Remove(_) | Change::RemoveKey(_) => {
                    let key = match change {
                        Change::Remove(path) => path_key(&path),
                        Change::RemoveKey(key) => key,
                        Change::Upsert(_) => continue,
                    };
                    if current.contains_key(&key) {
                        report.removed += 1;
                        expander.set(key, None);
                        writer.delete_term(Term::from_field_u64(self.f.path_key, key));
                    }
                }
            }
        }
        if report.changed() > 0 {
            self.commit_locked(&mut guard)?;
            *self.expander.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(expander);
        }
        report.took = start.elapsed();
        Ok(report)
    }

    fn commit_locked(&self, writer: &mut Option<IndexWriter>) -> Result<(), IndexError> {
        let Some(writer) = writer.as_mut() else { return Err(IndexError::Busy) };
        let payload = serde_json::to_string(&Payload { schema_version: SCHEMA_VERSION })
            .unwrap_or_else(|_| format!("{{\"schema_version\":{SCHEMA_VERSION}}}"));
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Waits for background merges to finish and releases the writer (for a clean exit).
    pub fn close(self) -> Result<(), IndexError> {
        let writer = self.writer.into_inner().unwrap_or_else(PoisonError::into_inner);
        if let Some(w) = writer {
            w.wait_merging_threads()?;
        }
        Ok(())
    }

    fn to_doc(&self, raw: &mut TextAnalyzer, d: &Document) -> TantivyDocument {
        let f = &self.f;
        let mut td = TantivyDocument::new();
        td.add_text(f.id, &d.id);
        td.add_u64(f.path_key, path_key(&d.path));
        td.add_u64(f.hash, d.content_hash);
        td.add_text(f.path, &d.path);
        td.add_text(f.kind, d.kind().as_str());
        for t in &d.meta.tags {
            td.add_text(f.tag, t.trim().to_lowercase());
        }
        for a in &d.meta.audience {
            td.add_text(f.audience, a.as_str());
        }
        let summary = d.meta.summary.as_deref().unwrap_or_default();
        let mut body = String::new();
        let mut names: Vec<&str> = Vec::new();
        match &d.fields {
            KindFields::Term(t) => {
                names.push(&t.term);
                names.extend(t.aliases.iter().map(String::as_str));
                body.push_str(&t.plain);
                body.push('\n');
                if let Some(tech) = &t.technical {
                    body.push_str(tech);
                    body.push('\n');
                }
            }
            KindFields::Path(p) => {
                for s in &p.steps {
                    if let Some(n) = &s.note {
                        body.push_str(n);
                        body.push('\n');
                    }
                }
            }
            _ => {}
        }
        body.push_str(&d.plain_text());

        td.add_text(f.title, &d.title);
        td.add_text(f.summary, summary);
        td.add_text(f.body, &body);
        td.add_text(f.raw_head, &d.title);
        td.add_text(f.raw, &d.title);
        td.add_text(f.raw, summary);
        td.add_text(f.raw, &body);
        let mut exact = HashSet::new();
        for n in std::iter::once(d.title.as_str()).chain(names.iter().copied()) {
            let norm = tokens(raw, n).join(" ");
            if !norm.is_empty() && exact.insert(norm.clone()) {
                td.add_text(f.exact, norm);
            }
        }
        for n in names {
            td.add_text(f.names, n);
            td.add_text(f.raw_head, n);
            td.add_text(f.raw, n);
        }
        td
    }

    /// Runs a search. Never fails because of what was typed.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, IndexError> {
        let start = Instant::now();
        let mut parsed = query::parse(&req.query);
        for k in &req.kinds {
            if !parsed.kinds.contains(k) {
                parsed.kinds.push(*k);
            }
        }
        for t in &req.tags {
            let t = t.trim().to_lowercase();
            if !t.is_empty() && !parsed.tags.contains(&t) {
                parsed.tags.push(t);
            }
        }
        for a in &req.audiences {
            if !parsed.audiences.contains(a) {
                parsed.audiences.push(*a);
            }
        }
        let searcher = self.reader.searcher();
        let mut stem = self.stem.clone();
        let mut raw = self.raw.clone();
        let mut stem_one = schema::stem_one_analyzer();
        let f = self.f;

        // Words: (raw, stem), each typed word split the way documents are.
        let mut words: Vec<(String, String)> = Vec::new();
        let mut typed: Vec<String> = Vec::new();
        let mut last_word_raw: Option<String> = None;
        for w in &parsed.words {
            let r = tokens(&mut raw, w);
            let s = tokens(&mut stem, w);
            last_word_raw = r.last().cloned();
            words.extend(r.into_iter().zip(s));
            typed.extend(w.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_string));
        }
        words.truncate(query::MAX_WORDS);
        let phrases: Vec<(Vec<String>, Vec<String>)> = parsed
            .phrases
            .iter()
            .map(|p| {
                typed.extend(p.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_string));
                let mut r = tokens(&mut raw, p);
                let mut s = tokens(&mut stem, p);
                r.truncate(query::MAX_WORDS);
                s.truncate(query::MAX_WORDS);
                (r, s)
            })
            .filter(|(_, s)| !s.is_empty())
            .collect();

        let all_stems: Vec<String> =
            words.iter().map(|(_, s)| s.clone()).chain(phrases.iter().flat_map(|(_, s)| s.clone())).collect();
        let content: Vec<String> = words
            .iter()
            .chain(
                phrases.iter().flat_map(|(r, s)| r.iter().cloned().zip(s.iter().cloned())).collect::<Vec<_>>().iter(),
            )
            .filter(|(r, _)| !is_stopword(r))
            .map(|(_, s)| s.clone())
            .collect();
        let additions =
            self.expander.read().unwrap_or_else(PoisonError::into_inner).expand(&typed, &all_stems, &content);

        let mut highlight = snippet::Highlighter::default();
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let only_stopwords = words.iter().all(|(r, _)| is_stopword(r));
        let mut seen = HashSet::new();
        let mut fuzzy_count = 0;
        let text_fields = [(f.title, W_TITLE), (f.names, W_NAMES), (f.summary, W_SUMMARY), (f.body, W_BODY)];
        for (r, s) in &words {
            if (!only_stopwords && is_stopword(r)) || !seen.insert(s.clone()) {
                continue;
            }
            highlight.stems.insert(s.clone());
            for (field, w) in text_fields {
                should.push((Occur::Should, boosted(term_query(field, s), w)));
            }
            // Coordination: each distinct word found anywhere adds the same amount, so pages
            // with more of the words rank above pages that repeat one of them.
            if words.len() > 1 {
                let anywhere = text_fields.iter().map(|&(field, _)| (Occur::Should, term_query(field, s))).collect();
                should.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(anywhere)), W_COORD)),
                ));
            }
            let len = r.chars().count();
            if len >= 4 && fuzzy_count < MAX_FUZZY && self.unknown_word(&searcher, r, s, &text_fields) {
                let distance = if len >= 8 { 2 } else { 1 };
                fuzzy_count += 1;
                highlight.fuzzy.push((r.clone(), distance));
                for (field, w) in [(f.raw, W_FUZZY), (f.raw_head, W_FUZZY_HEAD)] {
                    let q = FuzzyTermQuery::new(Term::from_field_text(field, r), distance, true);
                    should.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(q), w))));
                }
            }
        }
        if parsed.prefix_last
            && let Some(r) = last_word_raw.filter(|r| r.chars().count() >= MIN_PREFIX_CHARS)
        {
            for (field, w) in [(f.raw_head, W_PREFIX_HEAD), (f.raw, W_PREFIX_BODY)] {
                let q = FuzzyTermQuery::new_prefix(Term::from_field_text(field, &r), 0, false);
                should.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(q), w))));
            }
            highlight.prefix = Some(r);
        }
        // An exact title, term or alias match.
        let exact_text = if phrases.is_empty() {
            words.iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>().join(" ")
        } else if words.is_empty() && phrases.len() == 1 {
            phrases[0].0.join(" ")
        } else {
            String::new()
        };
        if !exact_text.is_empty() {
            let exact_term = Term::from_field_text(f.exact, &exact_text);
            let q = TermQuery::new(exact_term.clone(), IndexRecordOption::Basic);
            should.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(q), W_EXACT))));
            // The whole query is the start of a title or name ("circuit brea"), or a title with
            // a typo in a word no document contains ("pagnation").
            let chars = exact_text.chars().count();
            if parsed.prefix_last && (MIN_PREFIX_CHARS..=64).contains(&chars) {
                let q = FuzzyTermQuery::new_prefix(exact_term.clone(), 0, false);
                should.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(q), W_EXACT_PREFIX))));
            }
            if fuzzy_count > 0 && chars <= 64 {
                let distance = if chars >= 8 { 2 } else { 1 };
                let q = FuzzyTermQuery::new(exact_term, distance, true);
                should.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(q), W_EXACT_PREFIX))));
            }
        }
        for a in &additions {
            highlight.stems.extend(a.stems.iter().filter(|s| !is_stopword(s)).cloned());
            should.push((Occur::Should, phrase_query(&text_fields, &a.stems, W_EXPANSION)));
        }

        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (r, s) in &phrases {
            let all_stop = r.iter().all(|w| is_stopword(w));
            highlight
                .stems
                .extend(r.iter().zip(s).filter(|(w, _)| all_stop || !is_stopword(w)).map(|(_, s)| s.clone()));
            clauses.push((Occur::Must, phrase_query(&text_fields, s, 1.0)));
        }
        if !should.is_empty() {
            let occur = if phrases.is_empty() { Occur::Must } else { Occur::Should };
            clauses.push((occur, Box::new(BooleanQuery::new(should))));
        }
        let searching_text = !clauses.is_empty();
        let any_of = |values: Vec<Term>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                values
                    .into_iter()
                    .map(|t| (Occur::Should, Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>))
                    .collect(),
            ))
        };
        let has_filters = !(parsed.kinds.is_empty() && parsed.tags.is_empty() && parsed.audiences.is_empty());
        if !parsed.kinds.is_empty() {
            clauses.push((
                Occur::Must,
                any_of(parsed.kinds.iter().map(|k| Term::from_field_text(f.kind, k.as_str())).collect()),
            ));
        }
        for t in &parsed.tags {
            clauses.push((Occur::Must, any_of(vec![Term::from_field_text(f.tag, t)])));
        }
        if !parsed.audiences.is_empty() {
            clauses.push((
                Occur::Must,
                any_of(parsed.audiences.iter().map(|a| Term::from_field_text(f.audience, a.as_str())).collect()),
            ));
        }
        let mut response = SearchResponse {
            query: req.query.chars().take(query::MAX_QUERY_CHARS).collect(),
            expanded: additions.iter().map(|a| a.label.clone()).collect(),
            notices: parsed.notices,
            total: 0,
            took_us: 0,
            hits: Vec::new(),
            facets: Facets::default(),
        };
        if !searching_text && !has_filters {
            response.took_us = start.elapsed().as_micros() as u64;
            return Ok(response);
        }
        if !searching_text {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        let query = BooleanQuery::new(clauses);
        let limit = req.limit.clamp(1, MAX_LIMIT);
        let (top, total, facets) =
            searcher.search(&query, &(TopDocs::with_limit(limit).order_by_score(), Count, facets::FacetCollector))?;
        response.total = total;
        response.facets = facets;
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let body = text(f.body);
            let summary = text(f.summary);
            // A snippet bug must cost one snippet, not the search.
            let snippet = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                highlight
                    .snippet(&mut raw, &mut stem_one, &body, SNIPPET_CHARS)
                    .or_else(|| highlight.snippet(&mut raw, &mut stem_one, &summary, SNIPPET_CHARS))
                    .unwrap_or_else(|| {
                        snippet::lead(if body.trim().is_empty() { &summary } else { &body }, SNIPPET_CHARS)
                    })
            }))
            .unwrap_or_else(|_| {
                let mut s = String::new();
                escape_into(&mut s, &summary);
                s
            });
            response.hits.push(Hit {
                id: text(f.id),
                // Kinds are indexed from the catalog; anything else is a guide, as for a file.
                kind: text(f.kind).parse().unwrap_or(Kind::Guide),
                title: text(f.title),
                summary,
                path: text(f.path),
                score,
                snippet,
            });
        }
        response.took_us = start.elapsed().as_micros() as u64;
        Ok(response)
    }

    /// Whether no document contains the word as typed or any word with its stem: only then is
    /// it matched with typos.
    fn unknown_word(
        &self,
        searcher: &tantivy::Searcher,
        raw: &str,
        stem: &str,
        fields: &[(tantivy::schema::Field, f32)],
    ) -> bool {
        let df = |t: Term| searcher.doc_freq(&t).unwrap_or(1);
        df(Term::from_field_text(self.f.raw, raw)) == 0
            && fields.iter().all(|(field, _)| df(Term::from_field_text(*field, stem)) == 0)
    }
}

#[derive(Serialize, Deserialize)]
struct Payload {
    schema_version: u32,
}

fn term_query(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON { q } else { Box::new(BoostQuery::new(q, boost)) }
}

/// `stems` as a phrase (or a word) in any of `fields`, each with its weight times `weight`.
fn phrase_query(fields: &[(tantivy::schema::Field, f32)], stems: &[String], weight: f32) -> Box<dyn Query> {
    let per_field = fields
        .iter()
        .map(|&(field, w)| {
            let q: Box<dyn Query> = if stems.len() == 1 {
                term_query(field, &stems[0])
            } else {
                Box::new(PhraseQuery::new(stems.iter().map(|s| Term::from_field_text(field, s)).collect()))
            };
            (Occur::Should, boosted(q, w * weight))
        })
        .collect();
    Box::new(BooleanQuery::new(per_field))
}
