//! An id is in the index at most once, whatever order the file watcher (`apply`) and a full
//! `sync` (an approval's reload, opening the hub) run in, and an index damaged by an older
//! version is repaired by `sync`.
//!
//! Regression (#12): a newly published page was indexed twice. `sync` read what was indexed
//! before taking the writer and added new documents without deleting their key first, so when
//! the watcher's `apply` for the same new file committed in between, both added it.

use std::collections::BTreeMap;

use guildhall_content::{Catalog, parse_document};
use guildhall_index::{Change, SearchIndex, SearchRequest, path_key};
use proptest::prelude::*;

use crate::common::catalog;

/// A hub on "disk": path → text.
type Disk = BTreeMap<String, String>;

fn text(slot: usize, version: u8) -> String {
    format!(
        "---\nid: doc-{slot}\ntitle: \"Page {slot} draft {version}\"\n---\nSharedword body of page {slot}, version {version}.\n"
    )
}

/// Where the file of `slot` lives: it moves between two folders (a rename keeps its id).
fn path(slot: usize, folder: bool) -> String {
    format!("{}/doc-{slot}.md", if folder { "guides" } else { "patterns" })
}

fn cat(disk: &Disk) -> Catalog {
    catalog(disk.iter().map(|(p, t)| (p.clone(), t.clone())).collect())
}

/// What the watcher does for one changed path: parse it, or remove it when it is gone.
fn watched(disk: &Disk, p: &str) -> Change {
    match disk.get(p).and_then(|t| parse_document(p, t.as_bytes(), &Default::default()).0) {
        Some(doc) => Change::Upsert(Box::new(doc)),
        None => Change::Remove(p.to_string()),
    }
}

/// Every id found once, and the index holding exactly as many entries as distinct paths.
fn assert_sound(ix: &SearchIndex, when: &str) {
    assert_eq!(ix.duplicates().expect("duplicates"), 0, "{when}: an id or path is indexed twice");
    let manifest = ix.manifest().expect("manifest");
    assert_eq!(ix.num_docs() as usize, manifest.len(), "{when}: more entries than paths");
    let r = ix.search(&SearchRequest::new("sharedword").with_limit(200)).expect("search");
    let mut ids: Vec<&str> = r.hits.iter().map(|h| h.id.as_str()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "{when}: a search returned an id twice");
    assert_eq!(r.total, n, "{when}: the total counts an id twice");
}

#[derive(Debug, Clone)]
enum Op {
    /// A save (or a new file): its content changes.
    Write(usize, u8),
    /// A file is moved to the other folder (same id).
    Move(usize),
    Delete(usize),
    /// The watcher indexes one path as it is on disk now.
    Watch(usize, bool),
    /// A full sync with the disk as it is now.
    Sync,
    /// A full sync with the disk as it was a few steps ago (a catalog loaded before a save).
    StaleSync(usize),
    /// The watcher and a full sync at the same time, on two threads.
    Race(usize, bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..4usize, 0..4u8).prop_map(|(s, v)| Op::Write(s, v)),
        1 => (0..4usize).prop_map(Op::Move),
        1 => (0..4usize).prop_map(Op::Delete),
        3 => (0..4usize, any::<bool>()).prop_map(|(s, f)| Op::Watch(s, f)),
        1 => Just(Op::Sync),
        1 => (1..4usize).prop_map(Op::StaleSync),
        3 => (0..4usize, any::<bool>()).prop_map(|(s, f)| Op::Race(s, f)),
    ]
}

fn run(ops: &[Op]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ix, _) = SearchIndex::open(&dir.path().join("index")).expect("open");
    let mut disk = Disk::new();
    let mut history: Vec<Disk> = vec![disk.clone()];
    // Which folder each slot's file is in.
    let mut folder = [false; 4];
    for (n, op) in ops.iter().enumerate() {
        match *op {
            Op::Write(s, v) => {
                disk.insert(path(s, folder[s]), text(s, v));
            }
            Op::Move(s) => {
                if let Some(t) = disk.remove(&path(s, folder[s])) {
                    folder[s] = !folder[s];
                    disk.insert(path(s, folder[s]), t);
                }
            }
            Op::Delete(s) => {
                disk.remove(&path(s, folder[s]));
            }
            Op::Watch(s, f) => {
                ix.apply(vec![watched(&disk, &path(s, f))]).expect("apply");
            }
            Op::Sync => {
                ix.sync(&cat(&disk), &mut |_, _| {}).expect("sync");
            }
            Op::StaleSync(back) => {
                let old = &history[history.len().saturating_sub(back + 1)];
                ix.sync(&cat(old), &mut |_, _| {}).expect("sync");
            }
            Op::Race(s, f) => {
                let change = watched(&disk, &path(s, f));
                let c = cat(&disk);
                std::thread::scope(|scope| {
                    let ix = &ix;
                    let watcher = scope.spawn(move || ix.apply(vec![change]).expect("apply"));
                    ix.sync(&c, &mut |_, _| {}).expect("sync");
                    watcher.join().expect("watcher thread");
                });
            }
        }
        history.push(disk.clone());
        assert_sound(&ix, &format!("after step {n} ({op:?})"));
    }
    // Whatever happened, one sync with the disk brings the index exactly in line with it.
    ix.sync(&cat(&disk), &mut |_, _| {}).expect("sync");
    assert_sound(&ix, "after the final sync");
    let expected: BTreeMap<u64, ()> = disk.keys().map(|p| (path_key(p), ())).collect();
    let got: BTreeMap<u64, ()> = ix.manifest().expect("manifest").into_keys().map(|k| (k, ())).collect();
    assert_eq!(got, expected);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn watcher_and_sync_in_any_order_index_each_id_once(ops in proptest::collection::vec(op(), 1..16)) {
        run(&ops);
    }
}

/// The reported sequence, made deterministic: the watcher commits a new file between the moment
/// an approval's catalog was loaded and its `sync`, then `sync` runs with that catalog.
#[test]
fn a_new_file_indexed_by_the_watcher_is_not_added_again_by_sync() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut disk = Disk::new();
    disk.insert(path(0, false), text(0, 0));
    let (ix, _) = SearchIndex::open(&dir.path().join("index")).expect("open");
    ix.sync(&cat(&disk), &mut |_, _| {}).expect("sync");
    disk.insert(path(1, false), text(1, 0));
    let approved = cat(&disk);
    for _ in 0..20 {
        std::thread::scope(|scope| {
            let change = watched(&disk, &path(1, false));
            let watcher = scope.spawn(|| ix.apply(vec![change]).expect("apply"));
            ix.sync(&approved, &mut |_, _| {}).expect("sync");
            watcher.join().expect("watcher thread");
        });
        assert_sound(&ix, "after the race");
        assert_eq!(ix.num_docs(), 2);
    }
    // A file moved by the watcher before its old path is removed still leaves one entry.
    let moved = text(1, 1);
    disk.remove(&path(1, false));
    disk.insert(path(1, true), moved);
    ix.apply(vec![watched(&disk, &path(1, true))]).expect("apply");
    assert_sound(&ix, "after a move seen half-way");
    assert_eq!(ix.num_docs(), 2);
}

/// Writes one more entry for `id` at `path` straight into the index, as the old bug did.
fn damage(index_dir: &std::path::Path, id: &str, path: &str) {
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};
    let index = tantivy::Index::open_in_dir(index_dir).expect("tantivy open");
    // The index's own analysers are registered by `SearchIndex`; the fields written here only
    // need one that splits and stems alike.
    for name in ["gh_stem", "gh_raw"] {
        let analyzer =
            TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(Stemmer::default()).build();
        index.tokenizers().register(name, analyzer);
    }
    let schema = index.schema();
    let field = |name: &str| schema.get_field(name).expect("field");
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).expect("writer");
    let mut doc = tantivy::TantivyDocument::new();
    doc.add_text(field("id"), id);
    doc.add_u64(field("path_key"), path_key(path));
    doc.add_u64(field("hash"), 1);
    doc.add_text(field("path"), path);
    doc.add_text(field("title"), "Sharedword copy");
    doc.add_text(field("body"), "sharedword");
    // (The first version of this helper built the entry but never added it: nothing was damaged.)
    writer.add_document(doc).expect("add the duplicate");
    let mut prepared = writer.prepare_commit().expect("prepare");
    prepared.set_payload(&format!("{{\"schema_version\":{}}}", guildhall_index::SCHEMA_VERSION));
    prepared.commit().expect("commit");
    writer.wait_merging_threads().expect("wait");
}

#[test]
fn an_index_with_an_entry_twice_is_repaired_by_sync_and_never_shows_it_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index_dir = dir.path().join("index");
    let mut disk = Disk::new();
    for s in 0..3 {
        disk.insert(path(s, false), text(s, 0));
    }
    let (ix, _) = SearchIndex::open(&index_dir).expect("open");
    ix.sync(&cat(&disk), &mut |_, _| {}).expect("sync");
    ix.close().expect("close");
    // The same path twice (what the race left), and the same id under another path.
    damage(&index_dir, "doc-1", &path(1, false));
    damage(&index_dir, "doc-2", "elsewhere/doc-2.md");

    let (ix, rebuilt) = SearchIndex::open(&index_dir).expect("open");
    assert_eq!(rebuilt, None, "a duplicate is repaired in place, not by a rebuild");
    assert_eq!(ix.num_docs(), 5);
    assert_eq!(ix.duplicates().expect("duplicates"), 2);
    // Until it is repaired, a search still returns each id once.
    let r = ix.search(&SearchRequest::new("sharedword").with_limit(50)).expect("search");
    let mut ids: Vec<&str> = r.hits.iter().map(|h| h.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["doc-0", "doc-1", "doc-2"]);

    let report = ix.sync(&cat(&disk), &mut |_, _| {}).expect("sync");
    assert!(report.repaired >= 2, "{report:?}");
    assert_eq!(report.unchanged, 1, "{report:?}");
    assert_sound(&ix, "after the repair");
    assert_eq!(ix.num_docs(), 3);
    let again = ix.sync(&cat(&disk), &mut |_, _| {}).expect("sync");
    assert_eq!((again.changed(), again.repaired, again.unchanged), (0, 0, 3));
}

#[test]
fn a_file_whose_id_another_file_holds_is_indexed_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut disk = Disk::new();
    disk.insert(path(0, false), text(0, 0));
    // Same id, another file: the catalog reports it and keeps the first.
    disk.insert("guides/copy.md".into(), text(0, 1));
    let (ix, _) = SearchIndex::open(&dir.path().join("index")).expect("open");
    ix.sync(&cat(&disk), &mut |_, _| {}).expect("sync");
    assert_sound(&ix, "after sync");
    assert_eq!(ix.num_docs(), 1);
    let again = ix.sync(&cat(&disk), &mut |_, _| {}).expect("sync");
    assert_eq!(again.changed(), 0, "{again:?}");
}
