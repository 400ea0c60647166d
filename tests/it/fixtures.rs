//! Snapshot tests over the fixture hubs: what `check` reports, what each page renders to and
//! what the front matter becomes. Review changes with `cargo insta review` (or set
//! `INSTA_UPDATE=always` once and read the diff).

use guildhall_core::content::{Catalog, Date, LoadOptions, RenderOptions};

use crate::harness::fixture_hub;

fn load(name: &str) -> Catalog {
    let opts = LoadOptions::default().with_today(Date::new(2026, 11, 23).expect("date"));
    Catalog::load(&fixture_hub(name), &opts).expect("load fixture hub")
}

#[test]
fn diagnostics_of_every_fixture_hub() {
    for name in ["valid", "broken", "obsidian"] {
        let c = load(name);
        let report: Vec<String> = c.diagnostics().iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(format!("check-{name}"), report.join("\n"));
    }
}

#[test]
fn the_valid_hub_renders_as_expected() {
    let c = load("valid");
    let r = c.renderer(RenderOptions::default());
    for (i, doc) in c.documents().iter().enumerate() {
        let name = format!("render-{}", doc.id.replace('/', "__"));
        insta::assert_snapshot!(name, r.render(i).html);
    }
}

#[test]
fn front_matter_becomes_the_model() {
    let c = load("valid");
    for doc in c.documents() {
        let name = format!("model-{}", doc.id.replace('/', "__"));
        insta::assert_json_snapshot!(name, doc);
    }
}

#[test]
fn backlinks_and_mentions_are_tracked() {
    let c = load("valid");
    let idx = |id: &str| c.index_of(id).expect(id);
    let back: Vec<&str> = c.backlinks(idx("environment-strategy")).map(|d| d.id.as_str()).collect();
    assert_eq!(
        back,
        ["glossary/dlp.md", "notes/setup/README.md", "patterns/retry-with-backoff.md"]
            .map(|p| { c.documents().iter().find(|d| d.path == p).map(|d| d.id.as_str()).expect(p) })
    );
    let mentions: Vec<&str> = c.mentioned_by(idx("dlp")).map(|d| d.id.as_str()).collect();
    assert_eq!(mentions, ["environment-strategy", "retry-with-backoff"]);
}

#[test]
fn obsidian_links_resolve_to_the_shortest_unique_path() {
    let c = load("obsidian");
    let r = c.renderer(RenderOptions::default());
    let html = r.render_id("index").expect("index").html;
    assert!(html.contains("href=\"#/doc/docs/install/readme\""), "{html}");
    assert!(html.contains("href=\"#/doc/my-notes/weekly-review\""), "{html}");
}
