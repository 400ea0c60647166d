//! Moving the local `main` to the remote's: a fast-forward, or a rescue of the local work first.
//! Never a merge into `main`, never a lost edit.

use std::collections::BTreeSet;

use git2::build::CheckoutBuilder;
use git2::{Oid, Repository, Status, StatusOptions};

use crate::{MAIN, REMOTE_MAIN, SyncError};

/// What [`update_main`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum MainUpdate {
    /// The remote has no `main` yet (an empty hub).
    NoRemoteMain,
    /// `main` already was the remote's.
    UpToDate { commit: String },
    /// `main` moved forward; `files` changed in the work tree.
    FastForwarded { from: String, to: String, files: Vec<String> },
    /// The local `main` held commits the remote does not have: they are kept on `branch`, and
    /// `main` is now the remote's.
    Rescued { branch: String, from: String, to: String, files: Vec<String> },
}

/// Moves `main` to the fetched `refs/remotes/origin/main`.
///
/// - a fast-forward when the local `main` is behind;
/// - when the local `main` has commits the remote lacks (someone committed to it by hand, or an
///   approval was made on this machine only), they are kept on `rescue/<timestamp>` and `main`
///   moves to the remote's. Published history is the remote's; local work is never dropped;
/// - a work-tree file the update would change is left alone, and the update refused with
///   [`SyncError::DirtyFiles`], when the person edited it and the edit is neither identical to
///   the incoming version nor the content of one of their proposals (`refs/heads/proposals/*`).
pub fn update_main(repo: &Repository) -> Result<MainUpdate, SyncError> {
    let Ok(remote) = repo.find_reference(REMOTE_MAIN).and_then(|r| r.peel_to_commit()) else {
        return Ok(MainUpdate::NoRemoteMain);
    };
    let local = repo.find_reference(MAIN).ok().and_then(|r| r.peel_to_commit().ok());
    let Some(local) = local else {
        // A clone without a local main (made by other tools): create it at the remote's.
        let files = switch(repo, None, &remote)?;
        repo.reference(MAIN, remote.id(), false, "guildhall: main from the remote")?;
        crate::durable::sync_objects_and_ref(repo, &[], MAIN)?;
        return Ok(MainUpdate::FastForwarded { from: String::new(), to: remote.id().to_string(), files });
    };
    if local.id() == remote.id() {
        return Ok(MainUpdate::UpToDate { commit: local.id().to_string() });
    }
    if repo.graph_descendant_of(remote.id(), local.id())? {
        let files = switch(repo, Some(&local), &remote)?;
        repo.reference_matching(MAIN, remote.id(), true, local.id(), "guildhall: fast-forward to the remote")?;
        crate::durable::sync_objects_and_ref(repo, &[], MAIN)?;
        return Ok(MainUpdate::FastForwarded { from: local.id().to_string(), to: remote.id().to_string(), files });
    }
    // Diverged (or only ahead): rescue first, then move.
    let files = preflight(repo, Some(&local), &remote)?;
    let branch = rescue_name(repo);
    repo.reference(&format!("refs/heads/{branch}"), local.id(), false, "guildhall: local main kept before sync")?;
    crate::durable::sync_objects_and_ref(repo, &[], &format!("refs/heads/{branch}"))?;
    checkout(repo, &remote, &files)?;
    repo.reference_matching(
        MAIN,
        remote.id(),
        true,
        local.id(),
        "guildhall: main moved to the remote (local work rescued)",
    )?;
    crate::durable::sync_objects_and_ref(repo, &[], MAIN)?;
    Ok(MainUpdate::Rescued { branch, from: local.id().to_string(), to: remote.id().to_string(), files })
}

/// Checks the work tree, then checks out `to` if `main` is checked out. Returns the files that
/// differ between the two commits.
fn switch(repo: &Repository, from: Option<&git2::Commit<'_>>, to: &git2::Commit<'_>) -> Result<Vec<String>, SyncError> {
    let files = preflight(repo, from, to)?;
    checkout(repo, to, &files)?;
    Ok(files)
}

fn main_checked_out(repo: &Repository) -> bool {
    !repo.is_bare()
        && repo.find_reference("HEAD").ok().and_then(|h| h.symbolic_target().map(|t| t == MAIN)).unwrap_or(false)
}

/// The files that differ between `from` and `to`; refuses when one of them holds an edit that
/// would be lost.
fn preflight(
    repo: &Repository,
    from: Option<&git2::Commit<'_>>,
    to: &git2::Commit<'_>,
) -> Result<Vec<String>, SyncError> {
    let old_tree = from.map(|c| c.tree()).transpose()?;
    let new_tree = to.tree()?;
    let diff = repo.diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), None)?;
    let mut changed = BTreeSet::new();
    for delta in diff.deltas() {
        for file in [delta.old_file(), delta.new_file()] {
            if let Some(p) = file.path().and_then(|p| p.to_str()) {
                changed.insert(p.to_owned());
            }
        }
    }
    if !main_checked_out(repo) || changed.is_empty() {
        return Ok(changed.into_iter().collect());
    }
    let mut opts = StatusOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true).include_ignored(false);
    let statuses = repo.statuses(Some(&mut opts))?;
    let workdir = repo.workdir().map(std::path::Path::to_path_buf).unwrap_or_default();
    let mut dirty = Vec::new();
    for entry in statuses.iter() {
        let Some(path) = entry.path() else { continue };
        if !changed.contains(path) || entry.status() == Status::CURRENT || entry.status().contains(Status::IGNORED) {
            continue;
        }
        let on_disk = std::fs::read(workdir.join(path)).ok();
        let wanted = blob_at(repo, &new_tree, path);
        let safe = match (&on_disk, wanted) {
            (None, None) => true,
            (Some(bytes), Some(oid)) if Oid::hash_object(git2::ObjectType::Blob, bytes)? == oid => true,
            (Some(bytes), _) => proposed(repo, path, Oid::hash_object(git2::ObjectType::Blob, bytes)?),
            (None, Some(_)) => false,
        };
        if !safe {
            dirty.push(path.to_owned());
        }
    }
    if !dirty.is_empty() {
        return Err(SyncError::DirtyFiles { files: dirty });
    }
    Ok(changed.into_iter().collect())
}

fn blob_at(repo: &Repository, tree: &git2::Tree<'_>, path: &str) -> Option<Oid> {
    let entry = tree.get_path(std::path::Path::new(path)).ok()?;
    (entry.kind() == Some(git2::ObjectType::Blob)).then(|| entry.id()).filter(|_| repo.find_blob(entry.id()).is_ok())
}

/// Whether `blob` is the content of `path` on one of the local proposal branches.
fn proposed(repo: &Repository, path: &str, blob: Oid) -> bool {
    let Ok(refs) = repo.references_glob("refs/heads/proposals/*") else { return false };
    refs.flatten().any(|r| {
        r.peel_to_tree().ok().and_then(|t| t.get_path(std::path::Path::new(path)).ok()).is_some_and(|e| e.id() == blob)
    })
}

/// Writes the changed files of `to` into the work tree (only those: other edits stay untouched).
fn checkout(repo: &Repository, to: &git2::Commit<'_>, files: &[String]) -> Result<(), SyncError> {
    if !main_checked_out(repo) || files.is_empty() {
        return Ok(());
    }
    let mut co = CheckoutBuilder::new();
    co.force().remove_untracked(false).disable_pathspec_match(true);
    for f in files {
        co.path(f);
    }
    repo.checkout_tree(to.as_object(), Some(&mut co))?;
    Ok(())
}

fn rescue_name(repo: &Repository) -> String {
    let base = format!("rescue/{}", crate::time::compact(crate::time::now()));
    if repo.find_reference(&format!("refs/heads/{base}")).is_err() {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|b| repo.find_reference(&format!("refs/heads/{b}")).is_err())
        .unwrap_or(base)
}
