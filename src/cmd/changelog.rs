use guildhall_core::{ChangeKind, ChangelogFilter};

use super::prelude::*;

/// Every published change, newest first, with time from proposal to approval.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only changes of this kind (term, pattern, case-study, path, guide, policy, config, asset).
    #[arg(long, value_parser = parse_change_kind)]
    kind: Option<ChangeKind>,
    /// Only changes requested or approved by this person (name or e-mail, part of it).
    #[arg(long)]
    person: Option<String>,
}

fn parse_change_kind(s: &str) -> Result<ChangeKind, String> {
    ChangeKind::parse(s).ok_or_else(|| format!("one of {}", ChangeKind::ALL.map(ChangeKind::as_str).join(", ")))
}

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let entries = open(g)?.changelog(&ChangelogFilter { kind: args.kind, person: args.person })?;
    let mut out = stdout();
    if g.json {
        write_json(&mut out, &entries)?;
        return Ok(Outcome::Success);
    }
    for e in &entries {
        let kinds: Vec<&str> = e.kinds.iter().map(|k| k.as_str()).collect();
        let lead =
            e.lead_time_secs.map(|s| format!(" after {}h{:02}m", s / 3600, s % 3600 / 60)).unwrap_or_default();
        let v = &e.version;
        let who = v.approved_by.as_ref().or(v.rolled_back_by.as_ref()).cloned().unwrap_or_default();
        writeln!(
            out,
            "{} [{}] {} (by {}, approved by {}{lead})",
            v.published_at,
            kinds.join(","),
            v.title,
            v.requested_by.clone().unwrap_or_default(),
            who
        )?;
    }
    Ok(Outcome::Success)
}
