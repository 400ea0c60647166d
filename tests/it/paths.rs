//! Training paths through the real binaries: progress, self-check answers and completion over
//! `guildhall serve`, then `guildhall paths` reading the same SQLite file, and certificates from
//! both.

use std::path::Path;

use serde_json::{Value, json};

use crate::harness::{guildhall_in, stderr, stdout};
use crate::serve::{Server, agent, call};

const PATH: &str = "---
title: \"Short <b>path</b>\"
summary: Three steps.
steps:
  - ref: one
  - ref: two
    check:
      question: \"Pick the right one\"
      options: [\"Left\", \"Right\"]
      answer: \"Right\"
      explain: \"Right is right.\"
  - ref: three
---
";

fn hub(dir: &Path) {
    let c = dir.join("content");
    std::fs::create_dir_all(c.join("guides")).expect("mkdir");
    std::fs::create_dir_all(c.join("paths")).expect("mkdir");
    std::fs::write(c.join("guildhall.toml"), "").expect("a Guildhall hub");
    for id in ["one", "two", "three", "four"] {
        std::fs::write(c.join(format!("guides/{id}.md")), format!("---\ntitle: Guide {id}\n---\nAbout {id}.\n"))
            .expect("write");
    }
    std::fs::write(c.join("paths/short.md"), PATH).expect("write");
}

fn cli(dir: &Path, args: &[&str]) -> std::process::Output {
    let data = dir.join("data");
    let data = data.to_str().expect("utf-8 path");
    guildhall_in(dir, args, &[("GUILDHALL_CONTENT", "content"), ("GUILDHALL_DATA", data)])
}

#[test]
fn a_path_from_start_to_certificate_over_http_and_the_cli() {
    let dir = tempfile::tempdir().expect("tempdir");
    hub(dir.path());
    let server = Server::start(&dir.path().join("content"), &dir.path().join("data"));
    let a = agent();
    let url = |p: &str| format!("{}{p}", server.base);

    // No certificate before completion: a JSON 409, over HTTP and from the CLI.
    let (status, body) = call(&a, "GET", &url("/api/paths/short/certificate?format=html"), None);
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("not-completed")), "{body}");
    let (status, _) = call(&a, "GET", &url("/api/paths/short/certificate?format=pdf"), None);
    assert_eq!(status, 400);

    // Self-check: the server judges; a made-up answer is refused.
    let post = |step: &str, answer: &str| {
        call(&a, "POST", &url("/api/paths/short/checks"), Some(&json!({"step": step, "answer": answer}).to_string()))
    };
    let (status, wrong) = post("two", "Left");
    assert_eq!(status, 200, "{wrong}");
    assert_eq!((wrong["correct"].as_bool(), wrong["answer"].as_str()), (Some(false), Some("Right")));
    assert_eq!(wrong["explain"], "Right is right.");
    let (_, right) = post("two", "Right");
    assert_eq!(
        right["state"],
        json!({"attempts": 2, "correct_on_attempt": 2, "last_answer": "Right", "last_correct": true})
    );
    assert_eq!(post("two", "Up").0, 400);
    assert_eq!(post("one", "Right").0, 400);

    for step in ["one", "two"] {
        let (status, _) =
            call(&a, "POST", &url("/api/paths/short/steps"), Some(&json!({"step": step, "done": true}).to_string()));
        assert_eq!(status, 200);
    }
    server.kill();

    // The CLI reads the same file: two done, the third current.
    let out = cli(dir.path(), &["paths"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("short") && stdout(&out).contains("2/3") && stdout(&out).contains("in progress"));
    let out = cli(dir.path(), &["paths", "show", "short"]);
    let text = stdout(&out);
    assert!(text.contains("2 of 3 steps done"), "{text}");
    assert!(text.lines().any(|l| l.contains("current") && l.contains("(three)")), "{text}");
    assert!(text.contains("self-check right on try 2"), "{text}");
    let out = cli(dir.path(), &["paths", "show", "short", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
    let status: Vec<&str> = v["steps"].as_array().expect("steps").iter().filter_map(|s| s["status"].as_str()).collect();
    assert_eq!(status, ["done", "done", "current"]);
    let out = cli(dir.path(), &["paths", "certificate", "short", "--format", "html"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not been completed"), "{}", stderr(&out));
    let out = cli(dir.path(), &["paths", "show", "nope"]);
    assert_eq!(out.status.code(), Some(1));

    // Finish over HTTP; the certificate is a download with the right headers.
    let server = Server::start(&dir.path().join("content"), &dir.path().join("data"));
    let (status, view) = call(
        &a,
        "POST",
        &format!("{}/api/paths/short/steps", server.base),
        Some(&json!({"step": "three", "done": true}).to_string()),
    );
    assert_eq!(status, 200);
    assert_eq!(view["card"]["complete"], true);
    let completed_at = view["card"]["completed_at"].as_str().expect("completion recorded").to_string();
    let mut resp =
        a.get(format!("{}/api/paths/short/certificate?format=html", server.base)).call().expect("certificate");
    assert_eq!(resp.status().as_u16(), 200);
    let header = |r: &ureq::http::Response<ureq::Body>, h: &str| {
        r.headers().get(h).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    };
    assert_eq!(header(&resp, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&resp, "content-disposition"), "attachment; filename=\"short-certificate.html\"");
    let html = resp.body_mut().read_to_string().expect("body");
    assert!(html.contains("Short &lt;b&gt;path&lt;/b&gt;") && !html.contains("<script"), "{html}");
    let mut resp =
        a.get(format!("{}/api/paths/short/certificate?format=json", server.base)).call().expect("certificate");
    assert_eq!(header(&resp, "content-type"), "application/json");
    assert_eq!(header(&resp, "content-disposition"), "attachment; filename=\"short-certificate.json\"");
    let cred: Value = serde_json::from_str(&resp.body_mut().read_to_string().expect("body")).expect("json");
    assert_eq!(cred["validFrom"], completed_at.as_str());
    assert_eq!(cred["type"], json!(["VerifiableCredential", "OpenBadgeCredential"]));
    server.kill();

    // The CLI writes the same certificate to a file.
    let out = cli(dir.path(), &["paths", "certificate", "short", "--format", "json", "-o", "cert.json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("cert.json")).expect("written")).expect("json");
    assert_eq!(file, cred);
    let out = cli(dir.path(), &["paths"]);
    assert!(stdout(&out).contains(&format!("completed {}", &completed_at[..10])), "{}", stdout(&out));
    let out = cli(dir.path(), &["paths", "--json"]);
    let cards: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(cards[0]["completed_at"], completed_at.as_str());
}
