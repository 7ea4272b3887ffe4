//! The report as plain text for the terminal.

use crate::messages::{code_label, render};
use crate::{Lang, Report};

/// The report as text: the verdict, totals per kind of finding, then up to `max` findings.
pub fn text(report: &Report, lang: Lang, max: usize) -> String {
    let mut out = super::verdict(report, lang);
    out.push('\n');
    if !report.totals_by_code.is_empty() {
        out.push_str(&render(lang, "cli.totals", &[]));
        out.push('\n');
        for (code, n) in &report.totals_by_code {
            out.push_str(&format!("  {code}: {n} ({})\n", code_label(lang, *code)));
        }
    }
    let row_word = render(lang, "cli.row", &[]);
    let column_word = render(lang, "cli.column", &[]);
    for f in report.findings.iter().take(max) {
        let mut place = Vec::new();
        if let Some(r) = f.row {
            place.push(format!("{row_word} {r}"));
        }
        if let Some(c) = f.column {
            place.push(format!("{column_word} {}", super::column_letter(c)));
        }
        if let Some(field) = &f.field {
            place.push(format!("({field})"));
        }
        let place = if place.is_empty() {
            String::new()
        } else {
            format!(" {}", place.join(" "))
        };
        out.push_str(&format!("- [{}]{place}: {}\n", f.code, f.message(lang)));
    }
    let listed = report.findings.len().min(max) as u64;
    let total = report.errors + report.warnings;
    if report.truncated || listed < total {
        out.push_str(&format!("  … (+{})\n", total.saturating_sub(listed)));
        if report.truncated {
            out.push_str(&render(lang, "cli.truncated", &[("limit", &report.limit.to_string())]));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_verdict_labelled_totals_and_findings() {
        let s = text(&super::super::tests::report(), Lang::En, 10);
        assert!(s.starts_with("INVALID: 5 rows, 1 error, 1 warning\n"), "{s}");
        assert!(s.contains("  type-error: 1 (Wrong type of value)\n"), "{s}");
        assert!(
            s.contains("- [type-error] row 3 column B (jumlah): Value \"<seratus>\" is not a valid integer"),
            "{s}"
        );
        let id = text(&super::super::tests::report(), Lang::Id, 10);
        assert!(id.contains("  formula-warning: 1 (Sel menyerupai rumus)\n"), "{id}");
    }
}
