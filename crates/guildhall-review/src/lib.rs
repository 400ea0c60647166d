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
//! Proposal ids are ULIDs (unique without coordination, so proposals travel between clones);
//! any unique prefix of [`MIN_PREFIX`] characters or more names one. Proposal metadata (title,
//! reason, author, status, comments, revisions) is an append-only log of events on the branch
//! [`META_BRANCH`] (see `meta.rs`): it travels with the repository, never enters a published tree,
//! and two people acting at once never conflict.

use std::path::{Path, PathBuf};

use git2::{Commit, ErrorCode, Repository, RepositoryInitOptions, Signature};
use guildhall_content::{CONFIG_FILE, Diagnostic, HubConfig, Member};
use serde::{Deserialize, Serialize};

mod approval;
mod durable;
mod history;
mod meta;
mod proposals;
mod publish;
mod rail;
mod record;
mod rules;
mod time;
mod tree;

pub use meta::META_BRANCH;
pub use rail::{Deletions, MASS_DELETION_PERCENT};
pub use record::{CommentAction, FileChangeKind, VersionChange};
pub use rules::{ChangeKind, ReviewRules};
pub use time::rfc3339;

/// The published branch.
pub const MAIN: &str = "refs/heads/main";
/// Where earlier versions kept proposal metadata, inside the repository's `.git` folder (read
/// once, to import it into the log on [`META_BRANCH`]).
const META_DIR: &str = "guildhall/proposals";
/// The shortest id prefix that names a proposal.
pub const MIN_PREFIX: usize = 6;
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
    /// An id prefix that several proposals share.
    #[error("`{prefix}` names {} proposals; give more of the id:\n{}", candidates.len(), candidates.join("\n"))]
    AmbiguousProposal { prefix: String, candidates: Vec<String> },
    /// The proposal was revised after the reviewer saw it.
    #[error("proposal {id} changed since you reviewed it (now at {now}); review it again")]
    ProposalChanged { id: String, now: String },
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
    /// The proposal deletes more than a tenth of the hub's documents and nobody confirmed it.
    #[error(
        "proposal {id} deletes {deleted} of the hub's {published} documents (more than {pct}%): an admin must confirm \
         it (the CLI's `--confirm-deletions`, or Confirm in the app) before it is published",
        pct = rail::MASS_DELETION_PERCENT
    )]
    MassDeletion { id: String, deleted: usize, published: usize },
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
    /// Queued offline (the hub could not be reached): `commit` is empty; the next sync publishes it.
    pub queued: bool,
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
        Ok(Review::open_or_init(root, true)?.expect("initialised when missing"))
    }

    /// Opens the repository of the hub in `root` like [`Review::open`], but never initialises
    /// one: `None` for a folder that is not under git. Reads (the review queue, the changelog,
    /// the identity) use this, so browsing a plain folder never turns it into a repository.
    pub fn open_existing(root: &Path) -> Result<Option<Review>, ReviewError> {
        Review::open_or_init(root, false)
    }

    fn open_or_init(root: &Path, init: bool) -> Result<Option<Review>, ReviewError> {
        // Two requests opening a folder that is not under git yet (a server's first screens ask
        // for the changelog and the review queue at once) must not both initialise it.
        static OPENING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one_at_a_time = OPENING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
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
                if !init {
                    return Ok(None);
                }
                let mut opts = RepositoryInitOptions::new();
                opts.initial_head("main");
                Repository::init_opts(&root, &opts)?
            }
            Err(e) => return Err(e.into()),
        };
        let review = Review { repo, root };
        review.ensure_main()?;
        review.migrate_legacy()?;
        review.recover()?;
        Ok(Some(review))
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
        match self.repo.reference(MAIN, oid, false, "guildhall: initial content") {
            // Another process created `main` meanwhile: that one stands.
            Err(e) if e.code() == ErrorCode::Exists => return Ok(()),
            r => r?,
        };
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
        identity_of(&self.repo.config()?, &self.published_config()?, &self.root)
    }
}

/// The identity in a hub folder that is not under git yet: the person's global git user,
/// matched against the members of the folder's own `guildhall.toml` (which is what `main` will
/// hold once the folder is initialised by the first proposal).
pub fn identity_outside_git(root: &Path) -> Result<Identity, ReviewError> {
    identity_of(&git2::Config::open_default()?, &work_tree_config(root)?, root)
}

/// The hub settings of a folder that is not under git yet, read from its work tree (defaults
/// when there is no `guildhall.toml`).
pub fn work_tree_config(root: &Path) -> Result<HubConfig, ReviewError> {
    match std::fs::read_to_string(root.join(CONFIG_FILE)) {
        Ok(text) => {
            let (config, diags) = HubConfig::parse(&text);
            match diags.iter().find(|d| d.is_error()) {
                Some(d) => Err(ReviewError::Config(d.to_string())),
                None => Ok(config),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HubConfig::default()),
        Err(e) => Err(ReviewError::Io { path: root.join(CONFIG_FILE), source: e }),
    }
}

fn identity_of(config: &git2::Config, hub: &HubConfig, root: &Path) -> Result<Identity, ReviewError> {
    let name = config.get_string("user.name").ok().filter(|s| !s.trim().is_empty());
    let email = config.get_string("user.email").ok().filter(|s| !s.trim().is_empty());
    let (name, email) = match (name, email) {
        (Some(n), Some(e)) => (n, e),
        _ => return Err(ReviewError::NoIdentity { hub: root.to_path_buf() }),
    };
    let members = &hub.members;
    let member = members
        .iter()
        .find(|m| !m.email.is_empty() && m.email.eq_ignore_ascii_case(&email))
        .or_else(|| members.iter().find(|m| m.email.is_empty() && m.name == name));
    match member {
        Some(m) => Ok(Identity { name: m.name.clone(), email, roles: m.roles.clone() }),
        None => Err(ReviewError::NotAMember { name, email, hub: root.to_path_buf() }),
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
