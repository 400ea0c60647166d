//! Parsing one file into a [`Document`]: pure, from bytes already read.

use crate::diag::{Code, Diagnostic, LineIndex};
use crate::front_matter;
use crate::model::{Document, Kind, fnv1a64};
use crate::scan;

/// Size and shape limits that keep hostile files from hanging or crashing the loader.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Limits {
    /// Files larger than this are not loaded (default 2 MiB).
    pub max_file_bytes: u64,
    /// A single line longer than this makes the file refused (default 512 KiB).
    pub max_line_bytes: usize,
    /// Markdown nested deeper than this is not rendered (default 100 levels).
    pub max_nesting: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_file_bytes: 2 * 1024 * 1024, max_line_bytes: 512 * 1024, max_nesting: 100 }
    }
}

/// Parses the file at `path` (relative to the hub folder, `/`-separated) from its bytes.
///
/// Returns the document, unless the file cannot be read as a document at all (not UTF-8, NUL
/// bytes, over a size limit), and every problem found. A document with problems in its front
/// matter is still returned, with the fields that could be read, so links to it keep working.
pub fn parse_document(path: &str, bytes: &[u8], limits: &Limits) -> (Option<Document>, Vec<Diagnostic>) {
    parse_document_in(path, bytes, limits, true)
}

/// [`parse_document`], saying whether the hub is a Guildhall hub (it has a `guildhall.toml`),
/// where the top-level `glossary/`, `patterns/`, `case-studies/`, `paths/` and `guides/`
/// folders give documents their kind and stem ids. In any other folder (an Obsidian vault, an
/// MkDocs `docs/` folder) they are ordinary folders.
pub fn parse_document_in(
    path: &str,
    bytes: &[u8],
    limits: &Limits,
    kind_folders: bool,
) -> (Option<Document>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if bytes.len() as u64 > limits.max_file_bytes {
        diags.push(too_large(path, bytes.len() as u64, limits.max_file_bytes));
        return (None, diags);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, col) = LineIndex::new(valid).line_col(valid, valid.len());
            diags.push(
                Diagnostic::error(Code::InvalidUtf8, path, "the file is not valid UTF-8")
                    .at(line, col)
                    .with_hint("save the file as UTF-8"),
            );
            return (None, diags);
        }
    };
    if let Some(nul) = text.find('\0') {
        let (line, col) = LineIndex::new(text).line_col(text, nul);
        diags.push(
            Diagnostic::error(Code::NulByte, path, "the file contains a NUL byte; it looks like a binary file")
                .at(line, col)
                .with_hint("remove the NUL bytes, or give the file another extension than .md"),
        );
        return (None, diags);
    }
    if let Some((n, len)) = longest_line(text).filter(|&(_, len)| len > limits.max_line_bytes) {
        diags.push(
            Diagnostic::error(
                Code::TooLarge,
                path,
                format!("line {n} is {} KiB long; the limit is {} KiB", len / 1024, limits.max_line_bytes / 1024),
            )
            .at(n, 1)
            .with_hint("break the line up; Markdown paragraphs can span many lines"),
        );
        return (None, diags);
    }

    let folder_kind = path.split('/').next().and_then(Kind::from_folder).filter(|_| kind_folders && path.contains('/'));
    let split = front_matter::split(text);
    let fm = front_matter::parse(&split, path, folder_kind, &mut diags);
    let body = if split.unclosed { text } else { split.body };
    let outline = scan::scan(body, split.body_line);
    if outline.max_depth > limits.max_nesting {
        diags.push(
            Diagnostic::error(
                Code::TooDeep,
                path,
                format!(
                    "the Markdown is nested {} levels deep; the limit is {}, so it will not be rendered",
                    outline.max_depth, limits.max_nesting
                ),
            )
            .at(split.body_line, 1)
            .with_hint("flatten deeply nested lists or quotes"),
        );
    }

    let path_derived = fm.id.is_none() && folder_kind.is_none();
    let id = document_id(path, folder_kind, fm.id.as_deref(), &mut diags);
    let stem = file_stem(path);
    let title = fm
        .meta
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| fm.fields_term().map(str::to_string))
        .or_else(|| outline.first_h1.clone())
        .or_else(|| outline.first_heading.clone())
        .unwrap_or_else(|| stem.to_string());
    let title_required = match fm.kind {
        Kind::Pattern | Kind::CaseStudy | Kind::Path => true,
        Kind::Guide => folder_kind == Some(Kind::Guide),
        Kind::Term => false,
    };
    if title_required && fm.readable && !split.unclosed && fm.meta.title.as_deref().is_none_or(|t| t.trim().is_empty())
    {
        diags.push(
            Diagnostic::error(Code::MissingField, path, format!("a {} needs `title`", fm.kind))
                .at(1, 1)
                .with_hint("add `title: ...` to the front matter"),
        );
    }
    let doc = Document {
        id,
        path: path.to_string(),
        title,
        meta: fm.meta,
        fields: fm.fields,
        body: body.to_string(),
        body_line: split.body_line,
        content_hash: fnv1a64(bytes),
        outline,
        front_matter: split.yaml.unwrap_or_default().to_string(),
        path_derived,
    };
    (Some(doc), diags)
}

impl front_matter::FrontMatter {
    fn fields_term(&self) -> Option<&str> {
        match &self.fields {
            crate::model::KindFields::Term(t) if !t.term.is_empty() => Some(&t.term),
            _ => None,
        }
    }
}

pub(crate) fn too_large(path: &str, len: u64, max: u64) -> Diagnostic {
    Diagnostic::error(
        Code::TooLarge,
        path,
        format!("the file is {:.1} MiB; the limit is {:.1} MiB", len as f64 / 1048576.0, max as f64 / 1048576.0),
    )
    .with_hint("split it into several documents")
}

fn longest_line(text: &str) -> Option<(u32, usize)> {
    text.split('\n').enumerate().map(|(i, l)| (i as u32 + 1, l.len())).max_by_key(|&(_, len)| len)
}

fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// Whether `id` is lowercase kebab-case segments joined by `/`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('/').all(|seg| {
            !seg.is_empty()
                && seg
                    .split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        })
}

/// Lowercase kebab-case form of a name: `My Note` → `my-note`.
pub fn slugify_id(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == '/' {
            while out.ends_with('-') {
                out.pop();
            }
            out.push('/');
        } else if !out.is_empty() && !out.ends_with(['-', '/']) {
            out.push('-');
        }
    }
    while out.ends_with(['-', '/']) {
        out.pop();
    }
    out
}

/// The id of other Markdown files: the path without extension, lowercased, spaces as `-`.
pub(crate) fn path_id(path: &str) -> String {
    let without_ext = path.rsplit_once('.').filter(|(_, ext)| !ext.contains('/')).map_or(path, |(p, _)| p);
    let mut out = String::with_capacity(without_ext.len());
    let mut space = false;
    for c in without_ext.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() && !out.ends_with('/') {
            out.push('-');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

fn document_id(path: &str, folder_kind: Option<Kind>, explicit: Option<&str>, diags: &mut Vec<Diagnostic>) -> String {
    if let Some(id) = explicit {
        if is_valid_id(id) {
            return id.to_string();
        }
        let suggestion = slugify_id(id);
        diags.push(
            Diagnostic::error(Code::InvalidId, path, format!("`id: {id}` is not lowercase kebab-case"))
                .at(1, 1)
                .with_hint(format!("use `id: {suggestion}`")),
        );
        return if suggestion.is_empty() { path_id(path) } else { suggestion };
    }
    if folder_kind.is_none() {
        return path_id(path);
    }
    let stem = file_stem(path);
    if is_valid_id(stem) {
        return stem.to_string();
    }
    let suggestion = slugify_id(stem);
    diags.push(
        Diagnostic::error(Code::InvalidId, path, format!("the file name `{stem}` is not a valid id"))
            .with_hint(format!("ids are lowercase kebab-case: rename the file to `{suggestion}.md`")),
    );
    if suggestion.is_empty() { path_id(path) } else { suggestion }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(path: &str, text: &str) -> (Option<Document>, Vec<Diagnostic>) {
        parse_document(path, text.as_bytes(), &Limits::default())
    }

    #[test]
    fn ids_come_from_stems_in_kind_folders_and_paths_elsewhere() {
        assert_eq!(parse("patterns/retry.md", "---\ntitle: R\n---\n").0.map(|d| d.id).as_deref(), Some("retry"));
        assert_eq!(
            parse("setup/install/README.md", "# Install\n").0.map(|d| d.id).as_deref(),
            Some("setup/install/readme")
        );
        assert_eq!(parse("notes/My Note.md", "x").0.map(|d| d.id).as_deref(), Some("notes/my-note"));
        assert_eq!(parse("guides/x.md", "---\ntitle: X\nid: other\n---\n").0.map(|d| d.id).as_deref(), Some("other"));
    }

    #[test]
    fn bad_stem_in_kind_folder_is_reported_with_a_suggestion() {
        let (doc, d) = parse("patterns/Retry_Now.md", "---\ntitle: R\n---\n");
        assert_eq!(doc.map(|d| d.id).as_deref(), Some("retry-now"));
        assert_eq!(d[0].code, Code::InvalidId);
        assert!(d[0].hint.as_deref().unwrap_or("").contains("retry-now.md"));
    }

    #[test]
    fn title_falls_back_to_heading_then_file_name() {
        assert_eq!(parse("a/b.md", "# Heading\n").0.map(|d| d.title).as_deref(), Some("Heading"));
        assert_eq!(parse("a/b.md", "text\n").0.map(|d| d.title).as_deref(), Some("b"));
        assert_eq!(
            parse("glossary/api.md", "---\nterm: API\nplain: p\n---\n").0.map(|d| d.title).as_deref(),
            Some("API")
        );
    }

    #[test]
    fn kind_folder_requires_title() {
        let (_, d) = parse("patterns/x.md", "# Heading only\n");
        assert!(d.iter().any(|d| d.code == Code::MissingField), "{d:?}");
        let (_, d) = parse("docs/x.md", "# Heading only\n");
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let (doc, d) = parse_document("a.md", b"ok\nbad \xff here", &Limits::default());
        assert!(doc.is_none());
        assert_eq!((d[0].code, d[0].line, d[0].col), (Code::InvalidUtf8, 2, 5));
    }

    #[test]
    fn kind_field_overrides_folder() {
        let (doc, d) = parse("notes/a.md", "---\nkind: term\nterm: X\nplain: y\n---\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(doc.map(|d| d.kind()), Some(Kind::Term));
    }

    #[test]
    fn slugify_and_validate_ids() {
        assert!(is_valid_id("retry-with-backoff"));
        assert!(is_valid_id("setup/install/readme"));
        assert!(!is_valid_id("Retry"));
        assert!(!is_valid_id("a--b"));
        assert_eq!(slugify_id("Retry_With  Backoff!"), "retry-with-backoff");
    }
}
