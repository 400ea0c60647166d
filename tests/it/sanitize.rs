//! Every kind of script injection we know of, through Markdown and raw HTML, must come out of
//! the renderer inert. The payloads live in `tests/fixtures/xss/*.md`, one hub; each rendered
//! page is checked by a small HTML tokenizer against an allow-list of tags, attributes and URLs.

use std::collections::HashSet;

use guildhall_content::{Catalog, LoadOptions, RenderOptions};

use crate::harness::{catalog, render_all, repo_root};

const TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "wbr",
];

const ATTRS: &[&str] = &[
    "href",
    "src",
    "alt",
    "title",
    "class",
    "id",
    "rel",
    "lang",
    "data-doc",
    "data-term",
    "data-plain",
    "width",
    "height",
    "align",
    "colspan",
    "rowspan",
    "start",
    "cite",
    "datetime",
    "hreflang",
    "open",
    "value",
    "type",
    "dir",
    "abbr",
    "headers",
    "scope",
    "span",
    "char",
    "charoff",
    "summary",
    "axis",
    "valign",
    "reversed",
    "nowrap",
];

/// Checks one page of rendered HTML; returns every violation found.
pub fn violations(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let tags: HashSet<&str> = TAGS.iter().copied().collect();
    let attrs: HashSet<&str> = ATTRS.iter().copied().collect();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let inside = &rest[..end];
        rest = &rest[end.min(rest.len())..];
        let inside = inside.trim_start_matches('/');
        let name_end = inside.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(inside.len());
        let name = inside[..name_end].to_ascii_lowercase();
        if name.starts_with('!') {
            out.push(format!("comment or doctype: <{inside}>"));
            continue;
        }
        if !tags.contains(name.as_str()) {
            out.push(format!("tag <{name}>"));
        }
        for (attr, value) in parse_attrs(&inside[name_end..]) {
            if !attrs.contains(attr.as_str()) {
                out.push(format!("attribute {attr} on <{name}>"));
            }
            if attr == "href" || attr == "src" || attr == "cite" {
                let v = value.to_ascii_lowercase();
                let ok = v.starts_with("#/doc/")
                    || v.starts_with("asset/")
                    || (attr == "href" && (v.starts_with("https://") || v.starts_with("http://")))
                    || (attr == "href" && (v.starts_with("mailto:") || v.starts_with("tel:")))
                    || (attr == "src"
                        && ["data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"]
                            .iter()
                            .any(|p| v.starts_with(p)));
                if !ok {
                    out.push(format!("{attr}=\"{value}\" on <{name}>"));
                }
                if v.contains("..") {
                    out.push(format!("{attr} climbs: {value}"));
                }
            }
            if attr == "id" && !value.starts_with("gh-") {
                out.push(format!("unprefixed id {value}"));
            }
        }
    }
    out
}

fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() || c == '/' {
            chars.next();
            continue;
        }
        let mut name_end = i;
        while let Some(&(j, c)) = chars.peek() {
            if c == '=' || c.is_whitespace() || c == '/' {
                break;
            }
            name_end = j + c.len_utf8();
            chars.next();
        }
        let name = s[i..name_end].to_ascii_lowercase();
        let mut value = String::new();
        if chars.peek().is_some_and(|&(_, c)| c == '=') {
            chars.next();
            if chars.peek().is_some_and(|&(_, c)| c == '"') {
                chars.next();
                for (_, c) in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    value.push(c);
                }
            } else {
                while let Some(&(_, c)) = chars.peek() {
                    if c.is_whitespace() {
                        break;
                    }
                    value.push(c);
                    chars.next();
                }
            }
        }
        out.push((name, decode_entities(&value)));
    }
    out
}

fn decode_entities(v: &str) -> String {
    v.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[test]
fn the_checker_itself_catches_what_it_should() {
    assert!(!violations("<script>x</script>").is_empty());
    assert!(!violations("<img src=x onerror=alert(1)>").is_empty());
    assert!(!violations("<a href=\"javascript:alert(1)\">x</a>").is_empty());
    assert!(!violations("<p style=\"color:red\">x</p>").is_empty());
    assert!(!violations("<img src=\"https://evil/t.png\">").is_empty());
    assert!(violations("<p class=\"x\"><a href=\"#/doc/a\" rel=\"noopener noreferrer\">a</a></p>").is_empty());
}

#[test]
fn every_xss_payload_renders_inert() {
    let hub = repo_root().join("tests/fixtures/xss");
    let c = Catalog::load(&hub, &LoadOptions::default()).expect("load xss hub");
    assert!(c.documents().len() >= 10, "the payload files were not found");
    let r = c.renderer(RenderOptions::default());
    let mut failures = Vec::new();
    for (i, doc) in c.documents().iter().enumerate() {
        let html = r.render(i).html;
        for v in violations(&html) {
            failures.push(format!("{}: {v}\n  in: {html}", doc.path));
        }
        let lower = html.to_ascii_lowercase();
        for needle in ["javascript:", "vbscript:", "<script", "onerror", "onload", "expression(", "srcdoc"] {
            // Text content may mention these words; inside a tag they are an injection.
            if lower.split('<').skip(1).any(|tag| tag.split('>').next().is_some_and(|t| t.contains(needle))) {
                failures.push(format!("{}: `{needle}` inside a tag: {html}", doc.path));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hostile_glossary_definitions_stay_inside_their_attribute() {
    let c = catalog(&[
        (
            "glossary/evil.md",
            b"---\nterm: Evil\nplain: '\"><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">'\n---\n[[page]]",
        ),
        ("guides/page.md", b"---\ntitle: Page\n---\nAn evil mention, and [[evil]]."),
    ]);
    for html in render_all(&c) {
        assert!(violations(&html).is_empty(), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }
}

#[test]
fn dom_clobbering_ids_are_prefixed() {
    let c = catalog(&[("guides/a.md", b"---\ntitle: A\n---\n<h2 id=\"location\">x</h2>\n\n## cookie\n")]);
    let html = render_all(&c).remove(0);
    assert!(html.contains("id=\"gh-location\""), "{html}");
    assert!(html.contains("id=\"gh-cookie\""), "{html}");
}

/// Regression: pulldown-cmark writes column alignment as `style="text-align: …"`, which the
/// sanitizer strips (and the CSP would refuse), so aligned columns silently lost their alignment.
#[test]
fn table_column_alignment_survives_as_a_class() {
    let c = catalog(&[(
        "guides/t.md",
        b"---\ntitle: T\n---\n| Name | Before | After | Note |\n|:-----|-------:|:-----:|------|\n| a | 1 | 2 | x |\n",
    )]);
    let html = render_all(&c).remove(0);
    assert!(violations(&html).is_empty(), "{html}");
    assert!(!html.contains("style="), "{html}");
    assert!(html.contains("<th class=\"align-left\">Name</th>"), "{html}");
    assert!(html.contains("<th class=\"align-right\">Before</th>"), "{html}");
    assert!(html.contains("<td class=\"align-center\">2</td>"), "{html}");
    assert!(html.contains("<th>Note</th>") && html.contains("<td>x</td>"), "{html}");
    assert!(html.contains("<tbody>") && html.contains("</table>"), "{html}");
}
