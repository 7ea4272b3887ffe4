//! Reports for people: plain text for the terminal ([`text`]), a standalone HTML page a walidata
//! can open or attach to an e-mail ([`html`]), and the findings as CSV for a spreadsheet
//! ([`csv`]). All speak the report's language from the message catalogs and name finding codes
//! by their labels (`label.<code>`), keeping the code beside them for machines.

mod csv;
mod html;
mod text;

pub use csv::csv;
pub use html::html;
pub use text::text;

use crate::messages::render;
use crate::{Lang, Report, Severity};

/// The spreadsheet letters of a 1-based column: 1 is `A`, 26 `Z`, 27 `AA`, 703 `AAA`.
pub fn column_letter(column: u64) -> String {
    let mut n = column;
    let mut letters = Vec::new();
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(b'A' + rest as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// One line: valid or not, with the counts.
fn verdict(report: &Report, lang: Lang) -> String {
    let rows = report.rows.to_string();
    if report.valid {
        render(lang, "cli.valid", &[("rows", &rows)])
    } else {
        render(
            lang,
            "cli.invalid",
            &[
                ("rows", &rows),
                ("errors", &report.errors.to_string()),
                ("warnings", &report.warnings.to_string()),
            ],
        )
    }
}

/// The severity in words (`galat`, `warning`).
fn severity_word(lang: Lang, severity: Severity) -> String {
    let key = match severity {
        Severity::Error => "severity.error",
        Severity::Warning => "severity.warning",
        Severity::Info => "severity.info",
    };
    render(lang, key, &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Finding, FindingCode, ReportBuilder};

    /// A report with a type error and a formula warning in different columns.
    pub(super) fn report() -> Report {
        let mut b = ReportBuilder::new(10);
        let mut typed = Finding::cell(FindingCode::TypeError, 3, 2, "jumlah", "<seratus>").with_message(
            "type-error",
            &[("value", "<seratus>"), ("type", "integer"), ("example", "1250")],
        );
        typed.label = Some("Jumlah <jiwa>".into());
        b.push(typed);
        b.push(
            Finding::cell(FindingCode::FormulaWarning, 4, 28, "nama", "=1+1")
                .with_message("formula-warning", &[("value", "=1+1")]),
        );
        b.finish(5)
    }

    #[test]
    fn columns_are_spreadsheet_letters() {
        let cases = [
            (1, "A"),
            (7, "G"),
            (26, "Z"),
            (27, "AA"),
            (52, "AZ"),
            (53, "BA"),
            (702, "ZZ"),
            (703, "AAA"),
        ];
        for (n, letters) in cases {
            assert_eq!(column_letter(n), letters, "{n}");
        }
        assert_eq!(column_letter(16_384), "XFD", "Excel's last column");
        assert_eq!(column_letter(0), "");
    }

    #[test]
    fn verdicts_count_in_the_plural_english_needs() {
        let mut one = report();
        one.rows = 1;
        one.errors = 1;
        one.warnings = 1;
        assert_eq!(verdict(&one, Lang::En), "INVALID: 1 row, 1 error, 1 warning");
        assert_eq!(verdict(&one, Lang::Id), "TIDAK VALID: 1 baris, 1 galat, 1 peringatan");
        one.errors = 2;
        one.warnings = 0;
        assert_eq!(verdict(&one, Lang::En), "INVALID: 1 row, 2 errors, 0 warnings");
    }
}
