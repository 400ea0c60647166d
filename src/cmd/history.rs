use super::prelude::*;

/// Every published version of a document: who asked, who approved, when and why.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A document id or path.
    doc: String,
    /// Print the diff from this version (a commit) to the current one instead.
    #[arg(long, value_name = "VERSION")]
    diff: Option<String>,
}

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let hub = open(g)?;
    let mut out = stdout();
    if let Some(from) = args.diff {
        write!(out, "{}", hub.diff(&args.doc, &from, None)?)?;
        return Ok(Outcome::Success);
    }
    let versions = hub.history(&args.doc)?;
    if g.json {
        write_json(&mut out, &versions)?;
        return Ok(Outcome::Success);
    }
    for v in &versions {
        writeln!(out, "{} {} {} {}", &v.commit[..v.commit.len().min(12)], v.published_at, v.change, v.title)?;
        for (k, val) in
            [("requested by", &v.requested_by), ("approved by", &v.approved_by), ("rolled back by", &v.rolled_back_by)]
        {
            if let Some(val) = val {
                let self_approved = if v.self_approved && k == "approved by" { " (self-approved)" } else { "" };
                writeln!(out, "    {k} {val}{self_approved}")?;
            }
        }
        if !v.reason.is_empty() {
            writeln!(out, "    why: {}", v.reason.replace('\n', " "))?;
        }
    }
    Ok(Outcome::Success)
}
