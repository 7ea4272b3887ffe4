//! What calamine does not tell of an `.xlsb` sheet, read from its records (MS-XLSB): the
//! merged regions (`BrtMergeCell` inside `BrtBeginMergeCells`) and the number cells whose
//! style (`iStyleRef`, an index into `BrtBeginCellXFs` of `xl/styles.bin`) shows a percentage.
//! Each part is streamed once, within the [`Limits`]; records are read only when small.

mod records;

use std::collections::{HashMap, HashSet};
use std::io::{BufReader, Cursor, Read, Seek};

use quick_xml::events::Event;

use crate::limits::Limits;
use crate::workbook::{Extras, Merge, format_shows_percent, is_percent_format};
use crate::xls::{u16_at, u32_at};
use crate::{Bound, Error, Result};
use records::Records;

const BRT_ROW_HDR: u16 = 0x0000;
const BRT_CELL_RK: u16 = 0x0002;
const BRT_CELL_REAL: u16 = 0x0005;
const BRT_FMLA_NUM: u16 = 0x0009;
const BRT_FMT: u16 = 0x002C;
const BRT_XF: u16 = 0x002F;
const BRT_BUNDLE_SH: u16 = 0x009C;
const BRT_MERGE_CELL: u16 = 0x00B0;
const BRT_BEGIN_MERGE_CELLS: u16 = 0x00B1;
const BRT_END_MERGE_CELLS: u16 = 0x00B2;
const BRT_BEGIN_CELL_XFS: u16 = 0x0269;
const BRT_END_CELL_XFS: u16 = 0x026A;

/// Reads the merged regions and percent cells of the sheet `name` of the `.xlsb` in `bytes`.
pub(crate) fn scan(bytes: &[u8], name: &str, limits: &Limits) -> Result<Extras> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(fail)?;
    let Some(path) = sheet_path(&mut archive, name, limits)? else {
        return Ok(Extras::default());
    };
    let percent_xfs = match part(&mut archive, "xl/styles.bin", limits)? {
        Some(styles) => percent_styles(Records::new(styles))?,
        None => Vec::new(),
    };
    let Some(sheet) = part(&mut archive, &path, limits)? else {
        return Ok(Extras::default());
    };
    sheet_extras(Records::new(sheet), &percent_xfs, limits)
}

fn fail(e: impl std::fmt::Display) -> Error {
    Error::format("XLSB", e)
}

/// A part of the archive by name (any case, as Excel treats them), read within the part limit.
fn part<'a, R: Read + Seek>(
    archive: &'a mut zip::ZipArchive<R>,
    name: &str,
    limits: &Limits,
) -> Result<Option<impl Read + 'a>> {
    let Some(index) = (0..archive.len()).find(|&i| {
        archive
            .name_for_index(i)
            .and_then(Result::ok)
            .is_some_and(|n| n.trim_start_matches('/').eq_ignore_ascii_case(name))
    }) else {
        return Ok(None);
    };
    let file = archive.by_index(index).map_err(fail)?;
    Ok(Some(BufReader::new(file.take(limits.max_part_bytes))))
}

/// The part holding the sheet `name`: its relationship id from `BrtBundleSh` in
/// `xl/workbook.bin`, then that relationship's target in `xl/_rels/workbook.bin.rels`.
fn sheet_path<R: Read + Seek>(archive: &mut zip::ZipArchive<R>, name: &str, limits: &Limits) -> Result<Option<String>> {
    let rel_id = {
        let Some(workbook) = part(archive, "xl/workbook.bin", limits)? else {
            return Ok(None);
        };
        bundle_rel_id(Records::new(workbook), name)?
    };
    let Some(rel_id) = rel_id else { return Ok(None) };
    let Some(rels) = part(archive, "xl/_rels/workbook.bin.rels", limits)? else {
        return Ok(None);
    };
    Ok(
        relationship_target(rels, &rel_id)?.map(|target| match target.strip_prefix('/') {
            Some(absolute) => absolute.to_owned(),
            None => format!("xl/{target}"),
        }),
    )
}

/// The relationship id of the sheet `name`, from its `BrtBundleSh` record.
fn bundle_rel_id(mut records: Records<impl Read>, name: &str) -> Result<Option<String>> {
    while let Some((kind, data)) = records.next()? {
        if kind != BRT_BUNDLE_SH {
            continue;
        }
        // hsState, iTabID, strRelID (nullable wide string), strName.
        let Some((rel, used)) = data.get(8..).and_then(records::wide_string) else {
            continue;
        };
        let sheet_name = data.get(8 + used..).and_then(records::wide_string).map(|(n, _)| n);
        if sheet_name.as_deref() == Some(name) {
            return Ok(Some(rel));
        }
    }
    Ok(None)
}

/// The `Target` of the relationship `id`.
fn relationship_target(rels: impl Read, id: &str) -> Result<Option<String>> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(rels));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).map_err(fail)? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == "Relationship" && crate::ods::attr(&e, "Id").as_deref() == Some(id) =>
            {
                return Ok(crate::ods::attr(&e, "Target"));
            }
            Event::Eof => return Ok(None),
            _ => {}
        }
        buf.clear();
    }
}

/// Whether each cell style (`BrtXF` inside `BrtBeginCellXFs`) shows its number as a percentage.
fn percent_styles(mut records: Records<impl Read>) -> Result<Vec<bool>> {
    let mut custom: HashMap<u16, bool> = HashMap::new();
    let mut formats = Vec::new();
    let mut in_cell_xfs = false;
    while let Some((kind, data)) = records.next()? {
        match kind {
            // ifmt, then the code as a wide string.
            BRT_FMT => {
                if let (Some(id), Some((code, _))) = (u16_at(data, 0), data.get(2..).and_then(records::wide_string)) {
                    custom.insert(id, is_percent_format(&code));
                }
            }
            BRT_BEGIN_CELL_XFS => in_cell_xfs = true,
            BRT_END_CELL_XFS => break,
            // ixfeParent, then iFmt.
            BRT_XF if in_cell_xfs => formats.push(u16_at(data, 2).unwrap_or(0)),
            _ => {}
        }
    }
    Ok(formats.iter().map(|&id| format_shows_percent(id, &custom)).collect())
}

/// Walks a sheet part: the percent cells and the merged regions, each at most
/// [`Limits::max_sheet_cells`].
fn sheet_extras(mut records: Records<impl Read>, percent_xfs: &[bool], limits: &Limits) -> Result<Extras> {
    let too_many = || Error::too_large("XLSB", Bound::SheetCells, limits.max_sheet_cells);
    let mut extras = Extras::default();
    let mut percent: HashSet<(u32, u32)> = HashSet::new();
    let (mut row, mut cells, mut in_merges) = (0u32, 0u64, false);
    let any_percent = percent_xfs.contains(&true);
    while let Some((kind, data)) = records.next()? {
        match kind {
            BRT_ROW_HDR => row = u32_at(data, 0).unwrap_or(row),
            BRT_CELL_RK | BRT_CELL_REAL | BRT_FMLA_NUM if any_percent => {
                // A Cell: column, then iStyleRef in 24 bits.
                let (Some(col), Some(style)) = (u32_at(data, 0), u32_at(data, 4)) else {
                    continue;
                };
                if percent_xfs.get((style & 0x00FF_FFFF) as usize) == Some(&true) {
                    cells += 1;
                    if cells > limits.max_sheet_cells {
                        return Err(too_many());
                    }
                    percent.insert((row, col));
                }
            }
            BRT_BEGIN_MERGE_CELLS => in_merges = true,
            BRT_END_MERGE_CELLS => in_merges = false,
            BRT_MERGE_CELL if in_merges => {
                // An RfX: first and last row, first and last column.
                let field = |i| u32_at(data, i);
                if let (Some(first_row), Some(last_row), Some(first_col), Some(last_col)) =
                    (field(0), field(4), field(8), field(12))
                {
                    if extras.merges.len() as u64 >= limits.max_sheet_cells {
                        return Err(too_many());
                    }
                    extras.merges.push(Merge {
                        first_row,
                        first_col,
                        last_row,
                        last_col,
                    });
                }
            }
            _ => {}
        }
    }
    extras.percent = percent;
    Ok(extras)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn fixture() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/imunisasi-gabung.xlsb"
        ))
        .unwrap()
    }

    /// Hand-laid records (see `tests/fixtures/make_xlsb_records.py`): three merges, a `0.0%`
    /// column from row 4.
    #[test]
    fn merges_and_percent_cells_of_the_fixture() {
        let bytes = fixture();
        let extras = scan(&bytes, "Imunisasi", &Limits::default()).unwrap();
        let spans: Vec<_> = extras
            .merges
            .iter()
            .map(|m| (m.first_row, m.last_row, m.first_col, m.last_col))
            .collect();
        assert_eq!(spans, [(0, 0, 0, 3), (3, 4, 0, 0), (5, 6, 0, 0)]);
        let mut percent: Vec<_> = extras.percent.into_iter().collect();
        percent.sort_unstable();
        assert_eq!(percent, [(3, 3), (4, 3), (5, 3), (6, 3)]);
        assert!(scan(&bytes, "Lain", &Limits::default()).unwrap().merges.is_empty());
    }

    #[test]
    fn merges_past_the_cell_limit_are_refused() {
        let bytes = fixture();
        let limits = Limits {
            max_sheet_cells: 2,
            ..Limits::default()
        };
        let e = scan(&bytes, "Imunisasi", &limits).unwrap_err();
        assert!(
            matches!(
                e,
                Error::TooLarge {
                    bound: Bound::SheetCells,
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn percent_styles_count_only_cell_xfs() {
        // BrtFmt 164 "0.0%"; a style XF (outside BrtBeginCellXFs) then cell XFs 0, 164, 10, 14.
        let mut part = Vec::new();
        let mut record = |kind: u16, data: &[u8]| {
            if kind >= 0x80 {
                part.extend([(kind & 0x7F) as u8 | 0x80, (kind >> 7) as u8]);
            } else {
                part.push(kind as u8);
            }
            part.push(data.len() as u8);
            part.extend_from_slice(data);
        };
        let mut fmt = vec![164, 0, 4, 0, 0, 0];
        for unit in "0.0%".encode_utf16() {
            fmt.extend_from_slice(&unit.to_le_bytes());
        }
        record(BRT_FMT, &fmt);
        let xf = |id: u16| {
            let mut data = vec![0u8; 16];
            data[2..4].copy_from_slice(&id.to_le_bytes());
            data
        };
        record(BRT_XF, &xf(10));
        record(BRT_BEGIN_CELL_XFS, &[4, 0, 0, 0]);
        for id in [0, 164, 10, 14] {
            record(BRT_XF, &xf(id));
        }
        record(BRT_END_CELL_XFS, &[]);
        assert_eq!(
            percent_styles(Records::new(&part[..])).unwrap(),
            [false, true, true, false]
        );
    }
}
