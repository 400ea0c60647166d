//! Guildhall's team sync over git: the transport everything shared rides on.
//!
//! A shared hub is a git repository on the organisation's forge; every desktop holds a full clone.
//! This crate moves commits between the two, and nothing else decides what they contain:
//!
//! - [`clone`] a hub with progress (objects and bytes received, then checkout) reported through a
//!   callback;
//! - [`fetch`] everything the remote has under `refs/heads/*` into `refs/remotes/origin/*`;
//! - [`update_main`] moves the local `main` to the remote's: a fast-forward only. A local `main`
//!   the remote does not contain (someone committed to it by hand) is kept on
//!   `rescue/<timestamp>` before `main` moves, and reported. A work-tree file the person edited and
//!   neither published nor proposed is never overwritten: the update stops and names the files;
//! - [`push`] with explicit refspecs; a refusal by the server (a pre-receive hook, a protected
//!   branch) comes back as [`SyncError::Refused`] with the server's own message and a hint;
//! - [`Auth`]: credentials without a prompt (`GUILDHALL_TOKEN`, the OS keyring, git's credential
//!   helpers); a refused credential is an error after one attempt, never a loop;
//! - [`Outbox`]: actions that survive restarts and `kill -9`, replayed idempotently;
//! - [`events`]: the shared event log (`guildhall/events`) later features append to;
//! - [`shared`]: proposals on a shared hub (their branches and metadata log travel; an approval
//!   lands on the remote's `main` by [`publish_main`]);
//! - [`sync`]: all of it in one call, under a per-repository lock that also clears the `*.lock`
//!   files a killed process left behind ([`lock`]).
//!
//! What it never does: merge into a reader's `main`, force-push, rewrite published history,
//! delete a clone, a rescue branch or an outbox entry that was not acknowledged by the remote.

use std::path::PathBuf;

mod auth;
mod durable;
pub mod events;
pub mod lock;
mod net;
mod outbox;
mod reader;
mod run;
pub mod shared;
mod time;

pub use auth::{Auth, CredentialSource, TOKEN_ENV, USER_ENV, forget_token, keyring_account, store_token};
pub use net::{FetchReport, Progress, PushReport, clone, fetch, push};
pub use outbox::{Action, Entry, Outbox};
pub use reader::{MainUpdate, update_main};
pub use run::{ReportedError, StoredError, SyncOptions, SyncReport, SyncStatus, status, sync};
pub use shared::{MainPublished, PROPOSALS_META, PublishError, has_remote, publish_main, queue};

/// The published branch.
pub const MAIN: &str = "refs/heads/main";
/// The remote every clone syncs with.
pub const REMOTE: &str = "origin";
/// The remote's `main` as last fetched.
pub const REMOTE_MAIN: &str = "refs/remotes/origin/main";

/// Test hook: `GUILDHALL_SYNC_STEP_DELAY_MS` sleeps at every step of a push and of the event log
/// sync, so that a test can kill the process at random moments.
pub const DELAY_ENV: &str = "GUILDHALL_SYNC_STEP_DELAY_MS";

/// Everything that can refuse or fail a sync.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// A local git operation failed.
    #[error("git: {}", .0.message())]
    Git(#[from] git2::Error),
    /// A file could not be read or written.
    #[error("cannot access `{}`: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// The server refused the credential we sent (once: we never send it twice).
    #[error(
        "{url} refused the credentials from {from}: the token is wrong or has expired. Enter it again \
         (the Sync settings, `GUILDHALL_TOKEN`, or git's credential helper); Guildhall does not retry, \
         because repeated attempts lock accounts on many forges"
    )]
    AuthRefused { url: String, from: CredentialSource },
    /// The server asks for credentials and none is configured.
    #[error(
        "{url} asks for a user name and token, and none is set: enter a token in the Sync settings, \
         set `GUILDHALL_TOKEN` for this run, or configure a git credential helper"
    )]
    NoCredentials { url: String },
    /// The remote cannot be reached (network, address, TLS).
    #[error("cannot reach {url}: {message}. Check the address and the network; your work stays queued")]
    Unreachable { url: String, message: String },
    /// The server refused an update: a protected branch, a hook, a missing permission.
    #[error("the server refused `{refname}`: {message}\nhint: {hint}")]
    Refused { refname: String, message: String, hint: String },
    /// `main` moved on the remote between our fetch and our push, more times than we retry.
    #[error("`{refname}` kept moving on the remote ({attempts} attempts): sync again in a moment")]
    Contended { refname: String, attempts: u32 },
    /// The fast-forward would overwrite edits that are neither published nor proposed.
    #[error(
        "`main` was not updated: it would overwrite {} you edited and did not propose: {}. Propose the \
         change, or copy the file elsewhere and undo the edit, then sync again",
        if files.len() == 1 { "a file" } else { "files" },
        files.join(", ")
    )]
    DirtyFiles { files: Vec<String> },
    /// Another process works in the repository right now.
    #[error("another process is working in `{}` (`{}` is held): try again when it has finished", repo.display(), lock.display())]
    Busy { repo: PathBuf, lock: PathBuf },
    /// The remote's event log is not a continuation of the one we accepted before.
    #[error(
        "the remote's event log was rewritten (force-pushed): `{remote}` does not contain `{accepted}`, which \
         this clone accepted before. It is refused; local events are kept and not sent. An admin must restore \
         the log on the server"
    )]
    LogRewritten { accepted: String, remote: String },
    /// The clone folder cannot be used.
    #[error("cannot clone into `{}`: {reason}", path.display())]
    Destination { path: PathBuf, reason: String },
    /// Invalid input (an event that does not fit its kind, an unknown kind...).
    #[error("{0}")]
    Invalid(String),
}

impl SyncError {
    /// Whether the remote refused or could not be reached (the CLI's exit status 1), rather than a
    /// local failure (exit status 2).
    pub fn is_remote(&self) -> bool {
        matches!(
            self,
            SyncError::AuthRefused { .. }
                | SyncError::NoCredentials { .. }
                | SyncError::Unreachable { .. }
                | SyncError::Refused { .. }
                | SyncError::Contended { .. }
                | SyncError::LogRewritten { .. }
        )
    }

    /// A stable code for the error, for JSON reports and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::Git(_) => "git",
            SyncError::Io { .. } => "io",
            SyncError::AuthRefused { .. } => "auth-refused",
            SyncError::NoCredentials { .. } => "no-credentials",
            SyncError::Unreachable { .. } => "unreachable",
            SyncError::Refused { .. } => "refused",
            SyncError::Contended { .. } => "contended",
            SyncError::DirtyFiles { .. } => "dirty-files",
            SyncError::Busy { .. } => "busy",
            SyncError::LogRewritten { .. } => "log-rewritten",
            SyncError::Destination { .. } => "destination",
            SyncError::Invalid(_) => "invalid",
        }
    }
}

/// A person as git records them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Person {
    pub name: String,
    pub email: String,
}

impl std::fmt::Display for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} <{}>", self.name, self.email)
    }
}

/// The repository's git user (`user.name`, `user.email`), who signs what this clone writes.
pub fn identity(repo: &git2::Repository) -> Result<Person, SyncError> {
    let config = repo.config()?;
    let name = config.get_string("user.name").ok().filter(|s| !s.trim().is_empty());
    let email = config.get_string("user.email").ok().filter(|s| !s.trim().is_empty());
    match (name, email) {
        (Some(name), Some(email)) => Ok(Person { name, email }),
        _ => Err(SyncError::Invalid(format!(
            "no git identity in `{}`: set `git config user.name` and `git config user.email` to your name and e-mail as \
             guildhall.toml lists them",
            repo.workdir().unwrap_or(repo.path()).display()
        ))),
    }
}

/// Sleeps for [`DELAY_ENV`] milliseconds, if set (tests kill the process meanwhile).
pub(crate) fn step_delay() {
    if let Some(ms) = std::env::var(DELAY_ENV).ok().and_then(|v| v.parse::<u64>().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}
