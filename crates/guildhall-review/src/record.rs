//! Closed sets of the review crate as enums (kebab-case on the wire and on disk), and the on-disk
//! record of a proposal, kept apart from the [`Proposal`] the API answers so that either can
//! change without silently changing the other.

use serde::{Deserialize, Serialize};

use crate::{ChangeKind, Comment, Pending, Person, Proposal, Status};

/// How a file changes (in a proposal) or how a version changed a document (in the history).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FileChangeKind {
    Added,
    Modified,
    Deleted,
}

impl FileChangeKind {
    /// From whether the file exists before and after.
    pub fn of(before: bool, after: bool) -> FileChangeKind {
        match (before, after) {
            (false, _) => FileChangeKind::Added,
            (_, false) => FileChangeKind::Deleted,
            _ => FileChangeKind::Modified,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileChangeKind::Added => "added",
            FileChangeKind::Modified => "modified",
            FileChangeKind::Deleted => "deleted",
        }
    }
}

impl std::fmt::Display for FileChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a published version did: to one document (its history) or, in the changelog, as a
/// whole publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VersionChange {
    Added,
    Modified,
    Deleted,
    /// A changelog entry: a publish that may change several files.
    Published,
}

impl From<FileChangeKind> for VersionChange {
    fn from(k: FileChangeKind) -> VersionChange {
        match k {
            FileChangeKind::Added => VersionChange::Added,
            FileChangeKind::Modified => VersionChange::Modified,
            FileChangeKind::Deleted => VersionChange::Deleted,
        }
    }
}

impl std::fmt::Display for VersionChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            VersionChange::Added => "added",
            VersionChange::Modified => "modified",
            VersionChange::Deleted => "deleted",
            VersionChange::Published => "published",
        })
    }
}

/// What happened to a proposal in one event of its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CommentAction {
    Proposed,
    Revised,
    ChangesRequested,
    Rejected,
    Approved,
    SelfApproved,
    /// A conflict was found while publishing; the proposal went back to its author.
    SentBack,
}

impl CommentAction {
    /// The wire name (kebab-case), as the CLI prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            CommentAction::Proposed => "proposed",
            CommentAction::Revised => "revised",
            CommentAction::ChangesRequested => "changes-requested",
            CommentAction::Rejected => "rejected",
            CommentAction::Approved => "approved",
            CommentAction::SelfApproved => "self-approved",
            CommentAction::SentBack => "sent-back",
        }
    }

    /// The event of a reviewer's decision that moves a proposal to `status`.
    pub(crate) fn decision(status: Status) -> CommentAction {
        match status {
            Status::Open => CommentAction::Revised,
            Status::ChangesRequested => CommentAction::ChangesRequested,
            Status::Approved => CommentAction::Approved,
            Status::Rejected => CommentAction::Rejected,
        }
    }
}

/// A proposal as stored in `.git/guildhall/proposals/<id>.json`. Fields added later have
/// defaults so that records written by older versions still load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ProposalRecord {
    id: String,
    title: String,
    #[serde(default)]
    reason: String,
    author: Person,
    status: Status,
    created_at: i64,
    updated_at: i64,
    #[serde(default = "first_revision")]
    revision: u32,
    files: Vec<String>,
    #[serde(default)]
    kinds: Vec<ChangeKind>,
    commit: String,
    base: String,
    #[serde(default)]
    comments: Vec<Comment>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pending: Option<Pending>,
}

fn first_revision() -> u32 {
    1
}

impl From<ProposalRecord> for Proposal {
    fn from(r: ProposalRecord) -> Proposal {
        Proposal {
            id: r.id,
            title: r.title,
            reason: r.reason,
            author: r.author,
            status: r.status,
            created_at: r.created_at,
            updated_at: r.updated_at,
            revision: r.revision,
            files: r.files,
            kinds: r.kinds,
            commit: r.commit,
            base: r.base,
            comments: r.comments,
            published: r.published,
            pending: r.pending,
        }
    }
}

impl From<&Proposal> for ProposalRecord {
    fn from(p: &Proposal) -> ProposalRecord {
        ProposalRecord {
            id: p.id.clone(),
            title: p.title.clone(),
            reason: p.reason.clone(),
            author: p.author.clone(),
            status: p.status,
            created_at: p.created_at,
            updated_at: p.updated_at,
            revision: p.revision,
            files: p.files.clone(),
            kinds: p.kinds.clone(),
            commit: p.commit.clone(),
            base: p.base.clone(),
            comments: p.comments.clone(),
            published: p.published.clone(),
            pending: p.pending.clone(),
        }
    }
}

impl std::fmt::Display for CommentAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as an earlier Guildhall wrote it (before the enums and the record type): it
    /// must still load, and write back byte for byte the same fields.
    const OLD_RECORD: &str = r#"{
  "id": "3",
  "title": "Add the retry pattern",
  "reason": "We keep reinventing it",
  "author": { "name": "Alice Author", "email": "alice@example.org" },
  "status": "changes-requested",
  "created_at": 1760000000,
  "updated_at": 1760000500,
  "revision": 2,
  "files": ["patterns/retry.md"],
  "kinds": ["pattern"],
  "commit": "0123456789abcdef0123456789abcdef01234567",
  "base": "89abcdef0123456789abcdef0123456789abcdef",
  "comments": [
    { "by": { "name": "Alice Author", "email": "alice@example.org" }, "at": 1760000000, "action": "proposed", "text": "" },
    { "by": { "name": "Alice Author", "email": "alice@example.org" }, "at": 1760000100, "action": "revised", "text": "" },
    { "by": { "name": "Bob Mentor", "email": "bob@example.org" }, "at": 1760000200, "action": "changes-requested", "text": "Say when not to retry" },
    { "by": { "name": "Bob Mentor", "email": "bob@example.org" }, "at": 1760000300, "action": "sent-back", "text": "conflicts with main" },
    { "by": { "name": "Carol Admin", "email": "carol@example.org" }, "at": 1760000400, "action": "self-approved", "text": "" }
  ],
  "published": null
}"#;

    #[test]
    fn old_on_disk_records_still_load() {
        let record: ProposalRecord = serde_json::from_str(OLD_RECORD).expect("an old record loads");
        let p = Proposal::from(record.clone());
        assert_eq!(p.status, Status::ChangesRequested);
        let actions: Vec<CommentAction> = p.comments.iter().map(|c| c.action).collect();
        assert_eq!(
            actions,
            [
                CommentAction::Proposed,
                CommentAction::Revised,
                CommentAction::ChangesRequested,
                CommentAction::SentBack,
                CommentAction::SelfApproved
            ]
        );
        assert_eq!(ProposalRecord::from(&p), record);
        let old: serde_json::Value = serde_json::from_str(OLD_RECORD).expect("json");
        let again = serde_json::to_value(ProposalRecord::from(&p)).expect("json");
        assert_eq!(again, old, "written back with the same fields and values");
    }

    #[test]
    fn the_first_records_without_later_fields_load_with_defaults() {
        let minimal = r#"{"id":"1","title":"t","author":{"name":"A","email":"a@x"},"status":"open",
            "created_at":1,"updated_at":1,"files":["a.md"],"commit":"c","base":"b"}"#;
        let p = Proposal::from(serde_json::from_str::<ProposalRecord>(minimal).expect("loads"));
        assert_eq!((p.revision, p.comments.len(), p.kinds.len(), p.reason.as_str()), (1, 0, 0, ""));
    }

    #[test]
    fn an_unknown_action_is_refused_not_guessed() {
        let bad = OLD_RECORD.replace("\"sent-back\"", "\"teleported\"");
        assert!(serde_json::from_str::<ProposalRecord>(&bad).is_err());
    }
}
