//! Approval on a shared hub: the publishing commit is built in memory on the *remote's* `main`
//! (which a sync layer fetched), never moving the local `main`; the sync layer pushes it as a
//! fast-forward and, once the remote holds it, the approval is recorded in the metadata log.
//! The review crate itself never touches the network.

use git2::{Oid, Signature, Time};

use crate::meta::MetaEvent;
use crate::publish::approval_message;
use crate::{CommentAction, Proposal, Published, Review, ReviewError, Status, time, tree};

impl Review {
    /// Builds the commit that publishes proposal `id` onto the commit `onto` (the remote's
    /// `main`), with the review trailers, and writes its objects; no branch moves. Refused when
    /// the proposal is no longer the `reviewed` commit, when the local identity may not approve
    /// it (roles as published on the local `main`, which the caller has brought up to date), or
    /// when it conflicts with `onto` (it is then sent back to its author).
    pub fn approval_commit(&self, id: &str, reviewed: &str, onto: &str) -> Result<Published, ReviewError> {
        let who = self.identity()?;
        let mut p = self.proposal(id)?;
        let self_approved = self.check_reviewer(&who, &p, "approve")?;
        if p.status != Status::Open {
            return Err(ReviewError::WrongState { id: p.id, status: p.status, action: "approve it".into() });
        }
        if p.commit != reviewed {
            return Err(ReviewError::ProposalChanged { id: p.id, now: p.commit });
        }
        let onto = self.repo.find_commit(Oid::from_str(onto)?)?;
        let proposed = self.repo.find_commit(Oid::from_str(&p.commit)?)?;
        let (tree, merged) = self.approval_tree(&mut p, &who, &onto, &proposed)?;
        let now = time::now();
        let parents: Vec<&git2::Commit<'_>> = std::iter::once(&onto).chain(merged.then_some(&proposed)).collect();
        let author = Signature::new(&p.author.name, &p.author.email, &Time::new(p.updated_at, 0))?;
        let committer = Signature::new(&who.name, &who.email, &Time::new(now, 0))?;
        let message = approval_message(&p, &who, now, self_approved);
        let commit = self.repo.commit(None, &author, &committer, &message, &tree, &parents)?;
        let onto_tree = onto.tree()?;
        self.sync_objects(Some(&onto_tree), commit)?;
        let files = tree::changed_paths(&onto_tree, &tree)?;
        Ok(Published { commit: commit.to_string(), merged, files, self_approved, queued: false })
    }

    /// Whether the local identity may approve proposal `id` as it stands (its roles, the
    /// self-approval rule, its status): the proposal and whether it would be self-approved.
    pub fn check_approval(&self, id: &str) -> Result<(Proposal, bool), ReviewError> {
        let who = self.identity()?;
        let p = self.proposal(id)?;
        let self_approved = self.check_reviewer(&who, &p, "approve")?;
        if p.status != Status::Open {
            return Err(ReviewError::WrongState { id: p.id, status: p.status, action: "approve it".into() });
        }
        Ok((p, self_approved))
    }

    /// Records that `commit` (now on `main`) published proposal `id`, approved by the local
    /// identity with `comment`.
    pub fn record_published(
        &self,
        id: &str,
        commit: &str,
        comment: &str,
        self_approved: bool,
    ) -> Result<Proposal, ReviewError> {
        let who = self.identity()?;
        let p = self.proposal(id)?;
        let action = if self_approved { CommentAction::SelfApproved } else { CommentAction::Approved };
        let mut event = MetaEvent::new(&p.id, who.person(), action, comment);
        event.published = Some(commit.to_string());
        self.append_meta(&event)?;
        self.proposal(&p.id)
    }

    /// The proposals in review that no longer apply to the commit `onto` (merging them would
    /// conflict): they need an update by their authors.
    pub fn needs_update(&self, onto: &str) -> Result<Vec<String>, ReviewError> {
        let onto = self.repo.find_commit(Oid::from_str(onto)?)?;
        let mut out = Vec::new();
        for p in self.proposals()? {
            if !matches!(p.status, Status::Open | Status::ChangesRequested) {
                continue;
            }
            let Some(proposed) = Oid::from_str(&p.commit).ok().and_then(|c| self.repo.find_commit(c).ok()) else {
                continue;
            };
            if proposed.parent_id(0)? == onto.id() {
                continue;
            }
            if self.conflicts(&onto, &proposed)?.is_err() {
                out.push(p.id);
            }
        }
        Ok(out)
    }
}
