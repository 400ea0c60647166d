//! Real servers for the sync tests, started once per test binary on 127.0.0.1 with free ports:
//! `git daemon` (git://, pushes allowed) and lighttpd + `git http-backend` (HTTP basic auth, users
//! alice, bob and rita). Both serve the same folder of bare repositories; each test makes its own.
//! A watcher process stops both servers and removes the folder when the test binary exits.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub struct Servers {
    pub root: PathBuf,
    pub git_port: u16,
    pub http_port: u16,
}

/// The members of every test hub: alice and bob are citizen developers, rita a mentor (reviewer).
pub const GUILDHALL_TOML: &str = r#"name = "Sync test hub"

[[members]]
name = "Alice"
email = "alice@example.org"
roles = ["citizen-developer"]

[[members]]
name = "Bob"
email = "bob@example.org"
roles = ["citizen-developer"]

[[members]]
name = "Rita"
email = "rita@example.org"
roles = ["mentor"]
"#;

/// Only reviewers (rita) may update `main` over HTTP; bob may not push proposals (read-only).
const PRE_RECEIVE: &str = r#"#!/bin/sh
while read old new ref; do
  if [ "$ref" = refs/heads/main ] && [ "$REMOTE_USER" != rita ]; then
    echo "PROTECTED: main is published by reviewers only; $REMOTE_USER may not push it" >&2
    exit 1
  fi
  case "$ref" in refs/heads/proposals/*)
    if [ "$REMOTE_USER" = bob ]; then echo "READ-ONLY: bob may read this hub but not propose" >&2; exit 1; fi;;
  esac
done
exit 0
"#;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn wait_for(port: u16, what: &str) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(15), "{what} did not start on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn servers() -> &'static Servers {
    static S: OnceLock<Servers> = OnceLock::new();
    S.get_or_init(start)
}

// The servers live as long as this process; the watcher stops them after it exits (a static is
// never dropped, so there is nothing to wait for here).
#[allow(clippy::zombie_processes)]
fn start() -> Servers {
    let root = tempfile::Builder::new().prefix("guildhall-sync-it-").tempdir().expect("tempdir").keep();
    let repos = root.join("repos");
    std::fs::create_dir_all(&repos).expect("repos dir");
    let git_port = free_port();
    let daemon = Command::new("git")
        .args(["daemon", "--export-all", "--enable=receive-pack", "--reuseaddr", "--listen=127.0.0.1"])
        .arg(format!("--port={git_port}"))
        .arg(format!("--base-path={}", repos.display()))
        .arg(&repos)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("git daemon (the package `git`)");
    let http_port = free_port();
    std::fs::write(root.join("users.txt"), "alice:alice-token\nbob:bob-token\nrita:rita-token\n").expect("users");
    let exec_path = Command::new("git").arg("--exec-path").output().expect("git --exec-path");
    let exec_path = String::from_utf8_lossy(&exec_path.stdout).trim().to_owned();
    let conf = format!(
        r#"server.document-root = "{root}"
server.bind = "127.0.0.1"
server.port = {http_port}
server.errorlog = "{root}/lighttpd-error.log"
server.modules = ("mod_access", "mod_auth", "mod_authn_file", "mod_alias", "mod_setenv", "mod_cgi", "mod_accesslog")
accesslog.filename = "{root}/access.log"
auth.backend = "plain"
auth.backend.plain.userfile = "{root}/users.txt"
auth.require = ("/git" => ("method" => "basic", "realm" => "guildhall-test", "require" => "valid-user"))
alias.url = ("/git" => "{exec_path}/git-http-backend")
$HTTP["url"] =~ "^/git" {{
  cgi.assign = ("" => "")
  setenv.set-environment = ("GIT_PROJECT_ROOT" => "{repos}", "GIT_HTTP_EXPORT_ALL" => "")
}}
"#,
        root = root.display(),
        repos = repos.display(),
    );
    std::fs::write(root.join("lighttpd.conf"), conf).expect("lighttpd.conf");
    let lighttpd = Command::new("lighttpd")
        .arg("-D")
        .arg("-f")
        .arg(root.join("lighttpd.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("lighttpd (the Debian package `lighttpd`, installed by ./dev)");
    // The watcher: when this test process is gone, stop both servers and remove the folder.
    Command::new("sh")
        .arg("-c")
        .arg(r#"while kill -0 "$0" 2>/dev/null; do sleep 0.5; done; kill "$1" "$2" 2>/dev/null; sleep 0.5; kill -9 "$1" "$2" 2>/dev/null; rm -rf "$3""#)
        .arg(std::process::id().to_string())
        .arg(daemon.id().to_string())
        .arg(lighttpd.id().to_string())
        .arg(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the watcher");
    wait_for(git_port, "git daemon");
    wait_for(http_port, "lighttpd");
    Servers { root, git_port, http_port }
}

impl Servers {
    pub fn repo_path(&self, name: &str) -> PathBuf {
        self.root.join("repos").join(format!("{name}.git"))
    }

    pub fn git_url(&self, name: &str) -> String {
        format!("git://127.0.0.1:{}/{name}.git", self.git_port)
    }

    pub fn http_url(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/git/{name}.git", self.http_port)
    }

    /// Requests lighttpd logged for the repository `name`.
    pub fn http_requests(&self, name: &str) -> Vec<String> {
        let log = std::fs::read_to_string(self.root.join("access.log")).unwrap_or_default();
        log.lines().filter(|l| l.contains(&format!("/git/{name}.git/"))).map(str::to_owned).collect()
    }

    /// A new bare repository `name` whose `main` holds guildhall.toml and `files` extra files;
    /// `protected`: the pre-receive hook lets only rita push `main`.
    pub fn new_remote(&self, name: &str, files: usize, protected: bool) -> PathBuf {
        let bare = self.repo_path(name);
        run(Command::new("git").args(["init", "-q", "--bare", "-b", "main"]).arg(&bare));
        run(Command::new("git").arg("-C").arg(&bare).args(["config", "receive.denyNonFastForwards", "true"]));
        let seed = tempfile::tempdir().expect("seed dir");
        let s = seed.path();
        run(Command::new("git").args(["init", "-q", "-b", "main"]).arg(s));
        std::fs::write(s.join("guildhall.toml"), GUILDHALL_TOML).expect("toml");
        std::fs::create_dir_all(s.join("guides")).expect("guides");
        for i in 0..files {
            std::fs::write(
                s.join(format!("guides/page-{i:03}.md")),
                format!("---\ntitle: Page {i}\n---\n\n# Page {i}\n\nSome text for page {i}.\n"),
            )
            .expect("page");
        }
        git(s, &["add", "-A"]);
        git(s, &["-c", "user.name=Seed", "-c", "user.email=seed@example.org", "commit", "-q", "-m", "Initial hub"]);
        git(s, &["push", "-q", bare.to_str().expect("utf-8 path"), "main"]);
        if protected {
            let hook = bare.join("hooks/pre-receive");
            std::fs::write(&hook, PRE_RECEIVE).expect("hook");
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        bare
    }
}

pub fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("spawn");
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn git(dir: &Path, args: &[&str]) -> String {
    run(Command::new("git").arg("-C").arg(dir).args(args))
}
