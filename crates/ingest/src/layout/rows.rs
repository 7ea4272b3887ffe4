//! The rows below a header that are not data: total rows (`JUMLAH`, `Sub Total`) wherever
//! they are, and notes under the table (`Sumber: BPS`, a row of one cell).

use satudata_core::{Finding, FindingCode};

/// Streams the rows below the header, passing on the data rows and leaving out total and note
/// rows. A row of one filled cell may be a note or data with empty cells: it is held back until
/// a later data row shows it was data, or the end shows it was a note.
#[derive(Debug)]
pub(crate) struct RowFilter {
    width: usize,
    /// One-cell rows not yet known to be data or notes: row, cells, cell count.
    held: Vec<(u64, Vec<Option<String>>, usize)>,
    /// A `Sumber:`/`Keterangan:`/`Catatan:` row was seen: the table has ended.
    ended: bool,
    totals: RowList,
    notes: RowList,
}

impl RowFilter {
    /// A filter for a table `width` columns wide. Below three columns a one-cell row is as
    /// likely data with empty cells, so it is always data.
    pub(crate) fn new(width: usize) -> Self {
        RowFilter {
            width,
            held: Vec::new(),
            ended: false,
            totals: RowList::default(),
            notes: RowList::default(),
        }
    }

    /// Takes the next row: sheet row `row`, its `cells` under the header (merged regions
    /// filled) of which `own` are cells the sheet itself holds (a merged region counted once),
    /// and `count`, how many cells the row reaches across (more than the header's width when
    /// it is ragged). Data rows, and held rows they show to be data, go to `out` in order.
    pub(crate) fn push(
        &mut self,
        row: u64,
        cells: &[Option<&str>],
        own: usize,
        count: usize,
        out: &mut impl FnMut(u64, usize, &[Option<&str>]),
    ) {
        let mut filled = cells.iter().flatten().map(|c| c.trim()).filter(|c| !c.is_empty());
        let Some(first) = filled.next() else {
            // Nothing under the header but cells past it: a ragged row, which is data.
            if count > self.width {
                self.emit_data(row, cells, count, out);
            }
            return;
        };
        if self.ended {
            self.notes.push(row);
        } else if is_note(first) {
            self.ended = true;
            for (held, _, _) in std::mem::take(&mut self.held) {
                self.notes.push(held);
            }
            self.notes.push(row);
        } else if is_total(first) || filled.next().is_some_and(is_total) {
            self.totals.push(row);
        } else if own <= 1 && self.width >= 3 {
            // Only a row held back is copied: the others go on as they came.
            let owned = cells.iter().map(|c| c.map(str::to_owned)).collect();
            self.held.push((row, owned, count));
        } else {
            self.emit_data(row, cells, count, out);
        }
    }

    /// Passes on a data row, after the held rows it shows to be data.
    fn emit_data(
        &mut self,
        row: u64,
        cells: &[Option<&str>],
        count: usize,
        out: &mut impl FnMut(u64, usize, &[Option<&str>]),
    ) {
        for (held, cells, count) in std::mem::take(&mut self.held) {
            let cells: Vec<Option<&str>> = cells.iter().map(Option::as_deref).collect();
            out(held, count, &cells);
        }
        out(row, count, cells);
    }

    /// Ends the table: rows still held were notes below it. Gives one `skipped-rows` finding
    /// for the total rows and one for the notes, each naming its rows.
    pub(crate) fn finish(mut self) -> Vec<Finding> {
        for (held, _, _) in std::mem::take(&mut self.held) {
            self.notes.push(held);
        }
        [("skipped-rows.total", self.totals), ("skipped-rows.note", self.notes)]
            .into_iter()
            .filter_map(|(key, rows)| {
                let first = rows.first()?;
                let mut finding = Finding::new(FindingCode::SkippedRows).with_message(key, &[("rows", &rows.text())]);
                finding.row = Some(first);
                Some(finding)
            })
            .collect()
    }
}

/// Row numbers as runs of consecutive rows, written `20, 31–33`.
#[derive(Debug, Default)]
struct RowList(Vec<(u64, u64)>);

impl RowList {
    fn push(&mut self, row: u64) {
        match self.0.last_mut() {
            Some((_, last)) if *last + 1 == row => *last = row,
            _ => self.0.push((row, row)),
        }
    }

    fn first(&self) -> Option<u64> {
        self.0.first().map(|(first, _)| *first)
    }

    fn text(&self) -> String {
        let runs: Vec<String> = self
            .0
            .iter()
            .map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") })
            .collect();
        runs.join(", ")
    }
}

/// The words of a cell, lowercase, split at anything not a letter or digit.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Words that make a cell a total: `JUMLAH`, `Total`, `Jml.`, `Subtotal`.
const TOTAL_WORDS: &[&str] = &["jumlah", "total", "jml", "subtotal", "subjumlah"];
/// Words that may go before a total word (`Sub Total`, `Grand Total`).
const TOTAL_PREFIXES: &[&str] = &["sub", "grand"];
/// Words that may follow a total word alone (`Jumlah Total`, `Total Keseluruhan`).
const TOTAL_SUFFIXES: &[&str] = &["jumlah", "total", "keseluruhan", "seluruhnya", "semua", "akhir", "umum"];
/// Region words after which a named region makes a subtotal (`Jumlah Kecamatan Pontianak
/// Barat`); alone they are a count (`Jumlah Kecamatan`), so data.
const REGION_WORDS: &[&str] = &[
    "kecamatan",
    "kec",
    "kelurahan",
    "kel",
    "desa",
    "kabupaten",
    "kab",
    "kota",
    "provinsi",
    "prov",
    "wilayah",
    "puskesmas",
];

/// Whether a cell names a total row: `JUMLAH`, `TOTAL`, `Jumlah Total`, `Sub Total`, `Grand
/// Total`, `Jumlah Kecamatan Pontianak Barat`, in any case and punctuation.
fn is_total(text: &str) -> bool {
    let words = words(text);
    let mut rest = words.iter().map(String::as_str).peekable();
    if rest.next_if(|w| TOTAL_PREFIXES.contains(w)).is_some() && rest.peek().is_none() {
        return false;
    }
    if rest.next_if(|w| TOTAL_WORDS.contains(w)).is_none() {
        return false;
    }
    let rest: Vec<&str> = rest.collect();
    match rest.split_first() {
        None => true,
        Some((region, name)) if REGION_WORDS.contains(region) => !name.is_empty(),
        Some(_) => rest.iter().all(|w| TOTAL_SUFFIXES.contains(w)),
    }
}

/// Words that start a note: `Sumber: BPS`, `Keterangan:`, `Catatan :`, `Ket.`.
const NOTE_WORDS: &[&str] = &["sumber", "keterangan", "catatan", "ket", "source", "note", "notes"];

/// Whether a cell starts a note under the table: a note word alone, or followed by `:` or `.`
/// (perhaps after one more word, `Sumber Data:`).
fn is_note(text: &str) -> bool {
    let text = text.trim();
    let (before, marked) = match text.find([':', '.']) {
        Some(at) => (text.get(..at).unwrap_or(text), true),
        None => (text, false),
    };
    let words = words(before);
    let Some(first) = words.first() else {
        return false;
    };
    NOTE_WORDS.contains(&first.as_str()) && (words.len() == 1 || (marked && words.len() == 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(cells: &[&'a str]) -> Vec<Option<&'a str>> {
        cells.iter().map(|c| (!c.is_empty()).then_some(*c)).collect()
    }

    /// Runs `rows` (numbered from 10) through a filter: the data rows passed on and the
    /// findings as (row, message key, rows text).
    fn run(width: usize, rows: &[&[&str]]) -> (Vec<u64>, Vec<(Option<u64>, String)>) {
        let mut filter = RowFilter::new(width);
        let mut data = Vec::new();
        for (i, cells) in rows.iter().enumerate() {
            let own = cells.iter().filter(|c| !c.is_empty()).count();
            filter.push(10 + i as u64, &row(cells), own, cells.len(), &mut |r, _, _| {
                data.push(r)
            });
        }
        let findings = filter
            .finish()
            .into_iter()
            .map(|f| {
                assert_eq!(f.code, FindingCode::SkippedRows);
                (f.row, f.message_en)
            })
            .collect();
        (data, findings)
    }

    #[test]
    fn totals_in_any_case_and_form() {
        for text in [
            "JUMLAH",
            "Total",
            "jumlah total",
            "Jumlah Total :",
            "JUMLAH/TOTAL",
            "Sub Total",
            "SUBTOTAL",
            "Grand Total",
            "Jml.",
            "Total Keseluruhan",
            "Jumlah Kecamatan Pontianak Barat",
            "Jumlah Kec. Pontianak Kota",
        ] {
            assert!(is_total(text), "{text}");
        }
        for text in [
            "Jumlah Penduduk",
            "Jumlah Kecamatan",
            "Sub",
            "Totalitas",
            "Kecamatan Jumlah",
            "Pontianak",
            "",
        ] {
            assert!(!is_total(text), "{text}");
        }
    }

    #[test]
    fn notes_by_their_first_word() {
        for text in [
            "Sumber: BPS",
            "Sumber : Dinas Kesehatan",
            "SUMBER",
            "Keterangan:",
            "Catatan : angka sementara",
            "Ket. * angka sementara",
            "Sumber Data: SIAK",
        ] {
            assert!(is_note(text), "{text}");
        }
        for text in ["Sumber Air Bersih", "Ketapang", "Pontianak", ""] {
            assert!(!is_note(text), "{text}");
        }
    }

    #[test]
    fn total_and_note_rows_are_left_out_with_one_finding_each() {
        let (data, findings) = run(
            4,
            &[
                &["1", "Pontianak Barat", "10", "20"],
                &["2", "Pontianak Kota", "11", "21"],
                &["", "Sub Total", "21", "41"],
                &["3", "Pontianak Timur", "12", "22"],
                &["JUMLAH", "JUMLAH", "33", "63"],
                &["", "Total Keseluruhan", "33", "63"],
                &["Sumber: BPS", "", "", ""],
                &["Keterangan:", "", "", ""],
                &["1) angka sementara", "", "", ""],
                &["", "Kepala Dinas", "", "Pontianak, 2 Januari 2025"],
            ],
        );
        assert_eq!(data, [10, 11, 13]);
        assert_eq!(
            findings,
            [
                (Some(12), "Total rows left out, not read as data: 12, 14–15".to_owned()),
                (
                    Some(16),
                    "Notes below the table (source, remarks) left out, not read as data: 16–19".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_one_cell_row_is_data_when_data_follows() {
        let (data, findings) = run(
            3,
            &[
                &["1", "Ani", "3"],
                &["2", "", ""],
                &["3", "Budi", "4"],
                &["JUMLAH", "", "7"],
                &["diolah oleh Diskominfo", "", ""],
                &["dicetak 2 Januari 2025", "", ""],
            ],
        );
        assert_eq!(data, [10, 11, 12]);
        assert_eq!(findings.len(), 2);
        assert_eq!(findings[0].0, Some(13));
        assert_eq!(findings[1].0, Some(14));
        assert!(findings[1].1.contains("14–15"), "{:?}", findings[1]);
    }

    #[test]
    fn a_merged_one_cell_note_counts_as_one_cell() {
        let mut filter = RowFilter::new(3);
        let mut data = Vec::new();
        let note = row(&["data belum final", "data belum final", "data belum final"]);
        filter.push(5, &row(&["1", "2", "3"]), 3, 3, &mut |r, _, _| data.push(r));
        filter.push(6, &note, 1, 3, &mut |r, _, _| data.push(r));
        assert_eq!(data, [5]);
        assert_eq!(filter.finish()[0].row, Some(6));
    }

    #[test]
    fn narrow_tables_and_plain_data_give_no_finding() {
        let (data, findings) = run(2, &[&["Ani", ""], &["Budi", "4"], &["Citra", ""]]);
        assert_eq!(data, [10, 11, 12]);
        assert!(findings.is_empty());
        let (data, findings) = run(3, &[&["", "", ""], &["1", "2", "3"]]);
        assert_eq!(data, [11]);
        assert!(findings.is_empty());
    }

    #[test]
    fn the_cells_passed_on_are_the_rows_cells() {
        let mut filter = RowFilter::new(3);
        let mut seen = Vec::new();
        let mut out = |r: u64, count: usize, cells: &[Option<&str>]| {
            seen.push((r, count, cells.iter().map(|c| c.map(str::to_owned)).collect::<Vec<_>>()));
        };
        filter.push(1, &row(&["x", "", ""]), 1, 3, &mut out);
        filter.push(2, &row(&["a", "", "c"]), 2, 5, &mut out);
        let owned =
            |cells: &[&str]| -> Vec<Option<String>> { row(cells).into_iter().map(|c| c.map(str::to_owned)).collect() };
        assert_eq!(seen, [(1, 3, owned(&["x", "", ""])), (2, 5, owned(&["a", "", "c"]))]);
    }
}
