//! Clone, fetch, fast-forward, rescue, dirty files, pushes refused by the server.

use guildhall_sync::{Action, Auth, MainUpdate, Outbox, Progress, SyncError, SyncOptions};

use crate::servers::servers;
use crate::{clone_as, commit_on_main, main_of, unique, workdir};

#[test]
fn clone_reports_objects_and_bytes_then_checkout() {
    let s = servers();
    let name = unique("clone");
    s.new_remote(&name, 60, false);
    let dir = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    let repo = guildhall_sync::clone(&s.git_url(&name), &dir.path().join("hub"), &Auth::none(), &mut |p| seen.push(p))
        .unwrap();
    assert!(workdir(&repo).join("guides/page-059.md").exists());
    let last_receiving =
        seen.iter().rposition(|p| matches!(p, Progress::Receiving { .. })).expect("receiving progress");
    let first_checkout = seen.iter().position(|p| matches!(p, Progress::Checkout { .. })).expect("checkout progress");
    assert!(last_receiving < first_checkout, "objects arrive before files are written: {seen:?}");
    let mut received = seen.iter().filter_map(|p| match p {
        Progress::Receiving { objects, total_objects, bytes } => Some((*objects, *total_objects, *bytes)),
        _ => None,
    });
    let (objects, total, bytes) = received.next_back().unwrap();
    assert_eq!(objects, total);
    assert!(total >= 62 && bytes > 1000, "{total} objects, {bytes} bytes");
    let Some(Progress::Checkout { files, total_files }) =
        seen.iter().rev().find(|p| matches!(p, Progress::Checkout { .. }))
    else {
        unreachable!()
    };
    assert_eq!(files, total_files);
    assert_eq!(*total_files, 61);
}

#[test]
fn clone_over_http_with_a_token_and_into_a_used_folder_is_refused() {
    let s = servers();
    let name = unique("http-clone");
    s.new_remote(&name, 3, true);
    let (_d, repo) = clone_as(&s.http_url(&name), "alice", &Auth::token(Some("alice"), "alice-token"));
    assert!(workdir(&repo).join("guildhall.toml").exists());
    // A folder with something in it is never cloned into (nor emptied).
    let used = tempfile::tempdir().unwrap();
    std::fs::write(used.path().join("notes.txt"), "mine").unwrap();
    let err = guildhall_sync::clone(&s.git_url(&name), used.path(), &Auth::none(), &mut |_| {}).map(drop).unwrap_err();
    assert!(matches!(err, SyncError::Destination { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(used.path().join("notes.txt")).unwrap(), "mine");
}

#[test]
fn an_unreachable_remote_is_reported_and_the_partial_clone_removed() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let target = dir.path().join("hub");
    let err = guildhall_sync::clone(&format!("git://127.0.0.1:{port}/none.git"), &target, &Auth::none(), &mut |_| {})
        .map(drop)
        .unwrap_err();
    assert!(matches!(err, SyncError::Unreachable { .. }), "{err:?}");
    assert!(err.is_remote());
    assert!(!target.exists());
}

#[test]
fn a_reader_fast_forwards_and_keeps_unrelated_edits() {
    let s = servers();
    let name = unique("ff");
    s.new_remote(&name, 3, false);
    let url = s.git_url(&name);
    let (_r, reader) = clone_as(&url, "bob", &Auth::none());
    let (_w, writer) = clone_as(&url, "rita", &Auth::none());
    // The reader edits a file the update does not touch: it stays as edited.
    std::fs::write(workdir(&reader).join("guides/page-002.md"), "my draft").unwrap();
    let new = commit_on_main(&writer, &[("guides/page-000.md", "# Updated\n"), ("guides/new.md", "# New\n")], "Update");
    guildhall_sync::push(&writer, &Auth::none(), &["refs/heads/main:refs/heads/main".into()]).unwrap();

    let report = guildhall_sync::sync(workdir(&reader), &SyncOptions { auth: Auth::none() }).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.fetched && report.fast_forwarded);
    let Some(MainUpdate::FastForwarded { to, files, .. }) = &report.main else { panic!("{:?}", report.main) };
    assert_eq!(to, &new.to_string());
    assert_eq!(files, &["guides/new.md".to_owned(), "guides/page-000.md".to_owned()]);
    assert_eq!(main_of(&reader), new);
    assert_eq!(std::fs::read_to_string(workdir(&reader).join("guides/page-000.md")).unwrap(), "# Updated\n");
    assert_eq!(std::fs::read_to_string(workdir(&reader).join("guides/page-002.md")).unwrap(), "my draft");
    assert_eq!(report.exit_code(), 0);
    let status = guildhall_sync::status(workdir(&reader)).unwrap();
    assert_eq!((status.ahead, status.behind, status.outbox), (0, 0, 0));
    assert!(status.last_sync.is_some() && status.last_error.is_none());
    assert_eq!(status.remote.as_deref(), Some(url.as_str()));
    // Again: nothing to do.
    let again = guildhall_sync::sync(workdir(&reader), &SyncOptions { auth: Auth::none() }).unwrap();
    assert!(matches!(again.main, Some(MainUpdate::UpToDate { .. })) && !again.fast_forwarded);
}

#[test]
fn a_diverged_main_is_kept_on_a_rescue_branch() {
    let s = servers();
    let name = unique("rescue");
    s.new_remote(&name, 2, false);
    let url = s.git_url(&name);
    let (_r, reader) = clone_as(&url, "bob", &Auth::none());
    let (_w, writer) = clone_as(&url, "rita", &Auth::none());
    let mine = commit_on_main(&reader, &[("guides/mine.md", "# Mine\n")], "By hand on main");
    let theirs = commit_on_main(&writer, &[("guides/page-000.md", "# Theirs\n")], "Published");
    guildhall_sync::push(&writer, &Auth::none(), &["refs/heads/main:refs/heads/main".into()]).unwrap();

    let report = guildhall_sync::sync(workdir(&reader), &SyncOptions { auth: Auth::none() }).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let branch = report.rescued.clone().expect("a rescue branch");
    assert!(branch.starts_with("rescue/"), "{branch}");
    assert_eq!(reader.refname_to_id(&format!("refs/heads/{branch}")).unwrap(), mine);
    assert_eq!(main_of(&reader), theirs, "main is the remote's, never a merge");
    assert_eq!(std::fs::read_to_string(workdir(&reader).join("guides/page-000.md")).unwrap(), "# Theirs\n");
    assert!(!workdir(&reader).join("guides/mine.md").exists());
    // The rescued work is intact on its branch.
    let tree = reader.find_reference(&format!("refs/heads/{branch}")).unwrap().peel_to_tree().unwrap();
    assert!(tree.get_path(std::path::Path::new("guides/mine.md")).is_ok());
}

#[test]
fn an_edited_file_blocks_the_fast_forward_unless_it_is_proposed() {
    let s = servers();
    let name = unique("dirty");
    s.new_remote(&name, 3, false);
    let url = s.git_url(&name);
    let (_r, reader) = clone_as(&url, "bob", &Auth::none());
    let (_w, writer) = clone_as(&url, "rita", &Auth::none());
    let before = main_of(&reader);
    std::fs::write(workdir(&reader).join("guides/page-001.md"), "bob's unsaved work").unwrap();
    commit_on_main(&writer, &[("guides/page-001.md", "# Rita's version\n")], "Published");
    guildhall_sync::push(&writer, &Auth::none(), &["refs/heads/main:refs/heads/main".into()]).unwrap();

    let report = guildhall_sync::sync(workdir(&reader), &SyncOptions { auth: Auth::none() }).unwrap();
    let err = report.error().expect("refused");
    assert_eq!(err.code, "dirty-files");
    assert!(err.message.contains("guides/page-001.md"), "{}", err.message);
    assert_eq!(report.exit_code(), 2, "a local condition, not the remote's");
    assert_eq!(main_of(&reader), before);
    assert_eq!(std::fs::read_to_string(workdir(&reader).join("guides/page-001.md")).unwrap(), "bob's unsaved work");

    // Once the edit is on a proposal branch, the update may replace the work-tree copy.
    let blob = reader.blob(b"bob's unsaved work").unwrap();
    let base = reader.find_commit(before).unwrap();
    let mut tb = git2::build::TreeUpdateBuilder::new();
    tb.upsert("guides/page-001.md", blob, git2::FileMode::Blob);
    let tree = reader.find_tree(tb.create_updated(&reader, &base.tree().unwrap()).unwrap()).unwrap();
    let sig = reader.signature().unwrap();
    reader.commit(Some("refs/heads/proposals/01JPROPOSAL"), &sig, &sig, "Proposal", &tree, &[&base]).unwrap();
    let report = guildhall_sync::sync(workdir(&reader), &SyncOptions { auth: Auth::none() }).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(std::fs::read_to_string(workdir(&reader).join("guides/page-001.md")).unwrap(), "# Rita's version\n");
}

#[test]
fn a_push_refused_by_the_hook_shows_the_servers_message_and_keeps_the_outbox() {
    let s = servers();
    let name = unique("hook");
    s.new_remote(&name, 2, true);
    let url = s.http_url(&name);
    let alice_auth = Auth::token(Some("alice"), "alice-token");
    let (_a, alice) = clone_as(&url, "alice", &alice_auth);
    commit_on_main(&alice, &[("guides/page-000.md", "# Alice publishes\n")], "Direct");

    let err = guildhall_sync::push(&alice, &alice_auth, &["refs/heads/main:refs/heads/main".into()]).unwrap_err();
    let SyncError::Refused { refname, message, hint } = &err else { panic!("{err:?}") };
    assert_eq!(refname, "refs/heads/main");
    assert!(message.contains("PROTECTED: main is published by reviewers only; alice may not push it"), "{message}");
    assert!(hint.contains("stays queued"), "{hint}");

    // bob may not propose on this forge: his queued proposal stays in the outbox, and the report
    // carries the server's message.
    let bob_auth = Auth::token(Some("bob"), "bob-token");
    let (_b, bob) = clone_as(&url, "bob", &bob_auth);
    let base = bob.find_reference("refs/heads/main").unwrap().peel_to_commit().unwrap();
    let sig = bob.signature().unwrap();
    let proposal = bob
        .commit(Some("refs/heads/proposals/01JBOB"), &sig, &sig, "Proposal", &base.tree().unwrap(), &[&base])
        .unwrap();
    let outbox = Outbox::of(&bob);
    outbox.add(Action::PushBranch { branch: "proposals/01JBOB".into(), commit: proposal.to_string() }).unwrap();
    for _ in 0..2 {
        let report = guildhall_sync::sync(workdir(&bob), &SyncOptions { auth: bob_auth.clone() }).unwrap();
        assert_eq!(report.outbox, 1, "{report:?}");
        assert_eq!(report.pushed, 0);
        assert_eq!(report.exit_code(), 1);
        let e = report.error().unwrap();
        assert_eq!(e.code, "refused");
        assert!(e.message.contains("READ-ONLY: bob may read this hub but not propose"), "{}", e.message);
    }
    assert_eq!(outbox.len().unwrap(), 1);

    // A reviewer may: the same kind of push by rita lands.
    let rita_auth = Auth::token(Some("rita"), "rita-token");
    let (_r, rita) = clone_as(&url, "rita", &rita_auth);
    let published = commit_on_main(&rita, &[("guides/page-001.md", "# Rita publishes\n")], "Approved");
    guildhall_sync::push(&rita, &rita_auth, &["refs/heads/main:refs/heads/main".into()]).unwrap();
    let remote = git2::Repository::open_bare(s.repo_path(&name)).unwrap();
    assert_eq!(remote.refname_to_id("refs/heads/main").unwrap(), published);
}

#[test]
fn a_wrong_token_fails_after_one_attempt() {
    let s = servers();
    let name = unique("wrong-token");
    s.new_remote(&name, 1, true);
    let url = s.http_url(&name);
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let wrong = Auth::token(Some("alice"), "not-the-token");
    let err = guildhall_sync::clone(&url, &dir.path().join("hub"), &wrong, &mut |_| {}).map(drop).unwrap_err();
    assert_eq!(wrong.credentials_given(), 1);
    assert!(matches!(err, SyncError::AuthRefused { .. }), "{err:?}");
    assert!(err.to_string().contains("does not retry"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    // The server saw the anonymous probe and exactly one request with the wrong token.
    let requests = s.http_requests(&name);
    assert_eq!(requests.len(), 2, "{requests:#?}");
    assert!(requests.iter().all(|r| r.contains(" 401 ")), "{requests:#?}");

    // No credentials at all: a clear error naming what to set.
    let err = guildhall_sync::clone(&url, &dir.path().join("hub2"), &Auth::none(), &mut |_| {}).map(drop).unwrap_err();
    assert!(matches!(err, SyncError::NoCredentials { .. }), "{err:?}");
    assert!(err.to_string().contains("GUILDHALL_TOKEN"));

    // A sync with the wrong token reports it once and exits 1 (remote refusal), work kept.
    let (_a, alice) = clone_as(&url, "alice", &Auth::token(Some("alice"), "alice-token"));
    let report =
        guildhall_sync::sync(workdir(&alice), &SyncOptions { auth: Auth::token(Some("alice"), "nope") }).unwrap();
    assert_eq!(report.error().map(|e| e.code), Some("auth-refused"));
    assert_eq!(report.exit_code(), 1);
}
