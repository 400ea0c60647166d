//! Pure functions on what a link says: folders and paths, Markdown extensions, URL schemes,
//! anchors. Nothing here looks at more than one document.

use percent_encoding::percent_decode_str;

use crate::document::path_id;
use crate::model::Document;

/// The folder part of a relative path.
pub(super) fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The path without its Markdown extension.
pub(super) fn without_md(path: &str) -> &str {
    let lower_ends = |ext: &str| path.len() > ext.len() && path[path.len() - ext.len()..].eq_ignore_ascii_case(ext);
    if lower_ends(".md") {
        &path[..path.len() - 3]
    } else if lower_ends(".markdown") {
        &path[..path.len() - 9]
    } else {
        path
    }
}

/// The element id (without the sanitizer's prefix) that `anchor` means in `doc`, if any:
/// a heading (by its slug, as GitHub or MkDocs makes it, or its explicit `{#id}`), an Obsidian
/// block (`^block-id`, element `block-<id>`), a footnote (`fn:label`, element `fn-<label>`),
/// or an anchor made in raw HTML. Nested heading links (`A#B`, Obsidian) mean the last part.
pub(crate) fn anchor_element(doc: &Document, anchor: &str) -> Option<String> {
    let last = anchor.rsplit('#').find(|s| !s.is_empty())?;
    let decoded = percent_decode_str(last).decode_utf8_lossy();
    let decoded = decoded.trim();
    if let Some(block) = decoded.strip_prefix('^') {
        return doc.outline.block_ids.iter().any(|b| b == block).then(|| format!("block-{block}"));
    }
    let headings = &doc.outline.headings;
    if let Some(h) = headings.iter().find(|h| h.slug == decoded) {
        return Some(h.slug.clone());
    }
    let slug = crate::scan::slug(decoded);
    let loose = collapse_dashes(&slug);
    if let Some(h) = headings.iter().find(|h| h.slug == slug || collapse_dashes(&h.slug) == loose) {
        return Some(h.slug.clone());
    }
    if let Some(label) = decoded.strip_prefix("fn:").or_else(|| decoded.strip_prefix("fnref:"))
        && doc.outline.anchors.iter().any(|a| a.strip_prefix("fn:") == Some(label))
    {
        return Some(format!("fn-{}", crate::scan::slug(label)));
    }
    doc.outline.anchors.iter().find(|a| a.as_str() == decoded).cloned()
}

/// `caret-mark--tilde` → `caret-mark-tilde`: MkDocs' slugs never repeat a dash.
fn collapse_dashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

pub(super) fn split_anchor(dest: &str) -> (&str, Option<&str>) {
    match dest.split_once('#') {
        Some((t, a)) => (t, Some(a).filter(|a| !a.is_empty())),
        None => (dest, None),
    }
}

/// `[[Install/README.md]]` → `install/readme`.
pub(super) fn normalise_wiki(target: &str) -> String {
    let t = target.trim();
    let t = t.strip_suffix(".md").or_else(|| t.strip_suffix(".markdown")).unwrap_or(t);
    path_id(&format!("{t}.md"))
}

/// Joins a relative link to the linking file's folder; `None` when it climbs out of the hub.
pub(crate) fn normalise_path(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

pub(super) fn scheme_of(dest: &str) -> Option<&str> {
    let colon = dest.find(':')?;
    let scheme = &dest[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))).then_some(scheme)
}

/// `data:image/png`, `jpeg`, `gif` or `webp`: never SVG, which can carry script.
pub fn is_safe_data_image(url: &str) -> bool {
    let lower = url.get(..20).unwrap_or(url).to_ascii_lowercase();
    ["data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"]
        .iter()
        .any(|p| lower.strip_prefix(p).is_some_and(|rest| rest.starts_with([';', ','])))
}

pub(super) fn shorten(s: &str) -> String {
    if s.chars().count() > 80 { format!("{}…", s.chars().take(80).collect::<String>()) } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_and_cannot_climb_out() {
        assert_eq!(normalise_path("guides", "../patterns/a.md").as_deref(), Some("patterns/a.md"));
        assert_eq!(normalise_path("a/b", "./c/../d.png").as_deref(), Some("a/b/d.png"));
        assert_eq!(normalise_path("guides", "../../etc/passwd"), None);
        assert_eq!(normalise_path("", ".."), None);
    }

    #[test]
    fn only_raster_data_images_are_safe() {
        assert!(is_safe_data_image("data:image/png;base64,AAAA"));
        assert!(is_safe_data_image("DATA:image/webp,xyz"));
        assert!(!is_safe_data_image("data:image/svg+xml;base64,AAAA"));
        assert!(!is_safe_data_image("data:text/html,<script>"));
    }

    #[test]
    fn schemes_are_detected() {
        assert_eq!(scheme_of("https://x"), Some("https"));
        assert_eq!(scheme_of("javascript:alert(1)"), Some("javascript"));
        assert_eq!(scheme_of("notes/a:b.md"), None);
        assert_eq!(scheme_of("a.md"), None);
    }
}
