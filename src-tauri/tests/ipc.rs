//! The desktop app as its window sees it, with the app's real configuration and capabilities,
//! the mock runtime (no display needed), the starter content and a fresh data directory: the API
//! through the `guildhall:` scheme (the HTTP shell's own router, answered in-process), the hub's
//! images under `asset/`, and the app's only command.

use std::path::PathBuf;

use serde_json::{Value, json};
use tauri::http::Request;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow, WebviewWindowBuilder};

struct App {
    app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    _data: tempfile::TempDir,
}

fn content() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content")
}

fn app() -> App {
    let data = tempfile::tempdir().expect("tempdir");
    let state = guildhall_desktop::HubState::new(content(), data.path().to_path_buf()).without_watcher();
    let app = guildhall_desktop::with_commands(mock_builder())
        .manage(state)
        .build(tauri::generate_context!())
        .expect("the app builds");
    let window = match app.get_webview_window("main") {
        Some(w) => w,
        None => WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a window"),
    };
    App { app, window, _data: data }
}

/// The page's origin on Linux.
const APP: &str = "tauri://localhost";

/// A request of the page to the API scheme, as WebKitGTK hands it to the app.
fn request(
    app: &App,
    method: &str,
    path: &str,
    body: Option<Value>,
    origin: Option<&str>,
) -> (u16, Value, Vec<(String, String)>) {
    let mut req = Request::builder().method(method).uri(format!("guildhall://localhost{path}"));
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let req = req.body(body.map(|b| b.to_string().into_bytes()).unwrap_or_default()).expect("request");
    let state = app.app.state::<guildhall_desktop::HubState>();
    let res = tauri::async_runtime::block_on(guildhall_desktop::protocol::answer(&state, req));
    let headers =
        res.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string())).collect();
    let status = res.status().as_u16();
    let value =
        if res.body().is_empty() { Value::Null } else { serde_json::from_slice(res.body()).unwrap_or(Value::Null) };
    (status, value, headers)
}

/// The answer of `method path` from the app's page: the JSON on success, the error body else.
fn api(app: &App, method: &str, path: &str, body: Option<Value>) -> Result<Value, Value> {
    let (status, value, headers) = request(app, method, path, body, Some(APP));
    assert!(headers.iter().any(|(k, v)| k == "access-control-allow-origin" && v == APP), "{headers:?}");
    if (200..300).contains(&status) {
        Ok(value)
    } else {
        assert_eq!(value["error"]["code"].as_str().map(str::is_empty), Some(false), "{status}: {value}");
        let mut v = value;
        v["error"]["status"] = json!(status);
        Err(v)
    }
}

fn get(app: &App, path: &str) -> Result<Value, Value> {
    api(app, "GET", path, None)
}

/// Invokes one of the app's commands from the app's own origin, as the webview does on Linux.
fn invoke(app: &App, cmd: &str, args: Value) -> Result<Value, Value> {
    invoke_from(app, cmd, args, APP)
}

fn invoke_from(app: &App, cmd: &str, args: Value, origin: &str) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: origin.parse().expect("url"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(&app.window, request).map(|b| b.deserialize::<Value>().expect("json"))
}

#[test]
fn get_document_renders_a_pattern() {
    let app = app();
    let doc = get(&app, "/api/documents/retry-with-backoff").expect("document");
    assert_eq!(doc["id"], "retry-with-backoff");
    assert!(doc["html"].as_str().is_some_and(|h| h.contains("<p>")), "{doc}");
    let links = get(&app, "/api/documents/retry-with-backoff/backlinks").expect("backlinks");
    assert!(links.as_array().is_some_and(|l| !l.is_empty()), "{links}");
}

#[test]
fn unknown_ids_answer_the_http_error_shape() {
    let app = app();
    let err = get(&app, "/api/documents/retry-with-bakcoff").expect_err("unknown id");
    assert_eq!(err["error"]["status"], 404, "{err}");
    assert_eq!(err["error"]["code"], "unknown-document");
    assert!(err["error"]["message"].as_str().is_some_and(|m| m.contains("retry-with-bakcoff")));
    assert_eq!(err["error"]["suggestions"][0], "retry-with-backoff", "{err}");

    let err = api(&app, "PUT", "/api/bookmarks/no-such-page", None).expect_err("unknown id");
    assert_eq!(err["error"]["code"], "unknown-document");
    let err = get(&app, "/api/paths/retry-with-backoff").expect_err("not a path");
    assert_eq!(err["error"]["status"], 404);
    let err = get(&app, "/api/no-such-endpoint").expect_err("no endpoint");
    assert_eq!((err["error"]["status"].as_u64(), err["error"]["code"].as_str()), (Some(404), Some("not-found")));
}

#[test]
fn search_finds_patterns_by_everyday_words() {
    let app = app();
    let found = get(&app, "/api/search?q=try+again+later&limit=5").expect("search");
    let ids: Vec<&str> = found["hits"].as_array().expect("hits").iter().filter_map(|h| h["id"].as_str()).collect();
    assert!(ids.contains(&"retry-with-backoff"), "{found}");
    let only = get(&app, "/api/search?q=retry&kind=term&record=true").expect("filtered");
    assert!(only["hits"].as_array().expect("hits").iter().all(|h| h["kind"] == "term"), "{only}");
    // An empty tag filters nothing (it used to filter everything over HTTP only).
    let any_tag = get(&app, "/api/search?q=retry&tag=").expect("empty tag");
    assert!(any_tag["total"].as_u64().is_some_and(|n| n > 0), "{any_tag}");
    // A recorded search that finds nothing shows in the content-gap report.
    get(&app, "/api/search?q=zzqxw&record=true").expect("search");
    let gaps = get(&app, "/api/gaps?days=7").expect("gaps");
    assert!(gaps.to_string().contains("zzqx"), "{gaps}");
}

#[test]
fn wrong_arguments_are_400s() {
    let app = app();
    let err = get(&app, "/api/search?q=x&kind=novel").expect_err("bad kind");
    assert_eq!(err["error"]["status"], 400, "{err}");
    assert_eq!(err["error"]["code"], "bad-request");
    let err = get(&app, &format!("/api/glossary/lookup?text={}", "x".repeat(5000))).expect_err("too long");
    assert_eq!(err["error"]["code"], "bad-request");
    let err = api(&app, "PUT", "/api/profile", Some(json!({"colour": "teal"}))).expect_err("unknown field");
    assert_eq!(err["error"]["code"], "bad-request", "{err}");
    let big = json!({"text": "x".repeat(300 * 1024)});
    let err = api(&app, "PUT", "/api/notes/retry-with-backoff", Some(big)).expect_err("too large");
    assert_eq!((err["error"]["status"].as_u64(), err["error"]["code"].as_str()), (Some(413), Some("too-large")));
}

#[test]
fn bookmarks_and_notes_are_kept() {
    let app = app();
    api(&app, "PUT", "/api/bookmarks/retry-with-backoff", None).expect("bookmark");
    let marks = get(&app, "/api/bookmarks").expect("bookmarks");
    assert_eq!(marks[0]["id"], "retry-with-backoff", "{marks}");
    api(&app, "DELETE", "/api/bookmarks/retry-with-backoff", None).expect("unbookmark");
    assert_eq!(get(&app, "/api/bookmarks").expect("bookmarks"), json!([]));

    let note = api(&app, "PUT", "/api/notes/retry-with-backoff", Some(json!({"text": "ask Sam"}))).expect("note");
    assert_eq!(note["body"], "ask Sam", "{note}");
    assert_eq!(get(&app, "/api/notes/retry-with-backoff").expect("note")["body"], "ask Sam");
    api(&app, "POST", "/api/recent/retry-with-backoff", None).expect("view");
    assert_eq!(get(&app, "/api/recent").expect("recent")[0]["id"], "retry-with-backoff");
}

#[test]
fn path_progress_goes_through() {
    let app = app();
    let paths = get(&app, "/api/paths").expect("paths");
    let path = paths[0]["path"]["id"].as_str().expect("a path").to_string();
    let view = get(&app, &format!("/api/paths/{path}")).expect("path");
    let step = view["steps"][0]["step"]["ref"].as_str().expect("a step").to_string();
    let done = api(&app, "POST", &format!("/api/paths/{path}/steps"), Some(json!({"step": step, "done": true})))
        .expect("step");
    assert_eq!(done["card"]["steps_done"], 1, "{done}");
    let cur = api(&app, "PUT", &format!("/api/paths/{path}/current"), Some(json!({"step": step}))).expect("current");
    assert_eq!(cur["current_step"], step.as_str());
}

/// Only the app's own page may use the API: another origin is refused (and gets no CORS
/// header), and preflights answer what the UI's requests need.
#[test]
fn other_origins_cannot_use_the_api() {
    let app = app();
    let (status, body, headers) = request(&app, "GET", "/api/hub", None, Some("https://example.org"));
    assert_eq!(status, 403, "{body}");
    assert!(!headers.iter().any(|(k, _)| k == "access-control-allow-origin"), "{headers:?}");
    let (status, _, headers) = request(&app, "GET", "/api/hub", None, Some("tauri://evil"));
    assert_eq!(status, 403, "{headers:?}");
    let (status, _, headers) = request(&app, "OPTIONS", "/api/notes/x", None, Some(APP));
    assert_eq!(status, 204);
    let allowed = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    assert!(allowed("access-control-allow-methods").contains("PUT"), "{headers:?}");
    assert!(allowed("access-control-allow-headers").contains("content-type"), "{headers:?}");
    assert_eq!(allowed("access-control-allow-origin"), APP);
    assert!(get(&app, "/api/hub").is_ok());
    // Every answer carries the API's strict CSP, as under `guildhall serve`.
    let (_, _, headers) = request(&app, "GET", "/api/hub", None, Some(APP));
    assert!(headers.iter().any(|(k, v)| k == "content-security-policy" && v.contains("default-src 'self'")));
    // The app's command is refused to another origin too.
    assert!(
        invoke_from(&app, "save_path_certificate", json!({"id": "x", "format": "html"}), "https://example.org")
            .is_err()
    );
}

/// The desktop app has one command of its own; the list, the handler and the permissions agree,
/// and the UI's client does not call any other command.
#[test]
fn the_apps_commands_are_registered_and_permitted() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(guildhall_desktop::COMMANDS, ["save_path_certificate"]);
    let perms = std::fs::read_to_string(root.join("permissions/app.toml")).expect("permissions");
    for c in guildhall_desktop::COMMANDS {
        assert!(perms.contains(&format!("\"allow-{}\"", c.replace('_', "-"))), "`{c}` is not in permissions/app.toml");
    }
    let client = std::fs::read_to_string(root.join("../ui/src/api/client.ts")).expect("client.ts");
    let desktop =
        client.split("export type DesktopCommand =").nth(1).and_then(|s| s.split(';').next()).expect("DesktopCommand");
    let named: Vec<&str> = desktop.split('|').map(|n| n.trim().trim_matches('\'')).filter(|n| !n.is_empty()).collect();
    assert_eq!(named, guildhall_desktop::COMMANDS);
    let app = app();
    let err =
        invoke(&app, "save_path_certificate", json!({"id": "start-here", "format": "html"})).expect_err("not done");
    assert_eq!(
        (err["error"]["status"].as_u64(), err["error"]["code"].as_str()),
        (Some(409), Some("not-completed")),
        "{err}"
    );
    let err = invoke(&app, "get_hub", json!({})).expect_err("not a command any more");
    assert!(err.to_string().contains("not found") || err.to_string().contains("not allowed"), "{err}");
}

#[test]
fn hub_images_are_served_under_asset_and_nothing_else_is() {
    let hub = tempfile::tempdir().expect("hub");
    let write = |rel: &str, bytes: &[u8]| {
        let p = hub.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    };
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    write("patterns/p.md", b"---\ntitle: P\n---\n![a diagram](../img/flow.png)\n");
    write("img/flow.png", PNG);
    write("img/notes.txt", b"not an image");
    let outside = tempfile::NamedTempFile::new().expect("outside");

    let data = tempfile::tempdir().expect("data");
    let state = guildhall_desktop::HubState::new(hub.path().to_path_buf(), data.path().to_path_buf()).without_watcher();
    let mut context = tauri::generate_context!();
    let slot = guildhall_desktop::HubAssets::install(&mut context);
    let app = guildhall_desktop::with_commands(mock_builder()).manage(state).build(context).expect("app");
    // `App::run` would fill the slot; the mock app is never run.
    slot.set(app.handle().clone()).expect("an empty slot");
    tauri::async_runtime::block_on(app.state::<guildhall_desktop::HubState>().hub()).expect("hub opens");

    let get = |p: &str| app.asset_resolver().get(p.to_string());
    let img = get("/asset/img/flow.png").expect("the image");
    assert_eq!(img.bytes, PNG);
    assert_eq!(img.mime_type, "image/png");
    let html = |p: &str| get(p).is_none_or(|a| a.mime_type.starts_with("text/html"));
    // Refused: falls through to the UI's index.html (the SPA fallback), never the file.
    assert!(html("/asset/img/notes.txt"), "non-images are not shown");
    assert!(html("/asset/img/../img/flow.png"));
    assert!(html("/asset/img/missing.png"));
    assert!(html(&format!("/asset/{}", outside.path().display())));
    assert!(html("/asset/patterns/p.md"));
    // And the UI itself is still there.
    assert!(get("/index.html").is_some_and(|a| a.mime_type.starts_with("text/html")));

    let doc = app.state::<guildhall_desktop::HubState>();
    let hub_ref = tauri::async_runtime::block_on(doc.hub()).expect("hub");
    let page = hub_ref.document("p").expect("page");
    assert!(page.html.contains("src=\"asset/img/flow.png\""), "{}", page.html);
}

#[test]
fn self_checks_are_judged_and_certificates_wait_for_completion() {
    let app = app();
    let path = get(&app, "/api/paths/start-here").expect("path");
    let steps = path["steps"].as_array().expect("steps").clone();
    let with_check = steps.iter().find(|s| s["step"]["check"].is_object()).expect("a step with a self-check");
    let check = &with_check["step"]["check"];
    let step = with_check["step"]["ref"].as_str().expect("ref");
    let wrong =
        check["options"].as_array().expect("options").iter().find(|o| **o != check["answer"]).expect("a wrong one");
    let r = api(&app, "POST", "/api/paths/start-here/checks", Some(json!({"step": step, "answer": wrong})))
        .expect("answer");
    assert_eq!((r["correct"].as_bool(), &r["answer"]), (Some(false), &check["answer"]), "{r}");
    let err = api(&app, "POST", "/api/paths/start-here/checks", Some(json!({"step": step, "answer": "made up"})))
        .expect_err("not an option");
    assert_eq!(err["error"]["status"], 400);

    let err = get(&app, "/api/paths/start-here/certificate?format=html").expect_err("not done");
    assert_eq!((err["error"]["status"].as_u64(), err["error"]["code"].as_str()), (Some(409), Some("not-completed")));
    for s in &steps {
        api(&app, "POST", "/api/paths/start-here/steps", Some(json!({"step": s["step"]["ref"], "done": true})))
            .expect("done");
    }
    let (status, cred, headers) =
        request(&app, "GET", "/api/paths/start-here/certificate?format=json", None, Some(APP));
    assert_eq!(status, 200);
    assert!(headers.iter().any(|(k, v)| k == "content-disposition" && v.contains("start-here-certificate.json")));
    assert!(headers.iter().any(|(k, v)| k == "access-control-expose-headers" && v.contains("content-disposition")));
    assert_eq!(cred["type"], json!(["VerifiableCredential", "OpenBadgeCredential"]));
    let err = get(&app, "/api/paths/start-here/certificate?format=pdf").expect_err("format");
    assert_eq!(err["error"]["status"], 400);
}

#[test]
fn drafts_and_preview_go_through_and_review_needs_a_hub_repository() {
    let app = app();
    let templates = get(&app, "/api/templates").expect("templates");
    assert_eq!(templates.as_array().map(Vec::len), Some(5), "{templates}");

    let draft = api(&app, "POST", "/api/drafts", Some(json!({"template": "guide"}))).expect("draft");
    let id = draft["id"].as_str().expect("id").to_string();
    assert_eq!(draft["path"], "guides/untitled.md", "{draft}");
    let text = "---\ntitle: Asking for help\n---\nSee [[no-such-page]] and [[retry-with-backoff]].\n";
    let saved = api(
        &app,
        "PUT",
        &format!("/api/drafts/{id}"),
        Some(json!({"path": "guides/asking-for-help.md", "title": "Add it", "reason": "", "content": text})),
    )
    .expect("save");
    assert_eq!(saved["content"], text);
    assert_eq!(get(&app, &format!("/api/drafts/{id}")).expect("get")["path"], "guides/asking-for-help.md");
    assert_eq!(get(&app, "/api/drafts").expect("list")[0]["id"], id.as_str());

    let preview =
        api(&app, "POST", "/api/preview", Some(json!({"path": "guides/asking-for-help.md", "content": text})))
            .expect("preview");
    assert!(preview["html"].as_str().is_some_and(|h| h.contains("data-doc=\"retry-with-backoff\"")), "{preview}");
    let codes: Vec<&str> =
        preview["diagnostics"].as_array().expect("diagnostics").iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.contains(&"broken-link"), "{preview}");
    let err =
        api(&app, "PUT", &format!("/api/drafts/{id}"), Some(json!({"path": "x.md"}))).expect_err("fields missing");
    assert_eq!(err["error"]["code"], "bad-request", "{err}");

    api(&app, "DELETE", &format!("/api/drafts/{id}"), None).expect("delete");
    let err = get(&app, &format!("/api/drafts/{id}")).expect_err("deleted");
    assert_eq!((err["error"]["status"].as_u64(), err["error"]["code"].as_str()), (Some(404), Some("unknown-draft")));

    // The starter content sits inside this project's checkout, not in a repository of its own:
    // review actions are refused naming both folders, and nothing is initialised inside it.
    let err = get(&app, "/api/identity").expect_err("no repository");
    assert_eq!((err["error"]["status"].as_u64(), err["error"]["code"].as_str()), (Some(409), Some("no-repository")));
    assert!(err["error"]["message"].as_str().is_some_and(|m| m.contains("content")), "{err}");
    let err = get(&app, "/api/proposals").expect_err("no repository");
    assert_eq!(err["error"]["code"], "no-repository");
    assert!(!content().join(".git").exists());
}
