use super::prelude::*;

/// Measure search quality against a judgments file and exit 1 when a query misses.
///
/// Each line: query, expected document id, max rank (tab-separated). Prints the rank found
/// per query, the mean reciprocal rank and recall at 1, 3, 5 and 10.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The judgments file (TSV).
    judgments: PathBuf,
}

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let judgments = guildhall_core::parse_judgments(&read_file(&args.judgments)?)?;
    let report = open_indexed(g, false)?.evaluate(&judgments)?;
    let mut out = stdout();
    if g.json {
        write_json(&mut out, &report)?;
    } else {
        for row in &report.rows {
            let rank = row.rank.map_or_else(|| "-".to_string(), |r| r.to_string());
            writeln!(
                out,
                "{} rank {:>2} (max {:>2})  {:<40} -> {}",
                if row.pass { "ok  " } else { "MISS" },
                rank,
                row.judgment.max_rank,
                row.judgment.query,
                row.judgment.expected
            )?;
        }
        let recall: Vec<String> = report.recall_at.iter().map(|(k, v)| format!("R@{k} {v:.3}")).collect();
        writeln!(
            out,
            "\n{} queries, {} missed their rank; MRR {:.3}; {}",
            report.rows.len(),
            report.failed,
            report.mrr,
            recall.join(", ")
        )?;
    }
    Ok(if report.failed > 0 { Outcome::Problems } else { Outcome::Success })
}
