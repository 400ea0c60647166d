//! Where a document is linked from: each document whose prose links to it, and the places (the
//! section of the linking page, and the section of this one it points at) of every such link.

use guildhall_content::LinkTarget;
use serde::Serialize;

use crate::{DocRef, Error, Hub};

/// A document that links to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Backlink {
    /// The linking document.
    pub from: DocRef,
    /// Each link, in the order of the linking page.
    pub places: Vec<LinkPlace>,
}

/// One link from a page to the document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkPlace {
    /// The heading of the linking page's section the link is in (absent before its first heading).
    pub heading: Option<String>,
    /// That heading's anchor on the linking page.
    pub heading_slug: Option<String>,
    /// The section of the linked document the link points at, if it names one.
    pub anchor: Option<String>,
    /// 1-based line of the link in the linking file.
    pub line: u32,
}

impl Hub {
    /// The documents that link to `id` in their prose (wikilinks and relative links), in the
    /// catalog's order, each with where its links are.
    pub fn backlinks(&self, id: &str) -> Result<Vec<Backlink>, Error> {
        let catalog = self.catalog();
        let target = catalog.index_of(id).ok_or_else(|| self.unknown(id))?;
        let mut out = Vec::new();
        for from in catalog.backlinks(target) {
            let Some(from_index) = catalog.index_of(&from.id) else { continue };
            let places = from
                .outline
                .links
                .iter()
                .zip(catalog.links(from_index))
                .filter_map(|(link, resolved)| match resolved {
                    LinkTarget::Document { index, anchor } if *index == target => {
                        let heading = (link.section as usize).checked_sub(1).and_then(|h| from.outline.headings.get(h));
                        Some(LinkPlace {
                            heading: heading.map(|h| h.text.clone()),
                            heading_slug: heading.map(|h| h.slug.clone()),
                            anchor: anchor.clone(),
                            line: link.line,
                        })
                    }
                    _ => None,
                })
                .collect();
            out.push(Backlink { from: DocRef::of(from), places });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::{Hub, HubOptions};

    fn hub(files: &[(&str, &str)]) -> (tempfile::TempDir, Hub) {
        let dir = tempfile::tempdir().expect("tempdir");
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap_or(Path::new("."))).expect("mkdir");
            std::fs::write(full, text).expect("write");
        }
        let hub = Hub::open(dir.path(), &HubOptions::default()).expect("hub");
        (dir, hub)
    }

    #[test]
    fn backlinks_say_where_each_link_is() {
        let (_dir, hub) = hub(&[
            (
                "a.md",
                "---\nid: a\ntitle: A\nkind: guide\n---\n# A\n\nSee [[b]] first.\n\n## Later\n\nThen [b again](b.md#details).\n",
            ),
            ("b.md", "---\nid: b\ntitle: B\nkind: guide\n---\n# B\n\n## Details\n\nText.\n"),
            ("c.md", "---\nid: c\ntitle: C\nkind: guide\n---\n# C\n\nNo links here.\n"),
        ]);
        let links = hub.backlinks("b").expect("backlinks");
        assert_eq!(links.len(), 1, "{links:?}");
        assert_eq!(links[0].from.id, "a");
        let places: Vec<_> =
            links[0].places.iter().map(|p| (p.heading.as_deref(), p.anchor.as_deref(), p.line)).collect();
        assert_eq!(places, [(Some("A"), None, 8), (Some("Later"), Some("details"), 12)]);
        assert!(hub.backlinks("c").expect("none").is_empty());
        assert!(matches!(hub.backlinks("nope"), Err(crate::Error::UnknownDocument { .. })));
    }
}
