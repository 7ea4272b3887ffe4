//! What calamine does not tell of an OpenDocument sheet, read from its `content.xml` in one
//! streaming pass: merged cells (`table:number-columns-spanned` / `-rows-spanned`), cells whose
//! value type is `percentage`, and how many filled cells the sheet expands to once repeats are
//! counted, so that a few bytes of `table:number-rows-repeated` cannot ask for billions of
//! cells before the reader allocates them.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use crate::limits::Limits;
use crate::workbook::{Extras, Merge};
use crate::{Bound, Error, Result};

/// Scans the sheet `name` of the `.ods` in `bytes`.
pub(crate) fn scan(bytes: &[u8], name: &str, limits: &Limits) -> Result<Extras> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::format("ODS", e))?;
    let content = archive.by_name("content.xml").map_err(|e| Error::format("ODS", e))?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content.take(limits.max_part_bytes)));
    reader.config_mut().expand_empty_elements = false;
    let mut scan = Scan::new(name, limits);
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| Error::format("ODS", e))?;
        match event {
            Event::Start(e) => scan.open(&e, true)?,
            Event::Empty(e) => scan.open(&e, false)?,
            Event::End(e) => scan.close(e.name().as_ref())?,
            Event::Text(_) | Event::CData(_) if scan.in_cell.is_some() => scan.mark_filled(),
            Event::Eof => break,
            _ => {}
        }
        if scan.done {
            break;
        }
        buf.clear();
    }
    Ok(scan.sheet)
}

/// A cell being read: where it starts and how far it repeats.
#[derive(Debug, Clone, Copy)]
struct OpenCell {
    col: u32,
    repeat: u32,
    filled: bool,
    counted: bool,
}

/// The scan's state.
struct Scan<'a> {
    name: &'a str,
    max_cells: u64,
    in_table: bool,
    done: bool,
    row: u32,
    row_repeat: u32,
    col: u32,
    in_cell: Option<OpenCell>,
    cells: u64,
    sheet: Extras,
}

impl<'a> Scan<'a> {
    fn new(name: &'a str, limits: &Limits) -> Self {
        Scan {
            name,
            max_cells: limits.max_sheet_cells,
            in_table: false,
            done: false,
            row: 0,
            row_repeat: 1,
            col: 0,
            in_cell: None,
            cells: 0,
            sheet: Extras::default(),
        }
    }

    fn open(&mut self, e: &BytesStart<'_>, has_content: bool) -> Result<()> {
        let tag = e.name();
        match tag.as_ref() {
            "table:table" => self.in_table = attr(e, "table:name").as_deref() == Some(self.name),
            _ if !self.in_table => {}
            "table:table-row" => {
                self.row_repeat = number(e, "table:number-rows-repeated");
                self.col = 0;
                if !has_content {
                    self.end_row();
                }
            }
            "table:table-cell" | "table:covered-table-cell" => self.open_cell(e, has_content)?,
            _ if self.in_cell.is_some() => self.mark_filled(),
            _ => {}
        }
        Ok(())
    }

    fn open_cell(&mut self, e: &BytesStart<'_>, has_content: bool) -> Result<()> {
        let repeat = number(e, "table:number-columns-repeated");
        let value_type = attr(e, "office:value-type");
        let cell = OpenCell {
            col: self.col,
            repeat,
            filled: value_type.is_some(),
            counted: value_type.is_some(),
        };
        if cell.counted {
            self.count(u64::from(repeat))?;
        }
        if value_type.as_deref() == Some("percentage") {
            for r in self.row..self.row.saturating_add(self.row_repeat) {
                for c in self.col..self.col.saturating_add(repeat) {
                    self.sheet.percent.insert((r, c));
                }
            }
        }
        let spans = (
            number(e, "table:number-rows-spanned"),
            number(e, "table:number-columns-spanned"),
        );
        if spans != (1, 1) {
            self.sheet.merges.push(Merge {
                first_row: self.row,
                first_col: self.col,
                last_row: self.row.saturating_add(spans.0 - 1),
                last_col: self.col.saturating_add(spans.1 - 1),
            });
        }
        self.in_cell = Some(cell);
        if !has_content {
            self.close_cell()?;
        }
        Ok(())
    }

    fn mark_filled(&mut self) {
        if let Some(cell) = &mut self.in_cell {
            cell.filled = true;
        }
    }

    /// Counts `n` more filled cells in each of the current row's repeats.
    fn count(&mut self, n: u64) -> Result<()> {
        self.cells = self.cells.saturating_add(n.saturating_mul(u64::from(self.row_repeat)));
        if self.cells > self.max_cells {
            return Err(Error::too_large("ODS", Bound::SheetCells, self.max_cells));
        }
        Ok(())
    }

    fn close_cell(&mut self) -> Result<()> {
        if let Some(cell) = self.in_cell.take() {
            if cell.filled && !cell.counted {
                self.count(u64::from(cell.repeat))?;
            }
            self.col = cell.col.saturating_add(cell.repeat);
        }
        Ok(())
    }

    fn end_row(&mut self) {
        self.row = self.row.saturating_add(self.row_repeat);
        self.row_repeat = 1;
    }

    fn close(&mut self, tag: &str) -> Result<()> {
        if !self.in_table {
            return Ok(());
        }
        match tag {
            "table:table-cell" | "table:covered-table-cell" => self.close_cell()?,
            "table:table-row" => self.end_row(),
            "table:table" => {
                self.in_table = false;
                self.done = true;
            }
            _ => {}
        }
        Ok(())
    }
}

/// An attribute's value as text.
pub(crate) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().map(|a| a.value.into_owned())
}

/// A repeat or span count: at least 1.
fn number(e: &BytesStart<'_>, name: &str) -> u32 {
    attr(e, name).and_then(|v| v.trim().parse().ok()).unwrap_or(1).max(1)
}
