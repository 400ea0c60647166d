//! Timestamps: seconds since the Unix epoch, shown as RFC 3339 UTC.

use std::time::{SystemTime, UNIX_EPOCH};

use guildhall_content::Date;

pub(crate) fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// `2026-05-01T12:34:56Z`. The calendar arithmetic is the content crate's [`Date`].
pub fn rfc3339(secs: i64) -> String {
    let date = Date::from_days_since_epoch(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_utc() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_709_210_096), "2024-02-29T12:34:56Z");
    }
}
