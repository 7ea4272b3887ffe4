//! Reading a region folder: the reference documents a data center starts from.
//!
//! ```text
//! organizations.json     [Organization]
//! code_lists/*.json      CodeList each
//! master_data/*.json     MasterData each
//! standards/*.json       DataStandard each
//! datasets/*.json        DatasetMetadata each
//! ```

use std::path::{Path, PathBuf};

use satudata_core::{CodeList, DataStandard, DatasetMetadata, MasterData, Organization};

use crate::{Error, Result};

/// The documents of a region folder.
#[derive(Debug, Clone, Default)]
pub struct Region {
    /// The PDs.
    pub organizations: Vec<Organization>,
    /// Kode referensi.
    pub code_lists: Vec<CodeList>,
    /// Data induk.
    pub master_data: Vec<MasterData>,
    /// Standar data.
    pub standards: Vec<DataStandard>,
    /// Dataset metadata.
    pub datasets: Vec<DatasetMetadata>,
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| Error::Io {
                path: dir.to_path_buf(),
                source,
            })?
            .path();
        if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn read_all<T>(dir: &Path, parse: impl Fn(&[u8]) -> satudata_core::Result<T>) -> Result<Vec<T>> {
    json_files(dir)?
        .into_iter()
        .map(|path| {
            let bytes = read(&path)?;
            parse(&bytes).map_err(|source| Error::Document { path, source })
        })
        .collect()
}

impl Region {
    /// What a region folder holds: at least one of these is there.
    pub const ENTRIES: [&str; 5] = [
        "organizations.json",
        "code_lists",
        "master_data",
        "standards",
        "datasets",
    ];

    /// Whether `dir` is a folder holding at least one of the [`Region::ENTRIES`].
    pub fn is_region_folder(dir: &Path) -> bool {
        dir.is_dir() && Self::ENTRIES.iter().any(|entry| dir.join(entry).exists())
    }

    /// Reads every document of the folder; missing sub-folders are empty, but a folder with
    /// none of the [`Region::ENTRIES`] (or no folder at all) is refused.
    pub fn read(dir: &Path) -> Result<Self> {
        if !Self::is_region_folder(dir) {
            return Err(Error::NotRegion(dir.to_path_buf()));
        }
        let orgs_path = dir.join("organizations.json");
        let organizations = if orgs_path.exists() {
            let bytes = read(&orgs_path)?;
            serde_json::from_slice(&bytes).map_err(|e| Error::Document {
                path: orgs_path.clone(),
                source: satudata_core::Error::Json {
                    kind: "organizations",
                    source: e,
                },
            })?
        } else {
            Vec::new()
        };
        Ok(Region {
            organizations,
            code_lists: read_all(&dir.join("code_lists"), CodeList::from_json)?,
            master_data: read_all(&dir.join("master_data"), MasterData::from_json)?,
            standards: read_all(&dir.join("standards"), DataStandard::from_json)?,
            datasets: read_all(&dir.join("datasets"), DatasetMetadata::from_json)?,
        })
    }

    /// Reads only the code lists and master data of a folder.
    pub fn read_references(dir: &Path) -> Result<Self> {
        Ok(Region {
            code_lists: read_all(&dir.join("code_lists"), CodeList::from_json)?,
            master_data: read_all(&dir.join("master_data"), MasterData::from_json)?,
            ..Region::default()
        })
    }
}
