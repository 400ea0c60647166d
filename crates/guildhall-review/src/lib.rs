//! Guildhall's authoring workflow on git: proposals, role-checked review, publishing, history
//! and rollback.
//!
//! The hub folder is a git repository whose `main` branch is the published content. A
//! [`Review`] acts as the repository's git user (`user.name`, `user.email`), matched to a
//! `[[members]]` entry of the *published* `guildhall.toml` (so editing the work tree never grants
//! a role). Every action checks the member's roles against [`ReviewRules`] and fails with a typed
//! [`ReviewError`] naming what is missing.
//!
//! - [`Review::propose`] commits files of the work tree onto `main` as one commit on a branch
//!   `proposals/<id>`; content that adds `guildhall check` errors is refused.
//! - [`Review::approve`] publishes: a commit on `main` (its only parent when `main` has not moved
//!   since the proposal, else a merge of `main` and the proposal, refused on conflict), with the
//!   trailers `Requested-by:`, `Approved-by:`, `Reviewed-on:` and `Proposal:`.
//! - [`Review::history`], [`Review::diff`], [`Review::rollback`] and [`Review::changelog`] read
//!   `main`'s first-parent history, where each commit is one published change.
//!
//! Proposal metadata (title, reason, author, status, comments) lives in
//! `.git/guildhall/proposals/<id>.json`, replaced atomically (temporary file, fsync, rename,
//! fsync of the folder). It is workflow state of this repository, not content: keeping it out of
//! the proposal's tree means publishing never carries it into `main`, and a status change is one
//! atomic file replacement rather than a commit.

use std::path::{Component, Path, PathBuf};

use git2::{Commit, ErrorCode, Oid, Repository, RepositoryInitOptions, Signature, Time};
use guildhall_content::{Diagnostic, HubConfig, Member};
use serde::{Deserialize, Serialize};

mod durable;
mod record;
mod rules;
mod time;
mod tree;

pub use record::{CommentAction, FileChangeKind, VersionChange};
pub use rules::{ChangeKind, ReviewRules};
pub use time::rfc3339;

/// The published branch.
pub const MAIN: &str = "refs/heads/main";
/// Where proposal metadata lives, inside the repository's `.git` folder.
const META_DIR: &str = "guildhall/proposals";
/// Largest file a proposal may carry (the content loader's limit).
const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// Test hook: `GUILDHALL_REVIEW_FAULT=<step>` aborts the process at that step of publishing
/// (`objects`, `pending`, `main`, `worktree`); `GUILDHALL_REVIEW_STEP_DELAY_MS` sleeps at every
/// step, so that a test can kill the process at random moments.
pub const FAULT_ENV: &str = "GUILDHALL_REVIEW_FAULT";
pub const DELAY_ENV: &str = "GUILDHALL_REVIEW_STEP_DELAY_MS";

/// Everything that can refuse or fail a review action.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReviewError {
    /// A git operation failed.
    #[error("git: {}", .0.message())]
    Git(#[from] git2::Error),
    /// A file could not be read or written.
    #[error("cannot access `{}`: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// The hub folder is inside another repository instead of being one.
    #[error(
        "the hub folder `{}` is inside the git repository `{}`; the hub must be a repository of its own",
        hub.display(),
        repo.display()
    )]
    NotRepositoryRoot { hub: PathBuf, repo: PathBuf },
    /// The repository has no git user.
    #[error(
        "no git identity: set one in the hub repository with `git -C {} config user.name \"Your Name\"` and `git -C {} config user.email you@example.org`, and make sure guildhall.toml lists that e-mail under [[members]]",
        hub.display(),
        hub.display()
    )]
    NoIdentity { hub: PathBuf },
    /// The git user is not one of the hub's members.
    #[error(
        "{name} <{email}> is not a member of this hub: add a [[members]] entry with email = \"{email}\" and their roles to guildhall.toml (published through review), or set the hub repository's git user to a member with `git -C {} config user.email ...`",
        hub.display()
    )]
    NotAMember { name: String, email: String, hub: PathBuf },
    /// The member lacks a role the action needs.
    #[error("permission denied: {who} cannot {action}{}: needs the role {}", kind.map(|k| format!(" a {k} change")).unwrap_or_default(), roles.join(" or "))]
    Permission { who: String, action: String, kind: Option<ChangeKind>, roles: Vec<String> },
    /// The author tried to review their own proposal.
    #[error("permission denied: {who} cannot {action} their own proposal {id} (this hub does not allow self-approval)")]
    SelfReview { who: String, action: String, id: String },
    /// The proposal is by someone else.
    #[error("permission denied: proposal {id} is {author}'s; only they can revise it")]
    NotAuthor { id: String, author: String },
    /// No proposal has this id.
    #[error("no proposal has the id `{0}`")]
    UnknownProposal(String),
    /// The action does not fit the proposal's status.
    #[error("proposal {id} is {status}; cannot {action}")]
    WrongState { id: String, status: Status, action: String },
    /// The proposed content has `guildhall check` errors.
    #[error("the proposed content has {} error(s):\n{}", diagnostics.len(), diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Content { diagnostics: Vec<Diagnostic> },
    /// The proposal conflicts with `main`; it was sent back to its author.
    #[error("proposal {id} conflicts with main in: {}; it was sent back to its author to revise", paths.join(", "))]
    Conflict { id: String, paths: Vec<String> },
    /// Publishing would overwrite uncommitted edits in the work tree.
    #[error("uncommitted edits in the work tree would be overwritten: {}; commit, propose or discard them first", paths.join(", "))]
    DirtyWorkTree { paths: Vec<String> },
    /// `main` moved while publishing; nothing was changed.
    #[error("main changed while publishing; nothing was changed, try again")]
    MainMoved,
    /// The proposal changes nothing.
    #[error("nothing to propose: the files are the same as on main")]
    NoChanges,
    /// No such document or file on `main`.
    #[error("no published document or file `{0}`")]
    UnknownDocument(String),
    /// No such version.
    #[error("no version `{0}` in the history")]
    UnknownVersion(String),
    /// The `[review]` settings or the members list cannot be used.
    #[error("guildhall.toml: {0}")]
    Config(String),
    /// A request that cannot be carried out as given (bad input, never damaged state).
    #[error("{0}")]
    Invalid(String),
    /// Guildhall's own saved review state (a proposal's metadata) cannot be read.
    #[error("damaged proposal metadata `{}`: {problem}", path.display())]
    Damaged { path: PathBuf, problem: String },
}

impl ReviewError {
    /// Whether this is a refusal (permission, state, content, conflict) rather than a failure.
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            ReviewError::Git(_) | ReviewError::Io { .. } | ReviewError::Invalid(_) | ReviewError::Damaged { .. }
        )
    }
}

/// A person as git records them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub name: String,
    pub email: String,
}

impl std::fmt::Display for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} <{}>", self.name, self.email)
    }
}

/// The local identity: the git user and their roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Identity {
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
}

impl Identity {
    fn person(&self) -> Person {
        Person { name: self.name.clone(), email: self.email.clone() }
    }
    fn member(&self) -> Member {
        Member { name: self.name.clone(), email: self.email.clone(), roles: self.roles.clone() }
    }
    fn is(&self, p: &Person) -> bool {
        self.email.eq_ignore_ascii_case(&p.email)
    }
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Status {
    Open,
    ChangesRequested,
    Approved,
    Rejected,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Status::Open => "open",
            Status::ChangesRequested => "changes-requested",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
        })
    }
}

/// One event in a proposal's life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comment {
    pub by: Person,
    /// Unix seconds.
    pub at: i64,
    pub action: CommentAction,
    pub text: String,
}

/// A publish that was started: recorded before `main` moves, so that a crash in between is
/// finished (or forgotten) on the next open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Pending {
    /// The commit `main` is being moved to.
    commit: String,
    /// `main` before.
    previous: String,
    approver: Person,
    self_approved: bool,
    #[serde(default)]
    comment: String,
}

/// A proposed change and its review, as the API answers it (stored as a [`record::ProposalRecord`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    pub id: String,
    pub title: String,
    pub reason: String,
    pub author: Person,
    pub status: Status,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
    /// 1 for the first submission, +1 for each revision.
    pub revision: u32,
    /// The files changed, relative to the hub folder.
    pub files: Vec<String>,
    /// What kinds of change those are (who may approve them follows from these).
    pub kinds: Vec<ChangeKind>,
    /// The proposal branch's commit, and the `main` commit it is based on.
    pub commit: String,
    pub base: String,
    pub comments: Vec<Comment>,
    /// The commit on `main` that published it.
    pub published: Option<String>,
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pending: Option<Pending>,
}

impl Proposal {
    /// The branch holding the proposed commit.
    pub fn branch(&self) -> String {
        format!("proposals/{}", self.id)
    }
}

/// What publishing did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Published {
    /// The new `main` commit.
    pub commit: String,
    /// Whether it is a merge commit (`main` had moved since the proposal).
    pub merged: bool,
    pub files: Vec<String>,
    pub self_approved: bool,
}

/// One published version of a document (a commit on `main`'s first-parent line that changed it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Version {
    pub commit: String,
    pub title: String,
    /// The message body without the trailers: why.
    pub reason: String,
    pub change: VersionChange,
    /// When it reached `main` (RFC 3339 UTC) and as Unix seconds.
    pub published_at: String,
    pub published_unix: i64,
    pub requested_by: Option<String>,
    pub approved_by: Option<String>,
    pub reviewed_on: Option<String>,
    pub proposal: Option<String>,
    pub self_approved: bool,
    pub rolled_back_by: Option<String>,
}

/// A published change in the hub-wide changelog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangelogEntry {
    #[serde(flatten)]
    pub version: Version,
    pub files: Vec<String>,
    pub kinds: Vec<ChangeKind>,
    /// Seconds from the proposal (its last revision) to its approval.
    pub lead_time_secs: Option<i64>,
}

/// One file of a proposal (see [`Review::proposal_changes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// The file, relative to the hub folder.
    pub path: String,
    pub change: FileChangeKind,
    /// The content on `main` now, and as proposed.
    pub before: Option<Vec<u8>>,
    pub after: Option<Vec<u8>>,
    /// A unified line diff from `before` to `after`.
    pub diff: String,
}

/// Filters for [`Review::changelog`].
#[derive(Debug, Clone, Default)]
pub struct ChangelogFilter {
    pub kind: Option<ChangeKind>,
    /// Matches the requester's or approver's name or e-mail (case-insensitive substring).
    pub person: Option<String>,
}

/// A hub repository opened for review.
pub struct Review {
    repo: Repository,
    root: PathBuf,
}

impl std::fmt::Debug for Review {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Review").field("root", &self.root).finish()
    }
}

impl Review {
    /// Opens the repository of the hub in `root`, initialising one (with an initial commit of
    /// the folder's files on `main`) if the folder is not under git. A hub folder inside another
    /// repository is refused rather than nesting a repository in it. A publish interrupted by a
    /// crash is finished or forgotten here.
    pub fn open(root: &Path) -> Result<Review, ReviewError> {
        let root = root.canonicalize().map_err(durable::io(root))?;
        let repo = match Repository::open(&root) {
            Ok(r) if r.workdir().and_then(|w| w.canonicalize().ok()).as_deref() == Some(root.as_path()) => r,
            Ok(r) => {
                return Err(ReviewError::NotRepositoryRoot {
                    hub: root,
                    repo: r.workdir().unwrap_or(r.path()).to_path_buf(),
                });
            }
            Err(e) if e.code() == ErrorCode::NotFound => {
                if let Ok(outer) = Repository::discover(&root) {
                    return Err(ReviewError::NotRepositoryRoot {
                        hub: root,
                        repo: outer.workdir().unwrap_or(outer.path()).to_path_buf(),
                    });
                }
                let mut opts = RepositoryInitOptions::new();
                opts.initial_head("main");
                Repository::init_opts(&root, &opts)?
            }
            Err(e) => return Err(e.into()),
        };
        let review = Review { repo, root };
        review.ensure_main()?;
        review.recover()?;
        Ok(review)
    }

    /// The hub folder (the repository's work tree).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Creates `main` when missing: at HEAD's commit, or as an initial commit of the work tree.
    fn ensure_main(&self) -> Result<(), ReviewError> {
        if self.repo.find_reference(MAIN).is_ok() {
            return Ok(());
        }
        if let Ok(head) = self.repo.head().and_then(|h| h.peel_to_commit()) {
            self.repo.reference(MAIN, head.id(), false, "guildhall: main is the published content")?;
            return Ok(());
        }
        let mut index = self.repo.index()?;
        index.add_all(["*"], git2::IndexAddOption::DEFAULT, None)?;
        index.write()?;
        let tree = self.repo.find_tree(index.write_tree()?)?;
        let sig = self.repo.signature().or_else(|_| Signature::now("Guildhall", "guildhall@localhost"))?;
        let oid = self.repo.commit(None, &sig, &sig, "Initial content\n\nImported by Guildhall.\n", &tree, &[])?;
        self.sync_objects(None, oid)?;
        self.repo.reference(MAIN, oid, false, "guildhall: initial content")?;
        if self.repo.head().is_err() {
            self.repo.set_head(MAIN)?;
        }
        self.sync_ref(MAIN)
    }

    fn main_commit(&self) -> Result<Commit<'_>, ReviewError> {
        Ok(self.repo.find_reference(MAIN)?.peel_to_commit()?)
    }

    /// The hub settings as published on `main`.
    pub fn published_config(&self) -> Result<HubConfig, ReviewError> {
        tree::config(&self.repo, &self.main_commit()?.tree()?)
    }

    /// The review rules as published on `main`.
    pub fn rules(&self) -> Result<ReviewRules, ReviewError> {
        ReviewRules::from_config(&self.published_config()?)
    }

    /// The local identity: the repository's git user, matched by e-mail (else by name when the
    /// member has no e-mail) to a member of the published `guildhall.toml`.
    pub fn identity(&self) -> Result<Identity, ReviewError> {
        let config = self.repo.config()?;
        let name = config.get_string("user.name").ok().filter(|s| !s.trim().is_empty());
        let email = config.get_string("user.email").ok().filter(|s| !s.trim().is_empty());
        let (name, email) = match (name, email) {
            (Some(n), Some(e)) => (n, e),
            _ => return Err(ReviewError::NoIdentity { hub: self.root.clone() }),
        };
        let members = self.published_config()?.members;
        let member = members
            .iter()
            .find(|m| !m.email.is_empty() && m.email.eq_ignore_ascii_case(&email))
            .or_else(|| members.iter().find(|m| m.email.is_empty() && m.name == name));
        match member {
            Some(m) => Ok(Identity { name: m.name.clone(), email, roles: m.roles.clone() }),
            None => Err(ReviewError::NotAMember { name, email, hub: self.root.clone() }),
        }
    }

    // ---- proposals ---------------------------------------------------------------------

    fn meta_path(&self, id: &str) -> PathBuf {
        self.repo.path().join(META_DIR).join(format!("{id}.json"))
    }

    /// One proposal.
    pub fn proposal(&self, id: &str) -> Result<Proposal, ReviewError> {
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(ReviewError::UnknownProposal(id.to_string()));
        }
        let path = self.meta_path(id);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReviewError::UnknownProposal(id.into())),
            Err(e) => return Err(durable::io(&path)(e)),
        };
        serde_json::from_slice::<record::ProposalRecord>(&bytes)
            .map(Proposal::from)
            .map_err(|e| ReviewError::Damaged { path: path.clone(), problem: e.to_string() })
    }

    fn save(&self, p: &Proposal) -> Result<(), ReviewError> {
        let path = self.meta_path(&p.id);
        let bytes = serde_json::to_vec_pretty(&record::ProposalRecord::from(p))
            .map_err(|e| durable::io(&path)(std::io::Error::other(e)))?;
        durable::write_atomic(&path, &bytes)
    }

    /// Every proposal, oldest first.
    pub fn proposals(&self) -> Result<Vec<Proposal>, ReviewError> {
        let dir = self.repo.path().join(META_DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(durable::io(&dir)(e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(durable::io(&dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(id) = name.strip_suffix(".json").filter(|s| !s.starts_with('.')) {
                out.push(self.proposal(id)?);
            }
        }
        out.sort_by_key(|p| (p.id.parse::<u64>().unwrap_or(u64::MAX), p.id.clone()));
        Ok(out)
    }

    /// The review queue: proposals that are open or waiting for their author.
    pub fn queue(&self) -> Result<Vec<Proposal>, ReviewError> {
        self.identity()?;
        Ok(self
            .proposals()?
            .into_iter()
            .filter(|p| matches!(p.status, Status::Open | Status::ChangesRequested))
            .collect())
    }

    /// A path of the hub, relative and `/`-separated, from an absolute path or one relative to
    /// the hub folder. Paths out of the hub or into `.git` are refused.
    pub fn relative(&self, path: &Path) -> Result<String, ReviewError> {
        let rel = if path.is_absolute() {
            let dir = path.parent().and_then(|d| d.canonicalize().ok());
            let full = match (dir, path.file_name()) {
                (Some(d), Some(n)) => d.join(n),
                _ => path.to_path_buf(),
            };
            full.strip_prefix(&self.root)
                .map_err(|_| ReviewError::Invalid(format!("`{}` is not in the hub folder", path.display())))?
                .to_path_buf()
        } else {
            path.to_path_buf()
        };
        let mut parts = Vec::new();
        for c in rel.components() {
            match c {
                Component::Normal(s) => parts
                    .push(s.to_str().ok_or_else(|| ReviewError::Invalid(format!("`{}` is not UTF-8", rel.display())))?),
                Component::CurDir => {}
                _ => return Err(ReviewError::Invalid(format!("`{}` is not a path inside the hub", path.display()))),
            }
        }
        if parts.is_empty() || parts.iter().any(|p| p.starts_with('.')) {
            return Err(ReviewError::Invalid(format!("`{}` is not a hub file", path.display())));
        }
        Ok(parts.join("/"))
    }

    fn read_work_file(&self, rel: &str) -> Result<Option<Vec<u8>>, ReviewError> {
        let path = self.root.join(rel);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => {
                if m.len() > MAX_FILE_BYTES {
                    return Err(ReviewError::Invalid(format!("`{rel}` is larger than 2 MiB")));
                }
                Ok(Some(std::fs::read(&path).map_err(durable::io(&path))?))
            }
            Ok(_) => Err(ReviewError::Invalid(format!("`{rel}` is not a regular file"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(durable::io(&path)(e)),
        }
    }

    /// Proposes the current work-tree content of `files` (a file missing from the work tree is
    /// proposed for deletion). With `revise`, the author's own proposal of that id is replaced by
    /// this one (based on the current `main`) and goes back into the queue.
    pub fn propose(
        &self,
        files: &[PathBuf],
        title: &str,
        reason: &str,
        revise: Option<&str>,
    ) -> Result<Proposal, ReviewError> {
        if files.is_empty() {
            return Err(ReviewError::Invalid("name at least one file to propose".into()));
        }
        let mut changes = Vec::new();
        for f in files {
            let rel = self.relative(f)?;
            if !changes.iter().any(|(p, _): &(String, _)| *p == rel) {
                let content = self.read_work_file(&rel)?;
                changes.push((rel, content));
            }
        }
        self.propose_changes(changes, title, reason, revise)
    }

    /// Proposes `content` as the new content of the hub file `path` (relative, `/`-separated;
    /// `None` deletes it), without touching the work tree: what the editor submits. With
    /// `revise`, the author's own proposal of that id is replaced by this one. The same checks
    /// as [`Review::propose`] apply (identity, content errors, nothing to propose).
    pub fn propose_content(
        &self,
        path: &str,
        content: Option<Vec<u8>>,
        title: &str,
        reason: &str,
        revise: Option<&str>,
    ) -> Result<Proposal, ReviewError> {
        let rel = self.relative(Path::new(path))?;
        if content.as_ref().is_some_and(|c| c.len() as u64 > MAX_FILE_BYTES) {
            return Err(ReviewError::Invalid(format!("`{rel}` is larger than 2 MiB")));
        }
        self.propose_changes(vec![(rel, content)], title, reason, revise)
    }

    /// The published content of a hub file (`None` when `main` does not have it).
    pub fn published_file(&self, path: &str) -> Result<Option<Vec<u8>>, ReviewError> {
        tree::file(&self.repo, &self.main_commit()?.tree()?, path)
    }

    /// The content of a hub file as proposal `id` has it (`None` when it deletes or lacks it).
    pub fn proposed_file(&self, id: &str, path: &str) -> Result<Option<Vec<u8>>, ReviewError> {
        let p = self.proposal(id)?;
        let commit = self.repo.find_commit(Oid::from_str(&p.commit)?)?;
        tree::file(&self.repo, &commit.tree()?, path)
    }

    /// The published hub as a catalog (loaded, linked and checked from `main`'s tree).
    pub fn published_catalog(&self) -> Result<guildhall_content::Catalog, ReviewError> {
        tree::catalog(&self.repo, &self.main_commit()?.tree()?)
    }

    /// What proposal `p` is compared with: the `main` it would change, or, once published, `main`
    /// as it was just before the publishing commit (so a published proposal still shows what it
    /// changed rather than nothing).
    fn baseline(&self, p: &Proposal) -> Result<git2::Tree<'_>, ReviewError> {
        if let Some(published) = &p.published {
            let commit = self.repo.find_commit(Oid::from_str(published)?)?;
            if let Ok(parent) = commit.parent(0) {
                return Ok(parent.tree()?);
            }
        }
        Ok(self.main_commit()?.tree()?)
    }

    /// The hub that proposal `id` is compared with (see [`Review::proposal_changes`]), as a catalog.
    pub fn baseline_catalog(&self, id: &str) -> Result<guildhall_content::Catalog, ReviewError> {
        let p = self.proposal(id)?;
        tree::catalog(&self.repo, &self.baseline(&p)?)
    }

    /// The hub as proposal `id` would leave it, as a catalog.
    pub fn proposed_catalog(&self, id: &str) -> Result<guildhall_content::Catalog, ReviewError> {
        let p = self.proposal(id)?;
        let commit = self.repo.find_commit(Oid::from_str(&p.commit)?)?;
        tree::catalog(&self.repo, &commit.tree()?)
    }

    /// What proposal `id` changes, file by file, against the current `main` (for a published
    /// proposal: `main` just before it was published): the content before and after and a
    /// unified line diff between them.
    pub fn proposal_changes(&self, id: &str) -> Result<Vec<FileChange>, ReviewError> {
        self.identity()?;
        let p = self.proposal(id)?;
        let main_tree = self.baseline(&p)?;
        let proposed = self.repo.find_commit(Oid::from_str(&p.commit)?)?.tree()?;
        let mut out = Vec::new();
        for path in &p.files {
            let before = tree::file(&self.repo, &main_tree, path)?;
            let after = tree::file(&self.repo, &proposed, path)?;
            let change = FileChangeKind::of(before.is_some(), after.is_some());
            let diff = {
                let mut patch = git2::Patch::from_buffers(
                    before.as_deref().unwrap_or_default(),
                    Some(Path::new(path)),
                    after.as_deref().unwrap_or_default(),
                    Some(Path::new(path)),
                    None,
                )?;
                String::from_utf8_lossy(&patch.to_buf()?).into_owned()
            };
            out.push(FileChange { path: path.clone(), change, before, after, diff });
        }
        Ok(out)
    }

    /// Whether `who` may approve, request changes to or reject `p` as it stands (its status
    /// allows a decision, they hold the roles its kinds need, and it is not their own unless the
    /// hub allows self-approval).
    pub fn may_review(&self, who: &Identity, p: &Proposal) -> Result<bool, ReviewError> {
        if !matches!(p.status, Status::Open) {
            return Ok(false);
        }
        match self.check_reviewer(who, p, "approve") {
            Ok(_) => Ok(true),
            Err(ReviewError::SelfReview { .. } | ReviewError::Permission { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Whether `who` may revise `p`: it is theirs and still in review.
    pub fn may_revise(&self, who: &Identity, p: &Proposal) -> bool {
        who.is(&p.author) && matches!(p.status, Status::Open | Status::ChangesRequested)
    }

    fn propose_changes(
        &self,
        changes: Vec<(String, Option<Vec<u8>>)>,
        title: &str,
        reason: &str,
        revise: Option<&str>,
    ) -> Result<Proposal, ReviewError> {
        let who = self.identity()?;
        let title = title.trim();
        if title.is_empty() || title.contains('\n') {
            return Err(ReviewError::Invalid("a proposal needs a one-line title".into()));
        }
        let previous = match revise {
            Some(id) => {
                let p = self.proposal(id)?;
                if !who.is(&p.author) {
                    return Err(ReviewError::NotAuthor { id: p.id, author: p.author.to_string() });
                }
                if !matches!(p.status, Status::Open | Status::ChangesRequested) {
                    return Err(ReviewError::WrongState { id: p.id, status: p.status, action: "revise it".into() });
                }
                Some(p)
            }
            None => None,
        };
        let main = self.main_commit()?;
        let main_tree = main.tree()?;
        for (path, content) in &changes {
            if content.is_none() && tree::entry_id(&main_tree, path).is_none() {
                return Err(ReviewError::Invalid(format!("`{path}` is neither in the work tree nor on main")));
            }
        }
        let new_tree = self.repo.find_tree(tree::with_files(&self.repo, &main_tree, &changes)?)?;
        let files = tree::changed_paths(&main_tree, &new_tree)?;
        if files.is_empty() {
            return Err(ReviewError::NoChanges);
        }
        let errors = tree::new_errors(&tree::catalog(&self.repo, &main_tree)?, &tree::catalog(&self.repo, &new_tree)?);
        if !errors.is_empty() {
            return Err(ReviewError::Content { diagnostics: errors });
        }
        let kinds = self.kinds_of(&main_tree, &new_tree, &files)?;

        let now = time::now();
        let (id, mut proposal) = match previous {
            Some(mut p) => {
                p.revision += 1;
                p.title = title.to_string();
                p.reason = reason.trim().to_string();
                p.status = Status::Open;
                p.comments.push(Comment {
                    by: who.person(),
                    at: now,
                    action: CommentAction::Revised,
                    text: reason.trim().into(),
                });
                (p.id.clone(), p)
            }
            None => {
                let p = Proposal {
                    id: String::new(),
                    title: title.to_string(),
                    reason: reason.trim().to_string(),
                    author: who.person(),
                    status: Status::Open,
                    created_at: now,
                    updated_at: now,
                    revision: 1,
                    files: Vec::new(),
                    kinds: Vec::new(),
                    commit: String::new(),
                    base: String::new(),
                    comments: vec![Comment {
                        by: who.person(),
                        at: now,
                        action: CommentAction::Proposed,
                        text: reason.trim().into(),
                    }],
                    published: None,
                    pending: None,
                };
                (self.allocate_id(&p)?, p)
            }
        };
        let sig = Signature::new(&who.name, &who.email, &Time::new(now, 0))?;
        let message = format!("{title}\n\n{}\n\nProposal: {id}\n", reason.trim());
        let commit = self.repo.commit(None, &sig, &sig, &message, &new_tree, &[&main])?;
        self.sync_objects(Some(&main_tree), commit)?;
        let branch = format!("refs/heads/proposals/{id}");
        self.repo.reference(&branch, commit, true, "guildhall: proposal")?;
        self.sync_ref(&branch)?;
        proposal.id = id;
        proposal.updated_at = now;
        proposal.files = files;
        proposal.kinds = kinds;
        proposal.commit = commit.to_string();
        proposal.base = main.id().to_string();
        self.save(&proposal)?;
        Ok(proposal)
    }

    /// The next free numeric id, claimed by creating its metadata file exclusively.
    fn allocate_id(&self, p: &Proposal) -> Result<String, ReviewError> {
        let mut next = self.proposals()?.iter().filter_map(|p| p.id.parse::<u64>().ok()).max().unwrap_or(0) + 1;
        loop {
            let id = next.to_string();
            let mut claimed = p.clone();
            claimed.id = id.clone();
            let path = self.meta_path(&id);
            let bytes = serde_json::to_vec_pretty(&record::ProposalRecord::from(&claimed))
                .map_err(|e| durable::io(&path)(std::io::Error::other(e)))?;
            if durable::create_new(&path, &bytes)? {
                return Ok(id);
            }
            next += 1;
        }
    }

    fn kinds_of(
        &self,
        before: &git2::Tree<'_>,
        after: &git2::Tree<'_>,
        files: &[String],
    ) -> Result<Vec<ChangeKind>, ReviewError> {
        let mut kinds = Vec::new();
        for f in files {
            let content = match tree::file(&self.repo, after, f)? {
                Some(c) => Some(c),
                None => tree::file(&self.repo, before, f)?,
            };
            let k = tree::change_kind(f, content.as_deref());
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
        // A guide becoming a policy (or ceasing to be one) needs a policy approver either way.
        for f in files {
            if let Some(c) = tree::file(&self.repo, before, f)? {
                let k = tree::change_kind(f, Some(&c));
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
        }
        kinds.sort();
        Ok(kinds)
    }

    /// Checks that `who` may review `p` (approve, request changes or reject).
    fn check_reviewer(&self, who: &Identity, p: &Proposal, action: &str) -> Result<bool, ReviewError> {
        let rules = self.rules()?;
        let own = who.is(&p.author);
        if own && !rules.allow_self_approval {
            return Err(ReviewError::SelfReview { who: who.name.clone(), action: action.into(), id: p.id.clone() });
        }
        if let Some((kind, roles)) = rules.missing_role(&who.member(), &p.kinds) {
            return Err(ReviewError::Permission {
                who: who.name.clone(),
                action: action.into(),
                kind: Some(kind),
                roles,
            });
        }
        Ok(own)
    }

    /// Sends a proposal back to its author with a comment.
    pub fn request_changes(&self, id: &str, comment: &str) -> Result<Proposal, ReviewError> {
        self.decide(id, comment, "request changes to", Status::ChangesRequested, &[Status::Open])
    }

    /// Rejects a proposal with a comment; it leaves the queue.
    pub fn reject(&self, id: &str, comment: &str) -> Result<Proposal, ReviewError> {
        self.decide(id, comment, "reject", Status::Rejected, &[Status::Open, Status::ChangesRequested])
    }

    fn decide(
        &self,
        id: &str,
        comment: &str,
        action: &str,
        to: Status,
        from: &[Status],
    ) -> Result<Proposal, ReviewError> {
        let who = self.identity()?;
        let mut p = self.proposal(id)?;
        if comment.trim().is_empty() {
            return Err(ReviewError::Invalid(format!("say why when you {action} a proposal")));
        }
        self.check_reviewer(&who, &p, action)?;
        if !from.contains(&p.status) {
            return Err(ReviewError::WrongState { id: p.id, status: p.status, action: action.into() });
        }
        let now = time::now();
        p.status = to;
        p.updated_at = now;
        p.comments.push(Comment {
            by: who.person(),
            at: now,
            action: CommentAction::decision(to),
            text: comment.trim().into(),
        });
        self.save(&p)?;
        Ok(p)
    }

    // ---- publishing ----------------------------------------------------------------------

    /// Approves and publishes a proposal (see the crate documentation). On a conflict with
    /// `main`, or when the merged content would have errors, `main` is left alone and the
    /// proposal goes back to its author with the files named.
    pub fn approve(&self, id: &str, comment: &str) -> Result<Published, ReviewError> {
        let who = self.identity()?;
        let mut p = self.proposal(id)?;
        let self_approved = self.check_reviewer(&who, &p, "approve")?;
        if p.status != Status::Open {
            return Err(ReviewError::WrongState { id: p.id, status: p.status, action: "approve it".into() });
        }
        let main = self.main_commit()?;
        let proposed = self.repo.find_commit(Oid::from_str(&p.commit)?)?;
        let merged = proposed.parent_id(0)? != main.id();
        let tree = if merged {
            let index = self.repo.merge_commits(&main, &proposed, None)?;
            if index.has_conflicts() {
                let mut paths: Vec<String> = index
                    .conflicts()?
                    .filter_map(Result::ok)
                    .filter_map(|c| c.our.or(c.their).or(c.ancestor))
                    .map(|e| String::from_utf8_lossy(&e.path).into_owned())
                    .collect();
                paths.dedup();
                let text = format!("conflicts with main in: {}; revise on the current main", paths.join(", "));
                self.send_back(&mut p, &who, &text)?;
                return Err(ReviewError::Conflict { id: p.id, paths });
            }
            let mut index = index;
            self.repo.find_tree(index.write_tree_to(&self.repo)?)?
        } else {
            proposed.tree()?
        };
        let main_tree = main.tree()?;
        let errors = tree::new_errors(&tree::catalog(&self.repo, &main_tree)?, &tree::catalog(&self.repo, &tree)?);
        if !errors.is_empty() {
            let text = format!(
                "merged with the current main it has errors: {}",
                errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
            );
            self.send_back(&mut p, &who, &text)?;
            return Err(ReviewError::Content { diagnostics: errors });
        }
        let files = tree::changed_paths(&main_tree, &tree)?;
        self.check_work_tree(&main_tree, &tree, Some(&proposed.tree()?), &files)?;

        let now = time::now();
        let mut message = format!("{}\n\n", p.title);
        if !p.reason.is_empty() {
            message.push_str(&p.reason);
            message.push_str("\n\n");
        }
        message.push_str(&format!(
            "Requested-by: {}\nApproved-by: {}\nReviewed-on: {}\nProposal: {}\n",
            p.author,
            who.person(),
            rfc3339(now),
            p.id
        ));
        if self_approved {
            message.push_str("Self-approved: yes\n");
        }
        let author = Signature::new(&p.author.name, &p.author.email, &Time::new(p.updated_at, 0))?;
        let committer = Signature::new(&who.name, &who.email, &Time::new(now, 0))?;
        let parents: Vec<&Commit<'_>> = if merged { vec![&main, &proposed] } else { vec![&main] };
        let commit = self.repo.commit(None, &author, &committer, &message, &tree, &parents)?;
        self.sync_objects(Some(&main_tree), commit)?;
        fault("objects");

        p.pending = Some(Pending {
            commit: commit.to_string(),
            previous: main.id().to_string(),
            approver: who.person(),
            self_approved,
            comment: comment.trim().to_string(),
        });
        self.save(&p)?;
        fault("pending");
        match self.repo.reference_matching(
            MAIN,
            commit,
            true,
            main.id(),
            &format!("guildhall: publish proposal {}", p.id),
        ) {
            Ok(_) => {}
            Err(e) if e.code() == ErrorCode::Modified || e.code() == ErrorCode::Locked => {
                p.pending = None;
                self.save(&p)?;
                return Err(ReviewError::MainMoved);
            }
            Err(e) => return Err(e.into()),
        }
        self.sync_ref(MAIN)?;
        fault("main");
        self.finish(&mut p)?;
        Ok(Published { commit: commit.to_string(), merged, files, self_approved })
    }

    fn send_back(&self, p: &mut Proposal, who: &Identity, text: &str) -> Result<(), ReviewError> {
        let now = time::now();
        p.status = Status::ChangesRequested;
        p.updated_at = now;
        p.comments.push(Comment { by: who.person(), at: now, action: CommentAction::SentBack, text: text.into() });
        self.save(p)
    }

    /// Completes a publish whose `main` update happened: updates the work tree and marks the
    /// proposal approved.
    fn finish(&self, p: &mut Proposal) -> Result<(), ReviewError> {
        let Some(pending) = p.pending.take() else { return Ok(()) };
        let old = self.repo.find_commit(Oid::from_str(&pending.previous)?)?.tree()?;
        let new_commit = self.repo.find_commit(Oid::from_str(&pending.commit)?)?;
        let new = new_commit.tree()?;
        let proposed =
            Oid::from_str(&p.commit).ok().and_then(|c| self.repo.find_commit(c).ok()).and_then(|c| c.tree().ok());
        let files = tree::changed_paths(&old, &new)?;
        self.update_work_tree(&old, &new, proposed.as_ref(), &files)?;
        fault("worktree");
        let now = time::now();
        p.status = Status::Approved;
        p.updated_at = now;
        p.published = Some(pending.commit.clone());
        let action = if pending.self_approved { CommentAction::SelfApproved } else { CommentAction::Approved };
        p.comments.push(Comment { by: pending.approver, at: now, action, text: pending.comment });
        self.save(p)
    }

    /// Finishes or forgets publishes interrupted by a crash: if `main` reached the pending commit
    /// the proposal is approved, else it is left as it was.
    fn recover(&self) -> Result<(), ReviewError> {
        let main = self.main_commit()?.id();
        for mut p in self.proposals()? {
            let Some(pending) = p.pending.clone() else { continue };
            let commit = Oid::from_str(&pending.commit)?;
            if main == commit || self.repo.graph_descendant_of(main, commit)? {
                self.finish(&mut p)?;
            } else {
                p.pending = None;
                self.save(&p)?;
            }
        }
        Ok(())
    }

    /// Whether HEAD is `main`, so that the work tree shows the published content.
    fn work_tree_follows_main(&self) -> bool {
        self.repo.find_reference("HEAD").ok().and_then(|h| h.symbolic_target().map(|t| t == MAIN)).unwrap_or(false)
    }

    /// Refuses when a changed file has uncommitted edits: its work-tree content is none of the
    /// old published, the new published or the proposed version (all of which git keeps).
    fn check_work_tree(
        &self,
        old: &git2::Tree<'_>,
        new: &git2::Tree<'_>,
        proposed: Option<&git2::Tree<'_>>,
        files: &[String],
    ) -> Result<(), ReviewError> {
        if !self.work_tree_follows_main() {
            return Ok(());
        }
        let mut dirty = Vec::new();
        for f in files {
            if !self.work_file_is_safe(old, new, proposed, f)? {
                dirty.push(f.clone());
            }
        }
        if dirty.is_empty() { Ok(()) } else { Err(ReviewError::DirtyWorkTree { paths: dirty }) }
    }

    fn work_file_is_safe(
        &self,
        old: &git2::Tree<'_>,
        new: &git2::Tree<'_>,
        proposed: Option<&git2::Tree<'_>>,
        f: &str,
    ) -> Result<bool, ReviewError> {
        let current = match self.read_work_file(f) {
            Ok(c) => c,
            Err(ReviewError::Invalid(_)) => return Ok(false),
            Err(e) => return Err(e),
        };
        let mut known = vec![tree::file(&self.repo, old, f)?, tree::file(&self.repo, new, f)?];
        if let Some(p) = proposed {
            known.push(tree::file(&self.repo, p, f)?);
        }
        Ok(known.contains(&current))
    }

    /// Writes the new published content of `files` into the work tree and git's index, skipping
    /// (never overwriting) any file with uncommitted edits.
    fn update_work_tree(
        &self,
        old: &git2::Tree<'_>,
        new: &git2::Tree<'_>,
        proposed: Option<&git2::Tree<'_>>,
        files: &[String],
    ) -> Result<(), ReviewError> {
        if !self.work_tree_follows_main() {
            return Ok(());
        }
        let mut index = self.repo.index()?;
        for f in files {
            if !self.work_file_is_safe(old, new, proposed, f)? {
                continue;
            }
            let path = self.root.join(f);
            match tree::file(&self.repo, new, f)? {
                Some(bytes) => {
                    durable::write_atomic(&path, &bytes)?;
                    index.add_path(Path::new(f))?;
                }
                None => {
                    match std::fs::remove_file(&path) {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(durable::io(&path)(e)),
                    }
                    let _ = index.remove_path(Path::new(f));
                }
            }
        }
        index.write()?;
        Ok(())
    }

    // ---- durability ----------------------------------------------------------------------

    /// Flushes the loose objects a new commit added (its commit object and every tree and blob
    /// that `base` does not share), so that no ref can outlive the objects it names.
    fn sync_objects(&self, base: Option<&git2::Tree<'_>>, commit: Oid) -> Result<(), ReviewError> {
        let c = self.repo.find_commit(commit)?;
        let mut ids = vec![commit, c.tree_id()];
        let new = c.tree()?;
        self.collect_new(base, &new, &mut ids)?;
        let objects = self.repo.path().join("objects");
        let mut dirs = std::collections::BTreeSet::new();
        for id in ids {
            let hex = id.to_string();
            let dir = objects.join(&hex[..2]);
            durable::sync_file(&dir.join(&hex[2..]))?;
            dirs.insert(dir);
        }
        for d in dirs {
            if d.exists() {
                durable::sync_dir(&d)?;
            }
        }
        Ok(())
    }

    fn collect_new(
        &self,
        base: Option<&git2::Tree<'_>>,
        new: &git2::Tree<'_>,
        ids: &mut Vec<Oid>,
    ) -> Result<(), ReviewError> {
        for entry in new.iter() {
            let name = entry.name().unwrap_or_default();
            let old = base.and_then(|b| b.get_name(name)).map(|e| e.id());
            if old == Some(entry.id()) {
                continue;
            }
            ids.push(entry.id());
            if entry.kind() == Some(git2::ObjectType::Tree) {
                let sub = self.repo.find_tree(entry.id())?;
                let old_sub = old.and_then(|o| self.repo.find_tree(o).ok());
                self.collect_new(old_sub.as_ref(), &sub, ids)?;
            }
        }
        Ok(())
    }

    fn sync_ref(&self, name: &str) -> Result<(), ReviewError> {
        let path = self.repo.path().join(name);
        durable::sync_file(&path)?;
        if let Some(dir) = path.parent() {
            durable::sync_dir(dir)?;
        }
        Ok(())
    }

    // ---- history -------------------------------------------------------------------------

    /// The published path of a document id or path.
    pub fn resolve(&self, doc: &str) -> Result<String, ReviewError> {
        let main_tree = self.main_commit()?.tree()?;
        if tree::entry_id(&main_tree, doc).is_some() {
            return Ok(doc.to_string());
        }
        let catalog = tree::catalog(&self.repo, &main_tree)?;
        if let Some(d) = catalog.get(doc) {
            return Ok(d.path.clone());
        }
        // A deleted document still has a history: look for its path in the past.
        for c in self.first_parent_commits()? {
            if tree::entry_id(&c.tree()?, doc).is_some() {
                return Ok(doc.to_string());
            }
        }
        Err(ReviewError::UnknownDocument(doc.to_string()))
    }

    fn first_parent_commits(&self) -> Result<Vec<Commit<'_>>, ReviewError> {
        let mut walk = self.repo.revwalk()?;
        walk.push_ref(MAIN)?;
        walk.simplify_first_parent()?;
        walk.map(|id| Ok(self.repo.find_commit(id?)?)).collect()
    }

    /// Every published version of a document (by id or path), newest first.
    pub fn history(&self, doc: &str) -> Result<Vec<Version>, ReviewError> {
        self.identity()?;
        let path = self.resolve(doc)?;
        let mut out = Vec::new();
        for c in self.first_parent_commits()? {
            let now = tree::entry_id(&c.tree()?, &path);
            let before = match c.parent(0) {
                Ok(p) => tree::entry_id(&p.tree()?, &path),
                Err(_) => None,
            };
            if now != before {
                let change = FileChangeKind::of(before.is_some(), now.is_some());
                out.push(version(&c, change.into()));
            }
        }
        Ok(out)
    }

    /// A unified line diff of one document between two versions (commits or revisions such as
    /// `main~2`); `to` defaults to `main`.
    pub fn diff(&self, doc: &str, from: &str, to: Option<&str>) -> Result<String, ReviewError> {
        self.identity()?;
        let path = self.resolve(doc)?;
        let a = self.file_at(from, &path)?.unwrap_or_default();
        let b = self.file_at(to.unwrap_or(MAIN), &path)?.unwrap_or_default();
        let mut patch = git2::Patch::from_buffers(&a, Some(Path::new(&path)), &b, Some(Path::new(&path)), None)?;
        Ok(String::from_utf8_lossy(&patch.to_buf()?).into_owned())
    }

    fn file_at(&self, rev: &str, path: &str) -> Result<Option<Vec<u8>>, ReviewError> {
        let commit = self
            .repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|_| ReviewError::UnknownVersion(rev.to_string()))?;
        tree::file(&self.repo, &commit.tree()?, path)
    }

    /// Restores a document to an earlier version. By default this is a new proposal, reviewed
    /// like any other; `direct` (admins only) publishes at once with a `Rolled-back-by:` trailer.
    pub fn rollback(&self, doc: &str, version: &str, reason: &str, direct: bool) -> Result<Rollback, ReviewError> {
        let who = self.identity()?;
        let path = self.resolve(doc)?;
        let old = self.file_at(version, &path)?;
        let short: String = version.chars().take(12).collect();
        let title = format!("Roll back {path} to {short}");
        if !direct {
            return Ok(Rollback::Proposed(Box::new(self.propose_changes(vec![(path, old)], &title, reason, None)?)));
        }
        if !who.roles.iter().any(|r| r == "admin") {
            return Err(ReviewError::Permission {
                who: who.name.clone(),
                action: "roll back directly".into(),
                kind: None,
                roles: vec!["admin".into()],
            });
        }
        let main = self.main_commit()?;
        let main_tree = main.tree()?;
        let tree = self.repo.find_tree(tree::with_files(&self.repo, &main_tree, &[(path.clone(), old)])?)?;
        let files = tree::changed_paths(&main_tree, &tree)?;
        if files.is_empty() {
            return Err(ReviewError::NoChanges);
        }
        let errors = tree::new_errors(&tree::catalog(&self.repo, &main_tree)?, &tree::catalog(&self.repo, &tree)?);
        if !errors.is_empty() {
            return Err(ReviewError::Content { diagnostics: errors });
        }
        self.check_work_tree(&main_tree, &tree, None, &files)?;
        let now = time::now();
        let message = format!(
            "{title}\n\n{}\n\nRolled-back-by: {}\nReviewed-on: {}\n",
            if reason.trim().is_empty() { "Rolled back directly by an admin." } else { reason.trim() },
            who.person(),
            rfc3339(now)
        );
        let sig = Signature::new(&who.name, &who.email, &Time::new(now, 0))?;
        let commit = self.repo.commit(None, &sig, &sig, &message, &tree, &[&main])?;
        self.sync_objects(Some(&main_tree), commit)?;
        self.repo
            .reference_matching(MAIN, commit, true, main.id(), "guildhall: direct rollback")
            .map_err(|e| if e.code() == ErrorCode::Modified { ReviewError::MainMoved } else { e.into() })?;
        self.sync_ref(MAIN)?;
        self.update_work_tree(&main_tree, &tree, None, &files)?;
        Ok(Rollback::Published(Published { commit: commit.to_string(), merged: false, files, self_approved: false }))
    }

    /// Every published change on `main`, newest first.
    pub fn changelog(&self, filter: &ChangelogFilter) -> Result<Vec<ChangelogEntry>, ReviewError> {
        self.identity()?;
        let person = filter.person.as_ref().map(|p| p.to_lowercase());
        let mut out = Vec::new();
        for c in self.first_parent_commits()? {
            let v = version(&c, VersionChange::Published);
            if v.proposal.is_none() && v.rolled_back_by.is_none() {
                continue;
            }
            if let Some(p) = &person {
                let hit = [&v.requested_by, &v.approved_by, &v.rolled_back_by]
                    .iter()
                    .any(|s| s.as_ref().is_some_and(|s| s.to_lowercase().contains(p)));
                if !hit {
                    continue;
                }
            }
            let new = c.tree()?;
            let old = match c.parent(0) {
                Ok(p) => p.tree()?,
                Err(_) => self.repo.find_tree(self.repo.treebuilder(None)?.write()?)?,
            };
            let files = tree::changed_paths(&old, &new)?;
            let kinds = self.kinds_of(&old, &new, &files)?;
            if filter.kind.is_some_and(|k| !kinds.contains(&k)) {
                continue;
            }
            let lead_time_secs =
                v.proposal.as_ref().map(|_| c.committer().when().seconds() - c.author().when().seconds());
            out.push(ChangelogEntry { version: v, files, kinds, lead_time_secs });
        }
        Ok(out)
    }
}

/// What [`Review::rollback`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Rollback {
    /// A proposal awaiting review.
    Proposed(Box<Proposal>),
    /// Published at once by an admin.
    Published(Published),
}

fn version(c: &Commit<'_>, change: VersionChange) -> Version {
    let message = c.message().unwrap_or_default();
    let mut v = Version {
        commit: c.id().to_string(),
        title: c.summary().unwrap_or_default().to_string(),
        reason: String::new(),
        change,
        published_at: rfc3339(c.committer().when().seconds()),
        published_unix: c.committer().when().seconds(),
        requested_by: None,
        approved_by: None,
        reviewed_on: None,
        proposal: None,
        self_approved: false,
        rolled_back_by: None,
    };
    if let Ok(trailers) = git2::message_trailers_strs(message) {
        for (k, val) in trailers.iter() {
            let val = Some(val.to_string());
            match k {
                "Requested-by" => v.requested_by = val,
                "Approved-by" => v.approved_by = val,
                "Reviewed-on" => v.reviewed_on = val,
                "Proposal" => v.proposal = val,
                "Self-approved" => v.self_approved = val.as_deref() == Some("yes"),
                "Rolled-back-by" => v.rolled_back_by = val,
                _ => {}
            }
        }
    }
    // The body between the summary and the trailer block.
    let body = c.body().unwrap_or_default();
    let paragraphs: Vec<&str> = body.split("\n\n").collect();
    let reason_parts: Vec<&str> = paragraphs
        .iter()
        .copied()
        .filter(|para| {
            !para.lines().all(|l| l.split_once(": ").is_some_and(|(k, _)| !k.contains(' ') && !k.is_empty()))
        })
        .collect();
    v.reason = reason_parts.join("\n\n").trim().to_string();
    v
}

/// Test hook: see [`FAULT_ENV`].
fn fault(step: &str) {
    if let Some(ms) = std::env::var(DELAY_ENV).ok().and_then(|v| v.parse::<u64>().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    if std::env::var(FAULT_ENV).is_ok_and(|v| v == step) {
        std::process::abort();
    }
}
