//! `guildhall clone` and `guildhall sync`: the command-line contract (JSON fields, exit codes,
//! nothing but the result on a pipe). The transport itself is tested against real servers in
//! crates/guildhall-sync.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use crate::harness::{guildhall_in, stderr, stdout};

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git").arg("-C").arg(dir).args(args).output().expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A bare hub repository with one page on main.
fn remote(root: &Path) -> std::path::PathBuf {
    let bare = root.join("hub.git");
    let seed = root.join("seed");
    std::fs::create_dir_all(&seed).unwrap();
    git(root, &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()]);
    git(&seed, &["init", "-q", "-b", "main"]);
    std::fs::write(seed.join("welcome.md"), "---\ntitle: Welcome\n---\n\n# Welcome\n").unwrap();
    git(&seed, &["add", "-A"]);
    git(&seed, &["-c", "user.name=Seed", "-c", "user.email=seed@example.org", "commit", "-q", "-m", "Initial"]);
    git(&seed, &["push", "-q", bare.to_str().unwrap(), "main"]);
    bare
}

#[test]
fn clone_then_sync_with_the_json_contract_and_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let bare = remote(tmp.path());
    let out = guildhall_in(tmp.path(), &["clone", bare.to_str().unwrap(), "mine"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Joined the hub: mine\n", "no progress bar on a pipe");
    assert!(!stderr(&out).contains('\r'));
    let hub = tmp.path().join("mine");
    assert!(hub.join("welcome.md").exists());

    // Someone publishes; sync fast-forwards.
    std::fs::write(tmp.path().join("seed/welcome.md"), "---\ntitle: Welcome\n---\n\n# Welcome back\n").unwrap();
    git(
        &tmp.path().join("seed"),
        &["-c", "user.name=Seed", "-c", "user.email=seed@example.org", "commit", "-qam", "Update"],
    );
    git(&tmp.path().join("seed"), &["push", "-q", bare.to_str().unwrap(), "main"]);
    let out = guildhall_in(tmp.path(), &["sync", "--json", "--content", "mine"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["fetched"], true);
    assert_eq!(v["fast_forwarded"], true);
    assert_eq!(v["pushed"], 0);
    assert_eq!(v["outbox"], 0);
    assert_eq!(v["needs_update"], serde_json::json!([]));
    assert!(v["error"].is_null());
    assert!(std::fs::read_to_string(hub.join("welcome.md")).unwrap().contains("Welcome back"));

    let out = guildhall_in(tmp.path(), &["sync", "--status", "--json", "--content", "mine"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!((v["ahead"].as_u64(), v["behind"].as_u64(), v["outbox"].as_u64()), (Some(0), Some(0), Some(0)));
    assert!(v["last_sync"].is_i64());

    // The remote is gone: exit 1, the error in the JSON.
    std::fs::rename(&bare, tmp.path().join("moved.git")).unwrap();
    let out = guildhall_in(tmp.path(), &["sync", "--json", "--content", "mine"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["error"]["code"].is_string() && v["error"]["message"].is_string(), "{v}");

    // Not a clone at all: exit 2.
    let out = guildhall_in(tmp.path(), &["sync", "--content", "seed-not-here"], &[]);
    assert_eq!(out.status.code(), Some(2));
    // Cloning into a folder that holds something: exit 2, nothing removed.
    let out = guildhall_in(tmp.path(), &["clone", tmp.path().join("moved.git").to_str().unwrap(), "mine"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("not empty"));
    assert!(hub.join("welcome.md").exists());
}

const TEAM_CONFIG: &str = "name = \"Team hub\"\n";
const RETRY: &str =
    "---\ntitle: Retry with backoff\nsummary: Try again later.\n---\nCalls fail. Use exponential backoff.\n";

/// Publishes `path` with `text` on the remote's main, as someone else would from their clone.
fn publish(seed: &Path, bare: &Path, path: &str, text: &str) {
    let file = seed.join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
    git(seed, &["add", "-A"]);
    git(seed, &["-c", "user.name=Seed", "-c", "user.email=seed@example.org", "commit", "-qm", path]);
    git(seed, &["push", "-q", bare.to_str().unwrap(), "main"]);
}

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nsummary: {title}.\n---\n{body}\n")
}

/// The app's side of team sync, through the HTTP API of a real `guildhall serve`: it syncs in the
/// background on start, the Sync button pulls a publish that is searchable when it answers, the
/// status says where the hub stands, and an unreachable remote is an answer (work queued), not a
/// failure of the request.
#[test]
fn the_app_syncs_on_start_and_on_demand_and_what_it_pulls_is_searchable() {
    use crate::serve::{Server, agent, call};
    let tmp = tempfile::tempdir().unwrap();
    let (bare, seed) = (tmp.path().join("hub.git"), tmp.path().join("seed"));
    std::fs::create_dir_all(&seed).unwrap();
    git(tmp.path(), &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()]);
    git(&seed, &["init", "-q", "-b", "main"]);
    std::fs::write(seed.join("guildhall.toml"), TEAM_CONFIG).unwrap();
    publish(&seed, &bare, "patterns/retry.md", RETRY);
    let out = guildhall_in(tmp.path(), &["clone", bare.to_str().unwrap(), "mine"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Published after this clone was made: the sync on start brings it.
    publish(&seed, &bare, "patterns/fuel.md", &page("Fuel card claims", "Claim fuel with the card."));
    let data = tmp.path().join("data");
    let server = Server::start(&tmp.path().join("mine"), &data);
    let agent = agent();
    let get = |path: &str| call(&agent, "GET", &format!("{}{path}", server.base), None);
    let post = |path: &str| call(&agent, "POST", &format!("{}{path}", server.base), None);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        let (s, status) = get("/api/sync");
        assert_eq!(s, 200, "{status}");
        if !status["last_sync"].is_null() && status["running"] == false {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "no background sync on start: {status}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(status["shared"], true, "{status}");
    assert_eq!(
        (status["ahead"].as_u64(), status["behind"].as_u64(), status["outbox"].as_u64()),
        (Some(0), Some(0), Some(0))
    );
    assert!(status["last_error"].is_null(), "{status}");
    let hits = |q: &str| {
        let (s, r) = get(&format!("/api/search?q={q}"));
        assert_eq!(s, 200, "{r}");
        r["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    // The watcher may also have seen the files; either way the page is searchable now.
    let wait_for = |q: &str, id: &str| {
        for _ in 0..50 {
            if hits(q).iter().any(|h| h == id) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("`{id}` never became searchable for `{q}`");
    };
    wait_for("fuel", "fuel");

    // The Sync button: what it pulled is searchable when it answers (no waiting).
    publish(&seed, &bare, "patterns/mileage.md", &page("Mileage allowance", "Log the mileage of each trip."));
    let (s, outcome) = post("/api/sync");
    assert_eq!(s, 200, "{outcome}");
    assert_eq!(outcome["fetched"], true, "{outcome}");
    assert_eq!(outcome["fast_forwarded"], true, "{outcome}");
    assert_eq!(outcome["files_changed"], 1, "{outcome}");
    assert!(outcome["error"].is_null(), "{outcome}");
    assert!(hits("mileage").iter().any(|h| h == "mileage"), "pulled but not searchable yet");

    // The remote goes away: the answer says so (the work stays queued), the status remembers it.
    std::fs::rename(&bare, tmp.path().join("moved.git")).unwrap();
    let (s, outcome) = post("/api/sync");
    assert_eq!(s, 200, "{outcome}");
    assert_eq!(outcome["fetched"], false, "{outcome}");
    let code = outcome["error"]["code"].as_str().unwrap_or_default().to_string();
    assert!(!code.is_empty(), "{outcome}");
    assert_eq!(outcome["status"]["last_error"]["code"], code.as_str(), "{outcome}");
    assert_eq!(outcome["status"]["paused"], false, "only a refused credential pauses background sync");
    drop(server);

    // A hub of one's own (no remote): not shared, and a sync is refused with a next step.
    let own = tmp.path().join("own");
    std::fs::create_dir_all(own.join("patterns")).unwrap();
    std::fs::write(own.join("guildhall.toml"), TEAM_CONFIG).unwrap();
    std::fs::write(own.join("patterns/retry.md"), RETRY).unwrap();
    let server = Server::start(&own, &tmp.path().join("own-data"));
    let (s, status) = call(&agent, "GET", &format!("{}/api/sync", server.base), None);
    assert_eq!((s, status["shared"].clone()), (200, serde_json::json!(false)), "{status}");
    let (s, refused) = call(&agent, "POST", &format!("{}/api/sync", server.base), None);
    assert_eq!(s, 409, "{refused}");
    assert_eq!(refused["error"]["code"], "not-shared", "{refused}");
    assert!(refused["error"]["message"].as_str().unwrap().contains("guildhall clone"), "{refused}");
    assert!(!own.join(".git").exists(), "asking for the status made the folder a repository");
}
