//! What a type error tells the PD: the column's type in words and a value written the way the
//! column wants it, taken from the standard where it can be.
//!
//! The example is the column's own `contoh` when the standard gives one, else the first code of
//! its code list (of the level the column asks for), else a value of its type written in its
//! `format` (decimal mark, date layout, words for true and false, list separator).

use satudata_core::messages::{render, type_name};
use satudata_core::wilayah::{self, Level};
use satudata_core::{CodeList, Column, DataType, Lang};

/// The words and the example a column's type errors show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hint {
    /// The type in Indonesian words (`bilangan bulat`).
    pub(crate) type_id: String,
    /// The type in English words (`whole number`).
    pub(crate) type_en: String,
    /// A value written as the column wants it (`61.71.03.1002`).
    pub(crate) example: String,
}

impl Hint {
    /// The hint for `column`, whose code list (when it has one) is among `code_lists`.
    pub(crate) fn new(column: &Column, code_lists: &[CodeList]) -> Hint {
        let example = column
            .contoh
            .clone()
            .or_else(|| first_code(column, code_lists))
            .unwrap_or_else(|| default_example(column));
        Hint {
            type_id: words(Lang::Id, column),
            type_en: words(Lang::En, column),
            example,
        }
    }
}

/// The column's type in words: a list names its items' type, a text its form.
fn words(lang: Lang, column: &Column) -> String {
    let format = column.format.as_ref();
    match column.tipe_data {
        DataType::List => {
            let item = format.and_then(|f| f.tipe_isi).unwrap_or(DataType::String);
            render(lang, "type.list-of", &[("item", &type_name(lang, item))])
        }
        DataType::String => match format.and_then(|f| f.teks.as_deref()) {
            Some(form @ ("email" | "uri" | "uuid")) => render(lang, &format!("type.string.{form}"), &[]),
            _ => type_name(lang, DataType::String),
        },
        kind => type_name(lang, kind),
    }
}

/// The first code of the column's code list; for a region code column of a set level, the first
/// code of that level.
fn first_code(column: &Column, code_lists: &[CodeList]) -> Option<String> {
    let id = column.klasifikasi.as_ref()?;
    let list = code_lists.iter().find(|l| &l.id == id)?;
    let wanted = column.aturan_validasi.tingkat_wilayah;
    list.isian
        .iter()
        .map(|e| &e.kode)
        .find(|code| match wanted {
            Some(level) if column.tipe_data == DataType::KodeWilayah => wilayah::level(code) == Some(level),
            _ => true,
        })
        .cloned()
}

/// `candidate` moved inside the column's minimum and maximum when it lies outside them (a
/// month column bounded 1 to 12 gets 12, not 1250); `None` when it already lies inside.
fn within_bounds(column: &Column, candidate: f64, whole: bool) -> Option<f64> {
    let rules = &column.aturan_validasi;
    let step = if whole { 1.0 } else { 0.5 };
    let low = match (rules.minimum, rules.minimum_eksklusif) {
        (_, Some(m)) => Some(if whole { m.floor() + 1.0 } else { m + step }),
        (Some(m), None) => Some(if whole { m.ceil() } else { m }),
        (None, None) => None,
    };
    let high = match (rules.maksimum, rules.maksimum_eksklusif) {
        (_, Some(m)) => Some(if whole { m.ceil() - 1.0 } else { m - step }),
        (Some(m), None) => Some(if whole { m.floor() } else { m }),
        (None, None) => None,
    };
    match (low, high) {
        (Some(l), _) if candidate < l => Some(l),
        (_, Some(h)) if candidate > h => Some(h),
        _ => None,
    }
}

/// A value of the column's type, written in its `format`.
fn default_example(column: &Column) -> String {
    let format = column.format.as_ref();
    let layout = format.and_then(|f| f.tanggal.as_deref());
    let day = chrono::NaiveDate::from_ymd_opt(2024, 8, 17).unwrap_or_default();
    let moment = day.and_hms_opt(10, 30, 0).unwrap_or_default();
    let written = |default: &str, shown: &dyn Fn(&str) -> String| layout.map_or_else(|| default.to_owned(), shown);
    match column.tipe_data {
        DataType::String => match format.and_then(|f| f.teks.as_deref()) {
            Some("email") => "nama@contoh.go.id".into(),
            Some("uri") => "https://data.contoh.go.id".into(),
            Some("uuid") => "123e4567-e89b-12d3-a456-426614174000".into(),
            _ => "teks".into(),
        },
        DataType::Integer => match within_bounds(column, 1250.0, true) {
            Some(n) => format!("{n:.0}"),
            None => "1250".into(),
        },
        DataType::Number => {
            let mark = match format.and_then(|f| f.desimal.as_deref()) {
                Some(".") => ".",
                _ => ",",
            };
            match within_bounds(column, 12.5, false) {
                Some(n) => n.to_string().replace('.', mark),
                None => format!("12{mark}5"),
            }
        }
        DataType::Boolean => {
            let first = |values: Option<&Vec<String>>, default: &str| {
                values
                    .and_then(|v| v.first())
                    .cloned()
                    .unwrap_or_else(|| default.to_owned())
            };
            let yes = first(format.and_then(|f| f.nilai_benar.as_ref()), "ya");
            let no = first(format.and_then(|f| f.nilai_salah.as_ref()), "tidak");
            format!("{yes} / {no}")
        }
        DataType::Date => written("2024-08-17", &|l| day.format(l).to_string()),
        DataType::Datetime => written("2024-08-17T10:30:00", &|l| moment.format(l).to_string()),
        DataType::Time => written("10:30", &|l| moment.time().format(l).to_string()),
        DataType::Year => "2024".into(),
        DataType::YearMonth => "2024-08".into(),
        DataType::KodeWilayah => match column.aturan_validasi.tingkat_wilayah {
            Some(Level::Provinsi) => "61".into(),
            Some(Level::KabupatenKota) => "61.71".into(),
            Some(Level::Kecamatan) => "61.71.03".into(),
            _ => "61.71.03.1002".into(),
        },
        DataType::Duration => "PT2H30M".into(),
        DataType::Geopoint => match format.and_then(|f| f.teks.as_deref()) {
            Some("array") => "[109.34, -0.03]".into(),
            Some("object") => r#"{"lon": 109.34, "lat": -0.03}"#.into(),
            _ => "109.34, -0.03".into(),
        },
        DataType::Geojson => match format.and_then(|f| f.teks.as_deref()) {
            Some("topojson") => r#"{"type": "Topology", "objects": {}, "arcs": []}"#.into(),
            _ => r#"{"type": "Point", "coordinates": [109.34, -0.03]}"#.into(),
        },
        DataType::Object => r#"{"nama": "nilai"}"#.into(),
        DataType::Array => "[1, 2]".into(),
        DataType::List => {
            let separator = format.and_then(|f| f.pemisah_isi.as_deref()).unwrap_or(",");
            let items: [&str; 2] = match format.and_then(|f| f.tipe_isi).unwrap_or(DataType::String) {
                DataType::Integer => ["1", "2"],
                DataType::Number => ["1.5", "2"],
                DataType::Boolean => ["true", "false"],
                DataType::Date => ["2024-08-17", "2024-08-18"],
                DataType::Datetime => ["2024-08-17T10:30:00", "2024-08-18T08:00:00"],
                DataType::Time => ["10:30:00", "14:00:00"],
                _ => ["SD", "SMP"],
            };
            items.join(separator)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use satudata_core::{CodeEntry, ValueFormat};

    fn column(kind: DataType, format: Option<ValueFormat>) -> Column {
        let mut c = satudata_core::frictionless::default_column("kolom", kind);
        // Frictionless has no region code type: the column is set as a standard writes it.
        c.tipe_data = kind;
        c.format = format;
        c
    }

    /// Whether `text` is a valid value of `column`.
    fn casts(column: &Column, text: &str) -> bool {
        let items = (column.tipe_data == DataType::List).then(|| crate::ListItems::new(column).unwrap());
        crate::cast_with(column, text, items.as_ref()).is_some()
    }

    #[test]
    fn every_default_example_is_a_valid_value() {
        let formats = |kind: DataType| -> Vec<Option<ValueFormat>> {
            let f = |edit: &dyn Fn(&mut ValueFormat)| {
                let mut v = ValueFormat::default();
                edit(&mut v);
                Some(v)
            };
            match kind {
                DataType::Number => vec![
                    None,
                    f(&|v| v.desimal = Some(".".into())),
                    f(&|v| v.desimal = Some(",".into())),
                ],
                DataType::Date => vec![None, f(&|v| v.tanggal = Some("%d/%m/%Y".into()))],
                DataType::Datetime => vec![None, f(&|v| v.tanggal = Some("%d/%m/%Y %H:%M".into()))],
                DataType::Time => vec![None, f(&|v| v.tanggal = Some("%H.%M".into()))],
                DataType::String => ["email", "uri", "uuid"]
                    .iter()
                    .map(|t| f(&|v| v.teks = Some((*t).into())))
                    .collect(),
                DataType::Geopoint => ["default", "array", "object"]
                    .iter()
                    .map(|t| f(&|v| v.teks = Some((*t).into())))
                    .collect(),
                DataType::Geojson => ["default", "topojson"]
                    .iter()
                    .map(|t| f(&|v| v.teks = Some((*t).into())))
                    .collect(),
                DataType::List => DataType::LIST_ITEMS
                    .iter()
                    .map(|t| {
                        f(&|v| {
                            v.tipe_isi = Some(*t);
                            v.pemisah_isi = Some(";".into());
                        })
                    })
                    .collect(),
                _ => vec![None],
            }
        };
        for kind in DataType::ALL {
            for format in formats(*kind) {
                let c = column(*kind, format.clone());
                let example = Hint::new(&c, &[]).example;
                if *kind == DataType::Boolean {
                    let (yes, no) = example.split_once(" / ").unwrap();
                    assert!(casts(&c, yes) && casts(&c, no), "{kind} {format:?}: {example}");
                } else {
                    assert!(casts(&c, &example), "{kind} {format:?}: {example}");
                }
            }
        }
    }

    #[test]
    fn the_standards_own_example_comes_first_then_the_code_list() {
        let mut c = column(DataType::KodeWilayah, None);
        c.klasifikasi = Some("wilayah".into());
        c.aturan_validasi.tingkat_wilayah = Some(Level::DesaKelurahan);
        let entry = |kode: &str| CodeEntry {
            kode: kode.into(),
            nilai: String::new(),
        };
        let list = CodeList {
            id: "wilayah".into(),
            nama: "Wilayah".into(),
            sumber: String::new(),
            isian: vec![entry("61.71"), entry("61.71.01.1001")],
        };
        let hint = Hint::new(&c, std::slice::from_ref(&list));
        assert_eq!(hint.example, "61.71.01.1001", "the first code of the level asked for");
        assert_eq!(
            (hint.type_id.as_str(), hint.type_en.as_str()),
            ("kode wilayah", "region code")
        );
        c.contoh = Some("61.71.03.1002".into());
        assert_eq!(Hint::new(&c, &[list]).example, "61.71.03.1002");
        assert_eq!(Hint::new(&column(DataType::Year, None), &[]).type_id, "tahun");
        let list_column = column(
            DataType::List,
            Some(ValueFormat {
                tipe_isi: Some(DataType::Integer),
                ..ValueFormat::default()
            }),
        );
        assert_eq!(Hint::new(&list_column, &[]).type_en, "list of whole number values");
        // A bounded number gets an example inside its bounds.
        let mut month = column(DataType::Integer, None);
        month.aturan_validasi.minimum = Some(1.0);
        month.aturan_validasi.maksimum = Some(12.0);
        assert_eq!(Hint::new(&month, &[]).example, "12");
        let mut share = column(DataType::Number, None);
        share.aturan_validasi.minimum_eksklusif = Some(50.0);
        assert_eq!(Hint::new(&share, &[]).example, "50,5");
        share.aturan_validasi = Default::default();
        share.aturan_validasi.maksimum = Some(1.0);
        assert_eq!(Hint::new(&share, &[]).example, "1");
    }
}
