//! Reading a hub folder from disk: the only I/O in this crate, and it only reads.
//!
//! The walk never follows symbolic links out of the hub, opens regular files only (a FIFO would
//! block forever), caps every read, and turns each unreadable file into a diagnostic rather than
//! an error: one bad file never stops the rest from loading.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::catalog::{Assets, Catalog, LoadOptions, SourceFile};
use crate::config::CONFIG_FILE;
use crate::diag::{Code, Diagnostic};
use crate::document::too_large;

/// How deep folders may nest below the hub folder; a folder this deep is reported and its
/// contents are not loaded.
const MAX_DIR_DEPTH: usize = 128;

/// mdBook's `{{#include}}` files are read up to this size.
const MAX_INCLUDE_BYTES: u64 = 256 * 1024;

/// Why a hub could not be loaded at all (problems with single files are diagnostics instead).
#[derive(Debug)]
#[non_exhaustive]
pub enum LoadError {
    /// The hub folder does not exist or is not a folder.
    NotADirectory(PathBuf),
    /// The hub folder could not be read.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotADirectory(p) => write!(f, "`{}` is not a folder", p.display()),
            LoadError::Io(p, e) => write!(f, "cannot read `{}`: {e}", p.display()),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Io(_, e) => Some(e),
            LoadError::NotADirectory(_) => None,
        }
    }
}

/// Whether a file name is a Markdown document.
pub fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

impl Catalog {
    /// Loads the hub in `root`: every Markdown file below it, `guildhall.toml` and the list of
    /// other files that links may point to.
    pub fn load(root: &Path, opts: &LoadOptions) -> Result<Catalog, LoadError> {
        let (sources, assets, config, mut walk_diags) = read_hub(root, opts)?;
        let opts = &LoadOptions { plain_folder: config.is_none(), ..opts.clone() };
        let name = root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "hub".to_string());
        let mut sources = sources;
        // Walk problems travel as unreadable sources so that they sort with the rest.
        sources.extend(walk_diags.drain(..).map(|d| SourceFile { path: d.path.clone(), bytes: Err(d) }));
        Ok(Catalog::build(&name, sources, assets, config.as_deref(), opts))
    }
}

type HubFiles = (Vec<SourceFile>, Assets, Option<String>, Vec<Diagnostic>);

/// Walks `root` and reads every Markdown file, in parallel.
pub fn read_hub(root: &Path, opts: &LoadOptions) -> Result<HubFiles, LoadError> {
    let meta = fs::metadata(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotADirectory(root.to_path_buf()),
        _ => LoadError::Io(root.to_path_buf(), e),
    })?;
    if !meta.is_dir() {
        return Err(LoadError::NotADirectory(root.to_path_buf()));
    }
    let canonical_root = root.canonicalize().map_err(|e| LoadError::Io(root.to_path_buf(), e))?;
    let mut markdown: Vec<(String, PathBuf)> = Vec::new();
    let mut assets = Assets::default();
    let mut diags = Vec::new();
    let mut config = None;

    let walker = walkdir::WalkDir::new(root).follow_links(false).max_depth(MAX_DIR_DEPTH).into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_skipped_dir(e)) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e.path().and_then(|p| rel_path(root, p)).unwrap_or_default();
                diags.push(Diagnostic::warning(Code::Io, rel, format!("cannot read: {e}")));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let Some(rel) = rel_path(root, entry.path()) else {
            let shown = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_string_lossy().into_owned();
            diags.push(
                Diagnostic::warning(Code::Io, shown, "the file name is not valid UTF-8; skipped")
                    .with_hint("rename the file"),
            );
            continue;
        };
        let name = entry.file_name().to_string_lossy();
        let ft = entry.file_type();
        if ft.is_symlink() {
            if let Some(d) = symlink(entry.path(), rel, &name, &canonical_root, &mut markdown, &mut assets) {
                diags.push(d);
            }
            continue;
        }
        if ft.is_dir() {
            if entry.depth() == MAX_DIR_DEPTH {
                diags.push(
                    Diagnostic::warning(
                        Code::Io,
                        rel,
                        format!("this folder is {MAX_DIR_DEPTH} folders deep; what is inside it is not loaded"),
                    )
                    .with_hint("move its files to a shallower folder"),
                );
            }
            continue;
        }
        if !ft.is_file() {
            if is_markdown(&name) {
                diags.push(Diagnostic::warning(Code::Io, rel, "not a regular file (a pipe or device?); skipped"));
            }
            continue;
        }
        if rel == CONFIG_FILE {
            config = Some(entry.path().to_path_buf());
        } else if is_markdown(&name) {
            markdown.push((rel, entry.path().to_path_buf()));
        } else {
            assets.files.insert(rel);
        }
    }

    let max = opts.limits.max_file_bytes;
    let sources: Vec<SourceFile> = markdown
        .into_par_iter()
        .map(|(rel, path)| {
            let bytes = read_capped(&path, max).map_err(|e| match e {
                ReadError::TooLarge(len) => too_large(&rel, len, max),
                ReadError::Io(e) => Diagnostic::error(Code::Io, rel.clone(), format!("cannot read the file: {e}")),
            });
            SourceFile { path: rel, bytes }
        })
        .collect();

    assets.included = read_includes(root, &sources, &assets);

    let config_text = match config.as_deref().map(read_config) {
        Some(Ok(text)) => Some(text),
        Some(Err(d)) => {
            diags.push(d);
            None
        }
        None => None,
    };
    Ok((sources, assets, config_text, diags))
}

/// A symbolic link found by the walk: one to a file inside the hub is read like that file
/// (folders are not descended: that is how cycles are avoided); one leading out is recorded so
/// that no link goes through it. Returns the diagnostic it earns, if any.
fn symlink(
    path: &Path,
    rel: String,
    name: &str,
    canonical_root: &Path,
    markdown: &mut Vec<(String, PathBuf)>,
    assets: &mut Assets,
) -> Option<Diagnostic> {
    match path.canonicalize() {
        Ok(target) if target.starts_with(canonical_root) => {
            if target.is_file() {
                if is_markdown(name) {
                    markdown.push((rel, path.to_path_buf()));
                } else {
                    assets.files.insert(rel);
                }
            }
            None
        }
        Ok(_) => {
            let d = is_markdown(name).then(|| {
                Diagnostic::error(
                    Code::EscapesHub,
                    rel.clone(),
                    "this symbolic link leads outside the hub folder; not loaded",
                )
                .with_hint("copy the file into the hub instead of linking to it")
            });
            assets.escaping.insert(rel);
            d
        }
        Err(_) => Some(Diagnostic::warning(Code::Io, rel, "broken symbolic link; skipped")),
    }
}

/// The text of `guildhall.toml`, or the diagnostic saying why it cannot be used.
fn read_config(path: &Path) -> Result<String, Diagnostic> {
    let bytes = read_capped(path, 1024 * 1024)
        .map_err(|_| Diagnostic::error(Code::Config, CONFIG_FILE, "guildhall.toml cannot be read"))?;
    String::from_utf8(bytes)
        .map_err(|_| Diagnostic::error(Code::Config, CONFIG_FILE, "guildhall.toml is not valid UTF-8"))
}

/// Reads the text files that mdBook `{{#include}}` and `{{#rustdoc_include}}` directives name,
/// when they are files of the hub the walk found (so never outside it, nor through a symbolic
/// link leading out).
fn read_includes(root: &Path, sources: &[SourceFile], assets: &Assets) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    for src in sources {
        let Ok(bytes) = &src.bytes else { continue };
        let Ok(text) = std::str::from_utf8(bytes) else { continue };
        if !text.contains("{{#") {
            continue;
        }
        for target in crate::include::targets(&src.path, text) {
            if out.contains_key(&target) || !assets.files.contains(&target) {
                continue;
            }
            if let Ok(bytes) = read_capped(&root.join(&target), MAX_INCLUDE_BYTES)
                && let Ok(t) = String::from_utf8(bytes)
            {
                out.insert(target, t);
            }
        }
    }
    out
}

/// A cheap fingerprint of what [`Catalog::load`] would read: the path, size, modification time
/// and type of every Markdown file and of `guildhall.toml`, found by the same walk, from file
/// metadata alone (nothing is opened). Two equal fingerprints mean the documents have not
/// changed in between, as far as the file system tells, so a search index built from the
/// first is still current.
pub fn fingerprint(root: &Path) -> Result<u64, LoadError> {
    let meta = fs::metadata(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotADirectory(root.to_path_buf()),
        _ => LoadError::Io(root.to_path_buf(), e),
    })?;
    if !meta.is_dir() {
        return Err(LoadError::NotADirectory(root.to_path_buf()));
    }
    let mut entries: Vec<(String, u64, i128, u8)> = Vec::new();
    let walker = walkdir::WalkDir::new(root).follow_links(false).max_depth(MAX_DIR_DEPTH).into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_skipped_dir(e)) {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy();
        if entry.depth() == 0 || !(is_markdown(&name) || name == CONFIG_FILE) {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_string_lossy().into_owned();
        // Symbolic links: the target's metadata, so an edit through the link counts.
        let (kind, meta) = if entry.file_type().is_symlink() {
            (2, fs::metadata(entry.path()).ok())
        } else {
            (1, entry.metadata().ok())
        };
        let (len, modified) = meta.map_or((0, 0), |m| {
            let t = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            (m.len(), t.map_or(0, |d| d.as_nanos() as i128))
        });
        entries.push((rel, len, modified, kind));
    }
    entries.sort_unstable();
    let mut bytes = Vec::with_capacity(entries.len() * 48);
    for (rel, len, modified, kind) in &entries {
        bytes.extend_from_slice(rel.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(&len.to_le_bytes());
        bytes.extend_from_slice(&modified.to_le_bytes());
        bytes.push(*kind);
    }
    Ok(crate::model::fnv1a64(&bytes))
}

fn is_skipped_dir(e: &walkdir::DirEntry) -> bool {
    let name = e.file_name().to_string_lossy();
    e.file_type().is_dir() && (name.starts_with('.') || name == "node_modules")
}

fn rel_path(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut out = String::new();
    for part in rel.components() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(part.as_os_str().to_str()?);
    }
    Some(out)
}

enum ReadError {
    TooLarge(u64),
    Io(std::io::Error),
}

/// Reads a regular file, refusing it when it is larger than `max` bytes, even if it grows
/// while being read.
fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let file = fs::File::open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::Io(std::io::Error::other("not a regular file")));
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}
