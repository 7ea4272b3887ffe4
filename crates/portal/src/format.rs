//! Dates, numbers and sizes as people in each language read them.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::Lang;

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar date: `6 Desember 2026`, `6 December 2026`.
pub fn date(lang: Lang, day: NaiveDate) -> String {
    let months = match lang {
        Lang::Id => &MONTHS_ID,
        Lang::En => &MONTHS_EN,
    };
    let month = months[day.month0() as usize];
    format!("{} {month} {}", day.day(), day.year())
}

/// The date of a time, in UTC.
pub fn day(lang: Lang, at: DateTime<Utc>) -> String {
    date(lang, at.date_naive())
}

/// A whole number with thousands grouped: `1.234.567` (id), `1,234,567` (en).
pub fn count(lang: Lang, n: u64) -> String {
    group(lang, &n.to_string())
}

fn group(lang: Lang, digits: &str) -> String {
    let sep = match lang {
        Lang::Id => '.',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A measured value: whole values grouped, others with at most two decimals (`1.234,5`).
pub fn number(lang: Lang, value: f64) -> String {
    if !value.is_finite() {
        return String::from("–");
    }
    let negative = value < 0.0;
    let text = format!("{:.2}", value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = fraction.trim_end_matches('0');
    let mut out = String::new();
    if negative && (whole != "0" || !fraction.is_empty()) {
        out.push('-');
    }
    out.push_str(&group(lang, whole));
    if !fraction.is_empty() {
        out.push(match lang {
            Lang::Id => ',',
            Lang::En => '.',
        });
        out.push_str(fraction);
    }
    out
}

/// A file size: `512 B`, `1,5 KB`, `12,3 MB`.
pub fn bytes(lang: Lang, size: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if size < 1024 {
        return format!("{size} B");
    }
    let mut value = size as f64 / 1024.0;
    let mut unit = UNITS[0];
    for next in &UNITS[1..] {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    let text = format!("{value:.1}");
    let text = match lang {
        Lang::Id => text.replace('.', ","),
        Lang::En => text,
    };
    format!("{text} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_sizes_read_as_each_language_writes_them() {
        assert_eq!(count(Lang::Id, 1_234_567), "1.234.567");
        assert_eq!(count(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(count(Lang::Id, 999), "999");
        assert_eq!(number(Lang::Id, 1234.5), "1.234,5");
        assert_eq!(number(Lang::En, -0.001), "0");
        assert_eq!(number(Lang::En, 12.0), "12");
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(date(Lang::Id, day), "6 Desember 2026");
        assert_eq!(date(Lang::En, day), "6 December 2026");
        assert_eq!(bytes(Lang::Id, 1536), "1,5 KB");
        assert_eq!(bytes(Lang::En, 5 * 1024 * 1024), "5.0 MB");
        assert_eq!(bytes(Lang::En, 10), "10 B");
    }
}
