//! The content-gap report: searches that went unanswered (they found nothing, or the person
//! settled on them and opened none of the results), grouped by similar wording.
//!
//! Wordings are grouped by [`guildhall_index::query::wording_key`]: the same content words,
//! stemmed as the index stems them, in any order, without stopwords and question filler. So
//! "power bi licence", "Power BI licences" and "how do I get a power bi licence" are one gap.
//! The log holds no identity, so neither does the report.

use std::collections::HashMap;

use guildhall_index::query::wording_key;
use guildhall_store::{Timestamp, UnansweredQuery};
use serde::Serialize;

use crate::{Error, Hub, SearchRequest, lock};

/// Searches of similar wording that went unanswered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContentGap {
    /// The wording shown for the group: its most frequent normalised query (then the most recent).
    pub query: String,
    /// Every normalised wording in the group, most frequent first; the first is `query`.
    pub wordings: Vec<String>,
    /// How many searches of the group went unanswered.
    pub count: u64,
    /// Of those, how many found nothing; the others had results but none was opened.
    pub no_results: u64,
    /// The last time.
    pub last_searched: Timestamp,
}

/// Groups unanswered queries (as the store counts them, by normalised form) by wording key;
/// the most frequent groups first, then the most recent, then alphabetical.
pub(crate) fn group(rows: Vec<UnansweredQuery>) -> Vec<ContentGap> {
    let mut by_key: HashMap<String, Vec<UnansweredQuery>> = HashMap::new();
    for row in rows {
        let key = wording_key(&row.query);
        by_key.entry(if key.is_empty() { row.query.clone() } else { key }).or_default().push(row);
    }
    let mut gaps: Vec<ContentGap> = by_key
        .into_values()
        .map(|mut members| {
            members.sort_by(|a, b| {
                b.count.cmp(&a.count).then(b.last_searched.cmp(&a.last_searched)).then(a.query.cmp(&b.query))
            });
            ContentGap {
                query: members[0].query.clone(),
                count: members.iter().map(|m| m.count).sum(),
                no_results: members.iter().map(|m| m.no_results).sum(),
                last_searched: members.iter().map(|m| m.last_searched).max().unwrap_or(members[0].last_searched),
                wordings: members.into_iter().map(|m| m.query).collect(),
            }
        })
        .collect();
    gaps.sort_by(|a, b| b.count.cmp(&a.count).then(b.last_searched.cmp(&a.last_searched)).then(a.query.cmp(&b.query)));
    gaps
}

impl Hub {
    /// Searches that went unanswered in the last `days` days, grouped by similar wording, most
    /// frequent first: the content-gap report.
    pub fn content_gaps(&self, days: u32) -> Result<Vec<ContentGap>, Error> {
        let since = Timestamp::now().minus_days(days);
        Ok(group(self.store()?.unanswered_queries(since)?))
    }

    /// Records a settled search and what the person did next: `opened` one of its results in
    /// time, or not (searched again or left: a settled search without a click). The number of
    /// results is the core's own count, not the caller's. Returns `false` for a blank query,
    /// which is not logged.
    pub fn record_search_outcome(&self, request: &SearchRequest, opened: bool) -> Result<bool, Error> {
        let total = self.search(&request.clone().with_limit(1))?.total as u64;
        let store = self.store.as_ref().ok_or(Error::NoIndex)?;
        Ok(lock(store).log_search_outcome(&request.query, total, opened)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(query: &str, count: u64, no_results: u64, at: i64) -> UnansweredQuery {
        UnansweredQuery { query: query.into(), count, no_results, last_searched: Timestamp::from_millis(at) }
    }

    #[test]
    fn similar_wordings_are_one_gap() {
        let gaps = group(vec![
            row("power bi licences", 1, 0, 30),
            row("how do i get a power bi licence", 2, 0, 10),
            row("xylophone", 2, 2, 40),
            row("licence power bi", 1, 1, 20),
            row("power bi gateway", 1, 0, 50),
        ]);
        let summary: Vec<(&str, u64, u64, i64)> =
            gaps.iter().map(|g| (g.query.as_str(), g.count, g.no_results, g.last_searched.as_millis())).collect();
        assert_eq!(
            summary,
            [("how do i get a power bi licence", 4, 1, 30), ("xylophone", 2, 2, 40), ("power bi gateway", 1, 0, 50)]
        );
        assert_eq!(gaps[0].wordings, ["how do i get a power bi licence", "power bi licences", "licence power bi"]);
    }
}
