//! The sanitizer every rendered page goes through: ammonia with a tight allow-list of tags,
//! attributes, classes and URLs (only the prefixes the renderer emits, never climbing).

use std::borrow::Cow;

use ammonia::{Builder, UrlRelative, UrlRelativeEvaluate};

use super::{ID_PREFIX, RenderOptions};
use crate::catalog::is_safe_data_image;

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

pub(super) fn sanitizer(options: &RenderOptions) -> Builder<'static> {
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
