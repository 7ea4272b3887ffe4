//! The quality score of a dataset, computed and explained the way data.gouv.fr scores its
//! metadata: one point per criterion met, each criterion with what it asks and why it matters.

use satudata_core::{DataStandard, DatasetMetadata};

use crate::timeliness::Timeliness;
use crate::{Lang, tr};

/// Licences under which data is open (the `license` values of the metadata standard).
pub const OPEN_LICENSES: [&str; 4] = ["cc-by", "cc-by-sa", "cc0", "odbl"];

/// A description at least this long (in characters) says enough to be found and understood.
pub const DESCRIPTION_CHARS: usize = 100;

/// What the score is computed from.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The dataset's metadata.
    pub metadata: &'a DatasetMetadata,
    /// Its data standard, when it exists.
    pub standard: Option<&'a DataStandard>,
    /// Where it stands against its frequency.
    pub timeliness: Timeliness,
    /// The formats its newest release is downloadable in (`CSV`, `Parquet`).
    pub formats: &'a [&'a str],
    /// Whether its newest release was published from a submission valid against its standard.
    pub valid: bool,
}

/// One criterion and whether the dataset meets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    /// Its stable key (`license`, `temporal`, ...), also the anchor on the page.
    pub key: &'static str,
    /// Whether it is met.
    pub met: bool,
    /// What it asks, Indonesian and English.
    pub label: (&'static str, &'static str),
    /// Why it matters and how to meet it, Indonesian and English.
    pub why: (&'static str, &'static str),
}

impl Criterion {
    /// What it asks, in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        tr(lang, self.label.0, self.label.1)
    }

    /// Why it matters, in `lang`.
    pub fn why(&self, lang: Lang) -> &'static str {
        tr(lang, self.why.0, self.why.1)
    }
}

/// A dataset's score: its criteria, met or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quality {
    /// Every criterion, in the order the page lists them.
    pub criteria: Vec<Criterion>,
}

impl Quality {
    /// How many criteria are met.
    pub fn met(&self) -> usize {
        self.criteria.iter().filter(|c| c.met).count()
    }

    /// The score out of 100, rounded.
    pub fn percent(&self) -> u32 {
        if self.criteria.is_empty() {
            return 0;
        }
        ((self.met() * 100 + self.criteria.len() / 2) / self.criteria.len()) as u32
    }
}

fn filled(metadata: &DatasetMetadata, key: &str) -> bool {
    metadata.text(key).is_some_and(|t| !t.trim().is_empty())
}

fn temporal(metadata: &DatasetMetadata) -> bool {
    metadata
        .rest
        .get("temporal_coverage")
        .and_then(|t| t.get("start"))
        .and_then(serde_json::Value::as_str)
        .is_some_and(|s| !s.trim().is_empty())
}

fn documented(standard: Option<&DataStandard>) -> bool {
    standard.is_some_and(|s| {
        !s.kolom.is_empty()
            && s.kolom
                .iter()
                .all(|c| !c.konsep.trim().is_empty() && !c.definisi.trim().is_empty())
    })
}

/// Scores a dataset.
pub fn score(inputs: &Inputs<'_>) -> Quality {
    let m = inputs.metadata;
    let license = m.text("license").unwrap_or("");
    let description = m.text("description").unwrap_or("").trim().chars().count();
    let on_time = matches!(inputs.timeliness, Timeliness::OnTime { .. } | Timeliness::Unscheduled);
    let open_format = inputs.formats.iter().any(|f| matches!(*f, "CSV" | "Parquet" | "JSON"));
    let criteria = vec![
        Criterion {
            key: "license",
            met: OPEN_LICENSES.contains(&license),
            label: ("Lisensi terbuka", "Open licence"),
            why: (
                "Lisensi terbuka (CC-BY, CC-BY-SA, CC0, ODbL) memberi tahu pengguna bahwa data boleh dipakai ulang.",
                "An open licence (CC-BY, CC-BY-SA, CC0, ODbL) tells users they may reuse the data.",
            ),
        },
        Criterion {
            key: "temporal",
            met: temporal(m),
            label: ("Cakupan waktu diisi", "Temporal coverage given"),
            why: (
                "Periode awal dan akhir data membantu pengguna tahu tahun berapa yang tercakup.",
                "The first and last period tell users which years the data covers.",
            ),
        },
        Criterion {
            key: "spatial",
            met: filled(m, "spatial_coverage"),
            label: ("Cakupan wilayah diisi", "Spatial coverage given"),
            why: (
                "Kode wilayah Kemendagri menunjukkan wilayah yang dicakup data.",
                "A Kemendagri region code shows which area the data covers.",
            ),
        },
        Criterion {
            key: "frequency",
            met: filled(m, "frequency"),
            label: ("Frekuensi penerbitan diisi", "Update frequency given"),
            why: (
                "Frekuensi penerbitan memberi tahu kapan data diperbarui.",
                "The update frequency tells users when new data comes.",
            ),
        },
        Criterion {
            key: "timely",
            met: on_time,
            label: ("Diperbarui tepat waktu", "Updated on time"),
            why: (
                "Rilis terbaru tidak melewati jadwal menurut frekuensi penerbitannya.",
                "The newest release is not past the schedule its frequency sets.",
            ),
        },
        Criterion {
            key: "description",
            met: description >= DESCRIPTION_CHARS,
            label: ("Uraian yang cukup", "A sufficient description"),
            why: (
                "Uraian minimal 100 karakter menjelaskan isi, cakupan, dan cara pengumpulan data.",
                "A description of at least 100 characters explains what the data holds, covers and how it was collected.",
            ),
        },
        Criterion {
            key: "formats",
            met: open_format,
            label: ("Format terbuka", "Open formats"),
            why: (
                "Data dapat diunduh dalam format terbuka yang dibaca mesin (CSV, Parquet).",
                "The data can be downloaded in open, machine-readable formats (CSV, Parquet).",
            ),
        },
        Criterion {
            key: "valid",
            met: inputs.valid && inputs.standard.is_some(),
            label: ("Sesuai standar data", "Valid against its standard"),
            why: (
                "Rilis terbit dari kiriman yang lolos pemeriksaan terhadap standar data.",
                "The release was published from a submission that passed the checks of its data standard.",
            ),
        },
        Criterion {
            key: "columns",
            met: documented(inputs.standard),
            label: ("Kolom terdokumentasi", "Documented columns"),
            why: (
                "Setiap kolom memiliki konsep dan definisi (MS-Var) sehingga isinya tidak disalahartikan.",
                "Every column has a concept and a definition (MS-Var), so its content is not misread.",
            ),
        },
    ];
    Quality { criteria }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn metadata(json: serde_json::Value) -> DatasetMetadata {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn each_criterion_counts_one_point_and_says_why() {
        let full = metadata(serde_json::json!({
            "name": "penduduk", "organization": "disdukcapil", "standard": "s",
            "license": "cc-by", "frequency": "tahunan", "spatial_coverage": "61.71",
            "temporal_coverage": {"start": "2020"},
            "description": "x".repeat(120),
        }));
        let on_time = Timeliness::OnTime {
            due: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
        };
        let q = score(&Inputs {
            metadata: &full,
            standard: None,
            timeliness: on_time,
            formats: &["CSV", "Parquet"],
            valid: true,
        });
        // Without a standard: neither valid against it nor documented columns.
        let unmet: Vec<_> = q.criteria.iter().filter(|c| !c.met).map(|c| c.key).collect();
        assert_eq!(unmet, ["valid", "columns"]);
        assert_eq!((q.met(), q.percent()), (7, 78));

        let bare = metadata(serde_json::json!({
            "name": "x", "organization": "o", "standard": "s", "license": "tertutup", "description": "pendek",
        }));
        let late = Timeliness::Late {
            due: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            days: 3,
        };
        let q = score(&Inputs {
            metadata: &bare,
            standard: None,
            timeliness: late,
            formats: &[],
            valid: false,
        });
        assert_eq!((q.met(), q.percent()), (0, 0));
        assert!(
            q.criteria
                .iter()
                .all(|c| !c.why(Lang::Id).is_empty() && !c.label(Lang::En).is_empty())
        );
    }
}
