//! The network operations: clone, fetch and push, with progress, credentials and the server's
//! messages.

use std::path::Path;
use std::sync::{Arc, Mutex};

use git2::build::{CheckoutBuilder, RepoBuilder};
use git2::{ErrorClass, ErrorCode, FetchOptions, PushOptions, RemoteCallbacks, Repository};

use crate::auth::{Auth, AuthSession, redact};
use crate::{REMOTE, SyncError};

/// How far a clone has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "phase", rename_all = "kebab-case")]
pub enum Progress {
    /// Objects arriving from the server.
    Receiving { objects: usize, total_objects: usize, bytes: usize },
    /// Deltas being resolved once everything arrived.
    Resolving { deltas: usize, total_deltas: usize },
    /// Files written to the work tree.
    Checkout { files: usize, total_files: usize },
}

/// What a fetch changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FetchReport {
    /// Remote-tracking refs that moved or appeared: `(ref, old, new)`, old empty when new.
    pub updated: Vec<(String, String, String)>,
    /// Bytes received.
    pub bytes: usize,
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PushReport {
    /// The remote refs updated.
    pub updated: Vec<String>,
}

/// What the server answered for each pushed ref (`None`: updated).
type Statuses = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// The server's side-band messages (`remote: ...`), as sent.
#[derive(Debug, Clone, Default)]
struct Sideband(Arc<Mutex<Vec<u8>>>);

impl Sideband {
    fn push(&self, data: &[u8]) {
        if let Ok(mut buf) = self.0.lock() {
            buf.extend_from_slice(data);
        }
    }

    /// The messages as lines, without progress counters (lines ending in `\r`).
    fn text(&self) -> String {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes)
            .split('\n')
            .filter_map(|line| {
                let line = line.rsplit('\r').next().unwrap_or(line).trim();
                (!line.is_empty()).then(|| line.to_owned())
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn callbacks<'a>(session: &'a AuthSession, config: Option<git2::Config>) -> RemoteCallbacks<'a> {
    let mut cb = RemoteCallbacks::new();
    cb.credentials(move |url, user, allowed| session.credentials(config.as_ref(), url, user, allowed));
    cb
}

/// Clones `url` into `dir` (which must not exist, or be an empty folder), checking out `main`.
/// `progress` is called as objects arrive and files are written. On failure the folder is removed
/// again if this call created it; a folder that existed is never deleted.
pub fn clone(url: &str, dir: &Path, auth: &Auth, progress: &mut dyn FnMut(Progress)) -> Result<Repository, SyncError> {
    let existed = dir.exists();
    if existed {
        let mut entries = std::fs::read_dir(dir).map_err(crate::durable::io(dir))?;
        if entries.next().is_some() {
            return Err(SyncError::Destination {
                path: dir.to_path_buf(),
                reason: "the folder is not empty; choose a new folder".into(),
            });
        }
    }
    let session = auth.session();
    let progress = std::cell::RefCell::new(progress);
    let result = {
        let mut cb = callbacks(&session, None);
        cb.transfer_progress(|p| {
            let mut f = progress.borrow_mut();
            if p.received_objects() < p.total_objects() || p.total_deltas() == 0 {
                (**f)(Progress::Receiving {
                    objects: p.received_objects(),
                    total_objects: p.total_objects(),
                    bytes: p.received_bytes(),
                });
            } else {
                (**f)(Progress::Resolving { deltas: p.indexed_deltas(), total_deltas: p.total_deltas() });
            }
            true
        });
        let mut fo = FetchOptions::new();
        fo.remote_callbacks(cb);
        let mut co = CheckoutBuilder::new();
        co.progress(|_, files, total_files| {
            (**progress.borrow_mut())(Progress::Checkout { files, total_files });
        });
        RepoBuilder::new().fetch_options(fo).with_checkout(co).branch("main").clone(url, dir)
    };
    match result {
        Ok(repo) => Ok(repo),
        Err(e) => {
            if existed {
                // Leave the (empty) folder the person chose, without what the clone wrote.
                if let Ok(entries) = std::fs::read_dir(dir) {
                    for entry in entries.flatten() {
                        let _ = std::fs::remove_dir_all(entry.path());
                    }
                }
            } else {
                let _ = std::fs::remove_dir_all(dir);
            }
            Err(network_error(&session, url, e))
        }
    }
}

/// Fetches every branch of the remote into `refs/remotes/origin/*` (tags too). Nothing local
/// moves: [`crate::update_main`] and the event log decide what to do with it.
pub fn fetch(repo: &Repository, auth: &Auth) -> Result<FetchReport, SyncError> {
    let mut remote = repo.find_remote(REMOTE)?;
    let url = remote.url().unwrap_or_default().to_owned();
    let session = auth.session();
    let updated = Arc::new(Mutex::new(Vec::new()));
    let bytes = Arc::new(Mutex::new(0usize));
    let result = {
        let mut cb = callbacks(&session, repo.config().ok());
        let u = updated.clone();
        cb.update_tips(move |name, old, new| {
            if let Ok(mut u) = u.lock() {
                let old = if old.is_zero() { String::new() } else { old.to_string() };
                u.push((name.to_owned(), old, new.to_string()));
            }
            true
        });
        let b = bytes.clone();
        cb.transfer_progress(move |p| {
            if let Ok(mut b) = b.lock() {
                *b = p.received_bytes();
            }
            true
        });
        let mut fo = FetchOptions::new();
        fo.remote_callbacks(cb);
        let refspecs = [format!("+refs/heads/*:refs/remotes/{REMOTE}/*")];
        remote.fetch(&refspecs, Some(&mut fo), Some("guildhall: sync"))
    };
    result.map_err(|e| network_error(&session, &url, e))?;
    let updated = updated.lock().map(|u| u.clone()).unwrap_or_default();
    let bytes = bytes.lock().map(|b| *b).unwrap_or_default();
    Ok(FetchReport { updated, bytes })
}

/// Pushes `refspecs` (explicit, like `refs/heads/x:refs/heads/x`; never forced) to the remote.
///
/// A ref the server refuses gives [`SyncError::Refused`] with the server's message (what a
/// pre-receive hook printed, a protected-branch notice) and a hint; a ref that moved on the
/// remote since our fetch gives [`SyncError::Contended`] with `attempts: 1` (fetch and retry).
pub fn push(repo: &Repository, auth: &Auth, refspecs: &[String]) -> Result<PushReport, SyncError> {
    for spec in refspecs {
        if spec.starts_with('+') {
            return Err(SyncError::Invalid(format!("`{spec}`: Guildhall never force-pushes")));
        }
    }
    let mut remote = repo.find_remote(REMOTE)?;
    let url = remote.url().unwrap_or_default().to_owned();
    let session = auth.session();
    let sideband = Sideband::default();
    let statuses: Statuses = Arc::default();
    let result = {
        let mut cb = callbacks(&session, repo.config().ok());
        let s = statuses.clone();
        cb.push_update_reference(move |name, status| {
            if let Ok(mut s) = s.lock() {
                s.push((name.to_owned(), status.map(str::to_owned)));
            }
            Ok(())
        });
        let sb = sideband.clone();
        cb.sideband_progress(move |data| {
            sb.push(data);
            true
        });
        cb.push_transfer_progress(|_, _, _| crate::step_delay());
        let mut po = PushOptions::new();
        po.remote_callbacks(cb);
        remote.push(refspecs, Some(&mut po))
    };
    let first_dst = refspecs.first().and_then(|s| s.split(':').nth(1)).unwrap_or_default().to_owned();
    if let Err(e) = result {
        if e.code() == ErrorCode::NotFastForward {
            return Err(SyncError::Contended { refname: first_dst, attempts: 1 });
        }
        if let Some(err) = session.classify(&url) {
            return Err(err);
        }
        let message = e.message().to_owned();
        if message.contains("403") {
            return Err(SyncError::Refused {
                refname: first_dst,
                hint: hint_for(&message),
                message: format!("{message}{}", with_server_text(&sideband.text())),
            });
        }
        return Err(network_error(&session, &url, e));
    }
    let statuses = statuses.lock().map(|s| s.clone()).unwrap_or_default();
    let mut updated = Vec::new();
    for (name, status) in statuses {
        match status {
            None => updated.push(name),
            Some(status) => {
                let lower = status.to_ascii_lowercase();
                // Another client updated (or created) the ref first: fetch and retry.
                if ["non-fast-forward", "fetch first", "stale info", "cannot lock ref", "already exists"]
                    .iter()
                    .any(|m| lower.contains(m) || sideband.text().to_ascii_lowercase().contains(m))
                {
                    return Err(SyncError::Contended { refname: name, attempts: 1 });
                }
                let server = sideband.text();
                return Err(SyncError::Refused {
                    hint: hint_for(&format!("{status}\n{server}")),
                    message: format!("{status}{}", with_server_text(&server)),
                    refname: name,
                });
            }
        }
    }
    Ok(PushReport { updated })
}

fn with_server_text(server: &str) -> String {
    if server.is_empty() { String::new() } else { format!("\nthe server said:\n{server}") }
}

/// What to do about a refusal, in words.
fn hint_for(message: &str) -> String {
    let lower = message.to_ascii_lowercase();
    if lower.contains("403") || lower.contains("permission") || lower.contains("not allowed") {
        "your account may not update this branch on the server. Ask the hub's admin for the permission; your change stays queued".into()
    } else if lower.contains("protected") || lower.contains("hook") {
        "the server protects this branch (a protected branch or a server hook). Only the people the forge allows can \
         publish to it: ask a reviewer to approve, or the hub's admin to give you the right; your change stays queued"
            .into()
    } else {
        "the server refused the update; read its message above. Your change stays queued".into()
    }
}

/// Turns a libgit2 network failure into what the person can act on.
fn network_error(session: &AuthSession, url: &str, e: git2::Error) -> SyncError {
    if let Some(err) = session.classify(url) {
        return err;
    }
    match e.class() {
        ErrorClass::Net | ErrorClass::Http | ErrorClass::Ssl | ErrorClass::Os | ErrorClass::Ssh => {
            SyncError::Unreachable { url: redact(url), message: e.message().to_owned() }
        }
        _ if e.code() == ErrorCode::Auth => SyncError::AuthRefused {
            url: redact(url),
            from: session.state.source().unwrap_or(crate::CredentialSource::Token),
        },
        _ => SyncError::Git(e),
    }
}
