//! Reports for people: plain text for the terminal and a standalone HTML page a walidata can
//! open or attach to an e-mail. Both speak the report's language from the message catalogs.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::messages::render;
use crate::{Finding, Lang, Report, Severity};

/// The report as text: the verdict, totals per code, then up to `max` findings.
pub fn text(report: &Report, lang: Lang, max: usize) -> String {
    let mut out = verdict(report, lang);
    out.push('\n');
    if !report.totals_by_code.is_empty() {
        out.push_str(&render(lang, "cli.totals", &[]));
        out.push('\n');
        for (code, n) in &report.totals_by_code {
            out.push_str(&format!("  {code}: {n}\n"));
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
            place.push(format!("{column_word} {c}"));
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
        out.push_str(&format!("  … (+{})\n", total - listed));
        if report.truncated {
            out.push_str(&render(lang, "cli.truncated", &[("limit", &report.limit.to_string())]));
            out.push('\n');
        }
    }
    out
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

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1f24}\
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}\
.verdict{padding:.75rem 1rem;border-radius:6px;font-weight:600}.ok{background:#dafbe1}.bad{background:#ffebe9}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#f6f8fa}td.n{text-align:right}code{font-family:ui-monospace,monospace}.warning{color:#9a6700}.error{color:#cf222e}";

/// The report as a standalone HTML page: the verdict and totals first, then the findings
/// grouped by field, with rows as in the file and the offending values.
pub fn html(report: &Report, lang: Lang, title: &str) -> String {
    let t = |key: &str| render(lang, key, &[]);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        match lang {
            Lang::Id => "id",
            Lang::En => "en",
        },
        escape(title),
        escape(title)
    );
    let verdict = verdict(report, lang);
    let class = if report.valid { "ok" } else { "bad" };
    let _ = writeln!(out, "<p class=\"verdict {class}\">{}</p>", escape(verdict.trim()));
    let by_code = report
        .totals_by_code
        .iter()
        .map(|(code, n)| (code.as_str().to_owned(), *n));
    totals_table(&mut out, &t("html.by-code"), &t("html.code"), &t("html.count"), by_code);
    let by_field = report.totals_by_field.iter().map(|(field, n)| (field.clone(), *n));
    totals_table(
        &mut out,
        &t("html.by-field"),
        &t("html.field"),
        &t("html.count"),
        by_field,
    );
    let mut groups: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        groups.entry(f.field.as_deref().unwrap_or("")).or_default().push(f);
    }
    if !groups.is_empty() {
        let _ = writeln!(out, "<h2>{}</h2>", escape(&t("html.findings")));
    }
    for (field, findings) in groups {
        let heading = if field.is_empty() {
            t("html.file")
        } else {
            field.to_owned()
        };
        let _ = writeln!(
            out,
            "<h3><code>{}</code> ({})</h3>\n<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            escape(&heading),
            findings.len(),
            escape(&t("html.row")),
            escape(&t("html.column")),
            escape(&t("html.code")),
            escape(&t("html.value")),
            escape(&t("html.message"))
        );
        for f in findings {
            let severity = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            let cell = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
            let _ = writeln!(
                out,
                "<tr class=\"{severity}\"><td class=\"n\">{}</td><td class=\"n\">{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
                cell(f.row),
                cell(f.column),
                f.code,
                escape(f.value.as_deref().or(f.pointer.as_deref()).unwrap_or("")),
                escape(f.message(lang))
            );
        }
        out.push_str("</table>\n");
    }
    if report.truncated {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            escape(&render(lang, "cli.truncated", &[("limit", &report.limit.to_string())]))
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A heading and a two-column table of counts; nothing when there are none.
fn totals_table(out: &mut String, heading: &str, key: &str, count: &str, rows: impl Iterator<Item = (String, u64)>) {
    let mut rows = rows.peekable();
    if rows.peek().is_none() {
        return;
    }
    let _ = writeln!(
        out,
        "<h2>{}</h2>\n<table><tr><th>{}</th><th>{}</th></tr>",
        escape(heading),
        escape(key),
        escape(count)
    );
    for (name, n) in rows {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td class=\"n\">{n}</td></tr>",
            escape(&name)
        );
    }
    out.push_str("</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FindingCode, ReportBuilder};

    fn report() -> Report {
        let mut b = ReportBuilder::new(10);
        b.push(
            Finding::cell(FindingCode::TypeError, 3, 2, "jumlah", "<seratus>")
                .with_message("type-error", &[("value", "<seratus>"), ("type", "integer")]),
        );
        b.push(
            Finding::cell(FindingCode::FormulaWarning, 4, 1, "nama", "=1+1")
                .with_message("formula-warning", &[("value", "=1+1")]),
        );
        b.finish(5)
    }

    #[test]
    fn text_lists_the_verdict_totals_and_findings() {
        let s = text(&report(), Lang::En, 10);
        assert!(s.starts_with("INVALID: 5 rows, 1 errors, 1 warnings\n"), "{s}");
        assert!(
            s.contains("- [type-error] row 3 column 2 (jumlah): Value \"<seratus>\" is not a valid integer"),
            "{s}"
        );
    }

    #[test]
    fn html_is_escaped_grouped_and_in_the_language_asked() {
        let page = html(&report(), Lang::Id, "Laporan <uji>");
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("<html lang=\"id\">"));
        assert!(page.contains("Laporan &lt;uji&gt;"));
        assert!(page.contains("&lt;seratus&gt;") && !page.contains("<seratus>"));
        assert!(page.contains("<h3><code>jumlah</code> (1)</h3>"), "{page}");
        assert!(page.contains("TIDAK VALID"));
        assert!(
            page.find("type-error").unwrap() < page.find("<h3>").unwrap(),
            "summary comes first"
        );
    }
}
