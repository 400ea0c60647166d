//! The writer side: bringing the index in line with the content.
//!
//! Every write is an upsert keyed by the document: the entries under its path key and under its
//! id are deleted, then it is added, in the same commit. What is indexed is read only while the
//! writer lock is held, so no commit (the file watcher's, an approval's `sync`) can land between
//! reading what is there and writing what is missing: an id is in the index at most once,
//! whatever order `sync` and `apply` run in. An index damaged by an older version (one path or
//! id indexed twice) is found by the same reading and repaired by `sync`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, PoisonError};
use std::time::Instant;

use guildhall_content::{Catalog, Document, KindFields};
use rayon::prelude::*;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{IndexWriter, TantivyDocument, Term};

use crate::glossary::{Expander, TermEntry};
use crate::schema::{raw_analyzer, tokens};
use crate::{Change, IndexError, Payload, SCHEMA_VERSION, SearchIndex, SyncReport, path_key};

/// What the index holds, read from its fast fields.
#[derive(Debug, Default)]
pub(crate) struct Indexed {
    /// Path key → content hash of every indexed document.
    pub hashes: HashMap<u64, u64>,
    /// Path keys indexed more than once, or whose id is also indexed under another path key.
    pub damaged: HashSet<u64>,
    /// How many entries are surplus (the same path or id once more).
    pub surplus: usize,
}

impl SearchIndex {
    /// Path key → content hash of every indexed document.
    pub fn manifest(&self) -> Result<HashMap<u64, u64>, IndexError> {
        Ok(self.indexed()?.hashes)
    }

    /// How many index entries repeat a path or an id already indexed (0 in a sound index;
    /// [`SearchIndex::sync`] repairs them).
    pub fn duplicates(&self) -> Result<usize, IndexError> {
        Ok(self.indexed()?.surplus)
    }

    pub(crate) fn indexed(&self) -> Result<Indexed, IndexError> {
        let searcher = self.reader.searcher();
        let mut out = Indexed { hashes: HashMap::with_capacity(searcher.num_docs() as usize), ..Indexed::default() };
        let mut by_id: HashMap<String, u64> = HashMap::with_capacity(searcher.num_docs() as usize);
        let mut id = String::new();
        for seg in searcher.segment_readers() {
            let keys = seg.fast_fields().u64("path_key")?;
            let hashes = seg.fast_fields().u64("hash")?;
            let ids = seg.fast_fields().str("id")?;
            let alive = seg.alive_bitset();
            for doc in 0..seg.max_doc() {
                if alive.is_some_and(|a| a.is_deleted(doc)) {
                    continue;
                }
                let (Some(k), Some(h)) = (keys.first(doc), hashes.first(doc)) else { continue };
                if out.hashes.insert(k, h).is_some() {
                    out.damaged.insert(k);
                    out.surplus += 1;
                    continue;
                }
                id.clear();
                let ord = ids.as_ref().and_then(|c| c.term_ords(doc).next());
                if let (Some(c), Some(ord)) = (&ids, ord)
                    && c.ord_to_str(ord, &mut id).map_err(|e| IndexError::Tantivy(e.into()))?
                    && let Some(other) = by_id.insert(id.clone(), k)
                {
                    out.damaged.extend([k, other]);
                    out.surplus += 1;
                }
            }
        }
        Ok(out)
    }

    /// Brings the index in line with `catalog`: documents whose content hash changed are
    /// re-indexed, new ones added, vanished ones removed, entries indexed twice repaired; nothing
    /// else is touched. A file whose id another file holds (the catalog reports it) is not
    /// indexed. `progress` is called with (done, to do) while documents are written.
    pub fn sync(&self, catalog: &Catalog, progress: &mut dyn FnMut(usize, usize)) -> Result<SyncReport, IndexError> {
        let start = Instant::now();
        let mut guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let mut expander = Expander::default();
        for (doc, _) in catalog.terms() {
            expander.set(path_key(&doc.path), TermEntry::from_document(doc));
        }
        *self.expander.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(expander);

        // Read under the writer lock: nothing can be committed between this and the writes.
        let indexed = self.indexed()?;
        let mut current = indexed.hashes;
        let mut report = SyncReport::default();
        let mut changed: Vec<&Document> = Vec::new();
        let mut seen = HashSet::new();
        for (i, doc) in catalog.documents().iter().enumerate() {
            let key = path_key(&doc.path);
            if catalog.index_of(&doc.id) != Some(i) || !seen.insert(key) {
                continue;
            }
            match current.remove(&key) {
                Some(_) if indexed.damaged.contains(&key) => report.repaired += 1,
                Some(h) if h == doc.content_hash => {
                    report.unchanged += 1;
                    continue;
                }
                Some(_) => report.updated += 1,
                None => report.added += 1,
            }
            changed.push(doc);
        }
        report.removed = current.len();
        // Damaged entries whose file is gone are removed with the others.
        report.repaired += current.keys().filter(|k| indexed.damaged.contains(k)).count();
        report.removed -= current.keys().filter(|k| indexed.damaged.contains(k)).count();
        if report.changed() == 0 && report.repaired == 0 {
            report.took = start.elapsed();
            return Ok(report);
        }
        let Some(writer) = guard.as_mut() else {
            report.skipped_busy = report.changed() + report.repaired;
            report.repaired = 0;
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
                chunk.par_iter().map_init(raw_analyzer, |raw, d| self.to_doc(raw, d)).collect();
            for (d, td) in chunk.iter().zip(docs) {
                self.upsert(writer, d, td)?;
            }
            done += chunk.len();
            progress(done, total);
        }
        self.commit_locked(&mut guard)?;
        report.took = start.elapsed();
        Ok(report)
    }

    /// Replaces whatever is indexed under `doc`'s path or id by `td` (in the commit to come).
    fn upsert(&self, writer: &mut IndexWriter, doc: &Document, td: TantivyDocument) -> Result<(), IndexError> {
        writer.delete_term(Term::from_field_u64(self.f.path_key, path_key(&doc.path)));
        writer.delete_term(Term::from_field_text(self.f.id, &doc.id));
        writer.add_document(td)?;
        Ok(())
    }

    /// Applies single-file changes (from a file watcher) and commits them. A saved document
    /// replaces whatever is indexed under its path or its id.
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
        // Read under the writer lock, like `sync`.
        let indexed = self.indexed()?;
        let current = indexed.hashes;
        let mut expander = (**self.expander.read().unwrap_or_else(PoisonError::into_inner)).clone();
        let mut raw = raw_analyzer();
        for change in changes {
            match change {
                Change::Upsert(doc) => {
                    let key = path_key(&doc.path);
                    match current.get(&key) {
                        Some(_) if indexed.damaged.contains(&key) => report.repaired += 1,
                        Some(&h) if h == doc.content_hash => {
                            report.unchanged += 1;
                            continue;
                        }
                        Some(_) => report.updated += 1,
                        None => report.added += 1,
                    }
                    expander.set(key, TermEntry::from_document(&doc));
                    let td = self.to_doc(&mut raw, &doc);
                    self.upsert(writer, &doc, td)?;
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
        if report.changed() > 0 || report.repaired > 0 {
            self.commit_locked(&mut guard)?;
            *self.expander.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(expander);
        }
        report.took = start.elapsed();
        Ok(report)
    }

    pub(crate) fn commit_locked(&self, writer: &mut Option<IndexWriter>) -> Result<(), IndexError> {
        let Some(writer) = writer.as_mut() else { return Err(IndexError::Busy) };
        let payload = serde_json::to_string(&Payload { schema_version: SCHEMA_VERSION })
            .unwrap_or_else(|_| format!("{{\"schema_version\":{SCHEMA_VERSION}}}"));
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.reader.reload()?;
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
}
