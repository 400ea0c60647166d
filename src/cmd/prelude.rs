//! What every command module uses: `use super::prelude::*;`.

pub use std::io::Write as _;
pub use std::path::{Path, PathBuf};

pub use anyhow::{Context as _, bail};
pub use guildhall_core::{Error, Hub, HubOptions};

pub use super::Global;
pub use crate::exit::Outcome;

use std::io::IsTerminal as _;

/// Standard output, locked. Write with `writeln!(out, ...)?`, never `println!`: a closed pipe is
/// then an error that ends the program quietly (see `exit::finish`) rather than a panic.
pub fn stdout() -> std::io::StdoutLock<'static> {
    std::io::stdout().lock()
}

/// Writes `value` as pretty JSON and a newline.
pub fn write_json(out: &mut impl std::io::Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    // Serialised first, so that a failed write is a plain `io::Error` (see `exit::finish`).
    let text = serde_json::to_string_pretty(value)?;
    writeln!(out, "{text}")?;
    Ok(())
}

/// Opens the hub without a search index or personal store (`--data` is not used).
pub fn open(g: &Global) -> anyhow::Result<Hub> {
    Ok(Hub::open(&g.content, &HubOptions::default())?)
}

/// Opens the hub with its data folder: the search index (updated when the content changed) and
/// the personal store. With `progress`, a progress bar on a terminal.
pub fn open_indexed(g: &Global, progress: bool) -> anyhow::Result<Hub> {
    open_indexed_with(g, &HubOptions::default(), progress)
}

pub fn open_indexed_with(g: &Global, options: &HubOptions, progress: bool) -> anyhow::Result<Hub> {
    let data = guildhall_core::data_dir(g.data.as_deref());
    let bar = (progress && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} ({eta})") {
            bar.set_style(style);
        }
        bar.set_message("indexing");
        bar
    });
    let hub = Hub::open_indexed(&g.content, &data, options, &mut |done, total| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(status) = hub.index_status() {
        if let Some(why) = &status.rebuilt {
            eprintln!("building the search index from the content: {why}");
        }
        if status.sync.skipped_busy > 0 {
            eprintln!(
                "warning: {} changed documents are not indexed yet: another Guildhall process is updating the index",
                status.sync.skipped_busy
            );
        }
    }
    Ok(hub)
}

/// Reads a whole text file, naming it when it cannot.
pub fn read_file(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))
}

/// Writes a file, naming it when it cannot.
pub fn write_file(path: &Path, bytes: impl AsRef<[u8]>) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `2026-11-23T10:00:00.000Z` -> `2026-11-23`.
pub fn day(t: guildhall_core::Timestamp) -> String {
    t.to_string().chars().take(10).collect()
}
