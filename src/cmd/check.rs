use guildhall_core::{Diagnostic, Severity};

use super::prelude::*;

/// Load a hub and report every problem as `path:line:col: error[code]: message`.
///
/// Exits 0 when there are no errors (warnings allowed), 1 with errors, 2 when the hub
/// cannot be read at all.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format (`--json` is the same as `--format json`).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Report errors only, not warnings.
    #[arg(long)]
    errors_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let hub = open(g)?;
    let all = hub.diagnostics();
    let shown: Vec<&Diagnostic> =
        all.iter().filter(|d| !args.errors_only || d.severity == Severity::Error).collect();
    let errors = all.iter().filter(|d| d.is_error()).count();
    let warnings = all.len() - errors;
    let documents = hub.catalog().documents().len();
    let mut out = stdout();
    if g.json || args.format == Format::Json {
        let report = serde_json::json!({
            "hub": hub.catalog().name(),
            "documents": documents,
            "errors": errors,
            "warnings": warnings,
            "diagnostics": shown,
        });
        write_json(&mut out, &report)?;
    } else {
        for d in &shown {
            writeln!(out, "{d}")?;
        }
        writeln!(
            out,
            "{}checked {documents} documents in {}: {errors} error{}, {warnings} warning{}",
            if shown.is_empty() { "" } else { "\n" },
            g.content.display(),
            plural(errors),
            plural(warnings),
        )?;
    }
    Ok(if errors > 0 { Outcome::Problems } else { Outcome::Success })
}
