//! Importing the Kemendagri region codes (kode wilayah) as one code list.
//!
//! Reads the four files that `idn-area-data` (and Kemendagri's own exports, re-headed) use:
//! `provinces.csv`, `regencies.csv`, `districts.csv`, `villages.csv`, each with a `code` and a
//! `name` column, and makes a code list whose entries are every province, kabupaten/kota,
//! kecamatan and desa/kelurahan. Validation looks codes up in a hash set built from it.
//!
//! The whole country comes with the binary ([`bundled_wilayah`]): the four files of
//! idn-area-data 4.0.1 (ODbL 1.0, see `data/wilayah/NOTICE.md`), gzip-compressed, code and name
//! columns only, so `satudata wilayah import` needs no folder and no network.

use std::io::Read as _;
use std::path::{Path, PathBuf};

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

/// Where the bundled region list comes from, and under which licence (ODbL asks for this notice).
pub const BUNDLED_ATTRIBUTION: &str = "Kode wilayah / region codes: idn-area-data 4.0.1 by Fityan \
     (fityannugroho, https://github.com/fityannugroho/idn-area-data), from Kemendagri's official \
     lists, made available under the Open Database License (ODbL) 1.0 \
     (https://opendatacommons.org/licenses/odbl/1-0/); code and name columns only";

/// The bundled files, gzip-compressed, in the order of [`FILES`].
const BUNDLED: [&[u8]; 4] = [
    include_bytes!("../../../data/wilayah/provinces.csv.gz"),
    include_bytes!("../../../data/wilayah/regencies.csv.gz"),
    include_bytes!("../../../data/wilayah/districts.csv.gz"),
    include_bytes!("../../../data/wilayah/villages.csv.gz"),
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

impl WilayahCounts {
    fn set(&mut self, level: Level, n: usize) {
        match level {
            Level::Provinsi => self.provinsi = n,
            Level::KabupatenKota => self.kabupaten_kota = n,
            Level::Kecamatan => self.kecamatan = n,
            Level::DesaKelurahan => self.desa_kelurahan = n,
        }
    }
}

/// Reads a region-code folder into a code list called `id`.
pub fn read_wilayah(dir: &Path, id: &str) -> Result<(CodeList, WilayahCounts)> {
    let sumber = format!("Diimpor dari {}", dir.display());
    read_levels(id, sumber, |_, file| {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        Ok((path, bytes))
    })
}

/// The whole country's region codes, bundled with the binary, as a code list called `id`.
pub fn bundled_wilayah(id: &str) -> Result<(CodeList, WilayahCounts)> {
    read_levels(id, BUNDLED_ATTRIBUTION.to_owned(), |index, file| {
        let path = PathBuf::from("data/wilayah").join(format!("{file}.gz"));
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(BUNDLED[index])
            .read_to_end(&mut bytes)
            .map_err(io(&path))?;
        Ok((path, bytes))
    })
}

/// Reads the four levels, each file's bytes from `source` (given its index in [`FILES`]), into
/// one code list.
fn read_levels(
    id: &str,
    sumber: String,
    mut source: impl FnMut(usize, &str) -> Result<(PathBuf, Vec<u8>)>,
) -> Result<(CodeList, WilayahCounts)> {
    let mut isian = Vec::new();
    let mut counts = WilayahCounts::default();
    for (index, (file, level)) in FILES.into_iter().enumerate() {
        let (path, bytes) = source(index, file)?;
        let n = read_level(&path, &bytes, level, &mut isian)?;
        counts.set(level, n);
    }
    let list = CodeList {
        id: id.to_owned(),
        nama: "Kode dan Nama Wilayah Administrasi Pemerintahan (Kemendagri)".into(),
        sumber,
        isian,
    };
    Ok((list, counts))
}

/// Appends one level's codes to `isian`; returns how many there were.
fn read_level(path: &Path, bytes: &[u8], level: Level, isian: &mut Vec<CodeEntry>) -> Result<usize> {
    let table = satudata_ingest::read_csv(bytes, &IngestOptions::default())?;
    let column = |name: &str| {
        table
            .labels
            .iter()
            .position(|l| l == name)
            .and_then(|i| table.column(i))
            .ok_or_else(|| Error::Input {
                path: path.to_path_buf(),
                detail: InputProblem::NoColumn(name.to_owned()),
            })
    };
    let (codes, names) = (column("code")?, column("name")?);
    for (i, (code, name)) in codes.iter().zip(names.iter()).enumerate() {
        let code = code.unwrap_or_default();
        if wilayah::level(code) != Some(level) {
            return Err(Error::Input {
                path: path.to_path_buf(),
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
    Ok(codes.len())
}

/// The name of the region with Kemendagri code `code` (`61.71` → `Kota Pontianak`), from the
/// bundled list (read once, on first use).
pub fn region_name(code: &str) -> Option<&'static str> {
    static NAMES: std::sync::LazyLock<std::collections::HashMap<String, String>> = std::sync::LazyLock::new(|| {
        bundled_wilayah("wilayah")
            .map(|(list, _)| list.isian.into_iter().map(|e| (e.kode, e.nilai)).collect())
            .unwrap_or_default()
    });
    NAMES.get(code).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_holds_every_level_of_the_country() {
        let (list, counts) = bundled_wilayah("wilayah-indonesia").unwrap();
        assert_eq!(counts.provinsi, wilayah::PROVINCES.len());
        assert_eq!(
            list.isian.len(),
            counts.provinsi + counts.kabupaten_kota + counts.kecamatan + counts.desa_kelurahan
        );
        assert!(counts.kabupaten_kota > 500 && counts.kecamatan > 7000 && counts.desa_kelurahan > 80_000);
        let find = |kode: &str| list.isian.iter().find(|e| e.kode == kode).map(|e| e.nilai.as_str());
        assert_eq!(find("61.71"), Some("Kota Pontianak"));
        assert_eq!(find("61.71.01.1002"), Some("Benuamelayu Laut"));
        assert!(list.sumber.contains("ODbL"));
    }

    #[test]
    fn a_code_names_its_region() {
        assert_eq!(
            super::region_name("61.71").map(str::to_lowercase).as_deref(),
            Some("kota pontianak")
        );
        assert_eq!(super::region_name("99.99"), None);
    }
}
