//! The review cycle with several identities in a temporary repository.

use std::fs;
use std::path::{Path, PathBuf};

use guildhall_review::{
    ChangeKind, ChangelogFilter, CommentAction, Review, ReviewError, Rollback, Status, VersionChange,
};

const CONFIG: &str = r#"name = "Test hub"
[[members]]
name = "Alice Author"
email = "alice@example.org"
roles = ["citizen-developer"]
[[members]]
name = "Bob Mentor"
email = "bob@example.org"
roles = ["mentor"]
[[members]]
name = "Carol Admin"
email = "carol@example.org"
roles = ["admin"]
"#;

fn hub(extra_config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "guildhall.toml", &format!("{CONFIG}{extra_config}"));
    write(dir.path(), "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nCalls fail.\n");
    write(dir.path(), "glossary/backoff.md", "---\nterm: Backoff\nplain: Waiting longer each time.\n---\nText.\n");
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    fs::write(p, text).expect("write");
}

/// Opens the hub as `who` (the repository's git user).
fn as_user(root: &Path, who: &str) -> Review {
    // Opening initialises the repository the first time.
    drop(Review::open(root));
    let repo = git2::Repository::open(root).expect("repo");
    let mut config = repo.config().expect("config");
    let (name, email) = match who {
        "alice" => ("Alice Author", "alice@example.org"),
        "bob" => ("Bob Mentor", "bob@example.org"),
        "carol" => ("Carol Admin", "carol@example.org"),
        other => (other, "stranger@example.org"),
    };
    config.set_str("user.name", name).expect("name");
    config.set_str("user.email", email).expect("email");
    Review::open(root).expect("open")
}

fn main_file(root: &Path, rel: &str) -> String {
    let repo = git2::Repository::open(root).expect("repo");
    let tree = repo.find_reference("refs/heads/main").expect("main").peel_to_tree().expect("tree");
    let entry = tree.get_path(Path::new(rel)).expect("entry");
    String::from_utf8(repo.find_blob(entry.id()).expect("blob").content().to_vec()).expect("utf8")
}

fn main_id(root: &Path) -> git2::Oid {
    git2::Repository::open(root).expect("repo").refname_to_id("refs/heads/main").expect("main")
}

fn f(p: &str) -> Vec<PathBuf> {
    vec![PathBuf::from(p)]
}

#[test]
fn propose_review_publish_and_history() {
    let dir = hub("");
    let root = dir.path();
    let alice = as_user(root, "alice");
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nCalls fail sometimes.\n");
    let p = alice.propose(&f("patterns/retry.md"), "Clarify the problem", "It was vague.", None).expect("propose");
    assert_eq!((p.status, p.kinds.as_slice()), (Status::Open, &[ChangeKind::Pattern][..]));
    assert_eq!(p.id.len(), 26, "a ULID: {}", p.id);
    let id = p.id.clone();
    assert_eq!(alice.queue().expect("queue").len(), 1);
    assert!(main_file(root, "patterns/retry.md").ends_with("Calls fail.\n"), "nothing published yet");

    // A citizen developer cannot approve; the author cannot approve their own.
    assert!(matches!(alice.approve(&id, ""), Err(ReviewError::SelfReview { .. })));
    let bob = as_user(root, "bob");
    let changes = bob.request_changes(&id, "Say which calls.").expect("request changes");
    assert_eq!(changes.status, Status::ChangesRequested);
    assert!(matches!(bob.approve(&id, ""), Err(ReviewError::WrongState { .. })));

    let alice = as_user(root, "alice");
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nHTTP calls fail sometimes.\n");
    let p = alice
        .propose(&f("patterns/retry.md"), "Clarify the problem", "Named the calls.", Some(id.as_str()))
        .expect("revise");
    assert_eq!((p.revision, p.status), (2, Status::Open));

    let bob = as_user(root, "bob");
    let published = bob.approve(&id, "Thanks").expect("approve");
    assert!(!published.merged);
    assert!(main_file(root, "patterns/retry.md").contains("HTTP calls"));
    // A unique prefix of six characters or more names it, in either case.
    assert_eq!(bob.proposal(&id[..12].to_lowercase()).expect("p").status, Status::Approved);
    assert!(bob.queue().expect("queue").is_empty());

    let history = bob.history("retry").expect("history");
    assert_eq!(history.len(), 2, "{history:#?}");
    let v = &history[0];
    assert_eq!(v.requested_by.as_deref(), Some("Alice Author <alice@example.org>"));
    assert_eq!(v.approved_by.as_deref(), Some("Bob Mentor <bob@example.org>"));
    assert_eq!(v.proposal.as_deref(), Some(id.as_str()));
    assert_eq!(v.reason, "Named the calls.");
    assert!(v.reviewed_on.is_some() && !v.self_approved);
    assert_eq!(history[1].change, VersionChange::Added);

    let diff = bob.diff("retry", &history[1].commit, None).expect("diff");
    assert!(diff.contains("-Calls fail.") && diff.contains("+HTTP calls fail sometimes."), "{diff}");

    let log = bob.changelog(&ChangelogFilter::default()).expect("changelog");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].kinds, [ChangeKind::Pattern]);
    assert!(log[0].lead_time_secs.is_some_and(|s| s >= 0));
    let none = bob.changelog(&ChangelogFilter { kind: Some(ChangeKind::Term), person: None }).expect("changelog");
    assert!(none.is_empty());
    let by_alice = bob.changelog(&ChangelogFilter { kind: None, person: Some("alice".into()) }).expect("changelog");
    assert_eq!(by_alice.len(), 1);

    // The work tree shows the published content and git sees no change.
    let repo = git2::Repository::open(root).expect("repo");
    let statuses = repo.statuses(None).expect("status");
    assert_eq!(statuses.iter().filter(|s| s.status() != git2::Status::CURRENT).count(), 0);
}

#[test]
fn every_role_refusal_is_typed() {
    let dir = hub("");
    let root = dir.path();
    let stranger = as_user(root, "mallory");
    assert!(matches!(stranger.queue(), Err(ReviewError::NotAMember { .. })));
    write(root, "glossary/backoff.md", "---\nterm: Backoff\nplain: Waiting a bit longer each time.\n---\nText.\n");
    assert!(matches!(stranger.propose(&f("glossary/backoff.md"), "t", "r", None), Err(ReviewError::NotAMember { .. })));

    let alice = as_user(root, "alice");
    let p = alice.propose(&f("glossary/backoff.md"), "Plainer", "", None).expect("propose");
    assert_eq!(p.kinds, [ChangeKind::Term]);

    let bob = as_user(root, "bob");
    for result in [
        bob.approve(&p.id, "").map(|_| ()),
        bob.reject(&p.id, "no").map(|_| ()),
        bob.request_changes(&p.id, "x").map(|_| ()),
    ] {
        match result {
            Err(ReviewError::Permission { kind: Some(ChangeKind::Term), roles, .. }) => assert_eq!(roles, ["admin"]),
            other => panic!("expected a permission error, got {other:?}"),
        }
    }
    let err = bob.approve(&p.id, "").expect_err("refused");
    assert!(err.to_string().contains("needs the role admin"), "{err}");
    // Only the author revises.
    assert!(matches!(
        bob.propose(&f("glossary/backoff.md"), "t", "", Some(p.id.as_str())),
        Err(ReviewError::NotAuthor { .. })
    ));
    // Only admins roll back directly.
    assert!(matches!(bob.rollback("backoff", "main", "", true), Err(ReviewError::Permission { .. })));

    // A mentor may not approve a policy either.
    let alice = as_user(root, "alice");
    write(root, "guides/data.md", "---\ntitle: Data policy\ncategory: policy\n---\nKeep it safe.\n");
    let p2 = alice.propose(&f("guides/data.md"), "Data policy", "", None).expect("propose");
    assert_eq!(p2.kinds, [ChangeKind::Policy]);
    let bob = as_user(root, "bob");
    assert!(matches!(bob.approve(&p2.id, ""), Err(ReviewError::Permission { kind: Some(ChangeKind::Policy), .. })));

    let carol = as_user(root, "carol");
    carol.reject(&p.id, "Not plainer.").expect("reject");
    assert!(matches!(carol.approve(&p.id, ""), Err(ReviewError::WrongState { .. })));
    carol.approve(&p2.id, "").expect("admin approves a policy");
}

#[test]
fn self_approval_only_when_allowed_and_then_recorded() {
    let dir = hub("[review]\nallow_self_approval = true\n");
    let root = dir.path();
    let carol = as_user(root, "carol");
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nChanged.\n");
    let p = carol.propose(&f("patterns/retry.md"), "Change", "", None).expect("propose");
    let published = carol.approve(&p.id, "").expect("self-approve");
    assert!(published.self_approved);
    let v = &carol.history("retry").expect("history")[0];
    assert!(v.self_approved);
    let message = git2::Repository::open(root)
        .expect("repo")
        .find_commit(main_id(root))
        .expect("c")
        .message()
        .expect("m")
        .to_string();
    assert!(message.contains("Self-approved: yes"), "{message}");
    assert_eq!(carol.proposal(&p.id).expect("p").comments.last().expect("c").action, CommentAction::SelfApproved);
}

#[test]
fn conflicting_proposals_are_sent_back_and_main_is_untouched() {
    let dir = hub("");
    let root = dir.path();
    let alice = as_user(root, "alice");
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nVersion A.\n");
    let a = alice.propose(&f("patterns/retry.md"), "A", "", None).expect("a");
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nVersion B.\n");
    let b = alice.propose(&f("patterns/retry.md"), "B", "", None).expect("b");
    // An unrelated proposal from the same base merges cleanly.
    write(root, "patterns/cache.md", "---\ntitle: Cache\n---\nKeep copies.\n");
    let c = alice.propose(&f("patterns/cache.md"), "C", "", None).expect("c");

    let bob = as_user(root, "bob");
    // The work tree holds version B, which publishing A would overwrite: refused until it is
    // back to a version git has (here: A's).
    assert!(matches!(bob.approve(&a.id, ""), Err(ReviewError::DirtyWorkTree { .. })));
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nVersion A.\n");
    bob.approve(&a.id, "").expect("a");
    let before = main_id(root);
    match bob.approve(&b.id, "") {
        Err(ReviewError::Conflict { paths, .. }) => assert_eq!(paths, ["patterns/retry.md"]),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(main_id(root), before, "main untouched");
    let b2 = bob.proposal(&b.id).expect("b");
    assert_eq!(b2.status, Status::ChangesRequested);
    assert!(b2.comments.last().expect("c").text.contains("patterns/retry.md"));

    let merged = bob.approve(&c.id, "").expect("c merges");
    assert!(merged.merged);
    let repo = git2::Repository::open(root).expect("repo");
    assert_eq!(repo.find_commit(main_id(root)).expect("c").parent_count(), 2);
    assert!(main_file(root, "patterns/retry.md").contains("Version A"), "the merge kept A");

    // The author revises on the current main, and it goes through.
    let alice = as_user(root, "alice");
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nVersion B, after A.\n");
    alice.propose(&f("patterns/retry.md"), "B", "rebased", Some(&b.id)).expect("revise");
    as_user(root, "bob").approve(&b.id, "").expect("b");
    assert!(main_file(root, "patterns/retry.md").contains("Version B, after A"));
}

#[test]
fn content_errors_and_dirty_work_trees_are_refused() {
    let dir = hub("");
    let root = dir.path();
    let alice = as_user(root, "alice");
    write(root, "patterns/broken.md", "---\ntitle: [unclosed\n---\nx\n");
    assert!(matches!(alice.propose(&f("patterns/broken.md"), "t", "", None), Err(ReviewError::Content { .. })));
    assert!(matches!(alice.propose(&f("patterns/retry.md"), "t", "", None), Err(ReviewError::NoChanges)));
    assert!(alice.propose(&f("../outside.md"), "t", "", None).is_err());

    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nProposed.\n");
    let p = alice.propose(&f("patterns/retry.md"), "t", "", None).expect("propose");
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nUnsaved edit.\n");
    let bob = as_user(root, "bob");
    match bob.approve(&p.id, "") {
        Err(ReviewError::DirtyWorkTree { paths }) => assert_eq!(paths, ["patterns/retry.md"]),
        other => panic!("expected a dirty-work-tree refusal, got {other:?}"),
    }
    assert!(fs::read_to_string(root.join("patterns/retry.md")).expect("read").contains("Unsaved edit"));
    assert_eq!(bob.proposal(&p.id).expect("p").status, Status::Open, "still in the queue");
}

#[test]
fn rollback_is_a_reviewed_change_or_a_direct_admin_commit() {
    let dir = hub("");
    let root = dir.path();
    let alice = as_user(root, "alice");
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nWorse.\n");
    let p = alice.propose(&f("patterns/retry.md"), "Worse", "", None).expect("propose");
    as_user(root, "bob").approve(&p.id, "").expect("approve");
    let alice = as_user(root, "alice");
    let first = alice.history("retry").expect("history").last().expect("first").commit.clone();

    let Rollback::Proposed(r) = alice.rollback("retry", &first, "It was better.", false).expect("rollback") else {
        panic!("a proposal")
    };
    assert!(r.title.starts_with("Roll back patterns/retry.md"));
    as_user(root, "bob").approve(&r.id, "").expect("approve rollback");
    assert!(main_file(root, "patterns/retry.md").contains("Calls fail."));

    let carol = as_user(root, "carol");
    let worse = carol.history("retry").expect("h")[1].commit.clone();
    let Rollback::Published(done) = carol.rollback("retry", &worse, "", true).expect("direct") else {
        panic!("direct")
    };
    assert!(main_file(root, "patterns/retry.md").contains("Worse."));
    let v = &carol.history("retry").expect("h")[0];
    assert_eq!(v.commit, done.commit);
    assert_eq!(v.rolled_back_by.as_deref(), Some("Carol Admin <carol@example.org>"));
    assert!(fs::read_to_string(root.join("patterns/retry.md")).expect("read").contains("Worse."));
}

#[test]
fn a_hub_inside_another_repository_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    git2::Repository::init(dir.path()).expect("outer");
    fs::create_dir(dir.path().join("content")).expect("mkdir");
    assert!(matches!(Review::open(&dir.path().join("content")), Err(ReviewError::NotRepositoryRoot { .. })));
}

/// A locked `main` (a `refs/heads/main.lock` left by another git process) is "main moved", a
/// refusal to try again, whether an approval or an admin's direct rollback publishes: both go
/// through one publish sequence. It used to be an internal error in the direct rollback.
#[test]
fn a_locked_main_is_main_moved_for_approve_and_direct_rollback() {
    let dir = hub("");
    let root = dir.path();
    let lock = root.join(".git/refs/heads/main.lock");
    let alice = as_user(root, "alice");
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nWorse.\n");
    let p = alice.propose(&f("patterns/retry.md"), "Worse", "", None).expect("propose");

    let bob = as_user(root, "bob");
    let before = main_id(root);
    fs::write(&lock, "").expect("lock main");
    let e = bob.approve(&p.id, "").expect_err("main is locked");
    assert!(matches!(e, ReviewError::MainMoved), "{e}");
    assert!(e.is_refusal());
    assert_eq!(main_id(root), before);
    assert_eq!(bob.proposal(&p.id).expect("proposal").status, Status::Open);
    // Reopening (which finishes or forgets interrupted publishes) leaves it open too.
    assert_eq!(as_user(root, "bob").proposal(&p.id).expect("proposal").status, Status::Open);
    fs::remove_file(&lock).expect("unlock");
    bob.approve(&p.id, "").expect("approve once unlocked");
    assert!(main_file(root, "patterns/retry.md").contains("Worse."));

    let carol = as_user(root, "carol");
    let first = carol.history("retry").expect("history").last().expect("first").commit.clone();
    let before = main_id(root);
    fs::write(&lock, "").expect("lock main");
    let e = carol.rollback("retry", &first, "", true).expect_err("main is locked");
    assert!(matches!(e, ReviewError::MainMoved), "{e}");
    assert!(e.is_refusal());
    assert_eq!(main_id(root), before);
    assert!(fs::read_to_string(root.join("patterns/retry.md")).expect("read").contains("Worse."));
    fs::remove_file(&lock).expect("unlock");
    let Rollback::Published(_) = carol.rollback("retry", &first, "", true).expect("direct once unlocked") else {
        panic!("direct")
    };
    assert!(main_file(root, "patterns/retry.md").contains("Calls fail."));
}

/// Adds a raw metadata event to the log as a commit by `committer` (what a forged or
/// hand-made event in a synced log looks like).
fn forge_event(root: &Path, committer: (&str, &str), event: serde_json::Value) {
    let repo = git2::Repository::open(root).expect("repo");
    let tip = repo.find_reference(guildhall_review::META_BRANCH).expect("log").peel_to_commit().expect("tip");
    let path =
        format!("proposals/{}/{}.json", event["proposal"].as_str().expect("p"), event["id"].as_str().expect("id"));
    let blob = repo.blob(serde_json::to_string(&event).expect("json").as_bytes()).expect("blob");
    let mut index = git2::Index::new().expect("index");
    index.read_tree(&tip.tree().expect("tree")).expect("read");
    let entry = git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: 0o100644,
        uid: 0,
        gid: 0,
        file_size: 0,
        id: blob,
        flags: 0,
        flags_extended: 0,
        path: path.into_bytes(),
    };
    index.add(&entry).expect("add");
    let tree = repo.find_tree(index.write_tree_to(&repo).expect("write")).expect("tree");
    let sig = git2::Signature::now(committer.0, committer.1).expect("sig");
    repo.commit(Some(guildhall_review::META_BRANCH), &sig, &sig, "forged", &tree, &[&tip]).expect("commit");
}

#[test]
fn metadata_is_an_append_only_log_that_never_enters_main_and_is_trusted_only_as_signed() {
    let dir = hub("");
    let root = dir.path();
    let alice = as_user(root, "alice");
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nCalls fail often.\n");
    let p = alice.propose(&f("patterns/retry.md"), "Clarify", "Vague.", None).expect("propose");
    as_user(root, "bob").request_changes(&p.id, "Which calls?").expect("request changes");
    let repo = git2::Repository::open(root).expect("repo");
    let log =
        repo.find_reference(guildhall_review::META_BRANCH).expect("the metadata log").peel_to_commit().expect("c");
    assert_eq!(log.parent_count(), 1, "one commit per event");
    assert_eq!(log.author().email(), Some("bob@example.org"), "each event signed by who acted");
    let main_tree = repo.find_reference("refs/heads/main").expect("main").peel_to_tree().expect("tree");
    assert!(main_tree.get_name("proposals").is_none(), "metadata never enters main");
    assert!(!root.join(".git/guildhall/proposals").exists(), "no local-only records any more");

    // Alice (no reviewer role) "approving" her own proposal, and an event whose author is not
    // the commit's, are both ignored when the log is read.
    let forged = |by: (&str, &str), action: &str| {
        serde_json::json!({
            "id": "01JZZZZZZZZZZZZZZZZZZZZZZZ".replace('Z', &action.len().to_string()),
            "proposal": p.id, "by": {"name": by.0, "email": by.1}, "at": 1, "action": action, "text": "forged"
        })
    };
    forge_event(root, ("Alice Author", "alice@example.org"), forged(("Alice Author", "alice@example.org"), "rejected"));
    forge_event(
        root,
        ("Alice Author", "alice@example.org"),
        forged(("Bob Mentor", "bob@example.org"), "changes-requested"),
    );
    let seen = as_user(root, "bob").proposal(&p.id).expect("p");
    assert_eq!(seen.status, Status::ChangesRequested);
    assert_eq!(seen.comments.len(), 2, "{:?}", seen.comments);
    assert!(seen.comments.iter().all(|c| c.text != "forged"));
}

#[test]
fn an_ambiguous_prefix_is_refused_with_the_candidates() {
    let dir = hub("");
    let root = dir.path();
    let alice = as_user(root, "alice");
    let mut ids = Vec::new();
    for (i, body) in ["One.", "Two.", "Three."].iter().enumerate() {
        write(root, &format!("patterns/p{i}.md"), &format!("---\ntitle: P{i}\n---\n{body}\n"));
        ids.push(alice.propose(&f(&format!("patterns/p{i}.md")), &format!("P{i}"), "", None).expect("propose").id);
    }
    // ULIDs made close together share their time prefix.
    let common = ids[0].chars().zip(ids[1].chars()).take_while(|(a, b)| a == b).count();
    assert!(common >= 6, "{ids:?}");
    match alice.proposal(&ids[0][..6]) {
        Err(ReviewError::AmbiguousProposal { candidates, .. }) => {
            assert!(
                candidates.iter().any(|c| c.starts_with(&ids[0])) && candidates.iter().any(|c| c.starts_with(&ids[1]))
            );
        }
        other => panic!("expected an ambiguous prefix, got {other:?}"),
    }
    assert!(matches!(alice.proposal(&ids[0][..5]), Err(ReviewError::UnknownProposal(_))), "under six characters");
    assert_eq!(alice.proposal(&ids[2]).expect("full id").title, "P2");
}

/// A record written by an earlier version (`.git/guildhall/proposals/<n>.json`, numeric id) is
/// imported into the log when the hub is opened, and stays readable and reviewable by its id.
#[test]
fn old_numeric_records_are_migrated_on_open() {
    let dir = hub("");
    let root = dir.path();
    let alice = as_user(root, "alice");
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nOld proposal.\n");
    let p = alice.propose(&f("patterns/retry.md"), "Old", "", None).expect("propose");
    let record = serde_json::json!({
        "id": "3", "title": "An old proposal", "reason": "From before ULIDs",
        "author": {"name": "Alice Author", "email": "alice@example.org"}, "status": "changes-requested",
        "created_at": 1760000000, "updated_at": 1760000500, "revision": 2, "files": ["patterns/retry.md"],
        "kinds": ["pattern"], "commit": p.commit, "base": p.base,
        "comments": [
            {"by": {"name": "Alice Author", "email": "alice@example.org"}, "at": 1760000000, "action": "proposed", "text": ""},
            {"by": {"name": "Bob Mentor", "email": "bob@example.org"}, "at": 1760000200, "action": "changes-requested", "text": "Say when"}
        ],
        "published": null
    });
    let legacy = root.join(".git/guildhall/proposals");
    fs::create_dir_all(&legacy).expect("mkdir");
    fs::write(legacy.join("3.json"), serde_json::to_vec_pretty(&record).expect("json")).expect("write");

    let alice = as_user(root, "alice");
    let old = alice.proposal("3").expect("the old record loads");
    assert_eq!(
        (old.title.as_str(), old.status, old.revision, old.comments.len()),
        ("An old proposal", Status::ChangesRequested, 2, 2)
    );
    assert!(legacy.join("migrated/3.json").exists() && !legacy.join("3.json").exists(), "kept aside, never deleted");
    assert_eq!(alice.proposals().expect("all").len(), 2);
    // Opening again does not import it twice; it is still revised and reviewed like any other.
    let alice = as_user(root, "alice");
    write(root, "patterns/retry.md", "---\ntitle: Retry\n---\n## Problem\n\nOld proposal, revised.\n");
    let revised = alice.propose(&f("patterns/retry.md"), "Old", "Said when.", Some("3")).expect("revise");
    assert_eq!((revised.id.as_str(), revised.revision, revised.status), ("3", 3, Status::Open));
    as_user(root, "bob").approve("3", "ok").expect("approve");
    assert_eq!(as_user(root, "bob").proposal("3").expect("p").status, Status::Approved);
}
