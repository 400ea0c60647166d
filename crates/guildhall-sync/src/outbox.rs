//! The outbox: what this clone still has to send, kept until the remote acknowledges it.
//!
//! One JSON file per action in `.git/guildhall/outbox/<ulid>.json`, written atomically and
//! durably (temporary file, fsync, rename, fsync of the folder) before the action is
//! acknowledged to the person. An entry is removed only once the remote is seen to hold what it
//! asked for, so replaying after a crash or a refusal is idempotent: an action whose result the
//! remote already has is marked done without being sent again, and nothing acknowledged is
//! lost. The folder is inside `.git`: it never enters the published tree.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::durable::{self, io};
use crate::{Person, SyncError};

/// One queued action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Action {
    /// Publish the local branch `refs/heads/<branch>`, which held `commit` when queued (a
    /// proposal, its revisions and its metadata). Done when the remote's branch contains `commit`.
    PushBranch { branch: String, commit: String },
    /// An event of the shared log (`event`: its id): its file `path` (under `events/`) and
    /// `content`, by `author`. Done when the remote's log holds the file; re-committed locally if
    /// the local log lost it.
    Event { event: String, path: String, content: String, author: Person },
    /// An approval made while the shared hub was unreachable: proposal `proposal` as the approver
    /// reviewed it (`reviewed`: its commit then). The review layer publishes it when sent, against
    /// the fetched `main`, checking the approver's roles and the proposal again; done when
    /// published or refused (the refusal is reported).
    Approve { proposal: String, reviewed: String, comment: String, approver: Person },
}

/// A queued action and when it was queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// A ULID: entries replay in the order they were queued.
    pub id: String,
    /// Unix seconds.
    pub queued_at: i64,
    #[serde(flatten)]
    pub action: Action,
}

/// The outbox of one clone.
#[derive(Debug, Clone)]
pub struct Outbox {
    dir: PathBuf,
}

impl Outbox {
    /// The outbox of the repository whose git folder is `git_dir`.
    pub fn new(git_dir: &Path) -> Outbox {
        Outbox { dir: git_dir.join("guildhall").join("outbox") }
    }

    /// The outbox of `repo`.
    pub fn of(repo: &git2::Repository) -> Outbox {
        Outbox::new(repo.path())
    }

    /// Queues `action`; when this returns, the entry is on disk and survives a crash.
    pub fn add(&self, action: Action) -> Result<Entry, SyncError> {
        let entry = Entry { id: ulid::Ulid::new().to_string(), queued_at: crate::time::now(), action };
        let bytes = serde_json::to_vec_pretty(&entry).map_err(|e| SyncError::Invalid(e.to_string()))?;
        durable::write_atomic(&self.path(&entry.id), &bytes)?;
        Ok(entry)
    }

    /// The pending entries, oldest first. An unreadable entry is an error naming its file (it is
    /// never deleted: that would lose an action).
    pub fn pending(&self) -> Result<Vec<Entry>, SyncError> {
        let mut entries = Vec::new();
        let dir = match std::fs::read_dir(&self.dir) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(entries),
            Err(e) => return Err(io(&self.dir)(e)),
        };
        for item in dir {
            let item = item.map_err(io(&self.dir))?;
            let name = item.file_name().to_string_lossy().into_owned();
            // Temporary files of an interrupted write: the entry was never acknowledged.
            if name.starts_with('.') || !name.ends_with(".json") {
                continue;
            }
            let path = item.path();
            let bytes = std::fs::read(&path).map_err(io(&path))?;
            let entry: Entry = serde_json::from_slice(&bytes).map_err(|e| {
                SyncError::Invalid(format!(
                    "{}:{}: unreadable outbox entry ({e}); it is kept, move it aside to go on",
                    path.display(),
                    e.line()
                ))
            })?;
            entries.push(entry);
        }
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(entries)
    }

    /// How many actions wait to be sent.
    pub fn len(&self) -> Result<usize, SyncError> {
        Ok(self.pending()?.len())
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> Result<bool, SyncError> {
        Ok(self.len()? == 0)
    }

    /// Removes an entry the remote acknowledged.
    pub fn done(&self, id: &str) -> Result<(), SyncError> {
        durable::remove(&self.path(id))
    }

    fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }
}
