//! Importing the Kemendagri region codes (kode wilayah) as one code list.
//!
//! Reads the four files that `idn-area-data` (and Kemendagri's own exports, re-headed) use:
//! `provinces.csv`, `regencies.csv`, `districts.csv`, `villages.csv`, each with a `code` and a
//! `name` column, and makes a code list whose entries are every province, kabupaten/kota,
//! kecamatan and desa/kelurahan. Validation looks codes up in a hash set built from it.

use std::path::Path;

use satudata_core::wilayah::{self, Level};
use satudata_core::{CodeEntry, CodeList};
use satudata_ingest::IngestOptions;

use crate::{Error, InputProblem, Result, io};

/// The files of a region-code folder, from the top level down.
pub const FILES: [(&str, Level); 4] = [
    ("provinces.csv", Level::Provinsi),
    ("regencies.csv", Level::KabupatenKota),
    ("districts.csv", Level::Kecamatan),
    ("villages.csv", Level::DesaKelurahan),
];

/// How many codes of each level were read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WilayahCounts {
    /// Provinces.
    pub provinsi: usize,
    /// Regencies and cities.
    pub kabupaten_kota: usize,
    /// Districts.
    pub kecamatan: usize,
    /// Villages.
    pub desa_kelurahan: usize,
}

/// Reads a region-code folder into a code list called `id`.
pub fn read_wilayah(dir: &Path, id: &str) -> Result<(CodeList, WilayahCounts)> {
    let mut isian = Vec::new();
    let mut counts = WilayahCounts::default();
    for (file, level) in FILES {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let table = satudata_ingest::read_csv(&bytes, &IngestOptions::default())?;
        let column = |name: &str| {
            table
                .labels
                .iter()
                .position(|l| l == name)
                .and_then(|i| table.column(i))
                .ok_or_else(|| Error::Input {
                    path: path.clone(),
                    detail: InputProblem::NoColumn(name.to_owned()),
                })
        };
        let (codes, names) = (column("code")?, column("name")?);
        for (i, (code, name)) in codes.iter().zip(names.iter()).enumerate() {
            let code = code.unwrap_or_default();
            if wilayah::level(code) != Some(level) {
                return Err(Error::Input {
                    path: path.clone(),
                    detail: InputProblem::NotRegionCode {
                        row: table.row_numbers[i],
                        code: code.to_owned(),
                        level,
                    },
                });
            }
            isian.push(CodeEntry {
                kode: code.to_owned(),
                nilai: name.unwrap_or_default().to_owned(),
            });
        }
        let n = codes.len();
        match level {
            Level::Provinsi => counts.provinsi = n,
            Level::KabupatenKota => counts.kabupaten_kota = n,
            Level::Kecamatan => counts.kecamatan = n,
            Level::DesaKelurahan => counts.desa_kelurahan = n,
        }
    }
    let list = CodeList {
        id: id.to_owned(),
        nama: "Kode dan Nama Wilayah Administrasi Pemerintahan (Kemendagri)".into(),
        sumber: format!("Diimpor dari {}", dir.display()),
        isian,
    };
    Ok((list, counts))
}
