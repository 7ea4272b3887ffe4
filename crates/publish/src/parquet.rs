//! `data.parquet` in a form old readers open.
//!
//! Polars writes text as Arrow string views and records that Arrow schema in the file's
//! `ARROW:schema` metadata; pyarrow before 15 (and R arrow, Spark's Arrow path) stop at the
//! unknown type ("Unrecognized type: 24"). The Parquet pages themselves are plain
//! `BYTE_ARRAY`/`UTF8`, so the file is written as Polars writes it, with the Arrow schema
//! replaced by the oldest-compatible one (large strings and binaries, no views).

use polars::prelude::*;
use polars_parquet::write::schema_to_metadata_key;

/// Writes the table as Parquet (zstd, one row group per 262,144 rows) whose Arrow schema uses
/// no view types.
pub fn write_parquet(table: &mut DataFrame) -> crate::Result<Vec<u8>> {
    let schema = table.schema().to_arrow(CompatLevel::oldest());
    let arrow_schema = schema_to_metadata_key(&schema);
    let metadata = KeyValueMetadata::from_static(vec![(arrow_schema.key, arrow_schema.value.unwrap_or_default())]);
    let mut parquet = Vec::new();
    ParquetWriter::new(&mut parquet)
        .with_compression(ParquetCompression::Zstd(None))
        .with_key_value_metadata(Some(metadata))
        .finish(table)?;
    Ok(parquet)
}
