//! `{{hub.*}}` settings: organisation-specific values (the hub's name, office hours, thresholds,
//! contacts) written once in the `[hub]` table of `guildhall.toml` and referenced from pages as
//! `{{hub.name}}` or `{{hub.contacts.coe}}`, so an organisation adopting a hub edits one file,
//! not forty pages.
//!
//! The substitution is deliberately small:
//! - it applies only in hubs that have a `guildhall.toml`, and only to `{{hub.…}}`: mdBook's
//!   `{{#include}}`, Jekyll's `{{ page.title }}` and any other braces are left exactly as written;
//! - it applies in the Markdown body, before the body is parsed, so search, outlines and the
//!   rendered page all see the same text. Values are escaped for where they land: Markdown
//!   punctuation is backslash-escaped in prose (a value is always shown as text, never read as
//!   markup or HTML), and entity-escaped inside raw HTML;
//! - code spans and code blocks are left as written, so a page can show the syntax itself;
//! - front matter is data, not prose, and is never substituted: a placeholder there is reported;
//! - an unknown key is an error (`hub-setting`) naming the file, line and column, and the
//!   placeholder is left in place for the author to see.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use crate::diag::{Code, Diagnostic, LineIndex};
use crate::document::{Limits, parse_document};
use crate::model::Document;

/// The settings of a hub's `[hub]` table, flattened to dotted keys (`contacts.coe`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HubSettings {
    values: BTreeMap<String, String>,
}

impl HubSettings {
    /// Reads the `[hub]` table of an already parsed `guildhall.toml`. `text` is the file, to
    /// point a diagnostic at the line of a value that cannot be used (a list, or several lines).
    pub fn from_table(hub: Option<&toml::Value>, text: &str) -> (HubSettings, Vec<Diagnostic>) {
        let mut settings = HubSettings::default();
        let mut diags = Vec::new();
        match hub {
            None => {}
            Some(toml::Value::Table(t)) => settings.flatten("", t, text, &mut diags),
            Some(_) => diags.push(
                Diagnostic::error(Code::HubSetting, crate::config::CONFIG_FILE, "`hub` must be a table: [hub]")
                    .at(line_of(text, "hub"), 1)
                    .with_hint("write the settings under a `[hub]` heading, one `key = \"value\"` a line"),
            ),
        }
        (settings, diags)
    }

    fn flatten(&mut self, prefix: &str, table: &toml::Table, text: &str, diags: &mut Vec<Diagnostic>) {
        for (k, v) in table {
            let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            let value = match v {
                toml::Value::Table(t) => {
                    self.flatten(&key, t, text, diags);
                    continue;
                }
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                toml::Value::Datetime(d) => d.to_string(),
                toml::Value::Array(_) => {
                    diags.push(
                        Diagnostic::error(
                            Code::HubSetting,
                            crate::config::CONFIG_FILE,
                            format!("`hub.{key}` is a list; a setting shown in pages must be one value"),
                        )
                        .at(line_of(text, k), 1)
                        .with_hint("write the list as one text value, for example \"Tuesdays and Thursdays\""),
                    );
                    continue;
                }
            };
            if value.contains(['\n', '\r']) {
                diags.push(
                    Diagnostic::error(
                        Code::HubSetting,
                        crate::config::CONFIG_FILE,
                        format!("`hub.{key}` spans several lines; a setting shown in pages must be one line"),
                    )
                    .at(line_of(text, k), 1)
                    .with_hint("put longer text in a page and link to it"),
                );
                continue;
            }
            self.values.insert(key, value);
        }
    }

    /// Adds `key = value` unless the `[hub]` table sets `key` itself: the hub's top-level `name`
    /// is also `{{hub.name}}`.
    pub fn with_default(mut self, key: &str, value: Option<&str>) -> HubSettings {
        if let Some(v) = value.filter(|v| !v.contains(['\n', '\r'])) {
            self.values.entry(key.to_string()).or_insert_with(|| v.to_string());
        }
        self
    }

    /// `text` with every `{{hub.key}}` replaced by its value, unescaped: for callers that need
    /// the plain value of a sentence (tests, plain-text exports). Unknown keys stay as written.
    pub fn expand_plain(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for p in placeholders(text) {
            if let Some(v) = self.get(&p.key) {
                out.push_str(&text[last..p.range.start]);
                out.push_str(v);
                last = p.range.end;
            }
        }
        out.push_str(&text[last..]);
        out
    }

    /// The value of `key` (without the `hub.` prefix).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// Every key, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// `text` with every `{{hub.*}}` in its Markdown body replaced by its escaped value, and a
    /// diagnostic for every unknown key and for every placeholder in the front matter. `None`
    /// when nothing changes.
    pub fn apply(&self, path: &str, text: &str) -> (Option<String>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        if !text.contains("{{") {
            return (None, diags);
        }
        let found = placeholders(text);
        if found.is_empty() {
            return (None, diags);
        }
        let body_start = body_offset(text);
        let code_or_html = contexts(&text[body_start..], body_start);
        let lines = LineIndex::new(text);
        let mut out = String::with_capacity(text.len() + 64);
        let mut last = 0;
        for p in found {
            let (line, col) = lines.line_col(text, p.range.start);
            if p.range.start < body_start {
                diags.push(
                    Diagnostic::error(
                        Code::HubSetting,
                        path,
                        format!("`{{{{hub.{}}}}}` is in the front matter, where settings are not filled in", p.key),
                    )
                    .at(line, col)
                    .with_hint("use the setting in the page body, or write the value itself in the front matter"),
                );
                continue;
            }
            let context = code_or_html.iter().find(|(r, _)| r.contains(&p.range.start)).map(|(_, c)| *c);
            if context == Some(Context::Code) {
                continue;
            }
            let Some(value) = self.get(&p.key) else {
                diags.push(
                    Diagnostic::error(Code::HubSetting, path, format!("unknown hub setting `hub.{}`", p.key))
                        .at(line, col)
                        .with_hint(self.hint_for(&p.key)),
                );
                continue;
            };
            out.push_str(&text[last..p.range.start]);
            match context {
                Some(Context::Html) => escape_html(value, &mut out),
                _ => escape_markdown(value, &mut out),
            }
            last = p.range.end;
        }
        if last == 0 {
            return (None, diags);
        }
        out.push_str(&text[last..]);
        (Some(out), diags)
    }

    fn hint_for(&self, key: &str) -> String {
        let close: Vec<&str> =
            self.keys().filter(|k| k.split('.').next_back() == key.split('.').next_back() || similar(k, key)).collect();
        if let Some(k) = close.first() {
            format!("did you mean `hub.{k}`? Settings are defined in the [hub] table of guildhall.toml")
        } else {
            format!("add `{key} = \"...\"` to the [hub] table of guildhall.toml")
        }
    }
}

/// Parses one file with the hub's settings applied: what the catalog does for every file of a
/// hub that has a `guildhall.toml` (with `settings` `None` for a hub without one).
pub(crate) fn parse_with(
    settings: Option<&HubSettings>,
    path: &str,
    bytes: &[u8],
    limits: &Limits,
) -> (Option<Document>, Vec<Diagnostic>) {
    let applied = settings.zip(std::str::from_utf8(bytes).ok()).map(|(s, text)| s.apply(path, text));
    match applied {
        Some((text, mut diags)) => {
            let (doc, d) = parse_document(path, text.as_deref().map_or(bytes, str::as_bytes), limits);
            diags.extend(d);
            (doc, diags)
        }
        None => parse_document(path, bytes, limits),
    }
}

struct Placeholder {
    range: Range<usize>,
    key: String,
}

/// Every `{{hub.key}}` (spaces allowed inside the braces), in order.
fn placeholders(text: &str) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("{{") {
        let start = from + i;
        from = start + 2;
        let inner_start = start + 2;
        let Some(close) = text[inner_start..].find("}}") else { break };
        let inner = &text[inner_start..inner_start + close];
        if inner.len() > 200 || inner.contains('\n') {
            continue;
        }
        let Some(key) = inner.trim().strip_prefix("hub.") else { continue };
        let valid = !key.is_empty()
            && key.split('.').all(|part| {
                !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
        if valid {
            let end = inner_start + close + 2;
            out.push(Placeholder { range: start..end, key: key.to_string() });
            from = end;
        }
    }
    out
}

/// The byte offset where the Markdown body starts: after a closed `---` front matter block.
fn body_offset(text: &str) -> usize {
    let rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - rest.len();
    let Some(after) = rest.strip_prefix("---\n").or_else(|| rest.strip_prefix("---\r\n")) else { return 0 };
    let mut offset = bom + (rest.len() - after.len());
    for line in after.split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return offset;
        }
    }
    0 // unclosed: the whole file is the body, as the parser reads it
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Code,
    Html,
}

/// Ranges of the body (as offsets in the whole file) that are code or raw HTML.
fn contexts(body: &str, base: usize) -> Vec<(Range<usize>, Context)> {
    let mut out = Vec::new();
    for (event, r) in Parser::new_ext(body, crate::scan::parser_options()).into_offset_iter() {
        let context = match event {
            Event::Code(_) => Context::Code,
            Event::Start(Tag::CodeBlock(_)) => Context::Code,
            Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::HtmlBlock) => Context::Html,
            _ => continue,
        };
        out.push((base + r.start..base + r.end, context));
    }
    out
}

/// Backslash-escapes every ASCII punctuation character, so the value reads as plain text.
fn escape_markdown(value: &str, out: &mut String) {
    for c in value.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
}

fn escape_html(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Whether two keys are at most two edits apart (a typing mistake).
fn similar(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()] <= 2
}

fn line_of(text: &str, key: &str) -> u32 {
    text.lines()
        .position(|l| l.trim_start().starts_with(key) || l.trim() == format!("[{key}]"))
        .map_or(1, |i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(toml_text: &str) -> HubSettings {
        let table: toml::Table = toml::from_str(toml_text).expect("toml");
        let (s, d) = HubSettings::from_table(table.get("hub"), toml_text);
        assert!(d.is_empty(), "{d:?}");
        s
    }

    const HUB: &str = "[hub]\nname = \"Acme Hub\"\nthreshold = 20\n[hub.contacts]\ncoe = \"coe@acme.example\"\n";

    #[test]
    fn flattens_nested_tables_and_numbers() {
        let s = settings(HUB);
        assert_eq!(s.get("name"), Some("Acme Hub"));
        assert_eq!(s.get("threshold"), Some("20"));
        assert_eq!(s.get("contacts.coe"), Some("coe@acme.example"));
        assert_eq!(s.keys().collect::<Vec<_>>(), ["contacts.coe", "name", "threshold"]);
    }

    #[test]
    fn substitutes_in_the_body_only_and_leaves_other_braces_alone() {
        let s = settings(HUB);
        let text = "---\ntitle: T\n---\nWelcome to {{hub.name}}. Up to {{ hub.threshold }} people.\n\
                    {{#include other.md}} and {{ page.title }} stay.\n";
        let (out, d) = s.apply("guides/t.md", text);
        assert!(d.is_empty(), "{d:?}");
        let out = out.expect("changed");
        assert!(out.contains("Welcome to Acme Hub. Up to 20 people."), "{out}");
        assert!(out.contains("{{#include other.md}} and {{ page.title }} stay."));
        assert!(out.starts_with("---\ntitle: T\n---\n"));
    }

    #[test]
    fn unknown_key_names_file_line_and_column() {
        let s = settings(HUB);
        let (out, d) = s.apply("guides/t.md", "---\ntitle: T\n---\nline\nAsk {{hub.nmae}} now.\n");
        assert!(out.is_none());
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].code, d[0].path.as_str(), d[0].line, d[0].col), (Code::HubSetting, "guides/t.md", 5, 5));
        assert!(d[0].message.contains("hub.nmae"));
        assert!(d[0].hint.as_deref().unwrap_or_default().contains("hub.name"), "{:?}", d[0].hint);
    }

    #[test]
    fn front_matter_placeholders_are_reported_not_filled_in() {
        let s = settings(HUB);
        let (out, d) = s.apply("guides/t.md", "---\ntitle: \"{{hub.name}}\"\n---\nBody\n");
        assert!(out.is_none());
        assert_eq!((d[0].code, d[0].line), (Code::HubSetting, 2));
    }

    #[test]
    fn code_is_left_as_written_so_pages_can_show_the_syntax() {
        let s = settings(HUB);
        let text = "Write `{{hub.name}}` or `{{hub.unknown}}`.\n\n```\n{{hub.name}}\n```\n\nIn {{hub.name}}.\n";
        let (out, d) = s.apply("a.md", text);
        assert!(d.is_empty(), "{d:?}");
        let out = out.expect("changed");
        assert!(out.starts_with("Write `{{hub.name}}` or `{{hub.unknown}}`.\n\n```\n{{hub.name}}\n```"), "{out}");
        assert!(out.ends_with("In Acme Hub.\n"));
    }

    #[test]
    fn values_are_escaped_for_markdown_and_html() {
        let s = settings("[hub]\nname = \"<b>Bold</b> & *co* [x](javascript:y)\"\n");
        let (out, _) = s.apply("a.md", "Hi {{hub.name}}\n\n<div title=\"{{hub.name}}\">x</div>\n");
        let out = out.expect("changed");
        assert!(out.contains(r"Hi \<b\>Bold\<\/b\> \& \*co\* \[x\]\(javascript\:y\)"), "{out}");
        assert!(out.contains("<div title=\"&lt;b&gt;Bold&lt;/b&gt; &amp; *co* [x](javascript:y)\">"), "{out}");
    }

    #[test]
    fn lists_and_multi_line_values_are_reported() {
        let text = "[hub]\ndays = [\"Tue\", \"Thu\"]\nnote = \"\"\"\na\nb\"\"\"\n";
        let table: toml::Table = toml::from_str(text).expect("toml");
        let (s, d) = HubSettings::from_table(table.get("hub"), text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].line, 2);
        assert!(s.get("days").is_none() && s.get("note").is_none());
    }

    #[test]
    fn the_top_level_name_is_hub_name_unless_the_table_sets_it() {
        let s = settings(HUB).with_default("name", Some("Other"));
        assert_eq!(s.get("name"), Some("Acme Hub"));
        let s = HubSettings::default().with_default("name", Some("Top"));
        assert_eq!(s.get("name"), Some("Top"));
        assert_eq!(s.expand_plain("In {{hub.name}} ({{hub.nope}})."), "In Top ({{hub.nope}}).");
    }

    #[test]
    fn text_without_placeholders_is_untouched() {
        let s = settings(HUB);
        assert!(s.apply("a.md", "plain {{ page.title }} {{hub.}} {{hub.a b}}").0.is_none());
        assert!(s.apply("a.md", "no braces").0.is_none());
    }
}
