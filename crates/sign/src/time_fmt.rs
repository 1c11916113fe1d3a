//! The one date format TC3 needs, from Unix seconds.

use time::{macros::format_description, OffsetDateTime};

/// The last second of 9999-12-31: up to here the year has four digits and the date fits the
/// stack writer.
const LAST_FOUR_DIGIT_SECOND: i64 = 253_402_300_799;

/// `yyyy-mm-dd` of a Unix timestamp in UTC. Timestamps outside the representable range clamp
/// to the nearest representable date, so an absurd client timestamp cannot panic a verifier.
pub fn utc_date(timestamp: i64) -> String {
    DateText::of(timestamp).as_str().to_string()
}

/// A formatted date on the stack, so signing and verifying allocate nothing for it.
#[derive(Clone, Copy)]
pub(crate) struct DateText {
    bytes: [u8; Self::MAX_LEN],
    len: usize,
}

impl DateText {
    /// The longest text a `DateText` holds.
    pub(crate) const MAX_LEN: usize = 16;

    pub(crate) fn of(timestamp: i64) -> Self {
        if (0..=LAST_FOUR_DIGIT_SECOND).contains(&timestamp) {
            return Self::civil(timestamp);
        }
        Self::stored(&Self::slow(timestamp))
    }

    fn stored(text: &str) -> Self {
        let mut bytes = [0u8; Self::MAX_LEN];
        let len = text.len().min(bytes.len());
        bytes[..len].copy_from_slice(&text.as_bytes()[..len]);
        Self { bytes, len }
    }

    /// The text's bytes, for comparing without the UTF-8 check of [`Self::as_str`].
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits and '-' are ever written.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }

    /// Four-digit years, from 1970 on: `time`'s calendar date of the day number (a Unix
    /// timestamp through `OffsetDateTime` cost several times more per signature), the digits
    /// on the stack.
    fn civil(timestamp: i64) -> Self {
        let (year, month, day) = civil_from_days(timestamp.div_euclid(86_400));
        let mut bytes = [0u8; Self::MAX_LEN];
        let digits = [
            year / 1000,
            year / 100 % 10,
            year / 10 % 10,
            year % 10,
            u32::MAX,
            month / 10,
            month % 10,
            u32::MAX,
            day / 10,
            day % 10,
        ];
        for (slot, d) in bytes.iter_mut().zip(digits) {
            // Each digit is below 10, so the cast keeps it whole.
            *slot = if d == u32::MAX { b'-' } else { b'0' + d as u8 };
        }
        Self { bytes, len: 10 }
    }

    /// Before 1970 or after 9999 (clamped): rare, so `time` formats it.
    fn slow(timestamp: i64) -> String {
        let dt = OffsetDateTime::from_unix_timestamp(timestamp).unwrap_or(if timestamp < 0 {
            OffsetDateTime::UNIX_EPOCH
        } else {
            OffsetDateTime::new_utc(time::Date::MAX, time::Time::MIDNIGHT)
        });
        dt.format(format_description!("[year]-[month]-[day]"))
            .unwrap_or_default()
    }
}

/// (year, month, day) for `days` since 1970-01-01, from 0 to the last day of year 9999:
/// `time` counts it from the Julian day (no time of day, no offset to validate).
fn civil_from_days(days: i64) -> (u32, u32, u32) {
    const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;
    let julian = i32::try_from(days + UNIX_EPOCH_JULIAN_DAY).unwrap_or(i32::MAX);
    let date = time::Date::from_julian_day(julian).unwrap_or(time::Date::MAX);
    let (year, month, day) = date.to_calendar_date();
    // year is 1970..=9999 for the range this is called with.
    (
        year.unsigned_abs(),
        u32::from(u8::from(month)),
        u32::from(day),
    )
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

    #[test]
    fn the_fast_path_agrees_with_time_everywhere_it_is_used() {
        // `time` is the independent oracle; the sample covers leap days, century and
        // 400-year boundaries, both ends of the fast range, and its neighbours.
        let mut samples = vec![
            -1,
            0,
            951_782_399,
            951_782_400,
            4_107_542_400,
            LAST_FOUR_DIGIT_SECOND,
            LAST_FOUR_DIGIT_SECOND + 1,
        ];
        samples.extend((0..2_000).map(|i| i * 126_839_513));
        // Every day of four years around a leap day, at an odd second.
        samples.extend((0..1_500).map(|i| 946_684_799 + i * 86_400 + 3_601));
        // The first and last second of every day from 1970 to 2200 (leap years, 2100's
        // missing leap day, month and year ends).
        samples.extend((0..84_000).flat_map(|day| [day * 86_400, day * 86_400 + 86_399]));
        for ts in samples {
            assert_eq!(
                DateText::of(ts).as_str(),
                DateText::slow(ts),
                "timestamp {ts}"
            );
        }
    }
}
