//! Link resolution for a whole hub: what every link, wikilink, embed, include and front-matter
//! reference of a document points to, or the diagnostic saying why it points nowhere.

use std::collections::HashMap;

use percent_encoding::percent_decode_str;

use super::dest::{
    anchor_element, dir_of, is_safe_data_image, normalise_path, normalise_wiki, scheme_of, shorten, split_anchor,
    without_md,
};
use super::{Assets, LinkTarget};
use crate::diag::{Code, Diagnostic};
use crate::model::{Document, Kind, KindFields};
use crate::scan::LinkStyle;

/// Candidate lists longer than this are looked up through an index of their ancestors, so
/// that thousands of files sharing a name (`index.md`, `README.md`) never cost a comparison
/// with each of them per link.
const NEAR_INDEX_MIN: usize = 16;

pub(super) struct Resolver<'a> {
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

fn segments(dir: &str) -> impl Iterator<Item = &str> {
    dir.split('/').filter(|s| !s.is_empty())
}

/// How far a file in `to` is from one in `from`: folders up to the nearest common folder,
/// then folders down.
fn distance(from: &str, to: &str) -> (usize, usize) {
    let common = segments(from).zip(segments(to)).take_while(|(a, b)| a == b).count();
    (segments(from).count() - common, segments(to).count() - common)
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
    pub(super) fn new(
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

    pub(super) fn resolve_links(&self, i: usize, diags: &mut Vec<Diagnostic>) -> Vec<LinkTarget> {
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
    pub(super) fn check_includes(&self, i: usize, diags: &mut Vec<Diagnostic>) {
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
    pub(super) fn check_refs(&self, i: usize, diags: &mut Vec<Diagnostic>) {
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

/// URL schemes of other applications (note-taking and editing tools): links with them are
/// warnings, not errors, since they are harmless but cannot work inside Guildhall.
const APP_SCHEMES: &[&str] =
    &["obsidian", "logseq", "zotero", "vscode", "onenote", "notion", "bear", "x-devonthink-item"];
