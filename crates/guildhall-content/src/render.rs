//! Markdown to safe HTML: pulldown-cmark, with links resolved, glossary mentions linked, and the
//! result sanitized by ammonia before it leaves this crate.
//!
//! The rewrite happens on the event stream, so Guildhall decides every `href` and `src` it emits;
//! the sanitizer then removes anything else (raw HTML in the Markdown included), and only lets
//! through relative URLs with the prefixes this renderer produces.

mod body;
mod math;
mod sanitize;

use std::fmt::Write as _;

use ammonia::Builder;
use pulldown_cmark::{CowStr, Event, Parser};
use serde::Serialize;

use self::body::BodyWriter;
use self::sanitize::sanitizer;
use crate::catalog::{Catalog, LinkTarget, Mention};
use crate::model::Document;
use crate::scan::{self, Heading};

/// The prefix ammonia puts on every `id` in rendered HTML, so content can never clobber the
/// app's own element ids. A heading with slug `problem` has the element id `gh-problem`.
pub const ID_PREFIX: &str = "gh-";

/// How links in rendered pages are written. The defaults suit a single-page app with hash
/// routing, in the desktop webview and in the browser alike.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RenderOptions {
    /// Prefix of links to documents: `#/doc/` gives `#/doc/retry-with-backoff`. A heading is
    /// added as `?section=gh-<slug>`.
    pub doc_href: String,
    /// Prefix of links to files inside the hub: `asset/` gives `asset/guides/img/flow.png`. The
    /// shell serving these must check the path itself, as it must for any request.
    pub asset_href: String,
    /// Link the first mention of each glossary term per section.
    pub link_mentions: bool,
}

impl RenderOptions {
    /// Links to documents start with `prefix` (e.g. `/doc/` for path routing).
    pub fn with_doc_href(mut self, prefix: impl Into<String>) -> RenderOptions {
        self.doc_href = prefix.into();
        self
    }

    /// Links to files inside the hub start with `prefix` (e.g. `/api/asset/`).
    pub fn with_asset_href(mut self, prefix: impl Into<String>) -> RenderOptions {
        self.asset_href = prefix.into();
        self
    }

    /// Whether glossary mentions are linked.
    pub fn with_link_mentions(mut self, on: bool) -> RenderOptions {
        self.link_mentions = on;
        self
    }
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions { doc_href: "#/doc/".to_string(), asset_href: "asset/".to_string(), link_mentions: true }
    }
}

/// A rendered document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    /// Sanitized HTML, safe to insert into a page.
    pub html: String,
    /// The table of contents: every heading, in order.
    pub toc: Vec<Heading>,
    /// Estimated reading time in minutes.
    pub reading_minutes: u32,
    /// Set when the page could not be rendered (too deep, or the renderer failed) and a safe
    /// placeholder was produced instead.
    pub refused: Option<String>,
}

/// Renders documents of one catalog with one set of options. Building the sanitizer takes a
/// moment, so keep a renderer around rather than making one per page.
pub struct Renderer<'c> {
    catalog: &'c Catalog,
    options: RenderOptions,
    sanitizer: Builder<'static>,
}

impl std::fmt::Debug for Renderer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer").field("options", &self.options).finish_non_exhaustive()
    }
}

impl Catalog {
    /// A renderer for this catalog.
    pub fn renderer(&self, options: RenderOptions) -> Renderer<'_> {
        let sanitizer = sanitizer(&options);
        Renderer { catalog: self, options, sanitizer }
    }
}

impl Renderer<'_> {
    /// Renders the document with this id; `None` for an unknown id.
    pub fn render_id(&self, id: &str) -> Option<Rendered> {
        self.catalog.index_of(id).map(|i| self.render(i))
    }

    /// Renders the document at `index`. Never panics: a document that cannot be rendered safely
    /// gives a placeholder saying why.
    pub fn render(&self, index: usize) -> Rendered {
        let doc = &self.catalog.documents()[index];
        let limit = crate::document::Limits::default().max_nesting;
        if doc.outline.max_depth > limit {
            return self.refused(
                doc,
                format!("This page is nested {} levels deep; the limit is {limit}.", doc.outline.max_depth),
            );
        }
        let raw = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.to_html(index)));
        match raw {
            Ok(html) => Rendered {
                html: self.sanitize(&html),
                toc: doc.outline.headings.clone(),
                reading_minutes: doc.reading_minutes(),
                refused: None,
            },
            Err(_) => self.refused(doc, "The Markdown renderer failed on this page.".to_string()),
        }
    }

    /// Sanitizes HTML with the same rules as rendered pages.
    pub fn sanitize(&self, html: &str) -> String {
        self.sanitizer.clean(html).to_string()
    }

    fn refused(&self, doc: &Document, why: String) -> Rendered {
        let mut html = String::new();
        let _ = write!(html, "<p class=\"render-refused\">{} It is shown as plain text.</p><pre>", escape(&why));
        let shown: String = doc.body.chars().take(64 * 1024).collect();
        html.push_str(&escape(&shown));
        html.push_str("</pre>");
        Rendered { html, toc: Vec::new(), reading_minutes: doc.reading_minutes(), refused: Some(why) }
    }

    fn doc_href(&self, index: usize, anchor: Option<&str>) -> String {
        let doc = &self.catalog.documents()[index];
        let mut href = format!("{}{}", self.options.doc_href, encode_path(&doc.id));
        if let Some(a) = anchor {
            let slug = self.anchor_slug(doc, a);
            let _ = write!(href, "?section={ID_PREFIX}{slug}");
        }
        href
    }

    fn anchor_slug(&self, doc: &Document, anchor: &str) -> String {
        crate::catalog::anchor_element(doc, anchor).unwrap_or_else(|| {
            let decoded = percent_encoding::percent_decode_str(anchor).decode_utf8_lossy();
            scan::slug(decoded.rsplit('#').next().unwrap_or(&decoded))
        })
    }

    fn to_html(&self, index: usize) -> String {
        let mut embeds = Embeds { stack: vec![index], count: 0 };
        self.body_html(index, None, &mut embeds)
    }

    /// The HTML of a document's body (or of one section of it, a byte range of the prepared
    /// body), before sanitizing. `embeds` tracks the notes being embedded, against cycles and
    /// runaway embedding.
    fn body_html(&self, index: usize, section: Option<std::ops::Range<usize>>, embeds: &mut Embeds) -> String {
        let doc = &self.catalog.documents()[index];
        let prepared = scan::prepare(&doc.body);
        let mut writer = BodyWriter::new(self, index, &prepared);
        for (event, range) in Parser::new_ext(&prepared, scan::parser_options()).into_offset_iter() {
            let before = writer.events.len();
            let visible = section.as_ref().is_none_or(|r| range.start >= r.start && range.start < r.end);
            if writer.skips(&event, range.start) {
                continue;
            }
            writer.event(event, range.start, embeds);
            if !visible {
                writer.events.truncate(before);
            }
        }
        let mut html = String::with_capacity(doc.body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, writer.events.into_iter());
        html
    }

    /// What an embed (`![[target]]`) shows: an image, a player, a link to a file, or the
    /// embedded note or section; `None` when the target is not in the hub.
    fn embed(&self, target: LinkTarget, dest: &str, embeds: &mut Embeds) -> Option<String> {
        let docs = self.catalog.documents();
        match target {
            LinkTarget::Asset(path) => {
                let src = escape(&format!("{}{}", self.options.asset_href, encode_path(&path)));
                let name = escape(path.rsplit('/').next().unwrap_or(&path));
                let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
                Some(match ext.as_str() {
                    "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "bmp" | "svg" => {
                        format!("<img class=\"embed-image\" src=\"{src}\" alt=\"{name}\">")
                    }
                    "mp3" | "wav" | "ogg" | "oga" | "m4a" | "flac" | "opus" => format!(
                        "<audio controls preload=\"none\" src=\"{src}\"><a class=\"asset-link\" href=\"{src}\">{name}</a></audio>"
                    ),
                    "mp4" | "webm" | "ogv" | "mov" | "m4v" => format!(
                        "<video controls preload=\"none\" src=\"{src}\"><a class=\"asset-link\" href=\"{src}\">{name}</a></video>"
                    ),
                    _ => format!("<a class=\"asset-link\" href=\"{src}\">{name}</a>"),
                })
            }
            LinkTarget::Document { index, anchor } => {
                let doc = &docs[index];
                let label = match &anchor {
                    Some(a) => format!("{} › {}", doc.title, heading_text(doc, a)),
                    None => doc.title.clone(),
                };
                let source = format!(
                    "<p class=\"embed-source\"><a class=\"doc-link\" href=\"{}\" data-doc=\"{}\">{}</a></p>",
                    escape(&self.doc_href(index, anchor.as_deref())),
                    escape(&doc.id),
                    escape(&label)
                );
                let refusal = if embeds.stack.contains(&index) {
                    Some("it embeds itself (through the pages that embed it); shown as a link")
                } else if embeds.stack.len() > MAX_EMBED_DEPTH {
                    Some("embeds nest too deep here; shown as a link")
                } else if embeds.count >= MAX_EMBEDS {
                    Some("this page embeds too many notes; shown as a link")
                } else if doc.outline.max_depth > crate::document::Limits::default().max_nesting {
                    Some("the embedded note is nested too deep to show")
                } else {
                    None
                };
                if let Some(why) = refusal {
                    return Some(format!(
                        "<span class=\"embed embed-refused\">{source}<span class=\"embed-note\">{}</span></span>",
                        escape(&format!("Not embedded: {why}."))
                    ));
                }
                let range = match anchor.as_deref() {
                    Some(a) => section_range(doc, a),
                    None => None,
                };
                embeds.count += 1;
                embeds.stack.push(index);
                let inner = self.body_html(index, range, embeds);
                embeds.stack.pop();
                Some(format!("<div class=\"embed\">{source}{inner}</div>"))
            }
            LinkTarget::Anchor(_) | LinkTarget::External(_) | LinkTarget::DataImage(_) | LinkTarget::Refused => {
                let _ = dest;
                None
            }
        }
    }

    /// Text with Obsidian's `==highlight==` marks, and glossary mentions inside.
    fn push_highlighted<'a>(&self, events: &mut Vec<Event<'a>>, text: &CowStr<'a>, mentions: &[Mention]) {
        let marks = highlight_marks(text);
        if marks.is_empty() {
            if mentions.is_empty() {
                events.push(Event::Text(text.clone()));
            } else {
                self.push_mentions(events, text, mentions);
            }
            return;
        }
        let mut pos = 0;
        let mut open = false;
        for &m in marks.iter().chain(std::iter::once(&text.len())) {
            let piece = &text[pos..m];
            if !piece.is_empty() {
                let inside: Vec<Mention> = mentions
                    .iter()
                    .filter(|x| x.start >= pos && x.end <= m)
                    .map(|x| Mention { start: x.start - pos, end: x.end - pos, ..*x })
                    .collect();
                let piece: CowStr<'a> = piece.to_string().into();
                if inside.is_empty() {
                    events.push(Event::Text(piece));
                } else {
                    self.push_mentions(events, &piece, &inside);
                }
            }
            if m < text.len() {
                events.push(Event::Html(if open { "</mark>" } else { "<mark>" }.into()));
                open = !open;
            }
            pos = (m + 2).min(text.len());
        }
    }

    fn push_mentions<'a>(&self, events: &mut Vec<Event<'a>>, text: &CowStr<'a>, mentions: &[Mention]) {
        let docs = self.catalog.documents();
        let mut pos = 0;
        for m in mentions {
            let (Some(before), Some(word)) = (text.get(pos..m.start), text.get(m.start..m.end)) else {
                continue;
            };
            if !before.is_empty() {
                events.push(Event::Text(before.to_string().into()));
            }
            let term = &docs[m.term];
            let plain = term.term().map_or("", |t| t.plain.as_str());
            events.push(Event::Html(
                format!(
                    "<a class=\"term\" href=\"{}\" data-term=\"{}\" data-plain=\"{}\">{}</a>",
                    escape(&self.doc_href(m.term, None)),
                    escape(&term.id),
                    escape(plain),
                    escape(word)
                )
                .into(),
            ));
            pos = m.end;
        }
        if let Some(rest) = text.get(pos..)
            && !rest.is_empty()
        {
            events.push(Event::Text(rest.to_string().into()));
        }
    }
}

/// How deep note embeds may nest, and how many one page may show in all.
const MAX_EMBED_DEPTH: usize = 4;
const MAX_EMBEDS: usize = 64;

/// The notes being embedded (the page itself first) and how many were embedded so far.
struct Embeds {
    stack: Vec<usize>,
    count: usize,
}

/// Where `==` marks open and close a highlight in one piece of text: an opening mark is
/// followed by a non-space, a closing one preceded by one.
fn highlight_marks(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut open: Option<usize> = None;
    while i + 1 < b.len() {
        if b[i] == b'=' && b[i + 1] == b'=' && (i + 2 >= b.len() || b[i + 2] != b'=') && (i == 0 || b[i - 1] != b'=') {
            match open {
                None if i + 2 < b.len() && !b[i + 2].is_ascii_whitespace() => open = Some(i),
                Some(o) if i > o + 2 && !b[i - 1].is_ascii_whitespace() => {
                    out.push(o);
                    out.push(i);
                    open = None;
                }
                _ => {}
            }
            i += 2;
            continue;
        }
        i += 1;
    }
    out
}

/// The byte range of the prepared body that a section embed (`![[Note#Heading]]`) shows: the
/// heading and everything up to the next heading of the same or a higher level.
fn section_range(doc: &Document, anchor: &str) -> Option<std::ops::Range<usize>> {
    let element = crate::catalog::anchor_element(doc, anchor)?;
    let headings = &doc.outline.headings;
    let at = headings.iter().position(|h| h.slug == element)?;
    let body = scan::prepare(&doc.body);
    let offset_of_line = |line: u32| -> usize {
        let n = line.saturating_sub(doc.body_line) as usize;
        body.split_inclusive('\n').take(n).map(str::len).sum()
    };
    let start = offset_of_line(headings[at].line);
    let end = headings[at + 1..]
        .iter()
        .find(|h| h.level <= headings[at].level)
        .map_or(body.len(), |h| offset_of_line(h.line));
    Some(start..end)
}

/// What `[[id]]` shows: a document's title, or for a glossary term its name as it reads in a
/// sentence (`[[timeout]]` shows "timeout", `[[http-status-code]]` "HTTP status code").
fn link_label(doc: &Document) -> String {
    let Some(term) = doc.term().map(|t| t.term.as_str()).filter(|t| !t.is_empty()) else {
        return doc.title.clone();
    };
    let first_word = term.split_whitespace().next().unwrap_or(term);
    let mut chars = first_word.chars();
    let capitalised_word = chars.next().is_some_and(char::is_uppercase) && chars.all(|c| !c.is_uppercase());
    if capitalised_word {
        let mut out: String = term.chars().next().map(|c| c.to_lowercase().collect()).unwrap_or_default();
        out.push_str(&term[term.chars().next().map_or(0, char::len_utf8)..]);
        out
    } else {
        term.to_string()
    }
}

fn heading_text(doc: &Document, anchor: &str) -> String {
    let element = crate::catalog::anchor_element(doc, anchor);
    doc.outline
        .headings
        .iter()
        .find(|h| Some(&h.slug) == element.as_ref())
        .map_or_else(|| anchor.rsplit('#').next().unwrap_or(anchor).to_string(), |h| h.text.clone())
}

/// HTML-escapes text for element content and double-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Characters kept as they are in a URL path segment (RFC 3986 unreserved).
const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|seg| percent_encoding::utf8_percent_encode(seg, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}
