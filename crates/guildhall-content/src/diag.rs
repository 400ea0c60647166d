//! Diagnostics: everything `guildhall check` reports, with the file and line it is about.

use std::fmt;

use serde::Serialize;

/// How bad a diagnostic is. Errors make `guildhall check` fail; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Severity {
    Warning,
    Error,
}

/// What kind of problem a diagnostic reports. The code is stable: scripts and content CI may
/// match on it, so a variant is never renamed, only added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Code {
    /// The front matter is not valid YAML, or not a mapping.
    Yaml,
    /// A required front-matter field is absent.
    MissingField,
    /// A front-matter field has the wrong type (`before: fast` where a number is expected).
    WrongType,
    /// A front-matter field has a value outside its allowed set (`risk: extreme`).
    InvalidValue,
    /// An id is not lowercase kebab-case.
    InvalidId,
    /// Two documents have the same id.
    DuplicateId,
    /// A link or wikilink names no document, or an anchor names no heading.
    BrokenLink,
    /// A wikilink matches several documents.
    AmbiguousLink,
    /// A path step, prerequisite, related id or case-study pattern names a missing document.
    MissingRef,
    /// A link or image resolves outside the hub folder.
    EscapesHub,
    /// A link with a scheme that is never followed (`javascript:`, `file:`, ...).
    UnsafeLink,
    /// A remote image or other resource that the app will not load.
    RemoteResource,
    /// Two terms claim the same term or alias.
    TermConflict,
    /// The file is not valid UTF-8.
    InvalidUtf8,
    /// The file contains NUL bytes.
    NulByte,
    /// The file, its front matter or a line in it is over a size limit.
    TooLarge,
    /// The Markdown is nested deeper than the renderer allows.
    TooDeep,
    /// A path step's self-check is malformed (its answer is not among its options).
    Checkpoint,
    /// The file could not be read, or is not a regular file.
    Io,
    /// `guildhall.toml` is malformed.
    Config,
    /// A `{{hub.key}}` names no setting of the `[hub]` table, sits in front matter, or a setting
    /// cannot be shown in a page (a list, several lines).
    HubSetting,
    /// The page is past its `review_by` date.
    Stale,
    /// Nothing links to the page and no path uses it.
    Orphan,
    /// A template's `‹placeholder›` is still in the document.
    Placeholder,
    /// A case study's `authors` or `mentor` names someone who is not (or no longer) a member.
    FormerMember,
}

impl Code {
    /// The code as written in reports: `broken-link`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Yaml => "yaml",
            Code::MissingField => "missing-field",
            Code::WrongType => "wrong-type",
            Code::InvalidValue => "invalid-value",
            Code::InvalidId => "invalid-id",
            Code::DuplicateId => "duplicate-id",
            Code::BrokenLink => "broken-link",
            Code::AmbiguousLink => "ambiguous-link",
            Code::MissingRef => "missing-ref",
            Code::EscapesHub => "escapes-hub",
            Code::UnsafeLink => "unsafe-link",
            Code::RemoteResource => "remote-resource",
            Code::TermConflict => "term-conflict",
            Code::InvalidUtf8 => "invalid-utf8",
            Code::NulByte => "nul-byte",
            Code::TooLarge => "too-large",
            Code::TooDeep => "too-deep",
            Code::Checkpoint => "checkpoint",
            Code::Io => "io",
            Code::Config => "config",
            Code::HubSetting => "hub-setting",
            Code::Stale => "stale",
            Code::Orphan => "orphan",
            Code::Placeholder => "placeholder",
            Code::FormerMember => "former-member",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// The file, relative to the hub folder, with `/` separators.
    pub path: String,
    /// 1-based line; 0 when the problem is about the whole file.
    pub line: u32,
    /// 1-based column in characters; 0 when unknown.
    pub col: u32,
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.into(),
            line: 0,
            col: 0,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(code: Code, path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, path, message) }
    }

    pub fn at(mut self, line: u32, col: u32) -> Diagnostic {
        self.line = line;
        self.col = col;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `path:line:col: error[code]: message`, then the hint on its own line.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {sev}[{}]: {}", self.path, self.line.max(1), self.col.max(1), self.code, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Maps byte offsets in a text to 1-based line and column numbers.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    /// Byte offset of the start of every line.
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text));
        LineIndex { starts }
    }

    /// `(line, col)`, both 1-based; the column counts characters, not bytes.
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = text.get(start..offset).map_or(0, |s| s.chars().count());
        (line as u32 + 1, col as u32 + 1)
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\nçd\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        assert_eq!(idx.line_col(text, 5), (2, 2)); // after the two-byte ç
        assert_eq!(idx.line_col(text, 7), (3, 1));
        assert_eq!(idx.line_col(text, 8), (4, 1));
        assert_eq!(idx.line_col(text, 99), (4, 2));
    }

    #[test]
    fn display_is_compiler_style() {
        let d =
            Diagnostic::error(Code::BrokenLink, "patterns/a.md", "no document `b`").at(4, 7).with_hint("check the id");
        assert_eq!(d.to_string(), "patterns/a.md:4:7: error[broken-link]: no document `b`\n  = hint: check the id");
    }
}
