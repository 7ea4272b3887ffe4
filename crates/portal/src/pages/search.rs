//! The search page (`/dataset`): the search box, filters by facet, the order, the results and
//! the pages. Every filter and page is a plain link, so it works without JavaScript.

use maud::{Markup, html};

use super::home::search_form;
use crate::layout::{cards, crumbs, href, page};
use crate::view::{Search, Site};
use crate::{Lang, format, tr};

/// The facets the search page filters by, in the order it shows them (CKAN's names where CKAN
/// has one, so that an old CKAN portal's links keep working).
pub const FACETS: [&str; 8] = [
    "organization",
    "groups",
    "tags",
    "tahun",
    "res_format",
    "frequency",
    "presentation_level",
    "status_kerahasiaan",
];

/// The orders the search page offers: value, Indonesian and English label.
const SORTS: [(&str, &str, &str); 4] = [
    ("relevance", "Paling sesuai", "Best match"),
    ("newest", "Terbaru", "Newest"),
    ("name", "Nama", "Name"),
    ("downloads", "Paling banyak diunduh", "Most downloaded"),
];

/// What people read for a facet's field.
pub fn facet_label(lang: Lang, field: &str) -> &'static str {
    match field {
        "organization" => tr(lang, "Organisasi", "Organization"),
        "groups" => tr(lang, "Topik", "Topic"),
        "tags" => tr(lang, "Tag", "Tag"),
        "tahun" => tr(lang, "Tahun", "Year"),
        "res_format" => tr(lang, "Format", "Format"),
        "frequency" => tr(lang, "Frekuensi", "Frequency"),
        "presentation_level" => tr(lang, "Level penyajian", "Presentation level"),
        "status_kerahasiaan" => tr(lang, "Status", "Status"),
        "license_id" => tr(lang, "Lisensi", "Licence"),
        _ => "",
    }
}

/// The query of this search with `change` applied to its filters (a filter added when absent,
/// removed when present) and the page reset.
fn toggled(search: &Search, field: &str, value: &str) -> String {
    let mut params = base_params(search, true);
    let pair = (field.to_owned(), value.to_owned());
    if let Some(i) = params.iter().position(|p| *p == pair) {
        params.remove(i);
    } else {
        params.push(pair);
    }
    href("/dataset", &params)
}

/// The query, filters and order of this search (without the page).
fn base_params(search: &Search, with_sort: bool) -> Vec<(String, String)> {
    let mut params = Vec::new();
    if !search.q.is_empty() {
        params.push(("q".to_owned(), search.q.clone()));
    }
    params.extend(search.filters.iter().cloned());
    if with_sort && search.sort != "relevance" {
        params.push(("sort".to_owned(), search.sort.clone()));
    }
    params
}

fn page_link(search: &Search, page: u64) -> String {
    let mut params = base_params(search, true);
    if page > 1 {
        params.push(("page".to_owned(), page.to_string()));
    }
    href("/dataset", &params)
}

fn found(lang: Lang, total: u64) -> String {
    match lang {
        Lang::Id => format!("{} dataset ditemukan", format::count(lang, total)),
        Lang::En => format!(
            "{} {} found",
            format::count(lang, total),
            if total == 1 { "dataset" } else { "datasets" }
        ),
    }
}

/// The search page.
pub fn search(site: &Site, search: &Search) -> Markup {
    let lang = site.lang;
    let pages = search.total.div_ceil(search.per_page.max(1)).max(1);
    let mut hidden = search.filters.clone();
    let body = html! {
        (crumbs(lang, &[(tr(lang, "Beranda", "Home"), "/"), (tr(lang, "Dataset", "Datasets"), "/dataset")]))
        h1 { (tr(lang, "Cari dataset", "Search datasets")) }
        (search_form(lang, &search.q, &{ hidden.push(("sort".into(), search.sort.clone())); hidden }))
        div.layout {
            aside.filters aria-labelledby="filter" {
                h2 id="filter" { (tr(lang, "Saring", "Filter")) }
                @if !search.filters.is_empty() {
                    p { a href=(href("/dataset", &base_params(&Search { filters: Vec::new(), ..search.clone() }, true))) {
                        (tr(lang, "Hapus semua saringan", "Clear all filters")) } }
                }
                @for facet in &search.facets {
                    @if !facet.values.is_empty() {
                        section aria-labelledby=(format!("f-{}", facet.field)) {
                            h2 id=(format!("f-{}", facet.field)) { (facet_label(lang, &facet.field)) }
                            ul {
                                @for (value, label, n) in &facet.values {
                                    @let on = search.filters.iter().any(|(f, v)| *f == facet.field && v == value);
                                    li {
                                        a.on[on] href=(toggled(search, &facet.field, value)) aria-current=[on.then_some("true")]
                                            data-facet=(facet.field) data-value=(value) {
                                            @if on { "✓ " }
                                            (label) " (" (format::count(lang, *n)) ")"
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="hasil" {
                h2 id="hasil" { (tr(lang, "Hasil", "Results")) }
                p id="jumlah" role="status" { (found(lang, search.total)) }
                form method="get" action="/dataset" {
                    @if !search.q.is_empty() { input type="hidden" name="q" value=(search.q); }
                    @for (k, v) in &search.filters { input type="hidden" name=(k) value=(v); }
                    label for="sort" { (tr(lang, "Urutkan", "Sort by")) " " }
                    select id="sort" name="sort" {
                        @for (value, id, en) in SORTS {
                            option value=(value) selected[search.sort == value] { (tr(lang, id, en)) }
                        }
                    }
                    " "
                    button type="submit" { (tr(lang, "Terapkan", "Apply")) }
                }
                div.results { (cards(lang, &search.results)) }
                @if pages > 1 {
                    nav.pager aria-label=(tr(lang, "Halaman hasil", "Result pages")) {
                        @if search.page > 1 {
                            a rel="prev" href=(page_link(search, search.page - 1)) { "← " (tr(lang, "Sebelumnya", "Previous")) }
                        }
                        span { (tr(lang, "Halaman", "Page")) " " (search.page) " / " (pages) }
                        @if search.page < pages {
                            a rel="next" href=(page_link(search, search.page + 1)) { (tr(lang, "Berikutnya", "Next")) " →" }
                        }
                    }
                }
            }
        }
    };
    page(site, tr(lang, "Cari dataset", "Search datasets"), body)
}
