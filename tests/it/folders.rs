//! Real Markdown folders opened as they are: an Obsidian vault, an MkDocs `docs/` folder and an
//! mdBook `src/` folder, written for these tests in each tool's conventions (`tests/fixtures/
//! hubs/{vault,mkdocs,mdbook}`). What each link resolves to and what each page renders to are
//! snapshots; `check` must report no error on any of them, since the tools build them cleanly.

use std::fmt::Write as _;
use std::fs;

use guildhall_content::{Catalog, Code, LinkTarget, LoadOptions, RenderOptions, Severity};

use crate::harness::{catalog, fixture_hub, within};

const FOLDERS: [&str; 3] = ["vault", "mkdocs", "mdbook"];

fn load(name: &str) -> Catalog {
    Catalog::load(&fixture_hub(name), &LoadOptions::default()).expect("load fixture folder")
}

/// Every link of every page and where it goes, one per line.
fn resolution(c: &Catalog) -> String {
    let mut out = String::new();
    for (i, doc) in c.documents().iter().enumerate() {
        let _ = writeln!(out, "{} (id `{}`, title `{}`)", doc.path, doc.id, doc.title);
        for (link, target) in doc.outline.links.iter().zip(c.links(i)) {
            let to = match target {
                LinkTarget::Document { index, anchor } => {
                    let d = &c.documents()[*index];
                    match anchor {
                        Some(a) => format!("document `{}` at `#{a}`", d.id),
                        None => format!("document `{}`", d.id),
                    }
                }
                LinkTarget::Anchor(a) => format!("this page at `#{a}`"),
                LinkTarget::Asset(p) => format!("file `{p}`"),
                LinkTarget::External(u) => format!("external `{u}`"),
                LinkTarget::DataImage(_) => "data image".to_string(),
                LinkTarget::Refused => "nowhere".to_string(),
            };
            let _ = writeln!(out, "  {}:{} {:?} `{}` -> {to}", link.line, link.col, link.style, link.dest);
        }
    }
    out
}

#[test]
fn the_tools_folders_check_without_errors() {
    for name in FOLDERS {
        let c = load(name);
        let errors: Vec<String> =
            c.diagnostics().iter().filter(|d| d.severity == Severity::Error).map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
        let report: Vec<String> = c.diagnostics().iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(format!("folder-check-{name}"), report.join("\n"));
        insta::assert_snapshot!(format!("folder-links-{name}"), resolution(&c));
    }
}

#[test]
fn the_tools_folders_render_as_expected() {
    for name in FOLDERS {
        let c = load(name);
        let r = c.renderer(RenderOptions::default());
        for (i, doc) in c.documents().iter().enumerate() {
            let snap = format!("folder-render-{name}-{}", doc.path.replace(['/', ' ', '.'], "_"));
            insta::assert_snapshot!(snap, r.render(i).html);
        }
    }
}

#[test]
fn obsidian_names_never_collide_and_resolve_nearest_first() {
    let c = load("vault");
    let id_of = |path: &str| c.documents().iter().find(|d| d.path == path).map(|d| d.id.clone()).expect(path);
    // Two names that slug alike are two pages, each with an id of its own.
    assert_ne!(id_of("en/Bases syntax.md"), id_of("en/Bases-Syntax.md"));
    assert_ne!(id_of("en/Case Test.md"), id_of("en/case-test.md"));
    assert!(c.diagnostics().iter().all(|d| d.code != Code::DuplicateId), "{:?}", c.diagnostics());
    // The exact path is an alias: `en/Bases/Views` renders.
    assert_eq!(c.index_of("en/Bases/Views"), c.index_of(&id_of("en/Bases/Views.md")));
    let r = c.renderer(RenderOptions::default());
    let home = r.render_id(&id_of("en/Home.md")).expect("home").html;
    let fr = r.render_id(&id_of("fr/Home.md")).expect("accueil").html;
    // `[[Bases syntax]]` from en/ is the English page, from fr/ the French one.
    assert!(home.contains(&format!("data-doc=\"{}\"", id_of("en/Bases syntax.md"))), "{home}");
    assert!(fr.contains(&format!("data-doc=\"{}\"", id_of("fr/Bases syntax.md"))), "{fr}");
    // From es/, both are as near: a warning that names them.
    let ambiguous: Vec<_> =
        c.diagnostics().iter().filter(|d| d.code == Code::AmbiguousLink && d.path == "es/Inicio.md").collect();
    assert_eq!(ambiguous.len(), 1, "{:?}", c.diagnostics());
    assert!(ambiguous[0].message.contains("en/Bases syntax.md") && ambiguous[0].message.contains("fr/Bases syntax.md"));
    // Attachments anywhere in the vault, as images and players; SVG only ever as <img>.
    assert!(home.contains("<img class=\"embed-image\" src=\"asset/Attachments/diagram.png\""), "{home}");
    assert!(home.contains("src=\"asset/Attachments/icons/star.svg\""), "{home}");
    assert!(!home.contains("<svg"), "{home}");
    assert!(home.contains("<audio controls=\"\" preload=\"none\" src=\"asset/Attachments/standup.mp3\""), "{home}");
    // A section embed shows that section only.
    assert!(home.contains("A body with <strong>bold</strong> text."), "{home}");
    assert!(!home.contains("Hidden until opened"), "{home}");
    // Comments are gone, highlights marked, the table's escaped pipe is a label.
    assert!(!home.contains("private comment"), "{home}");
    assert!(home.contains("<mark>important</mark>"), "{home}");
    assert!(home.contains(">the views page</a>"), "{home}");
}

#[test]
fn a_plain_folder_has_no_kinds_and_index_pages_keep_their_folder() {
    let c = load("mkdocs");
    assert!(c.is_plain_folder());
    assert_eq!(c.get("index").map(|d| d.path.as_str()), Some("index.md"));
    assert_eq!(c.get("guides/index").map(|d| d.path.as_str()), Some("guides/index.md"));
    assert_eq!(c.get("paths/index").map(|d| d.kind().to_string()).as_deref(), Some("guide"));
    // The id the page had before is migrated: `setup` is now `guides/setup`.
    assert!(c.renamed_ids().contains(&("setup", "guides/setup")), "{:?}", c.renamed_ids());
    assert_eq!(c.index_of("setup"), c.index_of("guides/setup"));
}

#[test]
fn mdbook_summary_gives_titles_and_includes_are_shown() {
    let c = load("mdbook");
    assert_eq!(c.get("chapter_1").map(|d| d.title.as_str()), Some("Getting started"));
    assert_eq!(c.get("intro").map(|d| d.title.as_str()), Some("Introduction"));
    let html = c.renderer(RenderOptions::default()).render_id("chapter_1/first_program").expect("page").html;
    assert!(html.contains("let greeting = \"hello\";"), "{html}");
    assert!(!html.contains("{{#include"), "{html}");
}

#[test]
fn a_page_starting_at_level_two_takes_its_title_from_that_heading() {
    let c = catalog(&[("notes/a.md", b"Intro.\n\n## Second level\n\ntext")]);
    assert_eq!(c.get("notes/a").map(|d| d.title.as_str()), Some("Second level"));
}

#[test]
fn deep_folders_load_and_deeper_ones_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut deep = dir.path().to_path_buf();
    for i in 0..60 {
        deep.push(format!("d{i}"));
    }
    fs::create_dir_all(&deep).expect("mkdir");
    fs::write(deep.join("note.md"), "# Deep note\n").expect("write");
    let mut deeper = dir.path().join("x");
    for i in 0..130 {
        deeper.push(format!("e{i}"));
    }
    fs::create_dir_all(&deeper).expect("mkdir");
    fs::write(deeper.join("lost.md"), "# Too deep\n").expect("write");
    let c = Catalog::load(dir.path(), &LoadOptions::default()).expect("load");
    assert!(c.documents().iter().any(|d| d.title == "Deep note"), "a file 60 folders deep loads");
    assert!(
        c.diagnostics().iter().any(|d| d.code == Code::Io && d.message.contains("folders deep")),
        "{:?}",
        c.diagnostics()
    );
}

#[test]
fn wikilinks_reach_glossary_terms_by_alias() {
    let c = catalog(&[
        ("glossary/workflow.md", b"---\nterm: Workflow\naliases: [flow]\nplain: Steps in order.\n---\n"),
        ("glossary/stream.md", b"---\nterm: Stream\naliases: [Flow]\nplain: Data that keeps coming.\n---\n"),
        ("glossary/cloud-flow.md", b"---\nterm: Cloud flow\nplain: An automation.\n---\n"),
        ("guides/g.md", b"---\ntitle: G\n---\nA [[Cloud flow]] is a [[flow]]."),
    ]);
    let i = c.index_of("g").expect("g");
    let targets: Vec<_> = c.links(i).to_vec();
    assert!(matches!(targets[0], LinkTarget::Document { index, .. } if c.documents()[index].id == "cloud-flow"));
    assert!(matches!(targets[1], LinkTarget::Document { .. }), "{targets:?}");
    let warn = c.diagnostics().iter().find(|d| d.code == Code::AmbiguousLink).expect("ambiguous alias warning");
    assert!(warn.message.contains("workflow.md") && warn.message.contains("stream.md"), "{warn:?}");
}

#[test]
fn links_by_one_name_shared_by_thousands_resolve_to_the_nearest() {
    // 600 `index.md` in 300 folders two deep: each links to its own index.
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for a in 0..30 {
        for b in 0..10 {
            files.push((format!("s{a}/t{b}/index.md"), format!("# Index {a}.{b}\n").into_bytes()));
            files.push((format!("s{a}/t{b}/page.md"), b"# Page\n\nUp to [[index]].".to_vec()));
        }
    }
    let c = within(60, "resolve", move || {
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
        catalog(&refs)
    });
    assert_eq!(c.error_count(), 0, "{:?}", c.diagnostics());
    assert!(c.diagnostics().iter().all(|d| d.code != Code::AmbiguousLink));
    let page = c.index_of("s7/t3/page").expect("page");
    assert!(
        matches!(&c.links(page)[0], LinkTarget::Document { index, .. } if c.documents()[*index].id == "s7/t3/index")
    );
}
