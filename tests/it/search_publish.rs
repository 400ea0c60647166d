//! Regression (#12): a newly published page was indexed twice, so search returned it twice and
//! the search screen broke. Approving a new document through a real `guildhall serve` on a git
//! copy of the starter hub, then searching for it while the file watcher and the approval's
//! reload both index it, finds it exactly once; `guildhall index` afterwards has nothing to
//! repair.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::{guildhall, repo_root, stdout};
use crate::serve::{Server, agent, call};

const MEMBERS: &str = "\n[[members]]\nname = \"Alice Author\"\nemail = \"alice@example.org\"\nroles = [\"citizen-developer\"]\n\
[[members]]\nname = \"Bob Mentor\"\nemail = \"bob@example.org\"\nroles = [\"mentor\"]\n";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn be(root: &Path, name: &str, email: &str) {
    let repo = git2::Repository::open(root).unwrap_or_else(|_| {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        git2::Repository::init_opts(root, &opts).expect("init")
    });
    let mut config = repo.config().expect("config");
    config.set_str("user.name", name).expect("name");
    config.set_str("user.email", email).expect("email");
}

fn case_study(n: usize) -> String {
    format!(
        "---\ntitle: \"Fleet fuel card claims {n}\"\nsummary: Drivers claim fuel without paper.\nmetrics:\n  - {{name: Days to pay, before: 9, after: 1, unit: days, better: lower}}\n---\n\
## Context\n\nDrivers kept fuel receipts on paper. Fuelcardclaim{n} replaced them.\n\n## Results\n\nClaims took a day.\n"
    )
}

/// How many hits carry `id` for `q`, and the total.
fn hits_for(agent: &ureq::Agent, base: &str, q: &str, id: &str) -> (usize, u64, Value) {
    let (s, r) = call(agent, "GET", &format!("{base}/api/search?q={q}&limit=50"), None);
    assert_eq!(s, 200, "{r}");
    let n = r["hits"].as_array().expect("hits").iter().filter(|h| h["id"] == id).count();
    (n, r["total"].as_u64().unwrap_or(0), r)
}

#[test]
fn a_newly_published_page_is_found_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    copy_dir(&repo_root().join("content"), root);
    let mut config = std::fs::read_to_string(root.join("guildhall.toml")).expect("config");
    config.push_str(MEMBERS);
    std::fs::write(root.join("guildhall.toml"), config).expect("config");
    let data = tempfile::tempdir().expect("data");
    be(root, "Alice Author", "alice@example.org");
    let server = Server::start(root, data.path());
    let agent = agent();
    let base = server.base.clone();

    for n in 0..3 {
        be(root, "Alice Author", "alice@example.org");
        let (s, draft) =
            call(&agent, "POST", &format!("{base}/api/drafts"), Some(&json!({"template": "case-study"}).to_string()));
        assert_eq!(s, 200, "{draft}");
        let draft_id = draft["id"].as_str().expect("draft id").to_string();
        let body = json!({
            "path": format!("case-studies/fleet-fuel-{n}.md"),
            "title": "Add the fuel card case study",
            "reason": "Share it.",
            "content": case_study(n),
        });
        let (s, saved) = call(&agent, "PUT", &format!("{base}/api/drafts/{draft_id}"), Some(&body.to_string()));
        assert_eq!(s, 200, "{saved}");
        let (s, proposal) = call(&agent, "POST", &format!("{base}/api/drafts/{draft_id}/propose"), Some("null"));
        assert_eq!(s, 200, "{proposal}");
        let proposal_id = proposal["id"].as_str().expect("proposal id").to_string();

        be(root, "Bob Mentor", "bob@example.org");
        let (s, published) = call(
            &agent,
            "POST",
            &format!("{base}/api/proposals/{proposal_id}/approve"),
            Some(&json!({"comment": "Good."}).to_string()),
        );
        assert_eq!(s, 200, "{published}");

        // Search at once and while the watcher catches up: never twice, and found.
        let id = format!("fleet-fuel-{n}");
        let word = format!("fuelcardclaim{n}");
        let until = Instant::now() + Duration::from_millis(1500);
        let mut found = false;
        while Instant::now() < until {
            let (count, total, r) = hits_for(&agent, &base, &word, &id);
            assert!(count <= 1 && total <= 1, "the new page is returned twice: {r}");
            found |= count == 1;
            let (count, _, r) = hits_for(&agent, &base, "fuel", &id);
            assert!(count <= 1, "the new page is returned twice for \"fuel\": {r}");
            std::thread::sleep(Duration::from_millis(40));
        }
        assert!(found, "the new page {id} was not found");
    }
    server.kill();

    // The index the server left has nothing to repair.
    let out = guildhall(&[
        "index",
        "--content",
        root.to_str().expect("utf-8"),
        "--data",
        data.path().to_str().expect("utf-8"),
    ]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(" 0 repaired,"), "{text}");
    let documents = walk_markdown(root);
    assert!(text.starts_with(&format!("indexed {documents} documents")), "{documents} files: {text}");
}

fn walk_markdown(dir: &Path) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if entry.file_type().expect("type").is_dir() {
            n += walk_markdown(&entry.path());
        } else if name.ends_with(".md") {
            n += 1;
        }
    }
    n
}
