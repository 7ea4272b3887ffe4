//! The guard in front of `.xls` workbooks, and what calamine does not tell of them. calamine
//! lays every sheet of an `.xls` out whole, as a dense grid over the bounding box of its cells,
//! when it opens the file: a 10 KB file with a cell at A1 and another at IV65536 in each of
//! eight sheets took 4.7 GB. This reads the BIFF records once, without keeping any value,
//! refuses the file when the grids would pass [`Limits::max_sheet_cells`], and notes which
//! number cells of each sheet are formatted as percent (calamine exposes no number formats).

mod styles;

use std::collections::HashSet;
use std::io::{Cursor, Read};

use crate::limits::Limits;
use crate::{Bound, Error, Result};
use styles::Styles;

/// BIFF record types that place a cell: (type, whether it spans columns like `MULRK`).
const CELL_RECORDS: &[(u16, bool)] = &[
    (0x0203, false), // NUMBER
    (0x0204, false), // LABEL
    (0x00D6, false), // RSTRING
    (0x0205, false), // BOOLERR
    (0x027E, false), // RK
    (0x00FD, false), // LABELSST
    (0x0006, false), // FORMULA
    (0x00BD, true),  // MULRK
];
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const FORMULA: u16 = 0x0006;
const MULRK: u16 = 0x00BD;
/// Substreams nested deeper than this (a chart in a sheet is one level) are not told apart.
const MAX_DEPTH: usize = 16;

/// What the walk found: each sheet's number cells formatted as percent.
#[derive(Debug, Default)]
pub(crate) struct XlsScan {
    /// Sheet names and where each sheet's substream starts in the stream.
    sheets: Vec<(String, usize)>,
    /// Percent cells (substream start, row, column), 0-based.
    percent: HashSet<(usize, u32, u32)>,
}

impl XlsScan {
    /// The percent-formatted number cells (row, column) of the sheet `name`.
    pub(crate) fn percent(&self, name: &str) -> HashSet<(u32, u32)> {
        let Some(&(_, start)) = self.sheets.iter().find(|(n, _)| n == name) else {
            return HashSet::new();
        };
        self.percent
            .iter()
            .filter(|(s, _, _)| *s == start)
            .map(|&(_, row, col)| (row, col))
            .collect()
    }
}

/// Checks that the grids calamine will lay out for the `.xls` in `bytes` stay within the limit,
/// and notes the percent cells of each sheet.
pub(crate) fn scan(bytes: &[u8], limits: &Limits) -> Result<XlsScan> {
    let stream = workbook_stream(bytes)?;
    let mut walk = Walk::default();
    let mut at = 0usize;
    while let Some(header) = stream.get(at..at + 4) {
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let data = stream.get(at + 4..at + 4 + len).unwrap_or_default();
        let offset = at;
        at += 4 + len;
        match kind {
            BOF | EOF => {
                walk.total = walk.total.saturating_add(area(walk.bbox.take()));
                if walk.total > limits.max_sheet_cells {
                    break;
                }
                walk.substream(kind == BOF, offset);
            }
            BOUNDSHEET => walk.sheet_name(data),
            _ if walk.styles.record(kind, data) => {}
            _ => walk.cell(kind, data),
        }
    }
    walk.total = walk.total.saturating_add(area(walk.bbox));
    if walk.total > limits.max_sheet_cells {
        return Err(Error::too_large("XLS", Bound::SheetCells, limits.max_sheet_cells));
    }
    Ok(walk.scan)
}

/// The walk's state.
#[derive(Debug, Default)]
struct Walk {
    /// Cells in the grids of the substreams ended so far.
    total: u64,
    /// The bounding box of the current substream's cells.
    bbox: Option<(u16, u16, u16, u16)>,
    /// Starts of the open substreams, innermost last.
    open: Vec<usize>,
    styles: Styles,
    /// Whether each XF formats as percent, once the globals have given them all.
    percent_xf: Option<Vec<bool>>,
    scan: XlsScan,
}

impl Walk {
    /// A substream begins (`BOF`, at `offset`) or ends.
    fn substream(&mut self, begins: bool, offset: usize) {
        if !begins {
            self.open.pop();
        } else if self.open.len() < MAX_DEPTH {
            self.open.push(offset);
        } else if let Some(last) = self.open.last_mut() {
            *last = offset;
        }
        // The globals come first and hold every format: the first sheet's BOF closes them.
        if begins && self.percent_xf.is_none() && !self.scan.sheets.is_empty() {
            self.percent_xf = Some(self.styles.percent_xfs());
        }
    }

    /// `BOUNDSHEET8`: a sheet's substream start and its name.
    fn sheet_name(&mut self, data: &[u8]) {
        if let (Some(start), Some(name)) = (u32_at(data, 0), styles::short_string(data.get(6..).unwrap_or_default())) {
            self.scan.sheets.push((name, start as usize));
        }
    }

    /// A record that may place a cell: grows the bounding box, notes a percent cell.
    fn cell(&mut self, kind: u16, data: &[u8]) {
        let Some(&(_, spans)) = CELL_RECORDS.iter().find(|(k, _)| *k == kind) else {
            return;
        };
        let Some((row, first, last)) = position(data, spans) else {
            return;
        };
        self.bbox = Some(match self.bbox {
            None => (row, row, first, last),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(first), c1.max(last)),
        });
        let (Some(percent), Some(&start)) = (&self.percent_xf, self.open.last()) else {
            return;
        };
        let shows_percent = |xf: Option<u16>| xf.is_some_and(|xf| percent.get(usize::from(xf)) == Some(&true));
        let mut found = Vec::new();
        match kind {
            NUMBER | RK | FORMULA if shows_percent(u16_at(data, 4)) => found.push(first),
            MULRK => {
                // rw, colFirst, then (ixfe, RK) six bytes each, then colLast.
                let count = data.len().saturating_sub(6) / 6;
                for i in 0..count {
                    if shows_percent(u16_at(data, 4 + 6 * i)) {
                        found.push(first.saturating_add(i as u16));
                    }
                }
            }
            _ => {}
        }
        for col in found {
            self.scan.percent.insert((start, u32::from(row), u32::from(col)));
        }
    }
}

/// The little-endian `u16` at byte `i`, if the data reaches that far.
pub(crate) fn u16_at(data: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*data.get(i)?, *data.get(i + 1)?]))
}

/// The little-endian `u32` at byte `i`, if the data reaches that far.
pub(crate) fn u32_at(data: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(i..i + 4)?.try_into().ok()?))
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream of the OLE2 container.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| Error::format("XLS", e))?;
    let mut stream = file
        .open_stream("/Workbook")
        .or_else(|_| file.open_stream("/Book"))
        .map_err(|e| Error::format("XLS", e))?;
    let mut out = Vec::new();
    // A stream is never longer than the file that holds it.
    (&mut stream)
        .take(bytes.len() as u64)
        .read_to_end(&mut out)
        .map_err(|e| Error::format("XLS", e))?;
    Ok(out)
}

/// A cell record's row and first and last column.
fn position(data: &[u8], spans: bool) -> Option<(u16, u16, u16)> {
    let u16_at = |i: usize| Some(u16::from_le_bytes([*data.get(i)?, *data.get(i + 1)?]));
    let (row, first) = (u16_at(0)?, u16_at(2)?);
    let last = if spans {
        u16_at(data.len().checked_sub(2)?)?
    } else {
        first
    };
    Some((row, first, last.max(first)))
}

/// Cells in a bounding box (rows first..=last, columns first..=last).
fn area(bbox: Option<(u16, u16, u16, u16)>) -> u64 {
    bbox.map_or(0, |(r0, r1, c0, c1)| {
        (u64::from(r1) - u64::from(r0) + 1) * (u64::from(c1) - u64::from(c0) + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/penduduk-kelurahan-2024.xls"
        ))
        .unwrap_or_default()
    }

    #[test]
    fn an_ordinary_workbook_passes() {
        assert!(scan(&fixture(), &Limits::default()).is_ok());
    }

    #[test]
    fn a_tight_limit_refuses_it() {
        let limits = Limits {
            max_sheet_cells: 100,
            ..Limits::default()
        };
        let e = scan(&fixture(), &limits).unwrap_err();
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
    fn percent_cells_of_a_libreoffice_workbook() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/cakupan-imunisasi.xls"
        ))
        .unwrap_or_default();
        let scan = scan(&bytes, &Limits::default()).unwrap_or_default();
        let mut cells: Vec<(u32, u32)> = scan.percent("Imunisasi").into_iter().collect();
        cells.sort_unstable();
        assert_eq!(cells, [(1, 2), (2, 2), (3, 2)], "the coverage column, not the header");
        assert!(scan.percent("Tidak Ada").is_empty());
    }

    #[test]
    fn positions_and_areas() {
        assert_eq!(position(&[1, 0, 2, 0, 9, 9], false), Some((1, 2, 2)));
        assert_eq!(position(&[1, 0, 2, 0, 9, 9, 7, 0], true), Some((1, 2, 7)));
        assert_eq!(position(&[1], false), None);
        assert_eq!(area(Some((0, 65535, 0, 255))), 16_777_216);
        assert_eq!(area(None), 0);
    }

    #[test]
    fn not_a_compound_file_is_a_format_error() {
        let e = scan(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 too short", &Limits::default()).unwrap_err();
        assert!(matches!(e, Error::Format { format: "XLS", .. }), "{e}");
    }
}
