//! `guildhall serve` as a real process on loopback: the API's contract, its refusals, and what
//! survives a kill -9.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::repo_root;

/// A running server; killed (SIGKILL) when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(content: &Path, data: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_guildhall"))
            .args(["serve", "--addr", "127.0.0.1:0", "--ui", "/nonexistent-ui"])
            .arg("--content")
            .arg(content)
            .arg("--data")
            .arg(data)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start guildhall serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(120)).expect("the server did not start in time");
        let base = line
            .split("http://")
            .nth(1)
            .map(|rest| format!("http://{}", rest.trim().trim_end_matches('/')))
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
        Server { child, base }
    }

    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// `(status, body as JSON or Null)`.
pub fn call(agent: &ureq::Agent, method: &str, url: &str, body: Option<&str>) -> (u16, Value) {
    let resp = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        ("DELETE", _) => agent.delete(url).call(),
        ("PUT", Some(b)) => agent.put(url).header("content-type", "application/json").send(b),
        ("PUT", None) => agent.put(url).send_empty(),
        ("POST", Some(b)) => agent.post(url).header("content-type", "application/json").send(b),
        ("POST", None) => agent.post(url).send_empty(),
        _ => unreachable!("{method}"),
    };
    let mut resp = resp.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Sends a request head announcing `content_length` bytes (and only the first few) over a plain
/// socket and returns the response status.
fn raw_status(base: &str, method: &str, path: &str, content_length: usize) -> u16 {
    use std::io::{Read as _, Write as _};
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {content_length}\r\n\r\n{{\"text\":"
    );
    let _ = s.write_all(head.as_bytes());
    let mut buf = [0u8; 1024];
    let n = s.read(&mut buf).unwrap_or(0);
    let response = String::from_utf8_lossy(&buf[..n]);
    assert!(response.contains("\"code\":\"too-large\""), "a JSON error body: {response}");
    response.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

fn starter() -> PathBuf {
    repo_root().join("content")
}

#[test]
fn the_api_answers_and_refuses_in_json() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&starter(), data.path());
    let a = agent();
    let url = |p: &str| format!("{}{p}", server.base);

    let (s, hub) = call(&a, "GET", &url("/api/hub"), None);
    assert_eq!(s, 200);
    assert!(hub["documents"].as_u64().unwrap_or(0) >= 150, "{hub}");
    // The members of guildhall.toml, for the editor's person fields.
    assert!(
        hub["members"]
            .as_array()
            .is_some_and(|m| m.iter().any(|m| m["name"] == "Priya Raman" && m["roles"][0] == "mentor")),
        "{hub}"
    );

    let (s, found) = call(&a, "GET", &url("/api/search?q=try%20again%20later"), None);
    assert_eq!(s, 200);
    assert_eq!(found["hits"][0]["id"], "exponential-backoff", "{found}");
    assert!(found["expanded"].as_array().is_some_and(|e| !e.is_empty()));

    let (s, doc) = call(&a, "GET", &url("/api/documents/retry-with-backoff"), None);
    assert_eq!(s, 200);
    assert!(doc["html"].as_str().unwrap_or("").contains("<h2 id=\"gh-problem\">"));

    // Refusals: JSON 4xx bodies with a stable code, never a 500.
    for (method, path, body, status, code) in [
        ("GET", "/api/documents/no-such-page", None, 404, "unknown-document"),
        ("GET", "/api/documents?kind=wizard", None, 400, "bad-request"),
        ("GET", "/api/no/such/endpoint", None, 404, "not-found"),
        ("PUT", "/api/bookmarks/no-such-page", None, 404, "unknown-document"),
        ("PUT", "/api/profile", Some("{\"display_name\": 1}"), 422, "bad-request"),
        ("PUT", "/api/profile", Some("not json"), 400, "bad-request"),
        ("POST", "/api/paths/start-here/steps", Some("{\"step\":\"not-a-step\",\"done\":true}"), 400, "bad-request"),
        ("GET", "/api/paths/welcome", None, 404, "unknown-document"),
        ("PUT", "/api/personal-data", Some("{\"format\":\"nope\"}"), 422, "bad-request"),
    ] {
        let (s, body) = call(&a, method, &url(path), body);
        assert_eq!((s, body["error"]["code"].as_str()), (status, Some(code)), "{method} {path}: {body}");
    }
    // A body announced larger than the limit is refused before it is read. (Sent raw: the
    // server answers without reading the body, so nothing is left unread to reset the socket.)
    assert_eq!(raw_status(&server.base, "PUT", "/api/notes/welcome", 400 * 1024), 413);

    // Hub files: only what the loader found, never a way out of the hub.
    for path in
        ["/asset/../Cargo.toml", "/asset/guides/welcome.md", "/asset/%2e%2e/Cargo.toml", "/asset/guildhall.toml"]
    {
        let (s, _) = call(&a, "GET", &url(path), None);
        assert!(s == 404 || s == 400, "{path}: {s}");
    }
    let resp = a.get(&url("/")).call().expect("index");
    let csp = resp.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");

    let (s, spec) = call(&a, "GET", &url("/api/openapi.json"), None);
    assert_eq!(s, 200);
    for p in ["/api/search", "/api/documents/{id}", "/api/paths/{id}/steps", "/api/personal-data"] {
        assert!(spec["paths"].get(p).is_some(), "{p} missing from the OpenAPI document");
    }
}

#[test]
fn personal_state_round_trips_through_the_api() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&starter(), data.path());
    let a = agent();
    let url = |p: &str| format!("{}{p}", server.base);
    let profile = json!({"display_name": "Hannah", "role": "citizen-developer", "glossary_view": "technical", "theme": "dark", "language": "en-GB"});
    let (s, saved) = call(&a, "PUT", &url("/api/profile"), Some(&profile.to_string()));
    assert_eq!((s, &saved), (200, &profile));
    assert_eq!(call(&a, "PUT", &url("/api/bookmarks/idempotency"), None).0, 204);
    assert_eq!(call(&a, "PUT", &url("/api/notes/idempotency"), Some("{\"text\":\"ask Tomás\"}")).0, 200);
    assert_eq!(call(&a, "POST", &url("/api/recent/idempotency"), None).0, 204);
    let (_, path) = call(&a, "POST", &url("/api/paths/start-here/steps"), Some("{\"step\":\"welcome\",\"done\":true}"));
    assert_eq!(path["card"]["steps_done"], 1, "{path}");
    assert_eq!(path["card"]["next_step"]["id"], "low-code-policy", "{path}");
    let (_, export) = call(&a, "GET", &url("/api/personal-data"), None);
    server.kill();

    // A fresh data folder, imported from the export, holds the same state.
    let other = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&starter(), other.path());
    let url = |p: &str| format!("{}{p}", server.base);
    assert_eq!(call(&a, "PUT", &url("/api/personal-data"), Some(&export.to_string())).0, 204);
    assert_eq!(call(&a, "GET", &url("/api/profile"), None).1, profile);
    assert_eq!(call(&a, "GET", &url("/api/bookmarks"), None).1[0]["id"], "idempotency");
    assert_eq!(call(&a, "GET", &url("/api/notes/idempotency"), None).1["body"], "ask Tomás");
    assert_eq!(call(&a, "GET", &url("/api/paths/start-here"), None).1["card"]["steps_done"], 1);
}

/// #12 §3: weak results go noticed. A settled search whose results were left unopened is
/// unanswered like one that found nothing; the report groups similar wordings; nothing in the
/// log or the report says who searched, and a body that tries to say it is refused.
#[test]
fn unanswered_searches_reach_the_gap_report_grouped_and_anonymous() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&starter(), data.path());
    let a = agent();
    let url = |p: &str| format!("{}{p}", server.base);
    let settled = |body: Value| call(&a, "POST", &url("/api/search/settled"), Some(&body.to_string()));
    assert_eq!(settled(json!({"q": "power bi licence", "opened": false})).0, 204);
    assert_eq!(settled(json!({"q": "power bi licence", "opened": false})).0, 204);
    assert_eq!(settled(json!({"q": "Power BI licences", "kind": "pattern", "opened": false})).0, 204);
    assert_eq!(settled(json!({"q": "retry", "opened": true})).0, 204, "answered: not a gap");
    assert_eq!(settled(json!({"q": "   ", "opened": false})).0, 204, "blank: not logged");
    assert_eq!(call(&a, "GET", &url("/api/search?q=zqxjv%20wkpfh&record=true"), None).0, 200);
    for (body, status) in [
        (json!({"q": "x"}), 422),
        (json!({"q": "x", "opened": false, "person": "Hannah"}), 422),
        (json!({"q": "x", "opened": false, "kind": "wizard"}), 422),
        (json!({"q": "x".repeat(9000), "opened": false}), 400),
    ] {
        let (s, err) = settled(body.clone());
        assert_eq!((s, err["error"]["code"].as_str()), (status, Some("bad-request")), "{body}: {err}");
    }

    let (s, gaps) = call(&a, "GET", &url("/api/gaps"), None);
    assert_eq!(s, 200);
    let summary: Vec<(String, u64, usize)> = gaps
        .as_array()
        .expect("list")
        .iter()
        .map(|g| {
            let n = g["wordings"].as_array().map_or(0, Vec::len);
            (g["query"].as_str().unwrap_or("").to_string(), g["count"].as_u64().unwrap_or(0), n)
        })
        .collect();
    assert_eq!(summary, [("power bi licence".to_string(), 3, 2), ("zqxjv wkpfh".to_string(), 1, 1)], "{gaps}");
    assert_eq!(gaps[0]["wordings"][1], "power bi licences", "{gaps}");
    assert_eq!(gaps[1]["no_results"], 1, "{gaps}");

    // The log keeps the outcome and nothing about the person.
    let (_, export) = call(&a, "GET", &url("/api/personal-data"), None);
    let log = export["search_log"].as_array().expect("log");
    assert_eq!(log.len(), 5, "{export}");
    for entry in log {
        let keys: Vec<&str> = entry.as_object().expect("entry").keys().map(String::as_str).collect();
        assert!(keys.iter().all(|k| ["query", "result_count", "at", "opened"].contains(k)), "{entry}");
    }
    assert_eq!(log.iter().filter(|e| e["opened"] == false).count(), 3, "{export}");
}

/// Kill -9 the server while a client keeps writing progress; every write the server
/// acknowledged must be there after a restart, and the database must pass integrity_check.
#[test]
fn acknowledged_progress_survives_kill_9() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&starter(), data.path());
    let a = agent();
    let (_, paths) = call(&a, "GET", &format!("{}/api/paths", server.base), None);
    let mut writes: Vec<(String, String)> = Vec::new();
    for p in paths.as_array().expect("paths") {
        let id = p["path"]["id"].as_str().expect("id").to_string();
        let (_, full) = call(&a, "GET", &format!("{}/api/paths/{id}", server.base), None);
        for step in full["steps"].as_array().expect("steps") {
            writes.push((id.clone(), step["step"]["ref"].as_str().expect("ref").to_string()));
        }
    }
    assert!(writes.len() > 30, "{}", writes.len());
    let acked = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (acked, stop, base) = (acked.clone(), stop.clone(), server.base.clone());
        std::thread::spawn(move || {
            let a = agent();
            for (path, step) in writes {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let body = json!({"step": step, "done": true}).to_string();
                let resp = a
                    .post(&format!("{base}/api/paths/{path}/steps"))
                    .header("content-type", "application/json")
                    .send(&body);
                match resp {
                    Ok(r) if r.status().as_u16() == 200 => acked.lock().expect("lock").push((path, step)),
                    _ => break, // the server is gone
                }
            }
        })
    };
    // Kill it mid-stream.
    while acked.lock().expect("lock").len() < 15 {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill();
    stop.store(true, Ordering::SeqCst);
    writer.join().expect("writer");
    let acked = acked.lock().expect("lock").clone();

    let hub_dir = guildhall_core::HubPaths::new(data.path(), &starter());
    let store = guildhall_store::Store::open(&hub_dir.store_file(), &guildhall_store::StoreOptions::default())
        .expect("the store reopens after kill -9");
    store.integrity_check().expect("integrity_check is ok");
    drop(store);
    let server = Server::start(&starter(), data.path());
    for (path, step) in &acked {
        let (_, p) = call(&a, "GET", &format!("{}/api/paths/{path}", server.base), None);
        let done = p["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .any(|s| s["step"]["ref"] == step.as_str() && !s["done_at"].is_null());
        assert!(done, "acknowledged {path}/{step} was lost");
    }
}

#[test]
fn a_damaged_database_is_reported_and_kept() {
    let data = tempfile::tempdir().expect("tempdir");
    let hub_dir = guildhall_core::HubPaths::new(data.path(), &starter());
    std::fs::create_dir_all(&hub_dir.dir).expect("mkdir");
    let junk = b"this is not a database, but somebody's notes".repeat(100);
    std::fs::write(hub_dir.store_file(), &junk).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_guildhall"))
        .args(["serve", "--addr", "127.0.0.1:0", "--content"])
        .arg(starter())
        .arg("--data")
        .arg(data.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("guildhall.sqlite3"), "names the file: {err}");
    assert_eq!(std::fs::read(hub_dir.store_file()).expect("read"), junk, "the file must be left as it was");
}
