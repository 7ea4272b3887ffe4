//! How to cite a release: APA (7th edition, a data set) and BibTeX.

use chrono::{DateTime, Datelike, Utc};

use crate::{Lang, tr};

/// What a citation names.
#[derive(Debug, Clone)]
pub struct Cited<'a> {
    /// The producing PD, the author.
    pub author: &'a str,
    /// The dataset's title.
    pub title: &'a str,
    /// The dataset's name, for the BibTeX key.
    pub name: &'a str,
    /// The version cited.
    pub version: u32,
    /// When it was published.
    pub published: DateTime<Utc>,
    /// The portal, the publisher.
    pub publisher: &'a str,
    /// The dataset page's address.
    pub url: &'a str,
}

/// The APA citation: `Dinas X. (2026). Judul (Versi 3) [Data set]. Satu Data. https://…`.
pub fn apa(c: &Cited<'_>, lang: Lang) -> String {
    format!(
        "{}. ({}). {} ({} {}) [{}]. {}. {}",
        c.author.trim_end_matches('.'),
        c.published.year(),
        c.title,
        tr(lang, "Versi", "Version"),
        c.version,
        tr(lang, "Data set", "Data set"),
        c.publisher,
        c.url
    )
}

/// The BibTeX entry, as `@misc` with the version and the URL.
pub fn bibtex(c: &Cited<'_>) -> String {
    let key: String = c
        .name
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '_' })
        .collect();
    let braces = |t: &str| t.replace(['{', '}'], "");
    format!(
        "@misc{{{key}_v{v},\n  author = {{{{{author}}}}},\n  title = {{{title}}},\n  year = {{{year}}},\n  version = {{{v}}},\n  publisher = {{{publisher}}},\n  url = {{{url}}},\n  note = {{Data set}}\n}}",
        v = c.version,
        author = braces(c.author),
        title = braces(c.title),
        year = c.published.year(),
        publisher = braces(c.publisher),
        url = c.url,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apa_and_bibtex_name_the_pd_the_year_the_version_and_the_page() {
        let c = Cited {
            author: "Dinas Kependudukan dan Pencatatan Sipil",
            title: "Jumlah Penduduk {Kelurahan}",
            name: "jumlah-penduduk",
            version: 3,
            published: DateTime::parse_from_rfc3339("2026-12-06T01:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            publisher: "Satu Data",
            url: "http://127.0.0.1:8080/dataset/jumlah-penduduk",
        };
        assert_eq!(
            apa(&c, Lang::Id),
            "Dinas Kependudukan dan Pencatatan Sipil. (2026). Jumlah Penduduk {Kelurahan} (Versi 3) [Data set]. \
             Satu Data. http://127.0.0.1:8080/dataset/jumlah-penduduk"
        );
        let b = bibtex(&c);
        assert!(b.starts_with("@misc{jumlah_penduduk_v3,\n"), "{b}");
        assert!(b.contains("author = {{Dinas Kependudukan dan Pencatatan Sipil}}"));
        assert!(b.contains("title = {Jumlah Penduduk Kelurahan}"));
        assert!(b.contains("version = {3}") && b.contains("year = {2026}"));
    }
}
