//! Excel workbooks: the first (or a named) sheet, merged cells filled, the header row found
//! below any title block, Excel's date serials turned into ISO dates.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};

use crate::{Error, Format, IngestOptions, Result, Table, TableBuilder, number_text};

/// How many rows from the top are searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;

fn cell_text(cell: &Data) -> Option<String> {
    match cell {
        Data::Empty => None,
        Data::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Data::Int(n) => Some(n.to_string()),
        Data::Float(f) => Some(number_text(*f)),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTime(d) => d.as_datetime().map(|dt| {
            if dt.time() == chrono::NaiveTime::MIN {
                dt.format("%Y-%m-%d").to_string()
            } else {
                dt.format("%Y-%m-%dT%H:%M:%S").to_string()
            }
        }),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Error(e) => Some(format!("{e}")),
    }
}

/// The header row within the grid: the first of the top rows that is as wide as the table
/// (at least 80% of the widest row's filled cells) and holds only text.
fn find_header(grid: &[Vec<Option<String>>], cells: &[Vec<Data>]) -> usize {
    let top = grid.len().min(HEADER_SEARCH_ROWS);
    let filled = |r: usize| grid[r].iter().filter(|c| c.is_some()).count();
    let widest = (0..top).map(filled).max().unwrap_or(0);
    (0..top)
        .find(|&r| {
            let n = filled(r);
            n > 0 && n * 5 >= widest * 4 && cells[r].iter().all(|c| matches!(c, Data::String(_) | Data::Empty))
        })
        .unwrap_or(0)
}

/// Reads a sheet of an XLSX workbook into a [`Table`].
pub fn read_xlsx(bytes: &[u8], options: &IngestOptions) -> Result<Table> {
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| Error::format("XLSX", e))?;
    let sheet = match &options.sheet {
        Some(name) => name.clone(),
        None => workbook.sheet_names().first().cloned().ok_or(Error::Empty)?,
    };
    if !workbook.sheet_names().contains(&sheet) {
        return Err(Error::Sheet(sheet));
    }
    let range: Range<Data> = workbook.worksheet_range(&sheet).map_err(|e| Error::format("XLSX", e))?;
    let merged = workbook
        .merge_cells_by_sheet_name(&sheet)
        .map_err(|e| Error::format("XLSX", e))?;
    let Some((first_row, first_col)) = range.start() else {
        return Err(Error::Empty);
    };
    let mut cells: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    // The header is found before merged cells are filled: a title merged across the table is
    // one cell, not a row of labels.
    let header_index = match options.header_row {
        Some(row) => (row.saturating_sub(1) as usize).saturating_sub(first_row as usize),
        None => {
            let raw: Vec<Vec<Option<String>>> = cells.iter().map(|row| row.iter().map(cell_text).collect()).collect();
            find_header(&raw, &cells)
        }
    };
    // A merged region shows its top-left value in every cell it covers.
    for region in merged {
        let (r0, c0) = region.start;
        let (r1, c1) = region.end;
        let at = |r: u32, c: u32| -> Option<(usize, usize)> {
            Some((r.checked_sub(first_row)? as usize, c.checked_sub(first_col)? as usize))
        };
        let Some((tr, tc)) = at(r0, c0) else { continue };
        let Some(value) = cells.get(tr).and_then(|row| row.get(tc)).cloned() else {
            continue;
        };
        for r in r0..=r1 {
            for c in c0..=c1 {
                if let Some((rr, cc)) = at(r, c)
                    && let Some(cell) = cells.get_mut(rr).and_then(|row| row.get_mut(cc))
                    && *cell == Data::Empty
                {
                    *cell = value.clone();
                }
            }
        }
    }
    let grid: Vec<Vec<Option<String>>> = cells.iter().map(|row| row.iter().map(cell_text).collect()).collect();
    let Some(header) = grid.get(header_index) else {
        return Err(Error::Empty);
    };
    // The table spans the header's columns, trimming empty ones on the right.
    let width = header.iter().rposition(Option::is_some).map_or(0, |i| i + 1);
    let labels: Vec<String> = header[..width].iter().map(|c| c.clone().unwrap_or_default()).collect();
    let mut table = TableBuilder::new(labels, grid.len().saturating_sub(header_index + 1));
    for (offset, row) in grid.iter().enumerate().skip(header_index + 1) {
        let used = row.iter().rposition(Option::is_some).map_or(0, |i| i + 1);
        if used == 0 {
            continue;
        }
        let cells: Vec<Option<&str>> = row[..used.max(width)].iter().map(Option::as_deref).collect();
        table.push(u64::from(first_row) + offset as u64 + 1, &cells);
    }
    let header_row = u64::from(first_row) + header_index as u64 + 1;
    table.finish(Format::Workbook {
        kind: crate::FileKind::Xlsx,
        sheet,
        header_row,
    })
}
