use super::prelude::*;

/// Write all personal data (profile, progress, bookmarks, notes, history) as one JSON file.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let json = open_indexed(g, false)?.export_personal()?.to_json();
    match args.output {
        Some(path) => write_file(&path, json + "\n")?,
        None => writeln!(stdout(), "{json}")?,
    }
    Ok(Outcome::Success)
}
