//! Who is called what: document ids (path-derived ids told apart, the ids older versions gave,
//! duplicates), mdBook `SUMMARY.md` titles, and glossary terms claimed twice.

use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;

use super::dest::{dir_of, normalise_path, without_md};
use crate::diag::{Code, Diagnostic};
use crate::document::{is_valid_id, slugify_id};
use crate::model::{Document, Kind};

/// Id → document, and which documents lose their id to another: a file whose name is its id
/// keeps it, else the first in path order; the others are reported and left out of linking.
pub(super) fn assign_ids(docs: &[Document], diagnostics: &mut Vec<Diagnostic>) -> (HashMap<String, usize>, Vec<bool>) {
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
    (by_id, duplicate)
}

/// Gives every Markdown file outside the kind folders an id of its own: two files whose
/// paths make the same lower-case id (`Bases syntax.md`, `Bases-Syntax.md`; `Case Test.md`,
/// `case-test.md`) are never merged. The file whose path already is the id (else the first in
/// path order) keeps it; the others take their exact path without extension. Returns the
/// aliases: each document's exact path without extension, and the id earlier versions gave it
/// (see [`legacy_id`]), where no other document claims them.
pub(super) fn disambiguate_path_ids(docs: &mut [Document], plain_folder: bool) -> HashMap<String, usize> {
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
pub(super) fn legacy_id(doc: &Document, plain_folder: bool) -> Option<String> {
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

/// An mdBook `SUMMARY.md` names the book's chapters: each chapter without a front-matter
/// title takes the title the summary gives it, as the book's navigation shows it.
pub(super) fn apply_summary_titles(docs: &mut [Document]) {
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

pub(super) fn term_conflicts(docs: &[Document], terms: &[usize]) -> Vec<Diagnostic> {
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
