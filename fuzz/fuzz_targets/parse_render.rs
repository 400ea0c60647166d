//! Parse, link and render one arbitrary file next to a small glossary: must never panic, and
//! the HTML must never contain a script tag or an event handler.
#![no_main]

use guildhall_content::{Assets, Catalog, LoadOptions, RenderOptions, SourceFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let sources = vec![
        SourceFile { path: "guides/fuzz.md".into(), bytes: Ok(data.to_vec()) },
        SourceFile {
            path: "glossary/api.md".into(),
            bytes: Ok(b"---\nterm: API\naliases: [interface]\nplain: A way for programs to talk.\n---\n".to_vec()),
        },
    ];
    let catalog = Catalog::build("fuzz", sources, Assets::default(), None, &LoadOptions::default());
    let renderer = catalog.renderer(RenderOptions::default());
    for i in 0..catalog.documents().len() {
        let html = renderer.render(i).html.to_ascii_lowercase();
        // Text never holds a raw `<`, so every `<` opens a tag: look inside tags only.
        for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or(t)) {
            assert!(!tag.starts_with("script"), "{html}");
            // Attribute values are quoted, so a token `onx=` at a word start is an attribute name
            // (a quoted value holding ` onx=` would be a false alarm worth looking at anyway).
            let handler = tag.split_whitespace().any(|t| {
                t.split_once('=').is_some_and(|(name, _)| name.starts_with("on") && name.len() > 2)
            });
            assert!(!handler, "event handler in <{tag}>");
            assert!(!tag.contains("javascript:"), "script URL in <{tag}>");
        }
    }
});
