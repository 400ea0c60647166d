//! `guildhall sync [--json] [--status]`: fetch, fast-forward `main`, send the outbox, report.
//!
//! Exit codes: 0 everything was sent; 1 the remote refused something or is unreachable (the work
//! stays queued); 2 usage or a local failure (not a clone, the lock held, an edited file in the
//! way).

use std::path::Path;
use std::process::ExitCode;

use guildhall_core::sync::{self, Auth, MainUpdate, SyncOptions};

pub fn run(content: &Path, json: bool, status: bool) -> anyhow::Result<ExitCode> {
    if status {
        return match sync::status(content) {
            Ok(s) => {
                if json {
                    println!("{}", serde_json::to_string(&s)?);
                } else {
                    println!("remote: {}", s.remote.as_deref().unwrap_or("(none)"));
                    println!("main: {} ahead, {} behind the last fetch", s.ahead, s.behind);
                    println!("{} {} waiting to sync", s.outbox, if s.outbox == 1 { "change" } else { "changes" });
                    match s.last_sync {
                        Some(at) => println!("last sync: {}", guildhall_core::review::rfc3339(at)),
                        None => println!("last sync: never"),
                    }
                    if let Some(e) = s.last_error {
                        println!("last error: {}", e.message);
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => fail(json, &e, 2),
        };
    }
    let report = match sync::sync(content, &SyncOptions { auth: Auth::from_env() }) {
        Ok(r) => r,
        Err(e) => return fail(json, &e, if e.is_remote() { 1 } else { 2 }),
    };
    if json {
        let error = report.error().map(|e| serde_json::json!({ "code": e.code, "message": e.message }));
        let out = serde_json::json!({
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
        println!("{out}");
    } else {
        match &report.main {
            Some(MainUpdate::FastForwarded { to, files, .. }) => {
                println!("main updated to {} ({} files changed)", short(to), files.len());
            }
            Some(MainUpdate::Rescued { branch, to, .. }) => println!(
                "main had local commits the hub does not have: they are kept on the branch `{branch}`; main is now the \
                 hub's ({})",
                short(to)
            ),
            Some(MainUpdate::UpToDate { .. }) => println!("main is up to date"),
            Some(MainUpdate::NoRemoteMain) => println!("the hub has no main yet"),
            None => {}
        }
        for lock in &report.stale_locks_removed {
            println!("removed a lock file left by an interrupted sync: {lock}");
        }
        println!("sent {}; {} waiting to sync", report.pushed, report.outbox);
        for e in &report.errors {
            eprintln!("error: {}", e.message);
        }
    }
    Ok(ExitCode::from(u8::try_from(report.exit_code()).unwrap_or(2)))
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}

fn fail(json: bool, e: &sync::SyncError, code: u8) -> anyhow::Result<ExitCode> {
    if json {
        let out = serde_json::json!({
            "fetched": false, "fast_forwarded": false, "pushed": 0, "outbox": null, "needs_update": [],
            "error": { "code": e.code(), "message": e.to_string() },
        });
        println!("{out}");
    } else {
        eprintln!("error: {e}");
    }
    Ok(ExitCode::from(code))
}
