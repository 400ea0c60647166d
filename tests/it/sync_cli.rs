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
