//! Parsing cell text into typed values, with Indonesian conventions.

use chrono::NaiveDate;

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

/// Parses a yes/no value: `ya`/`tidak`, `true`/`false`, `1`/`0`, `y`/`t`.
pub fn parse_boolean(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "ya" | "y" | "true" | "benar" | "1" => Some(true),
        "tidak" | "t" | "false" | "salah" | "0" => Some(false),
        _ => None,
    }
}

/// Parses a date: ISO `2024-08-17`, `17/08/2024` or `17-08-2024`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
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
        assert_eq!(parse_date("2024-08-17"), d);
        assert_eq!(parse_date("17/08/2024"), d);
        assert_eq!(parse_date("17-08-2024"), d);
        assert_eq!(parse_date("31/02/2024"), None);
    }
}
