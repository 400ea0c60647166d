use guildhall_core::{CertificateFormat, StepStatus};

use super::prelude::*;

/// Training paths with your local progress (done steps, where you left off, completions).
///
/// Without a subcommand: every path. `show ID`: one path's steps with their state.
/// `certificate ID`: the completion certificate of a path you have completed. Exits 1 for an
/// unknown path or one not completed (certificate).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// One path's steps, each done, current (where you go on), new (added after you started) or
    /// to do, with self-check answers and completions.
    Show {
        /// The path id.
        id: String,
    },
    /// Write the completion certificate of a path you have completed: a self-contained HTML page
    /// (print it to get a PDF) or an Open Badges 3.0 style JSON credential. Both are unsigned
    /// and self-reported, and say so.
    Certificate {
        /// The path id.
        id: String,
        #[arg(long, value_enum)]
        format: CertFormat,
        /// Write to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum CertFormat {
    Html,
    Json,
}

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let hub = open_indexed(g, false)?;
    match args.action {
        None => list(g, &hub),
        Some(Action::Show { id }) => show(g, &hub, &id),
        Some(Action::Certificate { id, format, output }) => {
            let format = match format {
                CertFormat::Html => CertificateFormat::Html,
                CertFormat::Json => CertificateFormat::Json,
            };
            let file = hub.certificate_file(&id, format)?;
            match output {
                Some(path) => {
                    write_file(&path, &file.content)?;
                    eprintln!("wrote {}", path.display());
                }
                None => write!(stdout(), "{}", file.content)?,
            }
            Ok(Outcome::Success)
        }
    }
}

fn list(g: &Global, hub: &Hub) -> anyhow::Result<Outcome> {
    let cards = hub.paths()?;
    let mut out = stdout();
    if g.json {
        write_json(&mut out, &cards)?;
        return Ok(Outcome::Success);
    }
    let width = cards.iter().map(|c| c.path.id.len()).max().unwrap_or(0);
    for c in &cards {
        let state = match (c.complete, c.completed_at, c.started) {
            (true, Some(at), _) => format!("completed {}", day(at)),
            (false, Some(at), _) => format!("in progress (completed {} before it changed)", day(at)),
            (true, None, _) => "all steps done".to_string(),
            (false, None, true) => "in progress".to_string(),
            (false, None, false) => "not started".to_string(),
        };
        let updated = if c.updated_since_start { " · updated since you started" } else { "" };
        writeln!(out, "{:width$}  {:>2}/{:<2} {}{}  {}", c.path.id, c.steps_done, c.steps_total, state, updated, c.path.title)?;
    }
    Ok(Outcome::Success)
}

fn show(g: &Global, hub: &Hub, id: &str) -> anyhow::Result<Outcome> {
    let view = hub.path_progress(id)?;
    let mut out = stdout();
    if g.json {
        write_json(&mut out, &view)?;
        return Ok(Outcome::Success);
    }
    let card = &view.card;
    writeln!(out, "{} ({}): {} of {} steps done", card.path.title, card.path.id, card.steps_done, card.steps_total)?;
    if card.updated_since_start {
        writeln!(out, "Updated since you started: steps added since then are marked new.")?;
    }
    for (i, s) in view.steps.iter().enumerate() {
        let (mark, word) = match s.status {
            StepStatus::Done => ("✓", "done"),
            StepStatus::Current => ("▸", "current"),
            StepStatus::New => ("+", "new"),
            StepStatus::Todo => (" ", "to do"),
        };
        let title = s.doc.as_ref().map_or("(missing document)", |d| d.title.as_str());
        let mut extra = String::new();
        if let Some(at) = s.done_at {
            extra.push_str(&format!(" · done {}", day(at)));
        }
        if s.is_new && s.status != StepStatus::New {
            extra.push_str(" · new");
        }
        if let Some(c) = &s.check_state {
            extra.push_str(&match c.correct_on_attempt {
                Some(1) => " · self-check right on the first try".to_string(),
                Some(n) => format!(" · self-check right on try {n}"),
                None => format!(" · self-check not answered right yet ({} tries)", c.attempts),
            });
        }
        writeln!(out, "{mark} {:>2}. {:<8} {} ({}){extra}", i + 1, word, title, s.step.target)?;
    }
    if !view.removed_done_steps.is_empty() {
        writeln!(out, "Done steps no longer in the path (kept): {}", view.removed_done_steps.join(", "))?;
    }
    if let Some(at) = card.completed_at {
        writeln!(out, "Completed on {}.", day(at))?;
    }
    Ok(Outcome::Success)
}
