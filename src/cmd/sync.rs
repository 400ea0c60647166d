use guildhall_core::sync::{self, Auth, MainUpdate, SyncOptions};

use super::prelude::*;

/// Sync the hub with its remote: fetch, fast-forward `main`, send the outbox, sync the event log.
///
/// `main` only ever fast-forwards: local commits on it are kept on a `rescue/<timestamp>` branch,
/// and an edited file the update would overwrite stops it, named. `--json` prints
/// `{"fetched", "fast_forwarded", "pushed", "outbox", "needs_update", "error"}`. Exits 0 when
/// everything was sent, 1 when the remote refused something or is unreachable (the work stays
/// queued), 2 for usage or a local failure (not a clone, another sync running, an edited file).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only report where the hub stands (no network): ahead/behind, outbox, last sync.
    #[arg(long)]
    status: bool,
}

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let (content, json) = (g.content.as_path(), g.json);
    let mut out = stdout();
    if args.status {
        return match sync::status(content) {
            Ok(s) => {
                if json {
                    write_json(&mut out, &s)?;
                } else {
                    writeln!(out, "remote: {}", s.remote.as_deref().unwrap_or("(none)"))?;
                    writeln!(out, "main: {} ahead, {} behind the last fetch", s.ahead, s.behind)?;
                    writeln!(out, "{} {} waiting to sync", s.outbox, if s.outbox == 1 { "change" } else { "changes" })?;
                    match s.last_sync {
                        Some(at) => writeln!(out, "last sync: {}", guildhall_core::rfc3339(at))?,
                        None => writeln!(out, "last sync: never")?,
                    }
                    if let Some(e) = s.last_error {
                        writeln!(out, "last error: {}", e.message)?;
                    }
                }
                Ok(Outcome::Success)
            }
            Err(e) => fail(&mut out, json, e),
        };
    }
    let report = match guildhall_core::sync_hub(content, &SyncOptions { auth: Auth::from_env() }) {
        Ok(r) => r,
        Err(e) => return fail(&mut out, json, e),
    };
    if json {
        let error = report.error().map(|e| serde_json::json!({ "code": e.code, "message": e.message }));
        let value = serde_json::json!({
            "fetched": report.fetched,
            "fast_forwarded": report.fast_forwarded,
            "pushed": report.pushed,
            "outbox": report.outbox,
            "needs_update": report.needs_update,
            "error": error,
            "errors": report.errors,
            "main": report.main,
            "rescued": report.rescued,
            "stale_locks_removed": report.stale_locks_removed,
        });
        writeln!(out, "{value}")?;
    } else {
        match &report.main {
            Some(MainUpdate::FastForwarded { to, files, .. }) => {
                writeln!(out, "main updated to {} ({} files changed)", short(to), files.len())?;
            }
            Some(MainUpdate::Rescued { branch, to, .. }) => writeln!(
                out,
                "main had local commits the hub does not have: they are kept on the branch `{branch}`; main is now the \
                 hub's ({})",
                short(to)
            )?,
            Some(MainUpdate::UpToDate { .. }) => writeln!(out, "main is up to date")?,
            Some(MainUpdate::NoRemoteMain) => writeln!(out, "the hub has no main yet")?,
            None => {}
        }
        for lock in &report.stale_locks_removed {
            writeln!(out, "removed a lock file left by an interrupted sync: {lock}")?;
        }
        writeln!(out, "sent {}; {} waiting to sync", report.pushed, report.outbox)?;
        // The first error is what exit.rs prints for a local failure; the others here.
        for e in report.errors.iter().skip(usize::from(report.exit_code() == 2)) {
            eprintln!("error: {}", e.message);
        }
    }
    match report.exit_code() {
        0 => Ok(Outcome::Success),
        1 => Ok(Outcome::Problems),
        _ => Err(anyhow::anyhow!(report.error().map(|e| e.message.clone()).unwrap_or_default())),
    }
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}

/// Reports a sync that could not run: exit 1 when the remote is at fault, 2 otherwise.
fn fail(out: &mut impl std::io::Write, json: bool, e: sync::SyncError) -> anyhow::Result<Outcome> {
    if json {
        let value = serde_json::json!({
            "fetched": false, "fast_forwarded": false, "pushed": 0, "outbox": null, "needs_update": [],
            "error": { "code": e.code(), "message": e.to_string() },
        });
        writeln!(out, "{value}")?;
    }
    if e.is_remote() {
        eprintln!("error: {e}");
        return Ok(Outcome::Problems);
    }
    Err(e.into())
}
