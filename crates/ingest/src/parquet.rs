//! Parquet files: every column read back as text, so the standard decides the types.
//!
//! [`ParquetStream`] reads the footer when it opens, checks the file against the [`Limits`]
//! and the column types against what [`text`] can render, then decodes one row group at a
//! time, and a large row group in slices of at most `batch_rows` rows (Polars' decoder skips
//! the pages before a slice and decodes only the slice's rows). Memory is bounded by the batch,
//! whatever the file holds: a file of a few hundred kilobytes may hold 50 million
//! dictionary-encoded rows in one row group.

mod text;
mod zone;

use std::io::Cursor;

use polars::io::parquet::read::_internal::to_deserializer;
use polars::prelude::*;
use polars_arrow::array::Array;
use polars_arrow::datatypes::TimeUnit;
use polars_buffer::Buffer;
use polars_parquet::parquet::page::CompressedPage;
use polars_parquet::read::{ColumnChunkMetadata, FileMetadata, Filter, PageReader, RowGroupMetadata};
use polars_parquet_format::thrift::protocol::TCompactInputProtocol;
use polars_parquet_format::{PageHeader, PageType};

use crate::{Bound, DEFAULT_BATCH_BYTES, Error, Format, IngestOptions, Limits, Result, Table, TableBuilder};

/// What one cell of a batch is reckoned to cost beyond its text (the rendered cell, the
/// builder's view and the decoded value), in bytes; batches hold `batch_bytes` of such cells.
const CELL_BYTES: usize = 48;

/// The most bytes one page header is read from (a header holds a few counts and statistics).
const MAX_PAGE_HEADER_BYTES: usize = 1 << 20;

/// The most rows one batch holds, however narrow the table.
const MAX_BATCH_ROWS: usize = 1 << 18;

/// A Parquet file read batch by batch: its footer once, then tables of consecutive rows.
pub(crate) struct ParquetStream {
    file: Buffer<u8>,
    metadata: FileMetadata,
    fields: Vec<ArrowField>,
    labels: Vec<String>,
    limits: Limits,
    batch_rows: usize,
    batch_bytes: usize,
    /// The row group being read, and the first of its rows not handed out yet.
    row_group: usize,
    offset: usize,
    /// Data rows handed out so far: the next row's number is this plus two.
    rows_out: u64,
}

impl ParquetStream {
    /// Reads the footer, and refuses a file over the limits or holding a column type that
    /// cannot be read as text; no data is decoded yet.
    pub(crate) fn open(bytes: Vec<u8>, options: &IngestOptions) -> Result<Self> {
        let limits = options.limits;
        check_footer(&bytes)?;
        // polars-parquet panics on some broken footers (a thrift field of the wrong kind, an
        // offset past the file: found by fuzzing); such a file is unreadable, not fatal.
        let metadata =
            std::panic::catch_unwind(|| polars_parquet::read::read_metadata(&mut Cursor::new(bytes.as_slice())))
                .map_err(|_| Error::format("Parquet", "the file's metadata is malformed"))?
                .map_err(|e| Error::format("Parquet", e))?;
        let width = metadata.schema().fields().len();
        if width > limits.max_columns {
            return Err(Error::too_large("Parquet", Bound::Columns, limits.max_columns));
        }
        let groups: u64 = metadata.row_groups.iter().map(|g| g.num_rows() as u64).sum();
        if groups.max(metadata.num_rows as u64) > limits.max_rows {
            return Err(Error::too_large("Parquet", Bound::Rows, limits.max_rows));
        }
        let schema = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            polars_parquet::read::infer_schema(&metadata)
        }))
        .map_err(|_| Error::format("Parquet", "the file's schema is malformed"))?
        .map_err(|e| Error::format("Parquet", e))?;
        let fields: Vec<ArrowField> = schema.iter_values().cloned().map(stored_unit).collect();
        let labels: Vec<String> = fields.iter().map(|f| f.name.trim().to_owned()).collect();
        for (field, label) in fields.iter().zip(&labels) {
            text::check(field.dtype()).map_err(|type_name| Error::ColumnType {
                format: "Parquet",
                label: label.clone(),
                type_name,
            })?;
        }
        let batch_bytes = options.batch_bytes.unwrap_or(DEFAULT_BATCH_BYTES).max(1);
        let file = Buffer::from(bytes);
        for group in &metadata.row_groups {
            check_pages(&file, group, &limits)?;
        }
        Ok(ParquetStream {
            file,
            metadata,
            fields,
            labels,
            limits,
            batch_rows: (batch_bytes / CELL_BYTES.saturating_mul(width.max(1))).clamp(1, MAX_BATCH_ROWS),
            batch_bytes,
            row_group: 0,
            offset: 0,
            rows_out: 0,
        })
    }

    /// Hands out at most `rows` rows a batch (tests use it to cut small files).
    #[cfg(test)]
    pub(crate) fn with_batch_rows(mut self, rows: usize) -> Self {
        self.batch_rows = rows.max(1);
        self
    }

    /// The header labels: the columns' names, trimmed.
    pub(crate) fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The next rows, numbered as in the file (record `i` is row `i + 2`); `None` after the last.
    pub(crate) fn next_batch(&mut self) -> Result<Option<Table>> {
        if self.fields.is_empty() {
            return Ok(None);
        }
        loop {
            let Some(group) = self.metadata.row_groups.get(self.row_group) else {
                return Ok(None);
            };
            let rows = group.num_rows();
            if self.offset >= rows {
                self.row_group += 1;
                self.offset = 0;
                continue;
            }
            let len = self.batch_rows.min(rows - self.offset);
            let columns = self.decode(group, self.offset..self.offset + len)?;
            let (table, taken) = self.build(&columns, len)?;
            self.offset += taken;
            self.rows_out += taken as u64;
            return Ok(Some(table));
        }
    }

    /// Decodes rows `range` of every column of one row group.
    fn decode(&self, group: &RowGroupMetadata, range: std::ops::Range<usize>) -> Result<Vec<Vec<Box<dyn Array>>>> {
        self.fields
            .iter()
            .zip(&self.labels)
            .map(|(field, label)| {
                let arrays = self.decode_column(group, field, range.clone())?;
                let height: usize = arrays.iter().map(|a| a.len()).sum();
                if height != range.len() {
                    return Err(Error::format(
                        "Parquet",
                        format!(
                            "column {label:?} holds {height} of the {} rows its footer promises",
                            range.len()
                        ),
                    ));
                }
                Ok(arrays)
            })
            .collect()
    }

    /// Decodes rows `range` of one column of one row group, as Arrow arrays.
    fn decode_column(
        &self,
        group: &RowGroupMetadata,
        field: &ArrowField,
        range: std::ops::Range<usize>,
    ) -> Result<Vec<Box<dyn Array>>> {
        let Some(chunks) = group.columns_under_root_iter(&field.name) else {
            // A column missing from a row group is empty there.
            let nulls = polars_arrow::array::new_null_array(ArrowDataType::Null, range.len());
            return Ok(vec![nulls]);
        };
        let chunks: Vec<(&ColumnChunkMetadata, Buffer<u8>)> = chunks
            .map(|chunk| Ok((chunk, chunk_bytes(&self.file, chunk)?)))
            .collect::<Result<_>>()?;
        let filter = Filter::new_ranged(range.start, range.end);
        // Polars' decoder trusts the pages it is given; a corrupt page must not take the
        // process down with it, so a panic in it is the file's fault, reported as such.
        let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            to_deserializer(chunks, field.clone(), Some(filter))
        }));
        match decoded {
            Ok(Ok((arrays, _))) => Ok(arrays),
            Ok(Err(e)) => Err(Error::format("Parquet", e)),
            Err(_) => Err(Error::format(
                "Parquet",
                format!("the data of column {:?} is corrupt", field.name.as_str()),
            )),
        }
    }

    /// Renders decoded columns as text rows, up to `batch_bytes` of text (at least one row);
    /// returns the table and how many of the `len` rows it took.
    fn build(&self, columns: &[Vec<Box<dyn Array>>], len: usize) -> Result<(Table, usize)> {
        let rendered: Vec<text::Cells<'_>> = self
            .labels
            .iter()
            .zip(columns)
            .map(|(label, arrays)| {
                let mut cells = Vec::with_capacity(len);
                for array in arrays {
                    text::render(array.as_ref(), &mut cells).map_err(|type_name| Error::ColumnType {
                        format: "Parquet",
                        label: label.clone(),
                        type_name,
                    })?;
                }
                Ok(cells)
            })
            .collect::<Result<_>>()?;
        let mut builder = TableBuilder::new(self.labels.clone(), len).with_limits(&self.limits);
        let mut bytes = 0usize;
        let mut taken = 0;
        while taken < len {
            let row = rendered.iter().map(|c| c.get(taken).and_then(|v| v.as_deref()));
            let size: usize = row.clone().map(|c| c.map_or(0, str::len)).sum();
            if taken > 0 && bytes.saturating_add(size) > self.batch_bytes {
                break;
            }
            bytes = bytes.saturating_add(size);
            builder.push_iter(self.rows_out + taken as u64 + 2, self.labels.len(), row);
            taken += 1;
        }
        Ok((builder.finish(Format::Parquet)?, taken))
    }
}

/// Reads the page headers of every column chunk of a row group (no page is decompressed) and
/// refuses one whose counts disagree with the footer or that inflates past
/// [`Limits::max_part_bytes`]: Polars' decoder allocates what a page header claims before it
/// looks at the data, so a forged header would take any amount of memory.
fn check_pages(file: &Buffer<u8>, group: &RowGroupMetadata, limits: &Limits) -> Result<()> {
    let rows = group.num_rows();
    for chunk in group.parquet_columns() {
        let bytes = chunk_bytes(file, chunk)?;
        if usize::try_from(chunk.num_values()).ok() != Some(rows) {
            return Err(Error::format(
                "Parquet",
                "a column chunk holds another number of values than its row group",
            ));
        }
        check_dictionary(&bytes, limits)?;
        let mut values = 0usize;
        for page in PageReader::new(Cursor::new(bytes), chunk, Vec::new(), usize::MAX) {
            let CompressedPage::Data(page) = page.map_err(|e| Error::format("Parquet", e))? else {
                continue;
            };
            values = values.saturating_add(page.num_values());
            if values > rows {
                return Err(Error::format("Parquet", "a page holds more values than its row group"));
            }
            if page.uncompressed_size() as u64 > limits.max_part_bytes {
                return Err(Error::too_large("Parquet", Bound::PartBytes, limits.max_part_bytes));
            }
        }
    }
    Ok(())
}

/// Reads the footer once with polars-parquet-format's Thrift reader, which holds what lists and
/// strings declare to an allocation budget, before Polars' own reader, which reserves what a list
/// declares: a 577-byte file declaring a list of 37 GB aborted the process (found by fuzzing).
/// A file too short to have a footer is left to Polars, which says so.
fn check_footer(bytes: &[u8]) -> Result<()> {
    let Some(at) = bytes.len().checked_sub(8) else {
        return Ok(());
    };
    let declared = crate::xls::u32_at(bytes, at).unwrap_or(0) as usize;
    let Some(footer) = at.checked_sub(declared).and_then(|start| bytes.get(start..at)) else {
        return Ok(());
    };
    let parsed = std::panic::catch_unwind(|| {
        // The reader's budget is of bytes it would allocate: 8 a list item, 2 a struct, a
        // string's length. Each costs at least a byte of footer, so 16 a byte is ample.
        let budget = footer.len().saturating_mul(16).saturating_add(1 << 16);
        let mut protocol = TCompactInputProtocol::new(footer, budget);
        polars_parquet_format::FileMetaData::read_from_in_protocol(&mut protocol).map(drop)
    });
    match parsed {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(Error::format(
            "Parquet",
            format!("the file's metadata is malformed: {e}"),
        )),
        Err(_) => Err(Error::format("Parquet", "the file's metadata is malformed")),
    }
}

/// Refuses a dictionary page (the first page of a chunk, when there is one) that inflates past
/// [`Limits::max_part_bytes`] or claims more values than it has bytes: Polars reserves both
/// before it decompresses the page, and polars-parquet keeps the page's sizes private, so its
/// header is read here.
fn check_dictionary(chunk: &[u8], limits: &Limits) -> Result<()> {
    let mut protocol = TCompactInputProtocol::new(chunk, MAX_PAGE_HEADER_BYTES);
    let Ok(header) = PageHeader::read_from_in_protocol(&mut protocol) else {
        // The page reader that follows reports a header it cannot read.
        return Ok(());
    };
    if header.type_ != PageType::DICTIONARY_PAGE {
        return Ok(());
    }
    let size = u64::try_from(header.uncompressed_page_size).unwrap_or(u64::MAX);
    if size > limits.max_part_bytes {
        return Err(Error::too_large("Parquet", Bound::PartBytes, limits.max_part_bytes));
    }
    let values = header.dictionary_page_header.map_or(0, |d| d.num_values);
    if u64::try_from(values).map_or(true, |v| v > size.max(1)) {
        return Err(Error::format(
            "Parquet",
            "a dictionary page claims more values than it holds bytes",
        ));
    }
    Ok(())
}

/// The bytes of one column chunk, as the footer places them.
fn chunk_bytes(file: &Buffer<u8>, chunk: &ColumnChunkMetadata) -> Result<Buffer<u8>> {
    let range = chunk.byte_range();
    let (start, end) = (range.start as usize, range.end as usize);
    if start > end || end > file.len() {
        return Err(Error::format("Parquet", "a column chunk lies outside the file"));
    }
    Ok(file.clone().sliced(start..end))
}

/// The field as its values are stored: Parquet has no seconds for a time of day, so a
/// `time32[s]` column (as pyarrow's schema names it) holds milliseconds.
fn stored_unit(mut field: ArrowField) -> ArrowField {
    if field.dtype == ArrowDataType::Time32(TimeUnit::Second) {
        field.dtype = ArrowDataType::Time32(TimeUnit::Millisecond);
    }
    field
}

/// Reads a Parquet file into a [`Table`]; record `i` is row `i + 2`.
pub fn read_parquet(bytes: &[u8]) -> Result<Table> {
    read_parquet_with(bytes, &IngestOptions::default())
}

/// Reads a Parquet file into one [`Table`] within `options.limits`, batch by batch.
pub(crate) fn read_parquet_with(bytes: &[u8], options: &IngestOptions) -> Result<Table> {
    let mut stream = ParquetStream::open(bytes.to_vec(), options)?;
    let labels = stream.labels().to_vec();
    crate::gather(labels, Format::Parquet, || stream.next_batch())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// A Parquet file of `rows` rows in one row group, written by Polars: a text column and
    /// a number column.
    fn one_row_group(rows: usize) -> Vec<u8> {
        let names: Vec<String> = (0..rows).map(|i| format!("Kelurahan {}", i % 7)).collect();
        let counts: Vec<i64> = (0..rows as i64).collect();
        let mut df = DataFrame::new(
            rows,
            vec![Column::new("nama".into(), names), Column::new("jumlah".into(), counts)],
        )
        .unwrap();
        let mut bytes = Vec::new();
        ParquetWriter::new(&mut bytes)
            .with_row_group_size(Some(rows))
            .finish(&mut df)
            .unwrap();
        bytes
    }

    #[test]
    fn one_large_row_group_comes_in_several_batches() {
        let bytes = one_row_group(1000);
        let mut stream = ParquetStream::open(bytes.clone(), &IngestOptions::default())
            .unwrap()
            .with_batch_rows(300);
        assert_eq!(stream.metadata.row_groups.len(), 1);
        assert_eq!(stream.labels(), ["nama", "jumlah"]);
        let mut heights = Vec::new();
        let mut rows = Vec::new();
        let mut cells = Vec::new();
        while let Some(batch) = stream.next_batch().unwrap() {
            heights.push(batch.height());
            rows.extend(batch.row_numbers.iter().copied());
            cells.extend((0..batch.height()).map(|i| batch.cell(i, 1).map(str::to_owned)));
        }
        assert_eq!(heights, [300, 300, 300, 100]);
        assert_eq!(rows, (2..1002).collect::<Vec<u64>>());
        let expected: Vec<Option<String>> = (0..1000).map(|i| Some(i.to_string())).collect();
        assert_eq!(cells, expected);
        // The whole read is the same rows, with the same fingerprints.
        let whole = read_parquet(&bytes).unwrap();
        assert_eq!(whole.height(), 1000);
        assert_eq!(whole.cell(999, 0), Some("Kelurahan 5"));
        assert_eq!(whole.row_numbers.last(), Some(&1001));
        assert_eq!(whole.row_prints, crate::row_prints(&whole.data).unwrap());
    }

    #[test]
    fn a_batch_stops_at_its_byte_budget() {
        let bytes = one_row_group(100);
        let options = IngestOptions {
            batch_bytes: Some(120),
            ..IngestOptions::default()
        };
        let mut stream = ParquetStream::open(bytes, &options).unwrap().with_batch_rows(100);
        let first = stream.next_batch().unwrap().unwrap();
        // "Kelurahan 0" and "0" are 12 bytes a row: ten rows fill 120 bytes.
        assert_eq!(first.height(), 10);
        let mut total = first.height();
        while let Some(batch) = stream.next_batch().unwrap() {
            assert!(batch.height() <= 10);
            total += batch.height();
        }
        assert_eq!(total, 100);
    }

    #[test]
    fn limits_are_checked_from_the_footer() {
        let bytes = one_row_group(50);
        let mut options = IngestOptions::default();
        options.limits.max_rows = 49;
        assert!(matches!(
            ParquetStream::open(bytes.clone(), &options),
            Err(Error::TooLarge {
                bound: Bound::Rows,
                limit: 49,
                ..
            })
        ));
        let mut options = IngestOptions::default();
        options.limits.max_columns = 1;
        assert!(matches!(
            ParquetStream::open(bytes.clone(), &options),
            Err(Error::TooLarge {
                bound: Bound::Columns,
                limit: 1,
                ..
            })
        ));
        let mut options = IngestOptions::default();
        options.limits.max_cell_bytes = 10;
        let t = read_parquet_with(&bytes, &options).unwrap();
        assert_eq!(t.cell(0, 0), None, "an 11-byte cell over a 10-byte limit is left out");
        assert_eq!(t.cell(0, 1), Some("0"));
        assert_eq!(t.notes.len(), 50);
        assert_eq!(t.notes[0].code, satudata_core::FindingCode::CellSizeError);
    }

    #[test]
    fn corrupt_pages_are_an_error_or_rows_never_a_panic() {
        let bytes = one_row_group(100);
        let tail = u32::from_le_bytes(bytes[bytes.len() - 8..bytes.len() - 4].try_into().unwrap()) as usize;
        let data_end = bytes.len() - 8 - tail;
        let mut errors = 0;
        for at in 4..data_end {
            for flip in [0xFF, 0x01] {
                let mut broken = bytes.clone();
                broken[at] ^= flip;
                match read_parquet(&broken) {
                    Ok(t) => assert!(t.height() <= 100),
                    Err(_) => errors += 1,
                }
            }
        }
        assert!(errors > 0, "some corruption is noticed");
    }

    #[test]
    fn a_truncated_file_is_a_format_error() {
        let bytes = one_row_group(100);
        for cut in [0, 4, bytes.len() / 2, bytes.len() - 9] {
            let mut broken = bytes[..cut].to_vec();
            broken.extend_from_slice(&bytes[bytes.len() - 8..]);
            assert!(read_parquet(&broken).is_err(), "cut at {cut}");
        }
    }
}
