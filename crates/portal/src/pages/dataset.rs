//! The dataset page: what the data is, its files with their checksums and how to check them,
//! a chart and a preview, its versions with their changes, its quality score and timeliness,
//! every SDI metadata field, the column definitions (MS-Var) and how to cite it.

use maud::{Markup, html};
use satudata_core::DatasetMetadata;

use crate::chart;
use crate::cite::{self, Cited};
use crate::layout::{badge, crumbs, page};
use crate::view::{Changes, Dataset, Site};
use crate::{Lang, format, tr};

/// The metadata fields the page lists: key, Indonesian and English label.
const FIELDS: [(&str, &str, &str); 12] = [
    ("topic", "Topik", "Topic"),
    ("tags", "Tag", "Tags"),
    ("license", "Lisensi", "Licence"),
    ("frequency", "Frekuensi penerbitan", "Update frequency"),
    ("presentation_level", "Level penyajian", "Presentation level"),
    ("temporal_coverage", "Cakupan waktu", "Temporal coverage"),
    ("spatial_coverage", "Cakupan wilayah", "Spatial coverage"),
    ("maintainer", "Pengelola data", "Maintainer"),
    ("maintainer_email", "Surel pengelola", "Maintainer e-mail"),
    ("reference", "Rujukan", "Reference"),
    ("id_mskeg", "MS-Keg (BPS)", "MS-Keg (BPS)"),
    ("id_msind", "MS-Ind (BPS)", "MS-Ind (BPS)"),
];

/// A metadata value as text: lists joined, a coverage as `start – end`.
fn field_text(metadata: &DatasetMetadata, key: &str) -> Option<String> {
    let value = metadata.rest.get(key)?;
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
        serde_json::Value::Object(o) => {
            let start = o.get("start").and_then(|v| v.as_str()).unwrap_or("");
            let end = o.get("end").and_then(|v| v.as_str()).unwrap_or("");
            match (start.is_empty(), end.is_empty()) {
                (false, false) => format!("{start} – {end}"),
                (false, true) => format!("{start} –"),
                _ => end.to_owned(),
            }
        }
        serde_json::Value::Null => return None,
        other => other.to_string(),
    };
    (!text.trim().is_empty()).then_some(text)
}

/// `+12 baris, 4 berubah, 0 dihapus`.
pub(crate) fn summary(lang: Lang, c: &Changes) -> String {
    match lang {
        Lang::Id => format!(
            "+{} baris, {} berubah, {} dihapus",
            format::count(lang, c.added),
            format::count(lang, c.changed),
            format::count(lang, c.removed)
        ),
        Lang::En => format!(
            "+{} rows, {} changed, {} removed",
            format::count(lang, c.added),
            format::count(lang, c.changed),
            format::count(lang, c.removed)
        ),
    }
}

fn downloads(site: &Site, d: &Dataset<'_>) -> Markup {
    let lang = site.lang;
    let Some((version, _)) = d.card.latest else {
        return html! { p.note { (tr(lang, "Belum ada rilis untuk diunduh.", "No release to download yet.")) } };
    };
    let folder = format!(
        "{}/api/v1/datasets/{}/releases/v{version}/files",
        site.base, d.card.name
    );
    let names: Vec<&str> = d.downloads.iter().map(|f| f.file.as_str()).collect();
    let script = format!(
        "mkdir v{version} && cd v{version}\n\
         for f in {} manifest.json manifest.sig; do curl -fsSO {folder}/$f; done\n\
         curl -fsS {base}/.well-known/satudata/kenirsangkalan.pub > kenirsangkalan.pub\n\
         satudata verify --public-key kenirsangkalan.pub .",
        names.join(" "),
        base = site.base,
    );
    let sums: Vec<String> = d
        .downloads
        .iter()
        .filter(|f| f.file.starts_with("data."))
        .map(|f| format!("{}  {}", f.sha256, f.file))
        .collect();
    html! {
        div.scroll {
            table.downloads {
                caption { (tr(lang, "Berkas versi", "Files of version")) " " (version) }
                thead { tr {
                    th scope="col" { (tr(lang, "Berkas", "File")) }
                    th scope="col" { "Format" }
                    th scope="col" class="n" { (tr(lang, "Ukuran", "Size")) }
                    th scope="col" { "SHA-256" }
                } }
                tbody {
                    @for f in &d.downloads {
                        tr {
                            td { a.download href=(f.url) download=(f.file) data-sha256=(f.sha256) { (f.file) } }
                            td { (f.format) }
                            td.n { (format::bytes(lang, f.size)) }
                            td { code.hash { (f.sha256) } }
                        }
                    }
                }
            }
        }
        @if let Some((manifest, signature)) = &d.manifest {
            p { (tr(lang, "Manifes bertanda tangan:", "Signed manifest:")) " "
                a href=(manifest) { "manifest.json" } " · " a href=(signature) { "manifest.sig" } " · "
                a href="/.well-known/satudata/kenirsangkalan.pub" { (tr(lang, "kunci publik Pusat Data", "the data center's public key")) }
                " (" (tr(lang, "sidik jari", "fingerprint")) " " code.hash { (d.key.fingerprint) } ")" }
        }
        h3 { (tr(lang, "Cara memeriksa unduhan", "How to check a download")) }
        p { (tr(lang, "Bandingkan SHA-256 berkas dengan tabel di atas:", "Compare a file's SHA-256 with the table above:")) }
        pre { code { "sha256sum -c <<'EOF'\n" (sums.join("\n")) "\nEOF" } }
        p { (tr(lang,
            "Atau unduh seluruh rilis dan periksa tanda tangannya dengan satudata (kunci publik menandakan rilis ini diterbitkan Pusat Data dan tidak diubah):",
            "Or download the whole release and check its signature with satudata (the public key shows that the data center published it and nothing changed):")) }
        pre { code { (script) } }
        h3 { (tr(lang, "Lewat API", "Through the API")) }
        pre { code { "curl -fsS '" (d.api) "'" } }
    }
}

fn preview(lang: Lang, d: &Dataset<'_>) -> Markup {
    let Some(p) = &d.preview else {
        return html! { p.note { (tr(lang, "Tidak ada pratinjau.", "No preview.")) } };
    };
    html! {
        p { (match lang {
            Lang::Id => format!("{} baris pertama dari {}.", p.rows.len(), format::count(lang, p.total)),
            Lang::En => format!("The first {} rows of {}.", p.rows.len(), format::count(lang, p.total)),
        }) }
        div.scroll tabindex="0" role="region" aria-labelledby="pratinjau" {
            table.preview {
                thead { tr { @for c in &p.columns { th scope="col" { (c) } } } }
                tbody { @for row in &p.rows { tr { @for cell in row { td { (cell) } } } } }
            }
        }
    }
}

fn versions(lang: Lang, d: &Dataset<'_>) -> Markup {
    html! {
        div.scroll {
            table.versions {
                thead { tr {
                    th scope="col" { (tr(lang, "Versi", "Version")) }
                    th scope="col" { (tr(lang, "Terbit", "Published")) }
                    th scope="col" class="n" { (tr(lang, "Baris", "Rows")) }
                    th scope="col" { (tr(lang, "Perubahan", "Changes")) }
                } }
                tbody {
                    @for v in &d.versions {
                        tr {
                            th scope="row" { "v" (v.version) }
                            td { (format::day(lang, v.published)) }
                            td.n { (format::count(lang, v.rows)) }
                            td {
                                a href=(format!("/dataset/{}/versi/{}", d.card.name, v.version)) {
                                    @match &v.changes {
                                        Some(c) => { "v" (v.version) ": " (summary(lang, c)) }
                                        None => { (tr(lang, "Lihat isi versi", "See the version")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn quality(lang: Lang, d: &Dataset<'_>) -> Markup {
    let q = &d.quality;
    html! {
        p { span.score { (q.percent()) "/100" } " — "
            (match lang {
                Lang::Id => format!("{} dari {} kriteria terpenuhi.", q.met(), q.criteria.len()),
                Lang::En => format!("{} of {} criteria met.", q.met(), q.criteria.len()),
            }) }
        ul.criteria {
            @for c in &q.criteria {
                li id=(format!("kualitas-{}", c.key)) {
                    @if c.met { span.met aria-hidden="true" { "✓ " } } @else { span.unmet aria-hidden="true" { "✗ " } }
                    strong { (c.label(lang)) }
                    " — " (if c.met { tr(lang, "terpenuhi", "met") } else { tr(lang, "belum terpenuhi", "not met") }) ". "
                    span.note { (c.why(lang)) }
                }
            }
        }
    }
}

fn metadata(site: &Site, d: &Dataset<'_>) -> Markup {
    let lang = site.lang;
    let m = d.metadata;
    html! {
        dl.meta-list {
            dt { (tr(lang, "Organisasi", "Organization")) }
            dd { a href=(format!("/organization/{}", d.card.organization.slug)) { (d.card.organization.title) } }
            @for (key, id, en) in FIELDS {
                @if let Some(text) = field_text(m, key) {
                    dt { (tr(lang, id, en)) }
                    dd {
                        @if key == "spatial_coverage" {
                            code { (text) } @if let Some(name) = &d.region { " (" (name) ")" }
                        } @else if key == "reference" && text.starts_with("http") {
                            a href=(text) { (text) }
                        } @else if key == "topic" {
                            @match &d.card.topic {
                                Some(t) => { a href=(format!("/group/{}", t.slug)) { (text) } }
                                None => { (text) }
                            }
                        } @else {
                            (text)
                        }
                    }
                }
            }
            dt { (tr(lang, "Status kerahasiaan", "Confidentiality status")) }
            dd { (d.card.status) }
            dt { (tr(lang, "Standar data", "Data standard")) }
            dd {
                @match d.standard {
                    Some(s) => { (s.nama) " (" code { (s.id) } ", " (tr(lang, "versi", "version")) " " (s.versi) ")" }
                    None => { code { (m.standard) } }
                }
            }
            dt { (tr(lang, "Diperbarui", "Last changed")) }
            dd { (format::day(lang, d.card.modified)) }
        }
    }
}

fn columns(lang: Lang, d: &Dataset<'_>) -> Markup {
    let Some(standard) = d.standard else {
        return html! { p.note { (tr(lang, "Standar data belum tersedia.", "The data standard is not available.")) } };
    };
    html! {
        div.scroll {
            table.columns-def {
                thead { tr {
                    th scope="col" { (tr(lang, "Kolom", "Column")) }
                    th scope="col" { (tr(lang, "Konsep", "Concept")) }
                    th scope="col" { (tr(lang, "Definisi", "Definition")) }
                    th scope="col" { (tr(lang, "Tipe", "Type")) }
                    th scope="col" { (tr(lang, "Ukuran / satuan", "Measure / unit")) }
                    th scope="col" { (tr(lang, "Klasifikasi", "Classification")) }
                } }
                tbody {
                    @for c in standard.kolom.iter().filter(|c| c.dapat_diakses_umum) {
                        tr {
                            th scope="row" { code { (c.nama) } }
                            td { (c.konsep) }
                            td { (c.definisi) }
                            td { (serde_json::to_value(c.tipe_data).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()) }
                            td { (c.ukuran) @if !c.satuan.is_empty() { " / " (c.satuan) } }
                            td {
                                @if let Some(list) = &c.klasifikasi {
                                    @match d.code_lists.iter().find(|(id, _, _)| id == list) {
                                        Some((_, entries, total)) => {
                                            details {
                                                summary { code { (list) } " (" (format::count(lang, *total)) " " (tr(lang, "kode", "codes")) ")" }
                                                ul { @for (kode, nilai) in entries { li { code { (kode) } " " (nilai) } } }
                                                @if (entries.len() as u64) < *total { p.note { "…" } }
                                            }
                                        }
                                        None => { code { (list) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn citation(site: &Site, d: &Dataset<'_>) -> Markup {
    let lang = site.lang;
    let Some((version, published)) = d.card.latest else {
        return html! {};
    };
    let url = format!("{}/dataset/{}", site.base, d.card.name);
    let cited = Cited {
        author: &d.card.organization.title,
        title: &d.card.title,
        name: &d.card.name,
        version,
        published,
        publisher: &site.title,
        url: &url,
    };
    html! {
        h3 { "APA" }
        p.citation { (cite::apa(&cited, lang)) }
        h3 { "BibTeX" }
        pre { code { (cite::bibtex(&cited)) } }
    }
}

/// The dataset page.
pub fn dataset(site: &Site, d: &Dataset<'_>) -> Markup {
    let lang = site.lang;
    let card = d.card;
    let body = html! {
        (crumbs(lang, &[
            (tr(lang, "Beranda", "Home"), "/"),
            (tr(lang, "Dataset", "Datasets"), "/dataset"),
            (&card.title, &format!("/dataset/{}", card.name)),
        ]))
        h1 { (card.title) }
        p.meta {
            a href=(format!("/organization/{}", card.organization.slug)) { (card.organization.title) }
            @if let Some(t) = &card.topic { " · " a href=(format!("/group/{}", t.slug)) { (t.title) } }
            @if let Some((v, at)) = card.latest { " · " (tr(lang, "Versi", "Version")) " " (v) ", " (format::day(lang, at)) }
            " · " (format::count(lang, card.downloads)) " " (tr(lang, "unduhan", "downloads"))
            " " (badge(card, lang))
        }
        @if !card.description.is_empty() { p.description { (card.description) } }
        nav aria-label=(tr(lang, "Bagian halaman", "On this page")) {
            ul.chips {
                li { a href="#unduh" { (tr(lang, "Unduh", "Download")) } }
                @if d.chart.is_some() { li { a href="#grafik" { (tr(lang, "Grafik", "Chart")) } } }
                li { a href="#pratinjau" { (tr(lang, "Pratinjau", "Preview")) } }
                li { a href="#versi" { (tr(lang, "Versi", "Versions")) } }
                li { a href="#kualitas" { (tr(lang, "Kualitas", "Quality")) } }
                li { a href="#metadata" { "Metadata" } }
                li { a href="#kolom" { (tr(lang, "Kolom", "Columns")) } }
                li { a href="#sitasi" { (tr(lang, "Sitasi", "Cite")) } }
            }
        }
        section aria-labelledby="unduh" { h2 id="unduh" { (tr(lang, "Unduh", "Download")) } (downloads(site, d)) }
        @if let Some(c) = &d.chart {
            section aria-labelledby="grafik" { h2 id="grafik" { (tr(lang, "Grafik", "Chart")) } (chart::render(c, lang, "grafik-judul")) }
        }
        section aria-labelledby="pratinjau" { h2 id="pratinjau" { (tr(lang, "Pratinjau", "Preview")) } (preview(lang, d)) }
        section aria-labelledby="versi" { h2 id="versi" { (tr(lang, "Versi", "Versions")) } (versions(lang, d)) }
        section aria-labelledby="kualitas" {
            h2 id="kualitas" { (tr(lang, "Skor kualitas", "Quality score")) }
            (quality(lang, d))
        }
        section aria-labelledby="ketepatan" {
            h2 id="ketepatan" { (tr(lang, "Ketepatan waktu", "Timeliness")) }
            p { (badge(card, lang)) " " (card.timeliness.sentence(lang)) }
        }
        section aria-labelledby="metadata" { h2 id="metadata" { "Metadata" } (metadata(site, d)) }
        section aria-labelledby="kolom" { h2 id="kolom" { (tr(lang, "Definisi kolom (MS-Var)", "Column definitions (MS-Var)")) } (columns(lang, d)) }
        section aria-labelledby="sitasi" { h2 id="sitasi" { (tr(lang, "Cara mengutip", "How to cite")) } (citation(site, d)) }
    };
    page(site, &card.title, body)
}
