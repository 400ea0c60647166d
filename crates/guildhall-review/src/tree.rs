//! Reading and writing git trees as hub content: a tree becomes a [`Catalog`] for checking, and
//! single files are replaced in a tree without touching the work tree.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use git2::{ObjectType, Oid, Repository, Tree, TreeWalkMode, TreeWalkResult};
use guildhall_content::{
    Assets, CONFIG_FILE, Catalog, Diagnostic, HubConfig, Limits, LoadOptions, SourceFile, is_markdown, parse_document,
};

use crate::ReviewError;
use crate::rules::ChangeKind;

/// Every blob in `tree` by path (`/`-separated), skipping hidden folders and `node_modules`, as
/// the content loader does.
pub(crate) fn blobs(tree: &Tree<'_>) -> Result<BTreeMap<String, Oid>, ReviewError> {
    let mut out = BTreeMap::new();
    tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        let name = entry.name().unwrap_or_default();
        match entry.kind() {
            Some(ObjectType::Tree) if name.starts_with('.') || name == "node_modules" => TreeWalkResult::Skip,
            Some(ObjectType::Blob) if entry.filemode() != 0o120000 => {
                out.insert(format!("{dir}{name}"), entry.id());
                TreeWalkResult::Ok
            }
            _ => TreeWalkResult::Ok,
        }
    })?;
    Ok(out)
}

/// Loads, links and checks the hub as it is in `tree`.
pub(crate) fn catalog(repo: &Repository, tree: &Tree<'_>) -> Result<Catalog, ReviewError> {
    let mut sources = Vec::new();
    let mut assets = Assets::default();
    let mut config = None;
    for (path, oid) in blobs(tree)? {
        let blob = repo.find_blob(oid)?;
        if path == CONFIG_FILE {
            config = Some(String::from_utf8_lossy(blob.content()).into_owned());
        } else if is_markdown(&path) {
            sources.push(SourceFile { path, bytes: Ok(blob.content().to_vec()) });
        } else {
            assets.files.insert(path);
        }
    }
    Ok(Catalog::build("hub", sources, assets, config.as_deref(), &LoadOptions::default()))
}

/// The hub settings as published in `tree` (defaults when there is no `guildhall.toml`).
pub(crate) fn config(repo: &Repository, tree: &Tree<'_>) -> Result<HubConfig, ReviewError> {
    match tree.get_path(Path::new(CONFIG_FILE)) {
        Ok(entry) => {
            let blob = repo.find_blob(entry.id())?;
            let (config, diags) = HubConfig::parse(&String::from_utf8_lossy(blob.content()));
            match diags.iter().find(|d| d.is_error()) {
                Some(d) => Err(ReviewError::Config(d.to_string())),
                None => Ok(config),
            }
        }
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(HubConfig::default()),
        Err(e) => Err(e.into()),
    }
}

/// The errors in `after` that `before` did not have: what a change would break.
pub(crate) fn new_errors(before: &Catalog, after: &Catalog) -> Vec<Diagnostic> {
    let old: HashSet<(&str, &str, &str)> = before
        .diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.path.as_str(), d.code.as_str(), d.message.as_str()))
        .collect();
    after
        .diagnostics()
        .iter()
        .filter(|d| d.is_error() && !old.contains(&(d.path.as_str(), d.code.as_str(), d.message.as_str())))
        .cloned()
        .collect()
}

/// The content of `path` in `tree`, if it is there.
pub(crate) fn file(repo: &Repository, tree: &Tree<'_>, path: &str) -> Result<Option<Vec<u8>>, ReviewError> {
    match tree.get_path(Path::new(path)) {
        Ok(entry) if entry.kind() == Some(ObjectType::Blob) => Ok(Some(repo.find_blob(entry.id())?.content().to_vec())),
        Ok(_) => Ok(None),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The id of the entry at `path` in `tree` (None when absent).
pub(crate) fn entry_id(tree: &Tree<'_>, path: &str) -> Option<Oid> {
    tree.get_path(Path::new(path)).ok().map(|e| e.id())
}

/// `base` with each path set to its new content (`None` deletes it). Folders are created and
/// emptied folders removed as needed.
pub(crate) fn with_files(
    repo: &Repository,
    base: &Tree<'_>,
    changes: &[(String, Option<Vec<u8>>)],
) -> Result<Oid, ReviewError> {
    let mut tree = base.id();
    for (path, content) in changes {
        let parts: Vec<&str> = path.split('/').collect();
        let blob = content.as_ref().map(|c| repo.blob(c)).transpose()?;
        let current = repo.find_tree(tree)?;
        tree = set_path(repo, Some(&current), &parts, blob)?.unwrap_or(empty_tree(repo)?);
    }
    Ok(tree)
}

fn empty_tree(repo: &Repository) -> Result<Oid, ReviewError> {
    Ok(repo.treebuilder(None)?.write()?)
}

fn set_path(
    repo: &Repository,
    tree: Option<&Tree<'_>>,
    parts: &[&str],
    blob: Option<Oid>,
) -> Result<Option<Oid>, ReviewError> {
    let mut builder = repo.treebuilder(tree)?;
    let (first, rest) = parts.split_first().ok_or_else(|| ReviewError::Invalid("empty path".into()))?;
    if rest.is_empty() {
        match blob {
            Some(oid) => {
                let mode = tree
                    .and_then(|t| t.get_name(first))
                    .filter(|e| e.kind() == Some(ObjectType::Blob))
                    .map_or(0o100644, |e| e.filemode());
                builder.insert(first, oid, mode)?;
            }
            None => {
                if builder.get(first)?.is_some() {
                    builder.remove(first)?;
                }
            }
        }
    } else {
        let sub = tree
            .and_then(|t| t.get_name(first))
            .filter(|e| e.kind() == Some(ObjectType::Tree))
            .map(|e| repo.find_tree(e.id()))
            .transpose()?;
        match set_path(repo, sub.as_ref(), rest, blob)? {
            Some(oid) => {
                builder.insert(first, oid, 0o040000)?;
            }
            None => {
                if builder.get(first)?.is_some() {
                    builder.remove(first)?;
                }
            }
        }
    }
    if builder.is_empty() { Ok(None) } else { Ok(Some(builder.write()?)) }
}

/// What kind of change a file is, from its content (or its last content, for a deletion).
pub(crate) fn change_kind(path: &str, content: Option<&[u8]>) -> ChangeKind {
    if path == CONFIG_FILE {
        return ChangeKind::Config;
    }
    if !is_markdown(path) {
        return ChangeKind::Asset;
    }
    let (doc, _) = parse_document(path, content.unwrap_or_default(), &Limits::default());
    match doc {
        Some(d) => match &d.fields {
            guildhall_content::KindFields::Guide(g) if g.category.as_deref() == Some("policy") => ChangeKind::Policy,
            f => match f.kind() {
                guildhall_content::Kind::Term => ChangeKind::Term,
                guildhall_content::Kind::Pattern => ChangeKind::Pattern,
                guildhall_content::Kind::CaseStudy => ChangeKind::CaseStudy,
                guildhall_content::Kind::Path => ChangeKind::Path,
                guildhall_content::Kind::Guide => ChangeKind::Guide,
            },
        },
        // Unparseable Markdown cannot be proposed anyway; classify it by folder.
        None => match path.split('/').next().and_then(guildhall_content::Kind::from_folder) {
            Some(guildhall_content::Kind::Term) => ChangeKind::Term,
            Some(guildhall_content::Kind::Pattern) => ChangeKind::Pattern,
            Some(guildhall_content::Kind::CaseStudy) => ChangeKind::CaseStudy,
            Some(guildhall_content::Kind::Path) => ChangeKind::Path,
            _ => ChangeKind::Guide,
        },
    }
}

/// The paths whose content differs between two trees.
pub(crate) fn changed_paths(a: &Tree<'_>, b: &Tree<'_>) -> Result<Vec<String>, ReviewError> {
    let (a, b) = (blobs(a)?, blobs(b)?);
    let mut out: Vec<String> = a.iter().filter(|(p, id)| b.get(*p) != Some(id)).map(|(p, _)| p.clone()).collect();
    out.extend(b.keys().filter(|p| !a.contains_key(*p)).cloned());
    out.sort();
    Ok(out)
}
