//! The rewrite of one body's event stream: links and images to the app's routes, callouts,
//! tabs, tables, footnotes, block ids, highlights, glossary mentions, embeds and TeX. What
//! lives across events (open quotes, the current table, which link or heading comes next) is a
//! [`BodyWriter`]; each kind of event has its own method.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::math::math_html;
use super::{Embeds, ID_PREFIX, Renderer, encode_path, escape, heading_text, link_label};
use crate::catalog::{LinkTarget, Mention, is_safe_data_image};
use crate::model::Document;
use crate::scan;

/// One document body (or one section of it) being rewritten, event by event.
pub(super) struct BodyWriter<'a> {
    r: &'a Renderer<'a>,
    /// The document and its prepared body (see [`scan::prepare`]), which the events borrow.
    index: usize,
    doc: &'a Document,
    prepared: &'a str,
    links: &'a [LinkTarget],
    /// Glossary mentions to link, by text event.
    mentions: HashMap<u32, Vec<Mention>>,
    /// What is written so far.
    pub(super) events: Vec<Event<'a>>,
    footnotes: HashMap<String, usize>,
    seen_fn_defs: HashSet<String>,
    /// Which link, heading and text event of the outline comes next.
    link_no: usize,
    heading_no: usize,
    text_no: u32,
    /// Closing tags for open links/images, since some are rewritten to spans.
    closers: Vec<&'static str>,
    /// Inside `[[id]]` without a label, the target text is replaced by the document's title.
    replace_text: Option<String>,
    in_replaced: bool,
    /// Table cells are written here rather than by pulldown-cmark, whose `style="text-align"`
    /// the sanitizer (and the CSP) would drop: alignment becomes an allow-listed class.
    table: TableCells,
    /// Open block quotes: what closes each (a plain quote, a callout, a tab).
    quotes: Vec<Quote>,
    /// While a callout's header line is being skipped: where it ends, where the paragraph it
    /// starts was opened (dropped if nothing else is in it), and whether a line break was seen.
    header: Option<(usize, Option<usize>, bool)>,
    /// Where the `</div>` closing the last tab set is, to continue the set with the next tab.
    tabset_close: Option<usize>,
    in_code: usize,
    /// Inside an embed's image events, which the embed replaced.
    skipping_embed: bool,
}

impl<'a> BodyWriter<'a> {
    pub(super) fn new(r: &'a Renderer<'a>, index: usize, prepared: &'a str) -> BodyWriter<'a> {
        let catalog = r.catalog;
        let mut mentions: HashMap<u32, Vec<Mention>> = HashMap::new();
        if r.options.link_mentions {
            for m in catalog.mentions(index) {
                mentions.entry(m.event).or_default().push(*m);
            }
        }
        BodyWriter {
            r,
            index,
            doc: &catalog.documents()[index],
            prepared,
            links: catalog.links(index),
            mentions,
            events: Vec::new(),
            footnotes: HashMap::new(),
            seen_fn_defs: HashSet::new(),
            link_no: 0,
            heading_no: 0,
            text_no: 0,
            closers: Vec::new(),
            replace_text: None,
            in_replaced: false,
            table: TableCells::default(),
            quotes: Vec::new(),
            header: None,
            tabset_close: None,
            in_code: 0,
            skipping_embed: false,
        }
    }

    /// Whether the event is swallowed: part of a callout's header line, or of an image an
    /// embed replaced. Counts the outline's links and text events it passes.
    pub(super) fn skips(&mut self, event: &Event<'a>, start: usize) -> bool {
        if let Some((end, p_at, broke)) = self.header {
            if start < end || (!broke && matches!(event, Event::SoftBreak | Event::HardBreak)) {
                match event {
                    Event::Start(Tag::Paragraph) => {
                        self.header = Some((end, Some(self.events.len()), broke));
                        self.events.push(Event::Start(Tag::Paragraph));
                    }
                    Event::End(TagEnd::Paragraph) => {
                        self.header = None;
                        if let Some(at) = p_at {
                            self.events.truncate(at);
                        }
                    }
                    Event::Text(_) => self.text_no += 1,
                    Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.link_no += 1,
                    Event::SoftBreak | Event::HardBreak => self.header = Some((end, p_at, true)),
                    Event::Html(h) | Event::InlineHtml(h) => self.link_no += scan::raw_img_srcs(h).len(),
                    _ => {}
                }
                return true;
            }
            self.header = None;
        }
        if self.skipping_embed {
            match event {
                Event::Text(_) => self.text_no += 1,
                Event::End(TagEnd::Image) => self.skipping_embed = false,
                _ => {}
            }
            return true;
        }
        false
    }

    /// Writes one event (starting at byte `start` of the prepared body).
    pub(super) fn event(&mut self, event: Event<'a>, start: usize, embeds: &mut Embeds) {
        match event {
            Event::Start(Tag::BlockQuote(_)) => self.open_quote(start),
            Event::End(TagEnd::BlockQuote(_)) => self.close_quote(),
            Event::Start(Tag::CodeBlock(kind)) => {
                self.in_code += 1;
                self.events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = self.in_code.saturating_sub(1);
                self.events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => self.end_block(event),
            Event::Html(h) | Event::InlineHtml(h) if !scan::raw_img_srcs(&h).is_empty() => self.raw_images(&h),
            Event::Start(Tag::Table(aligns)) => {
                self.table = TableCells { aligns: aligns.clone(), ..TableCells::default() };
                self.events.push(Event::Start(Tag::Table(aligns)));
            }
            Event::Start(Tag::TableHead) => {
                self.table.head = true;
                self.table.cell = 0;
                self.events.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                self.table.head = false;
                self.events.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                self.table.cell = 0;
                self.events.push(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => self.events.push(Event::Html(self.table.open().into())),
            Event::End(TagEnd::TableCell) => self.events.push(Event::Html(self.table.close().into())),
            Event::Start(Tag::Heading { level, id: _, classes, attrs }) => {
                let slug = self.doc.outline.headings.get(self.heading_no).map(|h| h.slug.clone());
                self.heading_no += 1;
                self.events.push(Event::Start(Tag::Heading { level, id: slug.map(CowStr::from), classes, attrs }));
            }
            Event::Start(Tag::Link { link_type, dest_url: _, title, id: _ }) => self.open_link(link_type, &title),
            Event::End(TagEnd::Link) => {
                self.replace_text = None;
                self.in_replaced = false;
                self.events.push(Event::Html(self.closers.pop().unwrap_or("</a>").into()));
            }
            Event::Start(Tag::Image { link_type: LinkType::WikiLink { .. }, dest_url, .. }) => {
                self.open_embed(&dest_url, embeds);
            }
            Event::Start(Tag::Image { link_type, dest_url: _, title, id }) => self.open_image(link_type, title, id),
            Event::End(TagEnd::Image) => match self.closers.pop() {
                Some("") | None => self.events.push(Event::End(TagEnd::Image)),
                Some(close) => self.events.push(Event::Html(close.into())),
            },
            Event::Text(text) => self.text(text),
            Event::TaskListMarker(done) => {
                self.events.push(Event::Text(if done { "☑ " } else { "☐ " }.into()));
            }
            Event::FootnoteReference(label) => self.footnote_ref(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => self.footnote_def(&label),
            Event::End(TagEnd::FootnoteDefinition) => self.events.push(Event::Html("</div>".into())),
            Event::InlineMath(tex) => self.events.push(Event::Html(math_html(&tex, false).into())),
            Event::DisplayMath(tex) => self.events.push(Event::Html(math_html(&tex, true).into())),
            other => self.events.push(other),
        }
    }

    /// The outline's next link target (links, images, embeds and raw `<img>` sources, in order).
    fn next_target(&mut self) -> LinkTarget {
        let target = self.links.get(self.link_no).cloned().unwrap_or(LinkTarget::Refused);
        self.link_no += 1;
        target
    }

    /// A block quote: an Obsidian callout (folding or not), a tab (joining the tab set just
    /// before it), or a plain quote.
    fn open_quote(&mut self, start: usize) {
        let line = self.prepared[start..].lines().next().unwrap_or("");
        let Some(c) = callout_header(line) else {
            self.quotes.push(Quote::Plain);
            self.events.push(Event::Html("<blockquote>".into()));
            return;
        };
        self.header = Some((start + line.len(), None, false));
        if c.kind == "tab" {
            match self.tabset_close {
                Some(at) if at + 1 == self.events.len() => {
                    self.events.pop();
                }
                _ => self.events.push(Event::Html("<div class=\"tabset\">".into())),
            }
            self.events.push(Event::Html(
                format!("<section class=\"tab\"><p class=\"tab-label\">{}</p>", escape(&c.title)).into(),
            ));
            self.quotes.push(Quote::Tab);
            return;
        }
        let class = format!("callout callout-{}", c.kind);
        let title = escape(&c.title);
        let open = match c.fold {
            Some(open) => {
                self.quotes.push(Quote::Folded);
                format!(
                    "<details class=\"{class}\"{}><summary class=\"callout-title\">{title}</summary><div class=\"callout-body\">",
                    if open { " open" } else { "" }
                )
            }
            None => {
                self.quotes.push(Quote::Callout);
                format!(
                    "<div class=\"{class}\" role=\"note\"><p class=\"callout-title\">{title}</p><div class=\"callout-body\">"
                )
            }
        };
        self.events.push(Event::Html(open.into()));
    }

    fn close_quote(&mut self) {
        let close = match self.quotes.pop() {
            Some(Quote::Callout) => "</div></div>",
            Some(Quote::Folded) => "</div></details>",
            Some(Quote::Tab) => "</section></div>",
            Some(Quote::Plain) | None => "</blockquote>",
        };
        if close == "</section></div>" {
            // The set's closing tag on its own, so that a tab right after it can take it away
            // and join the set.
            self.events.push(Event::Html("</section>".into()));
            self.events.push(Event::Html("</div>".into()));
            self.tabset_close = Some(self.events.len() - 1);
        } else {
            self.events.push(Event::Html(close.into()));
        }
    }

    /// The end of a paragraph or list item: a trailing Obsidian block id (`^id`) becomes an
    /// anchor element.
    fn end_block(&mut self, end: Event<'a>) {
        if let Some(Event::Text(t)) = self.events.last()
            && let Some(id) = scan::block_id(t)
            && self.doc.outline.block_ids.iter().any(|b| b == id)
        {
            let id = id.to_string();
            let kept = t[..t.rfind('^').unwrap_or(t.len())].trim_end().to_string();
            self.events.pop();
            self.events.push(Event::Text(kept.into()));
            self.events.push(Event::Html(format!("<span id=\"block-{}\"></span>", escape(&id)).into()));
        }
        self.events.push(end);
    }

    /// Raw HTML with `<img src>`: each source replaced by what it resolved to (or emptied).
    fn raw_images(&mut self, h: &str) {
        let srcs = scan::raw_img_srcs(h);
        let mut out = String::with_capacity(h.len());
        let mut pos = 0;
        for (r, _) in srcs {
            let target = self.next_target();
            out.push_str(&h[pos..r.start]);
            match target {
                LinkTarget::Asset(path) => {
                    out.push_str(&escape(&format!("{}{}", self.r.options.asset_href, encode_path(&path))))
                }
                LinkTarget::DataImage(url) if is_safe_data_image(&url) => out.push_str(&escape(&url)),
                _ => {}
            }
            pos = r.end;
        }
        out.push_str(&h[pos..]);
        self.events.push(Event::Html(out.into()));
    }

    /// A link, written as the app's own `<a>` for where it resolved to, or a span saying it
    /// leads nowhere.
    fn open_link(&mut self, link_type: LinkType, title: &str) {
        let target = self.next_target();
        let is_wiki_plain = matches!(link_type, LinkType::WikiLink { has_pothole: false });
        let title_attr = if title.is_empty() { String::new() } else { format!(" title=\"{}\"", escape(title)) };
        let open = match target {
            LinkTarget::Document { index: to, anchor } => {
                let d = &self.r.catalog.documents()[to];
                if is_wiki_plain {
                    self.replace_text = Some(match &anchor {
                        Some(a) => format!("{} › {}", d.title, heading_text(d, a)),
                        None => link_label(d),
                    });
                    self.in_replaced = true;
                }
                format!(
                    "<a class=\"doc-link\" href=\"{}\" data-doc=\"{}\"{title_attr}>",
                    escape(&self.r.doc_href(to, anchor.as_deref())),
                    escape(&d.id)
                )
            }
            LinkTarget::Anchor(a) => format!(
                "<a class=\"doc-link\" href=\"{}\"{title_attr}>",
                escape(&self.r.doc_href(self.index, Some(&a)))
            ),
            LinkTarget::External(url) => format!("<a class=\"external\" href=\"{}\"{title_attr}>", escape(&url)),
            LinkTarget::Asset(path) => format!(
                "<a class=\"asset-link\" href=\"{}{}\"{title_attr}>",
                escape(&self.r.options.asset_href),
                escape(&encode_path(&path))
            ),
            LinkTarget::DataImage(_) | LinkTarget::Refused => {
                self.events.push(Event::Html(
                    "<span class=\"broken-link\" title=\"This link does not lead anywhere in the hub\">".into(),
                ));
                self.closers.push("</span>");
                return;
            }
        };
        self.events.push(Event::Html(open.into()));
        self.closers.push("</a>");
    }

    /// An embed (`![[target]]`): what it shows replaces the image events that follow.
    fn open_embed(&mut self, dest: &str, embeds: &mut Embeds) {
        let target = self.next_target();
        match self.r.embed(target, dest, embeds) {
            Some(html) => {
                self.events.push(Event::Html(html.into()));
                self.skipping_embed = true;
            }
            None => {
                self.events.push(Event::Html(
                    "<span class=\"broken-link\" title=\"This embed does not lead anywhere in the hub\">".into(),
                ));
                self.closers.push("</span>");
            }
        }
    }

    /// An image: a file of the hub or a safe inline image; anything else is not loaded.
    fn open_image(&mut self, link_type: LinkType, title: CowStr<'a>, id: CowStr<'a>) {
        match self.next_target() {
            LinkTarget::Asset(path) => {
                let src = format!("{}{}", self.r.options.asset_href, encode_path(&path));
                self.events.push(Event::Start(Tag::Image { link_type, dest_url: src.into(), title, id }));
                self.closers.push("");
            }
            LinkTarget::DataImage(url) if is_safe_data_image(&url) => {
                self.events.push(Event::Start(Tag::Image { link_type, dest_url: url.into(), title, id }));
                self.closers.push("");
            }
            _ => {
                self.events
                    .push(Event::Html("<span class=\"blocked-image\" title=\"This image is not loaded\">".into()));
                self.closers.push("</span>");
            }
        }
    }

    /// Text: a plain wikilink's replaced label, an expanded mdBook include, or prose with its
    /// highlights and glossary mentions.
    fn text(&mut self, text: CowStr<'a>) {
        let n = self.text_no;
        self.text_no += 1;
        if self.in_replaced {
            if let Some(title) = self.replace_text.take() {
                self.events.push(Event::Text(title.into()));
            }
            return;
        }
        if text.contains("{{#")
            && let Some(expanded) = crate::include::expand(&self.doc.path, &text, &self.r.catalog.assets().included)
        {
            self.events.push(Event::Text(expanded.into()));
            return;
        }
        let ms = self.mentions.get(&n).map_or(&[][..], Vec::as_slice);
        if self.in_code == 0 && text.contains("==") {
            self.r.push_highlighted(&mut self.events, &text, ms);
        } else if ms.is_empty() {
            self.events.push(Event::Text(text));
        } else {
            self.r.push_mentions(&mut self.events, &text, ms);
        }
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(label.to_string()).or_insert(next)
    }

    fn footnote_ref(&mut self, label: &str) {
        let n = self.footnote_number(label);
        let slug = scan::slug(label);
        let href = format!("{}{}?section={ID_PREFIX}fn-{slug}", self.r.options.doc_href, self.doc.id);
        self.events.push(Event::Html(
            format!("<sup class=\"footnote-ref\"><a class=\"doc-link\" href=\"{}\">{n}</a></sup>", escape(&href))
                .into(),
        ));
    }

    fn footnote_def(&mut self, label: &str) {
        let n = self.footnote_number(label);
        let slug = scan::slug(label);
        let id = if self.seen_fn_defs.insert(slug.clone()) { format!(" id=\"fn-{slug}\"") } else { String::new() };
        self.events.push(Event::Html(
            format!("<div class=\"footnote\"{id}><span class=\"footnote-label\">{n}.</span> ").into(),
        ));
    }
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

#[cfg(test)]
mod tests {
    use crate::{Assets, Catalog, LoadOptions, RenderOptions, SourceFile};

    fn src(path: &str, text: &str) -> SourceFile {
        SourceFile { path: path.to_string(), bytes: Ok(text.as_bytes().to_vec()) }
    }

    /// A section embed shows that section only: a plain wikilink before it used to leave its
    /// label (the linked page's title) in the embed, since replaced link text escaped the
    /// section filter.
    #[test]
    fn a_section_embed_shows_nothing_from_outside_the_section() {
        let files = vec![
            src(
                "guides/source.md",
                "---\ntitle: Source\n---\nIntro with [[other]] here.\n\n## Part\n\nThe part text.\n",
            ),
            src("guides/other.md", "---\ntitle: Elsewhere\n---\nOther page.\n"),
            src("guides/host.md", "---\ntitle: Host\n---\n![[source#Part]]\n"),
        ];
        let catalog = Catalog::build("hub", files, Assets::default(), Some(""), &LoadOptions::default());
        let html = catalog.renderer(RenderOptions::default()).render_id("host").expect("host").html;
        assert!(html.contains("The part text."), "{html}");
        assert!(!html.contains("Intro") && !html.contains("Elsewhere"), "{html}");
        let whole = catalog.renderer(RenderOptions::default()).render_id("source").expect("source").html;
        assert!(whole.contains("Elsewhere</a>"), "the label is still shown in the page itself: {whole}");
    }
}
