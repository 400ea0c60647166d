//! Hostile queries, incremental updates, damaged indexes and schema changes, on real indexes.

mod common;

use std::path::{Path, PathBuf};

use common::{catalog, hub_files, ids, open, search};
use guildhall_index::{Change, SearchIndex, SearchRequest};

fn setup() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ix = open(&dir.path().join("index"), &catalog(hub_files()));
    (dir, ix)
}

#[test]
fn hostile_queries_answer_without_failing() {
    let (_d, ix) = setup();
    let huge = "a".repeat(100 * 1024);
    let nested = format!("{}backoff{}", "(".repeat(5_000), ")".repeat(5_000));
    let many_or = (0..50_000).map(|i| format!("word{i}~2")).collect::<Vec<_>>().join(" OR ");
    let many_fuzzy = (0..50_000).map(|i| format!("exponental{i}")).collect::<Vec<_>>().join(" ");
    let control: String = (0u8..32).map(char::from).chain("backoff\u{7f}\u{feff}".chars()).collect();
    for q in [
        "\"unbalanced quote backoff",
        "backoff\"",
        "\"\"\"",
        "- *",
        "+ *",
        "*",
        "kind:",
        "tag:",
        ":",
        "kind:pattern:pattern",
        "AND OR NOT",
        "title:backoff^100",
        "[1 TO 5]",
        "\\",
        "",
        "   ",
        huge.as_str(),
        nested.as_str(),
        many_or.as_str(),
        many_fuzzy.as_str(),
        control.as_str(),
        "日本語 ünïcödé 🦀",
    ] {
        let r = ix.search(&SearchRequest::new(q)).expect("a search never fails");
        assert!(r.hits.len() <= 10);
    }
    let shallow = format!("{}backoff{}", "(".repeat(400), ")".repeat(400));
    assert!(!ids(&search(&ix, &shallow)).is_empty());
    assert!(!search(&ix, &huge).notices.is_empty(), "a cut query says so");
    assert!(ids(&search(&ix, &control)).contains(&"retry-with-backoff"));
}

#[test]
fn only_changed_documents_are_reindexed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("index");
    let mut files = hub_files();
    let n = files.len();
    let (ix, reason) = SearchIndex::open(&path).expect("open");
    assert_eq!(reason.as_deref(), Some("no index yet"));
    let r = ix.sync(&catalog(files.clone()), &mut |_, _| {}).expect("sync");
    assert_eq!((r.added, r.updated, r.removed), (n, 0, 0));
    drop(ix);

    // Reopening an unchanged hub writes nothing.
    let (ix, reason) = SearchIndex::open(&path).expect("reopen");
    assert_eq!(reason, None);
    let r = ix.sync(&catalog(files.clone()), &mut |_, _| {}).expect("sync");
    assert_eq!((r.added, r.updated, r.removed, r.unchanged), (0, 0, 0, n));

    // One edit, one deletion, one new file.
    files[0].1 = files[0].1.replace("Doubling the wait", "Doubling the pause (quokka)");
    files.retain(|(p, _)| p != "guides/colour.md");
    files.push(("guides/new.md".into(), "---\ntitle: New\n---\nA wombat page.\n".into()));
    let r = ix.sync(&catalog(files.clone()), &mut |_, _| {}).expect("sync");
    assert_eq!((r.added, r.updated, r.removed, r.unchanged), (1, 1, 1, n - 2));
    assert_eq!(ids(&search(&ix, "quokka")), ["exponential-backoff"]);
    assert_eq!(ids(&search(&ix, "wombat")), ["new"]);
    assert!(!ids(&search(&ix, "palette")).contains(&"colour"));
    assert_eq!(ix.num_docs(), n as u64);
}

#[test]
fn single_file_changes_apply_without_a_full_sync() {
    let (_d, ix) = setup();
    let cat = catalog(vec![(
        "glossary/circuit-breaker.md".into(),
        "---\nterm: Circuit breaker\nplain: \"Stop calling a broken system for a while.\"\nplain_phrases: [stop \
         calling it for a while]\n---\nBody.\n"
            .into(),
    )]);
    let doc = cat.documents()[0].clone();
    let r = ix.apply(vec![Change::Upsert(Box::new(doc.clone()))]).expect("apply");
    assert_eq!(r.added, 1);
    let r = search(&ix, "stop calling it for a while");
    assert_eq!(ids(&r)[0], "circuit-breaker");
    assert!(r.expanded.contains(&"circuit breaker".to_string()), "{:?}", r.expanded);
    let r = ix.apply(vec![Change::Upsert(Box::new(doc))]).expect("apply");
    assert_eq!(r.changed(), 0, "an unchanged save writes nothing");
    ix.apply(vec![Change::Remove("glossary/circuit-breaker.md".into())]).expect("apply");
    assert!(search(&ix, "circuit breaker").hits.iter().all(|h| h.id != "circuit-breaker"));
    assert!(search(&ix, "stop calling it for a while").expanded.is_empty());
}

fn segment_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

fn build(path: &Path) {
    let ix = open(path, &catalog(hub_files()));
    ix.close().expect("close");
}

#[test]
fn truncated_segment_file_is_detected_and_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("index");
    build(&path);
    let victim = segment_files(&path, "idx").pop().expect("a segment");
    let len = std::fs::metadata(&victim).expect("meta").len();
    std::fs::OpenOptions::new().write(true).open(&victim).expect("open").set_len(len / 2).expect("truncate");
    let (ix, reason) = SearchIndex::open(&path).expect("open rebuilds");
    let reason = reason.expect("a reason");
    assert!(reason.contains("damaged") || reason.contains("cannot be"), "{reason}");
    ix.sync(&catalog(hub_files()), &mut |_, _| {}).expect("sync");
    assert_eq!(ids(&search(&ix, "jitter")), ["retry-with-backoff"]);
}

#[test]
fn overwritten_segment_file_is_detected_and_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("index");
    build(&path);
    let victim = segment_files(&path, "store").pop().expect("a segment");
    let mut bytes = std::fs::read(&victim).expect("read");
    let mid = bytes.len() / 3;
    for b in &mut bytes[mid..mid + 16] {
        *b ^= 0x5a;
    }
    std::fs::write(&victim, bytes).expect("write");
    let (ix, reason) = SearchIndex::open(&path).expect("open rebuilds");
    assert!(reason.expect("a reason").contains("damaged"));
    assert_eq!(ix.num_docs(), 0, "rebuilt from nothing; sync fills it");
}

#[test]
fn garbage_meta_file_is_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("index");
    build(&path);
    std::fs::write(path.join("meta.json"), "{not json").expect("write");
    let (_ix, reason) = SearchIndex::open(&path).expect("open rebuilds");
    assert!(reason.expect("a reason").contains("cannot be opened"));
}

#[test]
fn schema_version_change_triggers_a_rebuild() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("index");
    build(&path);
    let meta = std::fs::read_to_string(path.join("meta.json")).expect("meta");
    let current = format!("\\\"schema_version\\\":{}", guildhall_index::SCHEMA_VERSION);
    assert!(meta.contains(&current), "{meta}");
    std::fs::write(path.join("meta.json"), meta.replace(&current, "\\\"schema_version\\\":0")).expect("write");
    let (ix, reason) = SearchIndex::open(&path).expect("open rebuilds");
    assert!(reason.expect("a reason").contains("schema version changed (0 → "));
    let r = ix.sync(&catalog(hub_files()), &mut |_, _| {}).expect("sync");
    assert_eq!(r.added, hub_files().len());
}

#[test]
fn a_second_process_gets_a_read_only_index() {
    let (d, ix) = setup();
    let (other, reason) = SearchIndex::open(&d.path().join("index")).expect("open");
    assert_eq!(reason, None);
    assert!(ix.is_writable());
    assert!(!other.is_writable());
    assert_eq!(ids(&search(&other, "jitter")), ["retry-with-backoff"]);
    let mut files = hub_files();
    files.push(("guides/x.md".into(), "---\ntitle: X\n---\nx\n".into()));
    let r = other.sync(&catalog(files), &mut |_, _| {}).expect("sync");
    assert_eq!(r.skipped_busy, 1);
}
