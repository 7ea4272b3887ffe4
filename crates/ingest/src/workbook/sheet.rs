//! Reading one sheet of a workbook as sparse cells: calamine's cell readers for `.xlsx` and
//! `.xlsb`, its ranges for `.xls` and `.ods`, each cell's value as the sheet shows it (dates as
//! ISO dates, whole numbers without a fraction, percent-formatted numbers as the percentage
//! shown), within the [`Limits`].

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use calamine::{Data, DataRef, Ods, Range, Reader, Xls, Xlsb, Xlsx};

use crate::limits::Limits;
use crate::xls::XlsScan;
use crate::{Bound, Error, IngestOptions, Layout, Result, number_text};

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

/// What calamine does not tell of a sheet, read from the file by satudata: merged regions and
/// the number cells formatted as percent, at absolute, 0-based (row, column).
#[derive(Debug, Default)]
pub(crate) struct Extras {
    /// Merged regions.
    pub(crate) merges: Vec<Merge>,
    /// Number cells shown as a percentage.
    pub(crate) percent: HashSet<(u32, u32)>,
}

/// What kind of value a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text as written.
    Text,
    /// A number (or a date, time or boolean already written as text).
    Number,
    /// A number formatted as percent, written as the percentage it shows (`92.5` for 0.925).
    Percent,
}

/// One cell's value as the sheet holds it: its kind and its text (trimmed, never empty).
pub(crate) type Value<'s> = (Kind, &'s str);

/// The filled cells of one row, by column, their texts side by side in one string: about 9
/// bytes a cell besides the text, where a `String` each took some 48.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SheetRow {
    /// Absolute, 0-based row.
    pub(crate) row: u32,
    cols: Vec<u32>,
    kinds: Vec<Kind>,
    /// Where each cell's text ends in `text`.
    ends: Vec<u32>,
    text: String,
}

impl SheetRow {
    fn new(row: u32) -> Self {
        SheetRow {
            row,
            ..SheetRow::default()
        }
    }

    fn push(&mut self, col: u32, kind: Kind, text: &str) {
        self.cols.push(col);
        self.kinds.push(kind);
        self.text.push_str(text);
        self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    /// How many filled cells the row holds.
    pub(crate) fn len(&self) -> usize {
        self.cols.len()
    }

    /// The leftmost and rightmost filled columns.
    pub(crate) fn first_col(&self) -> Option<u32> {
        self.cols.first().copied()
    }

    /// The rightmost filled column.
    pub(crate) fn last_col(&self) -> Option<u32> {
        self.cols.last().copied()
    }

    /// The `i`-th filled cell: its column and value.
    fn at(&self, i: usize) -> (u32, Value<'_>) {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = (self.ends[i] as usize).min(self.text.len());
        (
            self.cols[i],
            (self.kinds[i], self.text.get(start..end).unwrap_or_default()),
        )
    }

    /// The filled cells, in column order.
    pub(crate) fn cells(&self) -> impl Iterator<Item = (u32, Value<'_>)> {
        (0..self.len()).map(|i| self.at(i))
    }

    /// The value in column `col`, if filled.
    pub(crate) fn get(&self, col: u32) -> Option<Value<'_>> {
        self.cols.binary_search(&col).ok().map(|i| self.at(i).1)
    }

    /// Puts the cells in column order (a sheet written out of order).
    fn sort(&mut self) {
        if self.cols.is_sorted() {
            return;
        }
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by_key(|&i| self.cols[i]);
        let mut sorted = SheetRow::new(self.row);
        for i in order {
            let (col, (kind, text)) = self.at(i);
            sorted.push(col, kind, text);
        }
        *self = sorted;
    }
}

/// A sheet read as sparse rows, with its merged regions.
#[derive(Debug, Default)]
pub(crate) struct Sheet {
    /// Rows holding at least one filled cell, in order.
    pub(crate) rows: Vec<SheetRow>,
    /// Merged regions.
    pub(crate) merges: Vec<Merge>,
}

/// Collects cells in sheet order (row by row) into rows, within the limits: the count of filled
/// cells, the columns, and the bytes of text the sheet holds (a shared string is held once by
/// the workbook but copied into every cell that shows it).
struct SheetBuilder<'a> {
    sheet: Sheet,
    limits: &'a Limits,
    cells: u64,
    bytes: u64,
    format: &'static str,
}

impl<'a> SheetBuilder<'a> {
    fn new(format: &'static str, limits: &'a Limits) -> Self {
        SheetBuilder {
            sheet: Sheet::default(),
            limits,
            cells: 0,
            bytes: 0,
            format,
        }
    }

    /// Adds a cell; cells come row by row, each row in column order.
    fn push(&mut self, row: u32, col: u32, value: Option<(Kind, Cow<'_, str>)>) -> Result<()> {
        let Some((kind, text)) = value else { return Ok(()) };
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
        self.bytes += text.len() as u64;
        let budget = self.limits.max_part_bytes.saturating_mul(2);
        if self.bytes > budget {
            return Err(Error::too_large(self.format, Bound::SheetBytes, budget));
        }
        match self.sheet.rows.last_mut() {
            Some(last) if last.row == row => last.push(col, kind, &text),
            _ => {
                let mut new = SheetRow::new(row);
                new.push(col, kind, &text);
                self.sheet.rows.push(new);
            }
        }
        Ok(())
    }

    fn finish(mut self, merges: Vec<Merge>) -> Sheet {
        // Readers give rows in order; a sheet written out of order is put right.
        if !self.sheet.rows.is_sorted_by_key(|r| r.row) {
            self.sheet.rows.sort_by_key(|r| r.row);
        }
        for row in &mut self.sheet.rows {
            row.sort();
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
fn value_of<'c>(cell: &'c DataRef<'_>, percent: bool) -> Option<(Kind, Cow<'c, str>)> {
    let number = |n: f64| {
        if percent {
            (Kind::Percent, Cow::Owned(percent_text(n)))
        } else {
            (Kind::Number, Cow::Owned(number_text(n)))
        }
    };
    match cell {
        DataRef::Empty => None,
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Int(n) => Some(number(*n as f64)),
        DataRef::Float(f) => Some(number(*f)),
        DataRef::Bool(b) => Some((Kind::Number, Cow::Owned(b.to_string()))),
        DataRef::DateTime(d) => d.as_datetime().map(|dt| (Kind::Number, Cow::Owned(datetime_text(dt)))),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some((Kind::Number, Cow::Borrowed(s.as_str()))),
        DataRef::Error(e) => Some((Kind::Text, Cow::Owned(format!("{e}")))),
    }
}

/// [`value_of`] for an owned cell.
fn value_of_data(cell: &Data, percent: bool) -> Option<(Kind, Cow<'_, str>)> {
    match cell {
        Data::String(s) => text(s),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some((Kind::Number, Cow::Borrowed(s.as_str()))),
        Data::Empty => None,
        Data::Int(n) => value_of(&DataRef::Int(*n), percent).map(owned),
        Data::Float(f) => value_of(&DataRef::Float(*f), percent).map(owned),
        Data::Bool(b) => value_of(&DataRef::Bool(*b), percent).map(owned),
        Data::DateTime(d) => value_of(&DataRef::DateTime(*d), percent).map(owned),
        Data::Error(e) => value_of(&DataRef::Error(e.clone()), percent).map(owned),
    }
}

/// A value that owns its text, so it outlives the cell it came from.
fn owned((kind, text): (Kind, Cow<'_, str>)) -> (Kind, Cow<'static, str>) {
    (kind, Cow::Owned(text.into_owned()))
}

fn text(s: &str) -> Option<(Kind, Cow<'_, str>)> {
    let t = s.trim();
    (!t.is_empty()).then_some((Kind::Text, Cow::Borrowed(t)))
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

/// Whether the number format `id` of an `.xls` or `.xlsb` workbook shows a percentage: one of
/// the workbook's own formats whose code does (`custom`, id to [`is_percent_format`]), or the
/// built-in `0%` (9) and `0.00%` (10).
pub(crate) fn format_shows_percent(id: u16, custom: &HashMap<u16, bool>) -> bool {
    custom.get(&id).copied().unwrap_or(matches!(id, 9 | 10))
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
    let plain = options.layout == Layout::Plain;
    let mut builder = SheetBuilder::new("XLSX", &options.limits);
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(fail)? {
        let (row, col) = cell.get_position();
        let shows_percent = !plain && percent.get(style).copied().unwrap_or(false);
        builder.push(row, col, value_of(cell.get_value(), shows_percent))?;
    }
    Ok((sheet, builder.finish(merges)))
}

/// Reads the sheet of an `.xlsb` workbook as its cells stream; its merges and percent cells
/// come from a walk over its records ([`crate::xlsb::scan`]).
pub(super) fn read_xlsb_sheet(bytes: &[u8], options: &IngestOptions) -> Result<(String, Sheet)> {
    let fail = |e: calamine::XlsbError| Error::format("XLSB", e);
    let mut workbook = Xlsb::new(Cursor::new(bytes)).map_err(fail)?;
    let sheet = pick_sheet(workbook.sheet_names(), options)?;
    let extras = crate::xlsb::scan(bytes, &sheet, &options.limits)?;
    let plain = options.layout == Layout::Plain;
    let mut reader = workbook.worksheet_cells_reader(&sheet).map_err(fail)?;
    let mut builder = SheetBuilder::new("XLSB", &options.limits);
    while let Some(cell) = reader.next_cell().map_err(fail)? {
        let (row, col) = cell.get_position();
        let percent = !plain && !extras.percent.is_empty() && extras.percent.contains(&(row, col));
        builder.push(row, col, value_of(cell.get_value(), percent))?;
    }
    Ok((sheet, builder.finish(extras.merges)))
}

/// Reads the sheet of an `.xls` workbook; its percent cells come from the walk over its
/// records that guards it ([`crate::xls::scan`]).
pub(super) fn read_xls_sheet(bytes: &[u8], options: &IngestOptions, scan: &XlsScan) -> Result<(String, Sheet)> {
    let fail = |e: calamine::XlsError| Error::format("XLS", e);
    let mut workbook = Xls::new(Cursor::new(bytes)).map_err(fail)?;
    let sheet = pick_sheet(workbook.sheet_names(), options)?;
    let merges = workbook
        .merge_cells_by_sheet_name(&sheet)
        .map_err(fail)?
        .into_iter()
        .map(merge_of)
        .collect();
    let percent = if options.layout == Layout::Plain {
        HashSet::new()
    } else {
        scan.percent(&sheet)
    };
    let range = workbook.worksheet_range(&sheet).map_err(fail)?;
    let sheet_cells = cells_of_range("XLS", &range, &options.limits, |r, c| percent.contains(&(r, c)))?;
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
    let plain = options.layout == Layout::Plain;
    let sheet_cells = cells_of_range("ODS", &range, &options.limits, |r, c| {
        !plain && scan.percent.contains(&(r, c))
    })?;
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
        Some(name) => Err(Error::Sheet {
            sheet: name.clone(),
            available: names,
        }),
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
