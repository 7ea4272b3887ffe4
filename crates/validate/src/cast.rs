//! Parsing cell text into typed values, with Indonesian conventions.

use chrono::{NaiveDate, NaiveDateTime};

/// Parses a whole number: `1234`, `-5`, or with Indonesian thousands dots `1.234.567`.
pub fn parse_integer(text: &str) -> Option<i64> {
    let t = text.trim();
    let (sign, digits) = match t.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty() {
        return None;
    }
    let plain: String = if digits.contains('.') {
        let mut groups = digits.split('.');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 || !groups.clone().all(|g| g.len() == 3) {
            return None;
        }
        digits.replace('.', "")
    } else {
        digits.to_owned()
    };
    if !plain.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    plain.parse::<i64>().ok().map(|n| sign * n)
}

/// Parses a decimal number: `87,5` and `1.234,56` (Indonesian), `87.5` and `1,234.56`.
///
/// With both separators, the last one is the decimal mark; a lone comma is a decimal comma;
/// several dots with no comma are thousands dots.
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let last_comma = t.rfind(',');
    let last_dot = t.rfind('.');
    let normalised = match (last_comma, last_dot) {
        (Some(c), Some(d)) if c > d => t.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => t.replace(',', ""),
        (Some(_), None) if t.matches(',').count() == 1 => t.replace(',', "."),
        (Some(_), None) => return None,
        (None, Some(_)) if t.matches('.').count() > 1 => return parse_integer(t).map(|n| n as f64),
        _ => t.to_owned(),
    };
    let body = normalised.trim_start_matches(['-', '+']);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit() || b == b'.') || body.starts_with('.') {
        return None;
    }
    normalised.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Parses a yes/no value: `ya`/`tidak`, `true`/`false`, `1`/`0`, `y`/`t`, `benar`/`salah`.
pub fn parse_boolean(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "ya" | "y" | "true" | "benar" | "1" => Some(true),
        "tidak" | "t" | "false" | "salah" | "0" => Some(false),
        _ => None,
    }
}

/// The month number of an Indonesian (or English) month name or abbreviation.
fn month_number(name: &str) -> Option<u32> {
    let n = name.trim().trim_end_matches('.').to_lowercase();
    let months: [(&[&str], u32); 12] = [
        (&["januari", "jan", "january"], 1),
        (&["februari", "feb", "pebruari", "february"], 2),
        (&["maret", "mar", "march"], 3),
        (&["april", "apr"], 4),
        (&["mei", "may"], 5),
        (&["juni", "jun", "june"], 6),
        (&["juli", "jul", "july"], 7),
        (&["agustus", "agu", "agt", "ags", "aug", "august"], 8),
        (&["september", "sep", "sept"], 9),
        (&["oktober", "okt", "oct", "october"], 10),
        (&["november", "nov", "nop", "nopember"], 11),
        (&["desember", "des", "dec", "december"], 12),
    ];
    months
        .iter()
        .find(|(names, _)| names.contains(&n.as_str()))
        .map(|(_, m)| *m)
}

/// Parses `dd`, `mm`, `yyyy` digit groups into a date, for the common layouts without the
/// cost of a format string.
fn fixed_date(t: &[u8]) -> Option<Option<NaiveDate>> {
    let num = |r: &[u8]| -> Option<u32> {
        r.iter().try_fold(0u32, |acc, &b| {
            b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
        })
    };
    if t.len() != 10 {
        return None;
    }
    let (y, m, d) = match (t[2], t[4], t[5], t[7]) {
        (_, b'-', _, b'-') => (num(&t[0..4]), num(&t[5..7]), num(&t[8..10])),
        (b'/', _, b'/', _) | (b'-', _, b'-', _) | (b'.', _, b'.', _) => (num(&t[6..10]), num(&t[3..5]), num(&t[0..2])),
        _ => return None,
    };
    Some(match (y, m, d) {
        (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d),
        _ => None,
    })
}

/// Parses a date: ISO `2024-08-17`, `17/08/2024`, `17-08-2024`, `17 Agustus 2024`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    if let Some(date) = fixed_date(t.as_bytes()) {
        return date;
    }
    if let Some(d) = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
    {
        return Some(d);
    }
    let parts: Vec<&str> = t.split_whitespace().collect();
    if let [day, month, year] = parts[..] {
        return NaiveDate::from_ymd_opt(year.parse().ok()?, month_number(month)?, day.parse().ok()?);
    }
    None
}

/// Parses a date and time: ISO (`2024-08-17T10:00:00`, with `Z` or an offset converted to UTC),
/// `2024-08-17 10:00[:00]`, `17/08/2024 10:00[:00]`.
pub fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(dt.naive_utc());
    }
    [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d-%m-%Y %H:%M:%S",
        "%d-%m-%Y %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
}

/// Parses a year (`2024`): four digits.
pub fn parse_year(text: &str) -> Option<i32> {
    let t = text.trim();
    (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

/// Parses a year and month into `YYYY-MM`: `2024-08`, `08/2024`, `8/2024`, `Agustus 2024`.
pub fn parse_year_month(text: &str) -> Option<String> {
    let t = text.trim();
    let (year, month) = if let Some((y, m)) = t.split_once('-').filter(|(y, _)| y.len() == 4) {
        (parse_year(y)?, m.parse::<u32>().ok()?)
    } else if let Some((m, y)) = t.split_once('/') {
        (parse_year(y)?, m.parse::<u32>().ok()?)
    } else {
        let (m, y) = t.split_once(char::is_whitespace)?;
        (parse_year(y)?, month_number(m)?)
    };
    (1..=12).contains(&month).then(|| format!("{year:04}-{month:02}"))
}

/// Parses a whole number strictly: optional sign, digits, and `group` separators if given.
pub fn parse_integer_strict(text: &str, group: Option<&str>) -> Option<i64> {
    let t = match group {
        Some(g) if !g.is_empty() => text.trim().replace(g, ""),
        _ => text.trim().to_owned(),
    };
    let digits = t.strip_prefix(['-', '+']).unwrap_or(&t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// Parses a decimal number strictly with the given decimal mark and optional group separator:
/// sign, digits, one decimal mark, an optional exponent.
pub fn parse_number_strict(text: &str, decimal: &str, group: Option<&str>) -> Option<f64> {
    let mut t = text.trim().to_owned();
    if let Some(g) = group.filter(|g| !g.is_empty()) {
        t = t.replace(g, "");
    }
    if decimal != "." {
        if t.contains('.') {
            return None;
        }
        t = t.replace(decimal, ".");
    }
    let body = t.strip_prefix(['-', '+']).unwrap_or(&t);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (digits_ok(a) || a.is_empty()) && (digits_ok(b) || b.is_empty()) && !(a.is_empty() && b.is_empty())
        }
        None => digits_ok(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits_ok(e.strip_prefix(['-', '+']).unwrap_or(e)));
    if !mantissa_ok || !exponent_ok {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Whether a text has the named form: `email`, `uri` or `uuid` (other names accept anything).
pub fn text_has_form(text: &str, form: &str) -> bool {
    match form {
        "email" => {
            let Some((local, domain)) = text.split_once('@') else {
                return false;
            };
            let plain = |s: &str| !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == '@');
            plain(local)
                && plain(domain)
                && domain
                    .rsplit_once('.')
                    .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
        }
        "uri" => {
            let Some((scheme, rest)) = text.split_once(':') else {
                return false;
            };
            let mut chars = scheme.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !rest.is_empty()
                && !text.contains(char::is_whitespace)
        }
        "uuid" => {
            let groups: Vec<&str> = text.split('-').collect();
            groups.len() == 5
                && groups
                    .iter()
                    .zip([8, 4, 4, 4, 12])
                    .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
        }
        _ => true,
    }
}

/// Parses a date with a strftime layout.
pub fn parse_date_with(text: &str, layout: &str) -> Option<NaiveDate> {
    let t = text.trim();
    if layout == "%Y-%m-%d" && t.as_bytes().get(4) == Some(&b'-') {
        return fixed_date(t.as_bytes()).flatten();
    }
    NaiveDate::parse_from_str(t, layout).ok()
}

/// Parses a date-time with a strftime layout; RFC 3339 (with `Z` or an offset) is always accepted.
pub fn parse_datetime_with(text: &str, layout: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(dt.naive_utc());
    }
    NaiveDateTime::parse_from_str(t, layout).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(parse_integer("1234"), Some(1234));
        assert_eq!(parse_integer("1.234.567"), Some(1_234_567));
        assert_eq!(parse_integer("-12"), Some(-12));
        assert_eq!(parse_integer("2.5"), None);
        assert_eq!(parse_integer("12a"), None);
        assert_eq!(parse_integer("seratus"), None);
        assert_eq!(parse_integer("1234.567"), None);
        assert_eq!(parse_integer(""), None);
        assert_eq!(parse_integer("99999999999999999999"), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("87,5"), Some(87.5));
        assert_eq!(parse_number("1.234,56"), Some(1234.56));
        assert_eq!(parse_number("1,234.56"), Some(1234.56));
        assert_eq!(parse_number("87.5"), Some(87.5));
        assert_eq!(parse_number("1.234.567"), Some(1_234_567.0));
        assert_eq!(parse_number("-0,25"), Some(-0.25));
        assert_eq!(parse_number("1,2,3"), None);
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("inf"), None);
    }

    #[test]
    fn booleans_and_dates() {
        assert_eq!(parse_boolean("Ya"), Some(true));
        assert_eq!(parse_boolean("tidak"), Some(false));
        assert_eq!(parse_boolean("mungkin"), None);
        let d = NaiveDate::from_ymd_opt(2024, 8, 17);
        for text in [
            "2024-08-17",
            "17/08/2024",
            "17-08-2024",
            "17 Agustus 2024",
            "17 agt 2024",
            "17 August 2024",
        ] {
            assert_eq!(parse_date(text), d, "{text}");
        }
        assert_eq!(parse_date("31/02/2024"), None);
        assert_eq!(parse_date("17 Agustusan 2024"), None);
    }

    #[test]
    fn datetimes_years_and_months() {
        let dt = NaiveDate::from_ymd_opt(2024, 8, 17).unwrap().and_hms_opt(10, 30, 0);
        for text in [
            "2024-08-17T10:30:00",
            "2024-08-17 10:30",
            "17/08/2024 10:30:00",
            "2024-08-17T17:30:00+07:00",
        ] {
            assert_eq!(parse_datetime(text), dt, "{text}");
        }
        assert_eq!(parse_datetime("2024-08-17"), None);
        assert_eq!(parse_year("2024"), Some(2024));
        assert_eq!(parse_year("24"), None);
        assert_eq!(parse_year("2024.0"), None);
        for text in ["2024-08", "08/2024", "8/2024", "Agustus 2024"] {
            assert_eq!(parse_year_month(text).as_deref(), Some("2024-08"), "{text}");
        }
        assert_eq!(parse_year_month("2024-13"), None);
    }

    #[test]
    fn strict_numbers_follow_the_declared_marks() {
        assert_eq!(parse_integer_strict("1234", None), Some(1234));
        assert_eq!(parse_integer_strict("1.234", None), None);
        assert_eq!(parse_integer_strict("1.234", Some(".")), Some(1234));
        assert_eq!(parse_number_strict("1.5", ".", None), Some(1.5));
        assert_eq!(parse_number_strict("1,5", ".", None), None);
        assert_eq!(parse_number_strict("1,5", ",", None), Some(1.5));
        assert_eq!(parse_number_strict("1.234,5", ",", Some(".")), Some(1234.5));
        assert_eq!(parse_number_strict("-2e3", ".", None), Some(-2000.0));
        assert_eq!(parse_number_strict(".5", ".", None), Some(0.5));
        assert_eq!(parse_number_strict("abc", ".", None), None);
        assert_eq!(parse_number_strict(".", ".", None), None);
        assert_eq!(
            parse_date_with("17/08/2024", "%d/%m/%Y"),
            NaiveDate::from_ymd_opt(2024, 8, 17)
        );
        assert_eq!(parse_date_with("2024-08-17", "%d/%m/%Y"), None);
        assert!(parse_datetime_with("2024-08-17T10:00:00Z", "%Y-%m-%dT%H:%M:%S").is_some());
        assert!(parse_datetime_with("2024-08-17T10:00:00", "%Y-%m-%dT%H:%M:%S").is_some());
    }
}
