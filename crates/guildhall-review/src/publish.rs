//! Publishing: approving a proposal, and the one sequence that moves `main` (shared with an
//! admin's direct rollback), finishing or forgetting a publish interrupted by a crash, and
//! keeping the work tree in step with `main` without overwriting uncommitted edits.

use std::path::Path;

use git2::{Commit, ErrorCode, Oid, Signature, Time};

use crate::meta::MetaEvent;
use crate::{
    CommentAction, DELAY_ENV, FAULT_ENV, Identity, MAIN, Pending, Proposal, Published, Review, ReviewError, Status,
    durable, rfc3339, time, tree,
};

impl Review {
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
        let (tree, merged) = self.approval_tree(&mut p, &who, &main, &proposed)?;
        let now = time::now();
        let approval = Pending {
            commit: String::new(),
            previous: String::new(),
            approver: who.person(),
            self_approved,
            comment: comment.trim().to_string(),
        };
        let proposed_tree = proposed.tree()?;
        let (commit, files) = self.publish(
            Publication {
                main: &main,
                tree: &tree,
                merge_of: merged.then_some(&proposed),
                proposed: Some(&proposed_tree),
                author: Signature::new(&p.author.name, &p.author.email, &Time::new(p.updated_at, 0))?,
                committer: Signature::new(&who.name, &who.email, &Time::new(now, 0))?,
                message: approval_message(&p, &who, now, self_approved),
                reflog: format!("guildhall: publish proposal {}", p.id),
            },
            Some((&mut p, approval)),
        )?;
        Ok(Published { commit: commit.to_string(), merged, files, self_approved, queued: false })
    }

    /// The tree an approval of `p` publishes onto `main`: the proposal's own when `main` has not
    /// moved since, else the merge of both. A conflict, or content errors `main` does not have,
    /// sends the proposal back to its author (a `sent-back` event) and is refused.
    pub(crate) fn approval_tree(
        &self,
        p: &mut Proposal,
        who: &Identity,
        main: &Commit<'_>,
        proposed: &Commit<'_>,
    ) -> Result<(git2::Tree<'_>, bool), ReviewError> {
        let merged = proposed.parent_id(0)? != main.id();
        let tree = if merged {
            match self.conflicts(main, proposed)? {
                Err(paths) => {
                    let text = format!("conflicts with main in: {}; revise on the current main", paths.join(", "));
                    self.send_back(p, who, &text)?;
                    return Err(ReviewError::Conflict { id: p.id.clone(), paths });
                }
                Ok(tree) => tree,
            }
        } else {
            self.repo.find_tree(proposed.tree_id())?
        };
        let main_tree = main.tree()?;
        let errors = tree::new_errors(&tree::catalog(&self.repo, &main_tree)?, &tree::catalog(&self.repo, &tree)?);
        if !errors.is_empty() {
            let text = format!(
                "merged with the current main it has errors: {}",
                errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
            );
            self.send_back(p, who, &text)?;
            return Err(ReviewError::Content { diagnostics: errors });
        }
        Ok((tree, merged))
    }

    /// The merge of `main` and `proposed` in memory: its tree, or the conflicting paths.
    pub(crate) fn conflicts(
        &self,
        main: &Commit<'_>,
        proposed: &Commit<'_>,
    ) -> Result<Result<git2::Tree<'_>, Vec<String>>, ReviewError> {
        let mut index = self.repo.merge_commits(main, proposed, None)?;
        if index.has_conflicts() {
            let mut paths: Vec<String> = index
                .conflicts()?
                .filter_map(Result::ok)
                .filter_map(|c| c.our.or(c.their).or(c.ancestor))
                .map(|e| String::from_utf8_lossy(&e.path).into_owned())
                .collect();
            paths.dedup();
            return Ok(Err(paths));
        }
        Ok(Ok(self.repo.find_tree(index.write_tree_to(&self.repo)?)?))
    }

    /// The one sequence that moves `main`, for an approval and for an admin's direct rollback:
    ///
    /// 1. refuse when a changed file has uncommitted edits in the work tree;
    /// 2. write the commit (first parent `main`) and flush its objects to disk;
    /// 3. for an approval, record the publish on the proposal, so that a crash from here on is
    ///    finished or forgotten on the next open ([`Review::recover`]);
    /// 4. move `main` only if it is still where it was: a moved or locked `main` is
    ///    [`ReviewError::MainMoved`] (a refusal: nothing was published, try again) and the
    ///    record is dropped;
    /// 5. bring the work tree up to date, and mark the proposal approved.
    ///
    /// Returns the new commit and the files it changed.
    pub(crate) fn publish(
        &self,
        what: Publication<'_, '_>,
        mut approval: Option<(&mut Proposal, Pending)>,
    ) -> Result<(Oid, Vec<String>), ReviewError> {
        let main_tree = what.main.tree()?;
        let files = tree::changed_paths(&main_tree, what.tree)?;
        self.check_work_tree(&main_tree, what.tree, what.proposed, &files)?;
        let parents: Vec<&Commit<'_>> = std::iter::once(what.main).chain(what.merge_of).collect();
        let commit = self.repo.commit(None, &what.author, &what.committer, &what.message, what.tree, &parents)?;
        self.sync_objects(Some(&main_tree), commit)?;
        fault("objects");

        if let Some((p, pending)) = &mut approval {
            pending.commit = commit.to_string();
            pending.previous = what.main.id().to_string();
            p.pending = Some(pending.clone());
            self.save_pending(&p.id, Some(pending))?;
            fault("pending");
        }
        match self.repo.reference_matching(MAIN, commit, true, what.main.id(), &what.reflog) {
            Ok(_) => {}
            Err(e) if e.code() == ErrorCode::Modified || e.code() == ErrorCode::Locked => {
                if let Some((p, _)) = approval {
                    p.pending = None;
                    self.save_pending(&p.id, None)?;
                }
                return Err(ReviewError::MainMoved);
            }
            Err(e) => return Err(e.into()),
        }
        self.sync_ref(MAIN)?;
        fault("main");
        match approval {
            Some((p, _)) => self.finish(p)?,
            None => self.update_work_tree(&main_tree, what.tree, None, &files)?,
        }
        Ok((commit, files))
    }

    pub(crate) fn send_back(&self, p: &mut Proposal, who: &Identity, text: &str) -> Result<(), ReviewError> {
        self.append_meta(&MetaEvent::new(&p.id, who.person(), CommentAction::SentBack, text))?;
        *p = self.proposal(&p.id)?;
        Ok(())
    }

    /// Completes a publish whose `main` update happened: updates the work tree and marks the
    /// proposal approved.
    pub(crate) fn finish(&self, p: &mut Proposal) -> Result<(), ReviewError> {
        let Some(pending) = p.pending.take() else { return Ok(()) };
        let old = self.repo.find_commit(Oid::from_str(&pending.previous)?)?.tree()?;
        let new_commit = self.repo.find_commit(Oid::from_str(&pending.commit)?)?;
        let new = new_commit.tree()?;
        let proposed =
            Oid::from_str(&p.commit).ok().and_then(|c| self.repo.find_commit(c).ok()).and_then(|c| c.tree().ok());
        let files = tree::changed_paths(&old, &new)?;
        self.update_work_tree(&old, &new, proposed.as_ref(), &files)?;
        fault("worktree");
        let action = if pending.self_approved { CommentAction::SelfApproved } else { CommentAction::Approved };
        let mut event = MetaEvent::new(&p.id, pending.approver, action, &pending.comment);
        event.published = Some(pending.commit.clone());
        self.append_meta(&event)?;
        self.save_pending(&p.id, None)?;
        *p = self.proposal(&p.id)?;
        Ok(())
    }

    /// Finishes or forgets publishes interrupted by a crash: if `main` reached the pending commit
    /// the proposal is approved, else it is left as it was.
    pub(crate) fn recover(&self) -> Result<(), ReviewError> {
        let ids = self.pending_ids()?;
        if ids.is_empty() {
            return Ok(());
        }
        let main = self.main_commit()?.id();
        for id in ids {
            let mut p = match self.proposal(&id) {
                Ok(p) => p,
                Err(ReviewError::UnknownProposal(_)) => {
                    self.save_pending(&id, None)?;
                    continue;
                }
                Err(e) => return Err(e),
            };
            let Some(pending) = p.pending.clone() else { continue };
            let commit = Oid::from_str(&pending.commit)?;
            if main == commit || self.repo.graph_descendant_of(main, commit)? {
                self.finish(&mut p)?;
            } else {
                self.save_pending(&p.id, None)?;
            }
        }
        Ok(())
    }

    /// Whether HEAD is `main`, so that the work tree shows the published content.
    pub(crate) fn work_tree_follows_main(&self) -> bool {
        self.repo.find_reference("HEAD").ok().and_then(|h| h.symbolic_target().map(|t| t == MAIN)).unwrap_or(false)
    }

    /// Refuses when a changed file has uncommitted edits: its work-tree content is none of the
    /// old published, the new published or the proposed version (all of which git keeps).
    pub(crate) fn check_work_tree(
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

    pub(crate) fn work_file_is_safe(
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
    pub(crate) fn update_work_tree(
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

/// A new `main` commit for [`Review::publish`].
pub(crate) struct Publication<'a, 'repo> {
    /// `main` as the publisher read it: the first parent, and what `main` must still be.
    pub main: &'a Commit<'repo>,
    /// The content to publish.
    pub tree: &'a git2::Tree<'repo>,
    /// The second parent of a merge (the proposal, when `main` moved since it was made).
    pub merge_of: Option<&'a Commit<'repo>>,
    /// The proposed content, which the work tree may hold without counting as an edit.
    pub proposed: Option<&'a git2::Tree<'repo>>,
    pub author: Signature<'static>,
    pub committer: Signature<'static>,
    pub message: String,
    /// The reflog entry of the `main` update.
    pub reflog: String,
}

/// The message of a publishing commit: title, reason and the review trailers.
pub(crate) fn approval_message(p: &Proposal, who: &Identity, now: i64, self_approved: bool) -> String {
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
    message
}
