//! Authoring, review and publishing: thin delegation to `guildhall-review`, acting as the hub
//! repository's git user. After anything reaches `main`, the catalog is reloaded and the search
//! index synchronised, so readers see the change at once (with or without the file watcher).

use std::path::PathBuf;
use std::sync::Arc;

use guildhall_content::{Catalog, LoadOptions, is_markdown};
use guildhall_review::{
    ChangeKind, ChangelogEntry, ChangelogFilter, FileChangeKind, Identity, Proposal, Published, Review, ReviewRules,
    Rollback, Version,
};
use serde::Serialize;

use crate::{Error, Hub};

/// The local identity as the editor and the review screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentityView {
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
    /// The kinds of change this person may approve under the hub's published review rules.
    pub may_approve: Vec<ChangeKind>,
}

/// One file of a proposal, for the review screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalFile {
    /// The file, relative to the hub folder.
    pub path: String,
    /// The document's id (as proposed, else as published), for Markdown files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    pub change: FileChangeKind,
    /// The published page as it is on `main` now, sanitized.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before_html: Option<String>,
    /// The page as proposed, sanitized.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_html: Option<String>,
    /// A unified line diff from `main` to the proposal.
    pub diff: String,
}

/// A proposal with what it changes and what the local identity may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalView {
    pub proposal: Proposal,
    pub files: Vec<ProposalFile>,
    /// Whether the local identity may approve, request changes or reject now.
    pub can_approve: bool,
    /// Whether the local identity may revise it (their own, still in review).
    pub can_revise: bool,
}

/// What a rollback did: published at once (an admin's direct rollback) or proposed for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RollbackOutcome {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Published>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal: Option<Proposal>,
}

impl From<Rollback> for RollbackOutcome {
    fn from(r: Rollback) -> RollbackOutcome {
        match r {
            Rollback::Published(p) => RollbackOutcome { published: Some(p), proposal: None },
            Rollback::Proposed(p) => RollbackOutcome { published: None, proposal: Some(*p) },
        }
    }
}

impl Hub {
    /// The local identity with the kinds of change it may approve.
    pub fn identity_view(&self) -> Result<IdentityView, Error> {
        let (who, rules) = match self.existing_repository()? {
            Some(review) => (review.identity()?, review.rules()?),
            None => {
                let who = guildhall_review::identity_outside_git(&self.root)?;
                (who, ReviewRules::from_config(&guildhall_review::work_tree_config(&self.root)?)?)
            }
        };
        let may_approve =
            ChangeKind::ALL.into_iter().filter(|&k| rules.approvers(k).iter().any(|r| who.roles.contains(r))).collect();
        Ok(IdentityView { name: who.name, email: who.email, roles: who.roles, may_approve })
    }

    /// One proposal with its files rendered before (on `main` now) and after (as proposed), a
    /// line diff of each, and whether the local identity may decide on it or revise it.
    pub fn proposal_view(&self, id: &str) -> Result<ProposalView, Error> {
        let review = self.repository()?;
        let who = review.identity()?;
        let proposal = review.proposal(id)?;
        let changes = review.proposal_changes(id)?;
        let markdown = changes.iter().any(|c| is_markdown(&c.path));
        let (before, after) = if markdown {
            (Some(review.baseline_catalog(id)?), Some(review.proposed_catalog(id)?))
        } else {
            (None, None)
        };
        let render = |catalog: &Option<Catalog>, path: &str| -> (Option<String>, Option<String>) {
            let Some(c) = catalog else { return (None, None) };
            match c.documents().iter().position(|d| d.path == path) {
                Some(i) => {
                    let html = c.renderer(self.renderer_options.clone()).render(i).html;
                    (Some(c.documents()[i].id.clone()), Some(html))
                }
                None => (None, None),
            }
        };
        let files = changes
            .into_iter()
            .map(|c| {
                let (before_id, before_html) = if c.before.is_some() { render(&before, &c.path) } else { (None, None) };
                let (after_id, after_html) = if c.after.is_some() { render(&after, &c.path) } else { (None, None) };
                let change = c.change;
                ProposalFile {
                    path: c.path,
                    doc: after_id.or(before_id),
                    change,
                    before_html,
                    after_html,
                    diff: c.diff,
                }
            })
            .collect();
        let can_approve = review.may_review(&who, &proposal)?;
        let can_revise = review.may_revise(&who, &proposal);
        Ok(ProposalView { proposal, files, can_approve, can_revise })
    }

    /// The hub's repository, opened (or initialised) now. Opening also finishes a publish that a
    /// crash interrupted.
    pub fn repository(&self) -> Result<Review, Error> {
        Ok(Review::open(&self.root)?)
    }

    /// The hub's repository if the folder is under git; `None` for a plain folder. Reads use
    /// this: looking at a plain folder never initialises a repository in it (the first proposal
    /// does).
    fn existing_repository(&self) -> Result<Option<Review>, Error> {
        Ok(Review::open_existing(&self.root)?)
    }

    /// The local identity and its roles.
    pub fn identity(&self) -> Result<Identity, Error> {
        match self.existing_repository()? {
            Some(review) => Ok(review.identity()?),
            None => Ok(guildhall_review::identity_outside_git(&self.root)?),
        }
    }

    /// Proposes the work-tree content of `files` (paths absolute or relative to the hub folder);
    /// `revise` replaces the author's own proposal of that id.
    pub fn propose(
        &self,
        files: &[PathBuf],
        title: &str,
        reason: &str,
        revise: Option<&str>,
    ) -> Result<Proposal, Error> {
        let p = self.repository()?.propose(files, title, reason, revise)?;
        self.share_proposal(&p)?;
        Ok(p)
    }

    /// Open proposals and those waiting for their authors.
    pub fn review_queue(&self) -> Result<Vec<Proposal>, Error> {
        match self.existing_repository()? {
            Some(review) => Ok(review.queue()?),
            None => Ok(Vec::new()),
        }
    }

    /// One proposal.
    pub fn proposal(&self, id: &str) -> Result<Proposal, Error> {
        let review = self.repository()?;
        review.identity()?;
        Ok(review.proposal(id)?)
    }

    /// Approves and publishes a proposal, then reloads the catalog and the index.
    pub fn approve(&self, id: &str, comment: &str) -> Result<Published, Error> {
        self.approve_with(id, comment, false)
    }

    /// Approves like [`Hub::approve`]; `confirm_deletions` is an admin's confirmation of a
    /// change that deletes more than a tenth of the hub's documents, which is refused without it.
    pub fn approve_with(&self, id: &str, comment: &str, confirm_deletions: bool) -> Result<Published, Error> {
        self.repository()?.check_deletions(id, confirm_deletions)?;
        // In a clone of a shared hub the approval lands on the remote's `main` (or waits in the
        // outbox); the local `main` never holds an approval the hub does not have.
        let published = if guildhall_sync::has_remote(&self.root) {
            self.approve_shared(id, comment)?
        } else {
            self.repository()?.approve(id, comment)?
        };
        self.reload()?;
        Ok(published)
    }

    /// Sends a proposal back to its author.
    pub fn request_changes(&self, id: &str, comment: &str) -> Result<Proposal, Error> {
        Ok(self.repository()?.request_changes(id, comment)?)
    }

    /// Rejects a proposal.
    pub fn reject(&self, id: &str, comment: &str) -> Result<Proposal, Error> {
        Ok(self.repository()?.reject(id, comment)?)
    }

    /// The published versions of a document (id or path), newest first.
    pub fn history(&self, doc: &str) -> Result<Vec<Version>, Error> {
        match self.existing_repository()? {
            Some(review) => Ok(review.history(doc)?),
            None => Ok(Vec::new()),
        }
    }

    /// A unified diff of one document between two versions (`to` defaults to `main`).
    pub fn diff(&self, doc: &str, from: &str, to: Option<&str>) -> Result<String, Error> {
        Ok(self.repository()?.diff(doc, from, to)?)
    }

    /// Restores a document to an earlier version: a proposal, or (admins, `direct`) at once.
    pub fn rollback(&self, doc: &str, version: &str, reason: &str, direct: bool) -> Result<Rollback, Error> {
        let r = self.repository()?.rollback(doc, version, reason, direct)?;
        if let Rollback::Proposed(p) = &r {
            self.share_proposal(p)?;
        }
        if matches!(r, Rollback::Published(_)) {
            self.reload()?;
        }
        Ok(r)
    }

    /// Every published change, newest first.
    pub fn changelog(&self, filter: &ChangelogFilter) -> Result<Vec<ChangelogEntry>, Error> {
        match self.existing_repository()? {
            Some(review) => Ok(review.changelog(filter)?),
            None => Ok(Vec::new()),
        }
    }

    /// Reloads the catalog from the content folder and brings the index up to date.
    pub(crate) fn reload(&self) -> Result<(), Error> {
        let catalog = Arc::new(Catalog::load(&self.root, &LoadOptions::default().with_today(self.today))?);
        if let Some(index) = &self.search {
            index.sync(&catalog, &mut |_, _| {})?;
        }
        *self.catalog.write().unwrap_or_else(std::sync::PoisonError::into_inner) = catalog;
        Ok(())
    }
}
