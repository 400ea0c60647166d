//! Timestamps: seconds since the Unix epoch, shown as RFC 3339 UTC.

use std::time::{SystemTime, UNIX_EPOCH};

use guildhall_content::Date;

pub(crate) fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn parts(secs: i64) -> (Date, i64, i64, i64) {
    let date = Date::from_days_since_epoch(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    (date, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// `2026-05-01T12:34:56Z`.
pub(crate) fn rfc3339(secs: i64) -> String {
    let (date, h, m, s) = parts(secs);
    format!("{date}T{h:02}:{m:02}:{s:02}Z")
}

/// `20260501-123456`: a timestamp fit for a branch name.
pub(crate) fn compact(secs: i64) -> String {
    let (date, h, m, s) = parts(secs);
    format!("{}-{h:02}{m:02}{s:02}", date.to_string().replace('-', ""))
}

/// `(year, month)` of a Unix time in milliseconds.
pub(crate) fn year_month(ms: u64) -> (i32, u32) {
    let secs = i64::try_from(ms / 1000).unwrap_or(i64::MAX);
    let (date, ..) = parts(secs);
    (date.year(), u32::from(date.month()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_utc() {
        assert_eq!(super::rfc3339(1_709_210_096), "2024-02-29T12:34:56Z");
        assert_eq!(super::compact(1_709_210_096), "20240229-123456");
        assert_eq!(super::year_month(1_709_210_096_000), (2024, 2));
    }
}
