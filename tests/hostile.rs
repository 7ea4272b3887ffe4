//! The hostile corpus (issue 10, item 10): files an attacker would send, generated at test time,
//! each run through `satudata validate --format json` under `/usr/bin/time`.
//!
//! Every case holds the run to an exit code, the finding codes of its report (`totals_by_code`),
//! and a bound on peak memory and wall-clock time of that one process (`measure::Bounds`). The
//! archives and the Parquet file come from `tests/hostile/make_hostile.py` (standard library and
//! pyarrow); the text files are written here. Inputs live in a scratch folder per case and are
//! never committed. Cases run in parallel threads; each bound is per process.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "hostile/inputs.rs"]
mod inputs;
#[path = "hostile/measure.rs"]
mod measure;

use measure::{Bounds, Case, schema};

/// The Table Schema most cases are checked against: `kode` (string), `nilai` (integer).
fn kode_nilai() -> std::path::PathBuf {
    schema("schema.json")
}

/// The default column limit as a message may write it.
const COLUMN_LIMIT: &[&str] = &["16384", "16.384", "16,384"];

/// Holds an archive bomb to issue 10's promise: refused as a zip bomb, fast and small.
fn refused_as_bomb(case: &'static str, generator: &str, file: &str) {
    let case_dir = Case::new(case);
    let input = case_dir.generate(generator, file, &[]);
    case_dir
        .validate(&kode_nilai(), &input, Bounds::BOMB)
        .expect()
        .exit(&[1])
        .codes(&["format-error"])
        .message("format-error", "zip bomb")
        .done();
}

// --- zip bombs ----------------------------------------------------------------------------------

#[test]
fn an_xlsx_sheet_inflating_past_the_part_limit_is_refused() {
    // 300 MiB of sheet XML stored at about 1/42: past the 256 MiB part limit, under the ratio.
    refused_as_bomb("xlsx-part-bomb", "xlsx-part-bomb", "bom.xlsx");
}

#[test]
fn an_xlsx_sheet_inflating_past_the_ratio_is_refused() {
    // 24 MiB of sheet XML stored at about 1/340: under the part limit, past 100 times.
    refused_as_bomb("xlsx-ratio-bomb", "xlsx-ratio-bomb", "rasio.xlsx");
}

#[test]
fn an_ods_content_inflating_past_the_part_limit_is_refused() {
    refused_as_bomb("ods-part-bomb", "ods-part-bomb", "bom.ods");
}

#[test]
fn an_ods_content_inflating_past_the_ratio_is_refused() {
    refused_as_bomb("ods-ratio-bomb", "ods-ratio-bomb", "rasio.ods");
}

#[test]
fn an_xlsx_part_lying_about_its_size_is_refused() {
    // The headers declare 4 KiB for a sheet that inflates to 300 MiB: whatever refuses it
    // (the part limit, the declared size), it is refused without reading it all.
    let case = Case::new("xlsx-size-lie");
    let input = case.generate("xlsx-size-lie", "bohong.xlsx", &[]);
    case.validate(&kode_nilai(), &input, Bounds::BOMB)
        .expect()
        .exit(&[1])
        .codes(&["format-error"])
        .done();
}

#[test]
fn an_ods_row_repeated_two_hundred_million_times_is_refused() {
    // A 1 KB file: `table:number-rows-repeated` makes one row 200,000,000, past the row limit
    // and the sheet-cell limit; it is refused before calamine expands it.
    let case = Case::new("ods-repeat-bomb");
    let input = case.generate("ods-repeat-bomb", "ulang.ods", &[]);
    case.validate(&kode_nilai(), &input, Bounds::BOMB)
        .expect()
        .exit(&[1])
        .codes(&["format-error"])
        .message_any("format-error", &["rows", "cells"])
        .done();
}

#[test]
fn an_xlsx_cell_at_the_far_corner_does_not_fill_the_sheet() {
    // A1 and XFD1048576: 17 billion cells if the sheet is laid out whole. The one far cell is
    // past the two-column header (extra-cell), or the sheet is refused (format-error). Its row
    // is empty under the header, which Frictionless 5 reports as blank-row (and only that).
    let case = Case::new("xlsx-far-cell");
    let input = case.generate("xlsx-far-cell", "pojok.xlsx", &[]);
    case.validate(&kode_nilai(), &input, Bounds::LARGE)
        .expect()
        .exit(&[1])
        .codes_among(
            &["extra-cell", "format-error", "blank-row"],
            &["extra-cell", "format-error", "blank-row"],
        )
        .done();
}

#[test]
fn xls_sheets_with_far_cells_are_refused_before_they_are_laid_out() {
    // calamine lays every .xls sheet out whole when it opens the file: 4.7 GB for these 10 KB.
    let case = Case::new("xls-far-cells");
    let input = case.generate("xls-far-cells", "pojok.xls", &[]);
    case.validate(&kode_nilai(), &input, Bounds::BOMB)
        .expect()
        .exit(&[1])
        .codes(&["format-error"])
        .message_any("format-error", &["10000000", "10.000.000", "10,000,000"])
        .done();
}

// --- XML entities -------------------------------------------------------------------------------

/// A "billion laughs" DTD is never expanded. quick-xml hands a reference such as `&lol9;` over
/// unresolved (a `GeneralRef` event) and ignores the DTD; calamine resolves only XML's five
/// predefined entities and character references and fails on any other, so the file is a
/// `format-error` and no `lol` text reaches the report.
fn entities_not_expanded(case: &'static str, file: &str) {
    let case_dir = Case::new(case);
    let input = case_dir.generate(case, file, &[]);
    case_dir
        .validate(&kode_nilai(), &input, Bounds::BOMB)
        .expect()
        .exit(&[1])
        .codes(&["format-error"])
        .that(|report| {
            if report.to_string().contains("lollol") {
                return Err("the report holds expanded entity text".into());
            }
            Ok(())
        })
        .done();
}

#[test]
fn entities_in_the_sheet_are_not_expanded() {
    entities_not_expanded("xlsx-entities-sheet", "tawa.xlsx");
}

#[test]
fn entities_in_shared_strings_are_not_expanded() {
    entities_not_expanded("xlsx-entities-shared", "tawa.xlsx");
}

#[test]
fn entities_in_ods_content_are_not_expanded() {
    entities_not_expanded("ods-entities", "tawa.ods");
}

/// A workbook whose sharedStrings.xml declares `count` strings (`uniqueCount`) and holds one: the
/// count is only a hint, so the workbook is read (exit 0, one row) or refused (format-error),
/// never a crash. calamine reserves room for the declared count.
fn shared_count_is_a_hint(case: &'static str, count: &str) {
    let case_dir = Case::new(case);
    let input = case_dir.generate("xlsx-shared-count-lie", "hitung.xlsx", &[count]);
    case_dir
        .validate(&kode_nilai(), &input, Bounds::SMALL)
        .expect()
        .exit(&[0, 1])
        .that(|report| {
            let totals = report["totals_by_code"].as_object().cloned().unwrap_or_default();
            let read = report["rows"] == 1 && totals.is_empty();
            let refused = totals.keys().eq(["format-error"].iter());
            if !read && !refused {
                return Err(format!("neither read (one row, no findings) nor refused: {totals:?}"));
            }
            Ok(())
        })
        .done();
}

#[test]
fn a_shared_string_count_past_memory_is_not_reserved() {
    // 10^17 strings of 24 bytes: an allocation that fails (abort, exit 134).
    shared_count_is_a_hint("xlsx-shared-count-huge", "100000000000000000");
}

#[test]
fn a_shared_string_count_past_usize_is_not_reserved() {
    // 2^62 strings: past what a Vec can hold (capacity overflow, a panic, exit 101).
    shared_count_is_a_hint("xlsx-shared-count-overflow", "4611686018427387904");
}

// --- path traversal -----------------------------------------------------------------------------

#[test]
fn archive_entries_named_outside_the_folder_are_never_written() {
    let case = Case::new("xlsx-traversal");
    let absolute = case.dir.path().join("luar/abs-evil.xml");
    let etc_x = std::path::Path::new("/etc/x");
    let etc_x_before = etc_x.exists();
    let input = case.generate("xlsx-traversal", "jalan.xlsx", &[absolute.to_str().unwrap()]);
    let before = files_under(case.dir.path());
    // The binary runs in work/a/b: `../../evil.xml` would land in work/, `xl/../../../` in the
    // scratch folder, the absolute name in luar/.
    case.validate(&kode_nilai(), &input, Bounds::SMALL)
        .expect()
        .exit(&[0, 1])
        .rows(1)
        .that(|_| {
            let mut after = files_under(case.dir.path());
            after.retain(|f| !before.contains(f) && !f.ends_with("stdout.json") && !f.ends_with("stderr.txt"));
            after.retain(|f| !f.ends_with("time.txt"));
            if !after.is_empty() || (!etc_x_before && etc_x.exists()) {
                return Err(format!("files appeared: {after:?} (/etc/x: {})", etc_x.exists()));
            }
            Ok(())
        })
        .done();
}

/// Every file under `dir`, at any depth.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

// --- Parquet ------------------------------------------------------------------------------------

/// Rows in the tiny Parquet file: read whole, 10,000,000 of them took 1.48 GB and 95 s.
const PARQUET_ROWS: u64 = 12_000_000;

#[test]
fn a_tiny_parquet_file_with_millions_of_rows_is_read_in_bounded_memory() {
    let case = Case::new("parquet-many-rows");
    let input = case.generate("parquet-many-rows", "banyak.parquet", &[&PARQUET_ROWS.to_string()]);
    let size = std::fs::metadata(&input).unwrap().len();
    assert!(size < 4 << 20, "the Parquet file should be tiny, it is {size} bytes");
    let bounds = Bounds {
        rss_mib: 1536,
        seconds: 60.0,
    };
    // Every row is the same: the rows are read to the end (exit 0), or reported as duplicates
    // where the mode checks them (exit 1).
    case.validate(&schema("nama.schema.json"), &input, bounds)
        .expect()
        .exit(&[0, 1])
        .rows(PARQUET_ROWS)
        .that(|report| {
            let totals = report["totals_by_code"].as_object().cloned().unwrap_or_default();
            if totals.keys().any(|c| c != "duplicate-row") {
                return Err(format!("findings other than duplicate-row: {totals:?}"));
            }
            Ok(())
        })
        .done();
}

#[test]
fn a_parquet_file_past_the_column_limit_is_a_format_error() {
    let case = Case::new("parquet-wide");
    let input = case.generate("parquet-wide", "lebar.parquet", &["20000"]);
    case.validate(&kode_nilai(), &input, Bounds::SMALL)
        .expect()
        .exit(&[1])
        .codes(&["format-error"])
        .message_any("format-error", COLUMN_LIMIT)
        .done();
}

#[test]
fn a_64_mib_parquet_cell_is_a_cell_size_error() {
    let case = Case::new("parquet-big-cell");
    let input = case.generate("parquet-big-cell", "sel.parquet", &[]);
    case.validate(&kode_nilai(), &input, Bounds::LARGE)
        .expect()
        .exit(&[1])
        .codes(&["cell-size-error"])
        .message("cell-size-error", "baris 2")
        .done();
}

#[test]
fn a_parquet_dictionary_page_claiming_2_gib_is_refused_before_it_is_inflated() {
    // Polars reserves a page's uncompressed size before it decompresses it: 2 GiB for these
    // few kilobytes, had the dictionary page not been checked like the data pages are.
    let case = Case::new("parquet-dict-bomb");
    let input = case.generate("parquet-dict-bomb", "kamus.parquet", &[]);
    case.validate(&kode_nilai(), &input, Bounds::BOMB)
        .expect()
        .exit(&[1])
        .codes(&["format-error"])
        .message("format-error", "inflates past")
        .done();
}

// --- JSON ---------------------------------------------------------------------------------------

/// A JSON input that cannot be read is a `format-error`, never a crash.
fn json_unreadable(case: &'static str, text: &[u8]) {
    let case_dir = Case::new(case);
    let input = case_dir.input("data.json");
    std::fs::write(&input, text).unwrap();
    case_dir
        .validate(&kode_nilai(), &input, Bounds::BOMB)
        .expect()
        .exit(&[1])
        .codes(&["format-error"])
        .done();
}

#[test]
fn deeply_nested_json_is_a_format_error_not_a_stack_overflow() {
    json_unreadable("deep-json", &b"[".repeat(100_000));
}

#[test]
fn a_deeply_nested_json_value_is_a_format_error_not_a_stack_overflow() {
    let mut text = br#"[{"kode": "a", "nilai": 1}, {"kode": "#.to_vec();
    text.extend(b"[".repeat(100_000));
    text.extend(b"]".repeat(100_000));
    text.extend(br#", "nilai": 2}]"#);
    json_unreadable("deep-json-value", &text);
}

#[test]
fn json_records_past_the_column_limit_are_a_format_error() {
    // 100,000 keys in one record: 1 MB of JSON, which must not take time quadratic in the keys.
    let keys: Vec<String> = (1..=100_000).map(|i| format!("\"k{i}\": 1")).collect();
    let case = Case::new("json-wide");
    let input = case.input("lebar.json");
    std::fs::write(&input, format!("[{{{}}}]", keys.join(", "))).unwrap();
    case.validate(&kode_nilai(), &input, Bounds::SMALL)
        .expect()
        .exit(&[1])
        .codes(&["format-error"])
        .message_any("format-error", COLUMN_LIMIT)
        .done();
}

#[test]
fn truncated_json_is_a_format_error() {
    json_unreadable("truncated-json", br#"[{"kode": "a", "nilai": 1}, {"kode": "b", "ni"#);
}

// --- text that is not text ----------------------------------------------------------------------

/// A file that is not text is a `format-error`, not a table of noise.
fn not_text(case: &'static str, file: &str, bounds: Bounds, write: impl FnOnce(&std::path::Path)) {
    let case_dir = Case::new(case);
    let input = case_dir.input(file);
    write(&input);
    case_dir
        .validate(&kode_nilai(), &input, bounds)
        .expect()
        .exit(&[1])
        .codes(&["format-error"])
        .done();
}

#[test]
fn binary_noise_named_csv_is_a_format_error() {
    not_text("noise-csv", "acak.csv", Bounds::SMALL, |p| inputs::noise(p, 4 << 20, 1));
}

#[test]
fn binary_noise_without_a_name_is_a_format_error() {
    not_text("noise-unnamed", "acak", Bounds::SMALL, |p| inputs::noise(p, 4 << 20, 2));
}

#[test]
fn a_nul_byte_in_an_ordinary_csv_is_a_format_error() {
    not_text("nul-csv", "nul.csv", Bounds::SMALL, |p| {
        std::fs::write(p, b"kode,nilai\na,1\nb\0c,2\nd,3\n").unwrap()
    });
}

#[test]
fn a_nul_byte_far_into_an_ordinary_csv_is_a_format_error() {
    // Past the first block the kind and encoding are told from (1 MiB) and the first batch
    // (4 MiB): the whole file is held to it. A million rows take a while in the debug build.
    let bounds = Bounds {
        rss_mib: 300,
        seconds: 30.0,
    };
    not_text("nul-csv-late", "nul.csv", bounds, |p| {
        inputs::repeated(p, b"kode,nilai\n", b"abc,1\n", 6 << 20, b"b\0c,2\nd,3\n")
    });
}

// --- CSV shapes ---------------------------------------------------------------------------------

#[test]
fn a_64_mib_cell_is_a_cell_size_error_and_the_report_stays_small() {
    let case = Case::new("cell-64mib");
    let input = case.input("sel.csv");
    inputs::repeated(&input, b"kode,nilai\na,1\n", b"x", 64 << 20, b",2\nc,3\n");
    let run = case.validate(&kode_nilai(), &input, Bounds::LARGE);
    run.expect()
        .exit(&[1])
        .codes(&["cell-size-error"])
        .message("cell-size-error", "baris 3")
        .that(|report| {
            let finding = report["findings"]
                .as_array()
                .and_then(|f| f.iter().find(|f| f["code"] == "cell-size-error"))
                .ok_or("no cell-size-error finding listed")?;
            let place = (finding["row"].as_u64(), finding["column"].as_u64());
            let value = finding["value"].as_str().unwrap_or("");
            let (start, rest) = value.split_once('…').unwrap_or((value, ""));
            let mut problems = Vec::new();
            if place != (Some(3), Some(1)) {
                problems.push(format!("the finding names row/column {place:?}, not (3, 1)"));
            }
            if start != "x".repeat(200) || rest != " (67.108.864 karakter)" {
                problems.push(format!(
                    "the value is not 200 characters then \"… (67.108.864 karakter)\": {} characters, then {rest:?}",
                    start.chars().count()
                ));
            }
            if !problems.is_empty() {
                return Err(problems.join("; "));
            }
            Ok(())
        })
        .done();
    assert!(run.stdout_bytes < 64 << 10, "the report is {} bytes", run.stdout_bytes);
}

#[test]
fn a_hundred_thousand_columns_is_a_format_error() {
    let case = Case::new("columns-100k");
    let input = case.input("lebar.csv");
    inputs::wide(&input, 100_000);
    case.validate(&kode_nilai(), &input, Bounds::SMALL)
        .expect()
        .exit(&[1])
        .codes(&["format-error"])
        .message_any("format-error", COLUMN_LIMIT)
        .done();
}

#[test]
fn millions_of_blank_lines_after_a_header_are_skipped() {
    // The delimited reader skips blank lines (as Excel exports end), so the file is a header
    // with no data: valid, exit 0. (Frictionless 5 reports each as blank-row.)
    let case = Case::new("blank-lines");
    let input = case.input("kosong.csv");
    inputs::repeated(&input, b"kode,nilai\n", b"\n", 5_000_000, b"");
    case.validate(&kode_nilai(), &input, Bounds::SMALL)
        .expect()
        .exit(&[0])
        .rows(0)
        .codes(&[])
        .done();
}

#[test]
fn an_unclosed_quote_early_in_a_large_csv_is_refused_in_bounded_memory() {
    // The quote opened on line 3 never closes: the rest of the 100 MB file is one record.
    let case = Case::new("unclosed-quote");
    let input = case.input("kutip.csv");
    inputs::repeated(&input, b"kode,nilai\na,1\n\"b,2\n", b"c,3\n", 100 << 20, b"");
    case.validate(&kode_nilai(), &input, Bounds::LARGE)
        .expect()
        .exit(&[1])
        .codes_among(
            &["format-error", "cell-size-error"],
            &["format-error", "cell-size-error"],
        )
        .done();
}

#[test]
fn a_csv_named_xlsx_is_read_as_csv_with_a_warning() {
    let case = Case::new("csv-named-xlsx");
    let input = case.input("penduduk.xlsx");
    std::fs::write(&input, "kode,nilai\na,1\nb,2\n").unwrap();
    case.validate(&kode_nilai(), &input, Bounds::SMALL)
        .expect()
        .exit(&[0])
        .rows(2)
        .codes(&["format-warning"])
        .message("format-warning", "berkas bernama .xlsx tetapi isinya CSV")
        .done();
}
