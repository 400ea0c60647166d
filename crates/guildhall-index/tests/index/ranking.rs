//! Ranking, filters, facets and expansion on a real index in a temporary folder.

use crate::common::{catalog, hub_files, ids, open, search};
use guildhall_content::Kind;
use guildhall_index::{SearchIndex, SearchRequest};

fn setup() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("tempdir");
    let cat = catalog(hub_files());
    assert_eq!(cat.error_count(), 0, "{:?}", cat.diagnostics());
    let ix = open(&dir.path().join("index"), &cat);
    (dir, ix)
}

#[test]
fn exact_title_or_term_ranks_first() {
    let (_d, ix) = setup();
    let r = search(&ix, "exponential backoff");
    assert_eq!(ids(&r)[0], "exponential-backoff", "{:?}", ids(&r));
    let r = search(&ix, "Retry with backoff");
    assert_eq!(ids(&r)[0], "retry-with-backoff");
    // An alias is an exact match too.
    let r = search(&ix, "idempotent");
    assert_eq!(ids(&r)[0], "idempotency");
}

#[test]
fn typos_are_tolerated_but_never_beat_exact_matches() {
    let (_d, ix) = setup();
    // "exponental": one edit from a word some documents contain, none contain it as typed.
    let r = search(&ix, "exponental");
    assert!(ids(&r).contains(&"exponential-backoff"), "{:?}", ids(&r));
    // Eight letters or more tolerate two edits.
    let r = search(&ix, "idempotnecy");
    assert!(ids(&r).contains(&"idempotency"), "{:?}", ids(&r));
    // Under eight letters, one edit only: "jitr" is two away from "jitter".
    assert_eq!(search(&ix, "jitr").total, 0);
    // "colour" exists: the page that says "colur" is not preferred over it.
    let r = search(&ix, "colour");
    assert_eq!(ids(&r)[0], "colour", "{:?}", ids(&r));
    if let Some(pos) = ids(&r).iter().position(|&id| id == "colours-typo") {
        assert!(r.hits[pos].score < r.hits[0].score);
    }
    // A typo of the typo-page's word finds both, exact first.
    let r = search(&ix, "colur");
    assert_eq!(ids(&r)[0], "colours-typo", "{:?}", ids(&r));
}

#[test]
fn last_word_is_a_prefix_while_typing() {
    let (_d, ix) = setup();
    let r = search(&ix, "idempot");
    assert_eq!(ids(&r)[0], "idempotency", "{:?}", ids(&r));
    let r = search(&ix, "retry with back");
    assert_eq!(ids(&r)[0], "retry-with-backoff");
    assert!(r.hits[0].snippet.contains("<mark>"), "{}", r.hits[0].snippet);
}

#[test]
fn quoted_phrases_need_the_words_together() {
    let (_d, ix) = setup();
    let r = search(&ix, "\"exponential backoff\"");
    assert!(ids(&r).contains(&"retry-with-backoff"));
    assert!(!ids(&r).contains(&"backoff-myths"), "{:?}", ids(&r));
    let r = search(&ix, "backoff exponential");
    assert!(ids(&r).contains(&"backoff-myths"));
}

#[test]
fn filters_in_the_query_and_as_options() {
    let (_d, ix) = setup();
    let r = search(&ix, "kind:pattern backoff");
    assert_eq!(ids(&r), ["retry-with-backoff"]);
    let r = ix.search(&SearchRequest::new("backoff").with_kind(Kind::Term)).expect("search");
    assert_eq!(ids(&r), ["exponential-backoff"]);
    let r = search(&ix, "tag:quality");
    assert_eq!(ids(&r), ["duplicate-checklist"]);
    let r = search(&ix, "audience:mentor backoff");
    assert_eq!(ids(&r), ["exponential-backoff"]);
    let r = ix.search(&SearchRequest::new("twice").with_tag("QUALITY")).expect("search");
    assert_eq!(ids(&r), ["duplicate-checklist"]);
}

#[test]
fn facets_count_every_match_by_kind_and_tag() {
    let (_d, ix) = setup();
    let r = ix.search(&SearchRequest::new("backoff").with_limit(1)).expect("search");
    assert_eq!(r.hits.len(), 1);
    assert_eq!(r.total, 3);
    assert_eq!(r.facets.kind.get("term"), Some(&1));
    assert_eq!(r.facets.kind.get("pattern"), Some(&1));
    assert_eq!(r.facets.kind.get("guide"), Some(&1));
    assert_eq!(r.facets.tag.get("integration"), Some(&2));
    assert_eq!(r.facets.tag.get("reliability"), Some(&2));
}

#[test]
fn plain_words_find_jargon_pages() {
    let (_d, ix) = setup();
    let r = search(&ix, "try again later");
    assert!(r.expanded.iter().any(|e| e == "exponential backoff"), "{:?}", r.expanded);
    let found = ids(&r);
    assert!(found.contains(&"retry-with-backoff"), "{found:?}");
    assert!(found.contains(&"exponential-backoff"), "{found:?}");
}

#[test]
fn jargon_finds_pages_in_plain_words() {
    let (_d, ix) = setup();
    let r = search(&ix, "idempotent");
    assert!(r.expanded.iter().any(|e| e == "safe to run twice"), "{:?}", r.expanded);
    assert!(ids(&r).contains(&"duplicate-checklist"), "{:?}", ids(&r));
    // The term itself still ranks first, and the expansion ranks below typed words.
    assert_eq!(ids(&r)[0], "idempotency");
}

#[test]
fn abbreviations_expand_only_in_capitals() {
    let (_d, ix) = setup();
    assert!(search(&ix, "DLP").expanded.contains(&"stop data leaking".to_string()));
    assert!(search(&ix, "stop data leaking").expanded.contains(&"DLP".to_string()));
}

#[test]
fn short_focused_page_is_not_buried_by_a_long_one() {
    let (_d, ix) = setup();
    let r = search(&ix, "invoice");
    assert_eq!(ids(&r)[0], "short-invoices", "{:?}", ids(&r));
}

#[test]
fn hits_carry_everything_a_result_list_needs() {
    let (_d, ix) = setup();
    let r = search(&ix, "jitter");
    let h = &r.hits[0];
    assert_eq!(h.id, "retry-with-backoff");
    assert_eq!(h.kind, guildhall_content::Kind::Pattern);
    assert_eq!(h.title, "Retry with backoff");
    assert_eq!(h.summary, "Retry temporary failures with growing waits.");
    assert_eq!(h.path, "patterns/retry-with-backoff.md");
    assert!(h.score > 0.0);
    assert!(h.snippet.contains("<mark>jitter</mark>"), "{}", h.snippet);
    let json = serde_json::to_value(&r).expect("json");
    for key in ["query", "expanded", "total", "took_us", "hits", "facets"] {
        assert!(json.get(key).is_some(), "{key}");
    }
}

#[test]
fn snippets_escape_markup_from_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = hub_files();
    files.push((
        "guides/html.md".into(),
        "---\ntitle: Html\n---\nWatch for `<img src=x onerror=alert(1)>` in zebrafish forms.\n".into(),
    ));
    let ix = open(&dir.path().join("i"), &catalog(files));
    let r = search(&ix, "zebrafish");
    let s = &r.hits[0].snippet;
    assert!(s.contains("&lt;img src=x onerror=alert(1)&gt;"), "{s}");
    assert!(s.contains("<mark>zebrafish</mark>"), "{s}");
    assert_eq!(s.matches('<').count(), 2, "{s}");
}

/// A hub where "from" and "form" are both everyday words, and one page is about forms.
fn forms_hub() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = vec![
        (
            "patterns/form-builder.md".to_string(),
            "---\ntitle: Form builder\n---\nLay out the fields of a form and check what people type.\n".to_string(),
        ),
        (
            "patterns/approval-builder.md".to_string(),
            "---\ntitle: Approval builder\n---\nBuild approvals from a template.\n".to_string(),
        ),
    ];
    for i in 0..6 {
        files.push((
            format!("guides/import-{i}.md"),
            format!("---\ntitle: Import step {i}\n---\nCopy the rows from the old list into the builder, batch {i}.\n"),
        ));
    }
    let cat = catalog(files);
    assert_eq!(cat.error_count(), 0, "{:?}", cat.diagnostics());
    let ix = open(&dir.path().join("index"), &cat);
    (dir, ix)
}

#[test]
fn a_typo_that_is_a_real_word_is_corrected_when_the_correction_matches_far_better() {
    let (_d, ix) = forms_hub();
    // "from" is a real word (every import page has it), but no title has it with "builder",
    // and "Form builder" is a title: the corrected query wins.
    let r = search(&ix, "from builder");
    assert_eq!(ids(&r)[0], "form-builder", "{:?}", ids(&r));
    assert!(r.hits[0].snippet.contains("<mark>form</mark>"), "{}", r.hits[0].snippet);
    let r = search(&ix, "from builder fields");
    assert_eq!(ids(&r)[0], "form-builder", "{:?}", ids(&r));
    // Typed right, it is not corrected: a title has "approval" with "builder".
    let r = search(&ix, "approval builder");
    assert_eq!(ids(&r)[0], "approval-builder", "{:?}", ids(&r));
    // A word matched as typed in a title with the other word is never second-guessed.
    let r = search(&ix, "import step");
    assert!(ids(&r).iter().all(|id| id.starts_with("import-")), "{:?}", ids(&r));
    // A question is not corrected word by word.
    let r = search(&ix, "how do I copy rows from the old list");
    assert!(!ids(&r).contains(&"form-builder"), "{:?}", ids(&r));
}

#[test]
fn a_leading_minus_excludes_a_word_in_any_form() {
    let (_d, ix) = forms_hub();
    let all = search(&ix, "builder");
    assert!(ids(&all).contains(&"approval-builder") && ids(&all).contains(&"import-0"), "{:?}", ids(&all));
    let r = search(&ix, "builder -approval");
    assert!(!ids(&r).contains(&"approval-builder"), "{:?}", ids(&r));
    assert!(ids(&r).contains(&"form-builder"), "{:?}", ids(&r));
    // Stemmed: "-row" excludes the pages that say "rows".
    let r = search(&ix, "builder -row");
    assert_eq!(ids(&r).len(), 2, "{:?}", ids(&r));
    assert_eq!(search(&ix, "builder -builder").total, 0);
}
