//! Proposals: reading and saving their records, proposing files of the work tree or an editor's
//! content, what a proposal changes, and the decisions that do not publish (request changes,
//! reject).

use std::path::{Component, Path, PathBuf};

use git2::{Oid, Signature, Time};

use crate::{
    ChangeKind, CommentAction, FileChange, FileChangeKind, Identity, MAX_FILE_BYTES, MIN_PREFIX, Proposal, Review,
    ReviewError, Status, durable,
    meta::{Content, MetaEvent},
    time, tree,
};

impl Review {
    /// One proposal, by its id or (for ids of 6 characters or more) any unique prefix of it,
    /// case-insensitive. An ambiguous prefix is refused with the candidates.
    pub fn proposal(&self, id: &str) -> Result<Proposal, ReviewError> {
        if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(ReviewError::UnknownProposal(id.to_string()));
        }
        let mut all = self.fold_all()?;
        if let Some(p) = all.remove(id) {
            return Ok(p);
        }
        if id.len() < MIN_PREFIX {
            return Err(ReviewError::UnknownProposal(id.to_string()));
        }
        let wanted = id.to_ascii_uppercase();
        let mut found: Vec<Proposal> =
            all.into_values().filter(|p| p.id.to_ascii_uppercase().starts_with(&wanted)).collect();
        match found.len() {
            0 => Err(ReviewError::UnknownProposal(id.to_string())),
            1 => Ok(found.remove(0)),
            _ => Err(ReviewError::AmbiguousProposal {
                prefix: id.to_string(),
                candidates: found.into_iter().map(|p| format!("{} ({})", p.id, p.title)).collect(),
            }),
        }
    }

    /// Every proposal, oldest first.
    pub fn proposals(&self) -> Result<Vec<Proposal>, ReviewError> {
        let mut out: Vec<Proposal> = self.fold_all()?.into_values().collect();
        out.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(out)
    }

    /// The review queue: proposals that are open or waiting for their author.
    pub fn queue(&self) -> Result<Vec<Proposal>, ReviewError> {
        self.identity()?;
        Ok(self
            .proposals()?
            .into_iter()
            .filter(|p| matches!(p.status, Status::Open | Status::ChangesRequested))
            .collect())
    }

    /// A path of the hub, relative and `/`-separated, from an absolute path or one relative to
    /// the hub folder. Paths out of the hub or into `.git` are refused.
    pub fn relative(&self, path: &Path) -> Result<String, ReviewError> {
        let rel = if path.is_absolute() {
            let dir = path.parent().and_then(|d| d.canonicalize().ok());
            let full = match (dir, path.file_name()) {
                (Some(d), Some(n)) => d.join(n),
                _ => path.to_path_buf(),
            };
            full.strip_prefix(&self.root)
                .map_err(|_| ReviewError::Invalid(format!("`{}` is not in the hub folder", path.display())))?
                .to_path_buf()
        } else {
            path.to_path_buf()
        };
        let mut parts = Vec::new();
        for c in rel.components() {
            match c {
                Component::Normal(s) => parts
                    .push(s.to_str().ok_or_else(|| ReviewError::Invalid(format!("`{}` is not UTF-8", rel.display())))?),
                Component::CurDir => {}
                _ => return Err(ReviewError::Invalid(format!("`{}` is not a path inside the hub", path.display()))),
            }
        }
        if parts.is_empty() || parts.iter().any(|p| p.starts_with('.')) {
            return Err(ReviewError::Invalid(format!("`{}` is not a hub file", path.display())));
        }
        Ok(parts.join("/"))
    }

    pub(crate) fn read_work_file(&self, rel: &str) -> Result<Option<Vec<u8>>, ReviewError> {
        let path = self.root.join(rel);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => {
                if m.len() > MAX_FILE_BYTES {
                    return Err(ReviewError::Invalid(format!("`{rel}` is larger than 2 MiB")));
                }
                Ok(Some(std::fs::read(&path).map_err(durable::io(&path))?))
            }
            Ok(_) => Err(ReviewError::Invalid(format!("`{rel}` is not a regular file"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(durable::io(&path)(e)),
        }
    }

    /// Proposes the current work-tree content of `files` (a file missing from the work tree is
    /// proposed for deletion). With `revise`, the author's own proposal of that id is replaced by
    /// this one (based on the current `main`) and goes back into the queue.
    pub fn propose(
        &self,
        files: &[PathBuf],
        title: &str,
        reason: &str,
        revise: Option<&str>,
    ) -> Result<Proposal, ReviewError> {
        if files.is_empty() {
            return Err(ReviewError::Invalid("name at least one file to propose".into()));
        }
        let mut changes = Vec::new();
        for f in files {
            let rel = self.relative(f)?;
            if !changes.iter().any(|(p, _): &(String, _)| *p == rel) {
                let content = self.read_work_file(&rel)?;
                changes.push((rel, content));
            }
        }
        self.propose_changes(changes, title, reason, revise)
    }

    /// Proposes `content` as the new content of the hub file `path` (relative, `/`-separated;
    /// `None` deletes it), without touching the work tree: what the editor submits. With
    /// `revise`, the author's own proposal of that id is replaced by this one. The same checks
    /// as [`Review::propose`] apply (identity, content errors, nothing to propose).
    pub fn propose_content(
        &self,
        path: &str,
        content: Option<Vec<u8>>,
        title: &str,
        reason: &str,
        revise: Option<&str>,
    ) -> Result<Proposal, ReviewError> {
        let rel = self.relative(Path::new(path))?;
        if content.as_ref().is_some_and(|c| c.len() as u64 > MAX_FILE_BYTES) {
            return Err(ReviewError::Invalid(format!("`{rel}` is larger than 2 MiB")));
        }
        self.propose_changes(vec![(rel, content)], title, reason, revise)
    }

    /// The published content of a hub file (`None` when `main` does not have it).
    pub fn published_file(&self, path: &str) -> Result<Option<Vec<u8>>, ReviewError> {
        tree::file(&self.repo, &self.main_commit()?.tree()?, path)
    }

    /// The content of a hub file as proposal `id` has it (`None` when it deletes or lacks it).
    pub fn proposed_file(&self, id: &str, path: &str) -> Result<Option<Vec<u8>>, ReviewError> {
        let p = self.proposal(id)?;
        let commit = self.repo.find_commit(Oid::from_str(&p.commit)?)?;
        tree::file(&self.repo, &commit.tree()?, path)
    }

    /// The published hub as a catalog (loaded, linked and checked from `main`'s tree).
    pub fn published_catalog(&self) -> Result<guildhall_content::Catalog, ReviewError> {
        tree::catalog(&self.repo, &self.main_commit()?.tree()?)
    }

    /// What proposal `p` is compared with: the `main` it would change, or, once published, `main`
    /// as it was just before the publishing commit (so a published proposal still shows what it
    /// changed rather than nothing).
    pub(crate) fn baseline(&self, p: &Proposal) -> Result<git2::Tree<'_>, ReviewError> {
        if let Some(published) = &p.published {
            let commit = self.repo.find_commit(Oid::from_str(published)?)?;
            if let Ok(parent) = commit.parent(0) {
                return Ok(parent.tree()?);
            }
        }
        Ok(self.main_commit()?.tree()?)
    }

    /// The hub that proposal `id` is compared with (see [`Review::proposal_changes`]), as a catalog.
    pub fn baseline_catalog(&self, id: &str) -> Result<guildhall_content::Catalog, ReviewError> {
        let p = self.proposal(id)?;
        tree::catalog(&self.repo, &self.baseline(&p)?)
    }

    /// The hub as proposal `id` would leave it, as a catalog.
    pub fn proposed_catalog(&self, id: &str) -> Result<guildhall_content::Catalog, ReviewError> {
        let p = self.proposal(id)?;
        let commit = self.repo.find_commit(Oid::from_str(&p.commit)?)?;
        tree::catalog(&self.repo, &commit.tree()?)
    }

    /// What proposal `id` changes, file by file, against the current `main` (for a published
    /// proposal: `main` just before it was published): the content before and after and a
    /// unified line diff between them.
    pub fn proposal_changes(&self, id: &str) -> Result<Vec<FileChange>, ReviewError> {
        self.identity()?;
        let p = self.proposal(id)?;
        let main_tree = self.baseline(&p)?;
        let proposed = self.repo.find_commit(Oid::from_str(&p.commit)?)?.tree()?;
        let mut out = Vec::new();
        for path in &p.files {
            let before = tree::file(&self.repo, &main_tree, path)?;
            let after = tree::file(&self.repo, &proposed, path)?;
            let change = FileChangeKind::of(before.is_some(), after.is_some());
            let diff = {
                let mut patch = git2::Patch::from_buffers(
                    before.as_deref().unwrap_or_default(),
                    Some(Path::new(path)),
                    after.as_deref().unwrap_or_default(),
                    Some(Path::new(path)),
                    None,
                )?;
                String::from_utf8_lossy(&patch.to_buf()?).into_owned()
            };
            out.push(FileChange { path: path.clone(), change, before, after, diff });
        }
        Ok(out)
    }

    /// Whether `who` may approve, request changes to or reject `p` as it stands (its status
    /// allows a decision, they hold the roles its kinds need, and it is not their own unless the
    /// hub allows self-approval).
    pub fn may_review(&self, who: &Identity, p: &Proposal) -> Result<bool, ReviewError> {
        if !matches!(p.status, Status::Open) {
            return Ok(false);
        }
        match self.check_reviewer(who, p, "approve") {
            Ok(_) => Ok(true),
            Err(ReviewError::SelfReview { .. } | ReviewError::Permission { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Whether `who` may revise `p`: it is theirs and still in review.
    pub fn may_revise(&self, who: &Identity, p: &Proposal) -> bool {
        who.is(&p.author) && matches!(p.status, Status::Open | Status::ChangesRequested)
    }

    pub(crate) fn propose_changes(
        &self,
        changes: Vec<(String, Option<Vec<u8>>)>,
        title: &str,
        reason: &str,
        revise: Option<&str>,
    ) -> Result<Proposal, ReviewError> {
        let who = self.identity()?;
        let title = title.trim();
        if title.is_empty() || title.contains('\n') {
            return Err(ReviewError::Invalid("a proposal needs a one-line title".into()));
        }
        let previous = match revise {
            Some(id) => {
                let p = self.proposal(id)?;
                if !who.is(&p.author) {
                    return Err(ReviewError::NotAuthor { id: p.id, author: p.author.to_string() });
                }
                if !matches!(p.status, Status::Open | Status::ChangesRequested) {
                    return Err(ReviewError::WrongState { id: p.id, status: p.status, action: "revise it".into() });
                }
                Some(p)
            }
            None => None,
        };
        let main = self.main_commit()?;
        let main_tree = main.tree()?;
        for (path, content) in &changes {
            if content.is_none() && tree::entry_id(&main_tree, path).is_none() {
                return Err(ReviewError::Invalid(format!("`{path}` is neither in the work tree nor on main")));
            }
        }
        let new_tree = self.repo.find_tree(tree::with_files(&self.repo, &main_tree, &changes)?)?;
        let files = tree::changed_paths(&main_tree, &new_tree)?;
        if files.is_empty() {
            return Err(ReviewError::NoChanges);
        }
        let errors = tree::new_errors(&tree::catalog(&self.repo, &main_tree)?, &tree::catalog(&self.repo, &new_tree)?);
        if !errors.is_empty() {
            return Err(ReviewError::Content { diagnostics: errors });
        }
        let kinds = self.kinds_of(&main_tree, &new_tree, &files)?;

        let now = time::now();
        let id = match &previous {
            Some(p) => p.id.clone(),
            None => ulid::Ulid::new().to_string(),
        };
        let sig = Signature::new(&who.name, &who.email, &Time::new(now, 0))?;
        let message = format!("{title}\n\n{}\n\nProposal: {id}\n", reason.trim());
        // A revision keeps the previous one as its second parent, so that the proposal's branch
        // only ever moves forward (sync never force-pushes); its first parent is `main`.
        let before = previous.as_ref().map(|p| self.repo.find_commit(Oid::from_str(&p.commit)?)).transpose()?;
        let parents: Vec<&git2::Commit<'_>> = std::iter::once(&main).chain(before.as_ref()).collect();
        let commit = self.repo.commit(None, &sig, &sig, &message, &new_tree, &parents)?;
        self.sync_objects(Some(&main_tree), commit)?;
        let branch = format!("refs/heads/proposals/{id}");
        self.repo.reference(&branch, commit, true, "guildhall: proposal")?;
        self.sync_ref(&branch)?;
        let action = if previous.is_some() { CommentAction::Revised } else { CommentAction::Proposed };
        let mut event = MetaEvent::new(&id, who.person(), action, reason);
        event.at = now;
        event.content = Some(Content {
            title: title.to_string(),
            reason: reason.trim().to_string(),
            files,
            kinds,
            commit: commit.to_string(),
            base: main.id().to_string(),
        });
        self.append_meta(&event)?;
        self.proposal(&id)
    }

    pub(crate) fn kinds_of(
        &self,
        before: &git2::Tree<'_>,
        after: &git2::Tree<'_>,
        files: &[String],
    ) -> Result<Vec<ChangeKind>, ReviewError> {
        let mut kinds = Vec::new();
        for f in files {
            let content = match tree::file(&self.repo, after, f)? {
                Some(c) => Some(c),
                None => tree::file(&self.repo, before, f)?,
            };
            let k = tree::change_kind(f, content.as_deref());
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
        // A guide becoming a policy (or ceasing to be one) needs a policy approver either way.
        for f in files {
            if let Some(c) = tree::file(&self.repo, before, f)? {
                let k = tree::change_kind(f, Some(&c));
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
        }
        kinds.sort();
        Ok(kinds)
    }

    /// Checks that `who` may review `p` (approve, request changes or reject).
    pub(crate) fn check_reviewer(&self, who: &Identity, p: &Proposal, action: &str) -> Result<bool, ReviewError> {
        let rules = self.rules()?;
        let own = who.is(&p.author);
        if own && !rules.allow_self_approval {
            return Err(ReviewError::SelfReview { who: who.name.clone(), action: action.into(), id: p.id.clone() });
        }
        if let Some((kind, roles)) = rules.missing_role(&who.member(), &p.kinds) {
            return Err(ReviewError::Permission {
                who: who.name.clone(),
                action: action.into(),
                kind: Some(kind),
                roles,
            });
        }
        Ok(own)
    }

    /// Sends a proposal back to its author with a comment.
    pub fn request_changes(&self, id: &str, comment: &str) -> Result<Proposal, ReviewError> {
        self.decide(id, comment, "request changes to", Status::ChangesRequested, &[Status::Open])
    }

    /// Rejects a proposal with a comment; it leaves the queue.
    pub fn reject(&self, id: &str, comment: &str) -> Result<Proposal, ReviewError> {
        self.decide(id, comment, "reject", Status::Rejected, &[Status::Open, Status::ChangesRequested])
    }

    pub(crate) fn decide(
        &self,
        id: &str,
        comment: &str,
        action: &str,
        to: Status,
        from: &[Status],
    ) -> Result<Proposal, ReviewError> {
        let who = self.identity()?;
        let p = self.proposal(id)?;
        if comment.trim().is_empty() {
            return Err(ReviewError::Invalid(format!("say why when you {action} a proposal")));
        }
        self.check_reviewer(&who, &p, action)?;
        if !from.contains(&p.status) {
            return Err(ReviewError::WrongState { id: p.id, status: p.status, action: action.into() });
        }
        self.append_meta(&MetaEvent::new(&p.id, who.person(), CommentAction::decision(to), comment))?;
        self.proposal(&p.id)
    }
}
