//! The shared event log: everything shared that is not reviewed content (discussions, feedback,
//! attestations, RSVPs, profiles, thanks...) is an event in one log that every clone syncs.
//!
//! - **Where**: the branch `guildhall/events` (forge protection rules apply per branch), one
//!   immutable file per event, `events/YYYY/MM/<ulid>.md` (year and month of the id's time).
//! - **What**: YAML front matter (`id`, `kind`, `author` {name, email}, `clock`, `refs`, `at`)
//!   and a Markdown body where the kind has one. `refs` name what the event is about: another
//!   event by its id, or `<scheme>:<value>` (`doc:guides/intro.md`, `proposal:<ulid>`).
//! - **Order**: state is derived by [`EventLog::replay`], in the order (logical clock, id). The
//!   clock is a Lamport clock: one more than the highest clock the author's log held.
//! - **Sync** never conflicts: each event adds one new file, so the remote log and the local one
//!   are a union; local event commits not yet pushed are re-applied on top of the fetched log and
//!   pushed as a fast-forward (retried when another clone pushed first). A remote log that does
//!   not contain what this clone accepted before (force-pushed) is refused and local events kept.
//! - **Trust**, re-checked at every replay: the event's author must be the author of the commit
//!   that added it; the kind's roles are checked against `guildhall.toml` on `main` (an event
//!   whose author lacks the role is ignored and reported); a clock far beyond the log so far
//!   ([`MAX_CLOCK_JUMP`]) is capped; duplicate ids, dangling, forward or cyclic references,
//!   changed or deleted event files, unsafe file names, symbolic links and merge commits are
//!   refused with a [`Diagnostic`] naming the file, line and commit.
//! - **Kinds** are registered by the features that use the log ([`Registry::register`]); an event
//!   of a kind this version does not know is ignored and reported, never dropped from the log.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use git2::{Commit, FileMode, Oid, Repository, Signature, Sort};
use guildhall_content::{CONFIG_FILE, HubConfig};
use serde::{Deserialize, Serialize};

use crate::outbox::{Action, Outbox};
use crate::{Auth, MAIN, Person, SyncError};

/// The log's branch.
pub const EVENTS_BRANCH: &str = "refs/heads/guildhall/events";
/// The remote's log as last fetched.
pub const REMOTE_EVENTS: &str = "refs/remotes/origin/guildhall/events";
/// The remote log this clone last accepted: a fetched log must contain it.
pub const ACCEPTED_EVENTS: &str = "refs/guildhall/events-accepted";
/// How far beyond the highest clock so far an event's clock may go before it is capped.
pub const MAX_CLOCK_JUMP: u64 = 1000;
/// Largest event file.
pub const MAX_EVENT_BYTES: usize = 256 * 1024;
/// Most references one event may carry.
pub const MAX_REFS: usize = 64;
/// How many times a push of the log is retried when another clone pushed first.
pub const PUSH_ATTEMPTS: u32 = 8;

/// Whether a kind of event carries a Markdown body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Body {
    /// No body (an RSVP, a reaction).
    None,
    /// A body is allowed.
    Optional,
    /// A non-empty body is required (a comment).
    Required,
}

/// A kind of event, as the feature that uses it registers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindSpec {
    /// `discussion.post`, `feedback`, `attestation`...: lower case, digits, `.` and `-`.
    pub name: String,
    /// Roles (any one of them) the author must hold in `guildhall.toml` on `main`; empty: anyone
    /// who may push to the log.
    pub roles: Vec<String>,
    pub body: Body,
}

impl KindSpec {
    pub fn new(name: &str, roles: &[&str], body: Body) -> KindSpec {
        KindSpec { name: name.to_owned(), roles: roles.iter().map(|r| (*r).to_owned()).collect(), body }
    }
}

/// The kinds this build knows.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    kinds: BTreeMap<String, KindSpec>,
}

impl Registry {
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Adds a kind; a name already registered, or not of the form `[a-z0-9.-]+`, is refused.
    pub fn register(&mut self, spec: KindSpec) -> Result<(), SyncError> {
        let valid = !spec.name.is_empty()
            && spec.name.len() <= 64
            && spec.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
        if !valid {
            return Err(SyncError::Invalid(format!("`{}` is not a valid event kind (a-z, 0-9, `.`, `-`)", spec.name)));
        }
        if self.kinds.contains_key(&spec.name) {
            return Err(SyncError::Invalid(format!("the event kind `{}` is registered twice", spec.name)));
        }
        self.kinds.insert(spec.name.clone(), spec);
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&KindSpec> {
        self.kinds.get(name)
    }
}

/// The front matter of an event file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    id: String,
    kind: String,
    author: Person,
    clock: u64,
    #[serde(default)]
    refs: Vec<String>,
    /// RFC 3339 UTC, informative (order comes from the clock).
    at: String,
}

/// A replayed event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub id: String,
    pub kind: String,
    pub author: Person,
    /// The clock used for ordering (capped when the file's was far ahead; see [`MAX_CLOCK_JUMP`]).
    pub clock: u64,
    pub refs: Vec<String>,
    pub at: String,
    pub body: String,
    /// The file in the log, and the commit that added it.
    pub path: String,
    pub commit: String,
}

/// Why an event (or a commit of the log) was refused or adjusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagCode {
    /// A file whose name is not `events/YYYY/MM/<ulid>.md` matching its id's month.
    UnsafePath,
    /// A symbolic link, a submodule or an executable where an event file should be.
    NotAFile,
    /// Front matter that does not parse, a missing field, a file too large, not UTF-8.
    Malformed,
    /// The `id` field is not the file name.
    IdMismatch,
    /// The event's author is not the author of the commit that added it.
    AuthorMismatch,
    /// A second event with an id already in the log.
    Duplicate,
    /// A commit changed or deleted an existing event file (events are immutable).
    Immutable,
    /// A merge commit in the log (the log is linear).
    MergeCommit,
    /// A clock far beyond the others, capped.
    ClockCapped,
    /// A kind this version does not know.
    UnknownKind,
    /// The author lacks the role the kind needs (re-checked against `guildhall.toml` on `main`).
    MissingRole,
    /// A body where the kind has none, or none where it needs one.
    Body,
    /// A reference to an event that is not in the log (or was refused).
    Dangling,
    /// A reference to an event that comes later in the order.
    ForwardRef,
    /// References that form a cycle.
    Cycle,
    /// `guildhall.toml` on `main` does not parse: nobody holds a role until an admin fixes it.
    Config,
}

/// A diagnostic from replaying the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: DiagCode,
    pub message: String,
    /// The file in the log, and the line in it when known.
    pub path: Option<String>,
    pub line: Option<usize>,
    pub commit: Option<String>,
    pub event: Option<String>,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(p) = &self.path {
            write!(f, "{p}")?;
            if let Some(l) = self.line {
                write!(f, ":{l}")?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)?;
        if let Some(c) = &self.commit {
            write!(f, " (commit {})", &c[..c.len().min(10)])?;
        }
        Ok(())
    }
}

/// The events in order, and what was refused on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Replay {
    pub events: Vec<Event>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What a sync of the log did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LogSync {
    /// Local events pushed to the remote.
    pub sent: usize,
    /// Outbox entries found already on the remote (sent before a crash): not sent again.
    pub already_there: usize,
    /// Push attempts (more than one when other clones pushed first).
    pub attempts: u32,
}

/// The event log of one clone.
pub struct EventLog<'a> {
    repo: &'a Repository,
    registry: &'a Registry,
}

impl std::fmt::Debug for EventLog<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventLog").field("repo", &self.repo.path()).field("registry", &self.registry).finish()
    }
}

impl<'a> EventLog<'a> {
    pub fn new(repo: &'a Repository, registry: &'a Registry) -> EventLog<'a> {
        EventLog { repo, registry }
    }

    /// Appends an event by the repository's git user. The kind must be registered, the body fit
    /// it, event references exist, and the author hold the kind's role on `main`. When this
    /// returns, the event is committed to the local log and queued in the outbox (durably).
    pub fn append(&self, kind: &str, refs: &[String], body: &str) -> Result<Event, SyncError> {
        let spec = self
            .registry
            .get(kind)
            .ok_or_else(|| SyncError::Invalid(format!("`{kind}` is not a registered event kind")))?;
        check_body(spec, body).map_err(SyncError::Invalid)?;
        if refs.len() > MAX_REFS {
            return Err(SyncError::Invalid(format!("an event refers to at most {MAX_REFS} things")));
        }
        let author = crate::identity(self.repo)?;
        let current = self.replay()?;
        let (members, _) = members_on_main(self.repo);
        if let Some(why) = missing_role(spec, &author, &members) {
            return Err(SyncError::Invalid(why));
        }
        let known: BTreeSet<&str> = current.events.iter().map(|e| e.id.as_str()).collect();
        for r in refs {
            match classify_ref(r) {
                RefKind::Event => {
                    if !known.contains(r.as_str()) {
                        return Err(SyncError::Invalid(format!("`{r}` is not an event of this log")));
                    }
                }
                RefKind::External => {}
                RefKind::Invalid => {
                    return Err(SyncError::Invalid(format!(
                        "`{r}`: a reference is an event id or `<scheme>:<value>` (`doc:guides/intro.md`)"
                    )));
                }
            }
        }
        let id = ulid::Ulid::new();
        let clock = current.events.iter().map(|e| e.clock).max().unwrap_or(0) + 1;
        let (year, month) = crate::time::year_month(id.timestamp_ms());
        let path = format!("events/{year:04}/{month:02}/{id}.md");
        let header = Header {
            id: id.to_string(),
            kind: kind.to_owned(),
            author: author.clone(),
            clock,
            refs: refs.to_vec(),
            at: crate::time::rfc3339(crate::time::now()),
        };
        let content = render(&header, body)?;
        // Durable first: once queued, a crash before the commit is repaired by the next sync.
        Outbox::of(self.repo).add(Action::Event {
            event: header.id.clone(),
            path: path.clone(),
            content: content.clone(),
            author: author.clone(),
        })?;
        let commit = self.commit_local(&path, &content, &author)?;
        Ok(Event {
            id: header.id,
            kind: header.kind,
            author,
            clock,
            refs: header.refs,
            at: header.at,
            body: body.to_owned(),
            path,
            commit: commit.to_string(),
        })
    }

    /// Commits one event file on top of the local log (retrying if the branch moves meanwhile).
    fn commit_local(&self, path: &str, content: &str, author: &Person) -> Result<Oid, SyncError> {
        let sig = Signature::now(&author.name, &author.email)?;
        for _ in 0..5 {
            let tip = self.repo.find_reference(EVENTS_BRANCH).ok().and_then(|r| r.peel_to_commit().ok());
            let oid = commit_event(self.repo, tip.as_ref(), path, content.as_bytes(), &sig, &sig)?;
            let moved = match &tip {
                Some(t) => self.repo.reference_matching(EVENTS_BRANCH, oid, true, t.id(), "guildhall: event"),
                None => self.repo.reference(EVENTS_BRANCH, oid, false, "guildhall: event log created"),
            };
            match moved {
                Ok(_) => {
                    crate::durable::sync_objects_and_ref(self.repo, &[oid], EVENTS_BRANCH)?;
                    return Ok(oid);
                }
                Err(e) if matches!(e.code(), git2::ErrorCode::Modified | git2::ErrorCode::Exists) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(SyncError::Invalid("the local event log kept moving while appending; try again".into()))
    }

    /// Replays the local log (remote events synced so far plus local ones not yet sent).
    pub fn replay(&self) -> Result<Replay, SyncError> {
        let tip = self.repo.find_reference(EVENTS_BRANCH).ok().and_then(|r| r.target());
        self.replay_at(tip)
    }

    /// Replays the log ending at commit `tip`.
    pub fn replay_at(&self, tip: Option<Oid>) -> Result<Replay, SyncError> {
        let mut diags = Vec::new();
        let Some(tip) = tip else { return Ok(Replay::default()) };
        // 1. Structure, commit by commit, parents first.
        let mut candidates: Vec<Event> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut walk = self.repo.revwalk()?;
        walk.push(tip)?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        for oid in walk {
            let commit = self.repo.find_commit(oid?)?;
            structural(self.repo, &commit, &mut candidates, &mut seen, &mut diags)?;
        }
        // 2. Clocks: a clock far beyond the highest so far is capped.
        let mut high = 0u64;
        for e in &mut candidates {
            let cap = high.saturating_add(MAX_CLOCK_JUMP);
            if e.clock > cap {
                diags.push(diag(
                    DiagCode::ClockCapped,
                    format!("clock {} is far beyond the log's {high}: ordered as {cap}", e.clock),
                    e,
                ));
                e.clock = cap;
            }
            high = high.max(e.clock);
        }
        // 3. Kinds, bodies and roles, against guildhall.toml on main.
        let (members, config_error) = members_on_main(self.repo);
        if let Some(message) = config_error {
            diags.push(Diagnostic {
                code: DiagCode::Config,
                message,
                path: Some(CONFIG_FILE.into()),
                line: None,
                commit: None,
                event: None,
            });
        }
        let mut accepted: BTreeMap<String, Event> = BTreeMap::new();
        for e in candidates {
            let Some(spec) = self.registry.get(&e.kind) else {
                diags.push(diag(
                    DiagCode::UnknownKind,
                    format!("`{}` is not an event kind this version knows: ignored (kept in the log)", e.kind),
                    &e,
                ));
                continue;
            };
            if let Err(why) = check_body(spec, &e.body) {
                diags.push(diag(DiagCode::Body, why, &e));
                continue;
            }
            if let Some(why) = missing_role(spec, &e.author, &members) {
                diags.push(diag(DiagCode::MissingRole, format!("{why}: ignored"), &e));
                continue;
            }
            accepted.insert(e.id.clone(), e);
        }
        // 4. References: cycles, then forward and dangling ones, until nothing changes (an event
        //    about a refused event is refused too).
        for id in cycles(&accepted) {
            if let Some(e) = accepted.remove(&id) {
                diags.push(diag(DiagCode::Cycle, "its references form a cycle: ignored".into(), &e));
            }
        }
        loop {
            let mut refused = Vec::new();
            for e in accepted.values() {
                for r in &e.refs {
                    if classify_ref(r) != RefKind::Event {
                        continue;
                    }
                    match accepted.get(r) {
                        None => refused.push((
                            e.id.clone(),
                            DiagCode::Dangling,
                            format!("refers to `{r}`, which is not in the log (or was refused): ignored"),
                        )),
                        Some(target) if (target.clock, &target.id) >= (e.clock, &e.id) => refused.push((
                            e.id.clone(),
                            DiagCode::ForwardRef,
                            format!("refers to `{r}`, which comes after it: ignored"),
                        )),
                        Some(_) => {}
                    }
                }
            }
            if refused.is_empty() {
                break;
            }
            for (id, code, message) in refused {
                if let Some(e) = accepted.remove(&id) {
                    diags.push(diag(code, message, &e));
                }
            }
        }
        let mut events: Vec<Event> = accepted.into_values().collect();
        events.sort_by(|a, b| (a.clock, &a.id).cmp(&(b.clock, &b.id)));
        Ok(Replay { events, diagnostics: diags })
    }

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

fn diag(code: DiagCode, message: String, e: &Event) -> Diagnostic {
    Diagnostic {
        code,
        message: format!("event {} ({}, by {}): {message}", e.id, e.kind, e.author),
        path: Some(e.path.clone()),
        line: None,
        commit: Some(e.commit.clone()),
        event: Some(e.id.clone()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RefKind {
    Event,
    External,
    Invalid,
}

fn classify_ref(r: &str) -> RefKind {
    if is_canonical_ulid(r) {
        RefKind::Event
    } else if let Some((scheme, value)) = r.split_once(':')
        && !scheme.is_empty()
        && scheme.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && !value.is_empty()
        && !value.chars().any(char::is_control)
    {
        RefKind::External
    } else {
        RefKind::Invalid
    }
}

fn is_canonical_ulid(s: &str) -> bool {
    s.len() == 26 && ulid::Ulid::from_string(s).is_ok_and(|u| u.to_string() == s)
}

fn check_body(spec: &KindSpec, body: &str) -> Result<(), String> {
    match spec.body {
        Body::None if !body.trim().is_empty() => Err(format!("a `{}` event has no body", spec.name)),
        Body::Required if body.trim().is_empty() => Err(format!("a `{}` event needs a body", spec.name)),
        _ => Ok(()),
    }
}

/// Why `who` may not post `spec` (None: they may).
fn missing_role(spec: &KindSpec, who: &Person, members: &[guildhall_content::Member]) -> Option<String> {
    if spec.roles.is_empty() {
        return None;
    }
    let member = members.iter().find(|m| !m.email.is_empty() && m.email.eq_ignore_ascii_case(&who.email));
    let has = member.is_some_and(|m| m.roles.iter().any(|r| spec.roles.contains(r)));
    (!has).then(|| {
        format!(
            "a `{}` event needs the role {} in guildhall.toml on main, and {who} {}",
            spec.name,
            spec.roles.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(" or "),
            if member.is_some() { "does not have it" } else { "is not a member" }
        )
    })
}

/// The members of `guildhall.toml` on `main`, and why none are when it does not parse.
fn members_on_main(repo: &Repository) -> (Vec<guildhall_content::Member>, Option<String>) {
    let Some(tree) = repo.find_reference(MAIN).ok().and_then(|r| r.peel_to_tree().ok()) else {
        return (Vec::new(), None);
    };
    let Ok(entry) = tree.get_path(Path::new(CONFIG_FILE)) else { return (Vec::new(), None) };
    let Ok(blob) = repo.find_blob(entry.id()) else { return (Vec::new(), None) };
    let text = String::from_utf8_lossy(blob.content());
    let (config, diags) = HubConfig::parse(&text);
    if let Some(d) = diags.first() {
        return (
            Vec::new(),
            Some(format!(
                "guildhall.toml on main does not parse ({d}): nobody holds a role until an admin fixes it directly on main"
            )),
        );
    }
    (config.members, None)
}

/// The event's file: front matter, then the body.
fn render(header: &Header, body: &str) -> Result<String, SyncError> {
    let yaml = serde_yaml_ng::to_string(header).map_err(|e| SyncError::Invalid(e.to_string()))?;
    let mut out = format!("---\n{yaml}---\n");
    if !body.is_empty() {
        out.push_str(body);
        if !body.ends_with('\n') {
            out.push('\n');
        }
    }
    Ok(out)
}

/// Splits and parses an event file; errors carry the line.
fn parse(bytes: &[u8]) -> Result<(Header, String), (String, Option<usize>)> {
    if bytes.len() > MAX_EVENT_BYTES {
        return Err((format!("larger than {MAX_EVENT_BYTES} bytes"), None));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ("not UTF-8".to_owned(), None))?;
    let rest = text.strip_prefix("---\n").ok_or(("does not start with `---` (front matter)".to_owned(), Some(1)))?;
    let (yaml, body) = if let Some(i) = rest.find("\n---\n") {
        (&rest[..=i], &rest[i + 5..])
    } else if let Some(y) = rest.strip_suffix("\n---") {
        (y, "")
    } else {
        return Err(("the front matter is not closed by `---`".into(), None));
    };
    let header: Header = serde_yaml_ng::from_str(yaml)
        .map_err(|e| (format!("front matter: {e}"), e.location().map(|l| l.line() + 1)))?;
    Ok((header, body.to_owned()))
}

/// The files a commit adds (against its first parent), with their blob ids.
fn added_files(repo: &Repository, commit: &Commit<'_>) -> Result<Vec<(String, Oid)>, SyncError> {
    let parent_tree = commit.parents().next().map(|p| p.tree()).transpose()?;
    let diff = repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&commit.tree()?), None)?;
    Ok(diff
        .deltas()
        .filter(|d| d.status() == git2::Delta::Added)
        .filter_map(|d| Some((d.new_file().path()?.to_str()?.to_owned(), d.new_file().id())))
        .collect())
}

/// Checks one commit of the log and collects the events it adds.
fn structural(
    repo: &Repository,
    commit: &Commit<'_>,
    out: &mut Vec<Event>,
    seen: &mut HashMap<String, usize>,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), SyncError> {
    let cid = commit.id().to_string();
    let cdiag = |code, path: Option<&str>, line, message: String| Diagnostic {
        code,
        message,
        path: path.map(str::to_owned),
        line,
        commit: Some(cid.clone()),
        event: None,
    };
    if commit.parent_count() > 1 {
        diags.push(cdiag(
            DiagCode::MergeCommit,
            None,
            None,
            "a merge commit in the event log: what it adds is ignored".into(),
        ));
        return Ok(());
    }
    let parent_tree = commit.parents().next().map(|p| p.tree()).transpose()?;
    let diff = repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&commit.tree()?), None)?;
    let author = commit.author();
    let commit_email = author.email().unwrap_or_default().to_owned();
    for delta in diff.deltas() {
        let file = delta.new_file();
        let path = file.path().or(delta.old_file().path()).and_then(|p| p.to_str()).unwrap_or("(not UTF-8)").to_owned();
        if delta.status() != git2::Delta::Added {
            diags.push(cdiag(
                DiagCode::Immutable,
                Some(&path),
                None,
                format!(
                    "events are immutable, but this commit {} the file: the change is ignored",
                    match delta.status() {
                        git2::Delta::Deleted => "deletes",
                        _ => "changes",
                    }
                ),
            ));
            continue;
        }
        let Some(id) = event_path_id(&path) else {
            diags.push(cdiag(
                DiagCode::UnsafePath,
                Some(&path),
                None,
                "not an event file name (`events/YYYY/MM/<ulid>.md`, the id's year and month): ignored".into(),
            ));
            continue;
        };
        match file.mode() {
            FileMode::Blob => {}
            FileMode::Link => {
                diags.push(cdiag(
                    DiagCode::NotAFile,
                    Some(&path),
                    None,
                    "a symbolic link, not an event file: refused".into(),
                ));
                continue;
            }
            _ => {
                diags.push(cdiag(
                    DiagCode::NotAFile,
                    Some(&path),
                    None,
                    "not a plain file (mode 100644): refused".into(),
                ));
                continue;
            }
        }
        let blob = repo.find_blob(file.id())?;
        let (header, body) = match parse(blob.content()) {
            Ok(p) => p,
            Err((message, line)) => {
                diags.push(cdiag(DiagCode::Malformed, Some(&path), line, format!("{message}: ignored")));
                continue;
            }
        };
        if header.id != id {
            diags.push(cdiag(
                DiagCode::IdMismatch,
                Some(&path),
                Some(2),
                format!("the id `{}` is not the file's name: ignored", header.id),
            ));
            continue;
        }
        if !header.author.email.eq_ignore_ascii_case(&commit_email) {
            diags.push(cdiag(
                DiagCode::AuthorMismatch,
                Some(&path),
                None,
                format!(
                    "written as {}, but committed by <{commit_email}>: an event's author must be the commit's: ignored",
                    header.author
                ),
            ));
            continue;
        }
        if let Some(&first) = seen.get(&id) {
            diags.push(cdiag(
                DiagCode::Duplicate,
                Some(&path),
                None,
                format!("the id {id} is already used by {}: ignored", out[first].path),
            ));
            continue;
        }
        seen.insert(id.clone(), out.len());
        out.push(Event {
            id,
            kind: header.kind,
            author: header.author,
            clock: header.clock,
            refs: header.refs,
            at: header.at,
            body,
            path,
            commit: cid.clone(),
        });
    }
    Ok(())
}

/// The id of `events/YYYY/MM/<ulid>.md` when the name is exactly that and the year and month
/// are the id's.
fn event_path_id(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let [root, year, month, file] = parts.as_slice() else { return None };
    let id = file.strip_suffix(".md")?;
    if *root != "events" || !is_canonical_ulid(id) {
        return None;
    }
    let ulid = ulid::Ulid::from_string(id).ok()?;
    let (y, m) = crate::time::year_month(ulid.timestamp_ms());
    (*year == format!("{y:04}") && *month == format!("{m:02}")).then(|| id.to_owned())
}

/// The ids of events on a reference cycle.
fn cycles(events: &BTreeMap<String, Event>) -> BTreeSet<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Active,
        Done,
    }
    fn visit(
        id: &str,
        events: &BTreeMap<String, Event>,
        marks: &mut HashMap<String, Mark>,
        stack: &mut Vec<String>,
        out: &mut BTreeSet<String>,
    ) {
        match marks.get(id) {
            Some(Mark::Done) => return,
            Some(Mark::Active) => {
                if let Some(pos) = stack.iter().position(|s| s == id) {
                    out.extend(stack[pos..].iter().cloned());
                }
                return;
            }
            None => {}
        }
        marks.insert(id.to_owned(), Mark::Active);
        stack.push(id.to_owned());
        if let Some(e) = events.get(id) {
            for r in &e.refs {
                if events.contains_key(r) {
                    visit(r, events, marks, stack, out);
                }
            }
        }
        stack.pop();
        marks.insert(id.to_owned(), Mark::Done);
    }
    let mut marks = HashMap::new();
    let mut out = BTreeSet::new();
    for id in events.keys() {
        visit(id, events, &mut marks, &mut Vec::new(), &mut out);
    }
    out
}

/// A commit adding one file at `path` on top of `parent` (or as the first commit).
fn commit_event(
    repo: &Repository,
    parent: Option<&Commit<'_>>,
    path: &str,
    content: &[u8],
    author: &Signature<'_>,
    committer: &Signature<'_>,
) -> Result<Oid, SyncError> {
    let blob = repo.blob(content)?;
    let base = match parent {
        Some(p) => p.tree()?,
        None => repo.find_tree(repo.treebuilder(None)?.write()?)?,
    };
    let mut update = git2::build::TreeUpdateBuilder::new();
    update.upsert(path, blob, FileMode::Blob);
    let tree = repo.find_tree(update.create_updated(repo, &base)?)?;
    let id = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".md");
    let message = format!("event {id}\n");
    let parents: Vec<&Commit<'_>> = parent.into_iter().collect();
    Ok(repo.commit(None, author, committer, &message, &tree, &parents)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn event_file_names() {
        let id = ulid::Ulid::new();
        let (y, m) = crate::time::year_month(id.timestamp_ms());
        assert_eq!(event_path_id(&format!("events/{y:04}/{m:02}/{id}.md")), Some(id.to_string()));
        assert_eq!(event_path_id(&format!("events/{y:04}/{m:02}/../{id}.md")), None);
        assert_eq!(event_path_id(&format!("events/1999/{m:02}/{id}.md")), None);
        assert_eq!(event_path_id(&format!("events/{y:04}/{m:02}/{}.md", id.to_string().to_lowercase())), None);
        assert_eq!(event_path_id("README.md"), None);
    }

    #[test]
    fn references() {
        assert_eq!(classify_ref(&ulid::Ulid::new().to_string()), RefKind::Event);
        assert_eq!(classify_ref("doc:guides/intro.md"), RefKind::External);
        assert_eq!(classify_ref("nonsense"), RefKind::Invalid);
        assert_eq!(classify_ref(":x"), RefKind::Invalid);
    }

    #[test]
    fn render_then_parse() {
        let h = Header {
            id: ulid::Ulid::new().to_string(),
            kind: "comment".into(),
            author: Person { name: "Ada: \"the\" author".into(), email: "ada@example.org".into() },
            clock: 7,
            refs: vec!["doc:a.md".into()],
            at: "2026-01-01T00:00:00Z".into(),
        };
        let text = render(&h, "Hello\n---\nworld").unwrap();
        let (back, body) = parse(text.as_bytes()).unwrap();
        assert_eq!(back, h);
        assert_eq!(body, "Hello\n---\nworld\n");
        let (_, line) = parse(b"---\nid: x\nkind: [\n---\n").unwrap_err();
        assert!(line.is_some());
    }
}
