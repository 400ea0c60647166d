use super::prelude::*;

/// The review queue, one proposal, or a decision on it.
///
/// Without ID: list open proposals. With ID: show it, or approve (publish to main), request
/// changes or reject. Exits 1 when refused (role, self-approval, state, conflict).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The proposal id.
    id: Option<String>,
    /// Approve and publish.
    #[arg(long, requires = "id", conflicts_with_all = ["request_changes", "reject"])]
    approve: bool,
    /// Send it back to the author with this comment.
    #[arg(long, value_name = "MSG", requires = "id", conflicts_with = "reject")]
    request_changes: Option<String>,
    /// Reject it with this comment.
    #[arg(long, value_name = "MSG", requires = "id")]
    reject: Option<String>,
    /// Confirm (admins) publishing a change that deletes more than a tenth of the hub's documents.
    #[arg(long, requires = "approve")]
    confirm_deletions: bool,
    /// A comment to go with an approval.
    #[arg(long, value_name = "MSG", default_value = "")]
    comment: String,
}

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let hub = match &g.data {
        Some(d) => Hub::open_with_data(&g.content, d, &HubOptions::default())?,
        None => open(g)?,
    };
    let mut out = stdout();
    let Some(id) = args.id else {
        let queue = hub.review_queue()?;
        if g.json {
            write_json(&mut out, &queue)?;
        } else {
            for p in &queue {
                writeln!(out, "{}\t{}\t{}\t{}\t{}", p.id, p.status, p.author.name, p.files.join(","), p.title)?;
            }
        }
        return Ok(Outcome::Success);
    };
    if args.approve {
        let done = hub.approve_with(&id, &args.comment, args.confirm_deletions)?;
        if g.json {
            write_json(&mut out, &done)?;
        } else {
            writeln!(out, "published proposal {id} as {} ({})", done.commit, done.files.join(", "))?;
        }
        return Ok(Outcome::Success);
    }
    let p = match (args.request_changes, args.reject) {
        (Some(msg), _) => hub.request_changes(&id, &msg)?,
        (None, Some(msg)) => hub.reject(&id, &msg)?,
        (None, None) => hub.proposal(&id)?,
    };
    if g.json {
        write_json(&mut out, &p)?;
        return Ok(Outcome::Success);
    }
    writeln!(out, "proposal {} [{}] by {}: {}", p.id, p.status, p.author, p.title)?;
    write!(out, "files: {}", p.files.join(", "))?;
    for c in &p.comments {
        let at = guildhall_core::rfc3339(c.at);
        write!(out, "\n  {at} {} {}: {}", c.by.name, c.action, c.text)?;
    }
    writeln!(out)?;
    Ok(Outcome::Success)
}
