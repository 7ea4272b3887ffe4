//! Periods a submission or a row is about (`2024`, `2024-S1`, `2024-Q1`, `2024-03`, `2024-W05`,
//! `2024-03-31`) and the dataset frequencies (`frequency`: tahunan, bulanan, …) that allow them.
//!
//! A period is a span of days: [`Period::start`] to [`Period::end`], both inclusive, so that a
//! month is inside its year and a quarter contains its months ([`Period::contains`]). A dataset
//! published `bulanan` takes a month or a longer period (a whole year of monthly rows), never a
//! day; an unknown or irregular frequency takes any well-formed period.
//!
//! ```
//! use satudata_core::{Frequency, Period};
//! let q1 = Period::parse("2024-q1", Some(Frequency::Triwulanan)).unwrap();
//! assert_eq!(q1.to_string(), "2024-Q1");
//! assert!(q1.contains(&Period::parse("2024-02", None).unwrap()));
//! assert!(Period::parse("2024-13", None).is_err());
//! assert!(Period::parse("2024-03", Some(Frequency::Tahunan)).is_err());
//! ```

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::messages::{self, Lang};

/// How often a dataset is published: the metadata standard's `frequency` words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    /// Every day.
    Harian,
    /// Every week.
    Mingguan,
    /// Every month.
    Bulanan,
    /// Every quarter.
    Triwulanan,
    /// Every half year.
    Semesteran,
    /// Every year.
    Tahunan,
    /// Every five years (a census year).
    LimaTahunan,
    /// At no fixed interval.
    TidakTetap,
}

impl Frequency {
    /// Every frequency, shortest first.
    pub const ALL: [Frequency; 8] = [
        Self::Harian,
        Self::Mingguan,
        Self::Bulanan,
        Self::Triwulanan,
        Self::Semesteran,
        Self::Tahunan,
        Self::LimaTahunan,
        Self::TidakTetap,
    ];

    /// The word used in metadata (`tahunan`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Harian => "harian",
            Self::Mingguan => "mingguan",
            Self::Bulanan => "bulanan",
            Self::Triwulanan => "triwulanan",
            Self::Semesteran => "semesteran",
            Self::Tahunan => "tahunan",
            Self::LimaTahunan => "lima-tahunan",
            Self::TidakTetap => "tidak-tetap",
        }
    }

    /// The frequency a metadata word names, if any (case and surrounding spaces ignored).
    pub fn from_word(word: &str) -> Option<Self> {
        let word = word.trim().to_lowercase();
        Self::ALL.into_iter().find(|f| f.as_str() == word)
    }

    /// The kinds of period a submission of this frequency may be about, shortest first: the
    /// frequency's own and the longer ones made of whole periods of it.
    pub fn accepts(self) -> &'static [PeriodKind] {
        use PeriodKind::*;
        const FROM_DAY: &[PeriodKind] = &[Day, Week, Month, Quarter, Half, Year];
        match self {
            Self::Harian | Self::TidakTetap => FROM_DAY,
            Self::Mingguan => &FROM_DAY[1..],
            Self::Bulanan => &FROM_DAY[2..],
            Self::Triwulanan => &FROM_DAY[3..],
            Self::Semesteran => &FROM_DAY[4..],
            Self::Tahunan | Self::LimaTahunan => &FROM_DAY[5..],
        }
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Frequency {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        Self::from_word(s).ok_or_else(|| crate::Error::invalid("frequency", s))
    }
}

/// The kind of a [`Period`], shortest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKind {
    /// A day (`2024-03-31`).
    Day,
    /// An ISO week (`2024-W05`).
    Week,
    /// A month (`2024-03`).
    Month,
    /// A quarter, triwulan (`2024-Q1`).
    Quarter,
    /// A half year, semester (`2024-S1`).
    Half,
    /// A year (`2024`).
    Year,
}

impl PeriodKind {
    /// Every kind, shortest first.
    pub const ALL: &'static [PeriodKind] = &[
        Self::Day,
        Self::Week,
        Self::Month,
        Self::Quarter,
        Self::Half,
        Self::Year,
    ];

    /// The catalog key naming this kind with an example (`period.form.month`).
    fn form_key(self) -> &'static str {
        match self {
            Self::Day => "period.form.day",
            Self::Week => "period.form.week",
            Self::Month => "period.form.month",
            Self::Quarter => "period.form.quarter",
            Self::Half => "period.form.half",
            Self::Year => "period.form.year",
        }
    }

    /// The catalog key naming one period of this kind (`period.kind.month`: "a month").
    fn kind_key(self) -> &'static str {
        match self {
            Self::Day => "period.kind.day",
            Self::Week => "period.kind.week",
            Self::Month => "period.kind.month",
            Self::Quarter => "period.kind.quarter",
            Self::Half => "period.kind.half",
            Self::Year => "period.kind.year",
        }
    }
}

/// A period a submission or a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A year.
    Year(i32),
    /// A half year: the year and 1 or 2.
    Half(i32, u8),
    /// A quarter: the year and 1 to 4.
    Quarter(i32, u8),
    /// A month: the year and 1 to 12.
    Month(i32, u8),
    /// An ISO 8601 week: the ISO year and 1 to 53.
    Week(i32, u8),
    /// A day.
    Day(NaiveDate),
}

impl Period {
    /// Reads a period written `2024`, `2024-S1`, `2024-Q1`, `2024-03`, `2024-W05` or
    /// `2024-03-31`, and refuses a kind `frequency` does not allow (any kind when `None`).
    pub fn parse(text: &str, frequency: Option<Frequency>) -> Result<Period, PeriodError> {
        let refuse = |problem| PeriodError {
            text: messages::clip(Lang::En, text).into_owned(),
            frequency,
            problem,
        };
        let period = read(text.trim()).ok_or_else(|| refuse(PeriodProblem::Malformed))?;
        match frequency {
            Some(f) if !f.accepts().contains(&period.kind()) => Err(refuse(PeriodProblem::NotAllowed(period.kind()))),
            _ => Ok(period),
        }
    }

    /// What kind of period this is.
    pub fn kind(&self) -> PeriodKind {
        match self {
            Self::Year(_) => PeriodKind::Year,
            Self::Half(..) => PeriodKind::Half,
            Self::Quarter(..) => PeriodKind::Quarter,
            Self::Month(..) => PeriodKind::Month,
            Self::Week(..) => PeriodKind::Week,
            Self::Day(_) => PeriodKind::Day,
        }
    }

    /// Its first day.
    pub fn start(&self) -> NaiveDate {
        let first = |year, month| NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN);
        match *self {
            Self::Year(y) => first(y, 1),
            Self::Half(y, h) => first(y, u32::from(h) * 6 - 5),
            Self::Quarter(y, q) => first(y, u32::from(q) * 3 - 2),
            Self::Month(y, m) => first(y, u32::from(m)),
            Self::Week(y, w) => NaiveDate::from_isoywd_opt(y, u32::from(w), Weekday::Mon).unwrap_or(NaiveDate::MIN),
            Self::Day(d) => d,
        }
    }

    /// Its last day.
    pub fn end(&self) -> NaiveDate {
        let last = |year: i32, month: u32| {
            let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
            NaiveDate::from_ymd_opt(y, m, 1)
                .and_then(|d| d.pred_opt())
                .unwrap_or(NaiveDate::MAX)
        };
        match *self {
            Self::Year(y) => last(y, 12),
            Self::Half(y, h) => last(y, u32::from(h) * 6),
            Self::Quarter(y, q) => last(y, u32::from(q) * 3),
            Self::Month(y, m) => last(y, u32::from(m)),
            Self::Week(y, w) => NaiveDate::from_isoywd_opt(y, u32::from(w), Weekday::Sun).unwrap_or(NaiveDate::MAX),
            Self::Day(d) => d,
        }
    }

    /// Whether every day of `other` is a day of this period (`2024` contains `2024-03`).
    pub fn contains(&self, other: &Period) -> bool {
        self.start() <= other.start() && other.end() <= self.end()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Year(y) => write!(f, "{y}"),
            Self::Half(y, h) => write!(f, "{y}-S{h}"),
            Self::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Self::Month(y, m) => write!(f, "{y}-{m:02}"),
            Self::Week(y, w) => write!(f, "{y}-W{w:02}"),
            Self::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

/// The well-formed period `text` writes, whatever the frequency.
fn read(text: &str) -> Option<Period> {
    let year = |s: &str| -> Option<i32> {
        (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0'))
            .then(|| s.parse().ok())
            .flatten()
    };
    let number = |s: &str, digits: usize, max: u8| -> Option<u8> {
        (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
            .filter(|n| (1..=max).contains(n))
    };
    let mut parts = text.splitn(3, '-');
    let y = year(parts.next()?)?;
    let Some(second) = parts.next() else {
        return Some(Period::Year(y));
    };
    if let Some(day) = parts.next() {
        let (m, d) = (number(second, 2, 12)?, number(day, 2, 31)?);
        return NaiveDate::from_ymd_opt(y, u32::from(m), u32::from(d)).map(Period::Day);
    }
    let (letter, rest) = second.split_at(second.chars().next().filter(char::is_ascii_alphabetic).map_or(0, |_| 1));
    match letter.to_ascii_uppercase().as_str() {
        "" => number(rest, 2, 12).map(|m| Period::Month(y, m)),
        "Q" => number(rest, 1, 4).map(|q| Period::Quarter(y, q)),
        "S" => number(rest, 1, 2).map(|h| Period::Half(y, h)),
        "W" => number(rest, 2, 53)
            .filter(|&w| NaiveDate::from_isoywd_opt(y, u32::from(w), Weekday::Mon).is_some())
            .map(|w| Period::Week(y, w)),
        _ => None,
    }
}

/// Why a text is not a period a submission may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodProblem {
    /// It is no period at all (`kemarin`, `2024-13`, `2024-Q5`).
    Malformed,
    /// It is a period of a kind the dataset's frequency does not allow (a month for a yearly dataset).
    NotAllowed(PeriodKind),
}

/// A text refused as a period, with what would have been accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError {
    /// The text as given (cut to [`messages::QUOTE_CHARS`] characters).
    pub text: String,
    /// The dataset's frequency, when one was known.
    pub frequency: Option<Frequency>,
    /// What is wrong with it.
    pub problem: PeriodProblem,
}

impl PeriodError {
    /// The catalog key of the message.
    pub fn key(&self) -> &'static str {
        match self.problem {
            PeriodProblem::Malformed => "period.malformed",
            PeriodProblem::NotAllowed(_) => "period.not-allowed",
        }
    }

    /// The message in `lang`, naming the forms accepted.
    pub fn message(&self, lang: Lang) -> String {
        let forms = accepted_forms(lang, self.frequency);
        let frequency = self.frequency.map(|f| frequency_name(lang, f)).unwrap_or_default();
        let kind = match self.problem {
            PeriodProblem::NotAllowed(kind) => messages::render(lang, kind.kind_key(), &[]),
            PeriodProblem::Malformed => String::new(),
        };
        messages::render(
            lang,
            self.key(),
            &[
                ("value", &self.text),
                ("forms", &forms),
                ("frequency", &frequency),
                ("kind", &kind),
            ],
        )
    }
}

impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for PeriodError {}

/// A frequency as people read it in `lang` (`tahunan`; `yearly (tahunan)`).
pub fn frequency_name(lang: Lang, frequency: Frequency) -> String {
    messages::render(lang, &format!("frequency.{}", frequency.as_str()), &[])
}

/// The period forms `frequency` accepts (all when `None`), with examples, joined for `lang`:
/// `2024-03 (bulan), 2024-Q1 (triwulan), 2024-S1 (semester) atau 2024 (tahun)`.
pub fn accepted_forms(lang: Lang, frequency: Option<Frequency>) -> String {
    let kinds = frequency.map_or(PeriodKind::ALL, Frequency::accepts);
    let forms: Vec<String> = kinds
        .iter()
        .map(|k| messages::render(lang, k.form_key(), &[]))
        .collect();
    match forms.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!(
                "{} {} {last}",
                rest.join(", "),
                messages::render(lang, "period.or", &[])
            )
        }
        _ => forms.concat(),
    }
}

/// The span of days a release's rows cover, written at the coarsest kind that fits its ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    /// The first day covered.
    pub start: NaiveDate,
    /// The last day covered.
    pub end: NaiveDate,
}

impl Coverage {
    /// The days of one period.
    pub fn of(period: &Period) -> Self {
        Coverage {
            start: period.start(),
            end: period.end(),
        }
    }

    /// Widens the span to take in `period`.
    pub fn include(&mut self, period: &Period) {
        self.start = self.start.min(period.start());
        self.end = self.end.max(period.end());
    }

    /// The part of this span inside `other` (`other` itself when they do not meet).
    pub fn within(&self, other: &Coverage) -> Coverage {
        let (start, end) = (self.start.max(other.start), self.end.min(other.end));
        if start <= end { Coverage { start, end } } else { *other }
    }

    /// Its ends as text: years (`2024`) when they are whole years, months (`2024-01`) when whole
    /// months, else days (`2024-03-31`).
    pub fn texts(&self) -> (String, String) {
        let (s, e) = (self.start, self.end);
        let month_ends = s.day() == 1 && e.succ_opt().is_none_or(|next| next.day() == 1);
        if month_ends && s.month() == 1 && e.month() == 12 {
            (s.year().to_string(), e.year().to_string())
        } else if month_ends {
            (s.format("%Y-%m").to_string(), e.format("%Y-%m").to_string())
        } else {
            (s.format("%Y-%m-%d").to_string(), e.format("%Y-%m-%d").to_string())
        }
    }

    /// The metadata's `temporal_coverage` object: `{"start": "2024", "end": "2025"}`.
    pub fn to_json(&self) -> serde_json::Value {
        let (start, end) = self.texts();
        serde_json::json!({ "start": start, "end": end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Period {
        Period::parse(text, None).unwrap()
    }

    #[test]
    fn every_form_reads_and_writes_itself() {
        for text in [
            "2024",
            "2024-S2",
            "2024-Q1",
            "2024-03",
            "2024-W05",
            "2024-02-29",
            "2020-W53",
        ] {
            assert_eq!(p(text).to_string(), text);
        }
        assert_eq!(p(" 2024-q3 ").to_string(), "2024-Q3");
        assert_eq!(p("2024-s1"), Period::Half(2024, 1));
    }

    #[test]
    fn impossible_periods_are_refused() {
        for text in [
            "kemarin",
            "2024-13",
            "2024-00",
            "2024-Q5",
            "2024-Q0",
            "2024-S3",
            "2023-02-29",
            "2024-3",
            "24",
            "0999",
            "2024-",
            "2024-W54",
            "2024-W53",
            "2024-03-31-1",
            "",
            "２０２４",
        ] {
            let e = Period::parse(text, None).unwrap_err();
            assert_eq!(e.problem, PeriodProblem::Malformed, "{text}");
        }
    }

    #[test]
    fn spans_nest() {
        assert_eq!(p("2024-Q1").start().to_string(), "2024-01-01");
        assert_eq!(p("2024-Q1").end().to_string(), "2024-03-31");
        assert_eq!(p("2024-S2").start().to_string(), "2024-07-01");
        assert_eq!(p("2024-02").end().to_string(), "2024-02-29");
        assert_eq!(p("2024-W01").start().to_string(), "2024-01-01");
        assert_eq!(p("2024-W01").end().to_string(), "2024-01-07");
        assert!(p("2024").contains(&p("2024-03")));
        assert!(p("2024-Q1").contains(&p("2024-02")));
        assert!(!p("2024-Q1").contains(&p("2024-04")));
        assert!(!p("2024-03").contains(&p("2024")));
        assert!(p("2024-03").contains(&p("2024-03-31")));
    }

    #[test]
    fn the_frequency_decides_the_kinds() {
        let yearly = Some(Frequency::Tahunan);
        assert!(Period::parse("2024", yearly).is_ok());
        let e = Period::parse("2024-03", yearly).unwrap_err();
        assert_eq!(e.problem, PeriodProblem::NotAllowed(PeriodKind::Month));
        assert!(
            Period::parse("2024", Some(Frequency::Bulanan)).is_ok(),
            "a whole year of months"
        );
        assert!(Period::parse("2024-03-31", Some(Frequency::Bulanan)).is_err());
        assert!(Period::parse("2024-03-31", Some(Frequency::Harian)).is_ok());
        assert!(Period::parse("2024-W05", Some(Frequency::TidakTetap)).is_ok());
        assert_eq!(Frequency::from_word(" Lima-Tahunan"), Some(Frequency::LimaTahunan));
        assert_eq!(Frequency::from_word("kadang-kadang"), None);
    }

    #[test]
    fn messages_name_the_accepted_forms() {
        let e = Period::parse("2024-13", Some(Frequency::Triwulanan)).unwrap_err();
        let id = e.message(Lang::Id);
        assert!(id.contains("\"2024-13\"") && id.contains("2024-Q1 (triwulan)"), "{id}");
        assert!(id.contains(" atau 2024 (tahun)") && !id.contains("2024-03 ("), "{id}");
        let en = e.message(Lang::En);
        assert!(
            en.contains("2024-Q1 (quarter)") && en.contains(" or 2024 (year)"),
            "{en}"
        );
        let e = Period::parse("2024-03", Some(Frequency::Tahunan)).unwrap_err();
        assert!(e.message(Lang::Id).contains("tahunan"), "{}", e.message(Lang::Id));
        assert!(e.to_string().contains("a month"), "{e}");
        for lang in [Lang::Id, Lang::En] {
            for f in Frequency::ALL {
                assert!(!frequency_name(lang, f).starts_with("frequency."), "{f}");
            }
            assert!(!accepted_forms(lang, None).contains("period."));
        }
    }

    #[test]
    fn coverage_is_written_at_the_coarsest_kind() {
        let mut c = Coverage::of(&p("2024"));
        assert_eq!(c.texts(), ("2024".into(), "2024".into()));
        c.include(&p("2025-06"));
        assert_eq!(c.texts(), ("2024-01".into(), "2025-06".into()));
        c.include(&p("2023-12-31"));
        assert_eq!(c.texts(), ("2023-12-31".into(), "2025-06-30".into()));
        let year = Coverage::of(&p("2024"));
        assert_eq!(year.within(&Coverage::of(&p("2024-03"))), Coverage::of(&p("2024-03")));
        assert_eq!(Coverage::of(&p("2024-03")).within(&year), Coverage::of(&p("2024-03")));
        assert_eq!(Coverage::of(&p("2023")).within(&year), year);
        assert_eq!(
            Coverage::of(&p("2024-Q2")).to_json(),
            serde_json::json!({"start": "2024-04", "end": "2024-06"})
        );
    }
}
