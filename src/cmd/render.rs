use super::prelude::*;

/// Print the sanitized HTML of one document: exactly what the app shows.
///
/// With `--json`, the table of contents and reading time come along with the HTML. Exits 1 for
/// an unknown id, with suggestions.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The document id (the file name without `.md` for the kind folders).
    id: String,
}

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let page = open(g)?.render(&args.id)?;
    let mut out = stdout();
    if g.json {
        write_json(&mut out, &page)?;
    } else {
        writeln!(out, "{}", page.html)?;
    }
    Ok(Outcome::Success)
}
