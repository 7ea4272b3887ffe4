//! Reading one sheet of a workbook as sparse cells: calamine's cell readers for `.xlsx` and
//! `.xlsb`, its ranges for `.xls` and `.ods`, each cell's value as the sheet shows it (dates as
//! ISO dates, whole numbers without a fraction, percent-formatted numbers as the percentage
//! shown), within the [`Limits`].

use std::io::Cursor;

use calamine::{Data, DataRef, Ods, Range, Reader, Xls, Xlsb, Xlsx};

use crate::limits::Limits;
use crate::{Bound, Error, IngestOptions, Result, number_text};

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
pub(super) fn read_xlsx_sheet(bytes: &[u8], options: &IngestOptions) -> Result<(String, Sheet)> {
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
pub(super) fn read_xlsb_sheet(bytes: &[u8], options: &IngestOptions) -> Result<(String, Sheet)> {
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
pub(super) fn read_xls_sheet(bytes: &[u8], options: &IngestOptions) -> Result<(String, Sheet)> {
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
pub(super) fn read_ods_sheet(bytes: &[u8], options: &IngestOptions) -> Result<(String, Sheet)> {
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
