//! One sync: lock, fetch, fast-forward `main`, send the outbox, sync the event log, report.

use std::path::Path;

use git2::Repository;
use serde::Serialize;

use crate::events::{EventLog, Registry};
use crate::lock::SyncGuard;
use crate::outbox::{Action, Outbox};
use crate::reader::{MainUpdate, update_main};
use crate::{Auth, REMOTE, SyncError};

/// How to sync.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    pub auth: Auth,
}

/// An error as the report carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedError {
    pub code: &'static str,
    pub message: String,
    /// The remote refused or could not be reached (the work stays queued).
    #[serde(skip)]
    pub remote: bool,
}

impl From<&SyncError> for ReportedError {
    fn from(e: &SyncError) -> Self {
        ReportedError { code: e.code(), message: e.to_string(), remote: e.is_remote() }
    }
}

/// What a sync did (the CLI's `--json` contract builds on it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub fetched: bool,
    pub fast_forwarded: bool,
    /// What happened to `main`.
    pub main: Option<MainUpdate>,
    /// The branch local work on `main` was kept on, when it diverged.
    pub rescued: Option<String>,
    /// Outbox actions sent (branches pushed, events published).
    pub pushed: usize,
    /// Actions still waiting.
    pub outbox: usize,
    /// Proposals that no longer apply to `main` (filled by the review layer).
    pub needs_update: Vec<String>,
    /// Stale lock files removed (left by a killed process).
    pub stale_locks_removed: Vec<String>,
    /// Every error met (the first is the one to show); work stays queued.
    pub errors: Vec<ReportedError>,
}

impl SyncReport {
    /// The first error, if any.
    pub fn error(&self) -> Option<&ReportedError> {
        self.errors.first()
    }

    /// 0: everything sent; 1: the remote refused something or is unreachable; 2: a local failure.
    pub fn exit_code(&self) -> i32 {
        if self.errors.iter().any(|e| !e.remote) {
            2
        } else if self.errors.is_empty() {
            0
        } else {
            1
        }
    }
}

/// Syncs the clone at `root`. Local failures that stop everything (no repository, the lock held)
/// are `Err`; everything else is in the report, and each step runs as far as it can.
pub fn sync(root: &Path, opts: &SyncOptions) -> Result<SyncReport, SyncError> {
    let repo = Repository::open(root)?;
    let guard = SyncGuard::acquire(repo.path())?;
    let mut report = SyncReport {
        stale_locks_removed: guard.removed.iter().map(|p| p.display().to_string()).collect(),
        ..SyncReport::default()
    };
    let outbox = Outbox::of(&repo);
    if let Err(e) = crate::fetch(&repo, &opts.auth) {
        report.errors.push((&e).into());
        report.outbox = outbox.len()? + crate::shared::meta_waiting(&repo);
        remember(&repo, &report)?;
        return Ok(report);
    }
    report.fetched = true;
    match update_main(&repo) {
        Ok(update) => {
            report.fast_forwarded = matches!(update, MainUpdate::FastForwarded { .. } | MainUpdate::Rescued { .. });
            if let MainUpdate::Rescued { branch, .. } = &update {
                report.rescued = Some(branch.clone());
            }
            report.main = Some(update);
        }
        Err(e) => report.errors.push((&e).into()),
    }
    if let Err(e) = crate::shared::track_proposal_branches(&repo) {
        report.errors.push((&e).into());
    }
    let mut branches_sent = true;
    for entry in outbox.pending()? {
        let Action::PushBranch { branch, commit } = &entry.action else { continue };
        match send_branch(&repo, &opts.auth, branch, commit) {
            Ok(sent) => {
                outbox.done(&entry.id)?;
                report.pushed += usize::from(sent);
            }
            Err(e) => {
                branches_sent = false;
                report.errors.push((&e).into());
            }
        }
    }
    // Proposal metadata after the branches it names, so no clone sees a proposal it cannot fetch.
    if branches_sent {
        match crate::shared::sync_meta(&repo, &opts.auth) {
            Ok(sent) => report.pushed += sent,
            Err(e) => report.errors.push((&e).into()),
        }
    }
    // The event log: registered kinds only matter to replay, not to moving commits.
    let registry = Registry::new();
    match EventLog::new(&repo, &registry).sync(&opts.auth) {
        Ok(log) => report.pushed += log.sent,
        Err(e) => report.errors.push((&e).into()),
    }
    report.outbox = outbox.len()? + crate::shared::meta_waiting(&repo);
    remember(&repo, &report)?;
    drop(guard);
    Ok(report)
}

/// Pushes `refs/heads/<branch>` unless the remote's branch already contains `commit` (sent before
/// a crash). Returns whether it sent anything.
fn send_branch(repo: &Repository, auth: &Auth, branch: &str, commit: &str) -> Result<bool, SyncError> {
    let commit = git2::Oid::from_str(commit)?;
    let remote_ref = format!("refs/remotes/{REMOTE}/{branch}");
    if let Ok(remote_tip) = repo.refname_to_id(&remote_ref)
        && (remote_tip == commit || repo.graph_descendant_of(remote_tip, commit)?)
    {
        return Ok(false);
    }
    let local = format!("refs/heads/{branch}");
    let tip = repo.refname_to_id(&local)?;
    if tip != commit && !repo.graph_descendant_of(tip, commit)? {
        return Err(SyncError::Invalid(format!(
            "the queued `{branch}` ({commit}) is no longer on the local branch: it was rewritten; nothing was sent"
        )));
    }
    crate::push(repo, auth, &[format!("{local}:{local}")])?;
    repo.reference(&remote_ref, tip, true, "guildhall: pushed")?;
    Ok(true)
}

/// Where a clone stands, without touching the network (`guildhall sync --status`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SyncStatus {
    /// The remote's address, without any password it may carry.
    pub remote: Option<String>,
    /// Commits on the local `main` the fetched remote `main` lacks, and the reverse.
    pub ahead: usize,
    pub behind: usize,
    /// Actions waiting to be sent.
    pub outbox: usize,
    /// When the last sync finished (Unix seconds), and what it reported.
    pub last_sync: Option<i64>,
    pub last_error: Option<StoredError>,
}

/// An error as remembered between runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct StoredError {
    pub code: String,
    pub message: String,
}

const STATUS_FILE: &str = "guildhall/sync-status.json";

/// The status of the clone at `root` (reads only local state).
pub fn status(root: &Path) -> Result<SyncStatus, SyncError> {
    let repo = Repository::open(root)?;
    let remote = repo.find_remote(REMOTE).ok().and_then(|r| r.url().map(crate::auth::redact));
    let (ahead, behind) = match (repo.refname_to_id(crate::MAIN), repo.refname_to_id(crate::REMOTE_MAIN)) {
        (Ok(local), Ok(remote)) => repo.graph_ahead_behind(local, remote)?,
        _ => (0, 0),
    };
    let path = repo.path().join(STATUS_FILE);
    let last: Option<SyncStatus> = std::fs::read(&path).ok().and_then(|b| serde_json::from_slice(&b).ok());
    Ok(SyncStatus {
        remote,
        ahead,
        behind,
        outbox: Outbox::of(&repo).len()? + crate::shared::meta_waiting(&repo),
        last_sync: last.as_ref().and_then(|l| l.last_sync),
        last_error: last.and_then(|l| l.last_error),
    })
}

/// Remembers when a sync finished and its first error, for [`status`].
fn remember(repo: &Repository, report: &SyncReport) -> Result<(), SyncError> {
    let stored = SyncStatus {
        last_sync: Some(crate::time::now()),
        last_error: report.error().map(|e| StoredError { code: e.code.to_owned(), message: e.message.clone() }),
        ..SyncStatus::default()
    };
    let bytes = serde_json::to_vec_pretty(&stored).map_err(|e| SyncError::Invalid(e.to_string()))?;
    crate::durable::write_atomic(&repo.path().join(STATUS_FILE), &bytes)
}
