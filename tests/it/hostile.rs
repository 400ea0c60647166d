//! Hostile files: each must give a clear diagnostic naming the file, never a hang, a stack
//! overflow or a panic, and must never stop the other files from loading.

use std::fs;
use std::path::Path;

use guildhall_content::{Catalog, Code, LoadOptions, RenderOptions};

use crate::harness::{catalog, within};

/// The error codes reported for one file (warnings such as "orphan" are beside the point here).
fn codes(c: &Catalog, path: &str) -> Vec<Code> {
    c.diagnostics().iter().filter(|d| d.path == path && d.is_error()).map(|d| d.code).collect()
}

fn one_with(name: &str, bytes: Vec<u8>) -> Catalog {
    let name = name.to_string();
    within(60, &name.clone(), move || {
        catalog(&[(name.as_str(), bytes.as_slice()), ("guides/ok.md", b"---\ntitle: Fine\n---\nStill here.")])
    })
}

#[test]
fn yaml_alias_bomb_is_a_diagnostic() {
    let mut y = String::from("---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, next) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"]) {
        y.push_str(&format!(
            "{next}: &{next} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    y.push_str("title: Bomb\n---\nbody\n");
    let c = one_with("guides/bomb.md", y.into_bytes());
    assert_eq!(codes(&c, "guides/bomb.md"), [Code::Yaml]);
    assert!(c.get("ok").is_some(), "the other file still loads");
}

#[test]
fn deeply_nested_front_matter_is_a_diagnostic() {
    // Under the size cap: the YAML parser's own recursion limit must answer.
    let y = format!("---\ntitle: {}{}\n---\n", "[".repeat(20_000), "]".repeat(20_000));
    let c = one_with("guides/nested.md", y.into_bytes());
    assert_eq!(codes(&c, "guides/nested.md"), [Code::Yaml]);
    // Over the cap: refused before parsing.
    let y = format!("---\ntitle: {}\n---\n", "[".repeat(100_000));
    let c = one_with("guides/nested.md", y.into_bytes());
    assert_eq!(codes(&c, "guides/nested.md"), [Code::TooLarge]);
}

#[test]
fn deeply_nested_markdown_is_refused_not_rendered() {
    // 100,000 nested quotes, and 40,000 nested list items in an 80 KB line: both took html5ever
    // tens of seconds to sanitize. They are refused before the sanitizer sees them.
    for body in ["> ".repeat(100_000), format!("{}x", "- ".repeat(40_000))] {
        let text = format!("---\ntitle: Deep\n---\n{body}");
        let c = one_with("guides/deep.md", text.into_bytes());
        assert_eq!(codes(&c, "guides/deep.md"), [Code::TooDeep]);
        let page = within(60, "render deep", move || {
            let r = c.renderer(RenderOptions::default());
            c.index_of("deep").map(|i| r.render(i))
        })
        .expect("deep page loaded");
        assert!(page.refused.is_some());
        assert!(page.html.starts_with("<p class=\"render-refused\">"), "{}", &page.html[..200]);
        assert!(crate::sanitize::violations(&page.html).is_empty());
    }
}

#[test]
fn nul_bytes_invalid_utf8_and_huge_lines_are_diagnostics() {
    let c = one_with("guides/nul.md", b"---\ntitle: N\n---\nbinary\0data".to_vec());
    let d = c.diagnostics().iter().find(|d| d.path == "guides/nul.md").expect("diagnostic");
    assert_eq!((d.code, d.line, d.col), (Code::NulByte, 4, 7));

    let c = one_with("guides/latin1.md", b"---\ntitle: Caf\xe9\n---\n".to_vec());
    let d = c.diagnostics().iter().find(|d| d.path == "guides/latin1.md").expect("diagnostic");
    assert_eq!((d.code, d.line), (Code::InvalidUtf8, 2));

    let long = format!("---\ntitle: L\n---\n{}", "word ".repeat(300_000));
    let c = one_with("guides/long.md", long.into_bytes());
    assert_eq!(codes(&c, "guides/long.md"), [Code::TooLarge]);

    let big = format!("---\ntitle: B\n---\n{}", "a line of text\n".repeat(200_000));
    let c = one_with("guides/big.md", big.into_bytes());
    assert_eq!(codes(&c, "guides/big.md"), [Code::TooLarge]);
    assert!(c.get("ok").is_some());
}

#[test]
fn pathological_markdown_renders_within_limits() {
    let cases: Vec<String> = vec![
        "[".repeat(50_000),
        "*".repeat(50_000),
        "`".repeat(20_000),
        "<div>".repeat(20_000),
        "[a](".repeat(20_000),
        "|a".repeat(10_000) + "\n" + &"|-".repeat(10_000),
        "[^x]: ".repeat(10_000),
        "&#".repeat(50_000),
    ];
    for body in cases {
        let text = format!("---\ntitle: P\n---\n{body}\n");
        let c = one_with("guides/p.md", text.into_bytes());
        within(60, "render pathological", move || {
            let r = c.renderer(RenderOptions::default());
            if let Some(i) = c.index_of("p") {
                let html = r.render(i).html;
                assert!(crate::sanitize::violations(&html).is_empty());
            }
        });
    }
}

#[cfg(unix)]
#[test]
fn special_files_on_disk_are_handled() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("hub");
    let outside = dir.path().join("outside");
    fs::create_dir_all(root.join("guides")).expect("mkdir");
    fs::create_dir_all(&outside).expect("mkdir");
    fs::write(outside.join("secret.md"), "---\ntitle: Secret\n---\nsecret").expect("write");
    fs::write(outside.join("secret.png"), b"png").expect("write");
    fs::write(root.join("guides/ok.md"), "---\ntitle: Ok\n---\n![s](../linked/secret.png) ![t](../leak.png)")
        .expect("write");
    symlink(outside.join("secret.md"), root.join("guides/leak.md")).expect("symlink");
    symlink(outside.join("secret.png"), root.join("leak.png")).expect("symlink");
    symlink(&outside, root.join("linked")).expect("symlink dir");
    symlink(&root, root.join("guides/loop")).expect("symlink loop");
    let fifo = root.join("guides/pipe.md");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    // A file name that is not UTF-8.
    use std::os::unix::ffi::OsStrExt;
    fs::write(root.join(std::ffi::OsStr::from_bytes(b"guides/bad-\xff.md")), "x").expect("write");

    let root2 = root.clone();
    let c = within(60, "load special files", move || Catalog::load(&root2, &LoadOptions::default())).expect("load");
    assert!(c.get("ok").is_some());
    assert!(c.get("leak").is_none(), "a symlink out of the hub is not loaded");
    assert_eq!(codes(&c, "guides/leak.md"), [Code::EscapesHub]);
    assert!(c.diagnostics().iter().any(|d| d.path == "guides/pipe.md" && d.code == Code::Io));
    assert!(c.diagnostics().iter().any(|d| d.code == Code::Io && d.path.starts_with("guides/bad-")));
    let ok: Vec<Code> = codes(&c, "guides/ok.md");
    assert_eq!(ok, [Code::EscapesHub, Code::EscapesHub], "{:?}", c.diagnostics());
    let html = c.renderer(RenderOptions::default()).render_id("ok").expect("ok").html;
    assert!(!html.contains("secret"), "{html}");
    assert!(Path::new(&root).exists());
}
