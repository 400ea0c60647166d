//! One pass over a document's Markdown that records what linking and validation need: headings
//! (with their anchors), links, the text that glossary mentions may link, the word count and the
//! nesting depth. Rendering later re-parses with the same options, so event order matches.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diag::LineIndex;

/// The Markdown extensions Guildhall enables, everywhere the body is parsed.
pub(crate) fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_MATH
}

/// What [`scan`] found in a body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Every link and image, in order.
    pub links: Vec<LinkRef>,
    /// Text where glossary mentions may be linked (not code, links or headings), in order.
    pub segments: Vec<Segment>,
    /// The text of the first level-1 heading, a title fallback.
    pub first_h1: Option<String>,
    /// The text of the first heading of any level, the next title fallback (a page that
    /// starts at `##`).
    pub first_heading: Option<String>,
    /// Obsidian block ids (`^block-id` at the end of a paragraph or list item), without `^`.
    pub block_ids: Vec<String>,
    /// Anchors made in raw HTML (`<a id="x">`, `<a name="x">`) and footnote anchors as MkDocs
    /// writes them (`fn:label`, `fnref:label`).
    pub anchors: Vec<String>,
    /// Words of prose, for reading time.
    pub words: usize,
    /// The deepest nesting of block and inline elements.
    pub max_depth: usize,
}

/// A heading and its anchor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading as plain text.
    pub text: String,
    /// The anchor, unique in the document: GitHub-style slug, or an explicit `{#id}`.
    pub slug: String,
    /// 1-based line in the file.
    pub line: u32,
}

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStyle {
    /// `[[target]]`, `[[target|label]]`, `[[target#heading]]`.
    Wiki,
    /// `[label](dest)`, `<https://...>` and reference links.
    Markdown,
    /// `![alt](src)` and `<img src>` in raw HTML.
    Image,
    /// `![[target]]`: an Obsidian embed of a file (image, audio, video, PDF) or of a note or
    /// one of its sections.
    Embed,
}

/// A link or image as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub style: LinkStyle,
    /// The destination as written (for wikilinks: the target text).
    pub dest: String,
    /// 1-based line and column in the file.
    pub line: u32,
    pub col: u32,
    /// The section it is in (see [`Segment::section`]).
    pub section: u32,
}

/// A run of text in which glossary mentions may be linked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The index of the text event among all text events of the body (render finds it again).
    pub event: u32,
    /// Which section (0 before the first heading, then one per heading) it belongs to.
    pub section: u32,
    pub text: String,
}

/// Scans `body`, whose first line is line `body_line` of the file.
pub(crate) fn scan(body: &str, body_line: u32) -> Outline {
    let prepared = prepare(body);
    let body: &str = &prepared;
    let lines = LineIndex::new(body);
    let at = |offset: usize| {
        let (l, c) = lines.line_col(body, offset);
        (l + body_line - 1, c)
    };
    let mut out = Outline::default();
    let mut slugs = Slugger::default();
    let mut depth = 0usize;
    let mut in_heading: Option<(u8, Option<String>, u32, String)> = None;
    let mut in_code = 0usize;
    let mut in_link = 0usize;
    let mut text_events = 0u32;
    let mut section = 0u32;

    let mut last_text = String::new();
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                last_text.clear();
                depth += 1;
                out.max_depth = out.max_depth.max(depth);
                match tag {
                    Tag::Heading { level, id, .. } => {
                        let (line, _) = at(range.start);
                        in_heading = Some((heading_level(level), id.map(|s| s.to_string()), line, String::new()));
                    }
                    Tag::CodeBlock(_) => in_code += 1,
                    Tag::FootnoteDefinition(label) => {
                        out.anchors.push(format!("fn:{label}"));
                        out.anchors.push(format!("fnref:{label}"));
                    }
                    Tag::Link { link_type, dest_url, .. } => {
                        in_link += 1;
                        let style = match link_type {
                            LinkType::WikiLink { .. } => LinkStyle::Wiki,
                            _ => LinkStyle::Markdown,
                        };
                        let (line, col) = at(range.start);
                        out.links.push(LinkRef { style, dest: dest_url.to_string(), line, col, section });
                    }
                    Tag::Image { dest_url, link_type, .. } => {
                        in_link += 1;
                        let (line, col) = at(range.start);
                        let style = match link_type {
                            LinkType::WikiLink { .. } => LinkStyle::Embed,
                            _ => LinkStyle::Image,
                        };
                        out.links.push(LinkRef { style, dest: dest_url.to_string(), line, col, section });
                    }
                    _ => {}
                }
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                match tag {
                    TagEnd::Heading(_) => {
                        if let Some((level, explicit, line, text)) = in_heading.take() {
                            let text = text.trim().to_string();
                            if level == 1 && out.first_h1.is_none() && !text.is_empty() {
                                out.first_h1 = Some(text.clone());
                            }
                            if out.first_heading.is_none() && !text.is_empty() {
                                out.first_heading = Some(text.clone());
                            }
                            let slug = slugs.unique(explicit.as_deref().unwrap_or(&text));
                            out.headings.push(Heading { level, text, slug, line });
                            section += 1;
                        }
                    }
                    TagEnd::CodeBlock => in_code = in_code.saturating_sub(1),
                    TagEnd::Link | TagEnd::Image => in_link = in_link.saturating_sub(1),
                    TagEnd::Paragraph | TagEnd::Item => {
                        if let Some(id) = block_id(&last_text) {
                            out.block_ids.push(id.to_string());
                        }
                    }
                    _ => {}
                }
                last_text.clear();
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                last_text.clear();
                for (_, src) in raw_img_srcs(&html) {
                    let (line, col) = at(range.start);
                    out.links.push(LinkRef { style: LinkStyle::Image, dest: src.to_string(), line, col, section });
                }
                out.anchors.extend(raw_anchors(&html));
            }
            Event::FootnoteReference(_) => last_text.clear(),
            Event::Text(text) => {
                let index = text_events;
                text_events += 1;
                last_text.clear();
                last_text.push_str(&text);
                if let Some((.., h)) = in_heading.as_mut() {
                    h.push_str(&text);
                } else if in_code == 0 {
                    out.words += text.split_whitespace().count();
                    if in_link == 0 {
                        out.segments.push(Segment { event: index, section, text: text.to_string() });
                    }
                }
            }
            Event::Code(code) => {
                if let Some((.., h)) = in_heading.as_mut() {
                    h.push_str(&code);
                } else {
                    out.words += code.split_whitespace().count();
                }
            }
            _ => {}
        }
    }
    out
}

/// The body as Guildhall parses it, with the other tools' block syntax brought to one form,
/// line for line (so lines and most columns stay those of the file):
///
/// - `%%comments%%` (Obsidian) become spaces;
/// - MkDocs admonitions (`!!! note "Title"`, foldable `??? note` and `???+ note`) and content
///   tabs (`=== "Tab"`), whose bodies are indented by four spaces, become callout block quotes
///   (`> [!note] Title`, `> [!note]- Title`, `> [!tab] Tab`), which the renderer shows as
///   callouts and tabs.
///
/// Fenced code is left alone.
pub fn prepare(body: &str) -> std::borrow::Cow<'_, str> {
    if !body.contains("%%") && !body.contains("!!!") && !body.contains("???") && !body.contains("===") {
        return std::borrow::Cow::Borrowed(body);
    }
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut out = String::with_capacity(body.len() + 64);
    let mut fence: Option<(char, usize)> = None;
    let mut in_comment = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if let Some((c, n)) = fence {
            if trimmed.starts_with(&c.to_string().repeat(n)) && trimmed.trim_end().chars().all(|x| x == c) {
                fence = None;
            }
            out.push_str(line);
            i += 1;
            continue;
        }
        if let Some(f) = fence_open(trimmed) {
            fence = Some(f);
            out.push_str(line);
            i += 1;
            continue;
        }
        let indent = line.len() - trimmed.len();
        if !in_comment && let Some(header) = block_header(trimmed) {
            // The header line, then every following line indented four more than it (or blank
            // and followed by such a line).
            let mut end = i + 1;
            let mut last = i;
            while end < lines.len() {
                let l = lines[end];
                if l.trim().is_empty() {
                    end += 1;
                    continue;
                }
                if l.len() - l.trim_start().len() >= indent + 4 {
                    last = end;
                    end += 1;
                    continue;
                }
                break;
            }
            out.push_str(&line[..indent]);
            out.push_str(&header);
            out.push('\n');
            for l in &lines[i + 1..=last] {
                out.push_str(&l[..indent.min(l.len())]);
                let rest = l.get(indent + 4..).unwrap_or("");
                if rest.trim().is_empty() {
                    out.push_str(">\n");
                } else {
                    out.push_str("> ");
                    out.push_str(rest);
                    if !rest.ends_with('\n') {
                        out.push('\n');
                    }
                }
            }
            i = last + 1;
            continue;
        }
        // Comments, possibly over several lines.
        let mut rest = line;
        while !rest.is_empty() {
            match rest.find("%%") {
                Some(at) => {
                    if in_comment {
                        blank(&mut out, &rest[..at + 2]);
                    } else {
                        out.push_str(&rest[..at]);
                        blank(&mut out, "%%");
                    }
                    in_comment = !in_comment;
                    rest = &rest[at + 2..];
                }
                None => {
                    if in_comment {
                        blank(&mut out, rest);
                    } else {
                        out.push_str(rest);
                    }
                    rest = "";
                }
            }
        }
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

/// Pushes `s` with every character but line breaks replaced by a space.
fn blank(out: &mut String, s: &str) {
    out.extend(s.chars().map(|c| if c == '\n' || c == '\r' { c } else { ' ' }));
}

fn fence_open(trimmed: &str) -> Option<(char, usize)> {
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// `!!! note "Title"` → `> [!note] Title`; `??? tip` → `> [!tip]-`; `=== "Tab"` → `> [!tab] Tab`.
fn block_header(trimmed: &str) -> Option<String> {
    let line = trimmed.trim_end();
    let (fold, rest) = if let Some(r) = line.strip_prefix("???+") {
        ("+", r)
    } else if let Some(r) = line.strip_prefix("???") {
        ("-", r)
    } else if let Some(r) = line.strip_prefix("!!!") {
        ("", r)
    } else if let Some(r) = line.strip_prefix("===") {
        let r = r.strip_prefix('!').unwrap_or(r).trim();
        let title = r.strip_prefix('"')?.strip_suffix('"')?;
        return Some(format!("> [!tab] {title}"));
    } else {
        return None;
    };
    if !rest.starts_with(' ') {
        return None;
    }
    let rest = rest.trim();
    let (kind, title) = match rest.split_once(char::is_whitespace) {
        Some((k, t)) => (k, t.trim()),
        None => (rest, ""),
    };
    if kind.is_empty() || !kind.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return None;
    }
    let title = match title.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(t) => t,
        None if title.is_empty() => "",
        None => title.split_whitespace().next().map_or("", |_| title),
    };
    Some(if title.is_empty() { format!("> [!{kind}]{fold}") } else { format!("> [!{kind}]{fold} {title}") })
}

/// The `^block-id` at the end of a paragraph's last text, as Obsidian marks blocks.
pub(crate) fn block_id(text: &str) -> Option<&str> {
    let t = text.trim_end();
    let at = t.rfind('^')?;
    let id = &t[at + 1..];
    let before_ok = at == 0 || t[..at].ends_with(char::is_whitespace);
    (before_ok && !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')).then_some(id)
}

/// The `src` values of `<img>` tags in a piece of raw HTML, with their byte ranges.
pub(crate) fn raw_img_srcs(html: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<img") {
        let start = from + at;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        if let Some((range, value)) = attr_value(html, &lower, start + 4, end, "src") {
            out.push((range, value));
        }
        from = end.max(start + 4);
        if from >= lower.len() {
            break;
        }
    }
    out
}

/// The `id` and `name` values of `<a>` tags in a piece of raw HTML.
fn raw_anchors(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<a") {
        let start = from + at;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let is_a = lower[start + 2..].starts_with(|c: char| c.is_ascii_whitespace());
        if is_a {
            for name in ["id", "name"] {
                if let Some((_, v)) = attr_value(html, &lower, start + 2, end, name) {
                    out.push(v.to_string());
                }
            }
        }
        from = end.max(start + 2);
        if from >= lower.len() {
            break;
        }
    }
    out
}

/// The value of attribute `name` in `html[from..end]` (a tag's inside), quoted or not.
fn attr_value<'h>(
    html: &'h str,
    lower: &str,
    from: usize,
    end: usize,
    name: &str,
) -> Option<(std::ops::Range<usize>, &'h str)> {
    let bytes = lower.as_bytes();
    let mut i = from;
    while i < end {
        let at = lower[i..end].find(name)?;
        let pos = i + at;
        let boundary = pos > 0 && bytes[pos - 1].is_ascii_whitespace();
        let mut j = pos + name.len();
        while j < end && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if boundary && j < end && bytes[j] == b'=' {
            j += 1;
            while j < end && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= end {
                return None;
            }
            let (s, e) = match bytes[j] {
                q @ (b'"' | b'\'') => {
                    let close = lower[j + 1..end].find(q as char).map_or(end, |c| j + 1 + c);
                    (j + 1, close)
                }
                _ => {
                    let close =
                        lower[j..end].find(|c: char| c.is_ascii_whitespace() || c == '/').map_or(end, |c| j + c);
                    (j, close)
                }
            };
            return Some((s..e, &html[s..e]));
        }
        i = pos + name.len();
    }
    None
}

/// The text of a Markdown body without markup: what search indexes and snippets are made of.
/// Block boundaries become newlines; link targets and HTML tags are left out (the text between
/// tags is kept).
pub fn plain_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let body = prepare(body);
    for event in Parser::new_ext(&body, parser_options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) if !out.ends_with('\n') => out.push('\n'),
            _ => {}
        }
    }
    out
}

pub(crate) fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// GitHub-style heading anchors: lowercase, punctuation dropped, spaces to `-`, and `-1`, `-2`
/// appended to repeats.
#[derive(Debug, Default)]
pub(crate) struct Slugger {
    seen: std::collections::HashMap<String, usize>,
}

impl Slugger {
    pub(crate) fn unique(&mut self, text: &str) -> String {
        let base = slug(text);
        let n = self.seen.entry(base.clone()).or_insert(0);
        let out = if *n == 0 { base } else { format!("{base}-{n}") };
        *n += 1;
        out
    }
}

/// The GitHub-style slug of a heading text.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' || c == '_' {
            out.push(if c == '_' { '_' } else { '-' });
        }
    }
    if out.is_empty() { "section".to_string() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_github_style_and_unique() {
        let mut s = Slugger::default();
        assert_eq!(s.unique("When not to use"), "when-not-to-use");
        assert_eq!(s.unique("Low-code or code?"), "low-code-or-code");
        assert_eq!(s.unique("When not to use"), "when-not-to-use-1");
        assert_eq!(s.unique("Ça va"), "ça-va");
        assert_eq!(s.unique("!!!"), "section");
    }

    #[test]
    fn finds_headings_links_and_text() {
        let o = scan(
            "Intro with `code`.\n\n## A heading {#custom}\n\nSee [[retry|retries]] and [x](../a.md#b).\n\n```\nnot text\n```\n![i](img.png)\n",
            5,
        );
        assert_eq!(o.headings.len(), 1);
        assert_eq!(o.headings[0].slug, "custom");
        assert_eq!(o.headings[0].line, 7);
        let dests: Vec<_> = o.links.iter().map(|l| (l.style, l.dest.as_str(), l.line)).collect();
        assert_eq!(
            dests,
            [(LinkStyle::Wiki, "retry", 9), (LinkStyle::Markdown, "../a.md#b", 9), (LinkStyle::Image, "img.png", 14)]
        );
        assert!(o.segments.iter().all(|s| !s.text.contains("not text")));
        assert_eq!(o.segments[0].section, 0);
        assert!(o.segments.iter().any(|s| s.section == 1));
    }

    #[test]
    fn plain_text_drops_markup() {
        let t = plain_text("# Title\n\nSome *emphasis* and [a link](x.md) and `code`.\n\n- one\n- two\n\n<b>raw</b>");
        assert_eq!(t, "Title\nSome emphasis and a link and code.\none\ntwo\nraw\n");
    }

    #[test]
    fn depth_is_measured() {
        let o = scan(&">".repeat(50), 1);
        assert!(o.max_depth >= 50, "{}", o.max_depth);
    }
}
