//! Crashes: `kill -9` during a push loses no acknowledged action and leaves a usable clone; the
//! lock files a killed process leaves are handled.

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use git2::Repository;
use guildhall_sync::events::{Body, EVENTS_BRANCH, EventLog, KindSpec, Registry};
use guildhall_sync::lock::SyncGuard;
use guildhall_sync::{Auth, Outbox, SyncError, SyncOptions};

use crate::servers::{git, servers};
use crate::{clone_as, unique, workdir};

const CHILD_ENV: &str = "GUILDHALL_SYNC_TEST_CHILD";

fn registry() -> Registry {
    let mut r = Registry::new();
    r.register(KindSpec::new("note", &[], Body::Required)).unwrap();
    r
}

/// Run by `kill_9_during_sync_loses_no_acknowledged_event` in a child process: appends and syncs
/// in a loop, printing `ACK <id>` once `append` returned, until killed.
#[test]
#[ignore = "a child process of kill_9_during_sync_loses_no_acknowledged_event"]
fn child_appender() {
    let Ok(root) = std::env::var(CHILD_ENV) else { return };
    let repo = Repository::open(&root).unwrap();
    let reg = registry();
    for i in 0.. {
        let e = EventLog::new(&repo, &reg).append("note", &[], &format!("event {i}")).unwrap();
        // On a line of its own: the test harness prints the test's name without a newline.
        println!("\nACK {}", e.id);
        let _ = guildhall_sync::sync(std::path::Path::new(&root), &SyncOptions { auth: Auth::none() });
    }
}

#[test]
fn kill_9_during_sync_loses_no_acknowledged_event() {
    let s = servers();
    let name = unique("kill");
    let bare = s.new_remote(&name, 1, false);
    let (_d, repo) = clone_as(&s.git_url(&name), "alice", &Auth::none());
    let root = workdir(&repo).to_path_buf();
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    for round in 0..6u64 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash::child_appender", "--ignored", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &root)
            .env(guildhall_sync::DELAY_ENV, "15")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let a = acked.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(id) = line.strip_prefix("ACK ") {
                    a.lock().unwrap().push(id.to_owned());
                }
            }
        });
        std::thread::sleep(Duration::from_millis(250 + round * 130));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 3, "the child acknowledged {} events", acked.len());

    // The next sync handles whatever the killed processes left and sends everything.
    let report = guildhall_sync::sync(&root, &SyncOptions { auth: Auth::none() }).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.outbox, 0);
    assert_eq!(Outbox::of(&repo).len().unwrap(), 0);
    git(&root, &["fsck", "--no-dangling", "--no-progress"]);

    // Every acknowledged event is on the server, exactly once.
    let remote = Repository::open_bare(&bare).unwrap();
    let mut walk = remote.revwalk().unwrap();
    walk.push_ref(EVENTS_BRANCH).unwrap();
    let mut added: BTreeMap<String, usize> = BTreeMap::new();
    for oid in walk {
        let commit = remote.find_commit(oid.unwrap()).unwrap();
        let parent = commit.parents().next().map(|p| p.tree().unwrap());
        let diff = remote.diff_tree_to_tree(parent.as_ref(), Some(&commit.tree().unwrap()), None).unwrap();
        for d in diff.deltas() {
            assert_eq!(d.status(), git2::Delta::Added);
            let path = d.new_file().path().unwrap().to_str().unwrap();
            let id = path.rsplit('/').next().unwrap().trim_end_matches(".md").to_owned();
            *added.entry(id).or_default() += 1;
        }
    }
    for id in &acked {
        assert_eq!(added.get(id), Some(&1), "acknowledged event {id} is on the server once");
    }
    assert!(added.values().all(|n| *n == 1));
    let reg = registry();
    let replay = EventLog::new(&repo, &reg).replay().unwrap();
    assert!(replay.diagnostics.is_empty(), "{:?}", replay.diagnostics);
    assert_eq!(replay.events.len(), added.len());
}

#[test]
fn lock_files_left_by_a_killed_sync_are_removed_and_foreign_ones_respected() {
    let s = servers();
    let name = unique("locks");
    s.new_remote(&name, 1, false);
    let (_d, repo) = clone_as(&s.git_url(&name), "alice", &Auth::none());
    let git_dir = repo.path().to_path_buf();
    let root = workdir(&repo).to_path_buf();

    // A sync that was killed: its record is still in sync.lock, and git locks it made remain.
    std::fs::create_dir_all(git_dir.join("guildhall")).unwrap();
    let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() - 5;
    std::fs::write(git_dir.join("guildhall/sync.lock"), format!("999999 {started}")).unwrap();
    std::fs::write(git_dir.join("index.lock"), "").unwrap();
    std::fs::write(git_dir.join("refs/heads/main.lock"), "").unwrap();
    let report = guildhall_sync::sync(&root, &SyncOptions { auth: Auth::none() }).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.stale_locks_removed.len(), 2, "{:?}", report.stale_locks_removed);
    assert!(!git_dir.join("index.lock").exists() && !git_dir.join("refs/heads/main.lock").exists());

    // A fresh lock with no crashed sync behind it belongs to someone else (a running git).
    std::fs::write(git_dir.join("index.lock"), "").unwrap();
    let err = guildhall_sync::sync(&root, &SyncOptions { auth: Auth::none() }).unwrap_err();
    assert!(matches!(err, SyncError::Busy { .. }), "{err:?}");
    assert!(git_dir.join("index.lock").exists(), "never removed while it may be in use");
    std::fs::remove_file(git_dir.join("index.lock")).unwrap();

    // Another sync in progress: this one waits its turn.
    let guard = SyncGuard::acquire(&git_dir).unwrap();
    let err = guildhall_sync::sync(&root, &SyncOptions { auth: Auth::none() }).unwrap_err();
    assert!(matches!(err, SyncError::Busy { .. }), "{err:?}");
    drop(guard);
    let report = guildhall_sync::sync(&root, &SyncOptions { auth: Auth::none() }).unwrap();
    assert!(report.errors.is_empty() && report.stale_locks_removed.is_empty(), "{report:?}");
}

#[test]
fn queued_actions_survive_a_restart_and_are_sent_once() {
    let s = servers();
    let name = unique("outbox");
    let bare = s.new_remote(&name, 1, false);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (_d, repo) = clone_as(&s.git_url(&name), "alice", &Auth::none());
    let root = workdir(&repo).to_path_buf();
    // Offline: the remote's address points nowhere.
    repo.remote_set_url("origin", &format!("git://127.0.0.1:{port}/{name}.git")).unwrap();
    let reg = registry();
    let e = EventLog::new(&repo, &reg).append("note", &[], "Written offline").unwrap();
    let base = repo.find_reference("refs/heads/main").unwrap().peel_to_commit().unwrap();
    let sig = repo.signature().unwrap();
    let proposal =
        repo.commit(Some("refs/heads/proposals/01JOFFLINE"), &sig, &sig, "p", &base.tree().unwrap(), &[&base]).unwrap();
    Outbox::of(&repo)
        .add(guildhall_sync::Action::PushBranch { branch: "proposals/01JOFFLINE".into(), commit: proposal.to_string() })
        .unwrap();
    let report = guildhall_sync::sync(&root, &SyncOptions { auth: Auth::none() }).unwrap();
    assert_eq!(report.error().map(|e| e.code), Some("unreachable"));
    assert_eq!((report.outbox, report.exit_code()), (2, 1));
    let status = guildhall_sync::status(&root).unwrap();
    assert_eq!(status.outbox, 2);
    assert_eq!(status.last_error.map(|e| e.code).as_deref(), Some("unreachable"));
    assert!(status.last_sync.is_some());

    // "Restart": a new handle on the same folder; the remote is back.
    let repo = Repository::open(&root).unwrap();
    repo.remote_set_url("origin", &s.git_url(&name)).unwrap();
    assert_eq!(Outbox::of(&repo).len().unwrap(), 2);
    let report = guildhall_sync::sync(&root, &SyncOptions { auth: Auth::none() }).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!((report.pushed, report.outbox), (2, 0));
    let remote = Repository::open_bare(&bare).unwrap();
    assert_eq!(remote.refname_to_id("refs/heads/proposals/01JOFFLINE").unwrap(), proposal);
    let tree = remote.find_reference(EVENTS_BRANCH).unwrap().peel_to_tree().unwrap();
    assert!(tree.get_path(std::path::Path::new(&e.path)).is_ok());

    // A queued action the remote already has (sent just before a crash) is not sent again.
    Outbox::of(&repo)
        .add(guildhall_sync::Action::PushBranch { branch: "proposals/01JOFFLINE".into(), commit: proposal.to_string() })
        .unwrap();
    let report = guildhall_sync::sync(&root, &SyncOptions { auth: Auth::none() }).unwrap();
    assert_eq!((report.pushed, report.outbox), (0, 0), "{report:?}");
}
