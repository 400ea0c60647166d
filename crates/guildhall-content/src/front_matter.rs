//! Front matter: the YAML block between `---` lines at the top of a file.
//!
//! Parsing is two-staged on purpose. YAML is first parsed into a generic mapping, which catches
//! syntax errors, alias bombs and deep nesting in one place. Each known key is then taken out and
//! converted on its own, so one wrong field gives one diagnostic at that field's line and the rest
//! of the document still loads; whatever is left over is kept as `extra`.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_yaml_ng::{Mapping, Value};

use crate::date::Date;
use crate::diag::{Code, Diagnostic};
use crate::model::{
    Audience, CaseStudyFields, Checkpoint, Fit, GuideFields, Kind, KindFields, Meta, Metric, PathFields, PatternFields,
    Risk, Step, TermFields,
};

/// Front matter larger than this is refused before YAML parsing sees it.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// A file cut into its front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The YAML text, without the `---` fences; `None` when the file has no front matter.
    pub yaml: Option<&'a str>,
    /// The 1-based line of the file on which the YAML starts.
    pub yaml_line: u32,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// The 1-based line of the file on which the body starts.
    pub body_line: u32,
    /// An opening fence without a closing one.
    pub unclosed: bool,
}

/// Cuts `text` into front matter and body. Only a `---` on the very first line opens front
/// matter; `---` or `...` alone on a later line closes it.
pub(crate) fn split(text: &str) -> Split<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let no_fm = Split { yaml: None, yaml_line: 1, body: text, body_line: 1, unclosed: false };
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return no_fm;
    }
    let mut offset = first_end;
    let mut line = 2u32;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
        let l = text[offset..end].trim_end();
        if l == "---" || l == "..." {
            return Split {
                yaml: Some(&text[first_end..offset]),
                yaml_line: 2,
                body: &text[end..],
                body_line: line + 1,
                unclosed: false,
            };
        }
        offset = end;
        line += 1;
    }
    Split { unclosed: true, ..no_fm }
}

/// What the front matter says, after conversion.
#[derive(Debug, Clone)]
pub(crate) struct FrontMatter {
    /// False when the YAML itself could not be read: required-field checks are then skipped,
    /// since the one YAML error already says what is wrong.
    pub readable: bool,
    pub id: Option<String>,
    pub kind: Kind,
    pub meta: Meta,
    pub fields: KindFields,
}

/// Converts front matter into the model. `folder_kind` is the kind implied by the file's folder
/// (`None` outside the kind folders). Problems are pushed to `diags`; the result is always a
/// usable (possibly partial) front matter.
pub(crate) fn parse(
    split: &Split<'_>,
    path: &str,
    folder_kind: Option<Kind>,
    diags: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let mut fm = Fields { map: Mapping::new(), key_lines: HashMap::new(), path, open_line: 1, readable: true, diags };
    if split.unclosed {
        fm.diags.push(
            Diagnostic::error(Code::Yaml, path, "front matter opened with `---` is never closed")
                .at(1, 1)
                .with_hint("end the front matter with a line holding only `---`"),
        );
    }
    if let Some(yaml) = split.yaml {
        fm.load(yaml, split.yaml_line);
    }
    fm.convert(folder_kind)
}

struct Fields<'a> {
    map: Mapping,
    key_lines: HashMap<String, u32>,
    path: &'a str,
    open_line: u32,
    readable: bool,
    diags: &'a mut Vec<Diagnostic>,
}

impl Fields<'_> {
    fn load(&mut self, yaml: &str, yaml_line: u32) {
        let before = self.diags.len();
        self.load_inner(yaml, yaml_line);
        self.readable = self.diags.len() == before;
    }

    fn load_inner(&mut self, yaml: &str, yaml_line: u32) {
        if yaml.len() > MAX_FRONT_MATTER_BYTES {
            self.diags.push(
                Diagnostic::error(
                    Code::TooLarge,
                    self.path,
                    format!(
                        "front matter is {} KiB; the limit is {} KiB",
                        yaml.len() / 1024,
                        MAX_FRONT_MATTER_BYTES / 1024
                    ),
                )
                .at(self.open_line, 1)
                .with_hint("move long text into the Markdown body"),
            );
            return;
        }
        if yaml.trim().is_empty() {
            return;
        }
        match serde_yaml_ng::from_str::<Value>(yaml) {
            Ok(Value::Mapping(map)) => {
                self.map = map;
                self.key_lines = key_lines(yaml, yaml_line);
            }
            Ok(Value::Null) => {}
            Ok(other) => self.diags.push(
                Diagnostic::error(
                    Code::Yaml,
                    self.path,
                    format!("front matter must be a mapping of `key: value` lines, not {}", value_kind(&other)),
                )
                .at(yaml_line, 1),
            ),
            Err(e) => {
                let (line, col) = e
                    .location()
                    .map_or((yaml_line, 1), |l| (yaml_line + l.line().saturating_sub(1) as u32, l.column() as u32));
                let msg = e.to_string();
                // The location is already in `line:col`; keep the message itself short.
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                self.diags.push(
                    Diagnostic::error(Code::Yaml, self.path, format!("front matter is not valid YAML: {msg}"))
                        .at(line, col.max(1))
                        .with_hint("quote values that contain `:` or start with a special character"),
                );
            }
        }
    }

    fn line_of(&self, key: &str) -> u32 {
        self.key_lines.get(key).copied().unwrap_or(self.open_line)
    }

    fn error(&mut self, code: Code, key: &str, message: String, hint: Option<&str>) {
        let line = self.line_of(key);
        let mut d = Diagnostic::error(code, self.path, message).at(line, 1);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.diags.push(d);
    }

    fn take_value(&mut self, key: &str) -> Option<Value> {
        match self.map.remove(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// A typed value. Type errors name the exact place (`metrics[1].before`).
    fn take<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        let value = self.take_value(key)?;
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(v) => Some(v),
            Err(e) => {
                let at = e.path().to_string();
                let place = match at.as_str() {
                    "." => format!("`{key}`"),
                    a if a.starts_with('[') => format!("`{key}{a}`"),
                    a => format!("`{key}.{a}`"),
                };
                let inner = e.into_inner().to_string();
                let code = if inner.starts_with("unknown variant") || inner.starts_with("unknown field") {
                    Code::InvalidValue
                } else {
                    Code::WrongType
                };
                self.error(code, key, format!("{place}: {inner}"), None);
                None
            }
        }
    }

    /// A text: strings as they are, numbers and booleans written out (`title: 2024`).
    fn take_text(&mut self, key: &str) -> Option<String> {
        match self.take_value(key)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => {
                let msg = format!("`{key}` must be a text, not {}", value_kind(&other));
                self.error(Code::WrongType, key, msg, None);
                None
            }
        }
    }

    /// A list, where a single value stands for a list of one (`tags: security`).
    fn take_list<T: DeserializeOwned>(&mut self, key: &str) -> Vec<T> {
        match self.map.get(key) {
            Some(Value::Sequence(_)) | None | Some(Value::Null) => {}
            Some(_) => {
                if let Some(v) = self.map.remove(key) {
                    self.map.insert(Value::String(key.to_string()), Value::Sequence(vec![v]));
                }
            }
        }
        self.take::<Vec<T>>(key).unwrap_or_default()
    }

    fn take_texts(&mut self, key: &str) -> Vec<String> {
        let values: Vec<Value> = self.take_list(key);
        let mut out = Vec::with_capacity(values.len());
        for v in values {
            match v {
                Value::String(s) => out.push(s),
                Value::Number(n) => out.push(n.to_string()),
                Value::Bool(b) => out.push(b.to_string()),
                Value::Null => {}
                other => {
                    let msg = format!("`{key}` must be a list of texts; found {}", value_kind(&other));
                    self.error(Code::WrongType, key, msg, None);
                }
            }
        }
        out
    }

    fn take_date(&mut self, key: &str) -> Option<Date> {
        let text = self.take_text(key)?;
        match text.parse() {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(Code::WrongType, key, format!("`{key}`: {e}"), Some("write dates as YYYY-MM-DD"));
                None
            }
        }
    }

    fn require(&mut self, kind: Kind, key: &str, value: Option<String>, hint: &str) -> String {
        match value {
            Some(v) if !v.trim().is_empty() => v,
            _ if !self.readable => String::new(),
            _ => {
                let msg = format!("a {kind} needs `{key}`");
                self.diags
                    .push(Diagnostic::error(Code::MissingField, self.path, msg).at(self.open_line, 1).with_hint(hint));
                String::new()
            }
        }
    }

    fn convert(mut self, folder_kind: Option<Kind>) -> FrontMatter {
        let id = self.take_text("id");
        let kind = match self.take_text("kind") {
            None => folder_kind.unwrap_or(Kind::Guide),
            Some(k) => match k.parse::<Kind>() {
                Ok(kind) => kind,
                Err(()) => {
                    let msg = format!("`kind: {k}` is not a kind Guildhall knows");
                    self.error(Code::InvalidValue, "kind", msg, Some("use term, pattern, case-study, path or guide"));
                    folder_kind.unwrap_or(Kind::Guide)
                }
            },
        };
        let mut meta = Meta {
            title: self.take_text("title"),
            summary: self.take_text("summary"),
            tags: self.take_texts("tags"),
            audience: Vec::new(),
            owner: self.take_text("owner"),
            updated: self.take_date("updated"),
            review_by: self.take_date("review_by"),
            lang: self.take_text("lang"),
            extra: Default::default(),
        };
        if self.map.contains_key("audience") {
            let valid = Audience::ALL.map(Audience::as_str).join(", ");
            let before = self.diags.len();
            meta.audience = self.take_list("audience");
            if let Some(d) = self.diags.get_mut(before..).and_then(|d| d.first_mut()) {
                d.hint = Some(format!("audiences are: {valid}"));
            }
        }
        let fields = match kind {
            Kind::Term => {
                let term = self.take_text("term");
                let term = self.require(
                    Kind::Term,
                    "term",
                    term,
                    "name the term as engineers write it: `term: Exponential backoff`",
                );
                let plain = self.take_text("plain");
                let plain = self.require(
                    Kind::Term,
                    "plain",
                    plain,
                    "explain the term in one plain-language sentence: `plain: ...`",
                );
                KindFields::Term(TermFields {
                    term,
                    aliases: self.take_texts("aliases"),
                    plain,
                    plain_phrases: self.take_texts("plain_phrases"),
                    technical: self.take_text("technical"),
                })
            }
            Kind::Pattern => KindFields::Pattern(PatternFields {
                category: self.take_text("category"),
                risk: self.take::<Risk>("risk"),
                fit: self.take::<Fit>("fit"),
                related: self.take_texts("related"),
            }),
            Kind::CaseStudy => {
                let metrics: Vec<Metric> = self.take_list("metrics");
                for m in &metrics {
                    if !m.before.is_finite() || !m.after.is_finite() {
                        let msg = format!("metric `{}` needs finite numbers for `before` and `after`", m.name);
                        self.error(Code::WrongType, "metrics", msg, None);
                    }
                }
                KindFields::CaseStudy(CaseStudyFields {
                    authors: self.take_texts("authors"),
                    mentor: self.take_text("mentor"),
                    department: self.take_text("department"),
                    date: self.take_date("date"),
                    patterns: self.take_texts("patterns"),
                    metrics,
                })
            }
            Kind::Path => {
                let steps: Vec<Step> = self.take_list("steps");
                for (i, step) in steps.iter().enumerate() {
                    if let Some(check) = &step.check {
                        self.check_checkpoint(i, check);
                    }
                }
                KindFields::Path(PathFields { prerequisites: self.take_texts("prerequisites"), steps })
            }
            Kind::Guide => KindFields::Guide(GuideFields { category: self.take_text("category") }),
        };
        // Anything left is kept as written. Keys that are not text (`1: x`) are written out.
        for (k, v) in std::mem::take(&mut self.map) {
            let key = match k {
                Value::String(s) => s,
                other => serde_yaml_ng::to_string(&other).unwrap_or_default().trim().to_string(),
            };
            let json = serde_json::to_value(&v).unwrap_or(serde_json::Value::Null);
            meta.extra.insert(key, json);
        }
        FrontMatter { readable: self.readable, id, kind, meta, fields }
    }

    fn check_checkpoint(&mut self, step: usize, check: &Checkpoint) {
        let hint = Some("the answer must be written exactly as one of the options");
        if check.options.len() < 2 {
            let msg = format!("`steps[{step}].check` needs at least two options");
            self.error(Code::Checkpoint, "steps", msg, hint);
        } else if !check.options.contains(&check.answer) {
            let msg = format!("`steps[{step}].check`: the answer `{}` is not one of the options", check.answer);
            self.error(Code::Checkpoint, "steps", msg, hint);
        }
    }
}

/// The line of every top-level key, found by scanning for `key:` at the start of a line.
fn key_lines(yaml: &str, first_line: u32) -> HashMap<String, u32> {
    let mut out = HashMap::new();
    for (i, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '-', '#']) {
            continue;
        }
        if let Some(colon) = line.find(':') {
            let key = line[..colon].trim().trim_matches(['"', '\'']);
            if !key.is_empty() {
                out.entry(key.to_string()).or_insert(first_line + i as u32);
            }
        }
    }
    out
}

fn value_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\ntitle: A\n---\nBody\n");
        assert_eq!(s.yaml, Some("title: A\n"));
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 4);
        assert!(!s.unclosed);
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("# Title\n---\n");
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "# Title\n---\n");
    }

    #[test]
    fn unclosed_front_matter_is_reported_and_kept_as_body() {
        let s = split("---\ntitle: A\nno end");
        assert!(s.unclosed);
        assert_eq!(s.yaml, None);
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let s = split("\u{feff}---\r\ntitle: A\r\n---\r\nBody");
        assert_eq!(s.yaml, Some("title: A\r\n"));
        assert_eq!(s.body, "Body");
    }

    fn parse_str(text: &str, kind: Option<Kind>) -> (FrontMatter, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let s = split(text);
        let fm = parse(&s, "x.md", kind, &mut d);
        assert!(fm.readable || !d.is_empty());
        (fm, d)
    }

    #[test]
    fn wrong_metric_type_names_the_field_and_line() {
        let (fm, d) = parse_str(
            "---\ntitle: T\nmetrics:\n  - {name: a, before: 1, after: 2, better: lower}\n  - {name: b, before: fast, after: 2, better: lower}\n---\n",
            Some(Kind::CaseStudy),
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::WrongType);
        assert_eq!(d[0].line, 3);
        assert!(d[0].message.contains("metrics[1].before"), "{}", d[0].message);
        assert_eq!(fm.meta.title.as_deref(), Some("T"));
    }

    #[test]
    fn unknown_keys_are_kept() {
        let (fm, d) = parse_str("---\ntitle: T\nfavourite_colour: teal\n---\n", None);
        assert!(d.is_empty());
        assert_eq!(fm.meta.extra.get("favourite_colour"), Some(&serde_json::json!("teal")));
    }

    #[test]
    fn single_values_count_as_lists() {
        let (fm, d) = parse_str("---\ntitle: T\ntags: security\naudience: mentor\n---\n", None);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.meta.tags, ["security"]);
        assert_eq!(fm.meta.audience, [Audience::Mentor]);
    }

    #[test]
    fn invalid_enum_value_is_reported_with_choices() {
        let (_, d) = parse_str("---\ntitle: T\nrisk: extreme\n---\n", Some(Kind::Pattern));
        assert_eq!(d[0].code, Code::InvalidValue);
        assert!(d[0].message.contains("expected one of"), "{}", d[0].message);
        assert_eq!(d[0].line, 3);
    }

    #[test]
    fn missing_required_term_fields() {
        let (_, d) = parse_str("---\nterm: API\n---\n", Some(Kind::Term));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::MissingField);
        assert!(d[0].message.contains("plain"));
    }

    #[test]
    fn checkpoint_answer_must_be_an_option() {
        let (_, d) = parse_str(
            "---\ntitle: P\nsteps:\n  - ref: a\n    check: {question: q, options: [x, y], answer: z}\n---\n",
            Some(Kind::Path),
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::Checkpoint);
    }

    #[test]
    fn yaml_syntax_error_has_a_file_line() {
        let (_, d) = parse_str("---\ntitle: T\nsummary: [unclosed\n---\n", None);
        assert_eq!(d[0].code, Code::Yaml);
        assert!(d[0].line >= 3, "{d:?}");
    }
}
