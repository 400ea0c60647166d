//! The search log and the content-gap report built from it.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::{Store, StoreError, Timestamp, ts};

/// Queries longer than this many characters are logged cut to this length.
pub const MAX_LOGGED_QUERY_CHARS: usize = 500;

/// One search, as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchLogEntry {
    /// The query as typed (cut to [`MAX_LOGGED_QUERY_CHARS`]).
    pub query: String,
    /// How many results it had.
    pub result_count: u64,
    /// When.
    pub at: Timestamp,
    /// Whether the person opened one of its results within the UI's time (`false`: a settled
    /// search without a click); absent when not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened: Option<bool>,
}

/// A query that found nothing, grouped by its normalised form, for the content-gap report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZeroResultQuery {
    /// The normalised query ([`normalize_query`]).
    pub query: String,
    /// How many times it was searched for and found nothing.
    pub count: u64,
    /// The last time.
    pub last_searched: Timestamp,
}

/// A query that went unanswered (it found nothing, or the person settled on it and opened none
/// of its results), counted by its normalised form. Nothing says who searched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnansweredQuery {
    /// The normalised query ([`normalize_query`]).
    pub query: String,
    /// How many times it went unanswered.
    pub count: u64,
    /// Of those, how many found nothing (the rest were settled without a click).
    pub no_results: u64,
    /// The last time.
    pub last_searched: Timestamp,
}

/// The form queries are grouped by: trimmed, lowercased, runs of whitespace made one space.
pub fn normalize_query(query: &str) -> String {
    query.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

fn cut(query: &str) -> &str {
    query.char_indices().nth(MAX_LOGGED_QUERY_CHARS).map_or(query, |(i, _)| &query[..i])
}

pub(crate) fn insert_entry(
    tx: &rusqlite::Transaction<'_>,
    query: &str,
    count: u64,
    at: i64,
    opened: Option<bool>,
) -> Result<(), StoreError> {
    let query = cut(query);
    tx.execute(
        "INSERT INTO search_log (query, normalized, result_count, at, opened) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![query, normalize_query(query), i64::try_from(count).unwrap_or(i64::MAX), at, opened],
    )?;
    Ok(())
}

impl Store {
    /// Logs a search and its number of results. Blank queries are not logged (returns `false`).
    pub fn log_search(&mut self, query: &str, result_count: u64) -> Result<bool, StoreError> {
        if query.trim().is_empty() {
            return Ok(false);
        }
        let now = self.now().as_millis();
        self.write(|tx| insert_entry(tx, query, result_count, now, None))?;
        Ok(true)
    }

    /// Logs a settled search with what the person did next: `opened` one of its results in
    /// time, or not (searched again or left). Blank queries are not logged (returns `false`).
    pub fn log_search_outcome(&mut self, query: &str, result_count: u64, opened: bool) -> Result<bool, StoreError> {
        if query.trim().is_empty() {
            return Ok(false);
        }
        let now = self.now().as_millis();
        self.write(|tx| insert_entry(tx, query, result_count, now, Some(opened)))?;
        Ok(true)
    }

    /// Queries that went unanswered since `since` (found nothing, or settled without a click),
    /// by normalised form, most frequent first (then most recent).
    pub fn unanswered_queries(&self, since: Timestamp) -> Result<Vec<UnansweredQuery>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT normalized, count(*), sum(result_count = 0), max(at) FROM search_log
             WHERE (result_count = 0 OR opened = 0) AND at >= ?1
             GROUP BY normalized ORDER BY count(*) DESC, max(at) DESC, normalized",
        )?;
        let rows = stmt.query_map([since.as_millis()], |r| {
            Ok(UnansweredQuery {
                query: r.get(0)?,
                count: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                no_results: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                last_searched: ts(r, 3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Queries searched for since `since` that found nothing, grouped by normalised form, most
    /// frequent first (then most recent).
    pub fn zero_result_queries(&self, since: Timestamp) -> Result<Vec<ZeroResultQuery>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT normalized, count(*), max(at) FROM search_log
             WHERE result_count = 0 AND at >= ?1
             GROUP BY normalized ORDER BY count(*) DESC, max(at) DESC, normalized",
        )?;
        let rows = stmt.query_map([since.as_millis()], |r| {
            Ok(ZeroResultQuery {
                query: r.get(0)?,
                count: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                last_searched: ts(r, 2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every search logged since `since`, oldest first.
    pub fn search_log(&self, since: Timestamp) -> Result<Vec<SearchLogEntry>, StoreError> {
        query_log(&self.conn, since)
    }

    /// Deletes search-log entries older than `keep_days` days; returns how many. `open` calls
    /// this with [`StoreOptions::search_log_retention_days`](crate::StoreOptions).
    pub fn prune_search_log(&mut self, keep_days: u32) -> Result<usize, StoreError> {
        let cutoff = self.now().minus_days(keep_days).as_millis();
        // Look first, so that an open with nothing to prune takes no write lock and no fsync.
        let stale: bool =
            self.conn.query_row("SELECT EXISTS (SELECT 1 FROM search_log WHERE at < ?1)", [cutoff], |r| r.get(0))?;
        if !stale {
            return Ok(0);
        }
        self.write(|tx| Ok(tx.execute("DELETE FROM search_log WHERE at < ?1", [cutoff])?))
    }
}

pub(crate) fn query_log(conn: &rusqlite::Connection, since: Timestamp) -> Result<Vec<SearchLogEntry>, StoreError> {
    let mut stmt =
        conn.prepare("SELECT query, result_count, at, opened FROM search_log WHERE at >= ?1 ORDER BY at, id")?;
    let rows = stmt.query_map([since.as_millis()], |r| {
        Ok(SearchLogEntry {
            query: r.get(0)?,
            result_count: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
            at: ts(r, 2)?,
            opened: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_cuts() {
        assert_eq!(normalize_query("  Dead   LETTER\tqueue "), "dead letter queue");
        let long = "é".repeat(MAX_LOGGED_QUERY_CHARS + 10);
        assert_eq!(cut(&long).chars().count(), MAX_LOGGED_QUERY_CHARS);
        assert_eq!(cut("short"), "short");
    }
}
