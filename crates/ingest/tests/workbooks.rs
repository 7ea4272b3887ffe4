//! The four workbook kinds through one reader, on files written by LibreOffice, openpyxl and
//! pyxlsbwriter (`tests/fixtures/make_workbooks.py`), and kinds told from content, not names.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use satudata_core::FindingCode;
use satudata_ingest::{FileKind, Format, IngestOptions, Layout, open, read};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(name),
    )
    .unwrap()
}

#[test]
fn xls_ods_and_xlsx_read_alike() {
    let reference = read(&fixture("penduduk-kelurahan-2024.xlsx"), &IngestOptions::default()).unwrap();
    for (name, kind) in [
        ("penduduk-kelurahan-2024.xls", FileKind::Xls),
        ("penduduk-kelurahan-2024.ods", FileKind::Ods),
    ] {
        let bytes = fixture(name);
        assert_eq!(FileKind::sniff(&bytes), kind, "{name}");
        let t = read(&bytes, &IngestOptions::default()).unwrap();
        assert_eq!(
            t.format,
            Format::Workbook {
                kind,
                sheet: "Penduduk".into(),
                header_row: 4
            },
            "{name}"
        );
        assert_eq!(t.labels, reference.labels, "{name}");
        assert_eq!(t.row_numbers, reference.row_numbers, "{name}");
        assert_eq!(
            t.data, reference.data,
            "{name}: merged codes fill both rows, numbers have no fraction"
        );
        assert!(t.ragged.is_empty() && t.notes.is_empty(), "{name}");
    }
}

#[test]
fn xlsb_is_read_below_its_title() {
    let bytes = fixture("penduduk-kelurahan-2024.xlsb");
    assert_eq!(FileKind::sniff(&bytes), FileKind::Xlsb);
    let t = read(&bytes, &IngestOptions::default()).unwrap();
    assert!(
        matches!(
            t.format,
            Format::Workbook {
                kind: FileKind::Xlsb,
                header_row: 3,
                ..
            }
        ),
        "{:?}",
        t.format
    );
    assert_eq!(
        t.labels,
        ["Tahun", "Kode Kelurahan", "Jenis Kelamin", "Jumlah Penduduk (jiwa)"]
    );
    assert_eq!(t.height(), 58);
    assert_eq!(t.row_numbers[0], 4);
    assert_eq!((t.cell(0, 0), t.cell(0, 1)), (Some("2024"), Some("61.71.01.1002")));
}

#[test]
fn percent_cells_are_the_percentage_they_show() {
    for name in [
        "cakupan-imunisasi.xlsx",
        "cakupan-imunisasi.ods",
        "cakupan-imunisasi.xls",
    ] {
        let t = read(&fixture(name), &IngestOptions::default()).unwrap();
        let coverage: Vec<Option<&str>> = (0..3).map(|r| t.cell(r, 2)).collect();
        assert_eq!(coverage, [Some("92.5"), Some("87"), Some("100")], "{name}");
        assert_eq!(t.cell(0, 1), Some("120"), "{name}: plain numbers stay as they are");
        let warnings: Vec<_> = t
            .notes
            .iter()
            .filter(|n| n.code == FindingCode::PercentWarning)
            .collect();
        assert_eq!(warnings.len(), 1, "{name}: one warning per column");
        assert_eq!(warnings[0].column, Some(3));
        assert!(
            warnings[0].message_id.contains("Cakupan (%)"),
            "{}",
            warnings[0].message_id
        );
    }
}

/// `imunisasi-gabung.xlsb`: pyxlsbwriter's workbook with merge and percent-style records laid
/// out by hand from MS-XLSB (`tests/fixtures/make_xlsb_records.py`; LibreOffice reads them back).
#[test]
fn xlsb_merges_are_filled_and_percent_cells_read_as_shown() {
    let t = read(&fixture("imunisasi-gabung.xlsb"), &IngestOptions::default()).unwrap();
    assert!(
        matches!(
            t.format,
            Format::Workbook {
                kind: FileKind::Xlsb,
                header_row: 3,
                ..
            }
        ),
        "below the merged title: {:?}",
        t.format
    );
    assert_eq!(t.labels, ["Kode Kelurahan", "Jenis Kelamin", "Sasaran", "Cakupan (%)"]);
    let column = |c: usize| (0..t.height()).map(|r| t.cell(r, c)).collect::<Vec<_>>();
    assert_eq!(
        column(0),
        [
            Some("61.71.01.1001"),
            Some("61.71.01.1001"),
            Some("61.71.01.1002"),
            Some("61.71.01.1002")
        ],
        "A4:A5 and A6:A7 are filled from their first cell"
    );
    assert_eq!(column(2), [Some("120"), Some("98"), Some("143"), Some("101")]);
    assert_eq!(column(3), [Some("92.5"), Some("87"), Some("100"), Some("50")]);
    let warnings: Vec<_> = t
        .notes
        .iter()
        .filter(|n| n.code == FindingCode::PercentWarning)
        .collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].column, Some(4));
}

#[test]
fn plain_layout_reads_row_one_as_the_header_as_frictionless_does() {
    let plain = IngestOptions {
        layout: Layout::Plain,
        ..Default::default()
    };
    let t = read(&fixture("frictionless/laporan-judul.xlsx"), &plain).unwrap();
    assert_eq!(t.labels, ["JUMLAH PENDUDUK MENURUT KELURAHAN 2024", "", ""]);
    assert!(matches!(t.format, Format::Workbook { header_row: 1, .. }));
    assert_eq!(
        t.row_numbers,
        (2..=9).collect::<Vec<u64>>(),
        "every row, blank row 2 too"
    );
    assert_eq!((t.cell(0, 0), t.cell(0, 1), t.cell(0, 2)), (None, None, None));
    assert_eq!(t.cell(1, 0), Some("kode_kelurahan"));
    assert_eq!(
        t.cell(3, 0),
        None,
        "a merged region holds its value in its first cell only"
    );
    assert_eq!(t.cell(6, 0), Some("JUMLAH"), "the total row is data");
    assert_eq!(t.cell(7, 0), Some("Sumber: Disdukcapil"), "so is the note");
    assert!(t.notes.is_empty(), "{:?}", t.notes);

    // The report layout reads the same sheet below its title, without the total and the note.
    let report = read(&fixture("frictionless/laporan-judul.xlsx"), &IngestOptions::default()).unwrap();
    assert_eq!(report.labels, ["kode_kelurahan", "jenis_kelamin", "jumlah"]);
    assert_eq!(report.height(), 4);

    // Numbers as stored: a percent cell is the fraction, and no warning is given.
    for name in [
        "cakupan-imunisasi.xlsx",
        "cakupan-imunisasi.ods",
        "cakupan-imunisasi.xls",
    ] {
        let t = read(&fixture(name), &plain).unwrap();
        assert_eq!(t.cell(0, 2), Some("0.925"), "{name}");
        assert!(t.notes.is_empty(), "{name}: {:?}", t.notes);
    }
}

#[test]
fn the_content_decides_and_a_misleading_name_is_a_warning() {
    let csv = b"Tahun;Jumlah\n2024;10\n".to_vec();
    let options = IngestOptions {
        file_name: Some("laporan.xlsx".into()),
        ..Default::default()
    };
    let mut batches = open(&csv[..], &options).unwrap();
    assert!(matches!(batches.format(), Format::Csv { delimiter: b';', .. }));
    let notes = batches.take_notes();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].code, FindingCode::FormatWarning);
    assert!(
        notes[0].message_id.contains("bernama .xlsx tetapi isinya CSV"),
        "{}",
        notes[0].message_id
    );
    assert!(
        notes[0].message_en.contains("named .xlsx but holds CSV"),
        "{}",
        notes[0].message_en
    );

    // A workbook named .csv is read as the workbook it is.
    let xls = fixture("penduduk-kelurahan-2024.xls");
    let named_csv = IngestOptions {
        file_name: Some("penduduk.csv".into()),
        ..Default::default()
    };
    let mut batches = open(&xls[..], &named_csv).unwrap();
    assert!(matches!(
        batches.format(),
        Format::Workbook {
            kind: FileKind::Xls,
            ..
        }
    ));
    assert_eq!(batches.take_notes()[0].code, FindingCode::FormatWarning);

    // A matching name, or an explicit format, says nothing.
    let named_right = IngestOptions {
        file_name: Some("penduduk.xls".into()),
        ..Default::default()
    };
    assert!(open(&xls[..], &named_right).unwrap().take_notes().is_empty());
    let explicit = IngestOptions {
        file_name: Some("laporan.xlsx".into()),
        ..IngestOptions::default().with_kind_name("csv").unwrap()
    };
    assert!(open(&csv[..], &explicit).unwrap().take_notes().is_empty());
}
