//! Timeliness: when a dataset's next release is due, from its frekuensi penerbitan and its last
//! release, and whether it is late (*terlambat*). The regulations require current data, so the
//! portal shows this on every dataset and organization.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use satudata_core::Frequency;

use crate::{Lang, format, tr};

/// Where a dataset stands against its frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// Not yet published.
    Unpublished,
    /// Published at no fixed interval (`tidak-tetap`, or no frequency): nothing is due.
    Unscheduled,
    /// The next release is due on this day, which has not passed.
    OnTime {
        /// When the next release is due.
        due: NaiveDate,
    },
    /// The next release was due on this day, which has passed.
    Late {
        /// When the next release was due.
        due: NaiveDate,
        /// How many days ago.
        days: i64,
    },
}

/// The time after one release that the next is due.
fn interval(frequency: Frequency) -> Option<Interval> {
    Some(match frequency {
        Frequency::Harian => Interval::Days(1),
        Frequency::Mingguan => Interval::Days(7),
        Frequency::Bulanan => Interval::Months(1),
        Frequency::Triwulanan => Interval::Months(3),
        Frequency::Semesteran => Interval::Months(6),
        Frequency::Tahunan => Interval::Months(12),
        Frequency::LimaTahunan => Interval::Months(60),
        Frequency::TidakTetap => return None,
    })
}

enum Interval {
    Days(u64),
    Months(u32),
}

/// The day the release after one published `last` is due, for `frequency`.
pub fn next_due(frequency: Frequency, last: DateTime<Utc>) -> Option<NaiveDate> {
    let day = last.date_naive();
    match interval(frequency)? {
        Interval::Days(n) => day.checked_add_days(Days::new(n)),
        Interval::Months(n) => day.checked_add_months(Months::new(n)),
    }
}

/// Where a dataset of `frequency` whose last release was published `last` stands `now`.
pub fn timeliness(frequency: Option<Frequency>, last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Timeliness {
    let Some(last) = last else {
        return Timeliness::Unpublished;
    };
    let Some(due) = frequency.and_then(|f| next_due(f, last)) else {
        return Timeliness::Unscheduled;
    };
    let today = now.date_naive();
    if today > due {
        Timeliness::Late {
            due,
            days: (today - due).num_days(),
        }
    } else {
        Timeliness::OnTime { due }
    }
}

impl Timeliness {
    /// Whether the dataset is late.
    pub fn is_late(self) -> bool {
        matches!(self, Timeliness::Late { .. })
    }

    /// A short label: `Tepat waktu`, `Terlambat`, `Tidak terjadwal`, `Belum terbit`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Timeliness::Unpublished => tr(lang, "Belum terbit", "Not yet published"),
            Timeliness::Unscheduled => tr(lang, "Tidak terjadwal", "No fixed schedule"),
            Timeliness::OnTime { .. } => tr(lang, "Tepat waktu", "Up to date"),
            Timeliness::Late { .. } => tr(lang, "Terlambat", "Overdue"),
        }
    }

    /// The CSS class of its badge.
    pub fn class(self) -> &'static str {
        match self {
            Timeliness::Late { .. } => "badge late",
            Timeliness::OnTime { .. } => "badge ok",
            _ => "badge",
        }
    }

    /// One sentence saying when the next release is or was due.
    pub fn sentence(self, lang: Lang) -> String {
        match self {
            Timeliness::Unpublished => tr(
                lang,
                "Dataset ini belum memiliki rilis.",
                "This dataset has no release yet.",
            )
            .into(),
            Timeliness::Unscheduled => tr(
                lang,
                "Dataset ini diterbitkan tidak tetap, jadi tidak ada jadwal pembaruan berikutnya.",
                "This dataset is published at no fixed interval, so no next update is scheduled.",
            )
            .into(),
            Timeliness::OnTime { due } => match lang {
                Lang::Id => format!(
                    "Pembaruan berikutnya diharapkan paling lambat {}.",
                    format::date(lang, due)
                ),
                Lang::En => format!("The next update is expected by {}.", format::date(lang, due)),
            },
            Timeliness::Late { due, days } => match lang {
                Lang::Id => format!(
                    "Pembaruan seharusnya terbit paling lambat {} ({days} hari yang lalu).",
                    format::date(lang, due)
                ),
                Lang::En => format!("The update was due by {} ({days} days ago).", format::date(lang, due)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_next_update_follows_the_frequency_and_late_is_after_it() {
        let last = at("2026-01-31T08:00:00Z");
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(next_due(Frequency::Bulanan, last), Some(day(2026, 2, 28)));
        assert_eq!(next_due(Frequency::Tahunan, last), Some(day(2027, 1, 31)));
        assert_eq!(next_due(Frequency::Mingguan, last), Some(day(2026, 2, 7)));
        assert_eq!(next_due(Frequency::LimaTahunan, last), Some(day(2031, 1, 31)));
        assert_eq!(next_due(Frequency::TidakTetap, last), None);
        let f = Some(Frequency::Bulanan);
        assert_eq!(
            timeliness(f, Some(last), at("2026-02-28T23:00:00Z")),
            Timeliness::OnTime { due: day(2026, 2, 28) }
        );
        let late = timeliness(f, Some(last), at("2026-03-10T00:00:00Z"));
        assert_eq!(
            late,
            Timeliness::Late {
                due: day(2026, 2, 28),
                days: 10
            }
        );
        assert!(late.is_late());
        assert_eq!(late.label(Lang::Id), "Terlambat");
        assert!(late.sentence(Lang::Id).contains("28 Februari 2026 (10 hari yang lalu)"));
        assert_eq!(timeliness(f, None, last), Timeliness::Unpublished);
        assert_eq!(timeliness(None, Some(last), last), Timeliness::Unscheduled);
    }
}
