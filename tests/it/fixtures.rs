//! Snapshot tests over the fixture hubs: what `check` reports, what each page renders to and
//! what the front matter becomes. Review changes with `cargo insta review` (or set
//! `INSTA_UPDATE=always` once and read the diff).

use guildhall_content::{Catalog, Date, LoadOptions, RenderOptions};

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

#[test]
fn a_term_linked_explicitly_is_not_linked_again_as_a_mention() {
    let c = crate::harness::catalog(&[
        ("glossary/timeout.md", b"---\nterm: Timeout\nplain: How long to wait.\n---\n"),
        (
            "guides/g.md",
            b"---\ntitle: G\n---\nSet a [[timeout]]; every timeout matters.\n\n## Next\n\nA timeout again.",
        ),
    ]);
    let html = c.renderer(RenderOptions::default()).render_id("g").expect("g").html;
    assert_eq!(html.matches("href=\"#/doc/timeout\"").count(), 2, "{html}");
    assert!(html.contains(">timeout</a>; every timeout matters"), "{html}");
}

#[test]
fn wikilinks_to_terms_read_as_words_in_a_sentence() {
    let c = crate::harness::catalog(&[
        ("glossary/timeout.md", b"---\nterm: Timeout\nplain: p.\n---\n"),
        ("glossary/http-status-code.md", b"---\nterm: HTTP status code\nplain: p.\n---\n"),
        ("glossary/oauth.md", b"---\nterm: OAuth\nplain: p.\n---\n"),
        ("guides/g.md", b"---\ntitle: G\n---\n[[timeout]], [[http-status-code]], [[oauth]], [[g]]."),
    ]);
    let html = c.renderer(RenderOptions::default().with_link_mentions(false)).render_id("g");
    let html = html.expect("g").html;
    for label in [">timeout</a>", ">HTTP status code</a>", ">OAuth</a>", ">G</a>"] {
        assert!(html.contains(label), "{label} in {html}");
    }
}
