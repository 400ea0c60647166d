//! Authoring, review and publishing: thin delegation to `guildhall-review`, acting as the hub
//! repository's git user. After anything reaches `main`, the catalog is reloaded and the search
//! index synchronised, so readers see the change at once (with or without the file watcher).

use std::path::PathBuf;
use std::sync::Arc;

use guildhall_content::{Catalog, LoadOptions};
use guildhall_review::{ChangelogEntry, ChangelogFilter, Identity, Proposal, Published, Review, Rollback, Version};

use crate::{Error, Hub};

impl Hub {
    /// The hub's repository, opened (or initialised) now. Opening also finishes a publish that a
    /// crash interrupted.
    pub fn repository(&self) -> Result<Review, Error> {
        Ok(Review::open(&self.root)?)
    }

    /// The local identity and its roles.
    pub fn identity(&self) -> Result<Identity, Error> {
        Ok(self.repository()?.identity()?)
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
        Ok(self.repository()?.propose(files, title, reason, revise)?)
    }

    /// Open proposals and those waiting for their authors.
    pub fn review_queue(&self) -> Result<Vec<Proposal>, Error> {
        Ok(self.repository()?.queue()?)
    }

    /// One proposal.
    pub fn proposal(&self, id: &str) -> Result<Proposal, Error> {
        let review = self.repository()?;
        review.identity()?;
        Ok(review.proposal(id)?)
    }

    /// Approves and publishes a proposal, then reloads the catalog and the index.
    pub fn approve(&self, id: &str, comment: &str) -> Result<Published, Error> {
        let published = self.repository()?.approve(id, comment)?;
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
        Ok(self.repository()?.history(doc)?)
    }

    /// A unified diff of one document between two versions (`to` defaults to `main`).
    pub fn diff(&self, doc: &str, from: &str, to: Option<&str>) -> Result<String, Error> {
        Ok(self.repository()?.diff(doc, from, to)?)
    }

    /// Restores a document to an earlier version: a proposal, or (admins, `direct`) at once.
    pub fn rollback(&self, doc: &str, version: &str, reason: &str, direct: bool) -> Result<Rollback, Error> {
        let r = self.repository()?.rollback(doc, version, reason, direct)?;
        if matches!(r, Rollback::Published(_)) {
            self.reload()?;
        }
        Ok(r)
    }

    /// Every published change, newest first.
    pub fn changelog(&self, filter: &ChangelogFilter) -> Result<Vec<ChangelogEntry>, Error> {
        Ok(self.repository()?.changelog(filter)?)
    }

    /// Reloads the catalog from the content folder and brings the index up to date.
    fn reload(&self) -> Result<(), Error> {
        let catalog = Arc::new(Catalog::load(&self.root, &LoadOptions::default().with_today(self.today))?);
        if let Some(index) = &self.search {
            index.sync(&catalog, &mut |_, _| {})?;
        }
        *self.catalog.write().unwrap_or_else(std::sync::PoisonError::into_inner) = catalog;
        Ok(())
    }
}
