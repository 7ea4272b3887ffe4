//! Spreadsheet workbooks (`.xlsx`, `.xls`, `.xlsb`, `.ods`), one reader over calamine: the
//! first (or a named) sheet, read as sparse cells within the [`crate::Limits`], merged cells filled,
//! the header row found below any title block, values as the sheet shows them (dates as ISO
//! dates, percent-formatted numbers as the percentage shown).

mod sheet;

use crate::layout;
use crate::{Error, FileKind, Format, IngestOptions, Layout, Result, Table, TableBuilder};

pub(crate) use sheet::{Extras, Merge, format_shows_percent, is_percent_format};
use sheet::{Kind, Sheet, SheetRow, Value, read_ods_sheet, read_xls_sheet, read_xlsb_sheet, read_xlsx_sheet};

/// Reads a sheet of a workbook of any of the four kinds into a [`Table`].
pub fn read_workbook(bytes: &[u8], kind: FileKind, options: &IngestOptions) -> Result<Table> {
    if matches!(kind, FileKind::Xlsx | FileKind::Xlsb | FileKind::Ods) {
        crate::archive::check(bytes, kind.as_str(), &options.limits)?;
    }
    let xls = if kind == FileKind::Xls {
        crate::xls::scan(bytes, &options.limits)?
    } else {
        crate::xls::XlsScan::default()
    };
    // calamine is guarded by the checks above; should a malformed part still make it panic,
    // the file is unreadable, not the process gone.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match kind {
        FileKind::Xls => read_xls_sheet(bytes, options, &xls),
        FileKind::Xlsb => read_xlsb_sheet(bytes, options),
        FileKind::Ods => read_ods_sheet(bytes, options),
        _ => read_xlsx_sheet(bytes, options),
    }));
    let (name, sheet) =
        read.map_err(|_| Error::format(kind.as_str(), "the workbook reader stopped on a malformed part"))??;
    match options.layout {
        Layout::Report => sheet_table(kind, name, &sheet, options),
        Layout::Plain => plain_table(kind, name, &sheet, options),
    }
}

/// A row's cells in the columns `from..to`, merged regions filled from their top-left cell.
fn dense_row<'s>(row: &'s SheetRow, from: u32, to: u32, merges: &[Merge], sheet: &'s Sheet) -> Vec<Option<Value<'s>>> {
    let mut out: Vec<Option<Value<'s>>> = vec![None; to.saturating_sub(from) as usize];
    for (col, value) in row.cells() {
        if let Some(slot) = col.checked_sub(from).and_then(|i| out.get_mut(i as usize)) {
            *slot = Some(value);
        }
    }
    for merge in merges {
        let Some(value) = value_at(sheet, merge.first_row, merge.first_col) else {
            continue;
        };
        for col in merge.first_col.max(from)..=merge.last_col.min(to.saturating_sub(1)) {
            if let Some(slot) = out.get_mut((col - from) as usize)
                && slot.is_none()
            {
                *slot = Some(value);
            }
        }
    }
    out
}

/// The merged regions over each row in turn, for rows visited in order: each region enters
/// and leaves once, and at most one region per column of the table is kept (regions of a sound
/// sheet never overlap), so a row costs at most the table's width.
struct MergeSweep {
    pending: Vec<Merge>,
    next: usize,
    active: Vec<Merge>,
    from: u32,
    to: u32,
}

impl MergeSweep {
    fn new(mut merges: Vec<Merge>, from: u32, to: u32) -> Self {
        merges.retain(|m| m.last_col >= from && m.first_col < to && m.first_row <= m.last_row);
        merges.sort_by_key(|m| m.first_row);
        MergeSweep {
            pending: merges,
            next: 0,
            active: Vec::new(),
            from,
            to,
        }
    }

    /// The regions covering `row`; rows must come in increasing order.
    fn at(&mut self, row: u32) -> &[Merge] {
        self.active.retain(|m| m.last_row >= row);
        let room = (self.to - self.from) as usize;
        while let Some(m) = self.pending.get(self.next).filter(|m| m.first_row <= row) {
            if m.last_row >= row && self.active.len() < room {
                self.active.push(*m);
            }
            self.next += 1;
        }
        &self.active
    }
}

/// The value of the cell at (row, col), if filled.
fn value_at(sheet: &Sheet, row: u32, col: u32) -> Option<Value<'_>> {
    let i = sheet.rows.binary_search_by_key(&row, |r| r.row).ok()?;
    sheet.rows[i].get(col)
}

/// The top of a sheet as [`layout::find_header`] sees it: a dense grid from the first filled
/// row and the leftmost filled column, merged regions not filled, with the regions that start
/// in it (relative to the grid) and the `--header-row` given (a grid row).
struct Top<'s> {
    /// Sheet row and column of the grid's origin.
    origin: (u32, u32),
    cells: Vec<Vec<Option<layout::HeadCell<'s>>>>,
    merges: Vec<layout::Merge>,
    forced: Option<usize>,
}

impl<'s> Top<'s> {
    fn new(sheet: &'s Sheet, options: &IngestOptions) -> Result<Self> {
        let first = sheet.rows.first().ok_or(Error::Empty)?;
        let col0 = sheet.rows.iter().filter_map(SheetRow::first_col).min().unwrap_or(0);
        let origin = (first.row, col0);
        let forced = options.header_row.map(|row| {
            usize::try_from(row.saturating_sub(1).saturating_sub(u64::from(origin.0))).unwrap_or(usize::MAX)
        });
        let depth = forced
            .map_or(0, |f| f.saturating_add(1))
            .saturating_add(layout::HEADER_SEARCH_ROWS);
        let mut cells: Vec<Vec<Option<layout::HeadCell<'s>>>> = Vec::new();
        for row in &sheet.rows {
            let index = (row.row - origin.0) as usize;
            if index >= depth {
                break;
            }
            cells.resize_with(index + 1, Vec::new);
            let width = row.last_col().map_or(0, |c| (c - col0) as usize + 1);
            let mut line = vec![None; width];
            for (col, (kind, text)) in row.cells() {
                let is_text = kind == Kind::Text;
                line[(col - col0) as usize] = Some(layout::HeadCell { text, is_text });
            }
            cells[index] = line;
        }
        // As wide as the widest top row: merged regions reach over cells the sheet leaves out.
        let width = cells.iter().map(Vec::len).max().unwrap_or(0);
        for line in &mut cells {
            line.resize(width, None);
        }
        let merges = sheet
            .merges
            .iter()
            .filter(|m| m.first_row >= origin.0 && m.first_col >= col0)
            .map(|m| layout::Merge {
                first_row: (m.first_row - origin.0) as usize,
                first_col: (m.first_col - col0) as usize,
                last_row: m.last_row.saturating_sub(origin.0) as usize,
                last_col: m.last_col.saturating_sub(col0) as usize,
            })
            .collect();
        Ok(Top {
            origin,
            cells,
            merges,
            forced,
        })
    }

    /// The header: its rows, labels and groups.
    fn header(&self) -> layout::Header {
        layout::find_header(&self.cells, &self.merges, self.forced)
    }
}

/// Builds the table of a sheet: the header (found by [`layout::find_header`]), then the rows
/// below it that a [`layout::RowFilter`] passes on as data.
fn sheet_table(kind: FileKind, name: String, sheet: &Sheet, options: &IngestOptions) -> Result<Table> {
    let top = Top::new(sheet, options)?;
    let header = top.header();
    if header.first_row >= top.cells.len() {
        return Err(Error::Empty);
    }
    let (row0, from) = top.origin;
    let width = header.labels.len();
    let to = from + width as u32;
    let body_start = row0 as usize + header.last_row + 1;
    let body: Vec<&SheetRow> = sheet.rows.iter().filter(|r| r.row as usize >= body_start).collect();
    let mut sweep = MergeSweep::new(sheet.merges.clone(), from, to);
    let mut percent_columns = vec![false; width];
    let mut table = TableBuilder::new(header.labels.clone(), body.len()).with_limits(&options.limits);
    let mut filter = layout::RowFilter::new(width);
    let mut push = |row: u64, count: usize, cells: &[Option<&str>]| table.push_iter(row, count, cells.iter().copied());
    for row in body {
        let cells = dense_row(row, from, to, sweep.at(row.row), sheet);
        for (seen, cell) in percent_columns.iter_mut().zip(&cells) {
            *seen |= matches!(cell, Some((Kind::Percent, _)));
        }
        // Cells right of the header only count: the row is ragged.
        let extent = row.last_col().map_or(0, |c| (c + 1).saturating_sub(from) as usize);
        let texts: Vec<Option<&str>> = cells.into_iter().map(|c| c.map(|(_, text)| text)).collect();
        filter.push(u64::from(row.row) + 1, &texts, row.len(), extent.max(width), &mut push);
    }
    let skipped = filter.finish();
    let mut table = table.finish(Format::Workbook {
        kind,
        sheet: name,
        header_row: u64::from(row0) + header.first_row as u64 + 1,
    })?;
    table.label_groups = header.groups;
    table.notes.extend(skipped);
    for (i, _) in percent_columns.iter().enumerate().filter(|(_, p)| **p) {
        table.notes.push(percent_note(&header.labels[i], i + 1));
    }
    Ok(table)
}

/// Builds the table of a sheet read as Frictionless reads it: row 1 (or the `--header-row`) is
/// the header and every row below it, to the last filled one, is data (a row the sheet leaves out is a blank row),
/// all as wide as the widest row, from column A; merged regions are not filled. The grid is
/// dense, so it is held to [`crate::Limits::max_sheet_cells`] as a whole.
fn plain_table(kind: FileKind, name: String, sheet: &Sheet, options: &IngestOptions) -> Result<Table> {
    let last = sheet.rows.last().ok_or(Error::Empty)?.row;
    let width = sheet
        .rows
        .iter()
        .filter_map(SheetRow::last_col)
        .max()
        .map_or(0, |c| c as usize + 1);
    let cells = u64::from(last).saturating_add(1).saturating_mul(width as u64);
    if cells > options.limits.max_sheet_cells {
        return Err(Error::too_large(
            kind.as_str(),
            crate::Bound::SheetCells,
            options.limits.max_sheet_cells,
        ));
    }
    // `--header-row` still names the header; the rows above it are not read.
    let first = options
        .header_row
        .map_or(0, |r| u32::try_from(r.saturating_sub(1)).unwrap_or(u32::MAX));
    let mut rows = sheet.rows.iter().skip_while(|r| r.row < first).peekable();
    let header = rows.next_if(|r| r.row == first);
    let labels: Vec<String> = match header {
        Some(row) => dense_row(row, 0, width as u32, &[], sheet)
            .into_iter()
            .map(|c| c.map(|(_, text)| text.to_owned()).unwrap_or_default())
            .collect(),
        None => vec![String::new(); width],
    };
    let mut table = TableBuilder::new(labels, last.saturating_sub(first) as usize).with_limits(&options.limits);
    let blank: Vec<Option<&str>> = vec![None; width];
    for number in first.saturating_add(1)..=last {
        match rows.next_if(|r| r.row == number) {
            Some(row) => {
                let cells = dense_row(row, 0, width as u32, &[], sheet);
                table.push_iter(
                    u64::from(number) + 1,
                    width,
                    cells.iter().map(|c| c.map(|(_, text)| text)),
                );
            }
            None => table.push_iter(u64::from(number) + 1, width, blank.iter().copied()),
        }
    }
    let mut table = table.finish(Format::Workbook {
        kind,
        sheet: name,
        header_row: u64::from(first) + 1,
    })?;
    table.label_groups = vec![None; width];
    Ok(table)
}

/// The `percent-warning` for a column read from percent-formatted cells.
fn percent_note(label: &str, column: usize) -> satudata_core::Finding {
    let mut finding = satudata_core::Finding::new(satudata_core::FindingCode::PercentWarning)
        .with_message("percent-warning", &[("label", label)]);
    finding.column = Some(column as u64);
    finding
}
