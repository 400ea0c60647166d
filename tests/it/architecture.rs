//! The absences ARCHITECTURE.md states, checked: which crates may name which libraries, that
//! shells reach the crates below only through the core's façade, and that the one deliberate
//! exception (the desktop app serving the HTTP shell's router) is explained where it is made.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The names of a manifest's normal dependencies (`[dependencies]` and
/// `[target.'...'.dependencies]`, not dev- or build-dependencies), with `-` as `_`.
fn dependencies(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    let mut out = Vec::new();
    let mut in_deps = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_deps = line == "[dependencies]" || (line.starts_with("[target.") && line.ends_with(".dependencies]"));
            continue;
        }
        if in_deps && let Some((name, _)) = line.split_once('=') {
            let name = name.trim();
            if !name.is_empty() && !name.starts_with('#') {
                out.push(name.split('.').next().unwrap_or(name).replace('-', "_"));
            }
        }
    }
    out
}

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())).flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                out.push((path, text));
            }
        }
    }
    out
}

/// Where a source names `krate` as a path (`krate::` or `use krate`), outside comments.
fn mentions(text: &str, krate: &str) -> Option<usize> {
    text.lines().position(|line| {
        let code = line.split("//").next().unwrap_or("");
        code.match_indices(krate).any(|(i, _)| {
            let before = code[..i].chars().next_back();
            let after = &code[i + krate.len()..];
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && (after.starts_with("::") || after.starts_with(';'))
        }) || code.trim_start().starts_with(&format!("use {krate}"))
            || code.trim_start().starts_with(&format!("pub use {krate}"))
    })
}

/// Checks that neither the manifest nor the sources of `dir` name any of `forbidden`.
fn refuses(dir: &str, forbidden: &[&str]) {
    let dir = root().join(dir);
    let deps = dependencies(&dir.join("Cargo.toml"));
    for f in forbidden {
        assert!(!deps.iter().any(|d| d == f), "{} depends on {f}", dir.display());
        for (path, text) in sources(&dir.join("src")) {
            if let Some(line) = mentions(&text, f) {
                panic!("{}:{} names {f}", path.display(), line + 1);
            }
        }
    }
}

const OURS: [&str; 6] =
    ["guildhall_content", "guildhall_index", "guildhall_store", "guildhall_review", "guildhall_core", "guildhall_http"];

#[test]
fn the_content_crate_knows_no_engine_and_none_of_ours() {
    let mut forbidden = vec!["tantivy", "rusqlite", "tokio", "axum", "hyper", "tauri", "git2", "notify"];
    forbidden.extend(OURS.iter().filter(|c| **c != "guildhall_content"));
    refuses("crates/guildhall-content", &forbidden);
}

#[test]
fn the_store_knows_no_markdown_index_http_ui_or_crate_of_ours() {
    let mut forbidden = vec!["pulldown_cmark", "ammonia", "tantivy", "axum", "tauri", "git2", "tokio"];
    forbidden.extend(OURS.iter().filter(|c| **c != "guildhall_store"));
    refuses("crates/guildhall-store", &forbidden);
}

#[test]
fn the_index_and_review_crates_know_nothing_of_sqlite_http_or_the_ui() {
    refuses(
        "crates/guildhall-index",
        &["rusqlite", "axum", "tauri", "git2", "guildhall_store", "guildhall_review", "guildhall_core"],
    );
    refuses(
        "crates/guildhall-review",
        &[
            "tantivy",
            "rusqlite",
            "axum",
            "tauri",
            "guildhall_store",
            "guildhall_index",
            "guildhall_core",
            "guildhall_sync",
        ],
    );
}

#[test]
fn the_core_has_no_user_interface() {
    refuses("crates/guildhall-core", &["clap", "axum", "tauri", "guildhall_http"]);
    for (path, text) in sources(&root().join("crates/guildhall-core/src")) {
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            assert!(!code.contains("println!") && !code.contains("print!("), "{}:{} prints", path.display(), n + 1);
        }
    }
}

/// Shells call the core's façade: no shell depends on, or names, a crate below it, and the core
/// re-exports types by name, never a whole crate.
#[test]
fn shells_never_reach_past_the_facade() {
    let below = ["guildhall_content", "guildhall_index", "guildhall_store", "guildhall_review"];
    for shell in ["", "crates/guildhall-http", "src-tauri"] {
        let dir = root().join(shell);
        let deps = dependencies(&dir.join("Cargo.toml"));
        for b in below {
            assert!(!deps.iter().any(|d| d == b), "{} depends on {b}", dir.join("Cargo.toml").display());
            for (path, text) in sources(&dir.join("src")) {
                if let Some(line) = mentions(&text, b) {
                    panic!("{}:{} reaches past the core into {b}", path.display(), line + 1);
                }
            }
        }
    }
    let core = std::fs::read_to_string(root().join("crates/guildhall-core/src/lib.rs")).expect("core");
    for line in core.lines().map(str::trim) {
        let whole =
            below.iter().any(|b| line.starts_with(&format!("pub use {b} as")) || line == format!("pub use {b};"));
        assert!(!whole, "the core re-exports a whole crate: {line}");
    }
}

/// The desktop app serves the HTTP shell's router to its webview (one definition per endpoint):
/// that dependency is the design, and ARCHITECTURE.md must say so. The HTTP shell knows nothing of
/// Tauri.
#[test]
fn the_desktop_depends_on_the_http_shell_only_as_documented() {
    let desktop = dependencies(&root().join("src-tauri/Cargo.toml"));
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    if desktop.iter().any(|d| d == "guildhall_http") {
        assert!(
            doc.contains("`src-tauri` depends on `guildhall-http`"),
            "src-tauri depends on guildhall-http, but ARCHITECTURE.md does not explain why"
        );
    }
    refuses("crates/guildhall-http", &["tauri", "wry", "clap"]);
}

#[test]
fn the_checks_here_can_fail() {
    let text = "use tantivy::Index;\n// tantivy:: in a comment\n";
    assert_eq!(mentions(text, "tantivy"), Some(0));
    assert_eq!(mentions("// tantivy::x\nlet a_tantivy::b;", "tantivy"), None);
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = dir.path().join("Cargo.toml");
    std::fs::write(
        &manifest,
        "[dependencies]\ngit2.workspace = true\nfoo-bar = \"1\"\n[dev-dependencies]\nbaz = \"1\"\n",
    )
    .expect("write");
    assert_eq!(dependencies(&manifest), ["git2", "foo_bar"]);
}
