//! The organization and topic pages and their lists, the about page with the data center's
//! public key, and the page of a link that leads nowhere.

use maud::{Markup, html};

use crate::layout::{cards, crumbs, page};
use crate::view::{Group, Named, PublicKey, Site};
use crate::{Lang, format, tr};

/// An organization (a PD) or a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `/organization/{slug}`.
    Organization,
    /// `/group/{slug}`.
    Topic,
}

impl Kind {
    fn path(self) -> &'static str {
        match self {
            Kind::Organization => "/organization",
            Kind::Topic => "/group",
        }
    }

    fn plural(self, lang: Lang) -> &'static str {
        match self {
            Kind::Organization => tr(lang, "Organisasi", "Organizations"),
            Kind::Topic => tr(lang, "Topik", "Topics"),
        }
    }
}

/// The list of every PD or topic with its number of datasets.
pub fn directory(site: &Site, kind: Kind, items: &[(Named, u64)]) -> Markup {
    let lang = site.lang;
    let body = html! {
        (crumbs(lang, &[(tr(lang, "Beranda", "Home"), "/"), (kind.plural(lang), kind.path())]))
        h1 { (kind.plural(lang)) }
        @if items.is_empty() {
            p.note { (tr(lang, "Belum ada.", "None yet.")) }
        } @else {
            ul.cards {
                @for (named, n) in items {
                    li {
                        h2 { a href=(format!("{}/{}", kind.path(), named.slug)) { (named.title) } }
                        p.meta { (format::count(lang, *n)) " " (tr(lang, "dataset terbit", "published datasets")) }
                    }
                }
            }
        }
    };
    page(site, kind.plural(lang), body)
}

/// The page of one PD or topic: what is known of it, and its datasets with their timeliness.
pub fn group(site: &Site, kind: Kind, group: &Group) -> Markup {
    let lang = site.lang;
    let here = format!("{}/{}", kind.path(), group.named.slug);
    let late = group.datasets.iter().filter(|c| c.timeliness.is_late()).count();
    let body = html! {
        (crumbs(lang, &[
            (tr(lang, "Beranda", "Home"), "/"),
            (kind.plural(lang), kind.path()),
            (group.named.title.as_str(), here.as_str()),
        ]))
        h1 { (group.named.title) }
        @if !group.about.is_empty() {
            dl.meta-list { @for (label, value) in &group.about { dt { (label) } dd { (value) } } }
        }
        h2 { (tr(lang, "Dataset", "Datasets")) }
        p role="status" {
            (match lang {
                Lang::Id => format!("{} dataset terbit, {} terlambat diperbarui.", group.datasets.len(), late),
                Lang::En => format!("{} published datasets, {} overdue.", group.datasets.len(), late),
            })
        }
        (cards(lang, &group.datasets))
        p { a href=(format!("/dataset?{}={}", match kind { Kind::Organization => "organization", Kind::Topic => "groups" }, group.named.slug)) {
            (tr(lang, "Cari di antara dataset ini", "Search among these datasets")) } }
    };
    page(site, &group.named.title, body)
}

/// The about page: what the portal is, how releases are signed, and the public key.
pub fn about(site: &Site, key: &PublicKey) -> Markup {
    let lang = site.lang;
    let body = html! {
        (crumbs(lang, &[(tr(lang, "Beranda", "Home"), "/"), (tr(lang, "Tentang", "About"), "/about")]))
        h1 { (tr(lang, "Tentang portal ini", "About this portal")) }
        p { (tr(lang,
            "Portal ini menerbitkan data Satu Data daerah. Setiap perangkat daerah (walidata pembantu) mengirim datanya, walidata daerah memeriksanya terhadap standar data, kode referensi, dan data induk, lalu menerbitkannya sebagai rilis berversi.",
            "This portal publishes the region's Satu Data. Each agency (walidata pembantu) submits its data, the regional data steward checks it against the data standards, reference codes and master data, then publishes it as versioned releases.")) }
        p { (tr(lang,
            "Data berstatus terbuka dapat diunduh siapa saja. Data terbatas hanya untuk pengguna instansi pemerintah yang masuk, dan data rahasia hanya untuk perangkat daerah pemiliknya dan walidata.",
            "Open data (terbuka) can be downloaded by anyone. Limited data (terbatas) is for signed-in government users only, and secret data (rahasia) for its owning agency and the data stewards.")) }
        h2 id="kunci" { (tr(lang, "Kunci publik Pusat Data", "The data center's public key")) }
        p { (tr(lang,
            "Setiap rilis memiliki manifes (SHA-256 setiap berkas) yang ditandatangani dengan kunci Ed25519 Pusat Data. Dengan kunci publik di bawah, siapa pun dapat memeriksa bahwa berkas yang diunduh asli dan utuh.",
            "Every release has a manifest (each file's SHA-256) signed with the data center's Ed25519 key. With the public key below, anyone can check that a downloaded file is genuine and intact.")) }
        dl.meta-list {
            dt { (tr(lang, "Alamat", "Address")) }
            dd { a href=(key.url) { (key.url) } }
            dt { (tr(lang, "Kunci (hex)", "Key (hex)")) }
            dd { code.hash { (key.hex) } }
            dt { (tr(lang, "Sidik jari", "Fingerprint")) }
            dd { code.hash { (key.fingerprint) } }
        }
        pre { code { "curl -fsS " (key.url) " > kenirsangkalan.pub\nsatudata verify --public-key kenirsangkalan.pub v3/" } }
        h2 { (tr(lang, "Untuk mesin", "For machines")) }
        ul {
            li { a href="/api/3/action/package_search" { "CKAN API" } " — " code { "/api/3/action/…" } }
            li { a href="/catalog.jsonld" { "DCAT-AP 3" } " — " code { "/catalog.jsonld" } ", " code { "/catalog.ttl" } ", " code { "/catalog.rdf" } }
            li { a href="/data.json" { "Project Open Data 1.1" } " — " code { "/data.json" } }
            li { a href="/feeds/dataset.atom" { "Atom" } " — " code { "/feeds/dataset.atom" } }
            li { a href="/api/v1/openapi.json" { "OpenAPI" } " — " code { "/api/v1" } }
        }
    };
    page(site, tr(lang, "Tentang", "About"), body)
}

/// The page of a link that leads nowhere (status 404).
pub fn not_found(site: &Site) -> Markup {
    let lang = site.lang;
    let body = html! {
        h1 { (tr(lang, "Halaman tidak ditemukan", "Page not found")) }
        p { (tr(lang,
            "Halaman atau dataset ini tidak ada, sudah ditarik, atau tidak terbuka untuk Anda.",
            "This page or dataset does not exist, was withdrawn, or is not open to you.")) }
        p { a href="/dataset" { (tr(lang, "Cari dataset", "Search datasets")) } }
    };
    page(site, tr(lang, "Tidak ditemukan", "Not found"), body)
}
