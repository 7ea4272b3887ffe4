//! The guard in front of `.xls` workbooks. calamine lays every sheet of an `.xls` out whole, as
//! a dense grid over the bounding box of its cells, when it opens the file: a 10 KB file with a
//! cell at A1 and another at IV65536 in each of eight sheets took 4.7 GB. This reads the BIFF
//! records once, without keeping any value, and refuses the file when the grids would pass
//! [`Limits::max_sheet_cells`].

use std::io::{Cursor, Read};

use crate::limits::Limits;
use crate::{Bound, Error, Result};

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

/// Checks that the grids calamine will lay out for the `.xls` in `bytes` stay within the limit.
pub(crate) fn check(bytes: &[u8], limits: &Limits) -> Result<()> {
    let stream = workbook_stream(bytes)?;
    let mut total: u64 = 0;
    let mut bbox: Option<(u16, u16, u16, u16)> = None;
    let mut at = 0usize;
    while let Some(header) = stream.get(at..at + 4) {
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let data = stream.get(at + 4..at + 4 + len).unwrap_or_default();
        at += 4 + len;
        match kind {
            BOF | EOF => {
                total = total.saturating_add(area(bbox.take()));
                if total > limits.max_sheet_cells {
                    break;
                }
            }
            _ => {
                if let Some(&(_, spans)) = CELL_RECORDS.iter().find(|(k, _)| *k == kind)
                    && let Some((row, first, last)) = position(data, spans)
                {
                    bbox = Some(match bbox {
                        None => (row, row, first, last),
                        Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(first), c1.max(last)),
                    });
                }
            }
        }
    }
    total = total.saturating_add(area(bbox));
    if total > limits.max_sheet_cells {
        return Err(Error::too_large("XLS", Bound::SheetCells, limits.max_sheet_cells));
    }
    Ok(())
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
        assert!(check(&fixture(), &Limits::default()).is_ok());
    }

    #[test]
    fn a_tight_limit_refuses_it() {
        let limits = Limits {
            max_sheet_cells: 100,
            ..Limits::default()
        };
        let e = check(&fixture(), &limits).unwrap_err();
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
    fn positions_and_areas() {
        assert_eq!(position(&[1, 0, 2, 0, 9, 9], false), Some((1, 2, 2)));
        assert_eq!(position(&[1, 0, 2, 0, 9, 9, 7, 0], true), Some((1, 2, 7)));
        assert_eq!(position(&[1], false), None);
        assert_eq!(area(Some((0, 65535, 0, 255))), 16_777_216);
        assert_eq!(area(None), 0);
    }

    #[test]
    fn not_a_compound_file_is_a_format_error() {
        let e = check(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 too short", &Limits::default()).unwrap_err();
        assert!(matches!(e, Error::Format { format: "XLS", .. }), "{e}");
    }
}
