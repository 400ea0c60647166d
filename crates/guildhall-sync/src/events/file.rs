//! The log's files and commits: an event file's front matter written and read, its name
//! (`events/YYYY/MM/<ulid>.md`), what a reference names, and commits that add one file.

use git2::{Commit, FileMode, Oid, Repository, Signature};
use serde::{Deserialize, Serialize};

use super::MAX_EVENT_BYTES;
use crate::{Person, SyncError};

/// The front matter of an event file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Header {
    pub(super) id: String,
    pub(super) kind: String,
    pub(super) author: Person,
    pub(super) clock: u64,
    #[serde(default)]
    pub(super) refs: Vec<String>,
    /// RFC 3339 UTC, informative (order comes from the clock).
    pub(super) at: String,
}

/// The event's file: front matter, then the body.
pub(super) fn render(header: &Header, body: &str) -> Result<String, SyncError> {
    let yaml = serde_yaml_ng::to_string(header).map_err(|e| SyncError::Invalid(e.to_string()))?;
    let mut out = format!("---\n{yaml}---\n");
    if !body.is_empty() {
        out.push_str(body);
        if !body.ends_with('\n') {
            out.push('\n');
        }
    }
    Ok(out)
}

/// Splits and parses an event file; errors carry the line.
pub(super) fn parse(bytes: &[u8]) -> Result<(Header, String), (String, Option<usize>)> {
    if bytes.len() > MAX_EVENT_BYTES {
        return Err((format!("larger than {MAX_EVENT_BYTES} bytes"), None));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ("not UTF-8".to_owned(), None))?;
    let rest = text.strip_prefix("---\n").ok_or(("does not start with `---` (front matter)".to_owned(), Some(1)))?;
    let (yaml, body) = if let Some(i) = rest.find("\n---\n") {
        (&rest[..=i], &rest[i + 5..])
    } else if let Some(y) = rest.strip_suffix("\n---") {
        (y, "")
    } else {
        return Err(("the front matter is not closed by `---`".into(), None));
    };
    let header: Header = serde_yaml_ng::from_str(yaml)
        .map_err(|e| (format!("front matter: {e}"), e.location().map(|l| l.line() + 1)))?;
    Ok((header, body.to_owned()))
}

/// The id of `events/YYYY/MM/<ulid>.md` when the name is exactly that and the year and month
/// are the id's.
pub(super) fn event_path_id(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let [root, year, month, file] = parts.as_slice() else { return None };
    let id = file.strip_suffix(".md")?;
    if *root != "events" || !is_canonical_ulid(id) {
        return None;
    }
    let ulid = ulid::Ulid::from_string(id).ok()?;
    let (y, m) = crate::time::year_month(ulid.timestamp_ms());
    (*year == format!("{y:04}") && *month == format!("{m:02}")).then(|| id.to_owned())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RefKind {
    Event,
    External,
    Invalid,
}

pub(super) fn classify_ref(r: &str) -> RefKind {
    if is_canonical_ulid(r) {
        RefKind::Event
    } else if let Some((scheme, value)) = r.split_once(':')
        && !scheme.is_empty()
        && scheme.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && !value.is_empty()
        && !value.chars().any(char::is_control)
    {
        RefKind::External
    } else {
        RefKind::Invalid
    }
}

pub(super) fn is_canonical_ulid(s: &str) -> bool {
    s.len() == 26 && ulid::Ulid::from_string(s).is_ok_and(|u| u.to_string() == s)
}

/// The files a commit adds (against its first parent), with their blob ids.
pub(super) fn added_files(repo: &Repository, commit: &Commit<'_>) -> Result<Vec<(String, Oid)>, SyncError> {
    let parent_tree = commit.parents().next().map(|p| p.tree()).transpose()?;
    let diff = repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&commit.tree()?), None)?;
    Ok(diff
        .deltas()
        .filter(|d| d.status() == git2::Delta::Added)
        .filter_map(|d| Some((d.new_file().path()?.to_str()?.to_owned(), d.new_file().id())))
        .collect())
}

/// A commit adding one file at `path` on top of `parent` (or as the first commit).
pub(super) fn commit_event(
    repo: &Repository,
    parent: Option<&Commit<'_>>,
    path: &str,
    content: &[u8],
    author: &Signature<'_>,
    committer: &Signature<'_>,
) -> Result<Oid, SyncError> {
    let blob = repo.blob(content)?;
    let base = match parent {
        Some(p) => p.tree()?,
        None => repo.find_tree(repo.treebuilder(None)?.write()?)?,
    };
    let mut update = git2::build::TreeUpdateBuilder::new();
    update.upsert(path, blob, FileMode::Blob);
    let tree = repo.find_tree(update.create_updated(repo, &base)?)?;
    let id = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".md");
    let message = format!("event {id}\n");
    let parents: Vec<&Commit<'_>> = parent.into_iter().collect();
    Ok(repo.commit(None, author, committer, &message, &tree, &parents)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn event_file_names() {
        let id = ulid::Ulid::new();
        let (y, m) = crate::time::year_month(id.timestamp_ms());
        assert_eq!(event_path_id(&format!("events/{y:04}/{m:02}/{id}.md")), Some(id.to_string()));
        assert_eq!(event_path_id(&format!("events/{y:04}/{m:02}/../{id}.md")), None);
        assert_eq!(event_path_id(&format!("events/1999/{m:02}/{id}.md")), None);
        assert_eq!(event_path_id(&format!("events/{y:04}/{m:02}/{}.md", id.to_string().to_lowercase())), None);
        assert_eq!(event_path_id("README.md"), None);
    }

    #[test]
    fn references() {
        assert_eq!(classify_ref(&ulid::Ulid::new().to_string()), RefKind::Event);
        assert_eq!(classify_ref("doc:guides/intro.md"), RefKind::External);
        assert_eq!(classify_ref("nonsense"), RefKind::Invalid);
        assert_eq!(classify_ref(":x"), RefKind::Invalid);
    }

    #[test]
    fn render_then_parse() {
        let h = Header {
            id: ulid::Ulid::new().to_string(),
            kind: "comment".into(),
            author: Person { name: "Ada: \"the\" author".into(), email: "ada@example.org".into() },
            clock: 7,
            refs: vec!["doc:a.md".into()],
            at: "2026-01-01T00:00:00Z".into(),
        };
        let text = render(&h, "Hello\n---\nworld").unwrap();
        let (back, body) = parse(text.as_bytes()).unwrap();
        assert_eq!(back, h);
        assert_eq!(body, "Hello\n---\nworld\n");
        let (_, line) = parse(b"---\nid: x\nkind: [\n---\n").unwrap_err();
        assert!(line.is_some());
    }
}
