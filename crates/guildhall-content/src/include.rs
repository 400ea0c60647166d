//! mdBook's `{{#include file}}` and `{{#rustdoc_include file}}` directives: which files they
//! name, and the text they stand for.
//!
//! The loader reads the files named (only those the walk found inside the hub); linking
//! reports the ones that are missing or outside the hub; rendering replaces a directive in a
//! piece of text (usually a code block) with the lines it selects. Included text is shown as
//! text, never parsed as Markdown or HTML.

use std::collections::HashMap;

use crate::catalog::normalise_path;

/// One directive in a text: its byte range, the file as written and the selection after `:`.
pub(crate) struct Directive<'t> {
    pub range: std::ops::Range<usize>,
    pub file: &'t str,
    pub selection: &'t str,
}

/// Every include directive in `text`.
pub(crate) fn directives(text: &str) -> Vec<Directive<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("{{#") {
        let start = from + at;
        let Some(close) = text[start..].find("}}").map(|c| start + c) else { break };
        let inner = &text[start + 3..close];
        let rest = inner.strip_prefix("include").or_else(|| inner.strip_prefix("rustdoc_include"));
        if let Some(rest) = rest.filter(|r| r.starts_with(char::is_whitespace)) {
            let arg = rest.trim();
            let (file, selection) = arg.split_once(':').unwrap_or((arg, ""));
            if !file.is_empty() && !file.contains('\n') {
                out.push(Directive { range: start..close + 2, file: file.trim(), selection: selection.trim() });
            }
        }
        from = close + 2;
    }
    out
}

/// Where a directive's file is, relative to the hub folder; `None` when it climbs out.
pub(crate) fn resolve(doc_path: &str, file: &str) -> Option<String> {
    let base = doc_path.rsplit_once('/').map_or("", |(d, _)| d);
    if file.starts_with('/') {
        return None;
    }
    normalise_path(base, file)
}

/// The hub files the directives of a document name (those inside the hub).
pub(crate) fn targets(doc_path: &str, text: &str) -> Vec<String> {
    directives(text).iter().filter_map(|d| resolve(doc_path, d.file)).collect()
}

/// `text` with each directive replaced by the lines it selects, or `None` when it has none.
/// A directive whose file is not available stays as written.
pub(crate) fn expand(doc_path: &str, text: &str, included: &HashMap<String, String>) -> Option<String> {
    let found = directives(text);
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for d in found {
        out.push_str(&text[pos..d.range.start]);
        match resolve(doc_path, d.file).and_then(|t| included.get(&t)) {
            Some(content) => {
                let selected = select(content, d.selection);
                out.push_str(selected.trim_end_matches('\n'));
            }
            None => out.push_str(&text[d.range.clone()]),
        }
        pos = d.range.end;
    }
    out.push_str(&text[pos..]);
    Some(out)
}

/// The lines of `content` a selection names: `2:4` (lines 2 to 4), `2:` (from line 2), `:4`
/// (to line 4), `3` (line 3), or an anchor name (between `ANCHOR: name` and `ANCHOR_END: name`).
/// Lines marking anchors are left out, as mdBook does.
fn select(content: &str, selection: &str) -> String {
    let lines: Vec<&str> = content.lines().collect();
    let is_marker = |l: &str| l.contains("ANCHOR:") || l.contains("ANCHOR_END:");
    let pick: Vec<&str> = if selection.is_empty() {
        lines.clone()
    } else if selection.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        let mut parts = selection.splitn(2, ':');
        let start: Option<usize> = parts.next().and_then(|s| s.parse().ok());
        let end_part = parts.next();
        let (from, to) = match end_part {
            None => (start.unwrap_or(1), start.unwrap_or(lines.len())),
            Some(e) => (start.unwrap_or(1), e.parse().unwrap_or(lines.len())),
        };
        let from = from.max(1);
        let to = to.min(lines.len());
        if from > to { Vec::new() } else { lines[from - 1..to].to_vec() }
    } else {
        let begin = lines.iter().position(|l| l.contains(&format!("ANCHOR: {selection}")));
        let end = lines.iter().position(|l| l.contains(&format!("ANCHOR_END: {selection}")));
        match (begin, end) {
            (Some(b), Some(e)) if b < e => lines[b + 1..e].to_vec(),
            _ => Vec::new(),
        }
    };
    let mut out = String::new();
    for l in pick.into_iter().filter(|l| !is_marker(l)) {
        out.push_str(l);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_are_found_and_resolved_inside_the_hub() {
        let t = "a\n{{#include ../listings/hello.rs}}\n{{#rustdoc_include x.rs:2:4}} {{#title T}}";
        let d = directives(t);
        assert_eq!(d.len(), 2);
        assert_eq!((d[1].file, d[1].selection), ("x.rs", "2:4"));
        assert_eq!(targets("book/ch/a.md", t), ["book/listings/hello.rs", "book/ch/x.rs"]);
        assert_eq!(resolve("a.md", "../../etc/passwd"), None);
        assert_eq!(resolve("a.md", "/etc/passwd"), None);
    }

    #[test]
    fn selections_pick_lines_and_anchors() {
        let c = "one\ntwo\n// ANCHOR: mid\nthree\n// ANCHOR_END: mid\nfour\n";
        assert_eq!(select(c, "2:2"), "two\n");
        assert_eq!(select(c, "5:"), "four\n");
        assert_eq!(select(c, ":2"), "one\ntwo\n");
        assert_eq!(select(c, "mid"), "three\n");
        assert_eq!(select(c, ""), "one\ntwo\nthree\nfour\n");
        let mut inc = HashMap::new();
        inc.insert("l/h.rs".to_string(), c.to_string());
        assert_eq!(expand("a.md", "x {{#include l/h.rs:1}} y", &inc).as_deref(), Some("x one y"));
        assert_eq!(expand("a.md", "{{#include missing.rs}}", &inc).as_deref(), Some("{{#include missing.rs}}"));
    }
}
