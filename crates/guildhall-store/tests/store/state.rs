//! The store against real SQLite files in a temporary folder.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use guildhall_store::{
    Corruption, GlossaryView, HubMeta, InputProblem, PersonalData, Profile, RECENT_VIEWS_KEPT, Role, SCHEMA_VERSION,
    Store, StoreError, StoreOptions, Theme, Timestamp,
};

const DAY: i64 = 86_400_000;
const T0: i64 = 1_740_821_400_000; // 2025-03-01T09:30:00Z

thread_local! {
    /// Each test runs on its own thread, so each has its own clock.
    static NOW: Cell<i64> = const { Cell::new(T0) };
}

fn test_clock() -> Timestamp {
    NOW.with(|n| {
        let t = n.get();
        n.set(t + 1000); // every reading is one second later, so orders are stable
        Timestamp::from_millis(t)
    })
}

fn set_now(ms: i64) {
    NOW.with(|n| n.set(ms));
}

fn options() -> StoreOptions {
    StoreOptions::default().with_clock(test_clock)
}

fn open(path: &Path) -> Store {
    Store::open(path, &options()).expect("open store")
}

fn store_file(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("hubs").join("content-0123").join("guildhall.sqlite3")
}

fn pragma<T: rusqlite::types::FromSql>(path: &Path, name: &str) -> T {
    let conn = rusqlite::Connection::open(path).expect("open raw");
    conn.pragma_query_value(None, name, |r| r.get(0)).expect("pragma")
}

#[test]
fn creates_and_migrates_an_empty_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_file(&dir);
    let store = open(&path);
    assert_eq!(store.path(), path);
    assert_eq!(store.profile().expect("profile"), Profile::default());
    assert!(store.bookmarks().expect("bookmarks").is_empty());
    store.integrity_check().expect("integrity");
    drop(store);
    assert_eq!(pragma::<i64>(&path, "user_version"), SCHEMA_VERSION);
    assert_eq!(pragma::<String>(&path, "journal_mode"), "wal");
}

#[test]
fn an_empty_file_becomes_a_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("guildhall.sqlite3");
    std::fs::write(&path, b"").expect("write");
    let mut store = open(&path);
    store.add_bookmark("x").expect("bookmark");
}

#[test]
fn reopening_keeps_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_file(&dir);
    let mut store = open(&path);
    let profile = Profile {
        display_name: "Ada".into(),
        role: Some(Role::Mentor),
        glossary_view: GlossaryView::Technical,
        theme: Theme::Dark,
        language: Some("en-GB".into()),
    };
    store.set_profile(&profile).expect("profile");
    store.set_hub_meta(&HubMeta { name: Some("Makers".into()), content_path: Some("/srv/hub".into()) }).expect("meta");
    store.start_path("first-app", &["a", "b"]).expect("start");
    store.mark_step_done("first-app", "a").expect("done");
    store.set_current_step("first-app", Some("b")).expect("current");
    store.add_bookmark("retry-with-backoff").expect("bookmark");
    store.set_note("retry-with-backoff", "Ask *Sam* about limits").expect("note");
    store.record_view("retry-with-backoff").expect("view");
    store.log_search("dead letter", 0).expect("log");
    let before = store.export().expect("export");
    drop(store);

    let store = open(&path);
    assert_eq!(store.profile().expect("profile"), profile);
    assert_eq!(store.hub_meta().expect("meta").name.as_deref(), Some("Makers"));
    let progress = store.path_progress("first-app", &["a", "b"]).expect("progress").expect("started");
    assert_eq!(progress.done_count(), 1);
    assert_eq!(progress.current_step.as_deref(), Some("b"));
    assert_eq!(store.note("retry-with-backoff").expect("note").expect("some").body, "Ask *Sam* about limits");
    let after = store.export().expect("export");
    assert_eq!(PersonalData { exported_at: before.exported_at, ..after }, before);
}

#[test]
fn a_file_from_a_newer_version_is_refused_and_left_untouched() {
    for wal in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("guildhall.sqlite3");
        {
            let conn = rusqlite::Connection::open(&path).expect("open raw");
            if wal {
                let _: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0)).expect("wal");
            }
            conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (1); PRAGMA user_version = 99;")
                .expect("future schema");
        }
        let bytes = std::fs::read(&path).expect("read");
        let err = Store::open(&path, &options()).expect_err("newer file must be refused");
        assert!(
            matches!(err, StoreError::TooNew { found: 99, supported, .. } if supported == SCHEMA_VERSION),
            "{err:?}"
        );
        assert!(err.to_string().contains("newer version of Guildhall"), "{err}");
        assert_eq!(std::fs::read(&path).expect("read"), bytes, "wal={wal}: the file changed");
        assert_eq!(pragma::<i64>(&path, "user_version"), 99);
    }
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("guildhall.sqlite3");
    // Deterministic noise: a small xorshift generator.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let noise: Vec<u8> = (0..8192)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect();
    for content in [noise.as_slice(), b"hello, I am a text file\n".as_slice()] {
        std::fs::write(&path, content).expect("write");
        let err = Store::open(&path, &options()).expect_err("must be refused");
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("left it untouched") && message.contains("guildhall.sqlite3.damaged"), "{message}");
        assert_eq!(std::fs::read(&path).expect("read"), content);
    }
}

/// A store with some data in it, closed (so no WAL file is left).
fn populated_store(path: &Path) {
    let mut store = open(path);
    store.start_path("first-app", &["a", "b", "c"]).expect("start");
    for i in 0..120 {
        store.record_view(&format!("doc-{i}")).expect("view");
        store.log_search(&format!("query number {i}"), i % 3).expect("log");
    }
    store.set_note("a", &"A long note. ".repeat(8000)).expect("note");
}

#[test]
fn a_truncated_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("guildhall.sqlite3");
    populated_store(&path);
    let full = std::fs::read(&path).expect("read");
    assert!(full.len() > 16 * 4096, "the test needs a file of many pages, got {}", full.len());
    for len in [50, full.len() / 2, full.len() / 2 + 100, full.len() - 4096] {
        std::fs::write(&path, &full[..len]).expect("truncate");
        let err = Store::open(&path, &options()).expect_err("truncated file must be refused");
        assert!(matches!(err, StoreError::Corrupt { problem: Corruption::Truncated { .. }, .. }), "{len}: {err:?}");
        assert_eq!(std::fs::read(&path).expect("read").len(), len);
    }
}

#[test]
fn a_damaged_page_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("guildhall.sqlite3");
    populated_store(&path);
    let mut bytes = std::fs::read(&path).expect("read");
    // Scribble over the middle of the file: b-tree pages, not the header.
    let mid = bytes.len() / 2;
    for (i, b) in bytes[mid..mid + 8192].iter_mut().enumerate() {
        *b = (i * 31 % 251) as u8;
    }
    std::fs::write(&path, &bytes).expect("write");
    let err = Store::open(&path, &options()).expect_err("damaged file must be refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).expect("read"), bytes);
}

#[test]
fn progress_survives_reordering_removal_and_addition() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&store_file(&dir));
    assert!(store.start_path("p", &["a", "b", "c", "d"]).expect("start"));
    assert!(!store.start_path("p", &["other"]).expect("start again is a no-op"));
    store.mark_step_done("p", "a").expect("a");
    store.mark_step_done("p", "c").expect("c");
    store.mark_step_done("p", "d").expect("d");
    store.set_current_step("p", Some("d")).expect("current");

    let same = store.path_progress("p", &["a", "b", "c", "d"]).expect("progress").expect("started");
    assert!(!same.changed_since_start);
    assert_eq!(same.done_count(), 3);
    assert_eq!(same.next_step(), Some("b"), "current step d is done, so the first open step");
    assert!(same.removed_done_steps.is_empty());

    // Reordered: same refs, new order; states follow the refs.
    let reordered = store.path_progress("p", &["d", "c", "b", "a"]).expect("progress").expect("started");
    assert!(reordered.changed_since_start);
    let done: Vec<bool> = reordered.steps.iter().map(|s| s.is_done()).collect();
    assert_eq!(done, [true, true, false, true]);
    assert!(reordered.added_since_start.is_empty() && reordered.removed_since_start.is_empty());

    // d removed, e added in front: d is reported, not dropped; the rest keep their state.
    let edited = store.path_progress("p", &["e", "a", "b", "c"]).expect("progress").expect("started");
    assert!(edited.changed_since_start);
    let states: Vec<(&str, bool)> = edited.steps.iter().map(|s| (s.step_ref.as_str(), s.is_done())).collect();
    assert_eq!(states, [("e", false), ("a", true), ("b", false), ("c", true)]);
    assert_eq!(edited.removed_done_steps.len(), 1);
    assert_eq!(edited.removed_done_steps[0].step_ref, "d");
    assert!(edited.removed_done_steps[0].done_at.is_some());
    assert_eq!(edited.added_since_start, ["e"]);
    assert_eq!(edited.removed_since_start, ["d"]);
    assert!(edited.current_step_removed);
    assert_eq!(edited.next_step(), Some("e"));
    assert!(!edited.is_complete());

    // The removed step comes back: its state was kept all along.
    let restored = store.path_progress("p", &["a", "b", "c", "d"]).expect("progress").expect("started");
    assert_eq!(restored.done_count(), 3);

    store.mark_step_done("p", "b").expect("b");
    assert!(store.path_progress("p", &["a", "b", "c", "d"]).expect("progress").expect("started").is_complete());
    assert!(store.mark_step_not_done("p", "b").expect("undo"));
    assert!(!store.mark_step_not_done("p", "b").expect("undo again"));

    assert!(store.path_progress("never-started", &["a"]).expect("progress").is_none());
    let runs = store.started_paths().expect("runs");
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].steps_at_start, ["a", "b", "c", "d"]);
    assert_eq!(runs[0].done_count, 3);

    assert!(store.reset_path("p").expect("reset"));
    assert!(store.path_progress("p", &["a"]).expect("progress").is_none());
}

#[test]
fn marking_a_step_of_a_path_not_started_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&store_file(&dir));
    let err = store.mark_step_done("p", "a").expect_err("not started");
    assert!(matches!(err, StoreError::PathNotStarted { ref path_id } if path_id == "p"), "{err:?}");
    assert!(store.started_paths().expect("runs").is_empty(), "the failed write left nothing behind");
}

#[test]
fn bad_arguments_are_refused_before_writing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&store_file(&dir));
    let err = store.add_bookmark("  ").expect_err("empty");
    assert!(matches!(err, StoreError::InvalidInput { problem: InputProblem::Empty, .. }), "{err:?}");
    let err = store.add_bookmark(&"x".repeat(10_000)).expect_err("long");
    assert!(matches!(err, StoreError::InvalidInput { problem: InputProblem::TooLong { .. }, .. }), "{err:?}");
    let err = store.start_path("p", &["a\nb"]).expect_err("control");
    assert!(matches!(err, StoreError::InvalidInput { problem: InputProblem::ControlCharacter, .. }), "{err:?}");
    let err = store.set_note("a", &"x".repeat(guildhall_store::MAX_NOTE_BYTES + 1)).expect_err("huge note");
    assert!(matches!(err, StoreError::InvalidInput { field: "note", .. }), "{err:?}");
    assert!(store.bookmarks().expect("bookmarks").is_empty());
}

#[test]
fn attempts_and_completions_are_kept_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&store_file(&dir));
    store.record_checkpoint_attempt("p", "a", "Retry at once", false).expect("attempt");
    store.record_checkpoint_attempt("p", "a", "Back off", true).expect("attempt");
    store.record_checkpoint_attempt("q", "a", "x", true).expect("attempt");
    let attempts = store.checkpoint_attempts("p").expect("attempts");
    assert_eq!(
        attempts.iter().map(|a| (a.answer.as_str(), a.correct)).collect::<Vec<_>>(),
        [("Retry at once", false), ("Back off", true)]
    );
    store.record_path_completion("p", "content-abc123").expect("completion");
    let done = store.path_completions("p").expect("completions");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].content_version, "content-abc123");
}

#[test]
fn bookmarks_notes_and_recent_views() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&store_file(&dir));
    assert!(store.add_bookmark("a").expect("add"));
    assert!(!store.add_bookmark("a").expect("add again"));
    assert!(store.add_bookmark("b").expect("add"));
    assert_eq!(store.bookmarks().expect("list").iter().map(|b| b.doc_id.as_str()).collect::<Vec<_>>(), ["b", "a"]);
    assert!(store.is_bookmarked("a").expect("is"));
    assert!(store.remove_bookmark("a").expect("remove"));
    assert!(!store.is_bookmarked("a").expect("is"));

    store.set_note("a", "first").expect("note");
    store.set_note("a", "second").expect("note");
    assert_eq!(store.note("a").expect("note").expect("some").body, "second");
    store.set_note("a", "   ").expect("blank deletes");
    assert!(store.note("a").expect("note").is_none());

    for i in 0..RECENT_VIEWS_KEPT + 25 {
        store.record_view(&format!("doc-{i}")).expect("view");
    }
    store.record_view("doc-3").expect("view");
    let recent = store.recent_views(usize::MAX).expect("recent");
    assert_eq!(recent.len(), RECENT_VIEWS_KEPT);
    assert_eq!(recent[0].doc_id, "doc-3");
    assert_eq!(recent[0].view_count, 1, "doc-3 had fallen off the list before it was viewed again");
    assert!(recent.iter().all(|r| r.doc_id != "doc-0"));
    store.record_view("doc-3").expect("view");
    assert_eq!(store.recent_views(1).expect("recent")[0].view_count, 2);
}

#[test]
fn search_log_reports_gaps_and_is_pruned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_file(&dir);
    let mut store = open(&path);
    set_now(T0 - 100 * DAY);
    store.log_search("ancient gap", 0).expect("log");
    set_now(T0 - 10 * DAY);
    store.log_search("Dead  Letter", 0).expect("log");
    store.log_search("dead letter ", 0).expect("log");
    store.log_search("retry", 4).expect("log");
    store.log_search("pagination", 0).expect("log");
    assert!(!store.log_search("   ", 0).expect("blank is not logged"));
    set_now(T0);

    let gaps = store.zero_result_queries(Timestamp::from_millis(T0 - 200 * DAY)).expect("gaps");
    let gaps: Vec<(&str, u64)> = gaps.iter().map(|g| (g.query.as_str(), g.count)).collect();
    assert_eq!(gaps, [("dead letter", 2), ("pagination", 1), ("ancient gap", 1)]);
    let recent = store.zero_result_queries(Timestamp::from_millis(T0 - 30 * DAY)).expect("gaps");
    assert_eq!(recent.len(), 2);

    assert_eq!(store.prune_search_log(30).expect("prune"), 1);
    assert_eq!(store.search_log(Timestamp::from_millis(i64::MIN)).expect("log").len(), 4);
    drop(store);

    // Retention applies at open.
    set_now(T0 + 75 * DAY);
    let store = Store::open(&path, &options().with_search_log_retention_days(Some(90))).expect("open");
    assert_eq!(store.search_log(Timestamp::from_millis(i64::MIN)).expect("log").len(), 4);
    drop(store);
    set_now(T0 + 85 * DAY);
    let store = Store::open(&path, &options()).expect("open");
    assert!(store.search_log(Timestamp::from_millis(i64::MIN)).expect("log").is_empty());
}

#[test]
fn weak_results_settled_without_a_click_are_unanswered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&store_file(&dir));
    set_now(T0 - 40 * DAY);
    store.log_search_outcome("old weak", 3, false).expect("log");
    set_now(T0 - DAY);
    store.log_search_outcome("Power BI  licence", 10, false).expect("log");
    store.log_search_outcome("power bi licence", 10, false).expect("log");
    store.log_search_outcome("power bi licence", 10, true).expect("opened: answered");
    store.log_search("power bi licence", 10).expect("outcome not known: not counted");
    store.log_search("xylophone", 0).expect("log");
    store.log_search_outcome("xylophone", 0, false).expect("log");
    store.log_search_outcome("retry", 4, true).expect("log");
    assert!(!store.log_search_outcome("  ", 3, false).expect("blank is not logged"));
    set_now(T0);

    let gaps = store.unanswered_queries(Timestamp::from_millis(T0 - 30 * DAY)).expect("gaps");
    let gaps: Vec<(&str, u64, u64)> = gaps.iter().map(|g| (g.query.as_str(), g.count, g.no_results)).collect();
    assert_eq!(gaps, [("xylophone", 2, 2), ("power bi licence", 2, 0)]);
    let all = store.unanswered_queries(Timestamp::from_millis(T0 - 100 * DAY)).expect("gaps");
    assert_eq!(all.len(), 3);
    // The outcome is kept as logged; nothing in an entry says who searched.
    let log = store.search_log(Timestamp::from_millis(T0 - 30 * DAY)).expect("log");
    let outcomes: Vec<Option<bool>> = log.iter().map(|e| e.opened).collect();
    assert_eq!(outcomes, [Some(false), Some(false), Some(true), None, None, Some(false), Some(true)]);
    let json = serde_json::to_value(&log[0]).expect("json");
    let mut keys: Vec<&String> = json.as_object().expect("object").keys().collect();
    keys.sort();
    assert_eq!(keys, ["at", "opened", "query", "result_count"]);
}

#[test]
fn a_version_2_store_is_upgraded_and_keeps_its_search_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_file(&dir);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    {
        // The file exactly as the previous release left it: migrations 1 and 2, and a log.
        let conn = rusqlite::Connection::open(&path).expect("open raw");
        conn.execute_batch(include_str!("../../src/migrations/001_init.sql")).expect("001");
        conn.execute_batch(include_str!("../../src/migrations/002_drafts.sql")).expect("002");
        conn.execute_batch(&format!(
            "PRAGMA user_version = 2;
             INSERT INTO search_log (query, normalized, result_count, at) VALUES
               ('Dead letter', 'dead letter', 0, {t}), ('retry', 'retry', 4, {t});",
            t = T0 - DAY
        ))
        .expect("v2 data");
    }
    let mut store = open(&path);
    assert_eq!(pragma::<i64>(&path, "user_version"), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 3);
    store.integrity_check().expect("integrity");
    let log = store.search_log(Timestamp::from_millis(i64::MIN)).expect("log");
    assert_eq!(
        log.iter().map(|e| (e.query.as_str(), e.opened)).collect::<Vec<_>>(),
        [("Dead letter", None), ("retry", None)]
    );
    store.log_search_outcome("retry", 4, false).expect("log after upgrade");
    let gaps = store.unanswered_queries(Timestamp::from_millis(i64::MIN)).expect("gaps");
    assert_eq!(
        gaps.iter().map(|g| (g.query.as_str(), g.count)).collect::<Vec<_>>(),
        [("retry", 1), ("dead letter", 1)]
    );
    // A check constraint guards the new column too.
    let raw = rusqlite::Connection::open(&path).expect("raw");
    assert!(raw.execute("UPDATE search_log SET opened = 2", []).is_err());
}

#[test]
fn a_version_1_export_still_imports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&store_file(&dir));
    populate_everything(&mut store);
    let mut v: serde_json::Value = serde_json::from_str(&store.export().expect("export").to_json()).expect("json");
    v["version"] = 1.into();
    for e in v["search_log"].as_array_mut().expect("log") {
        e.as_object_mut().expect("entry").remove("opened");
    }
    let data = PersonalData::from_json(&v.to_string()).expect("version 1 reads");
    store.import(&data).expect("import");
    let log = store.search_log(Timestamp::from_millis(i64::MIN)).expect("log");
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|e| e.opened.is_none()));
}

fn populate_everything(store: &mut Store) {
    store
        .set_profile(&Profile {
            display_name: "Grace".into(),
            role: Some(Role::AppOwner),
            glossary_view: GlossaryView::Plain,
            theme: Theme::Light,
            language: None,
        })
        .expect("profile");
    store.start_path("first-app", &["a", "b"]).expect("start");
    store.mark_step_done("first-app", "b").expect("done");
    store.set_current_step("first-app", Some("a")).expect("current");
    store.start_path("empty-path", &[] as &[&str]).expect("start");
    store.record_checkpoint_attempt("first-app", "b", "Option “two”\nover two lines", true).expect("attempt");
    store.record_path_completion("first-app", "v1").expect("completion");
    store.add_bookmark("glossary/émoji-ü").expect("bookmark");
    store.set_note("a", "# Heading\n\nMulti-line\nnote with \"quotes\" and ünïcode").expect("note");
    store.record_view("a").expect("view");
    store.record_view("a").expect("view");
    store.log_search("how do I retry", 0).expect("log");
    store.log_search_outcome("power bi licence", 7, false).expect("log");
    store.log_search_outcome("retry", 4, true).expect("log");
}

#[test]
fn export_then_import_round_trips() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut source = open(&dir.path().join("one.sqlite3"));
    populate_everything(&mut source);
    let exported = source.export().expect("export");
    let json = exported.to_json();
    assert!(json.contains("\"format\": \"guildhall-personal-data\"") && json.contains("\"version\": 2"), "{json}");

    let mut target = open(&dir.path().join("two.sqlite3"));
    target.add_bookmark("will-be-replaced").expect("bookmark");
    target.set_hub_meta(&HubMeta { name: Some("Target hub".into()), content_path: None }).expect("meta");
    let parsed = PersonalData::from_json(&json).expect("parse");
    assert_eq!(parsed, exported);
    target.import(&parsed).expect("import");

    let again = target.export().expect("export");
    assert_eq!(again.hub.name.as_deref(), Some("Target hub"), "import keeps the target's hub facts");
    assert_eq!(PersonalData { exported_at: exported.exported_at, hub: exported.hub.clone(), ..again }, exported);
    assert!(!target.is_bookmarked("will-be-replaced").expect("is"));
    let progress = target.path_progress("first-app", &["a", "b"]).expect("progress").expect("started");
    assert_eq!(progress.done_count(), 1);
}

#[test]
fn a_bad_import_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&store_file(&dir));
    populate_everything(&mut store);
    let before = store.export().expect("export");
    let good: serde_json::Value = serde_json::from_str(&before.to_json()).expect("json");

    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = good.clone();
        f(&mut v);
        v.to_string()
    };
    let cases: Vec<(&str, String)> = vec![
        ("not json", "{ nope".to_string()),
        ("wrong format", edit(&|v| v["format"] = "something-else".into())),
        ("newer version", edit(&|v| v["version"] = 3.into())),
        ("unknown field", edit(&|v| v["surprise"] = true.into())),
        ("bad time", edit(&|v| v["bookmarks"][0]["created_at"] = "yesterday".into())),
        ("unknown theme", edit(&|v| v["profile"]["theme"] = "neon".into())),
        ("missing list", edit(&|v| _ = v.as_object_mut().map(|o| o.remove("notes")))),
        ("empty doc id", edit(&|v| v["notes"][0]["doc_id"] = "".into())),
        (
            "duplicate bookmark at the very end",
            edit(&|v| {
                let b = v["bookmarks"][0].clone();
                v["bookmarks"].as_array_mut().expect("array").push(b);
            }),
        ),
        ("zero views", edit(&|v| v["recent_views"][0]["view_count"] = 0.into())),
    ];
    for (name, text) in cases {
        let result = PersonalData::from_json(&text).and_then(|data| store.import(&data));
        let err = result.expect_err(name);
        match name {
            "not json" => assert!(matches!(err, StoreError::ImportNotJson(_)), "{name}: {err:?}"),
            "wrong format" => assert!(matches!(err, StoreError::ImportWrongFormat { .. }), "{name}: {err:?}"),
            "newer version" => {
                assert!(matches!(err, StoreError::ImportUnsupportedVersion { found: 3, .. }), "{name}: {err:?}")
            }
            "bad time" => assert!(
                matches!(err, StoreError::ImportInvalid { ref at, .. } if at == "bookmarks[0].created_at"),
                "{name}: {err:?}"
            ),
            "duplicate bookmark at the very end" => assert!(
                matches!(err, StoreError::ImportRejected { problem: InputProblem::Duplicate(_), .. }),
                "{name}: {err:?}"
            ),
            _ => {}
        }
        let after = store.export().expect("export");
        assert_eq!(PersonalData { exported_at: before.exported_at, ..after }, before, "{name} changed the store");
    }
}

#[test]
fn the_store_can_be_shared_across_threads_behind_a_mutex() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_file(&dir);
    let store = std::sync::Arc::new(std::sync::Mutex::new(open(&path)));
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let store = std::sync::Arc::clone(&store);
            std::thread::spawn(move || {
                for i in 0..25 {
                    store.lock().expect("lock").add_bookmark(&format!("t{t}-{i}")).expect("bookmark");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("join");
    }
    // A second connection on the same file sees every write.
    let other = open(&path);
    assert_eq!(other.bookmarks().expect("bookmarks").len(), 100);
}

#[test]
fn a_locked_store_reports_busy_and_still_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_file(&dir);
    let mut store = open(&path);
    set_now(T0 - 200 * DAY);
    store.log_search("old", 0).expect("log");
    set_now(T0);
    drop(store);

    let other = rusqlite::Connection::open(&path).expect("raw open");
    other.execute_batch("BEGIN IMMEDIATE").expect("hold the write lock");
    let quick = options().with_busy_timeout(std::time::Duration::from_millis(100));
    // Pruning the stale entry at open needs the lock: open still succeeds and reads work.
    let mut store = Store::open(&path, &quick).expect("open while locked");
    assert_eq!(store.search_log(Timestamp::from_millis(i64::MIN)).expect("log").len(), 1);
    let err = store.add_bookmark("a").expect_err("locked");
    assert!(matches!(err, StoreError::Busy { .. }), "{err:?}");
    other.execute_batch("ROLLBACK").expect("release");
    assert!(store.add_bookmark("a").expect("bookmark after release"));
}

#[test]
fn another_programs_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("guildhall.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).expect("open raw");
        conn.execute_batch("CREATE TABLE meta (k, v); INSERT INTO meta VALUES ('owner', 'someone else');")
            .expect("foreign schema");
    }
    let bytes = std::fs::read(&path).expect("read");
    let err = Store::open(&path, &options()).expect_err("foreign database must be refused");
    assert!(matches!(err, StoreError::Corrupt { problem: Corruption::ForeignDatabase, .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).expect("read"), bytes);
}
