//! Honest templates: text a template asks the writer to replace is marked `‹like this›`, and each
//! one left in a document is a `placeholder` error; a case study's `authors` and `mentor` are
//! checked against the hub's `[[members]]` (someone who is not, or no longer, a member is a
//! `former-member` warning).

use crate::config::HubConfig;
use crate::diag::{Code, Diagnostic};
use crate::model::{Document, KindFields};

/// Opens a placeholder: U+2039 SINGLE LEFT-POINTING ANGLE QUOTATION MARK.
pub const PLACEHOLDER_OPEN: char = '‹';
/// Closes a placeholder: U+203A SINGLE RIGHT-POINTING ANGLE QUOTATION MARK.
pub const PLACEHOLDER_CLOSE: char = '›';

/// The placeholders left in one line: `(col, text)` with a 1-based character column and the text
/// between the marks. A placeholder is on one line; an unclosed `‹` is not one.
pub fn placeholders_in(line: &str) -> Vec<(u32, &str)> {
    let mut out = Vec::new();
    let mut rest = line;
    let mut consumed_chars = 0u32;
    while let Some(open) = rest.find(PLACEHOLDER_OPEN) {
        let after = &rest[open + PLACEHOLDER_OPEN.len_utf8()..];
        let Some(close) = after.find(PLACEHOLDER_CLOSE) else { break };
        let col = consumed_chars + rest[..open].chars().count() as u32 + 1;
        let inner = &after[..close];
        if !inner.trim().is_empty() {
            out.push((col, inner));
        }
        let end = open + PLACEHOLDER_OPEN.len_utf8() + close + PLACEHOLDER_CLOSE.len_utf8();
        consumed_chars += rest[..end].chars().count() as u32;
        rest = &rest[end..];
    }
    out
}

/// The `placeholder` errors of a document: every `‹…›` in its front matter and in its body outside
/// code (fenced or indented blocks and inline code spans are examples, not placeholders).
pub(crate) fn check_placeholders(doc: &Document) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut report = |line: u32, col: u32, text: &str| {
        diags.push(
            Diagnostic::error(Code::Placeholder, &doc.path, format!("replace the placeholder ‹{}›", shorten(text)))
                .at(line, col)
                .with_hint(
                    "templates mark what you need to write as ‹…›; write your own text in its place, or delete it",
                ),
        );
    };
    for (i, line) in doc.front_matter.lines().enumerate() {
        for (col, text) in placeholders_in(line) {
            report(i as u32 + 2, col, text);
        }
    }
    let mut fence: Option<(char, usize)> = None;
    for (i, line) in doc.body.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        if let Some(m) = marker {
            let run = trimmed.chars().take_while(|c| *c == m).count();
            if run >= 3 && indent < 4 {
                match fence {
                    None => {
                        fence = Some((m, run));
                        continue;
                    }
                    Some((fm, fr)) if fm == m && run >= fr && trimmed[run..].trim().is_empty() => {
                        fence = None;
                        continue;
                    }
                    Some(_) => {}
                }
            }
        }
        if fence.is_some() || line.starts_with("    ") || line.starts_with('\t') {
            continue;
        }
        let visible = without_code_spans(line);
        for (col, text) in placeholders_in(&visible) {
            report(doc.body_line + i as u32, col, text);
        }
    }
    diags
}

/// The line with every inline code span's characters replaced by spaces (columns are kept).
fn without_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = chars.clone();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|c| **c == '`').count();
        // Find the closing run of the same length.
        let mut j = i + run;
        let mut closed = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let r = chars[j..].iter().take_while(|c| **c == '`').count();
                if r == run {
                    closed = Some(j + r);
                    break;
                }
                j += r;
            } else {
                j += 1;
            }
        }
        match closed {
            Some(end) => {
                for c in &mut out[i..end] {
                    *c = ' ';
                }
                i = end;
            }
            None => i += run,
        }
    }
    out.into_iter().collect()
}

/// The `former-member` warnings of a case study: each of its `authors` and its `mentor` that
/// names no member of the hub. Hubs without a `[[members]]` list are not checked.
pub(crate) fn check_people(doc: &Document, config: &HubConfig) -> Vec<Diagnostic> {
    let KindFields::CaseStudy(cs) = &doc.fields else { return Vec::new() };
    if config.members.is_empty() {
        return Vec::new();
    }
    let known = |name: &str| {
        let name = name.trim();
        config
            .members
            .iter()
            .any(|m| m.name.trim().eq_ignore_ascii_case(name) || m.email.trim().eq_ignore_ascii_case(name))
    };
    let mut diags = Vec::new();
    let people =
        cs.authors.iter().map(|a| ("authors", a.as_str())).chain(cs.mentor.iter().map(|m| ("mentor", m.as_str())));
    for (field, name) in people {
        // A placeholder is reported as one already.
        if name.trim().is_empty() || name.contains(PLACEHOLDER_OPEN) || known(name) {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                Code::FormerMember,
                &doc.path,
                format!("`{field}` names {name}, who is not (or no longer) a member of the hub"),
            )
            .at(doc.line_of(field, Some(name)), 1)
            .with_hint(
                "check the spelling against the [[members]] in guildhall.toml; a person who has left may stay named",
            ),
        );
    }
    diags
}

fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX { s.to_string() } else { format!("{}…", s.chars().take(MAX).collect::<String>()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Limits, parse_document};

    fn doc(text: &str) -> Document {
        parse_document("case-studies/x.md", text.as_bytes(), &Limits::default()).0.expect("parsed")
    }

    #[test]
    fn finds_each_placeholder_with_its_column() {
        assert_eq!(placeholders_in("a ‹one› b ‹two›"), vec![(3, "one"), (11, "two")]);
        assert_eq!(placeholders_in("‹unclosed"), vec![]);
        assert_eq!(placeholders_in("‹ › empty"), vec![]);
        assert_eq!(placeholders_in("é‹x›"), vec![(2, "x")]);
    }

    #[test]
    fn placeholders_in_front_matter_and_body_but_not_code() {
        let d = doc(
            "---\ntitle: T\nmentor: \"‹Your mentor›\"\n---\n\n‹Say who› did it.\n\n```\n‹example›\n```\n\nUse `‹x›` to mark one.\n\n    ‹indented code›\n",
        );
        let found: Vec<(u32, u32)> = check_placeholders(&d).iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(found, vec![(3, 10), (6, 1)]);
        assert!(check_placeholders(&d).iter().all(|x| x.code == Code::Placeholder && x.is_error()));
    }

    #[test]
    fn case_study_people_are_checked_against_members() {
        let (config, _) =
            HubConfig::parse("[[members]]\nname = \"Amara Okafor\"\nemail = \"amara@x\"\nroles = [\"mentor\"]\n");
        let d = doc("---\ntitle: T\nauthors: [amara okafor, Jo Left]\nmentor: Sam Gone\n---\nBody.\n");
        let w = check_people(&d, &config);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w.iter().all(|x| x.code == Code::FormerMember && !x.is_error()));
        assert_eq!((w[0].line, w[1].line), (3, 4));
        assert!(w[0].message.contains("Jo Left") && w[1].message.contains("Sam Gone"));
        // No members list: nothing to check against.
        assert!(check_people(&d, &HubConfig::default()).is_empty());
    }
}
