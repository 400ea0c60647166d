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
    /// `![alt](src)`.
    Image,
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

    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                depth += 1;
                out.max_depth = out.max_depth.max(depth);
                match tag {
                    Tag::Heading { level, id, .. } => {
                        let (line, _) = at(range.start);
                        in_heading = Some((heading_level(level), id.map(|s| s.to_string()), line, String::new()));
                    }
                    Tag::CodeBlock(_) => in_code += 1,
                    Tag::Link { link_type, dest_url, .. } => {
                        in_link += 1;
                        let style = match link_type {
                            LinkType::WikiLink { .. } => LinkStyle::Wiki,
                            _ => LinkStyle::Markdown,
                        };
                        let (line, col) = at(range.start);
                        out.links.push(LinkRef { style, dest: dest_url.to_string(), line, col, section });
                    }
                    Tag::Image { dest_url, .. } => {
                        in_link += 1;
                        let (line, col) = at(range.start);
                        out.links.push(LinkRef {
                            style: LinkStyle::Image,
                            dest: dest_url.to_string(),
                            line,
                            col,
                            section,
                        });
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
                            let slug = slugs.unique(explicit.as_deref().unwrap_or(&text));
                            out.headings.push(Heading { level, text, slug, line });
                            section += 1;
                        }
                    }
                    TagEnd::CodeBlock => in_code = in_code.saturating_sub(1),
                    TagEnd::Link | TagEnd::Image => in_link = in_link.saturating_sub(1),
                    _ => {}
                }
            }
            Event::Text(text) => {
                let index = text_events;
                text_events += 1;
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

/// The text of a Markdown body without markup: what search indexes and snippets are made of.
/// Block boundaries become newlines; link targets and HTML tags are left out (the text between
/// tags is kept).
pub fn plain_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for event in Parser::new_ext(body, parser_options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
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
