//! Authoring and review through the real `guildhall` binary, with two identities (the
//! repository's git user is switched between commands), and crashes in the middle of publishing.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use crate::harness::{guildhall_in, guildhall_into_closed_pipe, stderr, stdout};

const CONFIG: &str = "name = \"Review hub\"\n\
[[members]]\nname = \"Alice Author\"\nemail = \"alice@example.org\"\nroles = [\"citizen-developer\"]\n\
[[members]]\nname = \"Bob Mentor\"\nemail = \"bob@example.org\"\nroles = [\"mentor\"]\n";

fn hub() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("guildhall.toml"), CONFIG).expect("config");
    std::fs::create_dir(dir.path().join("patterns")).expect("mkdir");
    std::fs::write(dir.path().join("patterns/retry.md"), "---\ntitle: Retry\n---\nCalls fail.\n").expect("write");
    // The first command commits the folder as the initial content of `main`.
    let first = run_as(dir.path(), "bob", &["review", "--content", "."], &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    dir
}

/// Runs `guildhall` in the hub as `who` (alice or bob).
fn run_as(root: &Path, who: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    set_user(root, who);
    guildhall_in(root, args, env)
}

fn set_user(root: &Path, who: &str) {
    // The first command initialises the repository; make sure one exists before configuring it.
    let repo = git2::Repository::open(root).unwrap_or_else(|_| {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        git2::Repository::init_opts(root, &opts).expect("init")
    });
    let mut config = repo.config().expect("config");
    let (name, email) =
        if who == "alice" { ("Alice Author", "alice@example.org") } else { ("Bob Mentor", "bob@example.org") };
    config.set_str("user.name", name).expect("name");
    config.set_str("user.email", email).expect("email");
}

fn propose(root: &Path, text: &str) -> String {
    std::fs::write(root.join("patterns/retry.md"), text).expect("edit");
    let out = run_as(
        root,
        "alice",
        &["propose", "--content", ".", "patterns/retry.md", "--title", "Edit", "--reason", "Clearer.", "--json"],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    v["id"].as_str().expect("id").to_string()
}

/// `main` points at a commit whose tree passes `guildhall check`; returns that file's content.
fn assert_main_consistent(root: &Path) -> String {
    let repo = git2::Repository::open(root).expect("repo");
    let commit = repo.find_reference("refs/heads/main").expect("main").peel_to_commit().expect("commit");
    let tree = commit.tree().expect("tree");
    let out_dir = tempfile::tempdir().expect("tempdir");
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            let path = out_dir.path().join(dir).join(entry.name().expect("name"));
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, repo.find_blob(entry.id()).expect("blob").content()).expect("write");
        }
        git2::TreeWalkResult::Ok
    })
    .expect("walk");
    let check = guildhall_in(out_dir.path(), &["check", "--content", "."], &[]);
    assert!(check.status.success(), "main does not pass check: {}", stdout(&check));
    std::fs::read_to_string(out_dir.path().join("patterns/retry.md")).expect("retry")
}

fn published_commits(root: &Path, id: &str) -> usize {
    let repo = git2::Repository::open(root).expect("repo");
    let mut walk = repo.revwalk().expect("walk");
    walk.push_ref("refs/heads/main").expect("main");
    walk.simplify_first_parent().expect("first parent");
    walk.filter(|c| {
        let c = repo.find_commit(*c.as_ref().expect("oid")).expect("commit");
        c.message().unwrap_or_default().contains(&format!("\nProposal: {id}\n"))
    })
    .count()
}

#[test]
fn the_cli_runs_the_whole_cycle_with_two_identities() {
    let dir = hub();
    let root = dir.path();
    let id = propose(root, "---\ntitle: Retry\n---\nHTTP calls fail.\n");
    assert_eq!(id.len(), 26, "a ULID, unique without coordination: {id}");
    // Any unique prefix of six characters or more names it, in either case.
    let short = id[..10].to_lowercase();
    let short = short.as_str();

    let queue = run_as(root, "bob", &["review", "--content", "."], &[]);
    assert!(stdout(&queue).contains(&format!("{id}\topen\tAlice Author")), "{}", stdout(&queue));
    let too_short = run_as(root, "bob", &["review", "--content", ".", &id[..5]], &[]);
    assert_eq!(too_short.status.code(), Some(1), "{}", stderr(&too_short));

    let own = run_as(root, "alice", &["review", "--content", ".", short, "--approve"], &[]);
    assert_eq!(own.status.code(), Some(1));
    assert!(stderr(&own).contains("their own proposal"), "{}", stderr(&own));

    let sent_back =
        run_as(root, "bob", &["review", "--content", ".", short, "--request-changes", "Name the calls."], &[]);
    assert!(sent_back.status.success(), "{}", stderr(&sent_back));
    std::fs::write(root.join("patterns/retry.md"), "---\ntitle: Retry\n---\nHTTP calls to the CRM fail.\n")
        .expect("edit");
    let revised = run_as(
        root,
        "alice",
        &["propose", "--content", ".", "patterns/retry.md", "--title", "Edit", "--revise", short],
        &[],
    );
    assert!(revised.status.success(), "{}", stderr(&revised));

    let approved = run_as(root, "bob", &["review", "--content", ".", short, "--approve"], &[]);
    assert!(approved.status.success(), "{}", stderr(&approved));
    assert!(assert_main_consistent(root).contains("to the CRM"));

    let history = run_as(root, "bob", &["history", "--content", ".", "retry", "--json"], &[]);
    let versions: serde_json::Value = serde_json::from_str(&stdout(&history)).expect("json");
    assert_eq!(versions[0]["requested_by"], "Alice Author <alice@example.org>");
    assert_eq!(versions[0]["approved_by"], "Bob Mentor <bob@example.org>");
    assert_eq!(versions[0]["proposal"], id.as_str());

    let log = run_as(root, "bob", &["changelog", "--content", ".", "--json", "--person", "alice"], &[]);
    let entries: serde_json::Value = serde_json::from_str(&stdout(&log)).expect("json");
    assert_eq!(entries.as_array().map(Vec::len), Some(1));

    // A mentor may not roll back directly.
    let first = versions[1]["commit"].as_str().expect("commit").to_string();
    let direct = run_as(root, "bob", &["rollback", "--content", ".", "retry", &first, "--direct"], &[]);
    assert_eq!(direct.status.code(), Some(1), "{}", stderr(&direct));
    assert!(stderr(&direct).contains("needs the role admin"), "{}", stderr(&direct));
}

/// `kill -9` (here: an abort at each step, then SIGKILL at random moments) while publishing
/// leaves `main` at a valid commit that passes `check`, the proposal intact, and a retry
/// publishes it exactly once.
#[test]
fn a_crash_while_publishing_leaves_main_consistent() {
    for step in ["objects", "pending", "main", "worktree"] {
        let dir = hub();
        let root = dir.path();
        let id = propose(root, "---\ntitle: Retry\n---\nEdited.\n");
        let crashed =
            run_as(root, "bob", &["review", "--content", ".", &id, "--approve"], &[("GUILDHALL_REVIEW_FAULT", step)]);
        assert!(!crashed.status.success(), "{step}: the fault hook did not fire");
        assert_main_consistent(root);
        check_proposal_survives(root, &id, step);
    }

    let dir = hub();
    let root = dir.path();
    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(7, |d| d.subsec_nanos());
    for round in 0..6 {
        let id = propose(root, &format!("---\ntitle: Retry\n---\nRound {round}.\n"));
        set_user(root, "bob");
        let mut child = Command::new(env!("CARGO_BIN_EXE_guildhall"))
            .current_dir(root)
            .args(["review", "--content", ".", &id, "--approve"])
            .env("GUILDHALL_REVIEW_STEP_DELAY_MS", "40")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        std::thread::sleep(Duration::from_millis(u64::from(seed % 220)));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        assert_main_consistent(root);
        check_proposal_survives(root, &id, &format!("random kill {round}"));
    }
}

fn check_proposal_survives(root: &Path, id: &str, what: &str) {
    let repo = git2::Repository::open(root).expect("repo");
    assert!(repo.find_reference(&format!("refs/heads/proposals/{id}")).is_ok(), "{what}: branch lost");
    let shown = run_as(root, "bob", &["review", "--content", ".", id, "--json"], &[]);
    assert!(shown.status.success(), "{what}: {}", stderr(&shown));
    let p: serde_json::Value = serde_json::from_str(&stdout(&shown)).expect("json");
    match p["status"].as_str() {
        Some("approved") => {}
        Some("open") => {
            let retry = run_as(root, "bob", &["review", "--content", ".", id, "--approve"], &[]);
            assert!(retry.status.success(), "{what}: retry failed: {}", stderr(&retry));
        }
        other => panic!("{what}: unexpected status {other:?}"),
    }
    assert_eq!(published_commits(root, id), 1, "{what}: published exactly once");
    let status = run_as(root, "bob", &["review", "--content", ".", id, "--json"], &[]);
    let p: serde_json::Value = serde_json::from_str(&stdout(&status)).expect("json");
    assert_eq!(p["status"], "approved", "{what}");
    assert!(
        assert_main_consistent(root).contains(&std::fs::read_to_string(root.join("patterns/retry.md")).expect("wt"))
    );
}

/// `guildhall propose ... --json | head -c 200` used to panic with "failed printing to stdout:
/// Broken pipe" after the proposal was made. Now it ends quietly, and the proposal stands.
#[test]
fn propose_into_a_closed_pipe_ends_quietly_and_the_proposal_stands() {
    let dir = hub();
    let root = dir.path();
    std::fs::write(root.join("patterns/retry.md"), "---\ntitle: Retry\n---\nPiped.\n").expect("edit");
    set_user(root, "alice");
    let (status, err) = guildhall_into_closed_pipe(
        root,
        &["propose", "--content", ".", "patterns/retry.md", "--title", "Piped", "--json"],
    );
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{err}");
    let shown = run_as(root, "bob", &["review", "--content", ".", "--json"], &[]);
    let queue: serde_json::Value = serde_json::from_str(&stdout(&shown)).expect("json");
    assert_eq!(queue[0]["title"], "Piped", "{}", stderr(&shown));
}

/// #14's safety rail: publishing a change that deletes more than a tenth of the hub's documents is
/// refused until an admin confirms it; a smaller deletion is an ordinary approval.
#[test]
fn deleting_more_than_a_tenth_of_the_hub_needs_an_admins_confirmation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let config =
        format!("{CONFIG}[[members]]\nname = \"Carol Admin\"\nemail = \"carol@example.org\"\nroles = [\"admin\"]\n");
    std::fs::write(root.join("guildhall.toml"), config).expect("config");
    std::fs::create_dir(root.join("patterns")).expect("mkdir");
    for n in 1..=12 {
        std::fs::write(root.join(format!("patterns/p{n}.md")), format!("---\ntitle: Pattern {n}\n---\nText {n}.\n"))
            .expect("write");
    }
    let as_user = |who: &str, args: &[&str]| {
        let repo = git2::Repository::open(root).unwrap_or_else(|_| {
            let mut opts = git2::RepositoryInitOptions::new();
            opts.initial_head("main");
            git2::Repository::init_opts(root, &opts).expect("init")
        });
        let mut c = repo.config().expect("config");
        let name = match who {
            "alice" => "Alice Author",
            "bob" => "Bob Mentor",
            _ => "Carol Admin",
        };
        c.set_str("user.name", name).expect("name");
        c.set_str("user.email", &format!("{who}@example.org")).expect("email");
        guildhall_in(root, args, &[])
    };
    let delete = |files: &[&str]| -> String {
        for f in files {
            std::fs::remove_file(root.join(f)).expect("rm");
        }
        let mut args = vec!["propose", "--content", "."];
        args.extend_from_slice(files);
        args.extend_from_slice(&["--title", "Remove", "--reason", "Outdated.", "--json"]);
        let out = as_user("alice", &args);
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
        v["id"].as_str().expect("id").to_string()
    };
    // The first command commits the folder as `main`.
    assert!(as_user("bob", &["review", "--content", "."]).status.success());

    // 1 of 12 (8 %): an ordinary approval.
    let one = delete(&["patterns/p1.md"]);
    let out = as_user("bob", &["review", "--content", ".", &one, "--approve"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // 2 of 11 (18 %): refused until an admin confirms, naming the numbers and the way forward.
    let two = delete(&["patterns/p2.md", "patterns/p3.md"]);
    let out = as_user("bob", &["review", "--content", ".", &two, "--approve"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("deletes 2 of the hub's 11 documents") && err.contains("--confirm-deletions"), "{err}");
    let out = as_user("bob", &["review", "--content", ".", &two, "--approve", "--confirm-deletions"]);
    assert_eq!(out.status.code(), Some(1), "a mentor cannot confirm: {}", stderr(&out));
    assert!(stderr(&out).contains("admin"), "{}", stderr(&out));
    let repo = git2::Repository::open(root).expect("repo");
    fn main(repo: &git2::Repository) -> git2::Tree<'_> {
        repo.find_reference("refs/heads/main").expect("main").peel_to_tree().expect("tree")
    }
    assert!(main(&repo).get_path(Path::new("patterns/p2.md")).is_ok(), "nothing was published yet");
    let out = as_user("carol", &["review", "--content", ".", &two, "--approve", "--confirm-deletions"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(main(&repo).get_path(Path::new("patterns/p2.md")).is_err());
    assert!(main(&repo).get_path(Path::new("patterns/p3.md")).is_err());
}
