//! The commands through Tauri's IPC, as the web UI calls them: the app's real configuration and
//! capabilities, the mock runtime (no display needed), the starter content and a fresh data
//! directory.

use std::path::PathBuf;

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow, WebviewWindowBuilder};

struct App {
    _app: tauri::App<MockRuntime>,
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
    App { _app: app, window, _data: data }
}

/// Invokes `cmd` from the app's own origin, as the webview does on Linux.
fn invoke(app: &App, cmd: &str, args: Value) -> Result<Value, Value> {
    invoke_from(app, cmd, args, "tauri://localhost")
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
    let doc = invoke(&app, "get_document", json!({"id": "retry-with-backoff"})).expect("document");
    assert_eq!(doc["id"], "retry-with-backoff");
    assert!(doc["html"].as_str().is_some_and(|h| h.contains("<p>")), "{doc}");
}

#[test]
fn unknown_ids_answer_the_http_error_shape() {
    let app = app();
    let err = invoke(&app, "get_document", json!({"id": "retry-with-bakcoff"})).expect_err("unknown id");
    assert_eq!(err["error"]["status"], 404, "{err}");
    assert_eq!(err["error"]["code"], "unknown-document");
    assert!(err["error"]["message"].as_str().is_some_and(|m| m.contains("retry-with-bakcoff")));
    assert_eq!(err["error"]["suggestions"][0], "retry-with-backoff", "{err}");

    let err = invoke(&app, "put_bookmark", json!({"id": "no-such-page"})).expect_err("unknown id");
    assert_eq!(err["error"]["code"], "unknown-document");
    let err = invoke(&app, "get_path", json!({"id": "retry-with-backoff"})).expect_err("not a path");
    assert_eq!(err["error"]["status"], 404);
}

#[test]
fn search_finds_patterns_by_everyday_words() {
    let app = app();
    let found = invoke(&app, "search", json!({"q": "try again later", "limit": 5})).expect("search");
    let ids: Vec<&str> = found["hits"].as_array().expect("hits").iter().filter_map(|h| h["id"].as_str()).collect();
    assert!(ids.contains(&"retry-with-backoff"), "{found}");
    let only = invoke(&app, "search", json!({"q": "retry", "kind": "term", "record": true})).expect("filtered");
    assert!(only["hits"].as_array().expect("hits").iter().all(|h| h["kind"] == "term"), "{only}");
    // A recorded search that finds nothing shows in the content-gap report.
    invoke(&app, "search", json!({"q": "zzqxw", "record": true})).expect("search");
    let gaps = invoke(&app, "list_gaps", json!({"days": 7})).expect("gaps");
    assert!(gaps.to_string().contains("zzqx"), "{gaps}");
}

#[test]
fn wrong_arguments_are_400s_not_ipc_failures() {
    let app = app();
    let err = invoke(&app, "search", json!({"q": "x", "kind": "novel"})).expect_err("bad kind");
    assert_eq!(err["error"]["status"], 400, "{err}");
    assert_eq!(err["error"]["code"], "bad-request");
    let err = invoke(&app, "glossary_lookup", json!({"text": "x".repeat(5000)})).expect_err("too long");
    assert_eq!(err["error"]["code"], "bad-request");
    let err = invoke(&app, "put_profile", json!({"profile": {"colour": "teal"}})).expect_err("unknown field");
    assert_eq!(err["error"]["code"], "bad-request", "{err}");
}

#[test]
fn bookmarks_and_notes_are_kept() {
    let app = app();
    invoke(&app, "put_bookmark", json!({"id": "retry-with-backoff"})).expect("bookmark");
    let marks = invoke(&app, "list_bookmarks", json!({})).expect("bookmarks");
    assert_eq!(marks[0]["id"], "retry-with-backoff", "{marks}");
    invoke(&app, "delete_bookmark", json!({"id": "retry-with-backoff"})).expect("unbookmark");
    assert_eq!(invoke(&app, "list_bookmarks", json!({})).expect("bookmarks"), json!([]));

    let note =
        invoke(&app, "put_note", json!({"id": "retry-with-backoff", "note": {"text": "ask Sam"}})).expect("note");
    assert_eq!(note["body"], "ask Sam", "{note}");
    assert_eq!(invoke(&app, "get_note", json!({"id": "retry-with-backoff"})).expect("note")["body"], "ask Sam");
    invoke(&app, "record_view", json!({"id": "retry-with-backoff"})).expect("view");
    assert_eq!(invoke(&app, "list_recent", json!({})).expect("recent")[0]["id"], "retry-with-backoff");
}

#[test]
fn path_progress_goes_through() {
    let app = app();
    let paths = invoke(&app, "list_paths", json!({})).expect("paths");
    let path = paths[0]["path"]["id"].as_str().expect("a path").to_string();
    let view = invoke(&app, "get_path", json!({"id": path})).expect("path");
    let step = view["steps"][0]["step"]["ref"].as_str().expect("a step").to_string();
    let done = invoke(&app, "set_path_step", json!({"id": path, "body": {"step": step, "done": true}})).expect("step");
    assert_eq!(done["card"]["steps_done"], 1, "{done}");
    let cur = invoke(&app, "set_path_current", json!({"id": path, "body": {"step": step}})).expect("current");
    assert_eq!(cur["current_step"], step.as_str());
}

#[test]
fn other_origins_cannot_call_commands() {
    let app = app();
    let refused = invoke_from(&app, "get_hub", json!({}), "https://example.org");
    assert!(refused.is_err(), "{refused:?}");
    assert!(invoke(&app, "get_hub", json!({})).is_ok());
}

#[test]
fn every_endpoint_of_the_ui_client_is_a_command_and_permitted() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let client = std::fs::read_to_string(root.join("../ui/src/api/client.ts")).expect("client.ts");
    let table = client.split("export const ENDPOINTS = {").nth(1).and_then(|s| s.split("} as const").next());
    let names: Vec<&str> = table
        .expect("the ENDPOINTS table")
        .lines()
        .filter_map(|l| l.trim().split_once(": {").map(|(k, _)| k.trim()))
        .collect();
    assert!(names.len() >= 21, "{names:?}");
    for n in &names {
        assert!(guildhall_desktop::COMMANDS.contains(n), "the UI calls `{n}`, which the app does not register");
    }
    let perms = std::fs::read_to_string(root.join("permissions/app.toml")).expect("permissions");
    for c in guildhall_desktop::COMMANDS {
        assert!(perms.contains(&format!("\"allow-{}\"", c.replace('_', "-"))), "`{c}` is not in permissions/app.toml");
    }
    // And each is registered: an unknown command would be refused as such.
    let app = app();
    for c in guildhall_desktop::COMMANDS {
        if let Err(e) = invoke(&app, c, json!({})) {
            let text = e.to_string();
            assert!(!text.contains("not found") && !text.contains("not allowed"), "`{c}`: {text}");
        }
    }
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
    let path = invoke(&app, "get_path", json!({"id": "start-here"})).expect("path");
    let steps = path["steps"].as_array().expect("steps").clone();
    let with_check = steps.iter().find(|s| s["step"]["check"].is_object()).expect("a step with a self-check");
    let check = &with_check["step"]["check"];
    let step = with_check["step"]["ref"].as_str().expect("ref");
    let wrong =
        check["options"].as_array().expect("options").iter().find(|o| **o != check["answer"]).expect("a wrong one");
    let r = invoke(&app, "answer_path_check", json!({"id": "start-here", "body": {"step": step, "answer": wrong}}))
        .expect("answer");
    assert_eq!((r["correct"].as_bool(), &r["answer"]), (Some(false), &check["answer"]), "{r}");
    let err =
        invoke(&app, "answer_path_check", json!({"id": "start-here", "body": {"step": step, "answer": "made up"}}))
            .expect_err("not an option");
    assert_eq!(err["error"]["status"], 400);

    let err =
        invoke(&app, "get_path_certificate", json!({"id": "start-here", "format": "html"})).expect_err("not done");
    assert_eq!((err["error"]["status"].as_u64(), err["error"]["code"].as_str()), (Some(409), Some("not-completed")));
    for s in &steps {
        invoke(&app, "set_path_step", json!({"id": "start-here", "body": {"step": s["step"]["ref"], "done": true}}))
            .expect("done");
    }
    let file =
        invoke(&app, "get_path_certificate", json!({"id": "start-here", "format": "json"})).expect("certificate");
    assert_eq!(file["filename"], "start-here-certificate.json");
    let cred: Value = serde_json::from_str(file["content"].as_str().expect("content")).expect("json");
    assert_eq!(cred["type"], json!(["VerifiableCredential", "OpenBadgeCredential"]));
    let err = invoke(&app, "get_path_certificate", json!({"id": "start-here", "format": "pdf"})).expect_err("format");
    assert_eq!(err["error"]["status"], 400);
}

#[test]
fn drafts_and_preview_go_through_and_review_needs_a_hub_repository() {
    let app = app();
    let templates = invoke(&app, "list_templates", json!({})).expect("templates");
    assert_eq!(templates.as_array().map(Vec::len), Some(5), "{templates}");

    let draft = invoke(&app, "create_draft", json!({"body": {"template": "guide"}})).expect("draft");
    let id = draft["id"].as_str().expect("id").to_string();
    assert_eq!(draft["path"], "guides/untitled.md", "{draft}");
    let text = "---\ntitle: Asking for help\n---\nSee [[no-such-page]] and [[retry-with-backoff]].\n";
    let saved = invoke(
        &app,
        "save_draft",
        json!({"id": id, "body": {"path": "guides/asking-for-help.md", "title": "Add it", "reason": "", "content": text}}),
    )
    .expect("save");
    assert_eq!(saved["content"], text);
    assert_eq!(invoke(&app, "get_draft", json!({"id": id})).expect("get")["path"], "guides/asking-for-help.md");
    assert_eq!(invoke(&app, "list_drafts", json!({})).expect("list")[0]["id"], id.as_str());

    let preview = invoke(&app, "preview", json!({"body": {"path": "guides/asking-for-help.md", "content": text}}))
        .expect("preview");
    assert!(preview["html"].as_str().is_some_and(|h| h.contains("data-doc=\"retry-with-backoff\"")), "{preview}");
    let codes: Vec<&str> =
        preview["diagnostics"].as_array().expect("diagnostics").iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.contains(&"broken-link"), "{preview}");
    let err = invoke(&app, "save_draft", json!({"id": id, "body": {"path": "x.md"}})).expect_err("fields missing");
    assert_eq!(err["error"]["code"], "bad-request", "{err}");

    invoke(&app, "delete_draft", json!({"id": id})).expect("delete");
    let err = invoke(&app, "get_draft", json!({"id": id})).expect_err("deleted");
    assert_eq!((err["error"]["status"].as_u64(), err["error"]["code"].as_str()), (Some(404), Some("unknown-draft")));

    // The starter content sits inside this project's checkout, not in a repository of its own:
    // review actions are refused naming both folders, and nothing is initialised inside it.
    let err = invoke(&app, "get_identity", json!({})).expect_err("no repository");
    assert_eq!((err["error"]["status"].as_u64(), err["error"]["code"].as_str()), (Some(409), Some("no-repository")));
    assert!(err["error"]["message"].as_str().is_some_and(|m| m.contains("content")), "{err}");
    let err = invoke(&app, "list_proposals", json!({})).expect_err("no repository");
    assert_eq!(err["error"]["code"], "no-repository");
    assert!(!content().join(".git").exists());
}
