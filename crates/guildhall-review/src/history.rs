//! History: `main`'s first-parent line, where each commit is one published change, read as
//! versions of a document, diffs, the hub-wide changelog, and rollbacks to an earlier version.

use std::path::Path;

use git2::{Commit, Signature, Time};

use crate::publish::Publication;
use crate::{
    ChangelogEntry, ChangelogFilter, FileChangeKind, MAIN, Published, Review, ReviewError, Rollback, Version,
    VersionChange, rfc3339, time, tree,
};

impl Review {
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

    pub(crate) fn first_parent_commits(&self) -> Result<Vec<Commit<'_>>, ReviewError> {
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

    pub(crate) fn file_at(&self, rev: &str, path: &str) -> Result<Option<Vec<u8>>, ReviewError> {
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
        let now = time::now();
        let message = format!(
            "{title}\n\n{}\n\nRolled-back-by: {}\nReviewed-on: {}\n",
            if reason.trim().is_empty() { "Rolled back directly by an admin." } else { reason.trim() },
            who.person(),
            rfc3339(now)
        );
        let sig = Signature::new(&who.name, &who.email, &Time::new(now, 0))?;
        let (commit, files) = self.publish(
            Publication {
                main: &main,
                tree: &tree,
                merge_of: None,
                proposed: None,
                author: sig.clone(),
                committer: sig,
                message,
                reflog: "guildhall: direct rollback".into(),
            },
            None,
        )?;
        Ok(Rollback::Published(Published {
            commit: commit.to_string(),
            merged: false,
            files,
            self_approved: false,
            queued: false,
        }))
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
