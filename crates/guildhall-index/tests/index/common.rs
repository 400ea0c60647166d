#![allow(dead_code)]

use guildhall_content::{Assets, Catalog, LoadOptions, SourceFile};
use guildhall_index::{SearchIndex, SearchRequest, SearchResponse};

pub fn file(path: &str, text: &str) -> SourceFile {
    SourceFile { path: path.into(), bytes: Ok(text.as_bytes().to_vec()) }
}

pub fn catalog(files: Vec<(String, String)>) -> Catalog {
    let sources = files.iter().map(|(p, t)| file(p, t)).collect();
    Catalog::build("test", sources, Assets::default(), None, &LoadOptions::default())
}

fn filler(words: usize) -> String {
    let pool = [
        "the", "team", "meeting", "agenda", "notes", "weekly", "update", "calendar", "office", "budget", "project",
        "status", "owner", "schedule", "review", "planning", "summary", "quarter", "goals", "people",
    ];
    (0..words).map(|i| pool[(i * 7 + i / 3) % pool.len()]).collect::<Vec<_>>().join(" ")
}

/// A small hub with the situations the ranking tests need.
pub fn hub_files() -> Vec<(String, String)> {
    let long_body = format!(
        "---\ntitle: Handbook\n---\n{}\n\nSometimes an invoice arrives late.\n\n{}\n\nAnother invoice note.\n\n{}\n\nThe invoice \
         archive.\n\n{}\n\nOne more invoice.\n",
        filler(1500),
        filler(1500),
        filler(1500),
        filler(1500)
    );
    vec![
        (
            "glossary/exponential-backoff.md",
            "---\nterm: Exponential backoff\naliases: [backoff]\nplain: \"Waiting a little longer after each failed \
             attempt before the next one.\"\nplain_phrases: [try again later, wait longer each time]\nsummary: \"Why \
             waits should grow.\"\ntags: [integration]\naudience: [mentor]\n---\nDoubling the wait between attempts \
             protects a struggling service.\n",
        ),
        (
            "glossary/idempotency.md",
            "---\nterm: Idempotency\naliases: [idempotent]\nplain: \"Doing the same thing twice has the same effect as \
             doing it once.\"\nplain_phrases: [safe to run twice, no duplicates when repeated]\ntags: \
             [integration]\n---\nA property of operations.\n",
        ),
        (
            "glossary/dlp.md",
            "---\nterm: Data loss prevention\naliases: [DLP]\nplain: \"Rules that stop sensitive data leaving \
             approved places.\"\nplain_phrases: [stop data leaking]\ntags: [security]\n---\nPolicies per \
             environment.\n",
        ),
        (
            "patterns/retry-with-backoff.md",
            "---\ntitle: Retry with backoff\nsummary: \"Retry temporary failures with growing waits.\"\ntags: \
             [integration, reliability]\naudience: [citizen-developer]\n---\n## Problem\n\nCalls to other systems \
             fail for a moment. Use exponential backoff with jitter between attempts: 10, 20, 40 seconds. \
             Exponential backoff keeps load low. Exponential backoff is standard. Read about \
             [[exponential-backoff]] and [[idempotency]].\n",
        ),
        (
            "guides/duplicate-checklist.md",
            "---\ntitle: Checklist before you switch on a flow\nsummary: \"Things to check before a flow goes \
             live.\"\ntags: [quality]\naudience: [mentor]\n---\nMake sure every step is safe to run twice, because \
             a step can be repeated after a timeout. Keep a reference number on each record.\n",
        ),
        (
            "guides/backoff-myths.md",
            "---\ntitle: Myths about waiting\ntags: [reliability]\n---\nThe backoff is not exponential in every \
             connector; some wait a fixed time.\n",
        ),
        (
            "guides/short-invoices.md",
            "---\ntitle: Paying suppliers\n---\nEvery invoice needs a purchase order. Send the invoice to the \
             finance inbox.\n",
        ),
        ("guides/long-handbook.md", long_body.as_str()),
        ("guides/colour.md", "---\ntitle: Brand guide\n---\nUse the approved colour palette for every app.\n"),
        ("guides/colours-typo.md", "---\ntitle: Screen guide\n---\nMind the contrast of each colur on screens.\n"),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t.to_string()))
    .collect()
}

pub fn open(dir: &std::path::Path, cat: &Catalog) -> SearchIndex {
    let (ix, _) = SearchIndex::open(dir).expect("open index");
    ix.sync(cat, &mut |_, _| {}).expect("sync");
    ix
}

pub fn search(ix: &SearchIndex, q: &str) -> SearchResponse {
    ix.search(&SearchRequest::new(q)).expect("search")
}

pub fn ids(r: &SearchResponse) -> Vec<&str> {
    r.hits.iter().map(|h| h.id.as_str()).collect()
}
