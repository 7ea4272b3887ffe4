//! Bounds on what one input may hold, so that no file, however shaped, takes unbounded time or
//! memory: every reader checks them as it reads, before it allocates for what it found.

use satudata_core::messages::{self, Lang};
use satudata_core::{Finding, FindingCode};

/// The bounds one input is read within; [`Limits::default`] gives the documented defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Data rows in one file (100,000,000 by default: 10 GB of ordinary CSV).
    pub max_rows: u64,
    /// Columns in one table (16,384 by default, what Excel allows).
    pub max_columns: usize,
    /// Bytes in one cell (1 MiB by default; Excel keeps at most 32,767 characters a cell).
    pub max_cell_bytes: usize,
    /// Filled cells in one sheet of a workbook, which is read whole (10,000,000 by default:
    /// a million rows of ten columns).
    pub max_sheet_cells: u64,
    /// Inflated bytes of one part of an archive (a sheet inside `.xlsx` or `.ods`; 256 MiB by
    /// default).
    pub max_part_bytes: u64,
    /// Inflated size over stored size allowed for one archive part once it passes 1 MiB
    /// (100 by default; ordinary sheets compress 5-30 times).
    pub max_inflate_ratio: u64,
}

/// The longest record (a line of delimited text, quotes and all) read: 64 MiB, or twice the
/// cell limit when that is more. Past it the file is refused (an unclosed quote, mostly).
pub fn max_record_bytes(limits: &Limits) -> usize {
    (64 << 20).max(limits.max_cell_bytes.saturating_mul(2))
}

/// Limits to change from their defaults, as a configuration or a pipeline gives them: each
/// left out keeps the value it overrides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitOverrides {
    /// [`Limits::max_rows`].
    pub max_rows: Option<u64>,
    /// [`Limits::max_columns`].
    pub max_columns: Option<usize>,
    /// [`Limits::max_cell_bytes`].
    pub max_cell_bytes: Option<usize>,
    /// [`Limits::max_sheet_cells`].
    pub max_sheet_cells: Option<u64>,
    /// [`Limits::max_part_bytes`].
    pub max_part_bytes: Option<u64>,
    /// [`Limits::max_inflate_ratio`].
    pub max_inflate_ratio: Option<u64>,
}

impl LimitOverrides {
    /// `base` with these overrides applied.
    pub fn apply(&self, base: Limits) -> Limits {
        Limits {
            max_rows: self.max_rows.unwrap_or(base.max_rows),
            max_columns: self.max_columns.unwrap_or(base.max_columns),
            max_cell_bytes: self.max_cell_bytes.unwrap_or(base.max_cell_bytes),
            max_sheet_cells: self.max_sheet_cells.unwrap_or(base.max_sheet_cells),
            max_part_bytes: self.max_part_bytes.unwrap_or(base.max_part_bytes),
            max_inflate_ratio: self.max_inflate_ratio.unwrap_or(base.max_inflate_ratio),
        }
    }
}

/// Parts smaller than this are not held to the ratio: tiny parts compress without bound.
pub const RATIO_GRACE_BYTES: u64 = 1 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: 100_000_000,
            max_columns: 16_384,
            max_cell_bytes: 1 << 20,
            max_sheet_cells: 10_000_000,
            max_part_bytes: 256 << 20,
            max_inflate_ratio: 100,
        }
    }
}

/// A cell over [`Limits::max_cell_bytes`], kept as its place, size and the start of its text.
#[derive(Debug, Clone)]
pub(crate) struct OversizedCell {
    /// Row number as in the file (chunks shift it once they know their start).
    pub(crate) row: u64,
    column: usize,
    size: usize,
    start: String,
    limit: usize,
}

impl OversizedCell {
    pub(crate) fn new(row: u64, column: usize, cell: &str, limit: usize) -> Self {
        OversizedCell {
            row,
            column,
            size: cell.len(),
            start: messages::clip(Lang::Id, cell).into_owned(),
            limit,
        }
    }

    /// The `cell-size-error` finding: it names the cell and its size and quotes only the start
    /// of the value.
    pub(crate) fn finding(self) -> Finding {
        let mut finding = Finding::new(FindingCode::CellSizeError).with_message(
            "cell-size-error",
            &[
                ("row", &self.row.to_string()),
                ("column", &satudata_core::render::column_letter(self.column as u64)),
                ("size", &self.size.to_string()),
                ("limit", &self.limit.to_string()),
            ],
        );
        // Already cut to its start and length: not cut again.
        finding.value = Some(self.start);
        finding.row = Some(self.row);
        finding.column = Some(self.column as u64);
        finding
    }
}
