//! `guildhall index`, `search` and `eval` as scripts use them.

use std::path::Path;
use std::process::{Command, Output};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn hub() -> (tempfile::TempDir, tempfile::TempDir) {
    let content = tempfile::tempdir().expect("tempdir");
    // A Guildhall hub (kind folders mean kinds only where guildhall.toml says so).
    write(content.path(), "guildhall.toml", "");
    write(
        content.path(),
        "glossary/exponential-backoff.md",
        "---\nterm: Exponential backoff\nplain: \"Waiting longer after each failed attempt.\"\nplain_phrases: [try \
         again later]\ntags: [integration]\n---\nSee [[retry]].\n",
    );
    write(
        content.path(),
        "patterns/retry.md",
        "---\ntitle: Retry\ntags: [integration]\n---\nUse exponential backoff.\n",
    );
    (content, tempfile::tempdir().expect("tempdir"))
}

fn run(content: &Path, data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guildhall"))
        .args(args)
        .arg("--content")
        .arg(content)
        .arg("--data")
        .arg(data)
        .env_remove("GUILDHALL_DATA")
        .output()
        .expect("run guildhall")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn index_reports_what_it_did() {
    let (content, data) = hub();
    let o = run(content.path(), data.path(), &["index"]);
    assert!(o.status.success(), "{o:?}");
    assert!(stdout(&o).contains("2 added, 0 updated, 0 removed"), "{}", stdout(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no index yet"));
    let o = run(content.path(), data.path(), &["index"]);
    assert!(stdout(&o).contains("0 added, 0 updated, 0 removed, 0 repaired, 2 unchanged"), "{}", stdout(&o));
}

#[test]
fn search_json_has_the_documented_shape() {
    let (content, data) = hub();
    let o = run(content.path(), data.path(), &["search", "--json", "--kind", "pattern", "try", "again", "later"]);
    assert!(o.status.success(), "{o:?}");
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("one JSON object");
    for key in ["query", "expanded", "total", "took_us", "hits", "facets"] {
        assert!(v.get(key).is_some(), "{key} in {v}");
    }
    assert_eq!(v["query"], "try again later");
    assert_eq!(v["expanded"][0], "exponential backoff");
    let hit = &v["hits"][0];
    assert_eq!(hit["id"], "retry");
    for key in ["id", "kind", "title", "summary", "path", "score", "snippet"] {
        assert!(hit.get(key).is_some(), "{key} in {hit}");
    }
    assert_eq!(v["facets"]["kind"]["pattern"], 1);
}

#[test]
fn search_queries_file_prints_one_object_per_line() {
    let (content, data) = hub();
    let file = data.path().join("queries.txt");
    std::fs::write(&file, "retry\n\n\"unbalanced\nkind:nonsense ((((\n").expect("write");
    let o = run(content.path(), data.path(), &["search", "--json", "--queries", file.to_str().expect("utf8")]);
    assert!(o.status.success(), "{o:?}");
    let lines: Vec<serde_json::Value> =
        stdout(&o).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["hits"][0]["id"], "retry");
}

#[test]
fn eval_exits_1_when_a_query_misses_its_rank() {
    let (content, data) = hub();
    let good = data.path().join("good.tsv");
    std::fs::write(&good, "query\texpected\tmax_rank\nretry\tretry\t1\ntry again later\texponential-backoff\t2\n")
        .expect("write");
    let o = run(content.path(), data.path(), &["eval", good.to_str().expect("utf8")]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("MRR 1.000"), "{}", stdout(&o));
    let bad = data.path().join("bad.tsv");
    std::fs::write(&bad, "retry\texponential-backoff\t1\n").expect("write");
    let o = run(content.path(), data.path(), &["eval", bad.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("MISS"));
}
