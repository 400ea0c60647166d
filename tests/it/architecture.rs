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
    let below = ["guildhall_content", "guildhall_index", "guildhall_store", "guildhall_review", "guildhall_sync"];
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

/// Longest a source file of a crate may be, and a function anywhere in our Rust sources.
const MAX_FILE_LINES: usize = 800;
const MAX_FN_LINES: usize = 120;

/// A Rust source with comments, string and character literals blanked out (newlines kept), so
/// that braces can be counted.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let is_ident = |c: char| c.is_alphanumeric() || c == '_';
        // `r"`, `br"` start raw strings; `for"` would not.
        let ident_before =
            i > 0 && is_ident(chars[i - 1]) && !(chars[i - 1] == 'b' && (i < 2 || !is_ident(chars[i - 2])));
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 1;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                } else {
                    blank(&mut out, chars[i]);
                }
                i += 1;
            }
        } else if c == 'r' && !ident_before && matches!(next, Some('#' | '"')) && {
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            chars.get(i + 1 + hashes) == Some(&'"')
        } {
            // r"...", r#"..."#: ends at a quote followed by as many hashes.
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            i += hashes + 2;
            while i < chars.len() {
                if chars[i] == '"' && chars[i + 1..].iter().take(hashes).filter(|&&h| h == '#').count() == hashes {
                    i += hashes + 1;
                    break;
                }
                blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if let Some(&c) = chars.get(i) {
                    blank(&mut out, c);
                }
                i += 1;
            }
            i += 1;
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            // A character literal ('{', '\''); a lifetime ('a) has no closing quote.
            i += if next == Some('\\') { 3 } else { 1 };
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Every function with a body in a Rust source: (name, first line, number of lines).
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let code = code_only(text);
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(at) = words.iter().position(|w| *w == "fn") else { continue };
        let before_ok = words[..at].iter().all(|w| {
            w.starts_with("pub") || ["const", "async", "unsafe", "extern", "default"].contains(w) || w.starts_with('"')
        });
        let Some(name) = words.get(at + 1).map(|w| w.split(['(', '<']).next().unwrap_or(w)) else { continue };
        if !before_ok || name.is_empty() {
            continue;
        }
        let mut depth = 0usize;
        let mut nest = 0usize; // parentheses and brackets of the signature (`[u8; 4]`)
        let mut opened = false;
        'scan: for (n, l) in lines.iter().enumerate().skip(start) {
            for c in l.chars() {
                match c {
                    '(' | '[' => nest += 1,
                    ')' | ']' => nest = nest.saturating_sub(1),
                    ';' if !opened && nest == 0 => break 'scan, // a declaration without a body
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => {
                        depth = depth.saturating_sub(1);
                        if opened && depth == 0 {
                            out.push((name.to_string(), start + 1, n - start + 1));
                            break 'scan;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// The brief's size limits: no source file of a crate over 800 lines, no function in our Rust
/// sources (crates, the CLI, the desktop shell, xtask) over 120. Split along a seam instead.
#[test]
fn files_and_functions_stay_small() {
    let mut problems = Vec::new();
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(root().join("crates")).expect("crates").flatten() {
        let src = entry.path().join("src");
        if src.is_dir() {
            for (path, text) in sources(&src) {
                let n = text.lines().count();
                if n > MAX_FILE_LINES {
                    problems.push(format!("{}: {n} lines (at most {MAX_FILE_LINES})", path.display()));
                }
            }
            dirs.push(src);
        }
    }
    dirs.extend(["src", "src-tauri/src", "xtask/src"].map(|d| root().join(d)));
    let mut counted = 0;
    for dir in dirs {
        for (path, text) in sources(&dir) {
            for (name, line, n) in functions(&text) {
                counted += 1;
                if n > MAX_FN_LINES {
                    problems
                        .push(format!("{}:{line}: fn {name} is {n} lines (at most {MAX_FN_LINES})", path.display()));
                }
            }
        }
    }
    assert!(counted > 500, "only {counted} functions found: is the scanner broken?");
    assert!(problems.is_empty(), "too large:\n{}", problems.join("\n"));
}

#[test]
fn the_size_checks_can_fail() {
    let text = r##"
fn small() { let s = "}}}"; let c = '}'; let q = '\''; }
pub(crate) fn generic<'a>(x: &'a str) -> &'a str {
    // a comment with } in it
    let raw = r#"{ "quoted" }"#;
    /* { nested /* } */ } */
    if x.is_empty() {
        return raw;
    }
    x
}
fn declared();
fn array() -> [u8; 2] {
    [0; 2]
}
"##;
    let found = functions(text);
    assert_eq!(found, [("small".to_string(), 2, 1), ("generic".to_string(), 3, 9), ("array".to_string(), 13, 3)]);
    let long = format!("fn long() {{\n{}}}\n", "    step();\n".repeat(MAX_FN_LINES));
    assert!(functions(&long)[0].2 > MAX_FN_LINES);
}

/// Each package links at most one integration-test binary (a `tests/*.rs` file or a
/// `tests/<name>/main.rs` folder): new areas are modules of it, not new executables.
#[test]
fn each_package_has_at_most_one_integration_test_binary() {
    let mut packages = vec![root(), root().join("src-tauri"), root().join("xtask")];
    for entry in std::fs::read_dir(root().join("crates")).expect("crates").flatten() {
        packages.push(entry.path());
    }
    let mut checked = 0;
    for package in packages.iter().filter(|p| p.join("Cargo.toml").is_file()) {
        let Ok(entries) = std::fs::read_dir(package.join("tests")) else { continue };
        let binaries: Vec<String> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs") || p.join("main.rs").is_file())
            .map(|p| p.display().to_string())
            .collect();
        assert!(binaries.len() <= 1, "{} has {} test binaries: {binaries:?}", package.display(), binaries.len());
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} packages with tests found");
}
