//! Excel workbooks: the first (or a named) sheet, merged cells filled, the header found below
//! any title block and total and note rows left out (both in [`crate::layout`]), Excel's date
//! serials turned into ISO dates.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};

use crate::layout::{self, HEADER_SEARCH_ROWS, HeadCell, Merge, RowFilter};
use crate::{Error, Format, IngestOptions, Result, Table, TableBuilder, number_text};

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

/// Whether the sheet holds something in the cell (blank text is nothing).
fn is_filled(cell: &Data) -> bool {
    match cell {
        Data::Empty => false,
        Data::String(s) => !s.trim().is_empty(),
        _ => true,
    }
}

/// The header (see [`layout::find_header`]) among the top rows, merged cells not filled.
fn header(cells: &[Vec<Data>], merges: &[Merge], forced: Option<usize>) -> layout::Header {
    let depth = forced
        .map_or(0, |f| f.saturating_add(1))
        .saturating_add(HEADER_SEARCH_ROWS);
    let texts: Vec<Vec<Option<String>>> = cells
        .iter()
        .take(depth)
        .map(|row| row.iter().map(cell_text).collect())
        .collect();
    let top: Vec<Vec<Option<HeadCell<'_>>>> = texts
        .iter()
        .zip(cells)
        .map(|(texts, row)| {
            texts
                .iter()
                .zip(row)
                .map(|(text, cell)| {
                    Some(HeadCell {
                        text: text.as_deref()?,
                        is_text: matches!(cell, Data::String(_)),
                    })
                })
                .collect()
        })
        .collect();
    layout::find_header(&top, merges, forced)
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
    let merges: Vec<Merge> = merged
        .iter()
        .filter_map(|region| {
            let (r0, c0) = region.start;
            let (r1, c1) = region.end;
            Some(Merge {
                first_row: r0.checked_sub(first_row)? as usize,
                first_col: c0.checked_sub(first_col)? as usize,
                last_row: r1.saturating_sub(first_row) as usize,
                last_col: c1.saturating_sub(first_col) as usize,
            })
        })
        .collect();
    // The header is found before merged cells are filled: a title merged across the table is
    // one cell, not a row of labels. `--header-row` names the header's first row.
    let forced = options
        .header_row
        .map(|row| (row.saturating_sub(1) as usize).saturating_sub(first_row as usize));
    let header = header(&cells, &merges, forced);
    if header.first_row >= cells.len() {
        return Err(Error::Empty);
    }
    // How many cells each row holds itself, a merged region counted once: a note merged
    // across the table is still one cell.
    let own: Vec<usize> = cells
        .iter()
        .map(|row| row.iter().filter(|c| is_filled(c)).count())
        .collect();
    fill_merges(&mut cells, &merges);
    let width = header.labels.len();
    let mut table = TableBuilder::new(header.labels, cells.len().saturating_sub(header.last_row + 1));
    let mut rows = RowFilter::new(width);
    let mut push = |row: u64, cells: &[Option<&str>]| table.push(row, cells);
    for (offset, row) in cells.iter().enumerate().skip(header.last_row + 1) {
        let mut texts: Vec<Option<String>> = row.iter().map(cell_text).collect();
        let used = texts.iter().rposition(Option::is_some).map_or(0, |i| i + 1);
        if used == 0 {
            continue;
        }
        texts.truncate(used.max(width));
        let sheet_row = u64::from(first_row) + offset as u64 + 1;
        rows.push(sheet_row, texts, own.get(offset).copied().unwrap_or(0), &mut push);
    }
    let skipped = rows.finish();
    let header_row = u64::from(first_row) + header.first_row as u64 + 1;
    let mut table = table.finish(Format::Workbook {
        kind: crate::FileKind::Xlsx,
        sheet,
        header_row,
    })?;
    table.label_groups = header.groups;
    table.notes.extend(skipped);
    Ok(table)
}

/// Shows a merged region's top-left value in every cell it covers.
fn fill_merges(cells: &mut [Vec<Data>], merges: &[Merge]) {
    for m in merges {
        let Some(value) = cells.get(m.first_row).and_then(|row| row.get(m.first_col)).cloned() else {
            continue;
        };
        for row in cells.iter_mut().take(m.last_row.saturating_add(1)).skip(m.first_row) {
            let end = row.len().min(m.last_col.saturating_add(1));
            for cell in row.get_mut(m.first_col.min(end)..end).into_iter().flatten() {
                if *cell == Data::Empty {
                    *cell = value.clone();
                }
            }
        }
    }
}
