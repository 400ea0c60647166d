//! Syncing the log with the remote: a rewritten remote log refused, local events re-applied on
//! top of the remote's and pushed as a fast-forward, the outbox cleared of what the remote holds.

use std::path::Path;

use git2::{Oid, Repository, Sort};

use super::file::{added_files, commit_event};
use super::{ACCEPTED_EVENTS, EVENTS_BRANCH, EventLog, LogSync, PUSH_ATTEMPTS, REMOTE_EVENTS};
use crate::outbox::{Action, Outbox};
use crate::{Auth, SyncError};

impl EventLog<'_> {
    /// Syncs the log with the remote after a [`crate::fetch`]: refuses a rewritten remote log,
    /// re-applies local events on top of the remote's, pushes (fetching and retrying when
    /// another clone pushed first), and clears the outbox entries the remote now holds.
    pub fn sync(&self, auth: &Auth) -> Result<LogSync, SyncError> {
        let outbox = Outbox::of(self.repo);
        let mut report = LogSync::default();
        for attempt in 1..=PUSH_ATTEMPTS {
            if attempt > 1 {
                crate::fetch(self.repo, auth)?;
            }
            report.attempts = attempt;
            let incoming = self.repo.refname_to_id(REMOTE_EVENTS).ok();
            self.check_not_rewritten(incoming)?;
            if let Some(inc) = incoming {
                self.repo.reference(ACCEPTED_EVENTS, inc, true, "guildhall: remote event log accepted")?;
            }
            self.restore_from_outbox(&outbox)?;
            let tip = self.reapply_on(incoming)?;
            crate::step_delay();
            if tip.is_some() && tip != incoming {
                let spec = format!("{EVENTS_BRANCH}:{EVENTS_BRANCH}");
                match crate::push(self.repo, auth, &[spec]) {
                    Ok(_) => {
                        let tip = tip.unwrap_or_else(Oid::zero);
                        report.sent += commits_between(self.repo, tip, incoming);
                        self.repo.reference(ACCEPTED_EVENTS, tip, true, "guildhall: event log pushed")?;
                        self.repo.reference(REMOTE_EVENTS, tip, true, "guildhall: event log pushed")?;
                    }
                    Err(SyncError::Contended { .. }) => continue,
                    Err(e) => return Err(e),
                }
            }
            report.already_there += self.clear_outbox(&outbox)?;
            return Ok(report);
        }
        Err(SyncError::Contended { refname: EVENTS_BRANCH.into(), attempts: PUSH_ATTEMPTS })
    }

    fn check_not_rewritten(&self, incoming: Option<Oid>) -> Result<(), SyncError> {
        let Ok(accepted) = self.repo.refname_to_id(ACCEPTED_EVENTS) else { return Ok(()) };
        match incoming {
            None => Err(SyncError::LogRewritten { accepted: accepted.to_string(), remote: "(deleted)".into() }),
            Some(inc) if inc != accepted && !self.repo.graph_descendant_of(inc, accepted)? => {
                Err(SyncError::LogRewritten { accepted: accepted.to_string(), remote: inc.to_string() })
            }
            Some(_) => Ok(()),
        }
    }

    /// Re-commits the outbox's events the local log lacks (a crash between queueing and
    /// committing, or a local log lost).
    fn restore_from_outbox(&self, outbox: &Outbox) -> Result<(), SyncError> {
        for entry in outbox.pending()? {
            if let Action::Event { path, content, author, .. } = &entry.action {
                let tree = self.repo.find_reference(EVENTS_BRANCH).ok().and_then(|r| r.peel_to_tree().ok());
                let present = tree.is_some_and(|t| t.get_path(Path::new(path)).is_ok());
                if !present {
                    self.commit_local(path, content, author)?;
                }
            }
        }
        Ok(())
    }

    /// Puts the local events the remote lacks on top of `incoming`; returns the new local tip.
    fn reapply_on(&self, incoming: Option<Oid>) -> Result<Option<Oid>, SyncError> {
        let local = self.repo.refname_to_id(EVENTS_BRANCH).ok();
        let (Some(local), Some(inc)) = (local, incoming) else {
            if let (None, Some(inc)) = (local, incoming) {
                self.repo.reference(EVENTS_BRANCH, inc, false, "guildhall: event log from the remote")?;
                crate::durable::sync_objects_and_ref(self.repo, &[], EVENTS_BRANCH)?;
            }
            return Ok(local.or(incoming));
        };
        if local == inc || self.repo.graph_descendant_of(local, inc)? {
            return Ok(Some(local));
        }
        if self.repo.graph_descendant_of(inc, local)? {
            self.repo.reference_matching(EVENTS_BRANCH, inc, true, local, "guildhall: event log fast-forward")?;
            crate::durable::sync_objects_and_ref(self.repo, &[], EVENTS_BRANCH)?;
            return Ok(Some(inc));
        }
        let mut walk = self.repo.revwalk()?;
        walk.push(local)?;
        walk.hide(inc)?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        let mut base = self.repo.find_commit(inc)?;
        let mut written = Vec::new();
        for oid in walk {
            let commit = self.repo.find_commit(oid?)?;
            if commit.parent_count() > 1 {
                continue;
            }
            for (path, blob) in added_files(self.repo, &commit)? {
                if base.tree()?.get_path(Path::new(&path)).is_ok() {
                    continue;
                }
                let content = self.repo.find_blob(blob)?.content().to_vec();
                let new = commit_event(self.repo, Some(&base), &path, &content, &commit.author(), &commit.committer())?;
                written.push(new);
                base = self.repo.find_commit(new)?;
            }
        }
        self.repo.reference_matching(
            EVENTS_BRANCH,
            base.id(),
            true,
            local,
            "guildhall: local events re-applied on the remote log",
        )?;
        crate::durable::sync_objects_and_ref(self.repo, &written, EVENTS_BRANCH)?;
        Ok(Some(base.id()))
    }

    /// Removes the outbox's events the accepted remote log holds; returns how many.
    fn clear_outbox(&self, outbox: &Outbox) -> Result<usize, SyncError> {
        let Some(tree) = self.repo.find_reference(ACCEPTED_EVENTS).ok().and_then(|r| r.peel_to_tree().ok()) else {
            return Ok(0);
        };
        let mut n = 0;
        for entry in outbox.pending()? {
            if let Action::Event { path, .. } = &entry.action
                && tree.get_path(Path::new(path)).is_ok()
            {
                outbox.done(&entry.id)?;
                n += 1;
            }
        }
        Ok(n)
    }
}

/// How many commits `tip` has that `base` does not.
fn commits_between(repo: &Repository, tip: Oid, base: Option<Oid>) -> usize {
    let Ok(mut walk) = repo.revwalk() else { return 0 };
    if walk.push(tip).is_err() || base.is_some_and(|b| walk.hide(b).is_err()) {
        return 0;
    }
    walk.count()
}
