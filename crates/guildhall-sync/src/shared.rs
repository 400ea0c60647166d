//! Proposals on a shared hub: their branches and their metadata travel, and approvals land on
//! the remote's `main`.
//!
//! - Proposal branches (`proposals/<id>`) are sent through the outbox (`Action::PushBranch`); after
//!   a fetch the local ones follow the remote's (created, or fast-forwarded when behind).
//! - The metadata log (`guildhall/proposals`, one commit per event, each adding one new file) is
//!   synced as a union, like the event log: local commits the remote lacks are re-applied on the
//!   fetched log and pushed as a fast-forward, fetching and retrying when another clone pushed
//!   first. It is pushed only after the outbox's branches, so a clone never sees metadata about a
//!   proposal commit it cannot fetch.
//! - [`publish_main`] lands an approval: fetch, fast-forward the local `main`, let the caller
//!   build the publishing commit on the remote's `main` (in memory: the review crate), push it as
//!   a fast-forward, and on a refusal because `main` moved, fetch and build again (bounded). The
//!   local `main` moves only once the remote holds the commit, by the same fast-forward as a sync.
//!   An approval made while the remote is unreachable waits in the outbox (`Action::Approve`).

use std::path::Path;

use git2::{Oid, Repository, Sort};

use crate::lock::SyncGuard;
use crate::outbox::{Action, Entry, Outbox};
use crate::reader::{MainUpdate, update_main};
use crate::{Auth, MAIN, REMOTE_MAIN, SyncError};

/// The proposal metadata log (the review crate writes it).
pub const PROPOSALS_META: &str = "refs/heads/guildhall/proposals";
/// The remote's metadata log as last fetched.
pub const REMOTE_PROPOSALS_META: &str = "refs/remotes/origin/guildhall/proposals";
/// Where the publishing commit waits while it is pushed (libgit2 pushes from a ref).
const PUBLISHING: &str = "refs/guildhall/publishing";
/// How many times an approval is built and pushed again when `main` moved on the remote.
pub const PUBLISH_ATTEMPTS: u32 = 5;
/// How many times the metadata log is pushed again when another clone pushed first.
pub const META_ATTEMPTS: u32 = 8;

/// Why [`publish_main`] did not publish: the transport, or the caller's build step.
#[derive(Debug)]
pub enum PublishError<E> {
    Sync(SyncError),
    Build(E),
}

impl<E> From<SyncError> for PublishError<E> {
    fn from(e: SyncError) -> Self {
        PublishError::Sync(e)
    }
}

impl<E> From<git2::Error> for PublishError<E> {
    fn from(e: git2::Error) -> Self {
        PublishError::Sync(e.into())
    }
}

/// What [`publish_main`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MainPublished {
    /// The new `main`, on the remote and locally.
    pub commit: String,
    /// Builds and pushes (more than one when `main` moved meanwhile).
    pub attempts: u32,
    /// How the local `main` followed.
    pub main: MainUpdate,
}

/// Whether the hub at `root` is a clone of a shared hub (has the remote `origin`).
pub fn has_remote(root: &Path) -> bool {
    Repository::open(root).is_ok_and(|r| r.find_remote(crate::REMOTE).is_ok())
}

/// Queues `action` in the outbox of the hub at `root` (durably, before returning).
pub fn queue(root: &Path, action: Action) -> Result<Entry, SyncError> {
    let repo = Repository::open(root)?;
    Outbox::of(&repo).add(action)
}

/// The outbox of the hub at `root`.
pub fn outbox_at(root: &Path) -> Result<Outbox, SyncError> {
    Ok(Outbox::of(&Repository::open(root)?))
}

/// The remote's `main` as last fetched.
pub fn remote_main(root: &Path) -> Result<Option<String>, SyncError> {
    Ok(Repository::open(root)?.refname_to_id(REMOTE_MAIN).ok().map(|o| o.to_string()))
}

/// Publishes a commit that `build` makes on the remote's `main` (given as a hex id; it returns
/// the new commit's id): see the module documentation.
pub fn publish_main<E>(
    root: &Path,
    auth: &Auth,
    mut build: impl FnMut(&str) -> Result<String, E>,
) -> Result<MainPublished, PublishError<E>> {
    let repo = Repository::open(root)?;
    let _guard = SyncGuard::acquire(repo.path())?;
    for attempt in 1..=PUBLISH_ATTEMPTS {
        crate::fetch(&repo, auth)?;
        update_main(&repo)?;
        track_proposal_branches(&repo)?;
        let incoming = repo.refname_to_id(REMOTE_PROPOSALS_META).ok();
        union_onto(&repo, PROPOSALS_META, incoming)?;
        let onto = repo
            .refname_to_id(REMOTE_MAIN)
            .map_err(|_| SyncError::Invalid("the shared hub has no `main` yet: nothing to publish onto".into()))?;
        let commit = Oid::from_str(&build(&onto.to_string()).map_err(PublishError::Build)?)?;
        repo.reference(PUBLISHING, commit, true, "guildhall: publishing")?;
        crate::step_delay();
        let pushed = crate::push(&repo, auth, &[format!("{PUBLISHING}:{MAIN}")]);
        if let Ok(mut r) = repo.find_reference(PUBLISHING) {
            let _ = r.delete();
        }
        match pushed {
            Ok(_) => {
                repo.reference(REMOTE_MAIN, commit, true, "guildhall: published")?;
                let main = update_main(&repo)?;
                return Ok(MainPublished { commit: commit.to_string(), attempts: attempt, main });
            }
            Err(SyncError::Contended { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(SyncError::Contended { refname: MAIN.into(), attempts: PUBLISH_ATTEMPTS }.into())
}

/// Syncs the metadata log of the hub at `root` (under the sync lock; fetches first).
pub fn sync_meta_at(root: &Path, auth: &Auth) -> Result<usize, SyncError> {
    let repo = Repository::open(root)?;
    let _guard = SyncGuard::acquire(repo.path())?;
    crate::fetch(&repo, auth)?;
    sync_meta(&repo, auth)
}

/// Local proposal branches follow the fetched ones: created when missing, fast-forwarded when
/// behind; a local branch ahead (a revision not sent yet) is left for the outbox.
pub(crate) fn track_proposal_branches(repo: &Repository) -> Result<(), SyncError> {
    let mut remote = Vec::new();
    for r in repo.references_glob("refs/remotes/origin/proposals/*")? {
        let r = r?;
        if let (Some(name), Some(target)) = (r.name(), r.target()) {
            remote.push((name.replacen("refs/remotes/origin/", "refs/heads/", 1), target));
        }
    }
    for (branch, target) in remote {
        match repo.refname_to_id(&branch) {
            Err(_) => {
                repo.reference(&branch, target, false, "guildhall: proposal from the hub")?;
                crate::durable::sync_objects_and_ref(repo, &[], &branch)?;
            }
            Ok(local) if local != target && repo.graph_descendant_of(target, local)? => {
                repo.reference_matching(&branch, target, true, local, "guildhall: proposal revised on the hub")?;
                crate::durable::sync_objects_and_ref(repo, &[], &branch)?;
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// Re-applies the local metadata commits the remote lacks on the fetched log and pushes it;
/// returns how many commits were sent.
pub(crate) fn sync_meta(repo: &Repository, auth: &Auth) -> Result<usize, SyncError> {
    for attempt in 1..=META_ATTEMPTS {
        if attempt > 1 {
            crate::fetch(repo, auth)?;
        }
        let incoming = repo.refname_to_id(REMOTE_PROPOSALS_META).ok();
        let tip = union_onto(repo, PROPOSALS_META, incoming)?;
        let Some(tip) = tip.filter(|t| Some(*t) != incoming) else { return Ok(0) };
        match crate::push(repo, auth, &[format!("{PROPOSALS_META}:{PROPOSALS_META}")]) {
            Ok(_) => {
                let sent = ahead(repo, tip, incoming);
                repo.reference(REMOTE_PROPOSALS_META, tip, true, "guildhall: proposal metadata pushed")?;
                return Ok(sent);
            }
            Err(SyncError::Contended { .. }) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(SyncError::Contended { refname: PROPOSALS_META.into(), attempts: META_ATTEMPTS })
}

/// Metadata commits this clone has that the fetched remote log lacks (waiting to be sent).
pub(crate) fn meta_waiting(repo: &Repository) -> usize {
    match repo.refname_to_id(PROPOSALS_META) {
        Ok(local) => ahead(repo, local, repo.refname_to_id(REMOTE_PROPOSALS_META).ok()),
        Err(_) => 0,
    }
}

/// How many commits `tip` has that `base` does not.
fn ahead(repo: &Repository, tip: Oid, base: Option<Oid>) -> usize {
    let Ok(mut walk) = repo.revwalk() else { return 0 };
    if walk.push(tip).is_err() || base.is_some_and(|b| walk.hide(b).is_err()) {
        return 0;
    }
    walk.count()
}

/// Makes the local branch `local_ref` the union of itself and `incoming`: fast-forwarded when
/// behind, else its own commits (each adding new files) re-applied on top of `incoming`, skipping
/// files `incoming` already has. Returns the new local tip.
pub(crate) fn union_onto(repo: &Repository, local_ref: &str, incoming: Option<Oid>) -> Result<Option<Oid>, SyncError> {
    let local = repo.refname_to_id(local_ref).ok();
    let (Some(local), Some(inc)) = (local, incoming) else {
        if let (None, Some(inc)) = (local, incoming) {
            repo.reference(local_ref, inc, false, "guildhall: log from the hub")?;
            crate::durable::sync_objects_and_ref(repo, &[], local_ref)?;
        }
        return Ok(local.or(incoming));
    };
    if local == inc || repo.graph_descendant_of(local, inc)? {
        return Ok(Some(local));
    }
    if repo.graph_descendant_of(inc, local)? {
        repo.reference_matching(local_ref, inc, true, local, "guildhall: log fast-forward")?;
        crate::durable::sync_objects_and_ref(repo, &[], local_ref)?;
        return Ok(Some(inc));
    }
    let mut walk = repo.revwalk()?;
    walk.push(local)?;
    walk.hide(inc)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let mut base = repo.find_commit(inc)?;
    let mut written = Vec::new();
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        if commit.parent_count() > 1 {
            continue;
        }
        let old = commit.parent(0).ok().map(|p| p.tree()).transpose()?;
        let diff = repo.diff_tree_to_tree(old.as_ref(), Some(&commit.tree()?), None)?;
        let mut tree = base.tree()?;
        for delta in diff.deltas() {
            let Some(path) = delta.new_file().path() else { continue };
            if delta.status() != git2::Delta::Added || tree.get_path(path).is_ok() {
                continue;
            }
            tree = repo.find_tree(with_file(repo, &tree, path, delta.new_file().id())?)?;
        }
        if tree.id() == base.tree_id() {
            continue;
        }
        let message = commit.message().unwrap_or_default().to_owned();
        let new = repo.commit(None, &commit.author(), &commit.committer(), &message, &tree, &[&base])?;
        written.push(new);
        base = repo.find_commit(new)?;
    }
    repo.reference_matching(local_ref, base.id(), true, local, "guildhall: local log re-applied on the hub's")?;
    crate::durable::sync_objects_and_ref(repo, &written, local_ref)?;
    Ok(Some(base.id()))
}

/// `tree` with the blob `blob` at `path` (folders created as needed).
fn with_file(repo: &Repository, tree: &git2::Tree<'_>, path: &Path, blob: Oid) -> Result<Oid, SyncError> {
    let mut parts = path.iter().map(|p| p.to_string_lossy().into_owned()).collect::<Vec<_>>();
    let name = parts.pop().unwrap_or_default();
    fn insert(
        repo: &Repository,
        tree: Option<&git2::Tree<'_>>,
        dirs: &[String],
        name: &str,
        blob: Oid,
    ) -> Result<Oid, SyncError> {
        let mut builder = repo.treebuilder(tree)?;
        match dirs.split_first() {
            None => {
                builder.insert(name, blob, 0o100644)?;
            }
            Some((first, rest)) => {
                let sub = tree.and_then(|t| t.get_name(first)).and_then(|e| repo.find_tree(e.id()).ok());
                let oid = insert(repo, sub.as_ref(), rest, name, blob)?;
                builder.insert(first, oid, 0o040000)?;
            }
        }
        Ok(builder.write()?)
    }
    insert(repo, Some(tree), &parts, &name, blob)
}
