//! The code lists and master data `validate` checks a file against.
//!
//! A PD pre-checks a file as the data center will: with an explicit `--data-dir` (or
//! `SATUDATA_DATA_DIR`) that exists, the data directory's code lists and master data (the
//! imported national list `wilayah-indonesia` included) come first. A folder's documents fill in
//! the rest: `--references` when given, which then also wins over the data directory for a
//! list both hold, else the folder above the standard's (`sample_data/` for
//! `sample_data/standards/x.json`).

use std::path::Path;

use anyhow::Result;
use satudata_core::{Lang, messages::render};
use satudata_workflow::{DataCenter, Region};

/// The references for a `validate` run of `standard` (see the module documentation).
pub async fn gather(
    standard: &Path,
    references: Option<&Path>,
    data_dir: Option<&Path>,
    database: Option<&str>,
    lang: Lang,
) -> Result<Region> {
    let folder = match references {
        Some(dir) => dir.to_path_buf(),
        None => standard
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."))
            .to_path_buf(),
    };
    let from_folder = Region::read_references(&folder)?;
    let Some(dir) = data_dir else {
        return Ok(from_folder);
    };
    let dc = DataCenter::open_with_database(dir, database)
        .await
        .map_err(|e| match e {
            satudata_workflow::Error::NotInitialized(_) => anyhow::anyhow!(render(
                lang,
                "usage.not-data-dir",
                &[("path", &dir.display().to_string())]
            )),
            e => e.into(),
        })?;
    let stored = dc.references().await?;
    Ok(if references.is_some() {
        merge(stored, from_folder)
    } else {
        merge(from_folder, stored)
    })
}

/// `base` with every code list and master data of `over` added, replacing those of the same id.
fn merge(mut base: Region, over: Region) -> Region {
    for list in over.code_lists {
        base.code_lists.retain(|l| l.id != list.id);
        base.code_lists.push(list);
    }
    for data in over.master_data {
        base.master_data.retain(|m| m.id != data.id);
        base.master_data.push(data);
    }
    base
}

#[cfg(test)]
mod tests {
    use satudata_core::CodeList;

    use super::*;

    fn region(lists: &[(&str, &str)]) -> Region {
        Region {
            code_lists: lists
                .iter()
                .map(|(id, nama)| CodeList {
                    id: (*id).into(),
                    nama: (*nama).into(),
                    sumber: String::new(),
                    isian: Vec::new(),
                })
                .collect(),
            ..Region::default()
        }
    }

    #[test]
    fn the_later_source_wins_for_a_list_both_hold() {
        let merged = merge(
            region(&[("agama", "folder"), ("jenis-kelamin", "folder")]),
            region(&[("agama", "catalog"), ("wilayah-indonesia", "catalog")]),
        );
        let names: Vec<(&str, &str)> = merged
            .code_lists
            .iter()
            .map(|l| (l.id.as_str(), l.nama.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("jenis-kelamin", "folder"),
                ("agama", "catalog"),
                ("wilayah-indonesia", "catalog")
            ]
        );
    }
}
