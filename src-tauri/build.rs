//! The web UI is embedded at compile time from `../ui/dist`. CI runs clippy and the tests before
//! the UI is built, so a missing `dist/` gets a placeholder page saying how to build it (a built
//! UI is never overwritten).
//!
//! Each app command gets an `allow-<name>` permission; `permissions/app.toml` groups them and
//! `capabilities/default.json` grants that group (and nothing else of ours) to the main window.

use std::path::Path;

include!("src/command_names.rs");

const PLACEHOLDER: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Guildhall</title></head>\n\
<body><h1>Guildhall</h1><p>The web UI has not been built: run <code>npm ci &amp;&amp; npm run build</code> in \
<code>ui/</code>, then rebuild the desktop app.</p></body></html>\n";

fn main() {
    let dist = Path::new("../ui/dist");
    let index = dist.join("index.html");
    if !index.exists()
        && let Err(e) = std::fs::create_dir_all(dist).and_then(|()| std::fs::write(&index, PLACEHOLDER))
    {
        println!("cargo::warning=cannot write the placeholder {}: {e}", index.display());
    }
    println!("cargo::rerun-if-changed=../ui/dist/index.html");
    println!("cargo::rerun-if-changed=src/command_names.rs");
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).unwrap_or_else(|e| {
        println!("cargo::error={e:#}");
        std::process::exit(1);
    });
}
