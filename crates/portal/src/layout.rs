//! The page shell every portal page shares: the head, a skip link, the site header with the
//! main menu and the language switch, the main landmark and the footer; and the pieces lists
//! share (dataset cards, badges, links that keep or change query parameters).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::view::{Card, Site};
use crate::{Lang, format, tr};

/// The portal's stylesheet, served at [`CSS_PATH`].
pub const CSS: &str = include_str!("portal.css");

/// Where the stylesheet is served; its name changes with its content, so it may be cached forever.
pub const CSS_PATH: &str = concat!("/assets/portal-", env!("CARGO_PKG_VERSION"), ".css");

/// The site-wide Atom feed of new releases.
pub const FEED_PATH: &str = "/feeds/dataset.atom";

/// A URL query component, percent-encoded.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `path` with `params` as its query string.
pub fn href(path: &str, params: &[(String, String)]) -> String {
    if params.is_empty() {
        return path.to_owned();
    }
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("{path}?{}", query.join("&"))
}

/// This page in the other language.
fn switch(site: &Site) -> (String, Lang) {
    let other = match site.lang {
        Lang::Id => Lang::En,
        Lang::En => Lang::Id,
    };
    let mut params = site.query.clone();
    params.push(("lang".into(), other.code().into()));
    (href(&site.path, &params), other)
}

/// The main menu: path, Indonesian and English label.
const MENU: [(&str, &str, &str); 5] = [
    ("/", "Beranda", "Home"),
    ("/dataset", "Dataset", "Datasets"),
    ("/organization", "Organisasi", "Organizations"),
    ("/group", "Topik", "Topics"),
    ("/about", "Tentang", "About"),
];

fn current(site: &Site, path: &str) -> bool {
    if path == "/" {
        site.path == "/"
    } else {
        site.path == path || site.path.starts_with(&format!("{path}/"))
    }
}

/// A whole page titled `title` around `body`.
pub fn page(site: &Site, title: &str, body: Markup) -> Markup {
    let lang = site.lang;
    let (other_href, other) = switch(site);
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (site.title) }
                link rel="stylesheet" href=(CSS_PATH);
                link rel="alternate" type="application/atom+xml" href=(FEED_PATH)
                    title=(tr(lang, "Rilis terbaru", "New releases"));
            }
            body {
                a.skip href="#isi" { (tr(lang, "Lewati ke isi", "Skip to content")) }
                header.site {
                    div.bar {
                        a.brand href="/" { (site.title) }
                        nav aria-label=(tr(lang, "Menu utama", "Main menu")) {
                            ul {
                                @for (path, id, en) in MENU {
                                    li { a href=(path) aria-current=[current(site, path).then_some("page")] { (tr(lang, id, en)) } }
                                }
                            }
                        }
                        a.switch href=(other_href) lang=(other.code()) hreflang=(other.code()) {
                            (match other { Lang::En => "English", Lang::Id => "Bahasa Indonesia" })
                        }
                    }
                }
                main id="isi" tabindex="-1" { (body) }
                footer.site {
                    div {
                        p {
                            (tr(lang, "Portal data terbuka Pusat Data. Setiap rilis ditandatangani; ", "The data center's open data portal. Every release is signed; "))
                            a href="/about#kunci" { (tr(lang, "periksa dengan kunci publik", "check it with the public key")) }
                            ". "
                            a href="/api/3/action/package_list" { "API CKAN" } " · "
                            a href="/catalog.jsonld" { "DCAT" } " · "
                            a href=(FEED_PATH) { "Atom" }
                        }
                    }
                }
            }
        }
    }
}

/// The breadcrumb trail: label and link of each step, the last one the current page.
pub fn crumbs(lang: Lang, steps: &[(&str, &str)]) -> Markup {
    html! {
        nav.crumbs aria-label=(tr(lang, "Jejak halaman", "Breadcrumb")) {
            ol {
                @for (i, (label, link)) in steps.iter().enumerate() {
                    @if i + 1 == steps.len() {
                        li { a href=(link) aria-current="page" { (label) } }
                    } @else {
                        li { a href=(link) { (label) } }
                    }
                }
            }
        }
    }
}

/// `text` cut at about `chars` characters, on a word.
pub fn clip(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// The timeliness badge of a dataset.
pub fn badge(card: &Card, lang: Lang) -> Markup {
    html! { span class=(card.timeliness.class()) { (card.timeliness.label(lang)) } }
}

/// A list of datasets as cards, headed at `h3`.
pub fn cards(lang: Lang, cards: &[Card]) -> Markup {
    html! {
        @if cards.is_empty() {
            p.note { (tr(lang, "Belum ada dataset.", "No datasets yet.")) }
        } @else {
            ul.cards {
                @for card in cards {
                    li {
                        h3 { a href=(format!("/dataset/{}", card.name)) { (card.title) } }
                        @if !card.description.is_empty() { p { (clip(&card.description, 180)) } }
                        p.meta {
                            a href=(format!("/organization/{}", card.organization.slug)) { (card.organization.title) }
                            @if let Some((v, at)) = card.latest {
                                " · " (tr(lang, "Versi", "Version")) " " (v) " · "
                                (tr(lang, "diperbarui", "updated")) " " (format::day(lang, at))
                            }
                            " · " (format::count(lang, card.downloads)) " " (tr(lang, "unduhan", "downloads"))
                            " " (badge(card, lang))
                        }
                    }
                }
            }
        }
    }
}

/// Text that is already HTML (an inline SVG or a prepared fragment).
pub fn raw(text: String) -> PreEscaped<String> {
    PreEscaped(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str, query: &[(&str, &str)]) -> Site {
        Site {
            title: "Satu Data".into(),
            lang: Lang::Id,
            base: "http://x".into(),
            path: path.into(),
            query: query.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect(),
            user: None,
        }
    }

    #[test]
    fn the_shell_says_its_language_marks_the_current_page_and_switches_language_in_place() {
        let html = page(
            &site("/dataset", &[("q", "penduduk kota")]),
            "Cari",
            html! { p { "isi" } },
        )
        .into_string();
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"id\">"), "{html}");
        assert!(
            html.contains("<a href=\"/dataset\" aria-current=\"page\">Dataset</a>"),
            "{html}"
        );
        assert!(
            html.contains("href=\"/dataset?q=penduduk%20kota&amp;lang=en\" lang=\"en\" hreflang=\"en\">English</a>"),
            "{html}"
        );
        assert!(html.contains("<main id=\"isi\""));
        assert!(html.contains("<title>Cari · Satu Data</title>"));
    }

    #[test]
    fn long_text_is_clipped_on_a_word() {
        assert_eq!(clip("satu dua tiga", 100), "satu dua tiga");
        assert_eq!(clip("satu dua tiga", 10), "satu dua…");
    }
}
