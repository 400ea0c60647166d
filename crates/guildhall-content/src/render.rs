//! Markdown to safe HTML: pulldown-cmark, with links resolved, glossary mentions linked, and the
//! result sanitized by ammonia before it leaves this crate.
//!
//! The rewrite happens on the event stream, so Guildhall decides every `href` and `src` it emits;
//! the sanitizer then removes anything else (raw HTML in the Markdown included), and only lets
//! through relative URLs with the prefixes this renderer produces.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use ammonia::{Builder, UrlRelative, UrlRelativeEvaluate};
use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::catalog::{Catalog, LinkTarget, Mention, is_safe_data_image};
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
        let mut href = format!("{}{}", self.options.doc_href, doc.id);
        if let Some(a) = anchor {
            let slug = self.anchor_slug(doc, a);
            let _ = write!(href, "?section={ID_PREFIX}{slug}");
        }
        href
    }

    fn anchor_slug(&self, doc: &Document, anchor: &str) -> String {
        let decoded = percent_encoding::percent_decode_str(anchor).decode_utf8_lossy();
        if doc.outline.headings.iter().any(|h| h.slug == decoded) { decoded.into_owned() } else { scan::slug(&decoded) }
    }

    fn to_html(&self, index: usize) -> String {
        let catalog = self.catalog;
        let doc = &catalog.documents()[index];
        let links = catalog.links(index);
        let mut mentions: HashMap<u32, Vec<Mention>> = HashMap::new();
        if self.options.link_mentions {
            for m in catalog.mentions(index) {
                mentions.entry(m.event).or_default().push(*m);
            }
        }
        let mut footnotes: HashMap<String, usize> = HashMap::new();
        let mut events: Vec<Event<'_>> = Vec::new();
        let mut link_no = 0usize;
        let mut heading_no = 0usize;
        let mut text_no = 0u32;
        // Closing tags for open links/images, since some are rewritten to spans.
        let mut closers: Vec<&'static str> = Vec::new();
        // Inside `[[id]]` without a label, the target text is replaced by the document's title.
        let mut replace_text: Option<String> = None;
        let mut in_replaced = false;
        let mut seen_fn_defs: HashSet<String> = HashSet::new();
        // Table cells are written here rather than by pulldown-cmark, whose `style="text-align"`
        // the sanitizer (and the CSP) would drop: alignment becomes an allow-listed class.
        let mut table = TableCells::default();

        for event in Parser::new_ext(&doc.body, scan::parser_options()) {
            match event {
                Event::Start(Tag::Table(aligns)) => {
                    table = TableCells { aligns: aligns.clone(), ..TableCells::default() };
                    events.push(Event::Start(Tag::Table(aligns)));
                }
                Event::Start(Tag::TableHead) => {
                    table.head = true;
                    table.cell = 0;
                    events.push(Event::Start(Tag::TableHead));
                }
                Event::End(TagEnd::TableHead) => {
                    table.head = false;
                    events.push(Event::End(TagEnd::TableHead));
                }
                Event::Start(Tag::TableRow) => {
                    table.cell = 0;
                    events.push(Event::Start(Tag::TableRow));
                }
                Event::Start(Tag::TableCell) => events.push(Event::Html(table.open().into())),
                Event::End(TagEnd::TableCell) => events.push(Event::Html(table.close().into())),
                Event::Start(Tag::Heading { level, id: _, classes, attrs }) => {
                    let slug = doc.outline.headings.get(heading_no).map(|h| h.slug.clone());
                    heading_no += 1;
                    events.push(Event::Start(Tag::Heading { level, id: slug.map(CowStr::from), classes, attrs }));
                }
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                    let target = links.get(link_no).cloned().unwrap_or(LinkTarget::Refused);
                    link_no += 1;
                    let is_wiki_plain = matches!(link_type, LinkType::WikiLink { has_pothole: false });
                    let title_attr =
                        if title.is_empty() { String::new() } else { format!(" title=\"{}\"", escape(&title)) };
                    let _ = (dest_url, id);
                    match target {
                        LinkTarget::Document { index: to, anchor } => {
                            let d = &catalog.documents()[to];
                            events.push(Event::Html(
                                format!(
                                    "<a class=\"doc-link\" href=\"{}\" data-doc=\"{}\"{title_attr}>",
                                    escape(&self.doc_href(to, anchor.as_deref())),
                                    escape(&d.id)
                                )
                                .into(),
                            ));
                            if is_wiki_plain {
                                replace_text = Some(match &anchor {
                                    Some(a) => format!("{} › {}", d.title, heading_text(d, a)),
                                    None => link_label(d),
                                });
                                in_replaced = true;
                            }
                            closers.push("</a>");
                        }
                        LinkTarget::Anchor(a) => {
                            events.push(Event::Html(
                                format!(
                                    "<a class=\"doc-link\" href=\"{}\"{title_attr}>",
                                    escape(&self.doc_href(index, Some(&a)))
                                )
                                .into(),
                            ));
                            closers.push("</a>");
                        }
                        LinkTarget::External(url) => {
                            events.push(Event::Html(
                                format!("<a class=\"external\" href=\"{}\"{title_attr}>", escape(&url)).into(),
                            ));
                            closers.push("</a>");
                        }
                        LinkTarget::Asset(path) => {
                            events.push(Event::Html(
                                format!(
                                    "<a class=\"asset-link\" href=\"{}{}\"{title_attr}>",
                                    escape(&self.options.asset_href),
                                    escape(&encode_path(&path))
                                )
                                .into(),
                            ));
                            closers.push("</a>");
                        }
                        LinkTarget::DataImage(_) | LinkTarget::Refused => {
                            events.push(Event::Html(
                                "<span class=\"broken-link\" title=\"This link does not lead anywhere in the hub\">"
                                    .into(),
                            ));
                            closers.push("</span>");
                        }
                    }
                }
                Event::End(TagEnd::Link) => {
                    replace_text = None;
                    in_replaced = false;
                    events.push(Event::Html(closers.pop().unwrap_or("</a>").into()));
                }
                Event::Start(Tag::Image { link_type, dest_url: _, title, id }) => {
                    let target = links.get(link_no).cloned().unwrap_or(LinkTarget::Refused);
                    link_no += 1;
                    match target {
                        LinkTarget::Asset(path) => {
                            let src = format!("{}{}", self.options.asset_href, encode_path(&path));
                            events.push(Event::Start(Tag::Image { link_type, dest_url: src.into(), title, id }));
                            closers.push("");
                        }
                        LinkTarget::DataImage(url) if is_safe_data_image(&url) => {
                            events.push(Event::Start(Tag::Image { link_type, dest_url: url.into(), title, id }));
                            closers.push("");
                        }
                        _ => {
                            events.push(Event::Html(
                                "<span class=\"blocked-image\" title=\"This image is not loaded\">".into(),
                            ));
                            closers.push("</span>");
                        }
                    }
                }
                Event::End(TagEnd::Image) => match closers.pop() {
                    Some("") | None => events.push(Event::End(TagEnd::Image)),
                    Some(close) => events.push(Event::Html(close.into())),
                },
                Event::Text(text) => {
                    let n = text_no;
                    text_no += 1;
                    if in_replaced {
                        if let Some(title) = replace_text.take() {
                            events.push(Event::Text(title.into()));
                        }
                        continue;
                    }
                    match mentions.get(&n) {
                        Some(ms) => self.push_mentions(&mut events, &text, ms),
                        None => events.push(Event::Text(text)),
                    }
                }
                Event::TaskListMarker(done) => {
                    events.push(Event::Text(if done { "☑ " } else { "☐ " }.into()));
                }
                Event::FootnoteReference(label) => {
                    let next = footnotes.len() + 1;
                    let n = *footnotes.entry(label.to_string()).or_insert(next);
                    let slug = scan::slug(&label);
                    events.push(Event::Html(
                        format!(
                            "<sup class=\"footnote-ref\"><a class=\"doc-link\" href=\"{}\">{n}</a></sup>",
                            escape(&format!("{}{}?section={ID_PREFIX}fn-{slug}", self.options.doc_href, doc.id))
                        )
                        .into(),
                    ));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let next = footnotes.len() + 1;
                    let n = *footnotes.entry(label.to_string()).or_insert(next);
                    let slug = scan::slug(&label);
                    let id =
                        if seen_fn_defs.insert(slug.clone()) { format!(" id=\"fn-{slug}\"") } else { String::new() };
                    events.push(Event::Html(
                        format!("<div class=\"footnote\"{id}><span class=\"footnote-label\">{n}.</span> ").into(),
                    ));
                }
                Event::End(TagEnd::FootnoteDefinition) => events.push(Event::Html("</div>".into())),
                other => events.push(other),
            }
        }
        let mut html = String::with_capacity(doc.body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
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

/// The state of the table being written: its column alignments and the current cell.
#[derive(Default)]
struct TableCells {
    aligns: Vec<pulldown_cmark::Alignment>,
    head: bool,
    cell: usize,
}

impl TableCells {
    fn tag(&self) -> &'static str {
        if self.head { "th" } else { "td" }
    }

    fn open(&self) -> String {
        let class = match self.aligns.get(self.cell) {
            Some(pulldown_cmark::Alignment::Left) => " class=\"align-left\"",
            Some(pulldown_cmark::Alignment::Center) => " class=\"align-center\"",
            Some(pulldown_cmark::Alignment::Right) => " class=\"align-right\"",
            _ => "",
        };
        format!("<{}{class}>", self.tag())
    }

    fn close(&mut self) -> String {
        self.cell += 1;
        format!("</{}>", self.tag())
    }
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
    let slug = scan::slug(anchor);
    doc.outline
        .headings
        .iter()
        .find(|h| h.slug == anchor || h.slug == slug)
        .map_or_else(|| anchor.to_string(), |h| h.text.clone())
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

/// Classes Guildhall itself puts on elements; every other class is removed.
const CLASSES: &[&str] = &[
    "term",
    "doc-link",
    "external",
    "asset-link",
    "broken-link",
    "blocked-image",
    "footnote",
    "footnote-ref",
    "footnote-label",
    "render-refused",
    "align-left",
    "align-center",
    "align-right",
];

fn sanitizer(options: &RenderOptions) -> Builder<'static> {
    let mut b = Builder::default();
    b.rm_tags(["map", "area"]);
    b.add_tag_attributes("a", ["class", "data-doc", "data-term", "data-plain"]);
    b.add_tag_attributes("span", ["class"]);
    b.add_tag_attributes("div", ["class", "id"]);
    b.add_tag_attributes("sup", ["class"]);
    b.add_tag_attributes("p", ["class"]);
    b.add_tag_attributes("code", ["class"]);
    b.add_tag_attributes("th", ["class"]);
    b.add_tag_attributes("td", ["class"]);
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, ["id"]);
    }
    b.id_prefix(Some(ID_PREFIX));
    b.link_rel(Some("noopener noreferrer"));
    b.url_schemes(["http", "https", "mailto", "tel", "data"].into_iter().collect());
    b.url_relative(UrlRelative::Custom(Box::new(RelativeUrls {
        prefixes: [options.doc_href.clone(), options.asset_href.clone()],
    })));
    b.attribute_filter(|element, attribute, value| match (element, attribute) {
        (_, "class") => {
            let kept: Vec<&str> = value
                .split_whitespace()
                .filter(|c| {
                    CLASSES.contains(c)
                        || (element == "code"
                            && c.strip_prefix("language-").is_some_and(|l| {
                                !l.is_empty()
                                    && l.len() < 32
                                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b"+#-_.".contains(&b))
                            }))
                })
                .collect();
            if kept.is_empty() { None } else { Some(kept.join(" ").into()) }
        }
        ("img", "src") => {
            let lower = value.trim_start().to_ascii_lowercase();
            if lower.starts_with("data:") {
                is_safe_data_image(value.trim_start()).then(|| value.into())
            } else if lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//") {
                None // no remote resources
            } else {
                Some(value.into())
            }
        }
        (_, "href") if value.trim_start().to_ascii_lowercase().starts_with("data:") => None,
        _ => Some(value.into()),
    });
    b
}

/// Relative URLs survive sanitizing only with a prefix this renderer emits, and never climb.
struct RelativeUrls {
    prefixes: [String; 2],
}

impl UrlRelativeEvaluate<'static> for RelativeUrls {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        let allowed = self.prefixes.iter().any(|p| !p.is_empty() && url.starts_with(p.as_str()));
        let climbs = url.split(['/', '\\', '?', '#']).any(|seg| seg == ".." || seg.eq_ignore_ascii_case("%2e%2e"));
        (allowed && !climbs).then_some(Cow::Borrowed(url))
    }
}
