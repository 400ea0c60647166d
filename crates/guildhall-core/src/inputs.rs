//! What shells accept from outside, defined once: the size limits of requests, and the query
//! parameters whose defaults and ceilings every shell applies alike. Shells hold no number of
//! their own; they deserialize into these types (or check with these functions) and call the
//! core.

use serde::Deserialize;

use crate::{Audience, Error, Kind, SearchRequest};

/// Request bodies larger than this are refused (413 `too-large`).
pub const MAX_REQUEST_BYTES: usize = 256 * 1024;
/// A draft or preview body (a whole document, up to the content loader's 2 MiB, as JSON) may be
/// this large.
pub const MAX_DOCUMENT_REQUEST_BYTES: usize = 5 * 1024 * 1024;
/// An imported personal-data document may be this large.
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;
/// Queries longer than a few hundred characters are cut by the search itself (and it says so);
/// anything longer than this many bytes is refused outright.
pub const MAX_QUERY_BYTES: usize = 8 * 1024;
/// The longest text a glossary lookup takes.
pub const MAX_LOOKUP_BYTES: usize = 4096;

/// The query of a search (`GET /api/search`).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SearchQuery {
    /// What was typed: everyday words, "phrases", kind:/tag:/audience: filters. Anything goes.
    #[serde(default)]
    pub q: String,
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Only this tag (empty: any).
    pub tag: Option<String>,
    /// Only this audience.
    pub audience: Option<Audience>,
    /// How many results (default 10).
    pub limit: Option<usize>,
    /// Record the query in the search log (for settled queries, not every keystroke).
    #[serde(default)]
    pub record: bool,
}

impl SearchQuery {
    /// The default number of results.
    pub const DEFAULT_LIMIT: usize = 10;

    /// The search to run: the query checked, the default limit applied, empty filters dropped.
    pub fn request(&self) -> Result<SearchRequest, Error> {
        if self.q.len() > MAX_QUERY_BYTES {
            return Err(Error::Invalid(format!("the query is limited to {} KiB", MAX_QUERY_BYTES / 1024)));
        }
        let mut req = SearchRequest::new(self.q.clone()).with_limit(self.limit.unwrap_or(Self::DEFAULT_LIMIT));
        req.kinds.extend(self.kind);
        req.tags.extend(self.tag.clone().filter(|t| !t.trim().is_empty()));
        req.audiences.extend(self.audience);
        Ok(req)
    }
}

/// A settled search and what the person did next (`POST /api/search/settled`): the UI sends it
/// once it knows whether a result was opened in time. Nothing in it says who searched.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettledSearch {
    /// The query as it was searched.
    pub q: String,
    /// The kind filter it was searched with.
    pub kind: Option<Kind>,
    /// The tag filter it was searched with.
    pub tag: Option<String>,
    /// The audience filter it was searched with.
    pub audience: Option<Audience>,
    /// Whether one of its results was opened within the time allowed; `false` is a settled
    /// search without a click (the person searched again or left).
    pub opened: bool,
}

impl SettledSearch {
    /// The search it was (its results are counted again by the core), once checked.
    pub fn request(&self) -> Result<SearchRequest, Error> {
        let query = SearchQuery {
            q: self.q.clone(),
            kind: self.kind,
            tag: self.tag.clone(),
            audience: self.audience,
            limit: Some(1),
            record: false,
        };
        query.request()
    }
}

/// How many recently viewed documents (`GET /api/recent`).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct RecentQuery {
    /// How many (default 20, at most 200).
    pub limit: Option<usize>,
}

impl RecentQuery {
    pub const DEFAULT: usize = 20;
    pub const MAX: usize = 200;

    /// The number to list.
    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(Self::DEFAULT).min(Self::MAX)
    }
}

/// How far back the content-gap report looks (`GET /api/gaps`).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct GapsQuery {
    /// How many days back (default 30, at most 3650).
    pub days: Option<u32>,
}

impl GapsQuery {
    pub const DEFAULT: u32 = 30;
    pub const MAX: u32 = 3650;

    /// The number of days.
    pub fn days(&self) -> u32 {
        self.days.unwrap_or(Self::DEFAULT).min(Self::MAX)
    }
}

/// A glossary lookup (`GET /api/glossary/lookup`).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct LookupQuery {
    /// Any text: the jargon and the everyday phrases in it are looked up.
    pub text: String,
}

impl LookupQuery {
    /// The text, once checked against [`MAX_LOOKUP_BYTES`].
    pub fn text(&self) -> Result<&str, Error> {
        if self.text.len() > MAX_LOOKUP_BYTES {
            return Err(Error::Invalid(format!("`text` is limited to {MAX_LOOKUP_BYTES} bytes")));
        }
        Ok(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_ceilings_are_applied_once_here() {
        assert_eq!(RecentQuery::default().limit(), 20);
        assert_eq!(RecentQuery { limit: Some(10_000) }.limit(), 200);
        assert_eq!(GapsQuery::default().days(), 30);
        assert_eq!(GapsQuery { days: Some(u32::MAX) }.days(), 3650);
        let req = SearchQuery { q: "retry".into(), tag: Some(" ".into()), ..SearchQuery::default() }.request();
        let req = req.expect("request");
        assert_eq!((req.limit, req.tags.len()), (10, 0));
        let long = SearchQuery { q: "x".repeat(MAX_QUERY_BYTES + 1), ..SearchQuery::default() };
        assert!(matches!(long.request(), Err(Error::Invalid(_))));
        assert!(LookupQuery { text: "y".repeat(MAX_LOOKUP_BYTES + 1) }.text().is_err());
    }
}
