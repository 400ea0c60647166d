//! Team sync as the shells show it: where the hub stands ([`Hub::sync_status`]), a sync now
//! ([`Hub::sync_now`], the Sync button, `Ctrl+Shift+S`), and sync in the background
//! ([`Hub::sync_in_background`], on start and every few minutes).
//!
//! The transport is `guildhall_sync`; this module only adds what a running app needs around it:
//! the catalog and the index follow a `main` that moved, one sync runs at a time per hub, and
//! background sync stops after the remote refused the credentials (repeated attempts lock accounts
//! on many forges) until a sync the person starts succeeds.

use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Weak};
use std::time::Duration;

use guildhall_sync::{Auth, MainUpdate, SyncError, SyncOptions};
use serde::Serialize;

use crate::{Error, Hub};

/// Error codes after which background sync waits for the person (a credential to enter).
const NEEDS_THE_PERSON: [&str; 2] = ["auth-refused", "no-credentials"];

/// Where a hub stands with its remote (reads local state only, never the network).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncView {
    /// Whether the hub is a clone of a shared hub (a git repository with a remote). A plain folder
    /// or a hub of one's own is not, and the other fields are empty.
    pub shared: bool,
    /// The remote's address, without any password it may carry.
    pub remote: Option<String>,
    /// Commits on the local `main` that the remote's (as last fetched) lacks, and the reverse.
    pub ahead: usize,
    pub behind: usize,
    /// Changes waiting to be sent.
    pub outbox: usize,
    /// When the last sync finished (Unix seconds).
    pub last_sync: Option<i64>,
    /// What went wrong in the last sync, if anything.
    pub last_error: Option<SyncProblem>,
    /// Background sync waits until a sync started by the person succeeds (the remote refused the
    /// credentials, or asked for some and none is set).
    pub paused: bool,
    /// A sync of this hub is running now.
    pub running: bool,
}

/// A sync error as the shells show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncProblem {
    /// A stable code: `unreachable`, `auth-refused`, `no-credentials`, `refused`, `contended`,
    /// `dirty-files`, `busy`, `log-rewritten`, `git`, `io`, `invalid`.
    pub code: String,
    /// What happened and what to do, for people.
    pub message: String,
}

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncOutcome {
    /// The remote was reached and read.
    pub fetched: bool,
    /// `main` moved to the remote's (the pages changed and are searchable now).
    pub fast_forwarded: bool,
    /// Published files that changed.
    pub files_changed: usize,
    /// Local commits on `main` the hub did not have were kept on this branch.
    pub rescued: Option<String>,
    /// Changes sent.
    pub pushed: usize,
    /// Proposals that no longer apply to `main`.
    pub needs_update: Vec<String>,
    /// The first thing that went wrong (the work stays queued).
    pub error: Option<SyncProblem>,
    /// Where the hub stands now.
    pub status: SyncView,
}

impl From<&SyncError> for SyncProblem {
    fn from(e: &SyncError) -> SyncProblem {
        SyncProblem { code: e.code().to_owned(), message: e.to_string() }
    }
}

impl Hub {
    /// Where the hub stands with its remote.
    pub fn sync_status(&self) -> Result<SyncView, Error> {
        // Not a repository of its own (a plain folder, or one inside another repository), or no
        // remote: not shared.
        let Some(s) = guildhall_sync::status(&self.root).ok().filter(|s| s.remote.is_some()) else {
            return Ok(SyncView::default());
        };
        let paused = s.last_error.as_ref().is_some_and(|e| NEEDS_THE_PERSON.contains(&e.code.as_str()));
        Ok(SyncView {
            shared: true,
            remote: s.remote,
            ahead: s.ahead,
            behind: s.behind,
            outbox: s.outbox,
            last_sync: s.last_sync,
            last_error: s.last_error.map(|e| SyncProblem { code: e.code, message: e.message }),
            paused,
            running: self.syncing.load(Ordering::SeqCst),
        })
    }

    /// Syncs now: fetch, fast-forward `main`, send what waits, then reload the catalog and the
    /// index when `main` moved, so that what was pulled is searchable when this returns. A hub
    /// that is not shared is refused with [`Error::NotShared`].
    pub fn sync_now(&self, auth: &Auth) -> Result<SyncOutcome, Error> {
        if !self.sync_status()?.shared {
            return Err(Error::NotShared(self.root.clone()));
        }
        if self.syncing.swap(true, Ordering::SeqCst) {
            return Err(Error::Sync(SyncError::Busy {
                repo: self.root.clone(),
                lock: self.root.join(".git/guildhall/sync.lock"),
            }));
        }
        let result = crate::shared::sync_hub(&self.root, &SyncOptions { auth: auth.clone() });
        let result = result.map_err(Error::Sync).and_then(|report| {
            let files_changed = match &report.main {
                Some(MainUpdate::FastForwarded { files, .. } | MainUpdate::Rescued { files, .. }) => files.len(),
                _ => 0,
            };
            if report.fast_forwarded {
                self.reload()?;
            }
            Ok((report, files_changed))
        });
        self.syncing.store(false, Ordering::SeqCst);
        let (report, files_changed) = result?;
        Ok(SyncOutcome {
            fetched: report.fetched,
            fast_forwarded: report.fast_forwarded,
            files_changed,
            rescued: report.rescued.clone(),
            pushed: report.pushed,
            needs_update: report.needs_update.clone(),
            error: report.error().map(|e| SyncProblem { code: e.code.to_owned(), message: e.message.clone() }),
            status: self.sync_status()?,
        })
    }

    /// Syncs on start and then every `every`, while the returned handle lives, when the hub is
    /// shared. A sync that the remote refused for its credentials pauses this until a sync the
    /// person starts succeeds; a sync already running is skipped, never queued.
    pub fn sync_in_background(self: &Arc<Hub>, every: Duration) -> BackgroundSync {
        let (stop, stopped) = mpsc::channel::<()>();
        let hub: Weak<Hub> = Arc::downgrade(self);
        let thread = std::thread::Builder::new()
            .name("guildhall-sync".into())
            .spawn(move || {
                loop {
                    let Some(hub) = hub.upgrade() else { return };
                    if let Ok(status) = hub.sync_status()
                        && status.shared
                        && !status.paused
                        && !status.running
                    {
                        // Errors are remembered in the status, which the app shows.
                        let _ = hub.sync_now(&Auth::from_env());
                    }
                    drop(hub);
                    match stopped.recv_timeout(every) {
                        Err(RecvTimeoutError::Timeout) => continue,
                        _ => return,
                    }
                }
            })
            .ok();
        BackgroundSync { stop: Some(stop), thread }
    }
}

/// Background sync; dropping it stops it (waiting for a sync in progress to finish).
#[derive(Debug)]
pub struct BackgroundSync {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for BackgroundSync {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
