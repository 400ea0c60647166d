//! Credentials without a prompt: the OS keyring (GNOME Keyring under a private D-Bus session)
//! and git's credential helpers, against lighttpd's basic auth.

use std::process::Command;

use guildhall_sync::{Auth, CredentialSource, SyncError};

use crate::servers::servers;
use crate::{clone_as, unique, workdir};

const KEYRING_URL_ENV: &str = "GUILDHALL_SYNC_TEST_KEYRING_URL";
const KEYRING_OTHER_URL_ENV: &str = "GUILDHALL_SYNC_TEST_KEYRING_OTHER_URL";

/// Run by `a_token_in_the_keyring_is_used_and_a_wrong_one_refused_once` inside a D-Bus session
/// with GNOME Keyring.
#[test]
#[ignore = "a child process of a_token_in_the_keyring_is_used_and_a_wrong_one_refused_once"]
fn keyring_child() {
    let Ok(url) = std::env::var(KEYRING_URL_ENV) else { return };
    let dir = tempfile::tempdir().unwrap();
    guildhall_sync::store_token(&url, "alice", "alice-token").unwrap();
    let repo = guildhall_sync::clone(&url, &dir.path().join("hub"), &Auth::stored(), &mut |_| {}).unwrap();
    assert!(workdir(&repo).join("guildhall.toml").exists());
    // The token is in the keyring, nowhere in the clone.
    let found = Command::new("grep").args(["-r", "-l", "alice-token"]).arg(dir.path()).output().unwrap();
    assert!(found.stdout.is_empty(), "token written to {}", String::from_utf8_lossy(&found.stdout));

    guildhall_sync::store_token(&url, "alice", "an-expired-token").unwrap();
    let other = std::env::var(KEYRING_OTHER_URL_ENV).unwrap();
    let auth = Auth::stored();
    let err = guildhall_sync::clone(&other, &dir.path().join("hub2"), &auth, &mut |_| {}).map(drop).unwrap_err();
    assert_eq!(auth.credentials_given(), 1, "the stored token is sent once");
    assert!(matches!(err, SyncError::AuthRefused { from: CredentialSource::Keyring, .. }), "{err:?}");
    assert!(err.to_string().contains("from the keyring"), "{err}");
    assert!(guildhall_sync::forget_token(&url, "alice").unwrap());
    assert!(!guildhall_sync::forget_token(&url, "alice").unwrap());
    println!("KEYRING-CHILD-OK");
}

#[test]
fn a_token_in_the_keyring_is_used_and_a_wrong_one_refused_once() {
    let s = servers();
    let name = unique("keyring");
    s.new_remote(&name, 1, true);
    let other = format!("{name}-other");
    s.new_remote(&other, 1, true);
    let url = s.http_url(&name).replacen("http://", "http://alice@", 1);
    let script =
        r#"printf 'test-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@""#;
    // A fresh keyring folder: never the person's own keyring.
    let home = tempfile::tempdir().unwrap();
    let out = Command::new("dbus-run-session")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_RUNTIME_DIR", home.path())
        .args(["--", "sh", "-c", script, "sh"])
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", "credentials::keyring_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env(KEYRING_URL_ENV, &url)
        .env(KEYRING_OTHER_URL_ENV, s.http_url(&other).replacen("http://", "http://alice@", 1))
        .output()
        .expect("dbus-run-session (dbus-daemon) and gnome-keyring, installed by ./dev");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("KEYRING-CHILD-OK"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The server saw the anonymous probe, libgit2's try of the address's user name with no
    // password (not always made), and the stored token once: no loop.
    let requests = s.http_requests(&other);
    assert!((2..=3).contains(&requests.len()), "{requests:#?}");
    assert!(requests.iter().all(|r| r.contains(" 401 ")), "{requests:#?}");
}

#[test]
fn git_credential_helpers_are_used() {
    let s = servers();
    let name = unique("helper");
    s.new_remote(&name, 1, true);
    let url = s.http_url(&name);
    let (_d, repo) = clone_as(&url, "alice", &Auth::token(Some("alice"), "alice-token"));
    let mut config = repo.config().unwrap();
    config.set_str("credential.helper", "!f() { echo username=alice; echo password=alice-token; }; f").unwrap();
    guildhall_sync::fetch(&repo, &Auth::stored()).unwrap();
    config.set_str("credential.helper", "!f() { echo username=alice; echo password=wrong; }; f").unwrap();
    let auth = Auth::stored();
    let err = guildhall_sync::fetch(&repo, &auth).unwrap_err();
    assert!(matches!(err, SyncError::AuthRefused { from: CredentialSource::GitHelper, .. }), "{err:?}");
    assert_eq!(auth.credentials_given(), 1);
}
