//! Search quality: run a judgments file (query, expected id, max rank) and measure.

use std::collections::BTreeMap;

use guildhall_index::SearchRequest;
use serde::Serialize;

use crate::{Error, Hub};

/// One line of a judgments file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judgment {
    pub query: String,
    /// The id that should be found.
    pub expected: String,
    /// It should be found at this rank (1-based) or better.
    pub max_rank: usize,
}

/// Parses tab-separated `query<TAB>expected id<TAB>max rank` lines. Blank lines and lines
/// starting with `#` are skipped; a header line `query<TAB>...` is allowed.
pub fn parse_judgments(text: &str) -> Result<Vec<Judgment>, Error> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') || (n == 0 && line.starts_with("query\t")) {
            continue;
        }
        let bad = |message: &str| Error::Judgments { line: n + 1, message: message.to_string() };
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 3 {
            return Err(bad("expected three tab-separated columns: query, expected id, max rank"));
        }
        let max_rank = cols[2].trim().parse::<usize>().ok().filter(|&r| r >= 1).ok_or_else(|| bad("bad max rank"))?;
        out.push(Judgment { query: cols[0].to_string(), expected: cols[1].trim().to_string(), max_rank });
    }
    Ok(out)
}

/// The outcome of one judgment.
#[derive(Debug, Clone, Serialize)]
pub struct EvalRow {
    #[serde(flatten)]
    pub judgment: Judgment,
    /// Where the expected id was found (1-based), if in the first [`EVAL_DEPTH`] hits.
    pub rank: Option<usize>,
    pub pass: bool,
}

/// How deep results are searched for the expected id.
pub const EVAL_DEPTH: usize = 20;

/// The outcome of a judgments file.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub rows: Vec<EvalRow>,
    /// Mean reciprocal rank over all judgments (0 for a miss).
    pub mrr: f64,
    /// Share of judgments whose expected id is within the first k hits, for k = 1, 3, 5, 10.
    pub recall_at: BTreeMap<usize, f64>,
    pub failed: usize,
}

impl Hub {
    /// Runs every judgment and measures the ranks.
    pub fn evaluate(&self, judgments: &[Judgment]) -> Result<EvalReport, Error> {
        let mut rows = Vec::with_capacity(judgments.len());
        for j in judgments {
            let r = self.search(&SearchRequest::new(j.query.clone()).with_limit(EVAL_DEPTH))?;
            let rank = r.hits.iter().position(|h| h.id == j.expected).map(|i| i + 1);
            rows.push(EvalRow { judgment: j.clone(), rank, pass: rank.is_some_and(|r| r <= j.max_rank) });
        }
        let n = rows.len().max(1) as f64;
        let mrr = rows.iter().filter_map(|r| r.rank).map(|r| 1.0 / r as f64).sum::<f64>() / n;
        let recall_at = [1, 3, 5, 10]
            .into_iter()
            .map(|k| (k, rows.iter().filter(|r| r.rank.is_some_and(|x| x <= k)).count() as f64 / n))
            .collect();
        let failed = rows.iter().filter(|r| !r.pass).count();
        Ok(EvalReport { rows, mrr, recall_at, failed })
    }
}
