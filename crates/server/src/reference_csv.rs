//! CSV import of code lists and master data: the table is read by `satudata_ingest` (so an
//! Excel export works: `;` or `,`, a UTF-8 byte order mark, Windows-1252), its columns are the
//! JSON document's entries, and the document's other fields come from the query string.
//!
//! - A code list's file has the columns `kode` and `nilai` (labels match case and spaces
//!   ignored); each row is one entry.
//! - A master data file's columns are the records' fields, as written in the header; `kunci`
//!   (query) names the key column, the first column when left out; empty cells are left out of
//!   their record.
//!
//! `nama` and `sumber` come from the query, else from the stored document being replaced;
//! a new document needs `nama`. Every problem names its row (the header is row 1) and column.

use std::collections::{BTreeMap, HashSet};

use satudata_catalog::ReferenceKind;
use satudata_core::{CodeEntry, CodeList, Lang, Localize, MasterData};
use satudata_ingest::{FileKind, IngestOptions, Table};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::Result;
use crate::reference::{Document, Problem, invalid, refuse_problems};

/// The document fields a CSV import takes from the query string.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CsvFields {
    /// The document's name (`nama`); required for a new document imported from CSV.
    pub nama: Option<String>,
    /// Where it comes from (`sumber`).
    pub sumber: Option<String>,
    /// Master data only: the key column (`kunci`); the first column when left out.
    pub kunci: Option<String>,
}

/// The document fields a code list's CSV import takes from the query string (a code list has no
/// key column to name).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CodeListFields {
    /// The code list's name (`nama`); required for a new code list imported from CSV.
    pub nama: Option<String>,
    /// Where it comes from (`sumber`).
    pub sumber: Option<String>,
}

impl From<CodeListFields> for CsvFields {
    fn from(f: CodeListFields) -> Self {
        CsvFields {
            nama: f.nama,
            sumber: f.sumber,
            kunci: None,
        }
    }
}

impl CsvFields {
    /// Whether any field is given (a JSON body takes none).
    pub fn is_empty(&self) -> bool {
        self.nama.is_none() && self.sumber.is_none() && self.kunci.is_none()
    }
}

/// Reads `bytes` as a CSV table, or refuses the document of `kind` saying why it cannot be read.
fn table(kind: ReferenceKind, bytes: &[u8]) -> Result<Table> {
    let options = IngestOptions {
        kind: Some(FileKind::Csv),
        ..IngestOptions::default()
    };
    satudata_ingest::read_csv(bytes, &options).map_err(|e| {
        let mut problem = Problem::new("csv-unreadable").value(e.localize(Lang::En)).phrased();
        problem.message_id = satudata_core::messages::render(
            Lang::Id,
            "server.reference.csv-unreadable",
            &[("value", &e.localize(Lang::Id))],
        );
        // Phrased here, in each language's words for the ingest error.
        crate::Error::InvalidDocument {
            kind: kind.name(),
            problems: vec![problem],
        }
    })
}

/// A header label as matched against the known ones.
fn normal(label: &str) -> String {
    label.trim().to_lowercase()
}

/// A cell's text, trimmed; `None` when empty.
fn cell(table: &Table, row: usize, col: usize) -> Option<&str> {
    table.cell(row, col).map(str::trim).filter(|c| !c.is_empty())
}

/// Problems of the header: duplicate and empty labels, and the rows with a cell count unlike it.
fn shape_problems(table: &Table, problems: &mut Vec<Problem>) {
    let mut seen = HashSet::new();
    for label in &table.labels {
        if !seen.insert(normal(label)) {
            problems.push(Problem::new("csv-duplicate-column").row(1).column(label));
        }
    }
    for ragged in &table.ragged {
        problems.push(
            Problem::new("csv-ragged-row")
                .row(ragged.row)
                .value(ragged.cells.to_string()),
        );
    }
}

/// The first of `fields` and `stored`'s field (through `pick`) that is set.
fn field<T>(given: &Option<String>, stored: Option<&T>, pick: impl Fn(&T) -> &String) -> Option<String> {
    given.clone().or_else(|| stored.map(|s| pick(s).clone()))
}

/// `nama`, or a problem when neither the query nor the stored document gives it.
fn nama<T>(
    fields: &CsvFields,
    stored: Option<&T>,
    pick: impl Fn(&T) -> &String,
    problems: &mut Vec<Problem>,
) -> String {
    let nama = field(&fields.nama, stored, pick).filter(|n| !n.trim().is_empty());
    if nama.is_none() {
        problems.push(Problem::new("csv-missing-field").column("nama"));
    }
    nama.unwrap_or_default()
}

/// Records each cell of `column` that is empty or repeats an earlier row's.
fn key_problems(table: &Table, col: usize, label: &str, problems: &mut Vec<Problem>) {
    let mut seen = HashSet::new();
    for i in 0..table.height() {
        let row = table.row_numbers.get(i).copied().unwrap_or_default();
        match cell(table, i, col) {
            None => problems.push(Problem::new("csv-empty-cell").row(row).column(label)),
            Some(value) if !seen.insert(value) => {
                problems.push(Problem::new("csv-duplicate-value").row(row).column(label).value(value));
            }
            Some(_) => {}
        }
    }
}

/// A code list `id` from a CSV file with the columns `kode` and `nilai`.
pub fn code_list(id: &str, bytes: &[u8], fields: &CsvFields, stored: Option<&CodeList>) -> Result<Document> {
    let kind = ReferenceKind::CodeList;
    let table = table(kind, bytes)?;
    let mut problems = Vec::new();
    shape_problems(&table, &mut problems);
    let position = |name: &str| table.labels.iter().position(|l| normal(l) == name);
    for label in &table.labels {
        if !matches!(normal(label).as_str(), "kode" | "nilai") {
            problems.push(
                Problem::new("csv-unknown-column")
                    .row(1)
                    .column(label)
                    .value("kode, nilai"),
            );
        }
    }
    let nama = nama(fields, stored, |s| &s.nama, &mut problems);
    let (kode, nilai) = match (position("kode"), position("nilai")) {
        (Some(kode), Some(nilai)) => (kode, nilai),
        (kode, nilai) => {
            for (name, at) in [("kode", kode), ("nilai", nilai)] {
                if at.is_none() {
                    problems.push(Problem::new("csv-missing-column").row(1).column(name));
                }
            }
            return Err(invalid(kind, problems));
        }
    };
    key_problems(&table, kode, "kode", &mut problems);
    let mut isian = Vec::with_capacity(table.height());
    for i in 0..table.height() {
        let row = table.row_numbers.get(i).copied().unwrap_or_default();
        let value = cell(&table, i, nilai);
        if value.is_none() {
            problems.push(Problem::new("csv-empty-cell").row(row).column("nilai"));
        }
        isian.push(CodeEntry {
            kode: cell(&table, i, kode).unwrap_or_default().to_owned(),
            nilai: value.unwrap_or_default().to_owned(),
        });
    }
    refuse_problems(kind, problems)?;
    Ok(Document::CodeList(CodeList {
        id: id.to_owned(),
        nama,
        sumber: field(&fields.sumber, stored, |s| &s.sumber).unwrap_or_default(),
        isian,
    }))
}

/// Master data `id` from a CSV file whose columns are the records' fields.
pub fn master_data(id: &str, bytes: &[u8], fields: &CsvFields, stored: Option<&MasterData>) -> Result<Document> {
    let kind = ReferenceKind::MasterData;
    let table = table(kind, bytes)?;
    let mut problems = Vec::new();
    shape_problems(&table, &mut problems);
    let labels: Vec<String> = table.labels.iter().map(|l| l.trim().to_owned()).collect();
    for (i, label) in labels.iter().enumerate() {
        if label.is_empty() {
            problems.push(Problem::new("csv-missing-column").row(1).column(&format!("#{}", i + 1)));
        }
    }
    let nama = nama(fields, stored, |s| &s.nama, &mut problems);
    let kunci = fields
        .kunci
        .clone()
        .or_else(|| labels.first().cloned())
        .unwrap_or_default();
    match labels.iter().position(|l| *l == kunci) {
        Some(col) => key_problems(&table, col, &kunci, &mut problems),
        None => problems.push(Problem::new("csv-missing-column").row(1).column(&kunci)),
    }
    refuse_problems(kind, problems)?;
    let baris = (0..table.height())
        .map(|i| {
            labels
                .iter()
                .enumerate()
                .filter_map(|(col, label)| cell(&table, i, col).map(|v| (label.clone(), v.to_owned())))
                .collect::<BTreeMap<String, String>>()
        })
        .collect();
    Ok(Document::MasterData(MasterData {
        id: id.to_owned(),
        nama,
        sumber: field(&fields.sumber, stored, |s| &s.sumber).unwrap_or_default(),
        kunci,
        baris,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn fields(nama: &str) -> CsvFields {
        CsvFields {
            nama: Some(nama.into()),
            ..CsvFields::default()
        }
    }

    fn problems(result: Result<Document>) -> Vec<(String, Option<u64>, Option<String>)> {
        match result {
            Err(Error::InvalidDocument { problems, .. }) => {
                problems.into_iter().map(|p| (p.code, p.row, p.column)).collect()
            }
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn an_excel_export_with_a_bom_and_semicolons_is_a_code_list() {
        let csv = "\u{feff}Kode;Nilai\r\n1;Laki-laki\r\n2; Perempuan \r\n".as_bytes();
        let Document::CodeList(list) = code_list("jk", csv, &fields("Jenis Kelamin"), None).unwrap() else {
            panic!("a code list");
        };
        assert_eq!((list.id.as_str(), list.nama.as_str()), ("jk", "Jenis Kelamin"));
        let entries: Vec<(&str, &str)> = list.isian.iter().map(|e| (e.kode.as_str(), e.nilai.as_str())).collect();
        assert_eq!(entries, [("1", "Laki-laki"), ("2", "Perempuan")]);
    }

    #[test]
    fn bad_rows_are_named_by_row_and_column() {
        let csv = b"kode,nilai,catatan\n1,Satu,x\n1,Dua,y\n,Tiga,z\n4,,w\n";
        assert_eq!(
            problems(code_list("x", csv, &CsvFields::default(), None)),
            [
                ("csv-unknown-column".into(), Some(1), Some("catatan".into())),
                ("csv-missing-field".into(), None, Some("nama".into())),
                ("csv-duplicate-value".into(), Some(3), Some("kode".into())),
                ("csv-empty-cell".into(), Some(4), Some("kode".into())),
                ("csv-empty-cell".into(), Some(5), Some("nilai".into())),
            ]
        );
        assert_eq!(
            problems(code_list("x", b"code;name\n1;a\n", &fields("X"), None)),
            [
                ("csv-unknown-column".into(), Some(1), Some("code".into())),
                ("csv-unknown-column".into(), Some(1), Some("name".into())),
                ("csv-missing-column".into(), Some(1), Some("kode".into())),
                ("csv-missing-column".into(), Some(1), Some("nilai".into())),
            ]
        );
        assert_eq!(
            problems(code_list("x", b"", &fields("X"), None)),
            [("csv-unreadable".into(), None, None)]
        );
        let Err(Error::InvalidDocument { problems, .. }) = code_list("x", b"", &fields("X"), None) else {
            panic!("an empty file is refused");
        };
        assert_ne!(problems[0].message_id, problems[0].message_en, "each in its own words");
    }

    #[test]
    fn a_replacement_keeps_the_stored_name_and_source() {
        let stored = CodeList {
            id: "jk".into(),
            nama: "Jenis Kelamin".into(),
            sumber: "BPS".into(),
            isian: Vec::new(),
        };
        let Document::CodeList(list) =
            code_list("jk", b"kode;nilai\n1;L\n", &CsvFields::default(), Some(&stored)).unwrap()
        else {
            panic!("a code list");
        };
        assert_eq!(
            (list.nama.as_str(), list.sumber.as_str(), list.isian.len()),
            ("Jenis Kelamin", "BPS", 1)
        );
    }

    #[test]
    fn master_data_keys_on_the_first_column_or_the_one_named() {
        let csv = b"kode_sekolah;nama_sekolah;kode_kecamatan\nS1;SD 1;61.71.01\nS2;SD 2;\n";
        let Document::MasterData(data) = master_data("sekolah", csv, &fields("Sekolah"), None).unwrap() else {
            panic!("master data");
        };
        assert_eq!(data.kunci, "kode_sekolah");
        assert_eq!(data.baris.len(), 2);
        assert_eq!(data.baris[1].get("kode_kecamatan"), None, "empty cells are left out");
        let named = CsvFields {
            kunci: Some("nama_sekolah".into()),
            ..fields("Sekolah")
        };
        let Document::MasterData(data) = master_data("sekolah", csv, &named, None).unwrap() else {
            panic!("master data");
        };
        assert_eq!(data.kunci, "nama_sekolah");
        let missing = CsvFields {
            kunci: Some("npsn".into()),
            ..fields("Sekolah")
        };
        assert_eq!(
            problems(master_data("sekolah", csv, &missing, None)),
            [("csv-missing-column".into(), Some(1), Some("npsn".into()))]
        );
        assert_eq!(
            problems(master_data("s", b"k;v\nA;1\nA;2\n;3\n", &fields("S"), None)),
            [
                ("csv-duplicate-value".into(), Some(3), Some("k".into())),
                ("csv-empty-cell".into(), Some(4), Some("k".into())),
            ]
        );
    }
}
