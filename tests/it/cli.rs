//! The `guildhall` command line: exit codes, formats, defaults and help.

use crate::harness::{fixture_hub, guildhall, guildhall_in, guildhall_into_closed_pipe, repo_root, stderr, stdout};

#[test]
fn check_on_a_valid_hub_exits_0() {
    let hub = fixture_hub("valid");
    let out = guildhall(&["check", "--content", hub.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("checked 8 documents"), "{}", stdout(&out));
}

#[test]
fn check_with_errors_exits_1_and_prints_compiler_style_lines() {
    let hub = fixture_hub("broken");
    let out = guildhall(&["check", "--content", hub.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("patterns/wrong-values.md:3:1: error[invalid-value]: `risk`"), "{text}");
    assert!(text.contains("  = hint: "), "{text}");
}

#[test]
fn check_json_has_the_same_fields() {
    let hub = fixture_hub("broken");
    let out = guildhall(&["check", "--content", hub.to_str().expect("utf-8"), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["documents"], 14);
    let diags = v["diagnostics"].as_array().expect("array");
    assert_eq!(
        v["errors"].as_u64().map(|n| n as usize),
        Some(diags.iter().filter(|d| d["severity"] == "error").count())
    );
    let d = diags.iter().find(|d| d["code"] == "escapes-hub").expect("escapes-hub");
    for field in ["severity", "code", "path", "line", "col", "message", "hint"] {
        assert!(d.get(field).is_some(), "missing {field} in {d}");
    }
}

#[test]
fn check_of_a_missing_folder_exits_2() {
    let out = guildhall(&["check", "--content", "/nonexistent/guildhall-hub"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not a folder"), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(guildhall(&["check", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(guildhall(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn content_defaults_to_env_then_dot_content() {
    let hub = fixture_hub("valid");
    let out =
        guildhall_in(std::path::Path::new("/"), &["check"], &[("GUILDHALL_CONTENT", hub.to_str().expect("utf-8"))]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    // Without the variable, ./content is used: the valid hub's parent has none.
    let out = guildhall_in(hub.parent().expect("parent"), &["check"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("content"), "{}", stderr(&out));
}

#[test]
fn render_prints_sanitized_html() {
    let hub = fixture_hub("valid");
    let out = guildhall(&["render", "--content", hub.to_str().expect("utf-8"), "retry-with-backoff"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("<h2 id=\"gh-problem\">Problem</h2>"), "{}", stdout(&out));
}

#[test]
fn render_json_has_toc_and_reading_time() {
    let hub = fixture_hub("valid");
    let out = guildhall(&["render", "--content", hub.to_str().expect("utf-8"), "--json", "environment-strategy"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let slugs: Vec<&str> = v["toc"].as_array().expect("toc").iter().filter_map(|h| h["slug"].as_str()).collect();
    assert_eq!(slugs, ["environment-strategy", "promotion-gates", "promotion-gates-1"]);
    assert_eq!(v["reading_minutes"], 1);
}

#[test]
fn render_of_an_unknown_id_exits_1_with_a_suggestion() {
    let hub = fixture_hub("valid");
    let out = guildhall(&["render", "--content", hub.to_str().expect("utf-8"), "retry-with-backof"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no document has the id `retry-with-backof`; did you mean `retry-with-backoff`?"));
}

#[test]
fn every_command_has_help() {
    for cmd in [&["--help"][..], &["check", "--help"], &["render", "--help"]] {
        let out = guildhall(cmd);
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).contains("Usage: guildhall"), "{}", stdout(&out));
    }
}

#[test]
fn a_damaged_index_is_rebuilt_and_says_why() {
    let data = tempfile::tempdir().expect("tempdir");
    let hub = crate::harness::fixture_hub("valid");
    let args = |cmd: &[&str]| {
        let mut v: Vec<String> = cmd.iter().map(ToString::to_string).collect();
        v.extend(["--content".into(), hub.display().to_string(), "--data".into(), data.path().display().to_string()]);
        v
    };
    let run = |cmd: &[&str]| {
        let a = args(cmd);
        guildhall(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let first = run(&["index"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    // Damage every file of the index: truncate segments, scribble over the metadata.
    let index_dir = guildhall_core::HubPaths::new(data.path(), &hub).index_dir();
    for entry in std::fs::read_dir(&index_dir).expect("index dir") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::write(&path, b"\0garbage\0").expect("damage");
        }
    }
    let out = run(&["search", "--json", "backoff"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("building the search index"), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["hits"][0]["id"], "exponential-backoff", "{v}");
    // Deleting the index loses nothing either.
    std::fs::remove_dir_all(&index_dir).expect("rm");
    let out = run(&["search", "--json", "backoff"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("no index yet"), "{}", stderr(&out));
}

#[test]
fn content_data_and_json_are_accepted_before_and_after_the_command() {
    let hub = fixture_hub("valid");
    let hub = hub.to_str().expect("utf-8");
    for args in [
        &["--content", hub, "render", "--json", "environment-strategy"][..],
        &["render", "--content", hub, "--json", "environment-strategy"],
        &["--json", "render", "environment-strategy", "--content", hub],
    ] {
        let out = guildhall(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(v["reading_minutes"], 1, "{args:?}");
    }
    // `--json` is `--format json` for check.
    let out = guildhall(&["--json", "check", "--content", hub]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["errors"], 0);
}

/// A reader that goes away (`guildhall ... | head -c 200`) ends the program quietly with status
/// 0, like any Unix filter: no panic, no "Broken pipe" message.
#[test]
fn a_closed_pipe_ends_quietly() {
    let (broken, valid) = (fixture_hub("broken"), fixture_hub("valid"));
    let (broken, valid) = (broken.to_str().expect("utf-8"), valid.to_str().expect("utf-8"));
    for args in [&["check", "--content", broken][..], &["render", "--content", valid, "--json", "retry-with-backoff"]] {
        let (status, err) = guildhall_into_closed_pipe(&repo_root(), args);
        assert_eq!(status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{args:?}: {err}");
    }
}
