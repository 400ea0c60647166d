//! The shared event log: concurrent appends, replay order, trust rules, a rewritten log.

use std::path::Path;

use git2::{FileMode, Repository, Signature};
use guildhall_sync::events::{Body, DiagCode, EVENTS_BRANCH, EventLog, KindSpec, Registry};
use guildhall_sync::{Auth, Outbox, SyncError, SyncOptions};

use crate::servers::servers;
use crate::{clone_as, unique, workdir};

fn registry() -> Registry {
    let mut r = Registry::new();
    r.register(KindSpec::new("note", &[], Body::Required)).unwrap();
    r.register(KindSpec::new("rsvp", &[], Body::None)).unwrap();
    r.register(KindSpec::new("sign-off", &["mentor"], Body::Optional)).unwrap();
    r
}

fn ids(repo: &Repository) -> Vec<String> {
    let reg = registry();
    let replay = EventLog::new(repo, &reg).replay().unwrap();
    assert!(replay.diagnostics.is_empty(), "{:?}", replay.diagnostics);
    replay.events.into_iter().map(|e| e.id).collect()
}

#[test]
fn kinds_are_registered_once_with_valid_names() {
    let mut r = registry();
    assert!(r.register(KindSpec::new("note", &[], Body::None)).is_err());
    assert!(r.register(KindSpec::new("Bad Name", &[], Body::None)).is_err());
}

#[test]
fn concurrent_appends_from_three_clones_all_land_in_the_same_order() {
    let s = servers();
    let name = unique("events");
    s.new_remote(&name, 1, false);
    let url = s.git_url(&name);
    let clones: Vec<_> = ["alice", "bob", "rita"].iter().map(|who| clone_as(&url, who, &Auth::none())).collect();
    let reg = registry();
    let mut appended = Vec::new();
    for (_, repo) in &clones {
        let log = EventLog::new(repo, &reg);
        let first = log.append("note", &["doc:guides/page-000.md".into()], "First thoughts").unwrap();
        let reply = log.append("note", std::slice::from_ref(&first.id), "A follow-up").unwrap();
        assert!(reply.clock > first.clock);
        appended.extend([first.id, reply.id]);
        assert_eq!(Outbox::of(repo).len().unwrap(), 2);
    }
    // All three sync at once: pushes race, the losers fetch, re-apply and retry.
    std::thread::scope(|scope| {
        for (_, repo) in &clones {
            let root = workdir(repo).to_path_buf();
            scope.spawn(move || {
                let report = guildhall_sync::sync(&root, &SyncOptions { auth: Auth::none() }).unwrap();
                assert!(report.errors.is_empty(), "{:?}", report.errors);
                assert_eq!(report.pushed, 2);
                assert_eq!(report.outbox, 0);
            });
        }
    });
    for (_, repo) in &clones {
        let report = guildhall_sync::sync(workdir(repo), &SyncOptions { auth: Auth::none() }).unwrap();
        assert!(report.errors.is_empty(), "{:?}", report.errors);
    }
    let orders: Vec<Vec<String>> = clones.iter().map(|(_, r)| ids(r)).collect();
    assert_eq!(orders[0].len(), 6);
    assert_eq!(orders[0], orders[1]);
    assert_eq!(orders[1], orders[2]);
    let mut expected = appended.clone();
    expected.sort();
    let mut got = orders[0].clone();
    got.sort();
    assert_eq!(got, expected, "every event landed, once");
    // The remote's log is linear: one commit per event, each authored by the event's author.
    let remote = Repository::open_bare(s.repo_path(&name)).unwrap();
    let mut walk = remote.revwalk().unwrap();
    walk.push_ref(EVENTS_BRANCH).unwrap();
    let commits: Vec<_> = walk.map(|o| remote.find_commit(o.unwrap()).unwrap()).collect();
    assert_eq!(commits.len(), 6);
    assert!(commits.iter().all(|c| c.parent_count() <= 1));
    // Replies come after what they answer on every clone.
    let reg = registry();
    let replay = EventLog::new(&clones[0].1, &reg).replay().unwrap();
    for (i, e) in replay.events.iter().enumerate() {
        for r in &e.refs {
            if let Some(j) = replay.events.iter().position(|x| &x.id == r) {
                assert!(j < i);
            }
        }
    }
}

#[test]
fn append_checks_kind_body_refs_and_role() {
    let (_d, repo) = local_hub();
    let reg = registry();
    let log = EventLog::new(&repo, &reg);
    let err = |r: Result<_, SyncError>| r.unwrap_err().to_string();
    assert!(err(log.append("unknown", &[], "x")).contains("not a registered event kind"));
    assert!(err(log.append("note", &[], "  ")).contains("needs a body"));
    assert!(err(log.append("rsvp", &[], "text")).contains("has no body"));
    assert!(err(log.append("note", &[ulid::Ulid::new().to_string()], "x")).contains("not an event of this log"));
    assert!(err(log.append("note", &["nonsense".into()], "x")).contains("<scheme>:<value>"));
    // alice is a citizen developer: a sign-off needs a mentor.
    assert!(err(log.append("sign-off", &[], "")).contains("needs the role `mentor`"));
    let e = log.append("rsvp", &["event:meetup".into()], "").unwrap();
    assert!(e.path.starts_with("events/") && e.path.ends_with(&format!("{}.md", e.id)));
    assert!(!workdir(&repo).join("events").exists(), "events never enter the published tree");
}

/// A local hub (no remote) with alice's identity and the test members on main.
fn local_hub() -> (tempfile::TempDir, Repository) {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repository::init(dir.path()).unwrap();
    crate::set_identity(&repo, "alice");
    std::fs::write(dir.path().join("guildhall.toml"), crate::servers::GUILDHALL_TOML).unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("guildhall.toml")).unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = repo.signature().unwrap();
    repo.commit(Some("refs/heads/main"), &sig, &sig, "init", &tree, &[]).unwrap();
    drop(tree);
    (dir, repo)
}

/// Commits raw files onto the log as `who` (bypassing `append`: what a hostile clone could push).
fn raw_commit(repo: &Repository, who: &str, files: &[(&str, &[u8], FileMode)], deletes: &[&str]) {
    let tip = repo.find_reference(EVENTS_BRANCH).ok().map(|r| r.peel_to_commit().unwrap());
    let base = match &tip {
        Some(c) => c.tree().unwrap(),
        None => repo.find_tree(repo.treebuilder(None).unwrap().write().unwrap()).unwrap(),
    };
    let mut tb = git2::build::TreeUpdateBuilder::new();
    for (path, content, mode) in files {
        tb.upsert(*path, repo.blob(content).unwrap(), *mode);
    }
    for path in deletes {
        tb.remove(*path);
    }
    let tree = repo.find_tree(tb.create_updated(repo, &base).unwrap()).unwrap();
    let sig = Signature::now(who, &format!("{who}@example.org")).unwrap();
    let parents: Vec<_> = tip.iter().collect();
    let oid = repo.commit(None, &sig, &sig, "raw", &tree, &parents).unwrap();
    repo.reference(EVENTS_BRANCH, oid, true, "raw").unwrap();
}

fn event_file(id: &ulid::Ulid, kind: &str, who: &str, clock: u64, refs: &[String], body: &str) -> (String, Vec<u8>) {
    let d = guildhall_content::Date::from_days_since_epoch((id.timestamp_ms() / 86_400_000) as i64);
    let path = format!("events/{:04}/{:02}/{id}.md", d.year(), d.month());
    let refs = refs.iter().map(|r| format!("\"{r}\"")).collect::<Vec<_>>().join(", ");
    let content = format!(
        "---\nid: {id}\nkind: {kind}\nauthor:\n  name: {who}\n  email: {who}@example.org\nclock: {clock}\nrefs: [{refs}]\nat: 2026-01-01T00:00:00Z\n---\n{body}"
    );
    (path, content.into_bytes())
}

#[test]
fn replay_refuses_what_the_trust_rules_forbid() {
    let (_d, repo) = local_hub();
    let reg = registry();
    let ok = ulid::Ulid::new();
    let (ok_path, ok_file) = event_file(&ok, "note", "alice", 1, &[], "Fine\n");
    raw_commit(&repo, "alice", &[(&ok_path, &ok_file, FileMode::Blob)], &[]);
    // Written as alice, committed by bob.
    let forged = ulid::Ulid::new();
    let (p, f) = event_file(&forged, "note", "alice", 2, &[], "Forged\n");
    raw_commit(&repo, "bob", &[(&p, &f, FileMode::Blob)], &[]);
    // A symbolic link and an unsafe name.
    let link = ulid::Ulid::new();
    let (lp, _) = event_file(&link, "note", "alice", 3, &[], "x");
    raw_commit(
        &repo,
        "alice",
        &[(&lp, b"/etc/passwd", FileMode::Link), ("events/2020/01/not-an-id.md", b"x", FileMode::Blob)],
        &[],
    );
    // An event changed, then deleted and added again: the first content is the event.
    let (_, changed) = event_file(&ok, "note", "alice", 4, &[], "Changed\n");
    raw_commit(&repo, "alice", &[(&ok_path, &changed, FileMode::Blob)], &[]);
    raw_commit(&repo, "alice", &[], &[&ok_path]);
    raw_commit(&repo, "alice", &[(&ok_path, &changed, FileMode::Blob)], &[]);
    // A sign-off by a citizen developer, a dangling reference, a cycle, a clock far ahead, an
    // unknown kind and broken front matter.
    let (a, b) = (ulid::Ulid::new(), ulid::Ulid::new());
    let signoff = ulid::Ulid::new();
    let dangling = ulid::Ulid::new();
    let far = ulid::Ulid::new();
    let unknown = ulid::Ulid::new();
    let broken = ulid::Ulid::new();
    let files = [
        event_file(&signoff, "sign-off", "alice", 5, &[], ""),
        event_file(&dangling, "note", "alice", 6, &[ulid::Ulid::new().to_string()], "x"),
        event_file(&a, "note", "alice", 7, &[b.to_string()], "x"),
        event_file(&b, "note", "alice", 8, &[a.to_string()], "x"),
        event_file(&far, "note", "alice", 1_000_000, &[], "Far ahead\n"),
        event_file(&unknown, "poll", "alice", 9, &[], "x"),
    ];
    let (bp, _) = event_file(&broken, "note", "alice", 10, &[], "");
    let broken_text = format!("---\nid: {broken}\nkind: note\nclock: soon\n---\n");
    let mut list: Vec<(&str, &[u8], FileMode)> =
        files.iter().map(|(p, c)| (p.as_str(), c.as_slice(), FileMode::Blob)).collect();
    list.push((&bp, broken_text.as_bytes(), FileMode::Blob));
    raw_commit(&repo, "alice", &list, &[]);

    let replay = EventLog::new(&repo, &reg).replay().unwrap();
    let got: Vec<&str> = replay.events.iter().map(|e| e.id.as_str()).collect();
    let far_s = far.to_string();
    let ok_s = ok.to_string();
    assert_eq!(got, [ok_s.as_str(), far_s.as_str()], "{:#?}", replay.diagnostics);
    let far_event = &replay.events[1];
    assert!(far_event.clock <= 10 + guildhall_sync::events::MAX_CLOCK_JUMP, "capped: {}", far_event.clock);
    assert_eq!(replay.events[0].body, "Fine\n", "an event file is immutable: the first content counts");
    let codes: Vec<DiagCode> = replay.diagnostics.iter().map(|d| d.code).collect();
    for code in [
        DiagCode::AuthorMismatch,
        DiagCode::NotAFile,
        DiagCode::UnsafePath,
        DiagCode::Immutable,
        DiagCode::Duplicate,
        DiagCode::MissingRole,
        DiagCode::Dangling,
        DiagCode::Cycle,
        DiagCode::ClockCapped,
        DiagCode::UnknownKind,
        DiagCode::Malformed,
    ] {
        assert!(codes.contains(&code), "{code:?} missing from {codes:?}");
    }
    let malformed = replay.diagnostics.iter().find(|d| d.code == DiagCode::Malformed).unwrap();
    assert_eq!(malformed.path.as_deref(), Some(bp.as_str()));
    assert_eq!(malformed.line, Some(4), "the line of `clock: soon`: {malformed}");
    assert!(malformed.commit.is_some());

    // Roles are re-checked at replay: rita's sign-off counts while she is a mentor on main.
    let signed = ulid::Ulid::new();
    let (sp, sf) = event_file(&signed, "sign-off", "rita", 20, &[], "");
    raw_commit(&repo, "rita", &[(&sp, &sf, FileMode::Blob)], &[]);
    assert!(EventLog::new(&repo, &reg).replay().unwrap().events.iter().any(|e| e.id == signed.to_string()));
    // ...and is ignored once main no longer gives her the role.
    let toml = crate::servers::GUILDHALL_TOML.replace("roles = [\"mentor\"]", "roles = [\"citizen-developer\"]");
    std::fs::write(workdir(&repo).join("guildhall.toml"), toml).unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("guildhall.toml")).unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = repo.signature().unwrap();
    let parent = repo.find_reference("refs/heads/main").unwrap().peel_to_commit().unwrap();
    repo.commit(Some("refs/heads/main"), &sig, &sig, "rita steps down", &tree, &[&parent]).unwrap();
    let replay = EventLog::new(&repo, &reg).replay().unwrap();
    assert!(!replay.events.iter().any(|e| e.id == signed.to_string()));
    assert!(
        replay
            .diagnostics
            .iter()
            .any(|d| d.code == DiagCode::MissingRole && d.event.as_deref() == Some(&signed.to_string()))
    );
}

#[test]
fn a_force_pushed_log_is_refused_and_local_events_kept() {
    let s = servers();
    let name = unique("rewritten");
    let bare = s.new_remote(&name, 1, false);
    let url = s.git_url(&name);
    let reg = registry();
    let (_a, alice) = clone_as(&url, "alice", &Auth::none());
    EventLog::new(&alice, &reg).append("note", &[], "Published first").unwrap();
    let report = guildhall_sync::sync(workdir(&alice), &SyncOptions { auth: Auth::none() }).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);

    // Someone replaces the server's log with an unrelated history.
    let fresh = tempfile::tempdir().unwrap();
    let other = Repository::init(fresh.path()).unwrap();
    crate::set_identity(&other, "bob");
    let id = ulid::Ulid::new();
    let (p, f) = event_file(&id, "note", "bob", 1, &[], "Rewritten\n");
    raw_commit(&other, "bob", &[(&p, &f, FileMode::Blob)], &[]);
    crate::servers::git(&bare, &["config", "receive.denyNonFastForwards", "false"]);
    crate::servers::git(
        fresh.path(),
        &["push", "-q", "--force", bare.to_str().unwrap(), &format!("{EVENTS_BRANCH}:{EVENTS_BRANCH}")],
    );

    let mine = EventLog::new(&alice, &reg).append("note", &[], "Written offline").unwrap();
    let report = guildhall_sync::sync(workdir(&alice), &SyncOptions { auth: Auth::none() }).unwrap();
    let err = report.error().expect("refused");
    assert_eq!(err.code, "log-rewritten", "{err:?}");
    assert_eq!(report.exit_code(), 1);
    assert_eq!(report.outbox, 1, "the local event stays queued");
    let replay = EventLog::new(&alice, &reg).replay().unwrap();
    assert_eq!(replay.events.len(), 2);
    assert!(replay.events.iter().any(|e| e.id == mine.id));
    assert!(!replay.events.iter().any(|e| e.id == id.to_string()), "the rewritten log is not taken in");
}
