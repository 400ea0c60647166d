//! Guildhall's core: the one API every shell (the `guildhall` CLI, the desktop app, the HTTP
//! server) calls.
//!
//! A [`Hub`] is a content folder opened for use. Shells convert their input, call a method here
//! and map the typed [`Error`]; they never parse strings or reach into the crates below.
//!
//! ```no_run
//! use guildhall_core::{Hub, HubOptions};
//!
//! let hub = Hub::open("content".as_ref(), &HubOptions::default())?;
//! for d in hub.diagnostics() {
//!     eprintln!("{d}");
//! }
//! let page = hub.render("retry-with-backoff")?;
//! println!("{}", page.html);
//! # Ok::<(), guildhall_core::Error>(())
//! ```

use std::path::{Path, PathBuf};

mod paths;
mod views;
pub use paths::{CONTENT_ENV, DATA_ENV, HubPaths, data_dir};
pub use views::{DocRef, DocSummary, DocView, Headline, KindCount, Overview, StepView, TermCard};

pub use guildhall_content as content;
use guildhall_content::{Catalog, Date, Diagnostic, Kind, LoadOptions, RenderOptions, Rendered, Renderer};

/// How a hub is opened.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct HubOptions {
    /// The day stale pages are measured against; default: today (UTC).
    pub today: Option<Date>,
    /// How rendered pages write their links.
    pub render: RenderOptions,
}

/// Everything that can go wrong in the core, by kind, so that shells can map each to an exit
/// code, an HTTP status or a message without parsing text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The content folder is missing or unreadable.
    #[error("cannot open the hub: {0}")]
    Load(#[from] guildhall_content::LoadError),
    /// No document has this id.
    #[error("no document has the id `{id}`{}", suggestion_text(.suggestions))]
    UnknownDocument { id: String, suggestions: Vec<String> },
}

fn suggestion_text(s: &[String]) -> String {
    if s.is_empty() { String::new() } else { format!("; did you mean {}?", s.join(", ")) }
}

/// An open hub.
pub struct Hub {
    root: PathBuf,
    renderer_options: RenderOptions,
    today: Date,
    catalog: Catalog,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").field("root", &self.root).field("documents", &self.catalog.documents().len()).finish()
    }
}

impl Hub {
    /// Loads, links and checks the hub in `content`.
    pub fn open(content: &Path, options: &HubOptions) -> Result<Hub, Error> {
        let today = options.today.unwrap_or_else(Date::today_utc);
        let catalog = Catalog::load(content, &LoadOptions::default().with_today(today))?;
        Ok(Hub { root: content.to_path_buf(), renderer_options: options.render.clone(), today, catalog })
    }

    /// The content folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The loaded documents, links and glossary.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Every problem found while loading, sorted by file and line.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.catalog.diagnostics()
    }

    /// A renderer for many pages in a row.
    pub fn renderer(&self) -> Renderer<'_> {
        self.catalog.renderer(self.renderer_options.clone())
    }

    /// The sanitized HTML of one document, with its table of contents.
    pub fn render(&self, id: &str) -> Result<Rendered, Error> {
        self.renderer().render_id(id).ok_or_else(|| self.unknown(id))
    }

    /// Every document of one kind (or all), in title order, as list rows.
    pub fn documents(&self, kind: Option<Kind>) -> Vec<DocSummary> {
        let mut out: Vec<DocSummary> = self
            .catalog
            .documents()
            .iter()
            .filter(|d| kind.is_none_or(|k| d.kind() == k))
            .map(|d| views::summary(&self.catalog, d, self.today))
            .collect();
        out.sort_by_cached_key(|d| d.title.to_lowercase());
        out
    }

    /// One document with everything its screen shows: HTML, contents, backlinks, hover cards.
    pub fn document(&self, id: &str) -> Result<DocView, Error> {
        let index = self.catalog.index_of(id).ok_or_else(|| self.unknown(id))?;
        Ok(views::document(&self.catalog, &self.renderer(), index, self.today))
    }

    /// The glossary, A to Z.
    pub fn glossary(&self) -> Vec<TermCard> {
        let mut terms: Vec<TermCard> = self.catalog.terms().filter_map(|(d, _)| views::term_card(d)).collect();
        terms.sort_by_cached_key(|t| t.term.to_lowercase());
        terms
    }

    /// Glossary lookups in both directions for a piece of text: the jargon it contains (terms
    /// and aliases) and the terms whose everyday phrases it contains.
    pub fn glossary_lookup(&self, text: &str) -> GlossaryLookup {
        let terms: Vec<&guildhall_content::Document> = self.catalog.terms().map(|(d, _)| d).collect();
        let mut jargon: Vec<TermCard> = Vec::new();
        for f in self.catalog.glossary().find(text) {
            if let Some(card) = terms.get(f.term).and_then(|d| views::term_card(d))
                && !jargon.iter().any(|c| c.id == card.id)
            {
                jargon.push(card);
            }
        }
        let lower = text.to_lowercase();
        let plain = terms
            .iter()
            .filter(|d| {
                d.term().is_some_and(|t| {
                    t.plain_phrases.iter().any(|p| !p.trim().is_empty() && contains_words(&lower, &p.to_lowercase()))
                })
            })
            .filter_map(|d| views::term_card(d))
            .collect();
        GlossaryLookup { jargon, plain }
    }

    /// Counts, stale pages and content problems: the hub team's overview.
    pub fn overview(&self) -> Overview {
        views::overview(&self.catalog, self.today)
    }

    fn unknown(&self, id: &str) -> Error {
        Error::UnknownDocument { id: id.to_string(), suggestions: self.similar_ids(id, 3) }
    }

    /// Ids that look like `id`: the closest by edit distance, for "did you mean" hints.
    pub fn similar_ids(&self, id: &str, n: usize) -> Vec<String> {
        let id = id.to_lowercase();
        let mut scored: Vec<(usize, &str)> = self
            .catalog
            .documents()
            .iter()
            .map(|d| {
                let dist = if d.id.contains(&id) && id.len() >= 3 { 1 } else { edit_distance(&id, &d.id) };
                (dist, d.id.as_str())
            })
            .filter(|&(dist, cand)| dist <= (cand.len().max(id.len()) / 3).max(2))
            .collect();
        scored.sort();
        scored.into_iter().take(n).map(|(_, s)| format!("`{s}`")).collect()
    }
}

/// The result of [`Hub::glossary_lookup`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GlossaryLookup {
    /// Terms whose name or alias appears in the text.
    pub jargon: Vec<TermCard>,
    /// Terms whose everyday phrases appear in the text.
    pub plain: Vec<TermCard>,
}

/// Whether `phrase` occurs in `text` on word boundaries.
fn contains_words(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + usize::from(ca != cb));
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("retry", "retry"), 0);
        assert_eq!(edit_distance("retyr", "retry"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn glossary_lookups_work_both_ways() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("glossary")).expect("mkdir");
        std::fs::write(
            dir.path().join("glossary/exponential-backoff.md"),
            "---\nterm: Exponential backoff\naliases: [backoff]\nplain: Wait longer each time.\nplain_phrases: [try again later]\n---\n",
        )
        .expect("write");
        let hub = Hub::open(dir.path(), &HubOptions::default()).expect("open");
        let l = hub.glossary_lookup("the flow should try again later");
        assert_eq!(l.plain.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["exponential-backoff"]);
        assert!(l.jargon.is_empty());
        let l = hub.glossary_lookup("configure the backoff");
        assert_eq!(l.jargon.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["exponential-backoff"]);
        assert!(!contains_words("retrying again later", "try again later"));
    }

    #[test]
    fn unknown_ids_get_suggestions() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("patterns")).expect("mkdir");
        std::fs::write(dir.path().join("patterns/retry-with-backoff.md"), "---\ntitle: Retry\n---\nx").expect("write");
        let hub = Hub::open(dir.path(), &HubOptions::default()).expect("open");
        let err = hub.render("retry-with-backof").expect_err("unknown");
        assert!(err.to_string().contains("did you mean `retry-with-backoff`"), "{err}");
    }
}
