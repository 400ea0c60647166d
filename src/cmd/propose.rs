use super::prelude::*;

/// Propose new or edited documents of the hub folder for review (as the repository's git user).
///
/// Prints the proposal id (`--json`: the proposal, with `"id"`). Exits 1 when refused (not a
/// member, content errors, not yours to revise), 2 on usage or I/O errors.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The files: new, edited or deleted documents in the hub folder.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// A one-line title.
    #[arg(long)]
    title: String,
    /// Why the change is needed.
    #[arg(long, default_value = "")]
    reason: String,
    /// Resubmit your own proposal ID with these files (after changes were requested).
    #[arg(long, value_name = "ID")]
    revise: Option<String>,
}

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let hub = open(g)?;
    let cwd = std::env::current_dir().context("no current folder")?;
    let files: Vec<PathBuf> = args.files.iter().map(|f| cwd.join(f)).collect();
    let p = hub.propose(&files, &args.title, &args.reason, args.revise.as_deref())?;
    let mut out = stdout();
    if g.json {
        write_json(&mut out, &p)?;
    } else {
        writeln!(out, "{}", p.id)?;
        eprintln!("proposal {} ({}): {} on branch {}", p.id, p.files.join(", "), p.title, p.branch());
    }
    Ok(Outcome::Success)
}
