//! Authoring, review and publishing through the HTTP API of a real `guildhall serve` process, in
//! a temporary hub repository whose git user is switched between requests (as the CLI and the
//! app act as that user): drafts, preview, proposals, review decisions, permissions, conflicts,
//! history, rollback, the changelog, and a draft that survives kill -9.

use std::path::Path;

use serde_json::{Value, json};

use crate::serve::{Server, agent, call};

const CONFIG: &str = "name = \"Authoring hub\"\n\
[[members]]\nname = \"Alice Author\"\nemail = \"alice@example.org\"\nroles = [\"citizen-developer\"]\n\
[[members]]\nname = \"Bob Mentor\"\nemail = \"bob@example.org\"\nroles = [\"mentor\"]\n\
[[members]]\nname = \"Carol Admin\"\nemail = \"carol@example.org\"\nroles = [\"admin\"]\n\
[[members]]\nname = \"Erin Citizen\"\nemail = \"erin@example.org\"\nroles = [\"citizen-developer\"]\n";

const RETRY: &str = "---\ntitle: Retry with backoff\nsummary: Try again later.\n---\n\
Calls fail. Use exponential backoff.\n\nSecond paragraph.\n";
const BACKOFF: &str = "---\nterm: Exponential backoff\nplain: Wait longer each time.\n---\n\
Used by [[retry]].\n";

/// A hub folder with two documents, made a repository of its own.
fn hub() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("guildhall.toml"), CONFIG).expect("config");
    std::fs::create_dir(root.join("patterns")).expect("mkdir");
    std::fs::create_dir(root.join("glossary")).expect("mkdir");
    std::fs::write(root.join("patterns/retry.md"), RETRY).expect("write");
    std::fs::write(root.join("glossary/backoff.md"), BACKOFF).expect("write");
    dir
}

/// Makes `who` the hub repository's git user (the repository is created if needed; Guildhall
/// commits the folder as `main` on first use).
fn be(root: &Path, who: &str) {
    let repo = git2::Repository::open(root).unwrap_or_else(|_| {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        git2::Repository::init_opts(root, &opts).expect("init")
    });
    let mut config = repo.config().expect("config");
    let (name, email) = match who {
        "alice" => ("Alice Author", "alice@example.org"),
        "bob" => ("Bob Mentor", "bob@example.org"),
        "carol" => ("Carol Admin", "carol@example.org"),
        "erin" => ("Erin Citizen", "erin@example.org"),
        _ => ("Dave Stranger", "dave@example.org"),
    };
    config.set_str("user.name", name).expect("name");
    config.set_str("user.email", email).expect("email");
}

struct Api {
    server: Server,
    agent: ureq::Agent,
}

impl Api {
    fn start(root: &Path, data: &Path) -> Api {
        Api { server: Server::start(root, data), agent: agent() }
    }
    fn get(&self, path: &str) -> (u16, Value) {
        call(&self.agent, "GET", &format!("{}{path}", self.server.base), None)
    }
    fn post(&self, path: &str, body: Value) -> (u16, Value) {
        call(&self.agent, "POST", &format!("{}{path}", self.server.base), Some(&body.to_string()))
    }
    fn put(&self, path: &str, body: Value) -> (u16, Value) {
        call(&self.agent, "PUT", &format!("{}{path}", self.server.base), Some(&body.to_string()))
    }
    fn delete(&self, path: &str) -> (u16, Value) {
        call(&self.agent, "DELETE", &format!("{}{path}", self.server.base), None)
    }

    /// Creates a draft, saves `content` at `path` with a title, and proposes it.
    fn propose(&self, new: Value, path: &str, title: &str, content: &str) -> (u16, Value) {
        let (s, draft) = self.post("/api/drafts", new);
        assert_eq!(s, 200, "{draft}");
        let id = draft["id"].as_str().expect("draft id").to_string();
        let (s, saved) = self.put(
            &format!("/api/drafts/{id}"),
            json!({"path": path, "title": title, "reason": "Because.", "content": content}),
        );
        assert_eq!(s, 200, "{saved}");
        self.post(&format!("/api/drafts/{id}/propose"), json!(null))
    }

    fn decide(&self, id: &str, action: &str, comment: &str) -> (u16, Value) {
        self.post(&format!("/api/proposals/{id}/{action}"), json!({"comment": comment}))
    }
}

fn refused(answer: &(u16, Value), status: u16, code: &str) -> String {
    assert_eq!(answer.0, status, "{}", answer.1);
    assert_eq!(answer.1["error"]["code"], code, "{}", answer.1);
    answer.1["error"]["message"].as_str().expect("message").to_string()
}

fn case_study(title: &str, extra: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nsummary: Faster onboarding.\nmetrics:\n  - {{name: Days to onboard, before: 9, after: 3, unit: days, better: lower}}\n---\n\
## Context\n\nNew starters waited. We used exponential backoff for the HR calls.\n{extra}\n## Results\n\n\
| Measure | Before | After |\n|---|---|---|\n| Days | 9 | 3 |\n\nZanzibarquokka onboarding.\n"
    )
}

#[test]
fn the_whole_cycle_through_the_api_with_roles_enforced() {
    let dir = hub();
    let root = dir.path();
    let data = tempfile::tempdir().expect("data");
    be(root, "alice");
    let api = Api::start(root, data.path());

    // Identity: the git user and what they may approve.
    let (s, me) = api.get("/api/identity");
    assert_eq!(s, 200, "{me}");
    assert_eq!((me["name"].as_str(), me["roles"][0].as_str()), (Some("Alice Author"), Some("citizen-developer")));
    assert_eq!(me["may_approve"], json!([]));
    be(root, "bob");
    let (_, bob) = api.get("/api/identity");
    assert_eq!(bob["may_approve"], json!(["pattern", "case-study", "guide", "asset"]), "{bob}");
    // #13: a git user who is not in [[members]] is told exactly that (it was `no-identity`, so the
    // UI told them to set a git identity they already had).
    be(root, "dave");
    let msg = refused(&api.get("/api/identity"), 403, "not-a-member");
    assert!(msg.contains("dave@example.org> is not a member") && msg.contains("[[members]]"), "{msg}");

    // Templates and a draft from one.
    be(root, "alice");
    let (s, templates) = api.get("/api/templates");
    assert_eq!(s, 200);
    let kinds: Vec<&str> = templates.as_array().expect("list").iter().filter_map(|t| t["kind"].as_str()).collect();
    assert_eq!(kinds, ["case-study", "pattern", "guide", "post-mortem", "term"]);
    let (s, draft) = api.post("/api/drafts", json!({"template": "case-study"}));
    assert_eq!(s, 200, "{draft}");
    assert_eq!(draft["path"], "case-studies/untitled.md");
    assert!(draft["content"].as_str().expect("content").contains("metrics:"));
    let id = draft["id"].as_str().expect("id").to_string();

    // Autosave with a broken link; the preview shows it on the draft's own line, and renders the
    // glossary mention like a published page.
    let broken = case_study("Faster onboarding", "See [[no-such-page]].\n");
    let path = "case-studies/faster-onboarding.md";
    let (s, saved) = api.put(
        &format!("/api/drafts/{id}"),
        json!({"path": path, "title": "Add the onboarding case study", "reason": "Share it.", "content": broken}),
    );
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["path"], path);
    let (s, list) = api.get("/api/drafts");
    assert_eq!((s, list[0]["id"].as_str()), (200, Some(id.as_str())));
    let (s, preview) = api.post("/api/preview", json!({"path": path, "content": broken}));
    assert_eq!(s, 200, "{preview}");
    let broken_line = broken.lines().position(|l| l.contains("no-such-page")).expect("line") + 1;
    let diag = preview["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "broken-link")
        .unwrap_or_else(|| panic!("no broken-link diagnostic: {preview}"));
    assert_eq!(diag["line"], broken_line as u64, "{diag}");
    let html = preview["html"].as_str().expect("html");
    assert!(
        html.contains("<a class=\"term\" href=\"#/doc/backoff\" data-term=\"backoff\""),
        "the mention is marked like on a published page: {html}"
    );
    assert_eq!(preview["title"], "Faster onboarding");
    assert_eq!(preview["terms"][0]["id"], "backoff", "{preview}");
    // The preview carries what the published page shows above the text: the kind's fields (the
    // metric cards) in the shape of a document view's `fields`, and the summary.
    assert_eq!(preview["fields"]["kind"], "case-study", "{preview}");
    assert!(preview["fields"]["metrics"].is_array(), "{preview}");
    assert_eq!(preview["summary"], "Faster onboarding.", "{preview}");
    // Hostile Markdown is sanitized by the same pipeline.
    let (_, xss) = api.post(
        "/api/preview",
        json!({"path": "guides/x.md", "content": "# X\n<script>alert(1)</script><img src=x onerror=alert(1)>\n"}),
    );
    let xhtml = xss["html"].as_str().expect("html");
    assert!(!xhtml.contains("<script") && !xhtml.contains("onerror"), "{xhtml}");
    refused(&api.post("/api/preview", json!({"path": "../outside.md", "content": "x"})), 400, "bad-request");

    // Proposing content with errors is refused with the diagnostics; the draft stays.
    let answer = api.post(&format!("/api/drafts/{id}/propose"), json!(null));
    refused(&answer, 422, "invalid-content");
    assert!(answer.1["error"]["diagnostics"].to_string().contains("broken-link"), "{}", answer.1);
    assert_eq!(api.get(&format!("/api/drafts/{id}")).0, 200);

    // Fixed, it becomes a proposal (a ULID id) and the draft is gone.
    let good = case_study("Faster onboarding", "");
    let (s, _) = api.put(
        &format!("/api/drafts/{id}"),
        json!({"path": path, "title": "Add the onboarding case study", "reason": "Share it.", "content": good}),
    );
    assert_eq!(s, 200);
    let (s, proposal) = api.post(&format!("/api/drafts/{id}/propose"), json!(null));
    assert_eq!(s, 200, "{proposal}");
    assert_eq!(proposal["status"].as_str(), Some("open"));
    let pid = proposal["id"].as_str().expect("id").to_string();
    assert_eq!(pid.len(), 26, "a ULID: {pid}");
    let pid = pid.as_str();
    refused(&api.get(&format!("/api/drafts/{id}")), 404, "unknown-draft");

    // The author may not approve their own proposal; the view says so.
    let msg = refused(&api.decide(pid, "approve", "ok"), 403, "self-review");
    assert!(msg.contains("own proposal"), "{msg}");
    let (_, view) = api.get(&format!("/api/proposals/{pid}"));
    assert_eq!((view["can_approve"].as_bool(), view["can_revise"].as_bool()), (Some(false), Some(true)), "{view}");

    // Another citizen developer may not review it.
    be(root, "erin");
    let msg = refused(&api.decide(pid, "request-changes", "no"), 403, "permission");
    assert!(msg.contains("mentor or admin"), "{msg}");
    refused(&api.decide(pid, "reject", "no"), 403, "permission");

    // The mentor sees it in the queue, with the rendered page and a diff.
    be(root, "bob");
    let (s, queue) = api.get("/api/proposals");
    assert_eq!((s, queue[0]["id"].as_str()), (200, Some(pid)), "{queue}");
    let (s, view) = api.get(&format!("/api/proposals/{pid}"));
    assert_eq!(s, 200, "{view}");
    assert_eq!((view["can_approve"].as_bool(), view["can_revise"].as_bool()), (Some(true), Some(false)));
    let file = &view["files"][0];
    assert_eq!((file["path"].as_str(), file["change"].as_str()), (Some(path), Some("added")));
    assert_eq!(file["doc"], "faster-onboarding");
    assert!(file.get("before_html").is_none(), "{file}");
    assert!(file["after_html"].as_str().expect("after").contains("<table>"), "{file}");
    assert!(file["diff"].as_str().expect("diff").contains("+title: \"Faster onboarding\""), "{file}");

    // Changes requested; only the author may revise.
    let (s, p) = api.decide(pid, "request-changes", "Say how you measured.");
    assert_eq!((s, p["status"].as_str()), (200, Some("changes-requested")), "{p}");
    refused(&api.decide(pid, "approve", "ok"), 409, "wrong-state");
    refused(&api.post("/api/drafts", json!({"proposal": pid})), 403, "not-author");
    be(root, "alice");
    // Regression: a revision started in the editor kept the title but lost the reason.
    let (s, draft) = api.post("/api/drafts", json!({"proposal": pid}));
    assert_eq!(
        (s, draft["title"].as_str(), draft["reason"].as_str()),
        (200, Some("Add the onboarding case study"), Some("Share it.")),
        "{draft}"
    );
    let (s, _) = api.delete(&format!("/api/drafts/{}", draft["id"].as_str().expect("id")));
    assert_eq!(s, 204);
    let revised = case_study("Faster onboarding", "We measured over six months.\n");
    let (s, p) = api.propose(json!({"proposal": pid}), path, "Add the onboarding case study", &revised);
    assert_eq!(s, 200, "{p}");
    assert_eq!((p["id"].as_str(), p["revision"].as_u64(), p["status"].as_str()), (Some(pid), Some(2), Some("open")));

    // Approved by the mentor: served and found by search.
    be(root, "bob");
    let (s, published) = api.decide(pid, "approve", "Thanks!");
    assert_eq!(s, 200, "{published}");
    assert_eq!(published["files"], json!([path]));
    let (s, doc) = api.get("/api/documents/faster-onboarding");
    assert_eq!(s, 200, "{doc}");
    assert!(doc["html"].as_str().expect("html").contains("six months"));
    let (_, found) = api.get("/api/search?q=zanzibarquokka");
    assert_eq!(found["hits"][0]["id"], "faster-onboarding", "{found}");
    let (_, history) = api.get("/api/history/faster-onboarding");
    assert_eq!(history[0]["requested_by"], "Alice Author <alice@example.org>", "{history}");
    assert_eq!(history[0]["approved_by"], "Bob Mentor <bob@example.org>");
    assert_eq!(history[0]["proposal"], pid);

    // A glossary term: a mentor may not approve it, an admin may.
    be(root, "alice");
    let term = "---\nterm: Circuit breaker\nplain: Stop calling a broken service for a while.\n---\nSee [[retry]].\n";
    let (s, p) = api.propose(json!({"template": "term"}), "glossary/circuit-breaker.md", "Add circuit breaker", term);
    assert_eq!(s, 200, "{p}");
    let term_id = p["id"].as_str().expect("id").to_string();
    be(root, "bob");
    let msg = refused(&api.decide(&term_id, "approve", "ok"), 403, "permission");
    assert!(msg.contains("needs the role admin"), "{msg}");
    let (_, view) = api.get(&format!("/api/proposals/{term_id}"));
    assert_eq!(view["can_approve"], false);
    be(root, "carol");
    assert_eq!(api.decide(&term_id, "approve", "ok").0, 200);

    // An edit of a published document, then rejected by the mentor (not by the author).
    be(root, "alice");
    let (s, draft) = api.post("/api/drafts", json!({"doc": "retry"}));
    assert_eq!(s, 200, "{draft}");
    assert_eq!((draft["path"].as_str(), draft["doc"].as_str()), (Some("patterns/retry.md"), Some("retry")));
    assert_eq!(draft["content"], RETRY);
    assert_eq!(api.delete(&format!("/api/drafts/{}", draft["id"].as_str().expect("id"))).0, 204);
    let (s, p) = api.propose(
        json!({"doc": "retry"}),
        "patterns/retry.md",
        "Tweak",
        &RETRY.replace("Calls fail.", "Calls fail!"),
    );
    assert_eq!(s, 200, "{p}");
    let rejected_id = p["id"].as_str().expect("id").to_string();
    refused(&api.decide(&rejected_id, "reject", "no"), 403, "self-review");
    be(root, "bob");
    let (s, p) = api.decide(&rejected_id, "reject", "Not needed.");
    assert_eq!((s, p["status"].as_str()), (200, Some("rejected")));

    // Two proposals on the same lines: the second conflicts and names the file.
    be(root, "alice");
    let (_, a) = api.propose(
        json!({"doc": "retry"}),
        "patterns/retry.md",
        "Name the calls",
        &RETRY.replace("Calls fail.", "CRM calls fail."),
    );
    let (_, b) = api.propose(
        json!({"doc": "retry"}),
        "patterns/retry.md",
        "Say how often",
        &RETRY.replace("Calls fail.", "Calls often fail."),
    );
    let (a, b) = (a["id"].as_str().expect("a").to_string(), b["id"].as_str().expect("b").to_string());
    be(root, "bob");
    assert_eq!(api.decide(&a, "approve", "ok").0, 200);
    // Regression: once published, a proposal was compared with the `main` that now holds it, so
    // its page showed no change at all. It is compared with `main` just before publishing.
    let (_, view) = api.get(&format!("/api/proposals/{a}"));
    let file = &view["files"][0];
    assert!(
        file["diff"].as_str().is_some_and(|d| d.contains("-Calls fail.") && d.contains("+CRM calls fail.")),
        "{view}"
    );
    assert!(file["before_html"].as_str().is_some_and(|h| h.contains("Calls fail.") && !h.contains("CRM")), "{view}");
    assert!(file["after_html"].as_str().is_some_and(|h| h.contains("CRM calls fail.")), "{view}");
    let msg = refused(&api.decide(&b, "approve", "ok"), 409, "conflict");
    assert!(msg.contains("patterns/retry.md"), "{msg}");
    let (_, p) = api.get(&format!("/api/proposals/{b}"));
    assert_eq!(p["proposal"]["status"], "changes-requested", "sent back to its author: {p}");

    // History, diff and rollback: a mentor may only propose one; an admin rolls back directly.
    let (_, versions) = api.get("/api/history/retry");
    let versions = versions.as_array().expect("versions").clone();
    assert_eq!(versions.len(), 2, "{versions:?}");
    let (old, new) = (versions[1]["commit"].as_str().expect("old"), versions[0]["commit"].as_str().expect("new"));
    let (s, diff) = api.get(&format!("/api/history/retry/diff?from={old}&to={new}"));
    assert_eq!(s, 200, "{diff}");
    assert!(diff["diff"].as_str().expect("diff").contains("+CRM calls fail."), "{diff}");
    refused(&api.get("/api/history/retry/diff?from=0000000000000000000000000000000000000000"), 404, "unknown-version");
    let msg = refused(
        &api.post("/api/history/retry/rollback", json!({"version": old, "reason": "Too specific", "direct": true})),
        403,
        "permission",
    );
    assert!(msg.contains("admin"), "{msg}");
    let (s, proposed) =
        api.post("/api/history/retry/rollback", json!({"version": old, "reason": "Too specific", "direct": false}));
    assert_eq!(s, 200, "{proposed}");
    assert_eq!(proposed["proposal"]["status"], "open", "{proposed}");
    assert!(proposed.get("published").is_none());
    be(root, "carol");
    let (s, direct) =
        api.post("/api/history/retry/rollback", json!({"version": old, "reason": "Too specific", "direct": true}));
    assert_eq!(s, 200, "{direct}");
    assert_eq!(direct["published"]["files"], json!(["patterns/retry.md"]), "{direct}");
    let (_, versions) = api.get("/api/history/retry");
    assert_eq!(versions[0]["rolled_back_by"], "Carol Admin <carol@example.org>", "{versions}");
    let (_, doc) = api.get("/api/documents/retry");
    assert!(!doc["html"].as_str().expect("html").contains("CRM"), "the rollback is served: {doc}");

    // The changelog, filtered by kind and person.
    let (s, all) = api.get("/api/changelog");
    assert_eq!(s, 200, "{all}");
    assert_eq!(all.as_array().map(Vec::len), Some(4), "{all}");
    let (_, terms) = api.get("/api/changelog?kind=term");
    assert_eq!(terms.as_array().map(Vec::len), Some(1), "{terms}");
    assert_eq!(terms[0]["kinds"], json!(["term"]));
    let (_, by_carol) = api.get("/api/changelog?person=carol");
    assert_eq!(by_carol.as_array().map(Vec::len), Some(2), "approved one, rolled back one: {by_carol}");
    refused(&api.get("/api/changelog?kind=novel"), 400, "bad-request");
    refused(&api.get("/api/proposals/999"), 404, "unknown-proposal");
}

#[test]
fn an_acknowledged_draft_survives_kill_9() {
    let dir = hub();
    let root = dir.path();
    let data = tempfile::tempdir().expect("data");
    be(root, "alice");
    let api = Api::start(root, data.path());
    let (s, draft) = api.post("/api/drafts", json!({"template": "pattern"}));
    assert_eq!(s, 200, "{draft}");
    let id = draft["id"].as_str().expect("id").to_string();
    let content = "---\ntitle: Idempotent writes\n---\nWritten just before the crash.\n";
    let (s, _) = api.put(
        &format!("/api/drafts/{id}"),
        json!({"path": "patterns/idempotent-writes.md", "title": "Add it", "reason": "", "content": content}),
    );
    assert_eq!(s, 200);
    api.server.kill();

    let api = Api::start(root, data.path());
    let (s, back) = api.get(&format!("/api/drafts/{id}"));
    assert_eq!(s, 200, "{back}");
    assert_eq!(
        (back["content"].as_str(), back["path"].as_str()),
        (Some(content), Some("patterns/idempotent-writes.md"))
    );
}

#[test]
fn a_hub_inside_another_repository_is_refused_naming_both() {
    let outer = tempfile::tempdir().expect("tempdir");
    let mut opts = git2::RepositoryInitOptions::new();
    opts.initial_head("main");
    git2::Repository::init_opts(outer.path(), &opts).expect("init");
    let root = outer.path().join("hub");
    std::fs::create_dir_all(root.join("patterns")).expect("mkdir");
    std::fs::write(root.join("guildhall.toml"), CONFIG).expect("config");
    std::fs::write(root.join("patterns/retry.md"), RETRY).expect("write");
    let data = tempfile::tempdir().expect("data");
    let api = Api::start(&root, data.path());
    let msg = refused(&api.get("/api/identity"), 409, "no-repository");
    let outer_name = outer.path().canonicalize().expect("canonical");
    assert!(msg.contains(&outer_name.display().to_string()) && msg.contains("hub"), "{msg}");
    refused(&api.get("/api/proposals"), 409, "no-repository");
    // Nothing was nested inside the outer repository.
    assert!(!root.join(".git").exists());
}

/// Regression: Home's changelog, the review count and the identity opened the review
/// repository, which initialised git in a plain folder that someone only browsed.
#[test]
fn browsing_a_folder_not_under_git_never_makes_it_a_repository() {
    let hub = hub();
    let root = hub.path();
    let data = tempfile::tempdir().expect("data");
    let api = Api::start(root, data.path());
    let (s, queue) = api.get("/api/proposals");
    assert_eq!((s, queue.clone()), (200, json!([])), "{queue}");
    let (s, changelog) = api.get("/api/changelog");
    assert_eq!((s, changelog.clone()), (200, json!([])), "{changelog}");
    let (s, history) = api.get("/api/history/retry");
    assert_eq!((s, history.clone()), (200, json!([])), "{history}");
    // Who the person is depends on their global git user; whatever it is, it is an answer.
    let (s, me) = api.get("/api/identity");
    assert!(s == 200 || s == 403, "{s} {me}");
    assert!(!root.join(".git").exists(), "a read initialised a repository");
}

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

/// Every template, given a title and its `‹placeholders›` written, passes `guildhall check` (the
/// real binary); with the placeholders left in, each one is a `placeholder` error on its line.
#[test]
fn every_template_passes_check_once_its_placeholders_are_filled() {
    let starter = crate::harness::repo_root().join("content");
    let hub = guildhall_core::Hub::open(&starter, &guildhall_core::HubOptions::default()).expect("open");
    let templates = hub.templates();
    assert_eq!(templates.len(), 5);
    let check = |root: &Path| {
        crate::harness::guildhall(&["check", "--content", root.to_str().expect("utf-8"), "--errors-only"])
    };
    for t in templates {
        let copy = tempfile::tempdir().expect("tempdir");
        copy_dir(&starter, copy.path());
        let kind = t.kind.as_str();
        let titled = if t.content.contains("\nterm: \"\"\n") {
            t.content.replacen("\nterm: \"\"\n", &format!("\nterm: \"Template check {kind}\"\n"), 1)
        } else {
            t.content.replacen("\ntitle: \"\"\n", &format!("\ntitle: \"Template check {kind}\"\n"), 1)
        };
        assert_ne!(titled, t.content, "{kind}: the template has an empty title line to fill");
        let file = copy.path().join(&t.folder).join(format!("template-check-{kind}.md"));
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");

        // Titled, with the placeholders left in: one `placeholder` error per placeholder.
        std::fs::write(&file, &titled).expect("write");
        let out = check(copy.path());
        assert_eq!(out.status.code(), Some(1), "{kind}: placeholders are errors");
        let report = crate::harness::stdout(&out);
        let expected: usize = titled.lines().map(|l| guildhall_content::placeholders_in(l).len()).sum();
        assert!(expected > 0, "{kind}: the template marks what to write");
        let rel = format!("{}/template-check-{kind}.md", t.folder);
        let reported = report.lines().filter(|l| l.starts_with(&rel) && l.contains("error[placeholder]")).count();
        assert_eq!(reported, expected, "{kind}:\n{report}");

        // Every placeholder written (in members' names where a person is asked for): it passes.
        let filled = fill_placeholders(&titled);
        std::fs::write(&file, &filled).expect("write");
        let out = check(copy.path());
        assert!(
            out.status.success(),
            "the {kind} template fails check once filled:\n{}{}",
            crate::harness::stdout(&out),
            crate::harness::stderr(&out)
        );
        // Untitled, it is reported rather than accepted silently.
        let untitled = fill_placeholders(&t.content);
        std::fs::write(&file, &untitled).expect("write");
        let out = check(copy.path());
        assert_eq!(out.status.code(), Some(1), "{kind}: an empty title is an error: {}", crate::harness::stdout(&out));
    }
}

/// Every `‹…›` replaced by text a writer might give (a member's name where a person is asked for).
fn fill_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('‹') {
        let Some(close) = rest[open..].find('›') else { break };
        let inner = &rest[open + '‹'.len_utf8()..open + close];
        out.push_str(&rest[..open]);
        out.push_str(if inner.contains("name") { "Amara Okafor" } else { "Written by hand" });
        rest = &rest[open + close + '›'.len_utf8()..];
    }
    out.push_str(rest);
    out
}
