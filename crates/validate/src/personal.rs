//! Recognising personal data that must not appear in open data: NIK, phone numbers, e-mail.

use std::collections::HashSet;

use satudata_core::{Finding, FindingCode};

/// What kind of personal data a value looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Nik,
    Phone,
    Email,
}

/// What one column has seen of each kind of personal data: how many rows, and the first.
///
/// Each kind is counted and reported on its own: a NIK in one row and a phone number in
/// another are one row of each, not "2 rows of NIK". A cell is one kind at most, so a row
/// counts once per column.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    /// Per kind (in [`Kind`] order): rows seen, and the first row with its value.
    kinds: [Option<(u64, u64, String)>; 3],
}

impl Seen {
    /// Notes a cell of `kind` in file row `row`.
    pub(crate) fn note(&mut self, kind: Kind, row: u64, value: &str) {
        let slot = &mut self.kinds[kind as usize];
        if let Some((count, _, _)) = slot {
            *count += 1;
        } else {
            *slot = Some((1, row, value.to_owned()));
        }
    }

    /// One warning per kind seen, the value masked, in the order of their first rows.
    pub(crate) fn findings(self, position: u64, field: &str) -> Vec<Finding> {
        let mut seen: Vec<(Kind, u64, u64, String)> = [Kind::Nik, Kind::Phone, Kind::Email]
            .into_iter()
            .zip(self.kinds)
            .filter_map(|(kind, s)| s.map(|(count, row, value)| (kind, count, row, value)))
            .collect();
        seen.sort_by_key(|(_, _, row, _)| *row);
        seen.into_iter()
            .map(|(kind, count, row, value)| {
                Finding::cell(FindingCode::PersonalDataWarning, row, position, field, &mask(&value))
                    .with_message(kind.message_key(), &[("field", field), ("count", &count.to_string())])
            })
            .collect()
    }
}

impl Kind {
    /// The key of the warning's message for this kind.
    pub(crate) fn message_key(self) -> &'static str {
        match self {
            Kind::Nik => "personal-data-warning.nik",
            Kind::Phone => "personal-data-warning.phone",
            Kind::Email => "personal-data-warning.email",
        }
    }
}

/// Knows which kecamatan codes exist, to tell a NIK from any 16-digit number.
#[derive(Debug, Default)]
pub(crate) struct Detector {
    /// Six-digit kecamatan codes (`617101`); empty means only the province is checked.
    kecamatan: HashSet<String>,
}

fn birth_date_ok(ddmmyy: &str) -> bool {
    let n = |s: &str| s.parse::<u32>().ok();
    let (Some(day), Some(month), Some(year)) = (n(&ddmmyy[0..2]), n(&ddmmyy[2..4]), n(&ddmmyy[4..6])) else {
        return false;
    };
    // Women's NIK add 40 to the day of birth.
    let day = if day > 40 { day - 40 } else { day };
    [1900, 2000]
        .iter()
        .any(|century| chrono::NaiveDate::from_ymd_opt((century + year) as i32, month, day).is_some())
}

impl Detector {
    pub(crate) fn new(kecamatan_codes: impl IntoIterator<Item = String>) -> Self {
        Detector {
            kecamatan: kecamatan_codes.into_iter().map(|c| c.replace('.', "")).collect(),
        }
    }

    /// Whether `text` is a plausible NIK: 16 digits, a real kecamatan (or at least province)
    /// code, then a valid birth date (day + 40 for women), then a serial that is not 0000.
    pub(crate) fn is_nik(&self, text: &str) -> bool {
        let t = crate::cast::trim(text);
        if t.len() != 16 || !t.bytes().all(|b| b.is_ascii_digit()) || &t[12..] == "0000" {
            return false;
        }
        let region_ok = if self.kecamatan.is_empty() {
            satudata_core::wilayah::PROVINCES.contains(&&t[0..2])
        } else {
            self.kecamatan.contains(&t[0..6])
        };
        region_ok && birth_date_ok(&t[6..12])
    }

    /// Classifies one value.
    pub(crate) fn classify(&self, text: &str) -> Option<Kind> {
        let t = crate::cast::trim(text);
        // The shortest is an e-mail address such as `a@b.c`; phone numbers have 9 digits or more.
        if t.len() < 5 {
            return None;
        }
        if self.is_nik(t) {
            return Some(Kind::Nik);
        }
        if is_email(t) {
            return Some(Kind::Email);
        }
        if is_phone(t) {
            return Some(Kind::Phone);
        }
        None
    }
}

/// An Indonesian phone number: `08…`, `+62…` or `62…`, 9 to 13 digits after the prefix's `0`;
/// spaces, dashes, dots and brackets may separate the digits.
fn is_phone(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !matches!(bytes.first(), Some(b'0' | b'+' | b'6' | b'(')) {
        return false;
    }
    let mut digits = [0u8; 16];
    let mut n = 0;
    let mut plus = false;
    for &b in bytes {
        match b {
            b'0'..=b'9' if n < digits.len() => {
                digits[n] = b;
                n += 1;
            }
            b'0'..=b'9' => return false,
            b'+' if n == 0 && !plus => plus = true,
            b' ' | b'-' | b'(' | b')' | b'.' => {}
            _ => return false,
        }
    }
    let d = &digits[..n];
    let rest = if plus || d.starts_with(b"62") {
        match d.strip_prefix(b"62") {
            Some(r) => r,
            None => return false,
        }
    } else if let Some(r) = d.strip_prefix(b"0") {
        r
    } else {
        return false;
    };
    matches!(rest.first(), Some(b'2'..=b'9')) && (8..=12).contains(&rest.len()) && n + usize::from(plus) < 16
}

fn is_email(text: &str) -> bool {
    // Most cells hold no `@`. Short ones are settled by a scan without early exit, which the
    // compiler turns into vector instructions; memchr pays off on longer ones.
    let bytes = text.as_bytes();
    if bytes.len() <= 64 && !bytes.iter().fold(false, |seen, &b| seen | (b == b'@')) {
        return false;
    }
    let Some(at) = memchr::memchr(b'@', bytes) else {
        return false;
    };
    let (local, domain) = (&text[..at], &text[at + 1..]);
    !local.is_empty()
        && !local.contains(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains(['@', ' '])
}

/// Whether a spreadsheet would run the cell as a formula: it starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return, and is not simply a number.
pub(crate) fn is_formula(text: &str) -> bool {
    let Some(first) = text.as_bytes().first() else {
        return false;
    };
    matches!(first, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
        && text.len() > 1
        && crate::cast::parse_number(text).is_none()
        && crate::cast::parse_integer(text).is_none()
}

/// Shows only the start of a personal value, so reports do not spread it.
pub(crate) fn mask(text: &str) -> String {
    let keep = text.chars().count().min(4);
    let shown: String = text.chars().take(keep).collect();
    format!("{shown}{}", "*".repeat(text.chars().count().saturating_sub(keep)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nik_needs_a_real_kecamatan_and_birth_date() {
        let d = Detector::new(["61.71.01".to_owned()]);
        assert!(d.is_nik("6171011708900001"));
        assert!(d.is_nik("6171015708900001"), "women: day + 40");
        assert!(!d.is_nik("6171013208900001"), "day 32");
        assert!(!d.is_nik("6171011713900001"), "month 13");
        assert!(!d.is_nik("3275011708900001"), "not a known kecamatan");
        assert!(!d.is_nik("6171011708900000"), "serial 0000");
        assert!(!d.is_nik("617101170890000"), "15 digits");
        let loose = Detector::default();
        assert!(loose.is_nik("3275011708900001"));
        assert!(!loose.is_nik("9975011708900001"), "no province 99");
    }

    #[test]
    fn phones_emails_formulas() {
        let d = Detector::default();
        assert_eq!(d.classify("0812-3456-7890"), Some(Kind::Phone));
        assert_eq!(d.classify("+62 812 3456 7890"), Some(Kind::Phone));
        assert_eq!(d.classify("(0561) 736541"), Some(Kind::Phone));
        assert_eq!(d.classify("budi@contoh.go.id"), Some(Kind::Email));
        assert_eq!(d.classify("30100101"), None, "an NPSN is not a phone");
        assert_eq!(d.classify("61.71.01.1002"), None);
        assert_eq!(d.classify("2024"), None);
        assert!(is_formula("=SUM(A1:A3)"));
        assert!(is_formula("@cmd"));
        assert!(is_formula("-2+3"));
        assert!(!is_formula("-250"));
        assert!(!is_formula("-0,5"));
        assert!(!is_formula("-"));
        assert_eq!(mask("6171011708900001"), "6171************");
    }

    #[test]
    fn each_kind_is_counted_on_its_own() {
        let mut seen = Seen::default();
        seen.note(Kind::Phone, 7, "0812-3456-7890");
        seen.note(Kind::Nik, 3, "6171011708900001");
        seen.note(Kind::Phone, 9, "0812-3456-7891");
        let found = seen.findings(4, "kontak");
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].row, found[0].value.as_deref()),
            (Some(3), Some("6171************"))
        );
        assert!(
            found[0].message_id.contains("NIK pada 1 baris"),
            "{}",
            found[0].message_id
        );
        assert_eq!(found[1].row, Some(7));
        assert!(
            found[1].message_id.contains("nomor telepon pada 2 baris"),
            "{}",
            found[1].message_id
        );
        assert!(Seen::default().findings(1, "x").is_empty());
    }
}
