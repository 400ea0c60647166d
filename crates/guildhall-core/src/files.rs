//! The hub's own files (images and attachments that documents link as `asset/<path>`), with the
//! one set of rules every shell serves them by.

use crate::{Error, Hub};

/// A file of the hub, ready to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubFile {
    pub bytes: Vec<u8>,
    /// Its media type, from the extension.
    pub media_type: &'static str,
    /// Whether it may be shown in the page (images); anything else is only ever a download.
    pub inline: bool,
}

impl Hub {
    /// A file of the hub by its path relative to the hub folder: only regular files the content
    /// loader found inside the hub (so never through a symbolic link out of it, and never a
    /// document's Markdown), with no `.`, `..` or empty segments. Images (PNG, JPEG, GIF, WebP)
    /// are inline; everything else is a download.
    pub fn hub_file(&self, path: &str) -> Result<HubFile, Error> {
        let missing = || Error::UnknownFile(path.to_string());
        if path.split('/').any(|seg| seg == ".." || seg == "." || seg.is_empty()) || !self.catalog().has_asset(path) {
            return Err(missing());
        }
        let bytes = std::fs::read(self.root().join(path)).map_err(|_| missing())?;
        let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        let (media_type, inline) = match ext.as_str() {
            "png" => ("image/png", true),
            "jpg" | "jpeg" => ("image/jpeg", true),
            "gif" => ("image/gif", true),
            "webp" => ("image/webp", true),
            "pdf" => ("application/pdf", false),
            _ => ("application/octet-stream", false),
        };
        Ok(HubFile { bytes, media_type, inline })
    }
}
