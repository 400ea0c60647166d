//! A whole hub: documents, the links between them, glossary mentions and every diagnostic.

use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;
use rayon::prelude::*;

use crate::config::HubConfig;
use crate::date::Date;
use crate::diag::{Code, Diagnostic, Severity};
use crate::document::{Limits, is_valid_id, path_id, slugify_id};
use crate::glossary::Glossary;
use crate::hub_settings::{self, HubSettings};
use crate::model::{Document, Kind, KindFields, TermFields};
use crate::scan::LinkStyle;

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
        let aliases = disambiguate_path_ids(&mut docs, opts.plain_folder);
        apply_summary_titles(&mut docs);

        // Ids: a file whose name is its id keeps it, else the first in path order; the others
        // are reported and left out of linking.
        let mut by_id: HashMap<String, usize> = HashMap::with_capacity(docs.len());
        let mut duplicate = vec![false; docs.len()];
        let named_after_id = |d: &Document| {
            let name = d.path.rsplit('/').next().unwrap_or(&d.path);
            name.rsplit_once('.').map_or(name, |(stem, _)| stem) == d.id
        };
        for i in 0..docs.len() {
            let Some(&first) = by_id.get(&docs[i].id) else {
                by_id.insert(docs[i].id.clone(), i);
                continue;
            };
            let (keep, lose) =
                if named_after_id(&docs[i]) && !named_after_id(&docs[first]) { (i, first) } else { (first, i) };
            by_id.insert(docs[keep].id.clone(), keep);
            duplicate[lose] = true;
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    &docs[lose].path,
                    format!("the id `{}` is already used by `{}`", docs[lose].id, docs[keep].path),
                )
                .at(docs[lose].line_of("id", None), 1)
                .with_hint("rename one of the files, or give one a different `id:`"),
            );
        }

        let terms: Vec<usize> = (0..docs.len()).filter(|&i| docs[i].kind() == Kind::Term && !duplicate[i]).collect();
        diagnostics.extend(term_conflicts(&docs, &terms));
        let glossary = Glossary::new(terms.iter().enumerate().flat_map(|(t, &i)| {
            let term = docs[i].term().map(|t| (t.term.as_str(), t.aliases.as_slice()));
            term.into_iter().flat_map(move |(name, aliases)| {
                std::iter::once((t, name)).chain(aliases.iter().map(move |a| (t, a.as_str())))
            })
        }));

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

        let mut links = Vec::with_capacity(docs.len());
        let mut mentions = Vec::with_capacity(docs.len());
        let mut backlinks = vec![Vec::new(); docs.len()];
        let mut mentioned_by = vec![Vec::new(); docs.len()];
        let mut referenced = vec![false; docs.len()];
        for (i, (l, m, d)) in per_doc.into_iter().enumerate() {
            for t in &l {
                if let LinkTarget::Document { index, .. } = t
                    && *index != i
                {
                    backlinks[*index].push(i);
                }
            }
            for mention in &m {
                mentioned_by[mention.term].push(i);
            }
            links.push(l);
            mentions.push(m);
            diagnostics.extend(d);
        }
        for list in backlinks.iter_mut().chain(mentioned_by.iter_mut()) {
            list.dedup();
        }
        for (i, doc) in docs.iter().enumerate() {
            for id in structural_refs(doc) {
                if let Some(&j) = by_id.get(id).or_else(|| aliases.get(id))
                    && j != i
                {
                    referenced[j] = true;
                }
            }
        }
        for (i, doc) in docs.iter().enumerate() {
            diagnostics.extend(crate::placeholder::check_placeholders(doc));
            diagnostics.extend(crate::placeholder::check_people(doc, &config));
            if let (Some(today), Some(review_by)) = (opts.today, doc.meta.review_by)
                && review_by < today
            {
                diagnostics.push(
                    Diagnostic::warning(Code::Stale, &doc.path, format!("the page was due for review on {review_by}"))
                        .at(doc.line_of("review_by", None), 1)
                        .with_hint("review the page, then move `review_by` forward"),
                );
            }
            let incoming = !backlinks[i].is_empty() || !mentioned_by[i].is_empty() || referenced[i];
            if !incoming && doc.kind() != Kind::Path && !duplicate[i] {
                diagnostics.push(
                    Diagnostic::warning(Code::Orphan, &doc.path, "nothing links to this page and no path uses it")
                        .with_hint(format!("link to it with [[{}]] from a related page, or add it to a path", doc.id)),
                );
            }
        }
        diagnostics.sort_by(|a, b| (&a.path, a.line, a.col, a.code).cmp(&(&b.path, b.line, b.col, b.code)));
        diagnostics.dedup();

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
                old.as_str() != d.id && legacy_id(d, self.plain_folder).as_deref() == Some(old.as_str())
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

fn term_conflicts(docs: &[Document], terms: &[usize]) -> Vec<Diagnostic> {
    let mut owner: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for &i in terms {
        let Some(t) = docs[i].term() else { continue };
        let mut own = HashSet::new();
        for (key, name) in std::iter::once(("term", &t.term)).chain(t.aliases.iter().map(|a| ("aliases", a))) {
            let norm = name.trim().to_lowercase();
            if norm.is_empty() || !own.insert(norm.clone()) {
                continue;
            }
            match owner.get(&norm) {
                Some(&j) if j != i => out.push(
                    Diagnostic::error(
                        Code::TermConflict,
                        &docs[i].path,
                        format!("`{name}` is already claimed by the term `{}`", docs[j].id),
                    )
                    .at(docs[i].line_of(key, Some(name)), 1)
                    .with_hint(format!("keep `{name}` in one term and link the other to it")),
                ),
                _ => {
                    owner.insert(norm, i);
                }
            }
        }
    }
    out
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

/// Candidate lists longer than this are looked up through an index of their ancestors, so
/// that thousands of files sharing a name (`index.md`, `README.md`) never cost a comparison
/// with each of them per link.
const NEAR_INDEX_MIN: usize = 16;

struct Resolver<'a> {
    docs: &'a [Document],
    by_id: &'a HashMap<String, usize>,
    aliases: &'a HashMap<String, usize>,
    by_path: HashMap<&'a str, usize>,
    /// For wikilinks: every trailing part of a document's path without extension, lowercased
    /// with spaces as written (`bases syntax`, `en/bases syntax`), and of its id → documents.
    names: HashMap<String, Vec<usize>>,
    /// For long lists in `names`: `ancestor folder \0 name` → (the fewest folders below the
    /// ancestor to a match, the matches that far down).
    near: HashMap<String, (usize, Vec<usize>)>,
    /// Every trailing part of an asset's path, lowercased → asset paths.
    asset_names: HashMap<String, Vec<&'a str>>,
    /// Terms and aliases, lowercased → term documents.
    term_names: HashMap<String, Vec<usize>>,
    assets: &'a Assets,
    /// Not a Guildhall hub: site-absolute links are a static site's, so warnings.
    plain_folder: bool,
}

/// The folder part of a relative path.
fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn segments(dir: &str) -> impl Iterator<Item = &str> {
    dir.split('/').filter(|s| !s.is_empty())
}

/// How far a file in `to` is from one in `from`: folders up to the nearest common folder,
/// then folders down.
fn distance(from: &str, to: &str) -> (usize, usize) {
    let common = segments(from).zip(segments(to)).take_while(|(a, b)| a == b).count();
    (segments(from).count() - common, segments(to).count() - common)
}

/// The path without its Markdown extension.
fn without_md(path: &str) -> &str {
    let lower_ends = |ext: &str| path.len() > ext.len() && path[path.len() - ext.len()..].eq_ignore_ascii_case(ext);
    if lower_ends(".md") {
        &path[..path.len() - 3]
    } else if lower_ends(".markdown") {
        &path[..path.len() - 9]
    } else {
        path
    }
}

/// Adds every trailing part of `key` (`a/b/c`, `b/c`, `c`), after `prefix`, as a name of `i`.
fn push_suffixes(map: &mut HashMap<String, Vec<usize>>, prefix: &str, key: &str, i: usize) {
    let mut rest = key;
    loop {
        let list = map.entry(format!("{prefix}{rest}")).or_default();
        if list.last() != Some(&i) {
            list.push(i);
        }
        match rest.split_once('/') {
            Some((_, tail)) => rest = tail,
            None => break,
        }
    }
}

impl<'a> Resolver<'a> {
    fn new(
        docs: &'a [Document],
        by_id: &'a HashMap<String, usize>,
        aliases: &'a HashMap<String, usize>,
        assets: &'a Assets,
        terms: &[usize],
        plain_folder: bool,
    ) -> Resolver<'a> {
        let by_path = docs.iter().enumerate().map(|(i, d)| (d.path.as_str(), i)).collect();
        let mut names: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in docs.iter().enumerate() {
            push_suffixes(&mut names, "p:", &without_md(&d.path).to_lowercase(), i);
            push_suffixes(&mut names, "i:", &d.id.to_lowercase(), i);
        }
        let mut near: HashMap<String, (usize, Vec<usize>)> = HashMap::new();
        for (name, list) in &names {
            if list.len() <= NEAR_INDEX_MIN {
                continue;
            }
            for &c in list {
                let dir: Vec<&str> = segments(dir_of(&docs[c].path)).collect();
                for a in 0..=dir.len() {
                    let key = format!("{}\0{name}", dir[..a].join("/"));
                    let down = dir.len() - a;
                    let e = near.entry(key).or_insert((usize::MAX, Vec::new()));
                    if down < e.0 {
                        *e = (down, vec![c]);
                    } else if down == e.0 {
                        e.1.push(c);
                    }
                }
            }
        }
        let mut asset_names: HashMap<String, Vec<&'a str>> = HashMap::new();
        for path in &assets.files {
            let lower = path.to_lowercase();
            let mut rest = lower.as_str();
            loop {
                asset_names.entry(rest.to_string()).or_default().push(path.as_str());
                match rest.split_once('/') {
                    Some((_, tail)) => rest = tail,
                    None => break,
                }
            }
        }
        for list in asset_names.values_mut() {
            list.sort_unstable();
        }
        let mut term_names: HashMap<String, Vec<usize>> = HashMap::new();
        for &i in terms {
            if let Some(t) = docs[i].term() {
                for name in std::iter::once(&t.term).chain(&t.aliases) {
                    let list = term_names.entry(name.trim().to_lowercase()).or_default();
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
            }
        }
        Resolver { docs, by_id, aliases, by_path, names, near, asset_names, term_names, assets, plain_folder }
    }

    /// The documents called `name` nearest to the folder `from` (several on a tie).
    fn nearest(&self, from: &str, name: &str) -> Vec<usize> {
        let Some(list) = self.names.get(name) else { return Vec::new() };
        if list.len() <= 1 {
            return list.clone();
        }
        if list.len() > NEAR_INDEX_MIN {
            let dir: Vec<&str> = segments(from).collect();
            for a in (0..=dir.len()).rev() {
                if let Some((_, found)) = self.near.get(&format!("{}\0{name}", dir[..a].join("/"))) {
                    return found.clone();
                }
            }
            return Vec::new();
        }
        let best = list.iter().map(|&c| distance(from, dir_of(&self.docs[c].path))).min();
        list.iter().copied().filter(|&c| Some(distance(from, dir_of(&self.docs[c].path))) == best).collect()
    }

    fn resolve_links(&self, i: usize, diags: &mut Vec<Diagnostic>) -> Vec<LinkTarget> {
        let doc = &self.docs[i];
        doc.outline
            .links
            .iter()
            .map(|link| {
                let mut warnings = Vec::new();
                let target = self.resolve(doc, i, link.style, &link.dest, &mut warnings).unwrap_or_else(|d| {
                    warnings.push(d);
                    LinkTarget::Refused
                });
                diags.extend(warnings.into_iter().map(|d| d.at(link.line, link.col)));
                target
            })
            .collect()
    }

    fn resolve(
        &self,
        doc: &Document,
        i: usize,
        style: LinkStyle,
        dest: &str,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<LinkTarget, Diagnostic> {
        let path = doc.path.as_str();
        if matches!(style, LinkStyle::Wiki | LinkStyle::Embed) {
            return self.resolve_wiki(doc, i, dest, style == LinkStyle::Embed, warnings);
        }
        let dest = dest.trim();
        if dest.is_empty() {
            return Err(Diagnostic::error(Code::BrokenLink, path, "the link has no destination"));
        }
        if let Some(anchor) = dest.strip_prefix('#') {
            return self.check_anchor(path, i, anchor).map(|_| LinkTarget::Anchor(anchor.to_string()));
        }
        if let Some(scheme) = scheme_of(dest) {
            let scheme = scheme.to_ascii_lowercase();
            return match (style, scheme.as_str()) {
                (LinkStyle::Image, "data") if is_safe_data_image(dest) => Ok(LinkTarget::DataImage(dest.to_string())),
                (LinkStyle::Image, "http" | "https") => Err(Diagnostic::warning(
                    Code::RemoteResource,
                    path,
                    format!("remote image `{}` will not be loaded", shorten(dest)),
                )
                .with_hint("save the image inside the hub folder and link it relatively")),
                (LinkStyle::Markdown, "http" | "https" | "mailto" | "tel") => {
                    Ok(LinkTarget::External(dest.to_string()))
                }
                (_, s) if APP_SCHEMES.contains(&s) => Err(Diagnostic::warning(
                    Code::UnsafeLink,
                    path,
                    format!("`{s}:` links open another application, which Guildhall does not do: `{}`", shorten(dest)),
                )
                .with_hint("link the page inside the hub instead, with [[name]] or a relative link")),
                _ => Err(Diagnostic::error(
                    Code::UnsafeLink,
                    path,
                    format!("`{scheme}:` links are never followed: `{}`", shorten(dest)),
                )
                .with_hint("link to documents by id ([[id]]) or to https:// pages")),
            };
        }
        if dest.starts_with("//") || dest.starts_with('\\') {
            return Err(Diagnostic::error(
                Code::EscapesHub,
                path,
                format!("`{}` points to another host without saying how", shorten(dest)),
            )
            .with_hint("write the full https:// address"));
        }
        let (file_part, anchor) = split_anchor(dest);
        let file_part = file_part.split('?').next().unwrap_or(file_part);
        let decoded = percent_decode_str(file_part).decode_utf8_lossy();
        let site_absolute = decoded.starts_with('/');
        if site_absolute && !self.plain_folder {
            return Err(Diagnostic::error(
                Code::EscapesHub,
                path,
                format!("absolute path `{}` is not allowed", shorten(dest)),
            )
            .with_hint("link relative to this file, or by id with [[id]]"));
        }
        let base = if site_absolute { "" } else { path.rsplit_once('/').map_or("", |(dir, _)| dir) };
        let Some(target) = normalise_path(base, &decoded) else {
            return Err(Diagnostic::error(
                Code::EscapesHub,
                path,
                format!("`{}` leads outside the hub folder", shorten(dest)),
            )
            .with_hint("only files inside the hub folder can be linked"));
        };
        if self.escapes_via_symlink(&target) {
            return Err(Diagnostic::error(
                Code::EscapesHub,
                path,
                format!("`{}` goes through a symbolic link that leads outside the hub folder", shorten(dest)),
            ));
        }
        let found_doc = self.doc_at(&target);
        if let Some(index) = found_doc {
            if style == LinkStyle::Image {
                return Err(Diagnostic::error(Code::BrokenLink, path, format!("`{dest}` is a document, not an image")));
            }
            if let Some(a) = anchor {
                self.check_anchor(path, index, a)?;
            }
            return Ok(LinkTarget::Document { index, anchor: anchor.map(str::to_string) });
        }
        if self.assets.files.contains(target.as_str()) {
            return Ok(LinkTarget::Asset(target));
        }
        if site_absolute {
            // A published site's absolute path (`/about/`): relative to the site's root, which
            // is the hub folder only when the site is built from it.
            return Err(Diagnostic::warning(
                Code::EscapesHub,
                path,
                format!(
                    "`{}` is an absolute path on the published site; inside Guildhall it only works when it names a file of the hub folder, and nothing is at `{target}`",
                    shorten(dest)
                ),
            )
            .with_hint("link relative to this file, or by name with [[name]]"));
        }
        Err(Diagnostic::error(Code::BrokenLink, path, format!("`{}` does not exist in the hub", shorten(dest)))
            .with_hint(format!("no file at `{target}`")))
    }

    fn doc_at(&self, target: &str) -> Option<usize> {
        if let Some(&i) = self.by_path.get(target) {
            return Some(i);
        }
        let base = target.trim_end_matches('/');
        // mdBook links to the page it builds (`chapter.html`), MkDocs to `page/`.
        let base = base.strip_suffix(".html").or_else(|| base.strip_suffix(".htm")).unwrap_or(base);
        let base = base.strip_suffix("/index").unwrap_or(base);
        if base.is_empty() {
            return ["index.md", "README.md", "readme.md"].iter().find_map(|p| self.by_path.get(p).copied());
        }
        [format!("{base}.md"), format!("{base}/README.md"), format!("{base}/index.md"), format!("{base}/readme.md")]
            .iter()
            .find_map(|p| self.by_path.get(p.as_str()).copied())
    }

    fn escapes_via_symlink(&self, target: &str) -> bool {
        if self.assets.escaping.is_empty() {
            return false;
        }
        let mut prefix = String::new();
        for seg in target.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(seg);
            if self.assets.escaping.contains(&prefix) {
                return true;
            }
        }
        false
    }

    /// Documents a wikilink target may mean, nearest first; more than one on a tie.
    fn wiki_candidates(&self, doc: &Document, typed: &str) -> Vec<usize> {
        if let Some(&i) = self.by_id.get(typed) {
            return vec![i];
        }
        let from = dir_of(&doc.path);
        let typed_path = typed.trim_start_matches('/');
        // The path as typed first, so `[[Bases-Syntax]]` never means `Bases syntax.md`, whose
        // id slug it shares; then ids.
        let found = self.nearest(from, &format!("p:{}", typed_path.to_lowercase()));
        if !found.is_empty() {
            return found;
        }
        let norm = normalise_wiki(typed_path);
        if let Some(&i) = self.by_id.get(&norm) {
            return vec![i];
        }
        let found = self.nearest(from, &format!("i:{norm}"));
        if !found.is_empty() {
            return found;
        }
        self.term_names.get(&typed.to_lowercase()).cloned().unwrap_or_default()
    }

    /// An attachment named by a wikilink: by path from the hub folder, then beside the note,
    /// then anywhere in the hub by the nearest match of its trailing path.
    fn wiki_asset(&self, doc: &Document, typed: &str) -> Result<Option<String>, Diagnostic> {
        let decoded = percent_decode_str(typed).decode_utf8_lossy();
        let Some(rooted) = normalise_path("", &decoded) else {
            return Err(Diagnostic::error(
                Code::EscapesHub,
                &doc.path,
                format!("`{}` leads outside the hub folder", shorten(typed)),
            ));
        };
        let from = dir_of(&doc.path);
        let beside = normalise_path(from, &decoded);
        for candidate in [Some(rooted), beside].into_iter().flatten() {
            if self.escapes_via_symlink(&candidate) {
                return Err(Diagnostic::error(
                    Code::EscapesHub,
                    &doc.path,
                    format!("`{}` goes through a symbolic link that leads outside the hub folder", shorten(typed)),
                ));
            }
            if self.assets.files.contains(&candidate) {
                return Ok(Some(candidate));
            }
        }
        let key = decoded.trim_start_matches(['/', '.']).to_lowercase();
        let Some(list) = self.asset_names.get(&key) else { return Ok(None) };
        let best = list.iter().min_by_key(|p| (distance(from, dir_of(p)), p.len(), **p));
        Ok(best.map(|p| (*p).to_string()))
    }

    fn resolve_wiki(
        &self,
        doc: &Document,
        i: usize,
        dest: &str,
        embed: bool,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<LinkTarget, Diagnostic> {
        // In a table `[[x\|y]]` escapes the pipe: the target ends with the backslash.
        let dest = dest.trim().trim_end_matches('\\').trim_end();
        let (target, anchor) = split_anchor(dest);
        let target = target.trim();
        if target.is_empty() {
            return match anchor {
                Some(a) => self.check_anchor(&doc.path, i, a).map(|_| LinkTarget::Anchor(a.to_string())),
                None => Err(Diagnostic::error(Code::BrokenLink, &doc.path, "the wikilink is empty")),
            };
        }
        if let Some(scheme) = scheme_of(target) {
            return Err(Diagnostic::error(
                Code::UnsafeLink,
                &doc.path,
                format!("`{}:` is not a note name: `{}`", scheme.to_ascii_lowercase(), shorten(target)),
            )
            .with_hint("wikilinks name notes and files inside the hub"));
        }
        let has_other_ext = target
            .rsplit('/')
            .next()
            .and_then(|n| n.rsplit_once('.'))
            .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.eq_ignore_ascii_case("md") && !ext.contains(' '));
        if has_other_ext && let Some(asset) = self.wiki_asset(doc, target)? {
            return Ok(LinkTarget::Asset(asset));
        }
        let candidates = self.wiki_candidates(doc, target);
        let Some(&index) = candidates.first() else {
            let norm = normalise_wiki(target);
            let what = if has_other_ext { "no file or document" } else { "no document" };
            return Err(Diagnostic::error(Code::BrokenLink, &doc.path, format!("{what} is called `{target}`"))
                .with_hint(self.suggest(&norm)));
        };
        if let Some(a) = anchor {
            self.check_anchor(&doc.path, index, a)?;
        }
        if candidates.len() > 1 {
            let names: Vec<String> = candidates.iter().take(5).map(|&c| format!("`{}`", self.docs[c].path)).collect();
            let (first, second) = (&self.docs[candidates[0]].id, &self.docs[candidates[1]].id);
            warnings.push(
                Diagnostic::warning(
                    Code::AmbiguousLink,
                    &doc.path,
                    format!(
                        "[[{target}]] matches {} documents equally near ({}); using `{first}`",
                        candidates.len(),
                        names.join(", ")
                    ),
                )
                .with_hint(format!("write a longer path such as [[{second}]] to pick another")),
            );
        }
        if index == i
            && !embed
            && let Some(a) = anchor
        {
            return Ok(LinkTarget::Anchor(a.to_string()));
        }
        Ok(LinkTarget::Document { index, anchor: anchor.map(str::to_string) })
    }

    fn check_anchor(&self, from: &str, index: usize, anchor: &str) -> Result<(), Diagnostic> {
        let doc = &self.docs[index];
        if anchor_element(doc, anchor).is_some() {
            return Ok(());
        }
        let decoded = percent_decode_str(anchor).decode_utf8_lossy();
        Err(Diagnostic::error(Code::BrokenLink, from, format!("`{}` has no heading `#{decoded}`", doc.id)).with_hint(
            match doc.outline.headings.first() {
                Some(h) => format!("its headings include `#{}`", h.slug),
                None => "it has no headings".to_string(),
            },
        ))
    }

    fn suggest(&self, norm: &str) -> String {
        let last = norm.rsplit('/').next().unwrap_or(norm);
        let close =
            self.by_id.keys().filter(|id| id.contains(last) || last.contains(id.as_str())).min_by_key(|id| id.len());
        match close {
            Some(id) => format!("did you mean [[{id}]]?"),
            None => "check the id: it is the file name without `.md`".to_string(),
        }
    }

    /// mdBook `{{#include}}` directives: the file must be inside the hub and readable.
    fn check_includes(&self, i: usize, diags: &mut Vec<Diagnostic>) {
        let doc = &self.docs[i];
        if !doc.body.contains("{{#") {
            return;
        }
        let lines = crate::diag::LineIndex::new(&doc.body);
        for d in crate::include::directives(&doc.body) {
            let (line, col) = lines.line_col(&doc.body, d.range.start);
            let line = line + doc.body_line - 1;
            let diag = match crate::include::resolve(&doc.path, d.file) {
                None => Diagnostic::error(
                    Code::EscapesHub,
                    &doc.path,
                    format!("the included file `{}` is outside the hub folder", shorten(d.file)),
                )
                .with_hint("only files inside the hub folder can be included"),
                Some(t) if self.assets.included.contains_key(&t) => continue,
                Some(t) if self.assets.files.contains(&t) => Diagnostic::warning(
                    Code::TooLarge,
                    &doc.path,
                    format!("the included file `{t}` is not UTF-8 text or is over 256 KiB; it is not shown"),
                ),
                Some(t) => Diagnostic::error(
                    Code::BrokenLink,
                    &doc.path,
                    format!("the included file `{}` does not exist in the hub", shorten(d.file)),
                )
                .with_hint(format!("no file at `{t}`")),
            };
            diags.push(diag.at(line, col));
        }
    }

    /// Front-matter references: path steps and prerequisites, related ids, case-study patterns.
    fn check_refs(&self, i: usize, diags: &mut Vec<Diagnostic>) {
        let doc = &self.docs[i];
        let mut check = |key: &str, id: &str, want: Option<Kind>| match self
            .by_id
            .get(id)
            .or_else(|| self.aliases.get(id))
        {
            None => diags.push(
                Diagnostic::error(Code::MissingRef, &doc.path, format!("`{key}` names `{id}`, which does not exist"))
                    .at(doc.line_of(key, Some(id)), 1)
                    .with_hint(self.suggest(id)),
            ),
            Some(&j) => {
                if let Some(kind) = want
                    && self.docs[j].kind() != kind
                {
                    diags.push(
                        Diagnostic::error(
                            Code::InvalidValue,
                            &doc.path,
                            format!("`{key}` names `{id}`, which is a {}, not a {kind}", self.docs[j].kind()),
                        )
                        .at(doc.line_of(key, Some(id)), 1),
                    );
                }
            }
        };
        match &doc.fields {
            KindFields::Path(p) => {
                for s in &p.steps {
                    check("steps", &s.target, None);
                }
                for id in &p.prerequisites {
                    check("prerequisites", id, Some(Kind::Path));
                }
            }
            KindFields::Pattern(p) => p.related.iter().for_each(|id| check("related", id, None)),
            KindFields::CaseStudy(c) => c.patterns.iter().for_each(|id| check("patterns", id, Some(Kind::Pattern))),
            _ => {}
        }
    }
}

/// An mdBook `SUMMARY.md` names the book's chapters: each chapter without a front-matter
/// title takes the title the summary gives it, as the book's navigation shows it.
fn apply_summary_titles(docs: &mut [Document]) {
    let by_path: HashMap<String, usize> = docs.iter().enumerate().map(|(i, d)| (d.path.clone(), i)).collect();
    let summaries: Vec<usize> =
        (0..docs.len()).filter(|&i| docs[i].path.rsplit('/').next() == Some("SUMMARY.md")).collect();
    for s in summaries {
        let base = dir_of(&docs[s].path).to_string();
        let mut titles = Vec::new();
        let mut open: Option<(String, String)> = None;
        let body = docs[s].body.clone();
        for event in pulldown_cmark::Parser::new_ext(&body, crate::scan::parser_options()) {
            match event {
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) => {
                    open = Some((dest_url.to_string(), String::new()));
                }
                pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => {
                    if let Some((_, label)) = open.as_mut() {
                        label.push_str(&t);
                    }
                }
                pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Link) => titles.extend(open.take()),
                _ => {}
            }
        }
        for (dest, label) in titles {
            let file = percent_decode_str(dest.split('#').next().unwrap_or("")).decode_utf8_lossy().into_owned();
            let Some(target) = normalise_path(&base, &file) else { continue };
            if let Some(&j) = by_path.get(&target)
                && docs[j].meta.title.is_none()
                && !label.trim().is_empty()
            {
                docs[j].title = label.trim().to_string();
            }
        }
    }
}

/// URL schemes of other applications (note-taking and editing tools): links with them are
/// warnings, not errors, since they are harmless but cannot work inside Guildhall.
const APP_SCHEMES: &[&str] =
    &["obsidian", "logseq", "zotero", "vscode", "onenote", "notion", "bear", "x-devonthink-item"];

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

/// Gives every Markdown file outside the kind folders an id of its own: two files whose
/// paths make the same lower-case id (`Bases syntax.md`, `Bases-Syntax.md`; `Case Test.md`,
/// `case-test.md`) are never merged. The file whose path already is the id (else the first in
/// path order) keeps it; the others take their exact path without extension. Returns the
/// aliases: each document's exact path without extension, and the id earlier versions gave it
/// (see [`legacy_id`]), where no other document claims them.
fn disambiguate_path_ids(docs: &mut [Document], plain_folder: bool) -> HashMap<String, usize> {
    let fixed: HashSet<String> = docs.iter().filter(|d| !d.path_derived).map(|d| d.id.clone()).collect();
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if d.path_derived {
            groups.entry(d.id.clone()).or_default().push(i);
        }
    }
    for (id, group) in groups {
        let keeper = if fixed.contains(&id) {
            None
        } else {
            Some(group.iter().copied().find(|&i| without_md(&docs[i].path) == id).unwrap_or(group[0]))
        };
        if group.len() < 2 && keeper.is_some() {
            continue;
        }
        for i in group {
            if Some(i) != keeper {
                let exact = without_md(&docs[i].path).to_string();
                docs[i].id = exact;
            }
        }
    }
    let ids: HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    let mut claims: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        let exact = without_md(&d.path);
        let mut names = vec![exact.to_string()];
        names.extend(legacy_id(d, plain_folder));
        for name in names {
            if name != d.id && !ids.contains(name.as_str()) {
                let list = claims.entry(name).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
    }
    claims.into_iter().filter(|(_, l)| l.len() == 1).map(|(k, l)| (k, l[0])).collect()
}

/// The id Guildhall gave a document before ordinary folders were told apart from hubs: in a
/// folder without `guildhall.toml`, a file in a top-level `guides/`, `paths/`... folder was
/// named by its file stem alone.
fn legacy_id(doc: &Document, plain_folder: bool) -> Option<String> {
    if !plain_folder || !doc.path_derived {
        return None;
    }
    let (top, _) = doc.path.split_once('/')?;
    Kind::from_folder(top)?;
    let name = doc.path.rsplit('/').next().unwrap_or(&doc.path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let id = if is_valid_id(stem) { stem.to_string() } else { slugify_id(stem) };
    (!id.is_empty()).then_some(id)
}

fn split_anchor(dest: &str) -> (&str, Option<&str>) {
    match dest.split_once('#') {
        Some((t, a)) => (t, Some(a).filter(|a| !a.is_empty())),
        None => (dest, None),
    }
}

/// `[[Install/README.md]]` → `install/readme`.
fn normalise_wiki(target: &str) -> String {
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

fn scheme_of(dest: &str) -> Option<&str> {
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

fn shorten(s: &str) -> String {
    if s.chars().count() > 80 { format!("{}…", s.chars().take(80).collect::<String>()) } else { s.to_string() }
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
