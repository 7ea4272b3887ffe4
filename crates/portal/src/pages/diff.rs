//! A version's changes against the version before it: totals, column changes, and the rows
//! added, removed and changed, with each changed cell before and after.

use maud::{Markup, html};

use super::dataset::summary;
use crate::layout::{crumbs, page};
use crate::view::{Site, VersionDiff};
use crate::{Lang, format, tr};

fn rows_table(lang: Lang, caption: &str, columns: &[String], rows: &[Vec<String>], total: u64) -> Markup {
    html! {
        @if total > 0 {
            div.scroll {
                table {
                    caption { (caption) " (" (format::count(lang, total)) ")" }
                    thead { tr { @for c in columns { th scope="col" { (c) } } } }
                    tbody { @for row in rows { tr { @for cell in row { td { (cell) } } } } }
                }
            }
            @if (rows.len() as u64) < total {
                p.note { (match lang {
                    Lang::Id => format!("{} baris pertama ditampilkan.", rows.len()),
                    Lang::En => format!("The first {} rows are shown.", rows.len()),
                }) }
            }
        }
    }
}

/// The page of one version's changes.
pub fn version_diff(site: &Site, d: &VersionDiff) -> Markup {
    let lang = site.lang;
    let title = format!("{} — v{}", d.dataset.title, d.version);
    let dataset_link = format!("/dataset/{}", d.dataset.slug);
    let here = format!("/dataset/{}/versi/{}", d.dataset.slug, d.version);
    let body = html! {
        (crumbs(lang, &[
            (tr(lang, "Beranda", "Home"), "/"),
            (tr(lang, "Dataset", "Datasets"), "/dataset"),
            (d.dataset.title.as_str(), dataset_link.as_str()),
            (&format!("v{}", d.version), here.as_str()),
        ]))
        h1 { (title) }
        p role="status" {
            @match d.base {
                Some(b) => { (match lang {
                    Lang::Id => format!("Dibandingkan dengan v{b}: "),
                    Lang::En => format!("Compared with v{b}: "),
                }) }
                None => { (tr(lang, "Versi pertama: ", "The first version: ")) }
            }
            strong { (summary(lang, &d.changes)) }
            ", " (format::count(lang, d.unchanged)) " " (tr(lang, "tetap", "unchanged")) "."
        }
        p.note {
            @if d.key.is_empty() {
                (tr(lang, "Baris dicocokkan menurut seluruh isinya.", "Rows are matched by all their cells."))
            } @else {
                (tr(lang, "Baris dicocokkan menurut kunci utama: ", "Rows are matched by the primary key: "))
                code { (d.key.join(", ")) }
            }
        }
        @if !d.columns.0.is_empty() || !d.columns.1.is_empty() {
            h2 { (tr(lang, "Kolom", "Columns")) }
            ul {
                @for c in &d.columns.0 { li { ins { "+ " code { (c) } } } }
                @for c in &d.columns.1 { li { del { "− " code { (c) } } } }
            }
        }
        @if d.changes.changed > 0 {
            h2 { (tr(lang, "Baris berubah", "Changed rows")) }
            div.scroll {
                table {
                    thead { tr {
                        th scope="col" { (tr(lang, "Kunci", "Key")) }
                        th scope="col" { (tr(lang, "Kolom", "Column")) }
                        th scope="col" { (tr(lang, "Sebelum", "Before")) }
                        th scope="col" { (tr(lang, "Sesudah", "After")) }
                    } }
                    tbody {
                        @for (key, cells) in &d.changed {
                            @for (i, (column, before, after)) in cells.iter().enumerate() {
                                tr {
                                    @if i == 0 { th scope="row" rowspan=(cells.len()) { (key.join(" · ")) } }
                                    td { code { (column) } }
                                    td { del { (before) } }
                                    td { ins { (after) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if d.changes.added > 0 { h2 { (tr(lang, "Baris ditambahkan", "Added rows")) } }
        (rows_table(lang, tr(lang, "Ditambahkan", "Added"), &d.added.0, &d.added.1, d.changes.added))
        @if d.changes.removed > 0 { h2 { (tr(lang, "Baris dihapus", "Removed rows")) } }
        (rows_table(lang, tr(lang, "Dihapus", "Removed"), &d.removed.0, &d.removed.1, d.changes.removed))
        p { a href=(dataset_link) { "← " (tr(lang, "Kembali ke dataset", "Back to the dataset")) } }
    };
    page(site, &title, body)
}
