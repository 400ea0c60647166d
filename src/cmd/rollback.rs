use guildhall_core::Rollback;

use super::prelude::*;

/// Restore a document to an earlier version: a new proposal, or at once for admins (--direct).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A document id or path.
    doc: String,
    /// The version (a commit from `guildhall history`).
    #[arg(value_name = "VERSION")]
    target: String,
    #[arg(long, default_value = "")]
    reason: String,
    /// Publish at once (admins only), with a Rolled-back-by trailer.
    #[arg(long)]
    direct: bool,
}

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let r = open(g)?.rollback(&args.doc, &args.target, &args.reason, args.direct)?;
    let mut out = stdout();
    match r {
        r if g.json => write_json(&mut out, &r)?,
        Rollback::Proposed(p) => writeln!(out, "{}", p.id)?,
        Rollback::Published(p) => writeln!(out, "rolled back directly: {}", p.commit)?,
    }
    Ok(Outcome::Success)
}
