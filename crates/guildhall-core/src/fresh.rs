//! Answering a search from the index without reading the hub, when the hub has not changed.
//!
//! Opening a hub reads and parses every file; for a one-off search (the CLI) that is almost
//! all of the time taken. After an open has brought the index up to date, the content's
//! fingerprint (file paths, sizes and modification times, from metadata only, see
//! [`guildhall_content::fingerprint`]) is written beside the index. A search first compares the
//! fingerprint of the folder now with that one: equal, the index is current and answers alone;
//! different (or missing, or the index had to be rebuilt), the caller opens the hub as usual.

use std::path::Path;

use guildhall_index::{SearchIndex, SearchRequest, SearchResponse};
use guildhall_store::{Store, StoreOptions};

use crate::{Error, Hub, HubOptions, HubPaths};

const FILE: &str = "content.fingerprint";

/// Records that the index in `paths` is current for content with fingerprint `f`. Best effort:
/// without it the next search only takes the slower way.
pub(crate) fn remember(paths: &HubPaths, f: u64) {
    let path = paths.dir.join(FILE);
    let tmp = paths.dir.join(format!("{FILE}.tmp"));
    if std::fs::write(&tmp, format!("{f:016x}\n")).is_ok() && std::fs::rename(&tmp, &path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

fn remembered(paths: &HubPaths) -> Option<u64> {
    let text = std::fs::read_to_string(paths.dir.join(FILE)).ok()?;
    u64::from_str_radix(text.trim(), 16).ok()
}

/// Forgets the fingerprint, so that the next search opens the hub.
pub(crate) fn forget(paths: &HubPaths) {
    let _ = std::fs::remove_file(paths.dir.join(FILE));
}

impl Hub {
    /// Answers `requests` from the search index alone when the content in `content` has not
    /// changed since an open brought the index up to date; `Ok(Err(rebuilt))` when it may have
    /// (then open the hub with [`Hub::open_indexed`] and search it), where `rebuilt` says why the
    /// index had to be built afresh when it was found missing or damaged (the caller reports it:
    /// the open that follows finds a new, empty index). With `record`, each query is added to the
    /// search log as [`Hub::search_recorded`] does.
    pub fn search_unchanged(
        content: &Path,
        data: &Path,
        options: &HubOptions,
        requests: &[SearchRequest],
        record: bool,
    ) -> Result<Result<Vec<SearchResponse>, Option<String>>, Error> {
        let paths = HubPaths::new(data, content);
        let Some(known) = remembered(&paths) else { return Ok(Err(None)) };
        let Ok(now) = guildhall_content::fingerprint(content) else { return Ok(Err(None)) };
        if now != known {
            return Ok(Err(None));
        }
        let (index, rebuilt) = SearchIndex::open(&paths.index_dir())?;
        if let Some(why) = rebuilt {
            forget(&paths);
            return Ok(Err(Some(why)));
        }
        let mut store = if record {
            let mut store_options = StoreOptions::default();
            if let Some(days) = options.search_log_days {
                store_options = store_options.with_search_log_retention_days(Some(days));
            }
            Some(Store::open(&paths.store_file(), &store_options)?)
        } else {
            None
        };
        let mut out = Vec::with_capacity(requests.len());
        for r in requests {
            let response = index.search(r)?;
            if let Some(store) = store.as_mut() {
                store.log_search(&r.query, response.total as u64)?;
            }
            out.push(response);
        }
        Ok(Ok(out))
    }
}
