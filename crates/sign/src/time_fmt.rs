//! The one date format TC3 needs, from Unix seconds.

use time::{macros::format_description, OffsetDateTime};

/// `yyyy-mm-dd` of a Unix timestamp in UTC. Timestamps outside the representable range clamp
/// to the nearest representable date, so an absurd client timestamp cannot panic a verifier.
pub fn utc_date(timestamp: i64) -> String {
    let dt = OffsetDateTime::from_unix_timestamp(timestamp).unwrap_or(if timestamp < 0 {
        OffsetDateTime::UNIX_EPOCH
    } else {
        OffsetDateTime::new_utc(time::Date::MAX, time::Time::MIDNIGHT)
    });
    dt.format(format_description!("[year]-[month]-[day]"))
        .expect("a date always formats")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midnight_belongs_to_the_new_day() {
        // 2023-11-15T00:00:00Z
        assert_eq!(utc_date(1_700_006_400), "2023-11-15");
        assert_eq!(utc_date(1_700_006_399), "2023-11-14");
    }

    #[test]
    fn absurd_timestamps_do_not_panic() {
        let _ = utc_date(i64::MAX);
        let _ = utc_date(i64::MIN);
    }
}
