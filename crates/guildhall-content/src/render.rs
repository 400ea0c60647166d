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
        let catalog = self.catalog;
        let doc = &catalog.documents()[index];
        let prepared = scan::prepare(&doc.body);
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
        // Open block quotes: what closes each (a plain quote, a callout, a tab).
        let mut quotes: Vec<Quote> = Vec::new();
        // While a callout's header line is being skipped: where it ends, and where the
        // paragraph it starts was opened (dropped if nothing else is in it).
        let mut header: Option<(usize, Option<usize>, bool)> = None;
        // Where the `</div>` closing the last tab set is, to continue the set with the next tab.
        let mut tabset_close: Option<usize> = None;
        let mut in_code = 0usize;
        let mut skipping_embed = false;

        for (event, range) in Parser::new_ext(&prepared, scan::parser_options()).into_offset_iter() {
            let before = events.len();
            let visible = section.as_ref().is_none_or(|r| range.start >= r.start && range.start < r.end);
            if let Some((end, p_at, broke)) = header {
                if range.start < end || (!broke && matches!(event, Event::SoftBreak | Event::HardBreak)) {
                    match &event {
                        Event::Start(Tag::Paragraph) => {
                            header = Some((end, Some(events.len()), broke));
                            events.push(Event::Start(Tag::Paragraph));
                        }
                        Event::End(TagEnd::Paragraph) => {
                            header = None;
                            if let Some(at) = p_at {
                                events.truncate(at);
                            }
                        }
                        Event::Text(_) => text_no += 1,
                        Event::Start(Tag::Link { .. } | Tag::Image { .. }) => link_no += 1,
                        Event::SoftBreak | Event::HardBreak => header = Some((end, p_at, true)),
                        Event::Html(h) | Event::InlineHtml(h) => link_no += scan::raw_img_srcs(h).len(),
                        _ => {}
                    }
                    continue;
                }
                header = None;
            }
            if skipping_embed {
                match event {
                    Event::Text(_) => text_no += 1,
                    Event::End(TagEnd::Image) => skipping_embed = false,
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Start(Tag::BlockQuote(_)) => {
                    let line = prepared[range.start..].lines().next().unwrap_or("");
                    match callout_header(line) {
                        Some(c) => {
                            header = Some((range.start + line.len(), None, false));
                            if c.kind == "tab" {
                                match tabset_close {
                                    Some(at) if at + 1 == events.len() => {
                                        events.pop();
                                    }
                                    _ => events.push(Event::Html("<div class=\"tabset\">".into())),
                                }
                                events.push(Event::Html(
                                    format!("<section class=\"tab\"><p class=\"tab-label\">{}</p>", escape(&c.title))
                                        .into(),
                                ));
                                quotes.push(Quote::Tab);
                            } else {
                                let class = format!("callout callout-{}", c.kind);
                                let title = escape(&c.title);
                                let open = match c.fold {
                                    Some(open) => {
                                        quotes.push(Quote::Folded);
                                        format!(
                                            "<details class=\"{class}\"{}><summary class=\"callout-title\">{title}</summary><div class=\"callout-body\">",
                                            if open { " open" } else { "" }
                                        )
                                    }
                                    None => {
                                        quotes.push(Quote::Callout);
                                        format!(
                                            "<div class=\"{class}\" role=\"note\"><p class=\"callout-title\">{title}</p><div class=\"callout-body\">"
                                        )
                                    }
                                };
                                events.push(Event::Html(open.into()));
                            }
                        }
                        None => {
                            quotes.push(Quote::Plain);
                            events.push(Event::Html("<blockquote>".into()));
                        }
                    }
                }
                Event::End(TagEnd::BlockQuote(_)) => {
                    let close = match quotes.pop() {
                        Some(Quote::Callout) => "</div></div>",
                        Some(Quote::Folded) => "</div></details>",
                        Some(Quote::Tab) => "</section></div>",
                        Some(Quote::Plain) | None => "</blockquote>",
                    };
                    if close == "</section></div>" {
                        // The set's closing tag on its own, so that a tab right after it can
                        // take it away and join the set.
                        events.push(Event::Html("</section>".into()));
                        events.push(Event::Html("</div>".into()));
                        tabset_close = Some(events.len() - 1);
                    } else {
                        events.push(Event::Html(close.into()));
                    }
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    in_code += 1;
                    events.push(Event::Start(Tag::CodeBlock(kind)));
                }
                Event::End(TagEnd::CodeBlock) => {
                    in_code = in_code.saturating_sub(1);
                    events.push(Event::End(TagEnd::CodeBlock));
                }
                Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                    if let Some(Event::Text(t)) = events.last()
                        && let Some(id) = scan::block_id(t)
                        && doc.outline.block_ids.iter().any(|b| b == id)
                    {
                        let id = id.to_string();
                        let kept = t[..t.rfind('^').unwrap_or(t.len())].trim_end().to_string();
                        events.pop();
                        events.push(Event::Text(kept.into()));
                        events.push(Event::Html(format!("<span id=\"block-{}\"></span>", escape(&id)).into()));
                    }
                    events.push(event);
                }
                Event::Html(h) | Event::InlineHtml(h) if !scan::raw_img_srcs(&h).is_empty() => {
                    let srcs = scan::raw_img_srcs(&h);
                    let mut out = String::with_capacity(h.len());
                    let mut pos = 0;
                    for (r, _) in srcs {
                        let target = links.get(link_no).cloned().unwrap_or(LinkTarget::Refused);
                        link_no += 1;
                        out.push_str(&h[pos..r.start]);
                        match target {
                            LinkTarget::Asset(path) => {
                                out.push_str(&escape(&format!("{}{}", self.options.asset_href, encode_path(&path))))
                            }
                            LinkTarget::DataImage(url) if is_safe_data_image(&url) => out.push_str(&escape(&url)),
                            _ => {}
                        }
                        pos = r.end;
                    }
                    out.push_str(&h[pos..]);
                    events.push(Event::Html(out.into()));
                }
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
                Event::Start(Tag::Image { link_type: LinkType::WikiLink { .. }, dest_url, .. }) => {
                    let target = links.get(link_no).cloned().unwrap_or(LinkTarget::Refused);
                    link_no += 1;
                    match self.embed(target, &dest_url, embeds) {
                        Some(html) => {
                            events.push(Event::Html(html.into()));
                            skipping_embed = true;
                        }
                        None => {
                            events.push(Event::Html(
                                "<span class=\"broken-link\" title=\"This embed does not lead anywhere in the hub\">"
                                    .into(),
                            ));
                            closers.push("</span>");
                        }
                    }
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
                    if text.contains("{{#")
                        && let Some(expanded) = crate::include::expand(&doc.path, &text, &catalog.assets().included)
                    {
                        events.push(Event::Text(expanded.into()));
                        continue;
                    }
                    let ms = mentions.get(&n).map_or(&[][..], Vec::as_slice);
                    if in_code == 0 && text.contains("==") {
                        self.push_highlighted(&mut events, &text, ms);
                    } else if ms.is_empty() {
                        events.push(Event::Text(text));
                    } else {
                        self.push_mentions(&mut events, &text, ms);
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
                Event::InlineMath(tex) => events.push(Event::Html(math_html(&tex, false).into())),
                Event::DisplayMath(tex) => events.push(Event::Html(math_html(&tex, true).into())),
                other => events.push(other),
            }
            if !visible {
                events.truncate(before);
            }
        }
        let mut html = String::with_capacity(doc.body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
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

/// TeX longer than this, or with braces nested deeper, is shown as code rather than handed to
/// the MathML renderer (which recurses on nesting).
const MAX_TEX_BYTES: usize = 8 * 1024;
const MAX_TEX_NESTING: usize = 32;

/// TeX as MathML, made here in Rust (pulldown-latex) and sanitized with the rest of the page:
/// no script, no style sheet, nothing inline that the CSP would refuse. TeX the renderer
/// cannot take is shown as code.
fn math_html(tex: &str, display: bool) -> String {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for b in tex.bytes() {
        match b {
            b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let as_code = || {
        let (open, close) = if display {
            ("<pre><code class=\"math\">", "</code></pre>")
        } else {
            ("<code class=\"math\">", "</code>")
        };
        format!("{open}{}{close}", escape(tex))
    };
    if tex.len() > MAX_TEX_BYTES || deepest > MAX_TEX_NESTING {
        return as_code();
    }
    let storage = pulldown_latex::Storage::new();
    let parser = pulldown_latex::Parser::new(tex, &storage);
    let config = pulldown_latex::RenderConfig {
        display_mode: if display {
            pulldown_latex::config::DisplayMode::Block
        } else {
            pulldown_latex::config::DisplayMode::Inline
        },
        annotation: Some(tex),
        ..Default::default()
    };
    let mut out = String::new();
    match pulldown_latex::push_mathml(&mut out, parser, config) {
        Ok(()) => out,
        Err(_) => as_code(),
    }
}

/// MathML elements and attributes the sanitizer lets through (MathML Core presentation
/// markup; no `href`, no `style`, no `class`).
const MATHML_TAGS: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msup",
    "msub",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "munder",
    "mover",
    "munderover",
    "mtable",
    "mtr",
    "mtd",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
    "merror",
    "mmultiscripts",
    "mprescripts",
    "none",
];
const MATHML_ATTRS: &[&str] = &[
    "display",
    "mathvariant",
    "stretchy",
    "fence",
    "separator",
    "lspace",
    "rspace",
    "accent",
    "accentunder",
    "movablelimits",
    "columnalign",
    "rowalign",
    "rowspacing",
    "columnspacing",
    "displaystyle",
    "scriptlevel",
    "linethickness",
    "form",
    "largeop",
    "symmetric",
    "minsize",
    "maxsize",
    "width",
    "height",
    "depth",
    "voffset",
    "encoding",
    "notation",
    "columnspan",
    "rowspan",
];

/// How deep note embeds may nest, and how many one page may show in all.
const MAX_EMBED_DEPTH: usize = 4;
const MAX_EMBEDS: usize = 64;

/// The notes being embedded (the page itself first) and how many were embedded so far.
struct Embeds {
    stack: Vec<usize>,
    count: usize,
}

/// What an open block quote is.
enum Quote {
    Plain,
    Callout,
    Folded,
    Tab,
}

/// An Obsidian callout's first line, `> [!kind]± Title` (MkDocs admonitions and tabs arrive
/// in this form too, see [`scan::prepare`]).
struct CalloutHeader {
    /// One of [`CALLOUT_KINDS`], or `tab`.
    kind: &'static str,
    /// `Some(open)` when it folds.
    fold: Option<bool>,
    title: String,
}

/// Callout kinds and the names that mean them, as Obsidian and MkDocs spell them.
const CALLOUT_KINDS: &[(&str, &[&str])] = &[
    ("note", &["note", "seealso"]),
    ("abstract", &["abstract", "summary", "tldr"]),
    ("info", &["info", "todo"]),
    ("tip", &["tip", "hint", "important"]),
    ("success", &["success", "check", "done"]),
    ("question", &["question", "help", "faq"]),
    ("warning", &["warning", "caution", "attention"]),
    ("failure", &["failure", "fail", "missing"]),
    ("danger", &["danger", "error"]),
    ("bug", &["bug"]),
    ("example", &["example"]),
    ("quote", &["quote", "cite"]),
];

fn callout_header(line: &str) -> Option<CalloutHeader> {
    let t = line.trim_start().strip_prefix('>')?.trim_start();
    let t = t.strip_prefix("[!")?;
    let close = t.find(']')?;
    let typed = &t[..close];
    if typed.is_empty() || !typed.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return None;
    }
    let rest = &t[close + 1..];
    let (fold, rest) = match rest.chars().next() {
        Some('+') => (Some(true), &rest[1..]),
        Some('-') => (Some(false), &rest[1..]),
        _ => (None, rest),
    };
    let lower = typed.to_ascii_lowercase();
    let kind = if lower == "tab" {
        "tab"
    } else {
        CALLOUT_KINDS.iter().find(|(_, names)| names.contains(&lower.as_str())).map_or("note", |(k, _)| k)
    };
    let mut title = rest.trim().to_string();
    if title.is_empty() {
        let mut chars = typed.chars();
        title = chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default();
        title = title.replace(['-', '_'], " ");
    }
    Some(CalloutHeader { kind, fold, title })
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
    "callout",
    "callout-title",
    "callout-body",
    "callout-note",
    "callout-abstract",
    "callout-info",
    "callout-tip",
    "callout-success",
    "callout-question",
    "callout-warning",
    "callout-failure",
    "callout-danger",
    "callout-bug",
    "callout-example",
    "callout-quote",
    "tabset",
    "tab",
    "tab-label",
    "embed",
    "embed-source",
    "embed-refused",
    "embed-note",
    "embed-image",
    "math",
];

fn sanitizer(options: &RenderOptions) -> Builder<'static> {
    let mut b = Builder::default();
    b.rm_tags(["map", "area"]);
    b.add_tag_attributes("a", ["class", "data-doc", "data-term", "data-plain", "id"]);
    b.add_tags(["details", "summary", "section", "mark", "audio", "video"]);
    b.add_tags(MATHML_TAGS.iter().copied());
    for t in MATHML_TAGS {
        b.add_tag_attributes(t, MATHML_ATTRS.iter().copied());
    }
    b.add_tag_attributes("code", ["class"]);
    b.add_tag_attributes("span", ["class", "id"]);
    b.add_tag_attributes("div", ["class", "id", "role"]);
    b.add_tag_attributes("details", ["class", "open"]);
    b.add_tag_attributes("summary", ["class"]);
    b.add_tag_attributes("section", ["class"]);
    b.add_tag_attributes("img", ["class"]);
    b.add_tag_attributes("audio", ["controls", "preload", "src"]);
    b.add_tag_attributes("video", ["controls", "preload", "src"]);
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
        ("div", "role") => (value == "note").then(|| value.into()),
        ("audio" | "video", "preload") => (value == "none").then(|| value.into()),
        ("img" | "audio" | "video", "src") => {
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
