//! Replaying the log: every commit checked, clocks capped, kinds, bodies and roles checked
//! against `main`, references checked, then the events in the order (clock, id).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use git2::{Commit, DiffDelta, FileMode, Oid, Repository, Sort};
use guildhall_content::CONFIG_FILE;

use super::file::{Header, RefKind, classify_ref, event_path_id, parse};
use super::trust::{check_body, members_on_main, missing_role};
use super::{DiagCode, Diagnostic, EVENTS_BRANCH, Event, EventLog, MAX_CLOCK_JUMP, Replay};
use crate::SyncError;

impl EventLog<'_> {
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
        cap_clocks(&mut candidates, &mut diags);
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
        refuse_bad_refs(&mut accepted, &mut diags);
        let mut events: Vec<Event> = accepted.into_values().collect();
        events.sort_by(|a, b| (a.clock, &a.id).cmp(&(b.clock, &b.id)));
        Ok(Replay { events, diagnostics: diags })
    }
}

/// Caps every clock far beyond the highest before it (in log order) at that plus
/// [`MAX_CLOCK_JUMP`].
fn cap_clocks(candidates: &mut [Event], diags: &mut Vec<Diagnostic>) {
    let mut high = 0u64;
    for e in candidates {
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
}

/// Removes the events on a reference cycle, then those referring to an event that is missing or
/// comes later, until nothing changes (an event about a refused event is refused too).
fn refuse_bad_refs(accepted: &mut BTreeMap<String, Event>, diags: &mut Vec<Diagnostic>) {
    for id in cycles(accepted) {
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

/// A diagnostic about what commit `cid` does to `path` (or about the commit itself).
fn commit_diag(cid: &str, code: DiagCode, path: Option<&str>, line: Option<usize>, message: String) -> Diagnostic {
    Diagnostic { code, message, path: path.map(str::to_owned), line, commit: Some(cid.to_owned()), event: None }
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
    if commit.parent_count() > 1 {
        diags.push(commit_diag(
            &cid,
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
        let Some((id, path, header, body)) = added_event(repo, &delta, &cid, &commit_email, diags)? else {
            continue;
        };
        if let Some(&first) = seen.get(&id) {
            diags.push(commit_diag(
                &cid,
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

/// The event one change of commit `cid` adds (its id, file, front matter and body), or `None`
/// with a diagnostic saying why the change is not one: events are only ever added, as plain
/// files named after their id, by their own author.
fn added_event(
    repo: &Repository,
    delta: &DiffDelta<'_>,
    cid: &str,
    commit_email: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<(String, String, Header, String)>, SyncError> {
    let file = delta.new_file();
    let path = file.path().or(delta.old_file().path()).and_then(|p| p.to_str()).unwrap_or("(not UTF-8)").to_owned();
    let mut refuse = |code, line, message: String| {
        diags.push(commit_diag(cid, code, Some(&path), line, message));
        Ok(None)
    };
    if delta.status() != git2::Delta::Added {
        let what = if delta.status() == git2::Delta::Deleted { "deletes" } else { "changes" };
        return refuse(
            DiagCode::Immutable,
            None,
            format!("events are immutable, but this commit {what} the file: the change is ignored"),
        );
    }
    let Some(id) = event_path_id(&path) else {
        return refuse(
            DiagCode::UnsafePath,
            None,
            "not an event file name (`events/YYYY/MM/<ulid>.md`, the id's year and month): ignored".into(),
        );
    };
    match file.mode() {
        FileMode::Blob => {}
        FileMode::Link => {
            return refuse(DiagCode::NotAFile, None, "a symbolic link, not an event file: refused".into());
        }
        _ => return refuse(DiagCode::NotAFile, None, "not a plain file (mode 100644): refused".into()),
    }
    let blob = repo.find_blob(file.id())?;
    let (header, body) = match parse(blob.content()) {
        Ok(p) => p,
        Err((message, line)) => return refuse(DiagCode::Malformed, line, format!("{message}: ignored")),
    };
    if header.id != id {
        return refuse(
            DiagCode::IdMismatch,
            Some(2),
            format!("the id `{}` is not the file's name: ignored", header.id),
        );
    }
    if !header.author.email.eq_ignore_ascii_case(commit_email) {
        return refuse(
            DiagCode::AuthorMismatch,
            None,
            format!(
                "written as {}, but committed by <{commit_email}>: an event's author must be the commit's: ignored",
                header.author
            ),
        );
    }
    Ok(Some((id, path, header, body)))
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
