//! Proposals on a shared hub: the glue between the review crate (which never touches the
//! network) and the sync crate (which knows nothing of review).
//!
//! - A proposal (or revision) made in a clone of a shared hub queues its branch in the outbox;
//!   its metadata events are commits on the metadata log, which every sync sends.
//! - An approval fetches, builds the publishing commit on the remote's `main` in memory,
//!   pushes it as a fast-forward (building again when `main` moved), then records the approval.
//!   When the hub cannot be reached the approval waits in the outbox, and the local `main` does
//!   not move: [`sync_hub`] publishes it later, against the fetched `main`, with the approver's
//!   roles and the proposal checked again then.
//! - [`sync_hub`] is `guildhall sync`: the transport's sync, then queued approvals, then the
//!   proposals that no longer apply to `main` (`needs_update`).

use std::path::Path;

use guildhall_review::{Proposal, Published, Review, ReviewError};
use guildhall_sync::shared::{self as shared_sync, PublishError};
use guildhall_sync::{Action, Auth, ReportedError, SyncError, SyncOptions, SyncReport};

use crate::{Error, Hub};

impl Hub {
    /// Queues a new proposal's (or revision's) branch for the shared hub, if this is a clone.
    pub(crate) fn share_proposal(&self, p: &Proposal) -> Result<(), Error> {
        if guildhall_sync::has_remote(&self.root) {
            guildhall_sync::queue(&self.root, Action::PushBranch { branch: p.branch(), commit: p.commit.clone() })?;
        }
        Ok(())
    }

    /// Approves on the shared hub (see the module documentation); offline, queues the approval.
    pub(crate) fn approve_shared(&self, id: &str, comment: &str) -> Result<Published, Error> {
        let review = self.repository()?;
        let (p, self_approved) = review.check_approval(id)?;
        let auth = Auth::from_env();
        match publish(&self.root, &auth, &p.id, &p.commit, comment) {
            Ok(published) => Ok(published),
            Err(PublishError::Sync(SyncError::Unreachable { .. })) => {
                let who = review.identity()?;
                guildhall_sync::queue(
                    &self.root,
                    Action::Approve {
                        proposal: p.id.clone(),
                        reviewed: p.commit.clone(),
                        comment: comment.trim().to_string(),
                        approver: guildhall_sync::Person { name: who.name, email: who.email },
                    },
                )?;
                Ok(Published { commit: String::new(), merged: false, files: p.files, self_approved, queued: true })
            }
            Err(PublishError::Sync(e)) => Err(e.into()),
            Err(PublishError::Build(e)) => Err(e.into()),
        }
    }
}

/// Publishes proposal `id` as reviewed at commit `reviewed` onto the shared hub's `main`, then
/// records the approval and sends the metadata (a failure to send it leaves it for the next sync).
fn publish(
    root: &Path,
    auth: &Auth,
    id: &str,
    reviewed: &str,
    comment: &str,
) -> Result<Published, PublishError<ReviewError>> {
    let mut built: Option<Published> = None;
    let done = shared_sync::publish_main(root, auth, |onto| {
        let p = Review::open(root)?.approval_commit(id, reviewed, onto)?;
        let commit = p.commit.clone();
        built = Some(p);
        Ok(commit)
    })?;
    let built = built.ok_or_else(|| PublishError::Build(ReviewError::Invalid("nothing was built".into())))?;
    Review::open(root)
        .and_then(|r| r.record_published(id, &done.commit, comment, built.self_approved))
        .map_err(PublishError::Build)?;
    let _ = shared_sync::sync_meta_at(root, auth);
    Ok(Published { commit: done.commit, ..built })
}

/// `guildhall sync`: fetch, fast-forward `main`, send the outbox and the logs, then publish the
/// approvals queued offline and list the proposals that no longer apply to `main`.
pub fn sync_hub(root: &Path, opts: &SyncOptions) -> Result<SyncReport, SyncError> {
    let mut report = guildhall_sync::sync(root, opts)?;
    if !report.fetched {
        return Ok(report);
    }
    let outbox = shared_sync::outbox_at(root)?;
    let mut decided = false;
    for entry in outbox.pending()? {
        let Action::Approve { proposal, reviewed, comment, approver } = &entry.action else { continue };
        let me = Review::open(root).and_then(|r| r.identity());
        if !me.as_ref().is_ok_and(|m| m.email.eq_ignore_ascii_case(&approver.email)) {
            report.errors.push(refusal(format!(
                "the approval of proposal {proposal} was queued by {approver}, and this clone's git user is now someone \
                 else: it stays queued until {approver} syncs"
            )));
            continue;
        }
        decided = true;
        match publish(root, &opts.auth, proposal, reviewed, comment) {
            Ok(_) => {
                outbox.done(&entry.id)?;
                report.pushed += 1;
            }
            Err(PublishError::Sync(e)) => report.errors.push((&e).into()),
            Err(PublishError::Build(e)) => {
                if matches!(e, ReviewError::Conflict { .. } | ReviewError::Content { .. }) {
                    report.needs_update.push(proposal.clone());
                }
                report.errors.push(refusal(format!(
                    "your approval of proposal {proposal}, made offline, was not published: {e}"
                )));
                outbox.done(&entry.id)?;
            }
        }
    }
    if decided && let Err(e) = shared_sync::sync_meta_at(root, &opts.auth) {
        report.errors.push((&e).into());
    }
    if let (Some(onto), Ok(review)) = (shared_sync::remote_main(root)?, Review::open(root))
        && let Ok(ids) = review.needs_update(&onto)
    {
        for id in ids {
            if !report.needs_update.contains(&id) {
                report.needs_update.push(id);
            }
        }
    }
    report.outbox = guildhall_sync::status(root)?.outbox;
    Ok(report)
}

fn refusal(message: String) -> ReportedError {
    ReportedError { code: "approval-refused", message, remote: true }
}
