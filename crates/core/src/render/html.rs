//! The report as a standalone HTML page (no scripts, no outside files): what was checked, the
//! verdict, the kinds of finding with how to fix each, the findings by the PD's own column
//! headers and by row, and a link that downloads them as CSV.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::column_letter;
use crate::messages::{code_label, render};
use crate::{Finding, Lang, Report, Severity};

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1f24}\
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}summary h2{display:inline;border:0}\
.verdict{padding:.75rem 1rem;border-radius:6px;font-weight:600}.ok{background:#dafbe1}.bad{background:#ffebe9}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#f6f8fa}td.n{text-align:right}code{font-family:ui-monospace,monospace}.warning{color:#9a6700}.error{color:#cf222e}\
table.about{width:auto}table.about th{font-weight:normal}small{color:#57606a}";

/// The layout of a narrow screen (a phone, 360 px): each row of a finding table becomes a card of
/// `label: value` lines, the labels written by [`card_labels`] in the page's language.
const NARROW: &str = "@media (max-width:40rem){body{margin:1rem auto;padding:0 .75rem}td,h1,h3{overflow-wrap:anywhere}\
table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:auto}\
table.cards tr:first-child{display:none}\
table.cards tr{border:1px solid #d0d7de;border-radius:6px;margin:.5rem 0;padding:.3rem .6rem}\
table.cards td{border:0;padding:.15rem 0;text-align:left}table.cards td:empty{display:none}\
table.cards td::before{font-weight:600;color:#1b1f24;margin-right:.4rem}\
table.cards tr.error,table.cards tr.warning{color:inherit;border-left-width:4px}\
table.cards tr.error{border-left-color:#cf222e}table.cards tr.warning{border-left-color:#9a6700}}";

/// The finding tables: their class and the catalog keys of their columns, in order.
const TABLES: &[(&str, &[&str])] = &[
    ("kinds", &["html.kind", "html.code", "html.count", "html.fix"]),
    ("columns", &["html.label", "html.column", "html.field", "html.count"]),
    (
        "by-label",
        &["html.row", "html.column", "html.kind", "html.value", "html.message"],
    ),
    (
        "by-row",
        &[
            "html.row",
            "html.column",
            "html.label",
            "html.kind",
            "html.value",
            "html.message",
        ],
    ),
];

/// The label before each cell of a card on a narrow screen: `table.kinds td:nth-child(4)::before
/// {content:"Cara memperbaiki: "}`, for every table of [`TABLES`].
fn card_labels(lang: Lang) -> String {
    let mut css = String::from("@media (max-width:40rem){");
    for (class, keys) in TABLES {
        for (i, key) in keys.iter().enumerate() {
            let label = format!("{}: ", render(lang, key, &[]));
            let _ = write!(
                css,
                "table.{class} td:nth-child({})::before{{content:\"{}\"}}",
                i + 1,
                css_string(&label)
            );
        }
    }
    css.push('}');
    css
}

/// `text` inside a CSS string in double quotes, safe inside a `<style>` element too.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if matches!(c, '"' | '\\' | '<' | '>' | '&') || c.is_control() => {
                let _ = write!(out, "\\{:x} ", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// The report as a standalone HTML page titled `title`.
pub fn html(report: &Report, lang: Lang, title: &str) -> String {
    let mut out = String::new();
    let code = lang.code();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <style>{STYLE}\n{NARROW}\n{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(title),
        card_labels(lang),
        escape(title)
    );
    about(&mut out, report, lang);
    let class = if report.valid { "ok" } else { "bad" };
    let verdict = super::verdict(report, lang);
    let _ = writeln!(out, "<p class=\"verdict {class}\">{}</p>", escape(verdict.trim()));
    if !report.findings.is_empty() {
        download(&mut out, report, lang);
    }
    kinds(&mut out, report, lang);
    columns(&mut out, report, lang);
    by_label(&mut out, report, lang);
    by_row(&mut out, report, lang);
    if report.truncated {
        let limit = report.limit.to_string();
        let _ = writeln!(
            out,
            "<p>{}</p>",
            escape(&render(lang, "cli.truncated", &[("limit", &limit)]))
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// What was checked: the file, the sheet, the standard and its version, when, and how many rows.
fn about(out: &mut String, report: &Report, lang: Lang) {
    let c = &report.context;
    let standard = c.standard.as_ref().map(|id| match &c.standard_version {
        Some(version) => render(lang, "html.standard-version", &[("id", id), ("version", version)]),
        None => id.clone(),
    });
    let when = c
        .checked_at
        .as_ref()
        .map(|at| at.replacen('T', " ", 1).replace('Z', " UTC"));
    let rows = [
        ("html.file-name", c.file.clone()),
        ("html.sheet", c.sheet.clone()),
        ("html.standard", standard),
        ("html.checked-at", when),
        ("html.rows", Some(report.rows.to_string())),
    ];
    out.push_str("<table class=\"about\">\n");
    for (key, value) in rows {
        if let Some(value) = value {
            let _ = writeln!(
                out,
                "<tr><th>{}</th><td>{}</td></tr>",
                escape(&render(lang, key, &[])),
                escape(&value)
            );
        }
    }
    out.push_str("</table>\n");
}

/// A link that downloads the listed findings as CSV, embedded in the page as a `data:` URL.
fn download(out: &mut String, report: &Report, lang: Lang) {
    // The byte order mark tells Excel the file is UTF-8.
    let csv = format!("\u{feff}{}", super::csv(report, lang));
    let stem = report
        .context
        .file
        .as_deref()
        .map_or("laporan", |f| f.rsplit_once('.').map_or(f, |(stem, _)| stem));
    let name = format!("temuan-{stem}.csv");
    let _ = writeln!(
        out,
        "<p><a download=\"{}\" href=\"data:text/csv;charset=utf-8,{}\">{}</a></p>",
        escape(&name),
        percent_encode(&csv),
        escape(&render(lang, "html.download", &[]))
    );
}

/// The kinds of finding: label, code, count and how to fix it.
fn kinds(out: &mut String, report: &Report, lang: Lang) {
    if report.totals_by_code.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h2>{}</h2>", escape(&render(lang, "html.by-code", &[])));
    table_head(out, lang, "kinds");
    for (code, n) in &report.totals_by_code {
        let _ = writeln!(
            out,
            "<tr class=\"{}\"><td>{}</td><td><code>{code}</code></td><td class=\"n\">{n}</td><td>{}</td></tr>",
            severity_class(code.severity()),
            escape(&code_label(lang, *code)),
            escape(&render(lang, &format!("fix.{code}"), &[]))
        );
    }
    out.push_str("</table>\n");
}

/// Counts per column: the header label from the file, the letter, the standard's field name.
fn columns(out: &mut String, report: &Report, lang: Lang) {
    if report.totals_by_field.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h2>{}</h2>", escape(&render(lang, "html.by-field", &[])));
    table_head(out, lang, "columns");
    // In the file's column order; fields with no listed finding in a column last.
    let mut rows: Vec<(Option<u64>, &str, &str, u64)> = report
        .totals_by_field
        .iter()
        .map(|(field, n)| {
            let seen = report.findings.iter().filter(|f| f.field.as_ref() == Some(field));
            let label = seen.clone().find_map(|f| f.label.as_deref()).unwrap_or_default();
            (seen.clone().find_map(|f| f.column), label, field.as_str(), *n)
        })
        .collect();
    rows.sort_by_key(|(column, _, field, _)| (column.unwrap_or(u64::MAX), *field));
    for (column, label, field, n) in rows {
        let letter = column.map(column_letter).unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{letter}</td><td><code>{}</code></td><td class=\"n\">{n}</td></tr>",
            escape(label),
            escape(field)
        );
    }
    out.push_str("</table>\n");
}

/// The listed findings in groups by the column's header label in the file, in column order;
/// the file's own findings (no column) first.
fn by_label(out: &mut String, report: &Report, lang: Lang) {
    let mut groups: BTreeMap<(u64, String), Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        let name = f.label.clone().or_else(|| f.field.clone()).unwrap_or_default();
        let place = if name.is_empty() {
            0
        } else {
            f.column.unwrap_or(u64::MAX)
        };
        groups.entry((place, name)).or_default().push(f);
    }
    // A field whose findings all lack a column joins the group that has one.
    let mut merged: BTreeMap<(u64, String), Vec<&Finding>> = BTreeMap::new();
    let mut placed: BTreeMap<String, u64> = BTreeMap::new();
    for (place, name) in groups.keys() {
        placed.entry(name.clone()).or_insert(*place);
    }
    for ((_, name), findings) in groups {
        let place = placed[&name];
        merged.entry((place, name)).or_default().extend(findings);
    }
    if merged.is_empty() {
        return;
    }
    let t = |key: &str| escape(&render(lang, key, &[]));
    let _ = writeln!(out, "<h2>{}</h2>", t("html.findings"));
    for ((place, name), findings) in merged {
        let heading = if name.is_empty() {
            render(lang, "html.file", &[])
        } else {
            name
        };
        let mut detail = Vec::new();
        if place != 0 && place != u64::MAX {
            detail.push(escape(&render(
                lang,
                "html.column-at",
                &[("letter", &column_letter(place))],
            )));
        }
        if let Some(field) = findings
            .iter()
            .find_map(|f| f.field.as_deref())
            .filter(|f| *f != heading)
        {
            detail.push(format!("<code>{}</code>", escape(field)));
        }
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(" <small>({})</small>", detail.join(", "))
        };
        let _ = writeln!(out, "<h3>{}{detail} ({})</h3>", escape(&heading), findings.len());
        table(out, &findings, lang, false);
    }
}

/// The listed findings by row, in file order, folded away until opened.
fn by_row(out: &mut String, report: &Report, lang: Lang) {
    if report.findings.is_empty() {
        return;
    }
    let mut findings: Vec<&Finding> = report.findings.iter().collect();
    findings.sort_by_key(|f| (f.row.unwrap_or(0), f.column.unwrap_or(0)));
    let _ = writeln!(
        out,
        "<details>\n<summary><h2>{}</h2></summary>",
        escape(&render(lang, "html.by-row", &[]))
    );
    table(out, &findings, lang, true);
    out.push_str("</details>\n");
}

/// A table of findings: row, column letter, (header label,) kind, value and message.
fn table(out: &mut String, findings: &[&Finding], lang: Lang, with_label: bool) {
    table_head(out, lang, if with_label { "by-row" } else { "by-label" });
    for f in findings {
        let label = if with_label {
            format!(
                "<td>{}</td>",
                escape(f.label.as_deref().or(f.field.as_deref()).unwrap_or(""))
            )
        } else {
            String::new()
        };
        // An empty cell stays empty, so that a card on a phone leaves the line out.
        let value = match f.value.as_deref().or(f.pointer.as_deref()) {
            Some(v) if !v.is_empty() => format!("<code>{}</code>", escape(v)),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "<tr class=\"{}\"><td class=\"n\">{}</td><td>{}</td>{label}<td>{} <small><code>{}</code></small></td><td>{value}</td><td>{}</td></tr>",
            severity_class(f.severity),
            f.row.map(|n| n.to_string()).unwrap_or_default(),
            f.column.map(column_letter).unwrap_or_default(),
            escape(&code_label(lang, f.code)),
            f.code,
            escape(f.message(lang))
        );
    }
    out.push_str("</table>\n");
}

/// Opens the finding table `class` of [`TABLES`] with its header row.
fn table_head(out: &mut String, lang: Lang, class: &str) {
    let keys = TABLES.iter().find(|(c, _)| *c == class).map_or(&[][..], |(_, k)| k);
    let _ = write!(out, "<table class=\"cards {class}\"><tr>");
    for key in keys {
        let _ = write!(out, "<th>{}</th>", escape(&render(lang, key, &[])));
    }
    out.push_str("</tr>\n");
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
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

/// `text` as a URL part: every byte but letters, digits and `-._~` as `%XX`.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReportContext;

    fn sample_page(lang: Lang) -> String {
        let report = super::super::tests::report().about(ReportContext {
            file: Some("penduduk.xlsx".into()),
            sheet: Some("Data 2024".into()),
            standard: Some("penduduk-kelurahan".into()),
            standard_version: Some("1.2".into()),
            checked_at: Some("2024-08-17T10:30:00Z".into()),
        });
        html(&report, lang, "Laporan <uji>")
    }

    #[test]
    fn is_escaped_and_in_the_language_asked() {
        let page = sample_page(Lang::Id);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("<html lang=\"id\">"));
        assert!(page.contains("Laporan &lt;uji&gt;"));
        assert!(page.contains("&lt;seratus&gt;") && !page.contains("<seratus>"));
        assert!(page.contains("TIDAK VALID"));
        assert!(!page.contains("<script"), "no scripts");
        assert!(page.ends_with("</html>\n"));
    }

    #[test]
    fn says_what_was_checked_and_when() {
        let page = sample_page(Lang::Id);
        for part in [
            "<tr><th>Berkas</th><td>penduduk.xlsx</td></tr>",
            "<tr><th>Lembar kerja</th><td>Data 2024</td></tr>",
            "<tr><th>Standar data</th><td>penduduk-kelurahan versi 1.2</td></tr>",
            "<tr><th>Waktu pemeriksaan</th><td>2024-08-17 10:30:00 UTC</td></tr>",
        ] {
            assert!(page.contains(part), "{part}\n{page}");
        }
        let en = sample_page(Lang::En);
        assert!(
            en.contains("<tr><th>Data standard</th><td>penduduk-kelurahan version 1.2</td></tr>"),
            "{en}"
        );
    }

    #[test]
    fn groups_by_the_files_header_labels_with_letters_and_fixes() {
        let page = sample_page(Lang::Id);
        assert!(
            page.contains("<h3>Jumlah &lt;jiwa&gt; <small>(kolom B, <code>jumlah</code>)</small> (1)</h3>"),
            "{page}"
        );
        // A field without a label in the file is grouped by its name, at its column's letter.
        assert!(page.contains("<h3>nama <small>(kolom AB)</small> (1)</h3>"), "{page}");
        assert!(page.contains("<td>Nilai tidak sesuai tipe</td><td><code>type-error</code></td>"));
        assert!(page.contains("Format Cells &gt; Text"), "a fix line per kind: {page}");
        assert!(page.find("<h2>Temuan per jenis</h2>").unwrap() < page.find("<h3>").unwrap());
        let rows = page.find("<summary><h2>Temuan per baris</h2></summary>").unwrap();
        assert!(
            page[rows..]
                .find("<td class=\"n\">3</td><td>B</td><td>Jumlah &lt;jiwa&gt;</td>")
                .is_some()
        );
    }

    #[test]
    fn fits_a_phone_with_each_finding_as_a_card() {
        let page = sample_page(Lang::Id);
        assert!(page.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        assert!(page.contains("@media (max-width:40rem){"), "{page}");
        // Every finding table is a card table, and every one of its cells has a label there.
        let tables = page.matches("<table").count();
        let cards = page.matches("<table class=\"cards ").count();
        assert_eq!(tables, cards + 1, "all but the 'about' table: {page}");
        for (class, keys) in TABLES {
            assert!(page.contains(&format!("<table class=\"cards {class}\">")), "{class}");
            for i in 1..=keys.len() {
                assert!(page.contains(&format!("table.{class} td:nth-child({i})::before{{content:\"")));
            }
        }
        assert!(page.contains("table.kinds td:nth-child(4)::before{content:\"Cara memperbaiki: \"}"));
        let en = sample_page(Lang::En);
        assert!(
            en.contains("table.kinds td:nth-child(4)::before{content:\"How to fix: \"}"),
            "{en}"
        );
        // No width wider than the screen: no width attributes, and every width the style sets
        // fits in 360 px (1rem = 16px) or is relative.
        for tag in ["<table ", "<td ", "<th ", "<tr "] {
            for part in page.split(tag).skip(1) {
                let attrs = &part[..part.find('>').unwrap_or(part.len())];
                assert!(!attrs.contains("width") && !attrs.contains("style"), "{tag}{attrs}");
            }
        }
        let style = &page[page.find("<style>").unwrap()..page.find("</style>").unwrap()];
        for (at, _) in style.match_indices("width:") {
            let property_start = style[..at].rfind(['{', ';', '(']).map_or(0, |i| i + 1);
            let property = &style[property_start..at];
            let value: String = style[at + 6..]
                .chars()
                .take_while(|c| !matches!(c, ';' | '}' | ')'))
                .collect();
            if property == "max-" {
                continue; // a bound, not a width
            }
            let px = if let Some(rem) = value.strip_suffix("rem") {
                rem.parse::<f64>().unwrap() * 16.0
            } else if let Some(px) = value.strip_suffix("px") {
                px.parse::<f64>().unwrap()
            } else {
                assert!(["100%", "auto"].contains(&value.as_str()), "{property}width:{value}");
                continue;
            };
            assert!(px <= 360.0, "{property}width:{value}");
        }
        // The labels are CSS strings that cannot end the string or the style element.
        assert_eq!(css_string("a\"b\\c</style>"), "a\\22 b\\5c c\\3c /style\\3e ");
    }

    #[test]
    fn embeds_the_findings_as_a_csv_download() {
        let page = sample_page(Lang::En);
        let start = page
            .find("<a download=\"temuan-penduduk.csv\" href=\"data:text/csv;charset=utf-8,")
            .unwrap();
        let link = &page[start..page[start..].find("</a>").unwrap() + start];
        assert!(link.contains("%EF%BB%BFrow%2Ccolumn%2Clabel"), "{link}");
        let href = link.split("utf-8,").nth(1).and_then(|h| h.split('"').next()).unwrap();
        assert!(
            !href.contains([' ', '<', '>', ',']),
            "nothing unencoded in the URL: {href}"
        );
        assert!(link.ends_with(">Download the findings (CSV, opens in Excel)"), "{link}");
    }
}
