//! Training paths through the core with a real hub folder and a real SQLite file: self-check
//! answers judged from the content, completions, certificates, and paths edited after start.

use std::path::Path;

use guildhall_core::{CertificateFormat, Error, Hub, HubOptions, StepStatus};

const PATH: &str = "---
title: \"Basics <script>alert(1)</script>\"
summary: \"The basics & more\"
steps:
  - ref: one
  - ref: two
    check:
      question: \"Which is right?\"
      options: [\"Left\", \"Right\", \"Up\"]
      answer: \"Right\"
      explain: \"Because it is.\"
  - ref: three
---
";

fn hub_in(dir: &Path) -> Hub {
    Hub::open_with_data(&dir.join("content"), &dir.join("data"), &HubOptions::default()).expect("open hub")
}

fn setup(path_file: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let c = dir.path().join("content");
    std::fs::create_dir_all(c.join("guides")).expect("mkdir");
    std::fs::create_dir_all(c.join("paths")).expect("mkdir");
    std::fs::write(c.join("guildhall.toml"), "name = \"Test <Hub>\"\n").expect("write");
    for id in ["one", "two", "three", "four"] {
        std::fs::write(c.join(format!("guides/{id}.md")), format!("---\ntitle: Guide {id}\n---\nText of {id}.\n"))
            .expect("write");
    }
    std::fs::write(c.join("paths/basics.md"), path_file).expect("write");
    dir
}

#[test]
fn check_answers_are_judged_from_the_content_and_recorded() {
    let dir = setup(PATH);
    let hub = hub_in(dir.path());
    let wrong = hub.answer_check("basics", "two", "Left").expect("answer");
    assert!(!wrong.correct);
    assert_eq!(wrong.answer, "Right");
    assert_eq!(wrong.explain.as_deref(), Some("Because it is."));
    assert_eq!((wrong.state.attempts, wrong.state.correct_on_attempt), (1, None));
    let right = hub.answer_check("basics", "two", "Right").expect("answer");
    assert!(right.correct);
    assert_eq!((right.state.attempts, right.state.correct_on_attempt), (2, Some(2)));
    // An answer that is not an option, a step without a question, or a step not in the path is refused.
    assert!(matches!(hub.answer_check("basics", "two", "right"), Err(Error::Invalid(_))));
    assert!(matches!(hub.answer_check("basics", "one", "Right"), Err(Error::Invalid(_))));
    assert!(matches!(hub.answer_check("basics", "four", "Right"), Err(Error::Invalid(_))));
    assert!(matches!(hub.answer_check("nope", "two", "Right"), Err(Error::UnknownDocument { .. })));
    drop(hub);
    // The attempts are in the SQLite file: a new process sees them in the path's progress.
    let hub = hub_in(dir.path());
    let view = hub.path_progress("basics").expect("progress");
    let state = view.steps[1].check_state.clone().expect("answered");
    assert_eq!((state.attempts, state.correct_on_attempt, state.last_correct), (2, Some(2), true));
    assert_eq!(state.last_answer.as_deref(), Some("Right"));
    assert!(view.steps[0].check_state.is_none());
    assert!(view.card.started, "answering a question starts the path");
}

#[test]
fn finishing_every_step_records_one_completion_and_allows_a_certificate() {
    let dir = setup(PATH);
    let hub = hub_in(dir.path());
    assert!(matches!(hub.certificate("basics"), Err(Error::NotCompleted { .. })));
    hub.set_step_done("basics", "one", true).expect("done");
    hub.set_step_done("basics", "three", true).expect("done");
    let view = hub.path_progress("basics").expect("progress");
    assert!(!view.card.complete && view.card.completed_at.is_none());
    assert!(matches!(hub.certificate_file("basics", CertificateFormat::Html), Err(Error::NotCompleted { .. })));
    let view = hub.set_step_done("basics", "two", true).expect("done");
    assert!(view.card.complete);
    let first = view.card.completed_at.expect("completion recorded");
    // Idempotent: undoing and redoing the last step against the same content adds nothing.
    hub.set_step_done("basics", "two", false).expect("undo");
    let view = hub.set_step_done("basics", "two", true).expect("redo");
    assert_eq!(view.card.completed_at, Some(first));
    let exported = hub.export_personal().expect("export").to_json();
    let data: serde_json::Value = serde_json::from_str(&exported).expect("json");
    assert_eq!(data.to_string().matches(&view.card.content_version).count(), 1, "{exported}");

    let cert = hub.certificate("basics").expect("certificate");
    assert_eq!(cert.completed_at, first);
    assert_eq!(cert.content_version, view.card.content_version);
    assert_eq!(
        cert.steps.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(),
        ["Guide one", "Guide two", "Guide three"]
    );

    let html = hub.certificate_file("basics", CertificateFormat::Html).expect("html");
    assert_eq!(html.filename, "basics-certificate.html");
    assert!(html.media_type.starts_with("text/html"));
    let h = &html.content;
    assert!(h.contains("Basics &lt;script&gt;alert(1)&lt;/script&gt;"), "{h}");
    assert!(h.contains("Test &lt;Hub&gt;") && h.contains("The basics &amp; more"));
    assert!(!h.to_lowercase().contains("<script") && !h.contains("http://") && !h.contains("https://"), "{h}");
    assert!(h.contains("<style>") && h.contains("@media print") && h.contains("<li>Guide two</li>"));
    assert!(h.contains("unsigned"));

    let json = hub.certificate_file("basics", CertificateFormat::Json).expect("json");
    assert_eq!(json.media_type, "application/json");
    let v: serde_json::Value = serde_json::from_str(&json.content).expect("valid JSON");
    assert_eq!(v["@context"][0], "https://www.w3.org/ns/credentials/v2");
    assert!(v["@context"][1].as_str().expect("ob context").starts_with("https://purl.imsglobal.org/spec/ob/v3p0/"));
    assert_eq!(v["type"], serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"]));
    assert_eq!(v["issuer"]["name"], "Test <Hub>");
    assert_eq!(v["validFrom"], first.to_string());
    assert!(v.get("proof").is_none());
    assert!(v["description"].as_str().expect("description").contains("unsigned"));
    let ach = &v["credentialSubject"]["achievement"];
    assert_eq!(ach["name"], "Basics <script>alert(1)</script>");
    assert_eq!(ach["description"], "The basics & more");
    let criteria = ach["criteria"]["narrative"].as_str().expect("criteria");
    assert!(criteria.contains("1. Guide one") && criteria.contains("3. Guide three"), "{criteria}");
}

#[test]
fn a_path_edited_after_start_keeps_progress_on_unchanged_steps() {
    let dir = setup(PATH);
    let hub = hub_in(dir.path());
    hub.set_step_done("basics", "one", true).expect("done");
    hub.set_step_done("basics", "three", true).expect("done");
    let before = hub.path_progress("basics").expect("progress").card.content_version;
    drop(hub);
    // The path gains `four`, loses `one` (done), and `three` moves before `two`.
    let edited = "---\ntitle: Basics\nsteps:\n  - ref: three\n  - ref: four\n  - ref: two\n---\n";
    std::fs::write(dir.path().join("content/paths/basics.md"), edited).expect("edit");
    let hub = hub_in(dir.path());
    let view = hub.path_progress("basics").expect("progress");
    assert_ne!(view.card.content_version, before);
    assert!(view.card.updated_since_start);
    let states: Vec<(&str, bool, bool)> =
        view.steps.iter().map(|s| (s.step.target.as_str(), s.done_at.is_some(), s.is_new)).collect();
    assert_eq!(states, [("three", true, false), ("four", false, true), ("two", false, false)]);
    assert_eq!(view.removed_done_steps, ["one"]);
    let status: Vec<StepStatus> = view.steps.iter().map(|s| s.status).collect();
    assert_eq!(status, [StepStatus::Done, StepStatus::Current, StepStatus::Todo]);
    assert_eq!((view.card.steps_done, view.card.steps_total), (1, 3));
    assert!(hub.paths().expect("paths").iter().any(|c| c.path.id == "basics" && c.updated_since_start));
    // Finishing the edited path records a completion against the new version.
    hub.set_step_done("basics", "four", true).expect("done");
    let view = hub.set_step_done("basics", "two", true).expect("done");
    assert!(view.card.complete);
    assert_eq!(hub.certificate("basics").expect("certificate").content_version, view.card.content_version);
}
