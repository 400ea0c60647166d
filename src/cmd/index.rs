use super::prelude::*;

/// Build or update the search index and say what changed.
///
/// Only documents whose content changed since the last run are re-indexed; a missing,
/// damaged or outdated index is rebuilt. The index is a cache: deleting it loses nothing.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(g: &Global, _args: Args) -> anyhow::Result<Outcome> {
    let hub = open_indexed(g, true)?;
    let status = hub.index_status().context("the hub was opened without a search index")?;
    let mut out = stdout();
    if g.json {
        write_json(&mut out, status)?;
        return Ok(Outcome::Success);
    }
    let s = &status.sync;
    writeln!(
        out,
        "indexed {} documents in {}: {} added, {} updated, {} removed, {} unchanged in {} ms\nindex: {}",
        status.documents,
        g.content.display(),
        s.added,
        s.updated,
        s.removed,
        s.unchanged,
        s.took.as_millis(),
        status.dir.display()
    )?;
    Ok(Outcome::Success)
}
