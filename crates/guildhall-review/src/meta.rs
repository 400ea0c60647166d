//! Proposal metadata that travels: an append-only log in git.
//!
//! Every change to a proposal (proposed, revised, a reviewer's decision, a send-back, its
//! approval) is one JSON file `proposals/<proposal>/<event>.json` added by one commit on the
//! branch `guildhall/proposals` (event ids are ULIDs). The branch is never merged into `main`,
//! so metadata never enters a published tree; it is a branch so that the forge's rules apply to
//! it and sync moves it like any branch. Two people acting at once each add a new file, so their
//! logs are a union (sync re-applies local commits on the fetched log) and never conflict.
//!
//! A proposal's state is folded from its events in log order, re-checking trust every time: the
//! event's `by` must be the commit's author; a decision counts only when its author holds the
//! role for the proposal's kinds in `guildhall.toml` *on `main`* (and is not its author, unless
//! self-approval is allowed); a revision only when by the author; an approval only when `main`
//! contains the commit it names. Anything else is ignored.
//!
//! Records of earlier versions (`.git/guildhall/proposals/<id>.json`, numeric ids) are imported
//! into the log when the repository is opened, then moved to `.git/guildhall/proposals/migrated/`
//! (never deleted). A publish in progress (local only) is kept in `.git/guildhall/pending/<id>.json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use git2::{Oid, Signature, Sort, Time};
use guildhall_content::Member;
use serde::{Deserialize, Serialize};

use crate::{
    ChangeKind, Comment, CommentAction, META_DIR, Pending, Person, Proposal, Review, ReviewError, ReviewRules, Status,
    durable, record, time, tree,
};

/// The branch holding every proposal's metadata events.
pub const META_BRANCH: &str = "refs/heads/guildhall/proposals";
/// Publishes interrupted by a crash (local state, never shared).
const PENDING_DIR: &str = "guildhall/pending";

/// What a proposal proposes (on `proposed` and `revised` events).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Content {
    pub title: String,
    pub reason: String,
    pub files: Vec<String>,
    pub kinds: Vec<ChangeKind>,
    pub commit: String,
    pub base: String,
}

/// One metadata event, as stored in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MetaEvent {
    pub id: String,
    pub proposal: String,
    pub by: Person,
    /// Unix seconds.
    pub at: i64,
    pub action: CommentAction,
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Content>,
    /// The `main` commit an approval published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// A record of an earlier version imported whole (legacy numeric ids only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<record::ProposalRecord>,
}

impl MetaEvent {
    pub(crate) fn new(proposal: &str, by: Person, action: CommentAction, text: &str) -> MetaEvent {
        MetaEvent {
            id: ulid::Ulid::new().to_string(),
            proposal: proposal.to_string(),
            by,
            at: time::now(),
            action,
            text: text.trim().to_string(),
            content: None,
            published: None,
            imported: None,
        }
    }
}

/// Whether `s` is a ULID as Guildhall writes them (26 Crockford base-32 characters).
pub(crate) fn is_ulid(s: &str) -> bool {
    s.len() == 26 && s.parse::<ulid::Ulid>().is_ok()
}

/// What the fold checks roles against: the published settings.
struct Trust {
    rules: Option<ReviewRules>,
    members: Vec<Member>,
    main: Oid,
}

impl Review {
    /// Appends `event` to the log: one commit by `event.by` adding its file, flushed before the
    /// branch moves (retried when another writer moved it meanwhile).
    pub(crate) fn append_meta(&self, event: &MetaEvent) -> Result<(), ReviewError> {
        let path = format!("proposals/{}/{}.json", event.proposal, event.id);
        let bytes = serde_json::to_vec_pretty(event).map_err(|e| ReviewError::Invalid(e.to_string()))?;
        let sig = Signature::new(&event.by.name, &event.by.email, &Time::new(event.at, 0))?;
        let message = format!("proposal {}: {}\n", event.proposal, event.action);
        for _ in 0..8 {
            let tip = self.repo.find_reference(META_BRANCH).ok().and_then(|r| r.peel_to_commit().ok());
            let base = match &tip {
                Some(t) => t.tree()?,
                None => self.repo.find_tree(self.repo.treebuilder(None)?.write()?)?,
            };
            let new_tree =
                self.repo.find_tree(tree::with_files(&self.repo, &base, &[(path.clone(), Some(bytes.clone()))])?)?;
            let parents: Vec<&git2::Commit<'_>> = tip.iter().collect();
            let oid = self.repo.commit(None, &sig, &sig, &message, &new_tree, &parents)?;
            self.sync_objects(Some(&base), oid)?;
            let moved = match &tip {
                Some(t) => self.repo.reference_matching(META_BRANCH, oid, true, t.id(), "guildhall: proposal metadata"),
                None => self.repo.reference(META_BRANCH, oid, false, "guildhall: proposal metadata log created"),
            };
            match moved {
                Ok(_) => return self.sync_ref(META_BRANCH),
                Err(e)
                    if matches!(
                        e.code(),
                        git2::ErrorCode::Modified | git2::ErrorCode::Exists | git2::ErrorCode::Locked
                    ) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Err(ReviewError::MainMoved)
    }

    /// Every event of the log in log order, each with the e-mail of the commit that added it.
    fn meta_events(&self) -> Result<Vec<(MetaEvent, String)>, ReviewError> {
        let Ok(tip) = self.repo.refname_to_id(META_BRANCH) else { return Ok(Vec::new()) };
        let mut walk = self.repo.revwalk()?;
        walk.push(tip)?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        let mut out = Vec::new();
        for oid in walk {
            let commit = self.repo.find_commit(oid?)?;
            if commit.parent_count() > 1 {
                continue;
            }
            let old = commit.parent(0).ok().map(|p| p.tree()).transpose()?;
            let new = commit.tree()?;
            let diff = self.repo.diff_tree_to_tree(old.as_ref(), Some(&new), None)?;
            let email = commit.author().email().unwrap_or_default().to_string();
            for delta in diff.deltas() {
                if delta.status() != git2::Delta::Added {
                    continue;
                }
                let Some(path) = delta.new_file().path().and_then(Path::to_str) else { continue };
                let Ok(blob) = self.repo.find_blob(delta.new_file().id()) else { continue };
                let Ok(event) = serde_json::from_slice::<MetaEvent>(blob.content()) else { continue };
                if path != format!("proposals/{}/{}.json", event.proposal, event.id) {
                    continue;
                }
                out.push((event, email.clone()));
            }
        }
        Ok(out)
    }

    /// Every proposal, folded from the log (see the module documentation), by id.
    pub(crate) fn fold_all(&self) -> Result<BTreeMap<String, Proposal>, ReviewError> {
        // Settings that do not parse leave nobody a reviewer (decisions are ignored), but the
        // proposals themselves still load.
        let config = self.published_config().ok();
        let trust = Trust {
            rules: config.as_ref().and_then(|c| ReviewRules::from_config(c).ok()),
            members: config.map(|c| c.members).unwrap_or_default(),
            main: self.main_commit()?.id(),
        };
        let mut out: BTreeMap<String, Proposal> = BTreeMap::new();
        for (event, committer) in self.meta_events()? {
            if !event.by.email.eq_ignore_ascii_case(&committer) {
                continue;
            }
            let id = event.proposal.clone();
            match out.get_mut(&id) {
                Some(p) => self.apply(p, event, &trust),
                None => {
                    if let Some(p) = start(event) {
                        out.insert(id, p);
                    }
                }
            }
        }
        for p in out.values_mut() {
            p.pending = self.load_pending(&p.id)?;
        }
        Ok(out)
    }

    fn apply(&self, p: &mut Proposal, e: MetaEvent, trust: &Trust) {
        let by_author = e.by.email.eq_ignore_ascii_case(&p.author.email);
        let status = match e.action {
            CommentAction::Proposed => return,
            CommentAction::Revised => {
                let Some(c) = e.content.clone() else { return };
                if !by_author || !matches!(p.status, Status::Open | Status::ChangesRequested) {
                    return;
                }
                p.revision += 1;
                p.title = c.title;
                p.reason = c.reason;
                p.files = c.files;
                p.kinds = c.kinds;
                p.commit = c.commit;
                p.base = c.base;
                Some(Status::Open)
            }
            CommentAction::ChangesRequested | CommentAction::Rejected | CommentAction::SentBack => {
                if !may_decide(trust, &e.by, p) {
                    return;
                }
                let (to, from): (Status, &[Status]) = match e.action {
                    CommentAction::Rejected => (Status::Rejected, &[Status::Open, Status::ChangesRequested]),
                    _ => (Status::ChangesRequested, &[Status::Open]),
                };
                // A decision that came too late (another reviewer decided first) stays a comment.
                from.contains(&p.status).then_some(to)
            }
            CommentAction::Approved | CommentAction::SelfApproved => {
                let on_main =
                    e.published.as_deref().and_then(|c| Oid::from_str(c).ok()).is_some_and(|c| {
                        c == trust.main || self.repo.graph_descendant_of(trust.main, c).unwrap_or(false)
                    });
                if !on_main || p.status == Status::Approved {
                    return;
                }
                p.published = e.published.clone();
                Some(Status::Approved)
            }
        };
        if let Some(s) = status {
            p.status = s;
        }
        p.updated_at = p.updated_at.max(e.at);
        p.comments.push(Comment { by: e.by, at: e.at, action: e.action, text: e.text });
    }

    // Pending publishes (local).

    fn pending_path(&self, id: &str) -> PathBuf {
        self.repo.path().join(PENDING_DIR).join(format!("{id}.json"))
    }

    /// The proposals with a publish in progress.
    pub(crate) fn pending_ids(&self) -> Result<Vec<String>, ReviewError> {
        let dir = self.repo.path().join(PENDING_DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(durable::io(&dir)(e)),
        };
        let mut ids = Vec::new();
        for entry in entries {
            let name = entry.map_err(durable::io(&dir))?.file_name().to_string_lossy().into_owned();
            if let Some(id) = name.strip_suffix(".json").filter(|n| !n.starts_with('.')) {
                ids.push(id.to_string());
            }
        }
        Ok(ids)
    }

    fn load_pending(&self, id: &str) -> Result<Option<Pending>, ReviewError> {
        let path = self.pending_path(id);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| ReviewError::Damaged { path: path.clone(), problem: e.to_string() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(durable::io(&path)(e)),
        }
    }

    /// Records (or, with `None`, forgets) the publish in progress of proposal `id`.
    pub(crate) fn save_pending(&self, id: &str, pending: Option<&Pending>) -> Result<(), ReviewError> {
        let path = self.pending_path(id);
        match pending {
            Some(p) => {
                let bytes = serde_json::to_vec_pretty(p).map_err(|e| ReviewError::Invalid(e.to_string()))?;
                durable::write_atomic(&path, &bytes)
            }
            None => match std::fs::remove_file(&path) {
                Ok(()) => durable::sync_dir(path.parent().unwrap_or(Path::new("."))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(durable::io(&path)(e)),
            },
        }
    }

    /// Imports the records of earlier versions (`.git/guildhall/proposals/<id>.json`) into the
    /// log, once each, and moves them to `migrated/` (an unreadable one is an error naming it).
    pub(crate) fn migrate_legacy(&self) -> Result<(), ReviewError> {
        let dir = self.repo.path().join(META_DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(durable::io(&dir)(e)),
        };
        let mut files = Vec::new();
        for entry in entries {
            let path = entry.map_err(durable::io(&dir))?.path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if path.is_file() && name.ends_with(".json") && !name.starts_with('.') {
                files.push(path);
            }
        }
        if files.is_empty() {
            return Ok(());
        }
        files.sort();
        let known = self.fold_all()?;
        let sig = self.repo.signature().or_else(|_| Signature::now("Guildhall", "guildhall@localhost"))?;
        let by = Person {
            name: sig.name().unwrap_or("Guildhall").to_string(),
            email: sig.email().unwrap_or("guildhall@localhost").to_string(),
        };
        for path in files {
            let bytes = std::fs::read(&path).map_err(durable::io(&path))?;
            let rec: record::ProposalRecord = serde_json::from_slice(&bytes)
                .map_err(|e| ReviewError::Damaged { path: path.clone(), problem: e.to_string() })?;
            let p = Proposal::from(rec.clone());
            if !known.contains_key(&p.id) && !is_ulid(&p.id) {
                let mut e = MetaEvent::new(&p.id, by.clone(), CommentAction::Proposed, "");
                e.imported = Some(rec);
                self.append_meta(&e)?;
            }
            if let Some(pending) = &p.pending {
                self.save_pending(&p.id, Some(pending))?;
            }
            let moved = dir.join("migrated").join(path.file_name().unwrap_or_default());
            std::fs::create_dir_all(dir.join("migrated")).map_err(durable::io(&dir))?;
            std::fs::rename(&path, &moved).map_err(durable::io(&path))?;
            durable::sync_dir(&dir)?;
        }
        Ok(())
    }
}

/// The first event of a proposal: `proposed` with its content, or an imported record.
fn start(e: MetaEvent) -> Option<Proposal> {
    if let Some(rec) = e.imported {
        if is_ulid(&e.proposal) {
            return None;
        }
        let mut p = Proposal::from(rec);
        p.id = e.proposal;
        p.pending = None;
        return Some(p);
    }
    let c = e.content.filter(|_| e.action == CommentAction::Proposed)?;
    Some(Proposal {
        id: e.proposal,
        title: c.title,
        reason: c.reason,
        author: e.by.clone(),
        status: Status::Open,
        created_at: e.at,
        updated_at: e.at,
        revision: 1,
        files: c.files,
        kinds: c.kinds,
        commit: c.commit,
        base: c.base,
        comments: vec![Comment { by: e.by, at: e.at, action: CommentAction::Proposed, text: e.text }],
        published: None,
        pending: None,
    })
}

/// Whether `by` may decide on `p` under the published rules.
fn may_decide(trust: &Trust, by: &Person, p: &Proposal) -> bool {
    let Some(rules) = &trust.rules else { return false };
    let Some(member) = trust.members.iter().find(|m| !m.email.is_empty() && m.email.eq_ignore_ascii_case(&by.email))
    else {
        return false;
    };
    let own = by.email.eq_ignore_ascii_case(&p.author.email);
    (!own || rules.allow_self_approval) && rules.missing_role(member, &p.kinds).is_none()
}
