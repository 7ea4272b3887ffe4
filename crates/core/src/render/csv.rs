//! The listed findings as CSV, one finding a line, to sort and filter in a spreadsheet.
//!
//! Columns: row, column letter, header label, field, code, its label, severity, value, message
//! (the header line in the report's language). A text a spreadsheet would run as a formula
//! (`=1+1`, `@SUM(…)`; not a plain number such as `-250`) is written after a `'`, so that
//! opening the file runs nothing.

use crate::messages::{code_label, render};
use crate::{Lang, Report};

/// The report's listed findings as CSV (RFC 4180, `\r\n` line ends), with a header line.
pub fn csv(report: &Report, lang: Lang) -> String {
    let mut out = render(lang, "csv.header", &[]);
    out.push_str("\r\n");
    for f in &report.findings {
        let cells = [
            f.row.map(|r| r.to_string()).unwrap_or_default(),
            f.column.map(super::column_letter).unwrap_or_default(),
            f.label.clone().unwrap_or_default(),
            f.field.clone().unwrap_or_default(),
            f.code.as_str().to_owned(),
            code_label(lang, f.code),
            super::severity_word(lang, f.severity),
            f.value.clone().or_else(|| f.pointer.clone()).unwrap_or_default(),
            f.message(lang).to_owned(),
        ];
        let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One CSV cell: quoted when it holds a comma, a quote or a line break, and kept from running
/// as a formula.
fn cell(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.trim().parse::<f64>().is_err();
    let text = if formula { format!("'{text}") } else { text.to_owned() };
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_finding_with_letters_labels_and_quoting() {
        let s = csv(&super::super::tests::report(), Lang::Id);
        let lines: Vec<&str> = s.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "baris,kolom,judul_kolom,kolom_standar,kode,jenis,tingkat,nilai,keterangan"
        );
        assert_eq!(
            lines[1],
            "3,B,Jumlah <jiwa>,jumlah,type-error,Nilai tidak sesuai tipe,galat,<seratus>,\
             \"Nilai \"\"<seratus>\"\" bukan integer yang sah; tulis seperti 1250\""
        );
        assert!(
            lines[2].starts_with("4,AB,,nama,formula-warning,Sel menyerupai rumus,peringatan,'=1+1,"),
            "{s}"
        );
        assert_eq!(lines.len(), 4, "a line end after the last line");
        let en = csv(&super::super::tests::report(), Lang::En);
        assert!(
            en.starts_with("row,column,label,field,code,kind,severity,value,message\r\n"),
            "{en}"
        );
    }

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("-250"), "-250");
        assert_eq!(cell("+62 812"), "'+62 812");
        assert_eq!(cell("a\nb"), "\"a\nb\"");
        assert_eq!(cell("biasa"), "biasa");
    }
}
