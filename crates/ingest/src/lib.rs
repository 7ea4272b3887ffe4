//! Reads submitted files into text tables.
//!
//! PDs export from Excel: `;`-separated files, Windows-1252 text, a UTF-8 byte order mark,
//! decimal commas, a title block above the table, merged cells. [`read`] recognises the file
//! ([`FileKind`]: delimited text, XLSX, JSON, Parquet) and reads every cell as text into a
//! Polars [`DataFrame`] whose columns are the file's columns by position, keeping each data
//! row's number as the user sees it (the line in a CSV, the row in a sheet). Types are not
//! guessed here: the validate stage casts each column per the data standard, so a bad cell
//! becomes a finding carrying its original text.
//!
//! ```
//! use satudata_ingest::{read, Format, IngestOptions};
//! let table = read(b"Tahun;Jumlah\n2024;1.234\n", &IngestOptions::default()).unwrap();
//! assert_eq!(table.labels, ["Tahun", "Jumlah"]);
//! assert!(matches!(table.format, Format::Csv { delimiter: b';', .. }));
//! assert_eq!(table.cell(0, 1), Some("1.234"));
//! ```

mod archive;
mod delimited;
mod json;
mod layout;
mod limits;
mod localize;
mod ods;
mod parquet;
mod remote;
mod sniff;
mod workbook;
mod xls;
mod xlsb;

use std::io::Read;
use std::str::FromStr;

use polars::prelude::*;
use satudata_core::Finding;
use satudata_core::fingerprint::{self, Fingerprint};

pub use delimited::{read_csv, sniff_delimiter};
pub use json::read_json;
pub use limits::{LimitOverrides, Limits, RATIO_GRACE_BYTES, max_record_bytes};
pub use parquet::read_parquet;
pub use remote::{FetchLimits, FetchProblem, fetch};
pub use workbook::read_workbook;

/// Errors that stop a file from being read at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not text in the declared encoding.
    #[error("cannot decode the file as {encoding}{}", line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    Encoding {
        /// The encoding tried.
        encoding: &'static str,
        /// The line of the first undecodable byte, when known.
        line: Option<u64>,
    },
    /// The file is not readable in its format.
    #[error("cannot read the file as {format}: {detail}")]
    Format {
        /// The format tried.
        format: &'static str,
        /// What went wrong.
        detail: String,
    },
    /// The file has no header row.
    #[error("the file is empty")]
    Empty,
    /// The input could not be read at all (a folder, a device that failed).
    #[error("cannot read the input")]
    Read(#[source] std::io::Error),
    /// A remote source could not be fetched.
    #[error("cannot fetch {url}: {problem}")]
    Fetch {
        /// The URL.
        url: String,
        /// What went wrong.
        problem: FetchProblem,
    },
    /// The named sheet is not in the workbook.
    #[error("sheet {sheet} is not in the workbook (it has: {})", available.join(", "))]
    Sheet {
        /// The sheet asked for.
        sheet: String,
        /// The sheets the workbook has, in order.
        available: Vec<String>,
    },
    /// An option has a value we do not know.
    #[error("unknown {what}: {value}")]
    Option {
        /// Which option.
        what: &'static str,
        /// The value given.
        value: String,
    },
    /// Delimited text holds a NUL byte: it is not text at all.
    #[error("the file is not text: a NUL byte at offset {offset}")]
    NotText {
        /// Byte offset of the first NUL.
        offset: u64,
    },
    /// A column holds a type satudata cannot read as text.
    #[error("{format} column {label:?} has type {type_name}, which cannot be read")]
    ColumnType {
        /// The format being read.
        format: &'static str,
        /// The column's label.
        label: String,
        /// The type, as the file names it.
        type_name: String,
    },
    /// The file passes one of the [`Limits`]; nothing past it is read.
    #[error("{format} file over the limit: {bound} (limit {limit})")]
    TooLarge {
        /// The format being read.
        format: &'static str,
        /// Which bound.
        bound: Bound,
        /// The bound's value.
        limit: u64,
    },
    /// The table could not be built.
    #[error("cannot build the table")]
    Table(#[from] PolarsError),
}

/// Which of the [`Limits`] a file passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// More data rows than [`Limits::max_rows`].
    Rows,
    /// More columns than [`Limits::max_columns`].
    Columns,
    /// An archive part inflating past [`Limits::max_part_bytes`].
    PartBytes,
    /// An archive part inflating more than [`Limits::max_inflate_ratio`] times its stored size.
    InflateRatio,
    /// One record (a line of delimited text) longer than [`limits::max_record_bytes`].
    RecordBytes,
    /// More filled cells in a sheet than [`Limits::max_sheet_cells`].
    SheetCells,
    /// More bytes of text in a sheet's cells than twice [`Limits::max_part_bytes`].
    SheetBytes,
}

impl Bound {
    /// The message key of the bound's `format-error` (`format-error.rows`).
    pub fn message_key(self) -> &'static str {
        match self {
            Bound::Rows => "format-error.rows",
            Bound::Columns => "format-error.columns",
            Bound::PartBytes => "format-error.part-bytes",
            Bound::InflateRatio => "format-error.inflate-ratio",
            Bound::RecordBytes => "format-error.record-bytes",
            Bound::SheetCells => "format-error.sheet-cells",
            Bound::SheetBytes => "format-error.sheet-bytes",
        }
    }
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Bound::Rows => "data rows",
            Bound::Columns => "columns",
            Bound::PartBytes => "inflated bytes of one archive part",
            Bound::InflateRatio => "inflation ratio of one archive part",
            Bound::RecordBytes => "bytes in one record",
            Bound::SheetCells => "filled cells in one sheet",
            Bound::SheetBytes => "bytes of text in one sheet's cells",
        })
    }
}

/// Result with the ingest [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn too_large(format: &'static str, bound: Bound, limit: impl TryInto<u64>) -> Self {
        Error::TooLarge {
            format,
            bound,
            limit: limit.try_into().unwrap_or(u64::MAX),
        }
    }

    pub(crate) fn format(format: &'static str, detail: impl std::fmt::Display) -> Self {
        Error::Format {
            format,
            detail: detail.to_string(),
        }
    }
}

/// Text encoding of a submitted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// UTF-16 (little or big endian), recognised by its byte order mark.
    Utf16,
    /// Windows-1252, what Excel on Windows writes for "CSV".
    Windows1252,
}

impl Encoding {
    /// The encoding's usual name.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

impl FromStr for Encoding {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" | "utf-8-sig" => Ok(Encoding::Utf8),
            "utf-16" | "utf16" => Ok(Encoding::Utf16),
            "windows-1252" | "cp1252" | "latin1" | "iso-8859-1" => Ok(Encoding::Windows1252),
            _ => Err(Error::Option {
                what: "encoding",
                value: s.to_owned(),
            }),
        }
    }
}

/// The kind of a submitted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Delimited text: CSV, TSV, `;` or `|` separated.
    Csv,
    /// An Excel workbook (Office Open XML, `.xlsx` / `.xlsm`).
    Xlsx,
    /// An Excel 97-2003 workbook (BIFF8 in an OLE2 container, `.xls`).
    Xls,
    /// An Excel binary workbook (`.xlsb`).
    Xlsb,
    /// An OpenDocument spreadsheet (`.ods`, LibreOffice).
    Ods,
    /// JSON: an array of objects, or `{"data": [...]}`.
    Json,
    /// Apache Parquet.
    Parquet,
}

impl FileKind {
    /// Recognises a file from its content (its first bytes, and for a zip archive the names
    /// of its parts), never from its name.
    pub fn sniff(bytes: &[u8]) -> FileKind {
        sniff::sniff(bytes)
    }

    /// A spreadsheet workbook, the kinds that have sheets and a header row to choose.
    pub fn is_workbook(self) -> bool {
        matches!(self, FileKind::Xlsx | FileKind::Xls | FileKind::Xlsb | FileKind::Ods)
    }

    /// The kind's usual name, as users call it (`XLSX`, `CSV`).
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Csv => "CSV",
            FileKind::Xlsx => "XLSX",
            FileKind::Xls => "XLS",
            FileKind::Xlsb => "XLSB",
            FileKind::Ods => "ODS",
            FileKind::Json => "JSON",
            FileKind::Parquet => "Parquet",
        }
    }
}

impl FromStr for FileKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "csv" | "tsv" | "txt" => Ok(FileKind::Csv),
            "xlsx" | "xlsm" | "excel" => Ok(FileKind::Xlsx),
            "xls" => Ok(FileKind::Xls),
            "xlsb" => Ok(FileKind::Xlsb),
            "ods" => Ok(FileKind::Ods),
            "json" => Ok(FileKind::Json),
            "parquet" => Ok(FileKind::Parquet),
            _ => Err(Error::Option {
                what: "format",
                value: s.to_owned(),
            }),
        }
    }
}

/// How a table was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// Delimited text.
    Csv {
        /// Its encoding.
        encoding: Encoding,
        /// Its delimiter.
        delimiter: u8,
    },
    /// A sheet of a workbook.
    Workbook {
        /// The kind of workbook.
        kind: FileKind,
        /// The sheet read.
        sheet: String,
        /// The sheet row (1-based) taken as the header; its first row when it spans several.
        header_row: u64,
    },
    /// JSON records.
    Json,
    /// Parquet.
    Parquet,
}

/// How to read a file; `None` means sniff it.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// The kind of file, sniffed when `None`.
    pub kind: Option<FileKind>,
    /// Text encoding, sniffed when `None`.
    pub encoding: Option<Encoding>,
    /// Delimiter byte, sniffed when `None`.
    pub delimiter: Option<u8>,
    /// Workbook sheet to read; the first when `None`.
    pub sheet: Option<String>,
    /// Sheet row (1-based) where the header starts (its first row when it is merged down or
    /// has group cells over sub-headers: the rows below that belong to it are still found);
    /// found by looking when `None`.
    pub header_row: Option<u64>,
    /// Bytes of delimited text per batch when reading a stream ([`open`]); 4 MiB when `None`.
    pub batch_bytes: Option<usize>,
    /// The file's name as the PD sent it (`penduduk.xlsx`): its extension is compared with the
    /// content, and a disagreement is a `format-warning`.
    pub file_name: Option<String>,
    /// Bounds on rows, columns, cells and archive parts.
    pub limits: Limits,
    /// How a workbook sheet is laid out: a report read as a person reads it (the default), or
    /// plain rows read as Frictionless reads them.
    pub layout: Layout,
}

/// How the rows of a workbook sheet are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// A government report: the header found below any title block (merged down, with group
    /// cells), total and note rows left out, merged regions filled, percent cells read as the
    /// percentage shown.
    #[default]
    Report,
    /// As Frictionless reads a sheet: row 1 is the header, from column A; every row below it
    /// is data, blank rows too; a merged region holds its value in its first cell only; numbers
    /// are read as stored.
    Plain,
}

impl IngestOptions {
    /// Sets the encoding from its name (`auto` sniffs).
    pub fn with_encoding_name(mut self, name: &str) -> Result<Self> {
        self.encoding = if name.eq_ignore_ascii_case("auto") {
            None
        } else {
            Some(name.parse()?)
        };
        Ok(self)
    }

    /// Sets the delimiter from its text (`auto` sniffs, `tab` or `\t` is a tab).
    pub fn with_delimiter_name(mut self, name: &str) -> Result<Self> {
        self.delimiter = match name {
            "auto" => None,
            "tab" | "\\t" | "\t" => Some(b'\t'),
            s if s.len() == 1 => Some(s.as_bytes()[0]),
            s => {
                return Err(Error::Option {
                    what: "delimiter",
                    value: s.to_owned(),
                });
            }
        };
        Ok(self)
    }

    /// Sets the file kind from its name (`auto` sniffs).
    pub fn with_kind_name(mut self, name: &str) -> Result<Self> {
        self.kind = if name.eq_ignore_ascii_case("auto") {
            None
        } else {
            Some(name.parse()?)
        };
        Ok(self)
    }
}

/// A row whose cell count differs from the header's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaggedRow {
    /// Row number as in the file.
    pub row: u64,
    /// How many cells it had.
    pub cells: usize,
}

/// A file read as text: its header labels and one text column per header position.
#[derive(Debug, Clone)]
pub struct Table {
    /// Header labels as written (trimmed), one per column.
    pub labels: Vec<String>,
    /// Per label, the group cells over it in a two-level sheet header (`Balita` over
    /// `Sasaran`), joined by spaces; empty, or all `None`, for a flat header.
    pub label_groups: Vec<Option<String>>,
    /// The cells: column `i` is named by its position (`"1"`, `"2"`...); empty cells are null.
    pub data: DataFrame,
    /// Row number in the file of each data row (the header is row 1 in a CSV; in a sheet,
    /// rows are numbered as Excel shows them).
    pub row_numbers: Vec<u64>,
    /// Rows with more or fewer cells than the header.
    pub ragged: Vec<RaggedRow>,
    /// Fingerprint of each data row's cells as the table holds them (one per label, empty
    /// cells null): [`satudata_core::fingerprint::row`], computed while the row was read.
    pub row_prints: Vec<Fingerprint>,
    /// How the file was read.
    pub format: Format,
    /// What reading found about these rows: cells over the size limit, rows left out.
    pub notes: Vec<Finding>,
}

impl Table {
    /// Number of data rows.
    pub fn height(&self) -> usize {
        self.data.height()
    }

    /// The text of the cell at data row `row` (0-based) and column `col` (0-based).
    pub fn cell(&self, row: usize, col: usize) -> Option<&str> {
        if row >= self.height() {
            return None;
        }
        self.column(col)?.get(row)
    }

    /// The text column at position `col` (0-based).
    pub fn column(&self, col: usize) -> Option<&StringChunked> {
        self.data.columns().get(col)?.as_materialized_series().str().ok()
    }
}

/// The fingerprint of each row of a table of text columns (readers compute them as they push
/// rows; tests check them against this).
#[cfg(test)]
pub(crate) fn row_prints(data: &DataFrame) -> Result<Vec<Fingerprint>> {
    let columns: Vec<&StringChunked> = data
        .columns()
        .iter()
        .map(|c| c.as_materialized_series().str())
        .collect::<PolarsResult<_>>()?;
    Ok((0..data.height())
        .map(|i| fingerprint::row(columns.iter().map(|c| c.get(i))))
        .collect())
}

/// Collects rows of text cells into a [`Table`], one column builder per header label.
pub(crate) struct TableBuilder {
    labels: Vec<String>,
    builders: Vec<StringChunkedBuilder>,
    row_numbers: Vec<u64>,
    ragged: Vec<RaggedRow>,
    row_prints: Vec<Fingerprint>,
    printer: fingerprint::RowPrinter,
    max_cell_bytes: usize,
    oversized: Vec<limits::OversizedCell>,
}

impl TableBuilder {
    pub(crate) fn new(labels: Vec<String>, estimate: usize) -> Self {
        let builders = (1..=labels.len())
            .map(|i| StringChunkedBuilder::new(PlSmallStr::from(i.to_string()), estimate))
            .collect();
        TableBuilder {
            labels,
            builders,
            row_numbers: Vec::with_capacity(estimate),
            ragged: Vec::new(),
            row_prints: Vec::with_capacity(estimate),
            printer: fingerprint::RowPrinter::default(),
            max_cell_bytes: Limits::default().max_cell_bytes,
            oversized: Vec::new(),
        }
    }

    /// Holds cells to `limits`: a longer cell is read as empty, with a `cell-size-error`.
    pub(crate) fn with_limits(mut self, limits: &Limits) -> Self {
        self.max_cell_bytes = limits.max_cell_bytes;
        self
    }

    /// Adds a row of `count` cells given one by one (cells past the header's width are counted
    /// as ragged, missing ones are null); a cell over the size limit is read as empty and noted.
    pub(crate) fn push_iter<'c>(&mut self, row: u64, count: usize, cells: impl Iterator<Item = Option<&'c str>>) {
        self.push_cells::<true>(row, count, cells);
    }

    /// Adds a row whose cells hold `bytes` bytes in all: when that is within the cell limit no
    /// cell can pass it, and the cells are not measured one by one (the CSV readers' path).
    pub(crate) fn push_record(&mut self, row: u64, bytes: usize, cells: &[Option<&str>]) {
        if bytes <= self.max_cell_bytes {
            self.push_cells::<false>(row, cells.len(), cells.iter().copied());
        } else {
            self.push_iter(row, cells.len(), cells.iter().copied());
        }
    }

    fn push_cells<'c, const CHECK: bool>(
        &mut self,
        row: u64,
        count: usize,
        cells: impl Iterator<Item = Option<&'c str>>,
    ) {
        if count != self.labels.len() {
            self.ragged.push(RaggedRow { row, cells: count });
        }
        let mut cells = cells;
        for (i, builder) in self.builders.iter_mut().enumerate() {
            let mut cell = cells.next().flatten();
            if CHECK
                && let Some(text) = cell
                && text.len() > self.max_cell_bytes
            {
                self.oversized
                    .push(limits::OversizedCell::new(row, i + 1, text, self.max_cell_bytes));
                cell = None;
            }
            self.printer.cell(cell);
            match cell {
                Some(cell) => builder.append_value(cell),
                None => builder.append_null(),
            }
        }
        self.row_numbers.push(row);
        self.row_prints.push(self.printer.finish());
    }

    /// Moves every row number `by` lines on (chunks are numbered from their own start).
    pub(crate) fn shift_rows(&mut self, by: u64) {
        for row in &mut self.row_numbers {
            *row += by;
        }
        for r in &mut self.ragged {
            r.row += by;
        }
        for cell in &mut self.oversized {
            cell.row += by;
        }
    }

    /// How many cells a row has: one per label.
    pub(crate) fn width(&self) -> usize {
        self.labels.len()
    }

    /// How many rows were added.
    pub(crate) fn len(&self) -> usize {
        self.row_numbers.len()
    }

    /// Whether no row was added.
    pub(crate) fn is_empty(&self) -> bool {
        self.row_numbers.is_empty()
    }

    pub(crate) fn finish(self, format: Format) -> Result<Table> {
        Self::concat(self.labels.clone(), vec![self], format)
    }

    /// Joins the tables of consecutive chunks, in order.
    pub(crate) fn concat(labels: Vec<String>, parts: Vec<TableBuilder>, format: Format) -> Result<Table> {
        let mut columns: Vec<Option<StringChunked>> = vec![None; labels.len()];
        let rows = parts.iter().map(|p| p.row_numbers.len()).sum();
        let mut row_numbers = Vec::with_capacity(rows);
        let mut row_prints = Vec::with_capacity(rows);
        let mut ragged = Vec::new();
        let mut notes = Vec::new();
        for part in parts {
            for (slot, builder) in columns.iter_mut().zip(part.builders) {
                let chunk = builder.finish();
                match slot {
                    Some(column) => column.append(&chunk)?,
                    None => *slot = Some(chunk),
                }
            }
            row_numbers.extend(part.row_numbers);
            row_prints.extend(part.row_prints);
            ragged.extend(part.ragged);
            notes.extend(part.oversized.into_iter().map(limits::OversizedCell::finding));
        }
        let columns: Vec<Column> = columns
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                c.unwrap_or_else(|| StringChunked::full_null(PlSmallStr::from((i + 1).to_string()), 0))
                    .into_series()
                    .into_column()
            })
            .collect();
        let data = DataFrame::new(row_numbers.len(), columns)?;
        Ok(Table {
            labels,
            label_groups: Vec::new(),
            data,
            row_numbers,
            ragged,
            row_prints,
            format,
            notes,
        })
    }
}

/// Bytes of delimited text per batch when none is set.
pub const DEFAULT_BATCH_BYTES: usize = 4 << 20;

/// A file read batch by batch: its header once, then tables of consecutive rows.
///
/// Delimited text, JSON records and Parquet row groups stream, so memory stays bounded by the
/// batch whatever the file's size; a workbook sheet is read whole and comes as one batch.
pub struct Batches<'a> {
    labels: Vec<String>,
    label_groups: Vec<Option<String>>,
    format: Format,
    source: BatchSource<'a>,
    notes: Vec<Finding>,
}

enum BatchSource<'a> {
    Whole(Option<Box<Table>>),
    Csv(Box<delimited::CsvStream<Box<dyn Read + Send + 'a>>>),
    Json(json::JsonStream),
    Parquet(Box<parquet::ParquetStream>),
}

impl<'a> Batches<'a> {
    fn new(
        labels: Vec<String>,
        label_groups: Vec<Option<String>>,
        format: Format,
        source: BatchSource<'a>,
        notes: Vec<Finding>,
    ) -> Self {
        Batches {
            labels,
            label_groups,
            format,
            source,
            notes,
        }
    }

    /// The header labels, as written (trimmed).
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Per label, the group cells over it ([`Table::label_groups`]); empty for a flat header.
    pub fn label_groups(&self) -> &[Option<String>] {
        &self.label_groups
    }

    /// How the file is read.
    pub fn format(&self) -> &Format {
        &self.format
    }

    /// What reading found about the file as a whole (a name that disagrees with the content,
    /// rows left out of a sheet); each batch's own are in [`Table::notes`].
    pub fn take_notes(&mut self) -> Vec<Finding> {
        std::mem::take(&mut self.notes)
    }

    /// The next rows, with their file row numbers; `None` after the last.
    pub fn next_batch(&mut self) -> Result<Option<Table>> {
        match &mut self.source {
            BatchSource::Whole(table) => Ok(table.take().map(|t| *t)),
            BatchSource::Csv(stream) => stream.next_batch(),
            BatchSource::Json(stream) => stream.next_batch(),
            BatchSource::Parquet(stream) => stream.next_batch(),
        }
    }
}

/// Opens a file of any supported kind for reading batch by batch.
pub fn open<'a>(mut input: impl Read + Send + 'a, options: &IngestOptions) -> Result<Batches<'a>> {
    let batch_bytes = options.batch_bytes.unwrap_or(DEFAULT_BATCH_BYTES).max(1);
    // Peek at the start to tell the kind, then read on from there.
    let mut head = Vec::with_capacity(4096);
    (&mut input).take(4096).read_to_end(&mut head).map_err(Error::Read)?;
    // A zip archive lists its parts at its end: its kind is told from the whole file, which
    // its reader needs whole anyway.
    let mut whole = None;
    let kind = match options.kind {
        Some(kind) => kind,
        None if head.starts_with(b"PK\x03\x04") => {
            let mut bytes = head;
            input.read_to_end(&mut bytes).map_err(Error::Read)?;
            let kind = FileKind::sniff(&bytes);
            whole = Some(bytes);
            head = Vec::new();
            kind
        }
        None => FileKind::sniff(&head),
    };
    let mut input: Box<dyn Read + Send + 'a> = Box::new(std::io::Cursor::new(head).chain(input));
    let notes: Vec<Finding> = name_mismatch(options, kind).into_iter().collect();
    if kind == FileKind::Csv {
        let stream = delimited::CsvStream::open(input, batch_bytes, options)?;
        let (labels, format) = (stream.labels.clone(), stream.format());
        return Ok(Batches::new(
            labels,
            Vec::new(),
            format,
            BatchSource::Csv(Box::new(stream)),
            notes,
        ));
    }
    let bytes = match whole {
        Some(bytes) => bytes,
        None => {
            let mut bytes = Vec::new();
            input.read_to_end(&mut bytes).map_err(Error::Read)?;
            bytes
        }
    };
    let batches = match kind {
        FileKind::Json => {
            let stream = json::JsonStream::open(bytes, &options.limits)?;
            let labels = stream.labels().to_vec();
            Batches::new(labels, Vec::new(), Format::Json, BatchSource::Json(stream), notes)
        }
        FileKind::Parquet => {
            let stream = parquet::ParquetStream::open(bytes, options)?;
            let labels = stream.labels().to_vec();
            Batches::new(
                labels,
                Vec::new(),
                Format::Parquet,
                BatchSource::Parquet(Box::new(stream)),
                notes,
            )
        }
        _ => {
            let table = read_kind(&bytes, kind, options)?;
            let (labels, groups, format) = (table.labels.clone(), table.label_groups.clone(), table.format.clone());
            Batches::new(labels, groups, format, BatchSource::Whole(Some(Box::new(table))), notes)
        }
    };
    Ok(batches)
}

/// The `format-warning` for a file whose name promises another kind than its content holds.
fn name_mismatch(options: &IngestOptions, content: FileKind) -> Option<Finding> {
    if options.kind.is_some() {
        return None;
    }
    let (_, extension) = options.file_name.as_deref()?.rsplit_once('.')?;
    if extension.parse::<FileKind>().ok()? == content {
        return None;
    }
    let extension = extension.to_ascii_lowercase();
    Some(Finding::new(satudata_core::FindingCode::FormatWarning).with_message(
        "format-warning",
        &[("extension", &extension), ("content", content.as_str())],
    ))
}

/// The batches a stream hands out, joined into one [`Table`] (with `labels` and `format` when
/// there are none).
pub(crate) fn gather(
    labels: Vec<String>,
    format: Format,
    mut next_batch: impl FnMut() -> Result<Option<Table>>,
) -> Result<Table> {
    let mut whole = TableBuilder::new(labels, 0).finish(format)?;
    while let Some(batch) = next_batch()? {
        whole.data.vstack_mut_owned(batch.data)?;
        whole.row_numbers.extend(batch.row_numbers);
        whole.ragged.extend(batch.ragged);
        whole.row_prints.extend(batch.row_prints);
        whole.notes.extend(batch.notes);
    }
    whole.data.rechunk_mut_par();
    Ok(whole)
}

/// Reads a file of any supported kind into a [`Table`].
pub fn read(bytes: &[u8], options: &IngestOptions) -> Result<Table> {
    read_kind(bytes, options.kind.unwrap_or_else(|| FileKind::sniff(bytes)), options)
}

/// Reads a file of a known kind into a [`Table`].
fn read_kind(bytes: &[u8], kind: FileKind, options: &IngestOptions) -> Result<Table> {
    match kind {
        FileKind::Csv => read_csv(bytes, options),
        FileKind::Xlsx | FileKind::Xls | FileKind::Xlsb | FileKind::Ods => read_workbook(bytes, kind, options),
        FileKind::Json => json::read_json_with(bytes, &options.limits),
        FileKind::Parquet => parquet::read_parquet_with(bytes, options),
    }
}

/// Text of a number as people write it: whole numbers without a fraction, others in the
/// shortest form that reads back the same.
pub(crate) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}
