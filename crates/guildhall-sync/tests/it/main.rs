//! guildhall-sync against real servers: `git daemon` and lighttpd + `git http-backend`, started
//! once for this binary on loopback (see `servers.rs`).

#![allow(clippy::unwrap_used)]

mod crash;
mod credentials;
mod events;
mod servers;
mod transport;

use std::path::Path;

use git2::Repository;
use guildhall_sync::Auth;
use tempfile::TempDir;

/// A clone of `url` made by `who` (alice, bob, rita), with their git identity.
pub fn clone_as(url: &str, who: &str, auth: &Auth) -> (TempDir, Repository) {
    let dir = tempfile::tempdir().unwrap();
    let repo = guildhall_sync::clone(url, &dir.path().join("hub"), auth, &mut |_| {}).unwrap();
    set_identity(&repo, who);
    (dir, repo)
}

pub fn set_identity(repo: &Repository, who: &str) {
    let mut config = repo.config().unwrap();
    let mut name = who.to_owned();
    name[..1].make_ascii_uppercase();
    config.set_str("user.name", &name).unwrap();
    config.set_str("user.email", &format!("{who}@example.org")).unwrap();
}

pub fn workdir(repo: &Repository) -> &Path {
    repo.workdir().unwrap()
}

/// Commits `files` on top of the checked-out `main` of `repo` (work tree and index too).
pub fn commit_on_main(repo: &Repository, files: &[(&str, &str)], message: &str) -> git2::Oid {
    let mut index = repo.index().unwrap();
    for (path, content) in files {
        let full = workdir(repo).join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, content).unwrap();
        index.add_path(Path::new(path)).unwrap();
    }
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = repo.signature().unwrap();
    let parent = repo.find_reference("refs/heads/main").unwrap().peel_to_commit().unwrap();
    repo.commit(Some("refs/heads/main"), &sig, &sig, message, &tree, &[&parent]).unwrap()
}

/// `main` of a clone.
pub fn main_of(repo: &Repository) -> git2::Oid {
    repo.refname_to_id("refs/heads/main").unwrap()
}

/// A unique repository name for a test.
pub fn unique(name: &str) -> String {
    format!("{name}-{}", ulid::Ulid::new().to_string().to_lowercase())
}
