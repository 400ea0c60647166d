//! Acknowledged writes survive the process being killed (SIGKILL) in the middle of writing.
//!
//! The test binary runs itself as the writer: `crash::crash_writer` does nothing unless the
//! environment names a database, in which case it writes progress rows in a loop and prints each
//! id on stdout once the write method has returned. The parent kills it without warning, reopens the
//! file and checks that every printed id is there and that the file is sound.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use guildhall_store::{Store, StoreOptions};

const CHILD_ENV: &str = "GUILDHALL_STORE_CRASH_WRITER";
const PATH_ID: &str = "crash";

#[test]
fn crash_writer() {
    let Some(file) = std::env::var_os(CHILD_ENV) else {
        return; // only the child process writes
    };
    let round = std::env::var("GUILDHALL_STORE_CRASH_ROUND").unwrap_or_default();
    let mut store = Store::open(Path::new(&file), &StoreOptions::default()).expect("open");
    store.start_path(PATH_ID, &[] as &[&str]).expect("start");
    let mut out = std::io::stdout().lock();
    for i in 0u64.. {
        let id = format!("r{round}-step-{i}");
        store.mark_step_done(PATH_ID, &id).expect("write");
        // A fresh line, so libtest's "test crash::crash_writer ... " prefix never shares it.
        write!(out, "\nACK {id}\n").expect("stdout");
        out.flush().expect("flush");
    }
}

/// Runs the writer until it has acknowledged writes for about `run_for`, kills it, and returns
/// the ids it acknowledged (complete lines only).
fn run_and_kill(file: &Path, round: u32, run_for: Duration) -> Vec<String> {
    let exe = std::env::current_exe().expect("test binary");
    let mut child = Command::new(exe)
        .args(["crash::crash_writer", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, file)
        .env("GUILDHALL_STORE_CRASH_ROUND", round.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn writer");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let mut acked = Vec::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    // A line cut by the kill has no newline: it was not acknowledged in full.
                    if let Some(id) = line.strip_suffix('\n').and_then(|l| l.strip_prefix("ACK ")) {
                        acked.push(id.to_string());
                        let _ = tx.send(());
                    }
                }
            }
        }
        acked
    });
    // Wait for the first acknowledgement (the child may be slow to start on a busy machine),
    // then let it write for `run_for`.
    rx.recv_timeout(Duration::from_secs(60)).expect("the writer acknowledged nothing within 60 s");
    let start = Instant::now();
    while start.elapsed() < run_for {
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().expect("SIGKILL the writer"); // std sends SIGKILL on Unix
    child.wait().expect("reap the writer");
    reader.join().expect("reader thread")
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("guildhall.sqlite3");
    let mut all_acked = Vec::new();
    for (round, ms) in [(0, 1000), (1, 300)] {
        let acked = run_and_kill(&file, round, Duration::from_millis(ms));
        assert!(!acked.is_empty(), "round {round}: nothing acknowledged");
        all_acked.extend(acked);

        let store = Store::open(&file, &StoreOptions::default()).expect("reopen after kill");
        store.integrity_check().expect("integrity_check after kill");
        let progress = store.path_progress(PATH_ID, &all_acked).expect("progress").expect("started");
        let missing: Vec<&str> = progress.steps.iter().filter(|s| !s.is_done()).map(|s| s.step_ref.as_str()).collect();
        assert!(missing.is_empty(), "round {round}: acknowledged but lost: {missing:?}");
        drop(store);
    }
    let conn = rusqlite::Connection::open(&file).expect("raw open");
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check");
    assert_eq!(check, "ok");
    eprintln!("{} acknowledged writes survived two kills", all_acked.len());
}
