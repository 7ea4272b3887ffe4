//! Parsing cell text into typed values, with Indonesian conventions, and the strict forms
//! Frictionless reads (ISO 8601 times and durations, geopoints, JSON).

use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// Text without surrounding whitespace; cells that plainly start and end with something
/// else (most of them) are not scanned.
pub(crate) fn trim(text: &str) -> &str {
    let plain = |b: &u8| b.is_ascii() && !b.is_ascii_whitespace();
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if plain(first) && plain(last) => text,
        _ => text.trim(),
    }
}

/// A plain decimal `[-+]digits[.digits]` of at most 15 digits, read exactly without
/// allocating; `None` for any other form (the general parser then decides).
fn plain_decimal(t: &[u8]) -> Option<f64> {
    let (negative, body) = match t.first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let (mut mantissa, mut digits, mut point) = (0u64, 0u32, None);
    for (i, &b) in body.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits += 1;
            }
            b'.' if point.is_none() && i > 0 => point = Some(body.len() - i - 1),
            _ => return None,
        }
    }
    if digits == 0 || digits > 15 {
        return None;
    }
    // Both operands are exact in an f64 (below 2^53 and 10^15), so the one division rounds
    // correctly, as parsing the text would.
    const POWERS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let value = mantissa as f64 / POWERS[point.unwrap_or(0)];
    Some(if negative { -value } else { value })
}

/// Parses a whole number: `1234`, `-5`, or with Indonesian thousands dots `1.234.567`.
pub fn parse_integer(text: &str) -> Option<i64> {
    let t = trim(text);
    // Up to 18 digits cannot overflow an i64: read them without the general parser.
    if t.len() <= 18 && !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return Some(t.bytes().fold(0, |n, b| n * 10 + i64::from(b - b'0')));
    }
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
    let t = trim(text);
    if let Some(n) = plain_decimal(t.as_bytes()) {
        return Some(n);
    }
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

/// Parses a yes/no value, case-insensitive: `ya`/`tidak`, `true`/`false`, `1`/`0`, `y`/`n`,
/// `benar`/`salah`. A lone `t` or `f` is refused ([`is_ambiguous_boolean`]).
pub fn parse_boolean(text: &str) -> Option<bool> {
    match trim(text).to_lowercase().as_str() {
        "ya" | "y" | "true" | "benar" | "1" => Some(true),
        "tidak" | "n" | "false" | "salah" | "0" => Some(false),
        _ => None,
    }
}

/// A yes/no value read with a column's own words (exact, as Frictionless' `trueValues` and
/// `falseValues`); a side without words of its own takes [`parse_boolean`]'s.
pub(crate) fn boolean_with(text: &str, yes: Option<&[String]>, no: Option<&[String]>) -> Option<bool> {
    let side = |words: Option<&[String]>, value: bool| match words {
        Some(words) => words.iter().any(|w| w == text).then_some(value),
        None => parse_boolean(text).filter(|b| *b == value),
    };
    side(yes, true).or_else(|| side(no, false))
}

/// The default words [`parse_boolean`] takes, as a message lists them.
pub(crate) const BOOLEAN_WORDS: &str = "ya/tidak, true/false, 1/0, y/n";

/// Whether `text` is a lone `t` or `f`: `t` is *true* to PostgreSQL and English tools but
/// *tidak* to an Indonesian reader, so no default reads it.
pub fn is_ambiguous_boolean(text: &str) -> bool {
    matches!(trim(text), "t" | "T" | "f" | "F")
}

/// The month number of an Indonesian (or English) month name or abbreviation.
fn month_number(name: &str) -> Option<u32> {
    let n = trim(name).trim_end_matches('.').to_lowercase();
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

/// The year, month and day of the common fixed-width layouts (`yyyy-mm-dd`, `dd/mm/yyyy`,
/// `dd-mm-yyyy`, `dd.mm.yyyy`), read without the cost of a format string: `None` when `t` has
/// none of these shapes, `Some(None)` when it has one but not its digits.
#[inline]
fn fixed_ymd(t: &[u8]) -> Option<Option<(i32, u32, u32)>> {
    if t.len() != 10 {
        return None;
    }
    let (y, m, d) = match (t[2], t[4], t[5], t[7]) {
        (_, b'-', _, b'-') => (&t[0..4], &t[5..7], &t[8..10]),
        (b'/', _, b'/', _) | (b'-', _, b'-', _) | (b'.', _, b'.', _) => (&t[6..10], &t[3..5], &t[0..2]),
        _ => return None,
    };
    Some(match (digits(y), digits(m), digits(d)) {
        (Some(y), Some(m), Some(d)) => Some((y as i32, m, d)),
        _ => None,
    })
}

/// [`fixed_ymd`] as a calendar date (`Some(None)` also when there is no such day).
fn fixed_date(t: &[u8]) -> Option<Option<NaiveDate>> {
    fixed_ymd(t).map(|ymd| ymd.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)))
}

/// Days since 1970-01-01 of a date in any form [`parse_date`] reads.
pub fn date_days(text: &str) -> Option<i32> {
    // The fixed-width layouts, most dates, without building a calendar date.
    if let Some(ymd) = fixed_ymd(trim(text).as_bytes()) {
        return ymd.and_then(|(y, m, d)| civil_days(y, m, d));
    }
    parse_date(text).map(epoch_days)
}

/// Days since 1970-01-01 of a calendar date.
pub fn epoch_days(date: NaiveDate) -> i32 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32
}

/// Days since 1970-01-01 of a proleptic Gregorian date; `None` when there is no such day.
fn civil_days(year: i32, month: u32, day: u32) -> Option<i32> {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > month_days {
        return None;
    }
    // Counted from 1 March of year 0, so the leap day ends a year (H. Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let day_of_year = ((153 * ((month + 9) % 12) + 2) / 5 + day - 1) as i32;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// Parses a date: ISO `2024-08-17`, `17/08/2024`, `17-08-2024`, `17 Agustus 2024`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = trim(text);
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

/// Parses a date and time: ISO (`2024-08-17T10:00:00[.250]`, with `Z` or an offset converted to
/// UTC), `2024-08-17 10:00[:00]`, `17/08/2024 10:00[:00]`, and an ISO date alone as its midnight
/// (what a Parquet reader writes for a midnight timestamp). Satu Data's lenient reading;
/// Frictionless' formats go through [`parse_datetime_with`].
pub fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    let t = trim(text);
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(dt.naive_utc());
    }
    let b = t.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        return fixed_date(b).flatten().map(|d| d.and_time(NaiveTime::MIN));
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
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
    let t = trim(text);
    if t.len() != 4 {
        return None;
    }
    digits(t.as_bytes()).map(|year| year as i32)
}

/// Parses a year and month into `YYYY-MM`: `2024-08`, `08/2024`, `8/2024`, `Agustus 2024`.
pub fn parse_year_month(text: &str) -> Option<String> {
    year_month(text).map(|(year, month)| year_month_text(year, month))
}

/// A year and month as `YYYY-MM`.
pub(crate) fn year_month_text(year: i32, month: u32) -> String {
    format!("{year:04}-{month:02}")
}

/// The year and month of a text [`parse_year_month`] reads.
pub fn year_month(text: &str) -> Option<(i32, u32)> {
    let t = trim(text);
    let (year, month) = if let Some((y, m)) = t.split_once('-').filter(|(y, _)| y.len() == 4) {
        (parse_year(y)?, m.parse::<u32>().ok()?)
    } else if let Some((m, y)) = t.split_once('/') {
        (parse_year(y)?, m.parse::<u32>().ok()?)
    } else {
        let (m, y) = t.split_once(char::is_whitespace)?;
        (parse_year(y)?, month_number(m)?)
    };
    (1..=12).contains(&month).then_some((year, month))
}

/// Parses a whole number strictly: optional sign, digits, and `group` separators if given.
pub fn parse_integer_strict(text: &str, group: Option<&str>) -> Option<i64> {
    let t = match group {
        Some(g) if !g.is_empty() => trim(text).replace(g, ""),
        _ => trim(text).to_owned(),
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
    let mut t = trim(text).to_owned();
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
    let t = trim(text);
    // The common ISO form without a format string; others (`2024-8-17`, as strptime also
    // reads it) go through the layout.
    if layout == "%Y-%m-%d"
        && t.as_bytes().get(4) == Some(&b'-')
        && let Some(date) = fixed_date(t.as_bytes())
    {
        return date;
    }
    NaiveDate::parse_from_str(t, layout).ok()
}

/// Parses a date-time with a strftime layout; RFC 3339 (with `Z` or an offset) is always accepted.
pub fn parse_datetime_with(text: &str, layout: &str) -> Option<NaiveDateTime> {
    let t = trim(text);
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(dt.naive_utc());
    }
    NaiveDateTime::parse_from_str(t, layout).ok()
}

/// The value of a run of ASCII digits (at most 9 of them).
fn digits(run: &[u8]) -> Option<u32> {
    (!run.is_empty() && run.len() <= 9 && run.iter().all(u8::is_ascii_digit))
        .then(|| run.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
}

/// Parses a time of day the way Frictionless' default `time` format does (ISO 8601 through
/// dateutil): `HH:MM:SS`, an optional fraction after `.` or `,`, and an optional `Z` or UTC
/// offset (`+07`, `+0700`, `+07:00`), which is applied (the time becomes UTC). `24:00:00` is
/// midnight.
pub fn parse_time_iso(text: &str) -> Option<NaiveTime> {
    let b = text.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m, s) = (digits(&b[0..2])?, digits(&b[3..5])?, digits(&b[6..8])?);
    let mut pos = 8;
    let mut nanos = 0u32;
    if matches!(b.get(pos), Some(b'.' | b',')) && b.get(pos + 1).is_some_and(u8::is_ascii_digit) {
        let digits = b[pos + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        // Python keeps microseconds: further digits are dropped, not rounded.
        let kept = &text[pos + 1..pos + 1 + digits.min(6)];
        nanos = kept.parse::<u32>().ok()? * 10u32.pow(9 - kept.len() as u32);
        pos += 1 + digits;
    }
    let offset_minutes: i64 = match &b[pos..] {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let hh = digits(rest.get(..2)?)?;
            // dateutil takes the minutes after an optional colon: `+07`, `+0700`, `+07:00`.
            let mm = match rest.len() {
                2 => 0,
                4 | 5 if rest[2] == b':' => digits(&rest[3..])?,
                4 | 5 => digits(&rest[2..])?,
                _ => return None,
            };
            if hh > 23 || mm > 59 {
                return None;
            }
            let minutes = i64::from(hh * 60 + mm);
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    let time = if h == 24 {
        (m == 0 && s == 0 && nanos == 0).then_some(NaiveTime::MIN)?
    } else {
        NaiveTime::from_hms_nano_opt(h, m, s, nanos).filter(|_| s < 60)?
    };
    Some(time - chrono::Duration::minutes(offset_minutes))
}

/// Parses a time of day leniently: ISO 8601 (as [`parse_time_iso`]), `10:30`, `7:05`, `10.30`
/// (the Indonesian way), `10:30:15`, `10.30.15`.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let t = trim(text);
    parse_time_iso(t).or_else(|| {
        ["%H:%M:%S%.f", "%H:%M", "%H.%M.%S", "%H.%M"]
            .iter()
            .find_map(|f| NaiveTime::parse_from_str(t, f).ok())
    })
}

/// Parses a time of day with a strftime layout; `%H:%M:%S`, Frictionless' default, is read as
/// [`parse_time_iso`] reads it.
pub fn parse_time_with(text: &str, layout: &str) -> Option<NaiveTime> {
    if layout == "%H:%M:%S" {
        return parse_time_iso(text);
    }
    NaiveTime::parse_from_str(text, layout).ok()
}

/// Nanoseconds since midnight, as Polars stores a time.
pub fn time_nanos(t: NaiveTime) -> i64 {
    i64::from(t.num_seconds_from_midnight()) * 1_000_000_000 + i64::from(t.nanosecond())
}

/// Whether a text is an ISO 8601 duration as Frictionless (isodate) reads it: `P1Y2M3W4DT5H6M7S`
/// with any of the parts, decimals in any part (`PT0.5S`, `P1,5D`), an optional sign, or the
/// alternative form `PYYYY-MM-DDThh:mm:ss` (also `PYYYYMMDDThhmmss`).
pub fn is_duration(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    unsigned.strip_prefix('P').is_some_and(designated_duration)
        || text.strip_prefix('P').is_some_and(alternative_duration)
}

/// `1Y2M3W4DT5H6M7S`: numbers with designators, date parts then `T` and time parts, each at
/// most once and in order.
fn designated_duration(body: &str) -> bool {
    // isodate's `P(?!\b)`: what follows the P must be a word character.
    if !body.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_') {
        return false;
    }
    let mut rest = body.as_bytes();
    let mut allowed: &[u8] = b"YMWD";
    let mut in_time = false;
    while let Some(&first) = rest.first() {
        if first == b'T' && !in_time {
            in_time = true;
            allowed = b"HMS";
            rest = &rest[1..];
            continue;
        }
        let whole = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if whole == 0 {
            return false;
        }
        let mut end = whole;
        if matches!(rest.get(end), Some(b',' | b'.')) {
            let fraction = rest[end + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if fraction == 0 {
                return false;
            }
            end += 1 + fraction;
        }
        let Some(k) = rest.get(end).and_then(|d| allowed.iter().position(|a| a == d)) else {
            return false;
        };
        allowed = &allowed[k + 1..];
        rest = &rest[end + 1..];
    }
    true
}

/// `YYYY-MM-DDThh:mm:ss` and its basic and shorter forms: a valid calendar date (`YYYY`,
/// `YYYY-MM`, `YYYY-MM-DD`, `YYYYMMDD`) and a valid time (`hh`, `hh:mm`, `hhmm`, `hh:mm:ss`,
/// `hhmmss`, a fraction, an offset), as isodate reads the alternative duration form.
fn alternative_duration(body: &str) -> bool {
    let Some((date, time)) = body.split_once('T') else {
        return false;
    };
    let d = date.as_bytes();
    let (year, month, day) = match d.len() {
        4 => (digits(d), Some(1), Some(1)),
        7 if d[4] == b'-' => (digits(&d[..4]), digits(&d[5..]), Some(1)),
        8 => (digits(&d[..4]), digits(&d[4..6]), digits(&d[6..])),
        10 if d[4] == b'-' && d[7] == b'-' => (digits(&d[..4]), digits(&d[5..7]), digits(&d[8..])),
        _ => return false,
    };
    let date_ok = matches!((year, month, day), (Some(y), Some(m), Some(d))
        if y >= 1 && NaiveDate::from_ymd_opt(y as i32, m, d).is_some());
    // The offset, if any, only has to be well formed.
    let clock = match time.find(['Z', '+', '-']) {
        Some(i) => {
            let zone = &time.as_bytes()[i..];
            let zone_ok = match zone {
                [b'Z'] => true,
                [b'+' | b'-', rest @ ..] => match rest.len() {
                    2 | 4 => digits(rest).is_some(),
                    5 => rest[2] == b':' && digits(&rest[..2]).is_some() && digits(&rest[3..]).is_some(),
                    _ => false,
                },
                _ => false,
            };
            if !zone_ok {
                return false;
            }
            &time[..i]
        }
        None => time,
    };
    let (clock, fraction) = match clock.find(['.', ',']) {
        Some(i) => (&clock[..i], Some(&clock[i + 1..])),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let c = clock.as_bytes();
    let parts = match c.len() {
        2 => [digits(c), Some(0), Some(0)],
        4 => [digits(&c[..2]), digits(&c[2..]), Some(0)],
        5 if c[2] == b':' => [digits(&c[..2]), digits(&c[3..]), Some(0)],
        6 => [digits(&c[..2]), digits(&c[2..4]), digits(&c[4..])],
        8 if c[2] == b':' && c[5] == b':' => [digits(&c[..2]), digits(&c[3..5]), digits(&c[6..])],
        _ => return false,
    };
    let time_ok = matches!(parts, [Some(h), Some(m), Some(s)] if h < 24 && m < 60 && s < 60);
    date_ok && time_ok
}

/// Reads a number as Python's `Decimal(text)` does, keeping finite values only: surrounding
/// whitespace, a sign, digits, a decimal point, an exponent; underscores anywhere are ignored.
fn python_decimal(text: &str) -> Option<f64> {
    let t = trim(text).replace('_', "");
    let body = t.strip_prefix(['+', '-']).unwrap_or(&t);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (a.is_empty() || all_digits(a)) && (b.is_empty() || all_digits(b)) && !(a.is_empty() && b.is_empty())
        }
        None => all_digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| all_digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    if !mantissa_ok || !exponent_ok {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A JSON value as Python's `Decimal(value)` reads it: numbers, booleans (1 and 0) and numeric
/// texts.
fn json_decimal(value: &serde_json::Value) -> Option<f64> {
    match value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        serde_json::Value::String(s) => python_decimal(s),
        _ => None,
    }
}

/// Parses a geopoint as Frictionless does, in one of its forms: `default` (`lon, lat`),
/// `array` (`[lon, lat]`) or `object` (`{"lon": lon, "lat": lat}`); the longitude must lie in
/// [-180, 180] and the latitude in [-90, 90].
pub fn parse_geopoint(text: &str, form: &str) -> Option<(f64, f64)> {
    let (lon, lat) = match form {
        "default" => {
            let (lon, lat) = text.split_once(',')?;
            if lat.contains(',') {
                return None;
            }
            (python_decimal(lon)?, python_decimal(lat)?)
        }
        "array" => match serde_json::from_str(text).ok()? {
            serde_json::Value::Array(items) if items.len() == 2 => (json_decimal(&items[0])?, json_decimal(&items[1])?),
            _ => return None,
        },
        "object" => match serde_json::from_str(text).ok()? {
            serde_json::Value::Object(map) if map.len() == 2 => {
                (json_decimal(map.get("lon")?)?, json_decimal(map.get("lat")?)?)
            }
            _ => return None,
        },
        _ => return None,
    };
    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some((lon, lat))
}

/// The kind of JSON value a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// A JSON object.
    Object,
    /// A JSON array.
    Array,
}

/// The length of a JSON object (its keys) or array (its items), or `None` when the text is not
/// JSON of that kind.
pub fn json_length(text: &str, kind: JsonKind) -> Option<usize> {
    match (serde_json::from_str(text).ok()?, kind) {
        (serde_json::Value::Object(map), JsonKind::Object) => Some(map.len()),
        (serde_json::Value::Array(items), JsonKind::Array) => Some(items.len()),
        _ => None,
    }
}

// The GeoJSON and TopoJSON profiles Frictionless checks `geojson` values against, copied from
// frictionless-py 5.21 (`frictionless/assets/profiles`, MIT license).
const GEOJSON_PROFILE: &str = include_str!("../profiles/geojson.json");
const TOPOJSON_PROFILE: &str = include_str!("../profiles/topojson.json");

/// Compiles a profile once; `None` if it cannot be compiled (a unit test makes sure it can).
fn profile(
    cell: &'static OnceLock<Option<jsonschema::Validator>>,
    text: &str,
) -> Option<&'static jsonschema::Validator> {
    cell.get_or_init(|| {
        let schema: serde_json::Value = serde_json::from_str(text).ok()?;
        jsonschema::validator_for(&schema).ok()
    })
    .as_ref()
}

/// Whether a text is a GeoJSON object (or, with `form` `topojson`, a TopoJSON object) valid
/// against the profile Frictionless uses.
pub fn is_geojson(text: &str, form: &str) -> bool {
    static GEOJSON: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    static TOPOJSON: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    let Ok(value @ serde_json::Value::Object(_)) = serde_json::from_str::<serde_json::Value>(text) else {
        return false;
    };
    let validator = if form == "topojson" {
        profile(&TOPOJSON, TOPOJSON_PROFILE)
    } else {
        profile(&GEOJSON, GEOJSON_PROFILE)
    };
    validator.is_none_or(|v| v.is_valid(&value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

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
        assert_eq!(parse_integer("999999999999999999"), Some(999_999_999_999_999_999));
        assert_eq!(parse_integer("9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_integer("9223372036854775808"), None);
        assert_eq!(parse_integer("007"), Some(7));
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
        assert_eq!(parse_number("5."), Some(5.0));
        assert_eq!(parse_number(".5"), None);
        assert_eq!(parse_number("+2.50"), Some(2.5));
        // The exact short path gives the very value the full parser gives.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 14 + 1) as usize;
            let text = format!("{}", x >> 4).chars().take(digits).collect::<String>();
            let point = (x >> 60) as usize % (digits + 1);
            let text = if point == 0 {
                text
            } else {
                format!("{}.{}", &text[..digits - point], &text[digits - point..])
            };
            let text = if text.starts_with('.') {
                format!("0{text}")
            } else {
                text
            };
            let expected: f64 = text.parse().unwrap();
            assert_eq!(plain_decimal(text.as_bytes()), Some(expected), "{text}");
            assert_eq!(parse_number(&format!("-{text}")), Some(-expected), "-{text}");
        }
    }

    #[test]
    fn booleans_and_dates() {
        assert_eq!(parse_boolean("Ya"), Some(true));
        assert_eq!(parse_boolean("tidak"), Some(false));
        assert_eq!(parse_boolean("mungkin"), None);
        assert_eq!(parse_boolean("N"), Some(false));
        assert_eq!(parse_boolean(" Y "), Some(true));
        for lone in ["t", "T", "f", " F"] {
            assert_eq!(parse_boolean(lone), None, "{lone}");
            assert!(is_ambiguous_boolean(lone));
        }
        assert!(!is_ambiguous_boolean("tidak"));
        let ada = ["Ada".to_owned()];
        let words = ["t".to_owned(), "f".to_owned()];
        assert_eq!(boolean_with("Ada", Some(&ada[..]), None), Some(true));
        assert_eq!(
            boolean_with("ada", Some(&ada[..]), None),
            None,
            "a standard's words are exact"
        );
        assert_eq!(
            boolean_with("tidak", Some(&ada[..]), None),
            Some(false),
            "the other side keeps the defaults"
        );
        assert_eq!(boolean_with("ya", Some(&ada[..]), None), None);
        assert_eq!(
            boolean_with("t", Some(&words[..1]), Some(&words[1..])),
            Some(true),
            "a standard may say t is true"
        );
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
        // Day numbers agree with the calendar, across leap days and centuries.
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let mut day = NaiveDate::from_ymd_opt(1599, 12, 1).unwrap();
        while day.year() < 2401 {
            let text = day.format("%Y-%m-%d").to_string();
            assert_eq!(date_days(&text), Some((day - epoch).num_days() as i32), "{text}");
            let local = day.format("%d/%m/%Y").to_string();
            assert_eq!(date_days(&local), date_days(&text), "{local}");
            day = day.succ_opt().unwrap();
        }
        for bad in [
            "2023-02-29",
            "2100-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-04-00",
            "2024-4-011",
        ] {
            assert_eq!(date_days(bad), None, "{bad}");
        }
        assert_eq!(date_days("2000-02-29"), Some(11_016));
        assert_eq!(date_days("17 Agustus 1945"), Some(-8_903));
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
        // A midnight timestamp comes from Parquet as its date; fractions of a second are kept.
        let midnight = NaiveDate::from_ymd_opt(2024, 8, 17).unwrap().and_hms_opt(0, 0, 0);
        assert_eq!(parse_datetime("2024-08-17"), midnight);
        assert_eq!(parse_datetime("2024-02-30"), None);
        assert_eq!(
            parse_datetime("17/08/2024"),
            None,
            "only the ISO date stands for a datetime"
        );
        let fraction = NaiveDate::from_ymd_opt(2024, 8, 17)
            .unwrap()
            .and_hms_milli_opt(10, 30, 0, 250);
        assert_eq!(parse_datetime("2024-08-17T10:30:00.25"), fraction);
        // Frictionless' default layout stays strict.
        assert_eq!(parse_datetime_with("2024-08-17", "%Y-%m-%dT%H:%M:%S"), None);
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

    /// Expectations taken from Frictionless 5.21's own readers on the same texts.
    #[test]
    fn iso_times_as_frictionless_reads_them() {
        let hms = |h, m, s| NaiveTime::from_hms_opt(h, m, s);
        assert_eq!(parse_time_iso("10:30:00"), hms(10, 30, 0));
        assert_eq!(parse_time_iso("24:00:00"), hms(0, 0, 0));
        assert_eq!(parse_time_iso("10:30:00Z"), hms(10, 30, 0));
        assert_eq!(parse_time_iso("10:30:00z"), hms(10, 30, 0));
        for offset in ["+07:00", "+0700", "+07"] {
            assert_eq!(parse_time_iso(&format!("10:30:00{offset}")), hms(3, 30, 0), "{offset}");
        }
        assert_eq!(parse_time_iso("01:00:00+07:00"), hms(18, 0, 0));
        assert_eq!(parse_time_iso("10:30:00-07:00"), hms(17, 30, 0));
        assert_eq!(
            parse_time_iso("10:30:00.5"),
            NaiveTime::from_hms_milli_opt(10, 30, 0, 500)
        );
        assert_eq!(
            parse_time_iso("10:30:00,5"),
            NaiveTime::from_hms_milli_opt(10, 30, 0, 500)
        );
        assert_eq!(
            parse_time_iso("10:30:00.123456789"),
            NaiveTime::from_hms_micro_opt(10, 30, 0, 123_456)
        );
        for bad in [
            "10:30",
            "1:30:00",
            "10:30:0",
            "23:59:60",
            "25:00:00",
            "12:60:00",
            "24:00:01",
            "103000",
            "T10:30:00",
            "10:30:00.",
            "10:30:00+7",
            "10:30:00 +07:00",
            "10:30:00+24:00",
            " 10:30:00",
        ] {
            assert_eq!(parse_time_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn lenient_and_laid_out_times() {
        let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        for text in ["10:30", "10.30", "10:30:00", "10.30.00"] {
            assert_eq!(parse_time(text), hm(10, 30), "{text}");
        }
        assert_eq!(parse_time("7:05"), hm(7, 5));
        assert_eq!(parse_time("jam sepuluh"), None);
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time_with("10:30", "%H:%M"), hm(10, 30));
        assert_eq!(parse_time_with("1:5", "%H:%M"), hm(1, 5));
        assert_eq!(parse_time_with("10:30:00", "%H:%M"), None);
        assert_eq!(parse_time_with("10:30 PM", "%I:%M %p"), hm(22, 30));
        assert_eq!(parse_time_with("10:30:00+07:00", "%H:%M:%S"), hm(3, 30));
        assert_eq!(
            time_nanos(NaiveTime::from_hms_milli_opt(0, 0, 1, 500).unwrap()),
            1_500_000_000
        );
    }

    #[test]
    fn durations_as_isodate_reads_them() {
        for good in [
            "P1Y2M3DT4H5M6S",
            "P1Y",
            "PT1H",
            "P1W",
            "PT",
            "P1.5Y",
            "PT0.5S",
            "PT1,5S",
            "P1Y2W",
            "-P1D",
            "+P1D",
            "P1DT",
            "P0D",
            "P1M1W",
            "PT36H",
            "P01D",
            "P1.5W",
            "PT1.5H30M",
            "P0001-02-03T04:05:06",
            "P00010203T040506",
            "P0001-02-03T04:05",
            "P0001-02-03T04",
            "P0001-02-03T0405",
            "P0001-02T04:05:06",
            "P0001T04:05:06",
            "P0001-02-03T04:05:06.5",
            "P0001-02-03T04:05:06Z",
            "P0001-02-03T04:05:06+07:00",
            "P2024-02-29T00:00:00",
        ] {
            assert!(is_duration(good), "{good}");
        }
        for bad in [
            "P",
            "p1d",
            "PT1H30",
            "1 day",
            "P2024-01-01",
            "P1D ",
            "P-1D",
            "P1e3D",
            "P1H",
            "PT1D",
            "P1D1Y",
            "P1DT1HT",
            "P0000-00-00T00:00:00",
            "P0001-13-01T00:00:00",
            "P0001-02-03T24:00:00",
            "P0001-02-30T00:00:00",
            "P0001-02-03T4:05:06",
            "P01-02-03T04:05:06",
            "-P0001-02-03T04:05:06",
            "P,5D",
            "P1.D",
        ] {
            assert!(!is_duration(bad), "{bad}");
        }
    }

    #[test]
    fn geopoints_as_frictionless_reads_them() {
        assert_eq!(parse_geopoint("106.8, -6.2", "default"), Some((106.8, -6.2)));
        for good in [
            "180,90", "-180,-90", "1e2,3", "1E2, 3", " 1,2", "1_0,2", "1__0,2", "_1,2", "+1,-2", ".5,.5", "5.,5.",
        ] {
            assert!(parse_geopoint(good, "default").is_some(), "{good}");
        }
        for bad in [
            "181,0", "0,91", "a,b", "1,2,3", "1", "NaN,0", "inf,0", "1,", "0x10,1", "_,1", "1e,1",
        ] {
            assert_eq!(parse_geopoint(bad, "default"), None, "{bad}");
        }
        assert_eq!(parse_geopoint("[106.8, -6.2]", "array"), Some((106.8, -6.2)));
        for good in [r#"["106.8","-6.2"]"#, "[true,1]", "[1e2,3]", r#"[" 1", 2]"#] {
            assert!(parse_geopoint(good, "array").is_some(), "{good}");
        }
        for bad in [
            "[106.8,-6.2,1]",
            "[181,0]",
            "106.8,-6.2",
            r#"{"lon":1,"lat":2}"#,
            "[null,1]",
            "[[1],2]",
            r#"["a", 1]"#,
        ] {
            assert_eq!(parse_geopoint(bad, "array"), None, "{bad}");
        }
        assert_eq!(
            parse_geopoint(r#"{"lat":-6.2,"lon":106.8}"#, "object"),
            Some((106.8, -6.2))
        );
        assert!(parse_geopoint(r#"{"lon":"1","lat":"2"}"#, "object").is_some());
        for bad in [
            r#"{"lon":1,"lat":2,"x":3}"#,
            r#"{"lon":1}"#,
            r#"{"lon":1,"x":2}"#,
            "[1,2]",
            r#""ab""#,
        ] {
            assert_eq!(parse_geopoint(bad, "object"), None, "{bad}");
        }
        assert_eq!(parse_geopoint("1,2", "other"), None);
    }

    #[test]
    fn json_objects_arrays_and_geojson() {
        assert_eq!(json_length("{}", JsonKind::Object), Some(0));
        assert_eq!(json_length(r#" {"a":1,"b":2} "#, JsonKind::Object), Some(2));
        assert_eq!(json_length(r#"{"a":1,"a":2}"#, JsonKind::Object), Some(1));
        assert_eq!(json_length("[1,2,3]", JsonKind::Array), Some(3));
        for bad in ["[1]", r#""x""#, "1", "{a:1}", r#"{"a":1}x"#, "null"] {
            assert_eq!(json_length(bad, JsonKind::Object), None, "{bad}");
        }
        assert_eq!(json_length(r#"{"a":1}"#, JsonKind::Array), None);
        assert_eq!(json_length("[1,", JsonKind::Array), None);
        for good in [
            r#"{"type":"Point","coordinates":[1,2]}"#,
            r#"{"type":"Feature","geometry":null,"properties":null}"#,
            r#"{"type":"FeatureCollection","features":[]}"#,
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
            r#"{"type":"GeometryCollection","geometries":[]}"#,
            r#"{"type":"Point","coordinates":[1,2],"extra":1}"#,
        ] {
            assert!(is_geojson(good, "default"), "{good}");
        }
        for bad in [
            r#"{"type":"Point"}"#,
            r#"{"type":"Foo"}"#,
            "{}",
            "[1]",
            r#"{"type":"Point","coordinates":[1]}"#,
            r#"{"type":"Point","coordinates":[1,2,3]}"#,
            r#"{"type":"LineString","coordinates":[[1,2]]}"#,
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#,
            r#"{"type":"Point","coordinates":[1,"2"]}"#,
        ] {
            assert!(!is_geojson(bad, "default"), "{bad}");
        }
        assert!(is_geojson(r#"{"type":"Topology","objects":{},"arcs":[]}"#, "topojson"));
        for bad in [r#"{"type":"Point"}"#, "{}", r#"{"type":"Topology"}"#] {
            assert!(!is_geojson(bad, "topojson"), "{bad}");
        }
        // Both profiles compile: a broken one would accept everything.
        static CHECK: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
        assert!(profile(&CHECK, GEOJSON_PROFILE).is_some());
        static CHECK_TOPO: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
        assert!(profile(&CHECK_TOPO, TOPOJSON_PROFILE).is_some());
    }
}
