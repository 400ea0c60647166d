//! Proposals on a shared hub, end to end through the core, against a real `git daemon` (started
//! by the sync crate's test servers): several clones with distinct git identities from
//! `guildhall.toml` (alice and bob propose, rita is the mentor who reviews).

#![allow(clippy::unwrap_used)]

#[path = "../../../guildhall-sync/tests/it/servers.rs"]
#[allow(dead_code)]
mod servers;

use std::path::{Path, PathBuf};

use guildhall_core::sync::{Auth, SyncOptions, SyncReport};
use guildhall_core::{Hub, HubOptions, Status, sync_hub};
use servers::{git, servers};
use tempfile::TempDir;

/// A clone of the test remote `name` made by `who`, with their git identity.
fn clone_as(name: &str, who: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("hub");
    guildhall_core::sync::clone(&servers().git_url(name), &root, &Auth::none(), &mut |_| {}).unwrap();
    let mut display = who.to_owned();
    display[..1].make_ascii_uppercase();
    git(&root, &["config", "user.name", &display]);
    git(&root, &["config", "user.email", &format!("{who}@example.org")]);
    (dir, root)
}

fn hub(root: &Path) -> Hub {
    Hub::open(root, &HubOptions::default()).unwrap()
}

fn sync(root: &Path) -> SyncReport {
    sync_hub(root, &SyncOptions { auth: Auth::none() }).unwrap()
}

fn sync_ok(root: &Path) -> SyncReport {
    let r = sync(root);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    r
}

fn edit(root: &Path, page: usize, text: &str) -> PathBuf {
    let rel = PathBuf::from(format!("guides/page-{page:03}.md"));
    std::fs::write(root.join(&rel), format!("---\ntitle: Page {page}\n---\n\n# Page {page}\n\n{text}\n")).unwrap();
    rel
}

/// The remote's `main` (the bare repository, read with git).
fn remote_main(name: &str) -> String {
    git(&servers().repo_path(name), &["rev-parse", "refs/heads/main"]).trim().to_owned()
}

fn local_main(root: &Path) -> String {
    git(root, &["rev-parse", "refs/heads/main"]).trim().to_owned()
}

fn remote_file(name: &str, path: &str) -> String {
    git(&servers().repo_path(name), &["show", &format!("main:{path}")])
}

fn go_offline(root: &Path) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    git(root, &["remote", "set-url", "origin", &format!("git://127.0.0.1:{port}/down.git")]);
}

fn go_online(root: &Path, name: &str) {
    git(root, &["remote", "set-url", "origin", &servers().git_url(name)]);
}

fn no_rescue(root: &Path) {
    assert_eq!(git(root, &["branch", "--list", "rescue/*"]).trim(), "", "a sync moved local work aside");
}

#[test]
fn a_proposal_travels_is_reviewed_revised_and_approved_and_a_reader_sees_it() {
    let name = format!("shared-cycle-{}", std::process::id());
    servers().new_remote(&name, 3, false);
    let (_a, alice) = clone_as(&name, "alice");
    let (_r, rita) = clone_as(&name, "rita");
    let (_b, reader) = clone_as(&name, "bob");

    // Alice proposes while the hub is down: it waits in the outbox (the branch and its metadata).
    go_offline(&alice);
    let rel = edit(&alice, 0, "Retries need a limit.");
    let p = hub(&alice).propose(&[rel], "Limit retries", "They looped.", None).unwrap();
    assert_eq!(p.id.len(), 26);
    let down = sync(&alice);
    assert_eq!(down.error().map(|e| e.code), Some("unreachable"));
    assert_eq!((down.outbox, down.exit_code()), (2, 1), "{down:?}");
    go_online(&alice, &name);
    let up = sync_ok(&alice);
    assert_eq!((up.pushed, up.outbox), (2, 0), "{up:?}");

    // The mentor's clone sees it after a sync, by a short prefix of its id too.
    sync_ok(&rita);
    let mentor = hub(&rita);
    let seen = mentor.proposal(&p.id[..10].to_lowercase()).unwrap();
    assert_eq!(
        (seen.id.as_str(), seen.status, seen.author.email.as_str()),
        (p.id.as_str(), Status::Open, "alice@example.org")
    );
    assert_eq!(mentor.review_queue().unwrap().len(), 1);
    mentor.request_changes(&p.id, "Say how many times.").unwrap();
    sync_ok(&rita);

    // The author sees the request, revises; the revision travels (a fast-forward of the branch).
    sync_ok(&alice);
    let back = hub(&alice).proposal(&p.id).unwrap();
    assert_eq!(back.status, Status::ChangesRequested);
    assert_eq!(back.comments.last().unwrap().text, "Say how many times.");
    let rel = edit(&alice, 0, "Retries need a limit: three times.");
    let revised = hub(&alice).propose(&[rel], "Limit retries", "Three.", Some(&p.id)).unwrap();
    assert_eq!(revised.revision, 2);
    let sent = sync_ok(&alice);
    assert!(sent.pushed >= 2, "{sent:?}");

    // The mentor approves: the commit lands on the hub's main with the trailers.
    sync_ok(&rita);
    let mentor = hub(&rita);
    assert_eq!(mentor.proposal(&p.id).unwrap().revision, 2);
    let published = mentor.approve(&p.id, "Thanks").unwrap();
    assert!(!published.queued && !published.commit.is_empty(), "{published:?}");
    assert_eq!(remote_main(&name), published.commit);
    assert_eq!(local_main(&rita), published.commit);
    let message = git(&servers().repo_path(&name), &["log", "-1", "--format=%B", "main"]);
    assert!(message.contains("Requested-by: Alice <alice@example.org>"), "{message}");
    assert!(message.contains("Approved-by: Rita <rita@example.org>"), "{message}");
    assert!(message.contains(&format!("Proposal: {}", p.id)), "{message}");
    assert!(remote_file(&name, "guides/page-000.md").contains("three times"));

    // A reader fast-forwards and sees the page; everyone agrees on the status; no rescue.
    let read = sync_ok(&reader);
    assert!(read.fast_forwarded);
    assert!(std::fs::read_to_string(reader.join("guides/page-000.md")).unwrap().contains("three times"));
    assert_eq!(hub(&reader).proposal(&p.id).unwrap().status, Status::Approved);
    sync_ok(&alice);
    assert_eq!(hub(&alice).proposal(&p.id).unwrap().status, Status::Approved);
    assert_eq!(local_main(&alice), published.commit);
    for root in [&alice, &rita, &reader] {
        no_rescue(root);
    }
}

#[test]
fn an_offline_approval_waits_and_lands_on_the_fetched_main_without_moving_main_first() {
    let name = format!("shared-offline-{}", std::process::id());
    servers().new_remote(&name, 3, false);
    let (_a, alice) = clone_as(&name, "alice");
    let (_r, rita) = clone_as(&name, "rita");
    let p = hub(&alice).propose(&[edit(&alice, 1, "Offline approval.")], "Offline", "", None).unwrap();
    sync_ok(&alice);
    sync_ok(&rita);

    go_offline(&rita);
    let before = local_main(&rita);
    let queued = hub(&rita).approve(&p.id, "Approved on the train").unwrap();
    assert!(queued.queued && queued.commit.is_empty(), "{queued:?}");
    assert_eq!(local_main(&rita), before, "an unsent approval never moves main");
    // Meanwhile main moved on the hub (another change was published).
    let q = hub(&alice).propose(&[edit(&alice, 2, "Meanwhile.")], "Meanwhile", "", None).unwrap();
    sync_ok(&alice);
    let (_r2, rita2) = clone_as(&name, "rita");
    sync_ok(&rita2);
    hub(&rita2).approve(&q.id, "").unwrap();
    let moved = remote_main(&name);

    go_online(&rita, &name);
    let report = sync_ok(&rita);
    assert_eq!(report.outbox, 0, "{report:?}");
    let main = remote_main(&name);
    assert_ne!(main, moved);
    assert_eq!(git(&servers().repo_path(&name), &["rev-parse", "main^1"]).trim(), moved, "built on the fetched main");
    assert!(remote_file(&name, "guides/page-001.md").contains("Offline approval."));
    assert!(remote_file(&name, "guides/page-002.md").contains("Meanwhile."));
    assert_eq!(local_main(&rita), main);
    assert_eq!(hub(&rita).proposal(&p.id).unwrap().status, Status::Approved);
    no_rescue(&rita);
}

#[test]
fn two_concurrent_approvals_of_different_proposals_both_land() {
    let name = format!("shared-concurrent-{}", std::process::id());
    servers().new_remote(&name, 3, false);
    let (_a, alice) = clone_as(&name, "alice");
    let p1 = hub(&alice).propose(&[edit(&alice, 0, "First.")], "First", "", None).unwrap();
    let p2 = hub(&alice).propose(&[edit(&alice, 1, "Second.")], "Second", "", None).unwrap();
    sync_ok(&alice);
    let (_r1, rita1) = clone_as(&name, "rita");
    let (_r2, rita2) = clone_as(&name, "rita");
    sync_ok(&rita1);
    sync_ok(&rita2);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let handles: Vec<_> = [(rita1.clone(), p1.id.clone()), (rita2.clone(), p2.id.clone())]
        .into_iter()
        .map(|(root, id)| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let hub = hub(&root);
                barrier.wait();
                hub.approve(&id, "").unwrap()
            })
        })
        .collect();
    for h in handles {
        assert!(!h.join().unwrap().queued);
    }
    assert!(remote_file(&name, "guides/page-000.md").contains("First."));
    assert!(remote_file(&name, "guides/page-001.md").contains("Second."));
    sync_ok(&alice);
    let author = hub(&alice);
    assert_eq!(author.proposal(&p1.id).unwrap().status, Status::Approved);
    assert_eq!(author.proposal(&p2.id).unwrap().status, Status::Approved);
}

#[test]
fn a_same_line_conflict_is_reported_as_needs_update_and_sent_back() {
    let name = format!("shared-conflict-{}", std::process::id());
    servers().new_remote(&name, 3, false);
    let (_a, alice) = clone_as(&name, "alice");
    let (_b, bob) = clone_as(&name, "bob");
    let (_r, rita) = clone_as(&name, "rita");
    let a = hub(&alice).propose(&[edit(&alice, 0, "Alice's line.")], "Alice", "", None).unwrap();
    let b = hub(&bob).propose(&[edit(&bob, 0, "Bob's line.")], "Bob", "", None).unwrap();
    sync_ok(&alice);
    sync_ok(&bob);
    sync_ok(&rita);
    hub(&rita).approve(&a.id, "").unwrap();

    // Bob's proposal no longer applies to main: every sync says so.
    let report = sync_ok(&bob);
    assert_eq!(report.needs_update, std::slice::from_ref(&b.id));
    // Approving it anyway is refused as a conflict, main untouched, and it goes back to bob.
    let main = remote_main(&name);
    let err = hub(&rita).approve(&b.id, "").unwrap_err();
    assert_eq!(err.problem().code, guildhall_core::ErrorCode::Conflict, "{err}");
    assert_eq!(remote_main(&name), main);
    sync_ok(&rita);
    sync_ok(&bob);
    let sent_back = hub(&bob).proposal(&b.id).unwrap();
    assert_eq!(sent_back.status, Status::ChangesRequested);
    assert!(sent_back.comments.last().unwrap().text.contains("guides/page-000.md"), "{sent_back:?}");
    assert_eq!(remote_file(&name, "guides/page-000.md").matches("line.").count(), 1, "no conflict marker on main");
}
