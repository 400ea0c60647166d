//! The core's search integration: a real hub folder, a real data directory, a real watcher.

use std::path::Path;
use std::time::{Duration, Instant};

use guildhall_core::{Error, Hub, HubOptions, SearchRequest, SearchResponse};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn small_hub(root: &Path) {
    // A Guildhall hub: kind folders are kinds only where guildhall.toml says so.
    write(root, "guildhall.toml", "");
    write(
        root,
        "glossary/exponential-backoff.md",
        "---\nterm: Exponential backoff\nplain: \"Waiting longer after each failed attempt.\"\nplain_phrases: [try \
         again later]\n---\nSee [[retry]].\n",
    );
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\nUse exponential backoff between attempts.\n");
}

#[test]
fn open_with_data_indexes_once_then_only_changes() {
    let content = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    small_hub(content.path());
    let hub = Hub::open_with_data(content.path(), data.path(), &HubOptions::default()).expect("open");
    let status = hub.index_status().expect("indexed");
    assert_eq!(status.rebuilt.as_deref(), Some("no index yet"));
    assert_eq!(status.sync.added, 2);
    assert!(status.dir.starts_with(data.path().join("hubs")));
    let r = hub.search(&SearchRequest::new("try again later")).expect("search");
    assert_eq!(r.expanded, ["exponential backoff"]);
    assert!(r.hits.iter().any(|h| h.id == "retry" && h.path == "patterns/retry.md"));
    drop(hub);

    let hub = Hub::open_with_data(content.path(), data.path(), &HubOptions::default()).expect("reopen");
    let status = hub.index_status().expect("indexed");
    assert_eq!((status.rebuilt.clone(), status.sync.changed(), status.sync.unchanged), (None, 0, 2));
    drop(hub);

    // Deleting the index loses nothing.
    std::fs::remove_dir_all(data.path().join("hubs")).expect("rm");
    let hub = Hub::open_with_data(content.path(), data.path(), &HubOptions::default()).expect("reopen");
    assert_eq!(hub.index_status().expect("indexed").sync.added, 2);
}

#[test]
fn hubs_without_a_data_dir_have_no_search() {
    let content = tempfile::tempdir().expect("tempdir");
    small_hub(content.path());
    let hub = Hub::open(content.path(), &HubOptions::default()).expect("open");
    assert!(matches!(hub.search(&SearchRequest::new("retry")), Err(Error::NoIndex)));
}

#[test]
fn settled_queries_are_logged_and_zero_results_feed_the_gap_report() {
    let content = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    small_hub(content.path());
    let hub = Hub::open_with_data(content.path(), data.path(), &HubOptions::default()).expect("open");
    hub.search_recorded(&SearchRequest::new("retry")).expect("search");
    hub.search_recorded(&SearchRequest::new("xylophone")).expect("search");
    hub.search_recorded(&SearchRequest::new("Xylophone ")).expect("search");
    hub.search_recorded(&SearchRequest::new("  ")).expect("search");
    // Search as you type does not log every keystroke.
    hub.search(&SearchRequest::new("xylo")).expect("search");
    let gaps = hub.content_gaps(30).expect("gaps");
    assert_eq!(gaps.iter().map(|g| (g.query.as_str(), g.count)).collect::<Vec<_>>(), [("xylophone", 2)]);
    // Results nobody opened in time: unanswered too, counted by the core (not the caller), and
    // grouped with the same words in another form.
    assert!(hub.record_search_outcome(&SearchRequest::new("Retries"), false).expect("record"));
    assert!(hub.record_search_outcome(&SearchRequest::new("retry"), true).expect("record"));
    assert!(!hub.record_search_outcome(&SearchRequest::new(" "), false).expect("blank"));
    hub.record_search_outcome(&SearchRequest::new("retry"), false).expect("record");
    hub.record_search_outcome(&SearchRequest::new("retry "), false).expect("record");
    let gaps = hub.content_gaps(30).expect("gaps");
    let rows: Vec<(&str, u64, u64, usize)> =
        gaps.iter().map(|g| (g.query.as_str(), g.count, g.no_results, g.wordings.len())).collect();
    assert_eq!(rows[..], [("retry", 3, 0, 2), ("xylophone", 2, 2, 1)][..], "{gaps:?}");
    // The log is in the real database file: a second process opening the hub sees it.
    drop(hub);
    let again = Hub::open_with_data(content.path(), data.path(), &HubOptions::default()).expect("reopen");
    assert_eq!(again.content_gaps(30).expect("gaps").len(), 2);
}

async fn wait_for(hub: &Hub, query: &str, want: impl Fn(&SearchResponse) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let r = hub.search(&SearchRequest::new(query)).expect("search");
        if want(&r) {
            return start.elapsed();
        }
        assert!(start.elapsed() < Duration::from_secs(20), "the change never became searchable: {query}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watcher_makes_saved_changes_searchable() {
    let content = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    small_hub(content.path());
    let hub = Hub::open_with_data(content.path(), data.path(), &HubOptions::default()).expect("open");
    let _watcher = hub.watch().expect("watch");

    write(content.path(), "guides/new-page.md", "---\ntitle: New page\n---\nAll about capybaras.\n");
    wait_for(&hub, "capybaras", |r| r.hits.iter().any(|h| h.id == "new-page")).await;
    // Pages follow the index: the reloaded catalog renders the new document.
    let start = Instant::now();
    while hub.document("new-page").is_err() {
        assert!(start.elapsed() < Duration::from_secs(20), "the catalog was never reloaded");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    write(content.path(), "patterns/retry.md", "---\ntitle: Retry\n---\nNow about narwhals.\n");
    wait_for(&hub, "narwhals", |r| r.hits.iter().any(|h| h.id == "retry")).await;
    wait_for(&hub, "attempts", |r| r.hits.iter().all(|h| h.id != "retry")).await;

    std::fs::remove_file(content.path().join("guides/new-page.md")).expect("rm");
    wait_for(&hub, "capybaras", |r| r.total == 0).await;

    // A whole folder moved: the full (hash-checked) sync path.
    std::fs::rename(content.path().join("glossary"), content.path().join("terms")).expect("mv");
    wait_for(&hub, "exponential", |r| r.hits.iter().any(|h| h.path == "terms/exponential-backoff.md")).await;
}
