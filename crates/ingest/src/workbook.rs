//! Spreadsheet workbooks (`.xlsx`, `.xls`, `.xlsb`, `.ods`), one reader over calamine: the
//! first (or a named) sheet, read as sparse cells within the [`Limits`], merged cells filled,
//! the header row found below any title block, values as the sheet shows them (dates as ISO
//! dates, percent-formatted numbers as the percentage shown).

use std::io::Cursor;

use calamine::{Data, DataRef, Ods, Range, Reader, Xls, Xlsb, Xlsx};

use crate::layout;
use crate::limits::Limits;
use crate::{Bound, Error, FileKind, Format, IngestOptions, Result, Table, TableBuilder, number_text};

/// A merged region of a sheet: absolute, 0-based, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Merge {
    /// First row.
    pub(crate) first_row: u32,
    /// First column.
    pub(crate) first_col: u32,
    /// Last row.
    pub(crate) last_row: u32,
    /// Last column.
    pub(crate) last_col: u32,
}

/// One cell's value as the sheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// Text as written (trimmed, never empty).
    Text(String),
    /// A number (or a date, time or boolean already written as text).
    Number(String),
    /// A number formatted as percent, written as the percentage it shows (`92.5` for 0.925).
    Percent(String),
}

impl Value {
    /// The cell's text.
    pub(crate) fn text(&self) -> &str {
        match self {
            Value::Text(s) | Value::Number(s) | Value::Percent(s) => s,
        }
    }
}

/// A filled cell and its column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    /// Absolute, 0-based column.
    pub(crate) col: u32,
    /// The value.
    pub(crate) value: Value,
}

/// The filled cells of one row, by column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SheetRow {
    /// Absolute, 0-based row.
    pub(crate) row: u32,
    /// Its filled cells, in column order.
    pub(crate) cells: Vec<Cell>,
}

/// A sheet read as sparse rows, with its merged regions.
#[derive(Debug, Default)]
pub(crate) struct Sheet {
    /// Rows holding at least one filled cell, in order.
    pub(crate) rows: Vec<SheetRow>,
    /// Merged regions.
    pub(crate) merges: Vec<Merge>,
}

/// Collects cells in sheet order (row by row) into rows, within the limits.
struct SheetBuilder<'a> {
    sheet: Sheet,
    limits: &'a Limits,
    cells: u64,
    format: &'static str,
}

impl<'a> SheetBuilder<'a> {
    fn new(format: &'static str, limits: &'a Limits) -> Self {
        SheetBuilder {
            sheet: Sheet::default(),
            limits,
            cells: 0,
            format,
        }
    }

    /// Adds a cell; cells come row by row, each row in column order.
    fn push(&mut self, row: u32, col: u32, value: Option<Value>) -> Result<()> {
        let Some(value) = value else { return Ok(()) };
        self.cells += 1;
        if self.cells > self.limits.max_sheet_cells {
            return Err(Error::too_large(
                self.format,
                Bound::SheetCells,
                self.limits.max_sheet_cells,
            ));
        }
        if col as usize >= self.limits.max_columns {
            return Err(Error::too_large(self.format, Bound::Columns, self.limits.max_columns));
        }
        match self.sheet.rows.last_mut() {
            Some(last) if last.row == row => last.cells.push(Cell { col, value }),
            _ => self.sheet.rows.push(SheetRow {
                row,
                cells: vec![Cell { col, value }],
            }),
        }
        Ok(())
    }

    fn finish(mut self, merges: Vec<Merge>) -> Sheet {
        // Readers give rows in order; a sheet written out of order is put right.
        if !self.sheet.rows.is_sorted_by_key(|r| r.row) {
            self.sheet.rows.sort_by_key(|r| r.row);
        }
        for row in &mut self.sheet.rows {
            row.cells.sort_by_key(|c| c.col);
        }
        self.sheet.merges = merges;
        self.sheet
    }
}

/// Text of a date-time cell: the date alone at midnight, else ISO date and time.
fn datetime_text(dt: chrono::NaiveDateTime) -> String {
    if dt.time() == chrono::NaiveTime::MIN {
        dt.format("%Y-%m-%d").to_string()
    } else {
        dt.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

/// The value of a calamine cell; `percent` when its number format shows a percentage.
fn value_of(cell: &DataRef<'_>, percent: bool) -> Option<Value> {
    let number = |n: f64| {
        if percent {
            Value::Percent(percent_text(n))
        } else {
            Value::Number(number_text(n))
        }
    };
    match cell {
        DataRef::Empty => None,
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Int(n) => Some(number(*n as f64)),
        DataRef::Float(f) => Some(number(*f)),
        DataRef::Bool(b) => Some(Value::Number(b.to_string())),
        DataRef::DateTime(d) => d.as_datetime().map(|dt| Value::Number(datetime_text(dt))),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(Value::Number(s.clone())),
        DataRef::Error(e) => Some(Value::Text(format!("{e}"))),
    }
}

/// [`value_of`] for an owned cell.
fn value_of_data(cell: &Data, percent: bool) -> Option<Value> {
    let borrowed = match cell {
        Data::Empty => DataRef::Empty,
        Data::String(s) => DataRef::SharedString(s),
        Data::Int(n) => DataRef::Int(*n),
        Data::Float(f) => DataRef::Float(*f),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
    };
    value_of(&borrowed, percent)
}

fn text(s: &str) -> Option<Value> {
    let t = s.trim();
    (!t.is_empty()).then(|| Value::Text(t.to_owned()))
}

/// The percentage a fraction shows: `0.925` → `92.5`, by moving the decimal point of the
/// number's shortest text, so no binary rounding creeps in (`0.925 * 100` is 92.50000000000001).
pub(crate) fn percent_text(n: f64) -> String {
    let plain = format!("{n}");
    if plain.contains(['e', 'E', 'N', 'i']) {
        return number_text(n * 100.0);
    }
    let (sign, digits) = plain.strip_prefix('-').map_or(("", plain.as_str()), |d| ("-", d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = format!("{frac:0<2}");
    let (moved, rest) = frac.split_at(2);
    let int = format!("{int}{moved}");
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let rest = rest.trim_end_matches('0');
    let sign = if int == "0" && rest.is_empty() { "" } else { sign };
    if rest.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{rest}")
    }
}

/// Whether an Excel number format shows a percentage: a `%` outside quotes, escapes and
/// brackets, in its first (positive) section.
pub(crate) fn is_percent_format(code: &str) -> bool {
    let (mut quoted, mut bracket, mut escaped) = (false, false, false);
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            ';' if !quoted && !bracket => return false,
            '%' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

/// Reads the sheet of an `.xlsx` workbook as cells stream from its XML.
fn read_xlsx_sheet(bytes: &[u8], options: &IngestOptions) -> Result<(String, Sheet)> {
    let fail = |e: calamine::XlsxError| Error::format("XLSX", e);
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(fail)?;
    let sheet = pick_sheet(workbook.sheet_names(), options)?;
    let merges = workbook
        .merge_cells_by_sheet_name(&sheet)
        .map_err(fail)?
        .into_iter()
        .map(merge_of)
        .collect();
    let mut reader = workbook.worksheet_cells_reader(&sheet).map_err(fail)?;
    let percent: Vec<bool> = reader
        .styles()
        .iter()
        .map(|s| {
            s.number_format
                .as_ref()
                .is_some_and(|f| is_percent_format(&f.format_code))
        })
        .collect();
    let mut builder = SheetBuilder::new("XLSX", &options.limits);
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(fail)? {
        let (row, col) = cell.get_position();
        let shows_percent = percent.get(style).copied().unwrap_or(false);
        builder.push(row, col, value_of(cell.get_value(), shows_percent))?;
    }
    Ok((sheet, builder.finish(merges)))
}

/// Reads the sheet of an `.xlsb` workbook as its cells stream.
fn read_xlsb_sheet(bytes: &[u8], options: &IngestOptions) -> Result<(String, Sheet)> {
    let fail = |e: calamine::XlsbError| Error::format("XLSB", e);
    let mut workbook = Xlsb::new(Cursor::new(bytes)).map_err(fail)?;
    let sheet = pick_sheet(workbook.sheet_names(), options)?;
    let mut reader = workbook.worksheet_cells_reader(&sheet).map_err(fail)?;
    let mut builder = SheetBuilder::new("XLSB", &options.limits);
    while let Some(cell) = reader.next_cell().map_err(fail)? {
        let (row, col) = cell.get_position();
        builder.push(row, col, value_of(cell.get_value(), false))?;
    }
    Ok((sheet, builder.finish(Vec::new())))
}

/// Reads the sheet of an `.xls` workbook.
fn read_xls_sheet(bytes: &[u8], options: &IngestOptions) -> Result<(String, Sheet)> {
    let fail = |e: calamine::XlsError| Error::format("XLS", e);
    let mut workbook = Xls::new(Cursor::new(bytes)).map_err(fail)?;
    let sheet = pick_sheet(workbook.sheet_names(), options)?;
    let merges = workbook
        .merge_cells_by_sheet_name(&sheet)
        .map_err(fail)?
        .into_iter()
        .map(merge_of)
        .collect();
    let range = workbook.worksheet_range(&sheet).map_err(fail)?;
    let sheet_cells = cells_of_range("XLS", &range, &options.limits, |_, _| false)?;
    Ok((sheet, sheet_cells.finish(merges)))
}

/// Reads the sheet of an `.ods` spreadsheet; its merges, percent cells and size come from a
/// scan of `content.xml` made before calamine expands it.
fn read_ods_sheet(bytes: &[u8], options: &IngestOptions) -> Result<(String, Sheet)> {
    let fail = |e: calamine::OdsError| Error::format("ODS", e);
    let mut workbook: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(fail)?;
    let sheet = pick_sheet(workbook.sheet_names(), options)?;
    let scan = crate::ods::scan(bytes, &sheet, &options.limits)?;
    let range = workbook.worksheet_range(&sheet).map_err(fail)?;
    let sheet_cells = cells_of_range("ODS", &range, &options.limits, |r, c| scan.percent.contains(&(r, c)))?;
    Ok((sheet, sheet_cells.finish(scan.merges)))
}

/// The filled cells of a whole-sheet range, at their absolute positions.
fn cells_of_range<'a>(
    format: &'static str,
    range: &Range<Data>,
    limits: &'a Limits,
    percent: impl Fn(u32, u32) -> bool,
) -> Result<SheetBuilder<'a>> {
    let mut builder = SheetBuilder::new(format, limits);
    let Some((row0, col0)) = range.start() else {
        return Ok(builder);
    };
    for (r, c, data) in range.used_cells() {
        let (row, col) = (row0 + r as u32, col0 + c as u32);
        builder.push(row, col, value_of_data(data, percent(row, col)))?;
    }
    Ok(builder)
}

fn merge_of(d: calamine::Dimensions) -> Merge {
    Merge {
        first_row: d.start.0,
        first_col: d.start.1,
        last_row: d.end.0,
        last_col: d.end.1,
    }
}

/// The sheet to read: the one named in the options, else the first.
fn pick_sheet(names: Vec<String>, options: &IngestOptions) -> Result<String> {
    match &options.sheet {
        Some(name) if names.contains(name) => Ok(name.clone()),
        Some(name) => Err(Error::Sheet(name.clone())),
        None => names.into_iter().next().ok_or(Error::Empty),
    }
}

/// Reads a sheet of a workbook of any of the four kinds into a [`Table`].
pub fn read_workbook(bytes: &[u8], kind: FileKind, options: &IngestOptions) -> Result<Table> {
    if matches!(kind, FileKind::Xlsx | FileKind::Xlsb | FileKind::Ods) {
        crate::archive::check(bytes, kind.as_str(), &options.limits)?;
    }
    if kind == FileKind::Xls {
        crate::xls::check(bytes, &options.limits)?;
    }
    // calamine is guarded by the checks above; should a malformed part still make it panic,
    // the file is unreadable, not the process gone.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match kind {
        FileKind::Xls => read_xls_sheet(bytes, options),
        FileKind::Xlsb => read_xlsb_sheet(bytes, options),
        FileKind::Ods => read_ods_sheet(bytes, options),
        _ => read_xlsx_sheet(bytes, options),
    }));
    let (name, sheet) =
        read.map_err(|_| Error::format(kind.as_str(), "the workbook reader stopped on a malformed part"))??;
    sheet_table(kind, name, &sheet, options)
}

/// A row's cells in the columns `from..to`, merged regions filled from their top-left cell.
fn dense_row(row: &SheetRow, from: u32, to: u32, merges: &[Merge], sheet: &Sheet) -> Vec<Option<Value>> {
    let mut out: Vec<Option<Value>> = vec![None; to.saturating_sub(from) as usize];
    for cell in &row.cells {
        if let Some(slot) = cell.col.checked_sub(from).and_then(|i| out.get_mut(i as usize)) {
            *slot = Some(cell.value.clone());
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
                *slot = Some(value.clone());
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
fn value_at(sheet: &Sheet, row: u32, col: u32) -> Option<&Value> {
    let i = sheet.rows.binary_search_by_key(&row, |r| r.row).ok()?;
    let cells = &sheet.rows[i].cells;
    let j = cells.binary_search_by_key(&col, |c| c.col).ok()?;
    Some(&cells[j].value)
}

/// The top of a sheet as [`layout::find_header`] sees it: a dense grid from the first filled
/// row and the leftmost filled column, merged regions not filled, with the regions that start
/// in it (relative to the grid) and the `--header-row` given (a grid row).
struct Top<'s> {
    /// Sheet row and column of the grid's origin.
    origin: (u32, u32),
    texts: Vec<Vec<Option<(&'s str, bool)>>>,
    merges: Vec<layout::Merge>,
    forced: Option<usize>,
}

impl<'s> Top<'s> {
    fn new(sheet: &'s Sheet, options: &IngestOptions) -> Result<Self> {
        let first = sheet.rows.first().ok_or(Error::Empty)?;
        let col0 = sheet
            .rows
            .iter()
            .filter_map(|r| r.cells.first())
            .map(|c| c.col)
            .min()
            .unwrap_or(0);
        let origin = (first.row, col0);
        let forced = options.header_row.map(|row| {
            usize::try_from(row.saturating_sub(1).saturating_sub(u64::from(origin.0))).unwrap_or(usize::MAX)
        });
        let depth = forced
            .map_or(0, |f| f.saturating_add(1))
            .saturating_add(layout::HEADER_SEARCH_ROWS);
        let mut texts: Vec<Vec<Option<(&str, bool)>>> = Vec::new();
        for row in &sheet.rows {
            let index = (row.row - origin.0) as usize;
            if index >= depth {
                break;
            }
            texts.resize_with(index + 1, Vec::new);
            let width = row.cells.last().map_or(0, |c| (c.col - col0) as usize + 1);
            let mut line = vec![None; width];
            for cell in &row.cells {
                line[(cell.col - col0) as usize] = Some((cell.value.text(), matches!(cell.value, Value::Text(_))));
            }
            texts[index] = line;
        }
        // As wide as the widest top row: merged regions reach over cells the sheet leaves out.
        let width = texts.iter().map(Vec::len).max().unwrap_or(0);
        for line in &mut texts {
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
            texts,
            merges,
            forced,
        })
    }

    /// The header: its rows, labels and groups.
    fn header(&self) -> layout::Header {
        let top: Vec<Vec<Option<layout::HeadCell<'_>>>> = self
            .texts
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| c.map(|(text, is_text)| layout::HeadCell { text, is_text }))
                    .collect()
            })
            .collect();
        layout::find_header(&top, &self.merges, self.forced)
    }
}

/// Builds the table of a sheet: the header (found by [`layout::find_header`]), then the rows
/// below it that a [`layout::RowFilter`] passes on as data.
fn sheet_table(kind: FileKind, name: String, sheet: &Sheet, options: &IngestOptions) -> Result<Table> {
    let top = Top::new(sheet, options)?;
    let header = top.header();
    if header.first_row >= top.texts.len() {
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
            *seen |= matches!(cell, Some(Value::Percent(_)));
        }
        // Cells right of the header only count: the row is ragged.
        let extent = row
            .cells
            .last()
            .map_or(0, |c| (c.col + 1).saturating_sub(from) as usize);
        let texts: Vec<Option<String>> = cells.into_iter().map(|c| c.map(|v| v.text().to_owned())).collect();
        filter.push(
            u64::from(row.row) + 1,
            texts,
            row.cells.len(),
            extent.max(width),
            &mut push,
        );
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

/// The `percent-warning` for a column read from percent-formatted cells.
fn percent_note(label: &str, column: usize) -> satudata_core::Finding {
    let mut finding = satudata_core::Finding::new(satudata_core::FindingCode::PercentWarning)
        .with_message("percent-warning", &[("label", label)]);
    finding.column = Some(column as u64);
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_move_the_point() {
        assert_eq!(percent_text(0.925), "92.5");
        assert_eq!(percent_text(1.0), "100");
        assert_eq!(percent_text(0.0), "0");
        assert_eq!(percent_text(-0.05), "-5");
        assert_eq!(percent_text(0.12345), "12.345");
        assert_eq!(percent_text(12.5), "1250");
        assert_eq!(percent_text(0.001), "0.1");
    }

    #[test]
    fn percent_formats() {
        assert!(is_percent_format("0.0%"));
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("#,##0.00%;[Red]-#,##0.00%"));
        assert!(!is_percent_format("0.00\"%\""));
        assert!(!is_percent_format("0\\%"));
        assert!(!is_percent_format("General"));
        assert!(!is_percent_format("0;-0%"));
    }
}
