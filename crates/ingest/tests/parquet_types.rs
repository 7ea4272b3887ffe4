//! Parquet files of every Arrow type pandas and pyarrow write, read as the text the validate
//! stage reads. The files are written at test time by `parquet_types.py` (pyarrow, pandas),
//! not by satudata.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use satudata_ingest::{Error, FileKind, read, read_parquet};

/// The directory the script wrote its files into, once per test run.
fn files() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parquet_types.py");
        let out = Command::new("python3")
            .arg(&script)
            .arg(dir.path())
            .output()
            .expect("python3 runs (CI installs pyarrow and pandas)");
        assert!(
            out.status.success(),
            "parquet_types.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
    .path()
}

fn file(name: &str) -> Vec<u8> {
    let path: PathBuf = files().join(format!("{name}.parquet"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The label and the cells of a one-column file.
fn column(name: &str) -> (String, Vec<Option<String>>) {
    let bytes = file(name);
    assert_eq!(FileKind::sniff(&bytes), FileKind::Parquet, "{name}");
    let table = read_parquet(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(table.labels.len(), 1, "{name}");
    assert_eq!(
        table.row_numbers.first().copied(),
        Some(2),
        "{name}: the first record is row 2"
    );
    let cells = (0..table.height())
        .map(|i| table.cell(i, 0).map(str::to_owned))
        .collect();
    (table.labels[0].clone(), cells)
}

fn texts(values: &[Option<&str>]) -> Vec<Option<String>> {
    values.iter().map(|v| v.map(str::to_owned)).collect()
}

#[test]
fn integers_of_every_width_are_decimal_digits() {
    for width in [8u32, 16, 32, 64] {
        let (lo, hi) = (-(1i128 << (width - 1)), (1i128 << (width - 1)) - 1);
        let name = format!("int{width}");
        let (label, cells) = column(&name);
        assert_eq!(label, name);
        assert_eq!(
            cells,
            texts(&[Some(&lo.to_string()), Some("0"), Some(&hi.to_string()), None])
        );
        let name = format!("uint{width}");
        let max = ((1u128 << width) - 1).to_string();
        assert_eq!(
            column(&name).1,
            texts(&[Some("0"), Some("7"), Some(&max), None]),
            "{name}"
        );
    }
}

#[test]
fn floats_are_whole_without_a_fraction() {
    assert_eq!(column("float16").1, texts(&[Some("150"), Some("1.5"), Some("-0.25")]));
    assert_eq!(
        column("float32").1,
        texts(&[Some("150"), Some("0.1"), Some("-2.5"), None])
    );
    assert_eq!(
        column("float64").1,
        texts(&[Some("150"), Some("0.1"), Some("100000000000000000000"), None, None]),
        "NaN is a missing value"
    );
    assert_eq!(column("pandas_floats").1, texts(&[Some("150"), None, Some("2.5")]));
}

#[test]
fn decimals_keep_their_scale() {
    assert_eq!(
        column("decimal128").1,
        texts(&[Some("12.50"), Some("-0.05"), Some("100.00"), None])
    );
    assert_eq!(
        column("decimal128_scale0").1,
        texts(&[Some("12345678901234567890"), None])
    );
    assert_eq!(
        column("decimal256").1,
        texts(&[Some("1234567890123456789012345678901234567890.125"), None])
    );
}

#[test]
fn booleans_dates_and_times() {
    assert_eq!(column("bool").1, texts(&[Some("true"), Some("false"), None]));
    assert_eq!(
        column("date32").1,
        texts(&[Some("2024-08-17"), Some("1945-08-17"), None])
    );
    assert_eq!(column("date64").1, texts(&[Some("2024-08-17"), None]));
    assert_eq!(column("time32_s").1, texts(&[Some("10:30:00"), None]));
    assert_eq!(column("time32_ms").1, texts(&[Some("10:30:00.5")]));
    assert_eq!(column("time64_us").1, texts(&[Some("07:05:09")]));
    assert_eq!(column("time64_ns").1, texts(&[Some("23:59:59.999999")]));
}

#[test]
fn timestamps_without_a_zone_are_dates_at_midnight() {
    assert_eq!(
        column("timestamp_s").1,
        texts(&[Some("2024-08-17"), Some("2024-08-17T10:30:00"), None])
    );
    assert_eq!(column("timestamp_ms").1, texts(&[Some("2024-08-17T10:30:00.25")]));
    assert_eq!(column("timestamp_us").1, texts(&[Some("2024-08-17T00:00:00.000001")]));
    assert_eq!(column("timestamp_ns").1, texts(&[Some("2024-08-17")]));
    let (label, cells) = column("pandas_dates");
    assert_eq!(label, "tanggal");
    assert_eq!(cells, texts(&[Some("2024-08-17"), Some("2024-08-18"), None]));
}

#[test]
fn zoned_timestamps_are_local_time() {
    let local = texts(&[Some("2024-08-17"), Some("2024-08-17T10:00:00+07:00"), None]);
    assert_eq!(column("timestamp_offset").1, local);
    assert_eq!(column("timestamp_jakarta").1, local);
    assert_eq!(
        column("timestamp_utc").1,
        texts(&[
            Some("2024-08-16T17:00:00+00:00"),
            Some("2024-08-17T03:00:00+00:00"),
            None
        ])
    );
}

#[test]
fn strings_of_every_layout_are_trimmed() {
    let expected = texts(&[Some("Pontianak Kota"), None, None, Some("Pontianak Barat")]);
    for name in ["string", "large_string", "string_view"] {
        assert_eq!(column(name).1, expected, "{name}");
    }
    let (_, cells) = column("dictionary");
    assert_eq!(cells, [expected.clone(), expected.clone(), expected].concat());
    assert_eq!(
        column("pandas_category").1,
        texts(&[Some("Pontianak Kota"), Some("Pontianak Barat"), Some("Pontianak Kota")])
    );
    assert_eq!(column("null").1, texts(&[None, None, None]));
}

#[test]
fn unreadable_types_name_the_column_and_the_type() {
    for (name, type_name) in [
        ("list", "list<int64>"),
        ("struct", "struct"),
        ("binary", "binary"),
        ("duration", "duration[s]"),
    ] {
        let bytes = file(name);
        match read(&bytes, &Default::default()) {
            Err(Error::ColumnType {
                format,
                label,
                type_name: found,
            }) => {
                assert_eq!(format, "Parquet");
                assert_eq!(label, name);
                assert_eq!(found, type_name);
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}
