//! The time zone of a zoned Parquet timestamp: a fixed offset (`+07:00`, `UTC`) or an IANA
//! name (`Asia/Jakarta`), whose offset depends on the instant.

use chrono::{NaiveDateTime, Offset, TimeDelta, TimeZone};

/// A timestamp column's time zone.
#[derive(Debug, Clone, Copy)]
pub(super) enum Zone {
    /// The same offset at every instant.
    Fixed(TimeDelta),
    /// A zone of the IANA database.
    Named(chrono_tz::Tz),
}

impl Zone {
    /// Reads a zone as Arrow writes it; `None` when it is neither an offset nor a known name.
    pub(super) fn parse(name: &str) -> Option<Zone> {
        let name = name.trim();
        if matches!(name, "UTC" | "Z" | "utc" | "Etc/UTC" | "GMT") {
            return Some(Zone::Fixed(TimeDelta::zero()));
        }
        if let Some(offset) = fixed_offset(name) {
            return Some(Zone::Fixed(offset));
        }
        name.parse::<chrono_tz::Tz>().ok().map(Zone::Named)
    }

    /// The zone's offset from UTC at the UTC instant `utc`.
    pub(super) fn offset_at(&self, utc: &NaiveDateTime) -> TimeDelta {
        match self {
            Zone::Fixed(offset) => *offset,
            Zone::Named(tz) => {
                let seconds = tz.offset_from_utc_datetime(utc).fix().local_minus_utc();
                TimeDelta::seconds(i64::from(seconds))
            }
        }
    }
}

/// `+07:00`, `+0700`, `+07`, `-03:30`: hours below 24, minutes below 60.
fn fixed_offset(text: &str) -> Option<TimeDelta> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (hours, minutes) = match rest.len() {
        2 => (rest, "0"),
        4 => rest.split_at(2),
        5 if rest.as_bytes().get(2) == Some(&b':') => (&rest[..2], &rest[3..]),
        _ => return None,
    };
    if !hours.bytes().chain(minutes.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes): (i64, i64) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours < 24 && minutes < 60).then(|| TimeDelta::minutes(sign * (hours * 60 + minutes)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn offsets_and_names() {
        let at = chrono::NaiveDate::from_ymd_opt(2024, 8, 17)
            .unwrap()
            .and_hms_opt(3, 0, 0)
            .unwrap();
        let hours = |name: &str| Zone::parse(name).map(|z| z.offset_at(&at).num_minutes());
        assert_eq!(hours("+07:00"), Some(420));
        assert_eq!(hours("+0700"), Some(420));
        assert_eq!(hours("-03:30"), Some(-210));
        assert_eq!(hours("UTC"), Some(0));
        assert_eq!(hours("Asia/Jakarta"), Some(420));
        assert_eq!(hours("Asia/Makassar"), Some(480));
        assert_eq!(hours("Europe/Amsterdam"), Some(120), "summer time");
        assert_eq!(hours("+25:00"), None);
        assert_eq!(hours("+07:0x"), None);
        assert_eq!(hours("Mars/Olympus_Mons"), None);
    }
}
