//! A whole hub: documents, the links between them, glossary mentions and every diagnostic.

mod dest;
mod ids;
mod resolve;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

pub(crate) use self::dest::{anchor_element, is_safe_data_image, normalise_path};
use self::resolve::Resolver;
use crate::config::HubConfig;
use crate::date::Date;
use crate::diag::{Code, Diagnostic, Severity};
use crate::document::Limits;
use crate::glossary::Glossary;
use crate::hub_settings::{self, HubSettings};
use crate::model::{Document, Kind, KindFields, TermFields};

/// How a hub is loaded and checked.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct LoadOptions {
    /// Size and shape limits for each file.
    pub limits: Limits,
    /// The day against which `review_by` dates are checked; `None` skips the stale check.
    pub today: Option<Date>,
    /// The folder is not a Guildhall hub (it has no `guildhall.toml`): the top-level kind
    /// folders (`guides/`, `paths/`, ...) are ordinary folders. [`Catalog::load`] sets it.
    pub plain_folder: bool,
}

impl LoadOptions {
    pub fn with_today(mut self, today: Date) -> LoadOptions {
        self.today = Some(today);
        self
    }

    /// Whether the kind folders are ordinary folders (see [`LoadOptions::plain_folder`]).
    pub fn with_plain_folder(mut self, plain: bool) -> LoadOptions {
        self.plain_folder = plain;
        self
    }
}

/// A file handed to [`Catalog::build`]: its path relative to the hub folder and its bytes, or
/// the reason it could not be read.
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Result<Vec<u8>, Diagnostic>,
}

/// The non-Markdown files of a hub, which links and images may point to.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// Regular files inside the hub folder (relative, `/`-separated).
    pub files: HashSet<String>,
    /// Paths that are symlinks leading outside the hub folder.
    pub escaping: HashSet<String>,
    /// Text files named by mdBook `{{#include}}` directives, read by the loader (relative path
    /// → text). Only files inside the hub, under the size limit, are here.
    pub included: HashMap<String, String>,
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A document (by index into [`Catalog::documents`]) and maybe a heading slug.
    Document { index: usize, anchor: Option<String> },
    /// A heading of the same document.
    Anchor(String),
    /// A non-Markdown file inside the hub (relative path).
    Asset(String),
    /// An `http(s):`, `mailto:` or `tel:` URL, opened in the system browser.
    External(String),
    /// An inline `data:image/...` URL.
    DataImage(String),
    /// Nowhere Guildhall will go; a diagnostic says why.
    Refused,
}

/// A glossary mention chosen for linking: the first of its term in its section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Which text event of the body (see [`crate::scan::Segment::event`]).
    pub event: u32,
    /// Byte range in that event's text.
    pub start: usize,
    pub end: usize,
    /// The term document's index.
    pub term: usize,
}

/// A loaded, linked and checked hub.
#[derive(Debug)]
pub struct Catalog {
    name: String,
    config: HubConfig,
    docs: Vec<Document>,
    by_id: HashMap<String, usize>,
    /// Other names a document answers to: its exact path without extension (`en/Bases/Views`)
    /// and the id older versions gave it, when no other document claims them.
    aliases: HashMap<String, usize>,
    plain_folder: bool,
    links: Vec<Vec<LinkTarget>>,
    mentions: Vec<Vec<Mention>>,
    backlinks: Vec<Vec<usize>>,
    mentioned_by: Vec<Vec<usize>>,
    terms: Vec<usize>,
    glossary: Glossary,
    diagnostics: Vec<Diagnostic>,
    assets: Assets,
    /// The `[hub]` settings, when the hub has a `guildhall.toml` (see [`HubSettings`]).
    settings: Option<HubSettings>,
}

impl Catalog {
    /// Parses, links and checks a hub from files already read. Pure: no I/O.
    pub fn build(
        name: &str,
        sources: Vec<SourceFile>,
        assets: Assets,
        config_text: Option<&str>,
        opts: &LoadOptions,
    ) -> Catalog {
        let mut diagnostics = Vec::new();
        let config = match config_text {
            Some(text) => {
                let (c, d) = HubConfig::parse(text);
                diagnostics.extend(d);
                c
            }
            None => HubConfig::default(),
        };
        let settings = config_text.map(|text| {
            let (s, d) = HubSettings::from_table(config.extra.get("hub"), text);
            diagnostics.extend(d);
            s.with_default("name", config.name.as_deref())
        });

        let parsed: Vec<(Option<Document>, Vec<Diagnostic>)> = sources
            .into_par_iter()
            .map(|src| match src.bytes {
                Ok(bytes) => {
                    hub_settings::parse_with(settings.as_ref(), &src.path, &bytes, &opts.limits, !opts.plain_folder)
                }
                Err(d) => (None, vec![d]),
            })
            .collect();
        let mut docs = Vec::with_capacity(parsed.len());
        for (doc, d) in parsed {
            diagnostics.extend(d);
            docs.extend(doc);
        }
        Catalog { settings, ..Catalog::link(name, config, docs, diagnostics, assets, opts) }
    }

    /// This hub with one Markdown file replaced by `bytes` (or added), linked and checked
    /// anew without reading anything from disk: what an editor's preview shows. The other
    /// documents are reused as they were parsed; only the new file is parsed. Diagnostics of
    /// the other files' own parsing are not repeated (the result's diagnostics are those of
    /// linking the whole hub, plus the new file's).
    pub fn with_document(&self, path: &str, bytes: &[u8], opts: &LoadOptions) -> Catalog {
        let mut docs: Vec<Document> = self.docs.iter().filter(|d| d.path != path).cloned().collect();
        let (doc, diagnostics) =
            hub_settings::parse_with(self.settings.as_ref(), path, bytes, &opts.limits, !self.plain_folder);
        docs.extend(doc);
        let opts = &LoadOptions { plain_folder: self.plain_folder, ..opts.clone() };
        let settings = self.settings.clone();
        Catalog {
            settings,
            ..Catalog::link(&self.name, self.config.clone(), docs, diagnostics, self.assets.clone(), opts)
        }
    }

    /// Links and checks parsed documents (ids, links, references, glossary, stale and orphan
    /// pages).
    fn link(
        name: &str,
        config: HubConfig,
        mut docs: Vec<Document>,
        mut diagnostics: Vec<Diagnostic>,
        assets: Assets,
        opts: &LoadOptions,
    ) -> Catalog {
        docs.sort_by(|a, b| a.path.cmp(&b.path));
        let aliases = ids::disambiguate_path_ids(&mut docs, opts.plain_folder);
        ids::apply_summary_titles(&mut docs);
        let (by_id, duplicate) = ids::assign_ids(&docs, &mut diagnostics);

        let terms: Vec<usize> = (0..docs.len()).filter(|&i| docs[i].kind() == Kind::Term && !duplicate[i]).collect();
        diagnostics.extend(ids::term_conflicts(&docs, &terms));
        let glossary = glossary_of(&docs, &terms);

        let resolver = Resolver::new(&docs, &by_id, &aliases, &assets, &terms, opts.plain_folder);
        let per_doc: Vec<(Vec<LinkTarget>, Vec<Mention>, Vec<Diagnostic>)> = (0..docs.len())
            .into_par_iter()
            .map(|i| {
                let mut d = Vec::new();
                let links = resolver.resolve_links(i, &mut d);
                resolver.check_refs(i, &mut d);
                resolver.check_includes(i, &mut d);
                let mentions = find_mentions(&docs[i], i, &links, &glossary, &terms);
                (links, mentions, d)
            })
            .collect();
        let graph = Graph::collect(per_doc, &mut diagnostics);

        let referenced = referenced(&docs, &by_id, &aliases);
        for (i, doc) in docs.iter().enumerate() {
            let incoming = !graph.backlinks[i].is_empty() || !graph.mentioned_by[i].is_empty() || referenced[i];
            let orphan = !incoming && doc.kind() != Kind::Path && !duplicate[i];
            diagnostics.extend(page_checks(doc, &config, opts.today, orphan));
        }
        diagnostics.sort_by(|a, b| (&a.path, a.line, a.col, a.code).cmp(&(&b.path, b.line, b.col, b.code)));
        diagnostics.dedup();

        let Graph { links, mentions, backlinks, mentioned_by } = graph;
        Catalog {
            name: config.name.clone().unwrap_or_else(|| name.to_string()),
            config,
            docs,
            by_id,
            aliases,
            plain_folder: opts.plain_folder,
            links,
            mentions,
            backlinks,
            mentioned_by,
            terms,
            glossary,
            diagnostics,
            assets,
            settings: None,
        }
    }

    /// Whether `path` (relative, `/`-separated) is a regular non-Markdown file inside the hub
    /// that the walk found: the only files a shell may serve as assets.
    pub fn has_asset(&self, path: &str) -> bool {
        self.assets.files.contains(path)
    }

    pub(crate) fn assets(&self) -> &Assets {
        &self.assets
    }

    /// The hub's display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn config(&self) -> &HubConfig {
        &self.config
    }

    /// The `[hub]` settings pages may use as `{{hub.key}}`; `None` when the hub has no
    /// `guildhall.toml`.
    pub fn hub_settings(&self) -> Option<&HubSettings> {
        self.settings.as_ref()
    }

    /// Every document, in path order.
    pub fn documents(&self) -> &[Document] {
        &self.docs
    }

    pub fn get(&self, id: &str) -> Option<&Document> {
        self.index_of(id).map(|i| &self.docs[i])
    }

    /// The document with this id, or with this alias (its exact path without extension, or
    /// the id an older version of Guildhall gave it).
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).or_else(|| self.aliases.get(id)).copied()
    }

    /// Old id → current id for every document whose id changed from what earlier versions of
    /// Guildhall gave it: what personal data keyed by old ids is migrated with.
    pub fn renamed_ids(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = self
            .aliases
            .iter()
            .filter(|&(old, &i)| {
                let d = &self.docs[i];
                old.as_str() != d.id && ids::legacy_id(d, self.plain_folder).as_deref() == Some(old.as_str())
            })
            .map(|(old, &i)| (old.as_str(), self.docs[i].id.as_str()))
            .collect();
        out.sort_unstable();
        out
    }

    /// Whether this hub was loaded as an ordinary folder (no `guildhall.toml`).
    pub fn is_plain_folder(&self) -> bool {
        self.plain_folder
    }

    /// Every problem found, sorted by file and line.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Documents that link to `index` explicitly.
    pub fn backlinks(&self, index: usize) -> impl Iterator<Item = &Document> {
        self.backlinks.get(index).into_iter().flatten().map(|&i| &self.docs[i])
    }

    /// Documents whose prose mentions the term at `index`.
    pub fn mentioned_by(&self, index: usize) -> impl Iterator<Item = &Document> {
        self.mentioned_by.get(index).into_iter().flatten().map(|&i| &self.docs[i])
    }

    /// The resolved targets of a document's links, parallel to `outline.links`.
    pub fn links(&self, index: usize) -> &[LinkTarget] {
        self.links.get(index).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn mentions(&self, index: usize) -> &[Mention] {
        self.mentions.get(index).map_or(&[], Vec::as_slice)
    }

    /// The terms (document indexes) whose mentions are linked in the document at `index`.
    pub fn mentions_of(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        self.mentions(index).iter().map(|m| m.term)
    }

    /// Every glossary term with its fields.
    pub fn terms(&self) -> impl Iterator<Item = (&Document, &TermFields)> {
        self.terms.iter().filter_map(|&i| self.docs[i].term().map(|t| (&self.docs[i], t)))
    }

    /// The glossary matcher; its term numbers index [`Catalog::terms`].
    pub fn glossary(&self) -> &Glossary {
        &self.glossary
    }
}

/// Ids a document names in front matter: path steps and prerequisites, related ids, patterns.
fn structural_refs(doc: &Document) -> Vec<&str> {
    match &doc.fields {
        KindFields::Path(p) => {
            p.steps.iter().map(|s| s.target.as_str()).chain(p.prerequisites.iter().map(String::as_str)).collect()
        }
        KindFields::Pattern(p) => p.related.iter().map(String::as_str).collect(),
        KindFields::CaseStudy(c) => c.patterns.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

fn find_mentions(
    doc: &Document,
    index: usize,
    links: &[LinkTarget],
    glossary: &Glossary,
    terms: &[usize],
) -> Vec<Mention> {
    // A term linked explicitly in a section already has its link there.
    let mut seen: HashSet<(u32, usize)> = doc
        .outline
        .links
        .iter()
        .zip(links)
        .filter_map(|(l, t)| match t {
            LinkTarget::Document { index, .. } => Some((l.section, *index)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for seg in &doc.outline.segments {
        for f in glossary.find(&seg.text) {
            let term = terms[f.term];
            if term != index && seen.insert((seg.section, term)) {
                out.push(Mention { event: seg.event, start: f.start, end: f.end, term });
            }
        }
    }
    out
}

/// The glossary matcher over every term and alias; its term numbers index `terms`.
fn glossary_of(docs: &[Document], terms: &[usize]) -> Glossary {
    Glossary::new(terms.iter().enumerate().flat_map(|(t, &i)| {
        let term = docs[i].term().map(|t| (t.term.as_str(), t.aliases.as_slice()));
        term.into_iter().flat_map(move |(name, aliases)| {
            std::iter::once((t, name)).chain(aliases.iter().map(move |a| (t, a.as_str())))
        })
    }))
}

/// What every document links to and mentions, and the reverse: who links to and mentions it.
struct Graph {
    links: Vec<Vec<LinkTarget>>,
    mentions: Vec<Vec<Mention>>,
    backlinks: Vec<Vec<usize>>,
    mentioned_by: Vec<Vec<usize>>,
}

impl Graph {
    /// Gathers each document's resolved links, mentions and diagnostics (in document order).
    fn collect(
        per_doc: Vec<(Vec<LinkTarget>, Vec<Mention>, Vec<Diagnostic>)>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Graph {
        let n = per_doc.len();
        let mut g = Graph {
            links: Vec::with_capacity(n),
            mentions: Vec::with_capacity(n),
            backlinks: vec![Vec::new(); n],
            mentioned_by: vec![Vec::new(); n],
        };
        for (i, (l, m, d)) in per_doc.into_iter().enumerate() {
            for t in &l {
                if let LinkTarget::Document { index, .. } = t
                    && *index != i
                {
                    g.backlinks[*index].push(i);
                }
            }
            for mention in &m {
                g.mentioned_by[mention.term].push(i);
            }
            g.links.push(l);
            g.mentions.push(m);
            diagnostics.extend(d);
        }
        for list in g.backlinks.iter_mut().chain(g.mentioned_by.iter_mut()) {
            list.dedup();
        }
        g
    }
}

/// Which documents another document names in its front matter (see [`structural_refs`]).
fn referenced(docs: &[Document], by_id: &HashMap<String, usize>, aliases: &HashMap<String, usize>) -> Vec<bool> {
    let mut referenced = vec![false; docs.len()];
    for (i, doc) in docs.iter().enumerate() {
        for id in structural_refs(doc) {
            if let Some(&j) = by_id.get(id).or_else(|| aliases.get(id))
                && j != i
            {
                referenced[j] = true;
            }
        }
    }
    referenced
}

/// One page's own checks once the hub is linked: placeholders left in, people who are not
/// members, a review date passed, and (when `orphan`) nothing leading to it.
fn page_checks(doc: &Document, config: &HubConfig, today: Option<Date>, orphan: bool) -> Vec<Diagnostic> {
    let mut out = crate::placeholder::check_placeholders(doc);
    out.extend(crate::placeholder::check_people(doc, config));
    if let (Some(today), Some(review_by)) = (today, doc.meta.review_by)
        && review_by < today
    {
        out.push(
            Diagnostic::warning(Code::Stale, &doc.path, format!("the page was due for review on {review_by}"))
                .at(doc.line_of("review_by", None), 1)
                .with_hint("review the page, then move `review_by` forward"),
        );
    }
    if orphan {
        out.push(
            Diagnostic::warning(Code::Orphan, &doc.path, "nothing links to this page and no path uses it")
                .with_hint(format!("link to it with [[{}]] from a related page, or add it to a path", doc.id)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(path: &str, text: &str) -> SourceFile {
        SourceFile { path: path.to_string(), bytes: Ok(text.as_bytes().to_vec()) }
    }

    #[test]
    fn with_document_relinks_one_replaced_file_like_a_full_build() {
        let opts = LoadOptions::default();
        let files = [
            ("patterns/retry.md", "---\ntitle: Retry\n---\nSee [[backoff]].\n"),
            ("glossary/backoff.md", "---\nterm: Backoff\nplain: Wait.\n---\nUsed by [[retry]].\n"),
        ];
        let base =
            Catalog::build("hub", files.iter().map(|(p, t)| src(p, t)).collect(), Assets::default(), None, &opts);
        let draft = "---\ntitle: Retry\n---\nSee [[nowhere]]. Backoff helps.\n";
        let edited = base.with_document("patterns/retry.md", draft.as_bytes(), &opts);
        let full = Catalog::build(
            "hub",
            vec![src("patterns/retry.md", draft), src(files[1].0, files[1].1)],
            Assets::default(),
            None,
            &opts,
        );
        assert_eq!(edited.diagnostics(), full.diagnostics());
        assert!(
            edited.diagnostics().iter().any(|d| d.code == Code::BrokenLink && d.line == 4),
            "{:?}",
            edited.diagnostics()
        );
        let i = edited.index_of("retry").expect("retry");
        assert_eq!(edited.mentions_of(i).count(), 1, "the glossary mention is found in the new text");
        // A new file is added; the original catalog is untouched.
        let added = base.with_document("guides/new.md", b"---\ntitle: New\n---\n[[retry]]\n", &opts);
        assert_eq!(added.documents().len(), 3);
        assert_eq!(base.documents().len(), 2);
    }
}
