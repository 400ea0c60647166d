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

mod file;
mod replay;
mod sync;
mod trust;

use std::collections::{BTreeMap, BTreeSet};

use git2::{Oid, Repository, Signature};
use serde::Serialize;

use self::file::{Header, RefKind, classify_ref, commit_event, render};
use self::trust::{check_body, members_on_main, missing_role};
use crate::outbox::{Action, Outbox};
use crate::{Person, SyncError};

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
}
