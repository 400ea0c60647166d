//! Shared helpers: fixture paths, running the real `guildhall` binary, building hubs in
//! temporary folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::Duration;

use guildhall_content::{Assets, Catalog, LoadOptions, RenderOptions, SourceFile};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture_hub(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/hubs").join(name)
}

/// Runs the `guildhall` binary built for these tests, with no inherited hub settings.
pub fn guildhall(args: &[&str]) -> Output {
    guildhall_in(&repo_root(), args, &[])
}

pub fn guildhall_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guildhall"));
    cmd.current_dir(dir).args(args).env_remove("GUILDHALL_CONTENT").env_remove("GUILDHALL_DATA");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run guildhall")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A catalog built in memory from `(path, text)` pairs.
pub fn catalog(files: &[(&str, &[u8])]) -> Catalog {
    let sources =
        files.iter().map(|(p, b)| SourceFile { path: p.to_string(), bytes: Ok(b.to_vec()) }).collect::<Vec<_>>();
    Catalog::build("test", sources, Assets::default(), None, &LoadOptions::default())
}

/// Renders every document of a catalog with the default options.
pub fn render_all(c: &Catalog) -> Vec<String> {
    let r = c.renderer(RenderOptions::default());
    (0..c.documents().len()).map(|i| r.render(i).html).collect()
}

/// Runs `f` on another thread and fails the test if it has not finished within `secs`
/// seconds: hostile input must produce a diagnostic, never a hang.
pub fn within<T: Send + 'static>(secs: u64, what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 * 1024 * 1024)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .expect("spawn");
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(v) => v,
        Err(_) => panic!("{what}: still running after {secs} s (a hang), or it panicked"),
    }
}

/// Runs `guildhall` with standard output connected to a pipe whose reading end is already closed
/// (as in `guildhall ... | head -c 0` when `head` has gone): every write to it fails with
/// `EPIPE`. Returns the exit status and standard error.
pub fn guildhall_into_closed_pipe(dir: &Path, args: &[&str]) -> (std::process::ExitStatus, String) {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_guildhall"))
        .current_dir(dir)
        .args(args)
        .env_remove("GUILDHALL_CONTENT")
        .env_remove("GUILDHALL_DATA")
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run guildhall");
    (out.status, String::from_utf8_lossy(&out.stderr).into_owned())
}
