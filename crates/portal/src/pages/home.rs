//! The home page: a search box, counts, the newest, most downloaded and most recently updated
//! datasets, the topics and the PDs.

use maud::{Markup, html};

use crate::layout::{cards, page};
use crate::view::{Home, Named, Site};
use crate::{Lang, format, tr};

/// The search form, as the home and search pages show it.
pub(crate) fn search_form(lang: Lang, q: &str, hidden: &[(String, String)]) -> Markup {
    html! {
        form.search role="search" action="/dataset" method="get" {
            label for="q" { (tr(lang, "Cari dataset", "Search datasets")) }
            input type="search" id="q" name="q" value=(q)
                placeholder=(tr(lang, "misalnya: penduduk, sekolah, puskesmas", "for example: penduduk, sekolah, puskesmas"));
            @for (k, v) in hidden { input type="hidden" name=(k) value=(v); }
            button type="submit" { (tr(lang, "Cari", "Search")) }
        }
    }
}

fn chips(items: &[(Named, u64)], prefix: &str) -> Markup {
    html! {
        ul.chips {
            @for (named, n) in items {
                li { a href=(format!("{prefix}/{}", named.slug)) { (named.title) " (" (n) ")" } }
            }
        }
    }
}

/// The home page.
pub fn home(site: &Site, home: &Home) -> Markup {
    let lang = site.lang;
    let (datasets, organizations, topics) = home.counts;
    let body = html! {
        h1 { (tr(lang, "Portal Satu Data", "Satu Data portal")) }
        p { (tr(lang,
            "Data resmi perangkat daerah yang telah diperiksa walidata, terbuka untuk diunduh, diperiksa keasliannya, dan dipakai ulang.",
            "Official data of the regional agencies, verified by the data steward, open to download, check and reuse.")) }
        (search_form(lang, "", &[]))
        ul.counts aria-label=(tr(lang, "Jumlah", "Counts")) {
            li { strong { (format::count(lang, datasets)) } (tr(lang, "dataset terbit", "published datasets")) }
            li { strong { (format::count(lang, organizations)) } (tr(lang, "organisasi", "organizations")) }
            li { strong { (format::count(lang, topics)) } (tr(lang, "topik", "topics")) }
        }
        div.columns {
            section aria-labelledby="terbaru" {
                h2 id="terbaru" { (tr(lang, "Dataset terbaru", "Newest datasets")) }
                (cards(lang, &home.newest))
            }
            section aria-labelledby="terpopuler" {
                h2 id="terpopuler" { (tr(lang, "Paling banyak diunduh", "Most downloaded")) }
                (cards(lang, &home.popular))
            }
            section aria-labelledby="diperbarui" {
                h2 id="diperbarui" { (tr(lang, "Baru diperbarui", "Recently updated")) }
                (cards(lang, &home.updated))
            }
        }
        section aria-labelledby="topik" {
            h2 id="topik" { (tr(lang, "Topik", "Topics")) }
            (chips(&home.topics, "/group"))
        }
        section aria-labelledby="organisasi" {
            h2 id="organisasi" { (tr(lang, "Organisasi", "Organizations")) }
            (chips(&home.organizations, "/organization"))
        }
    };
    page(site, tr(lang, "Beranda", "Home"), body)
}
