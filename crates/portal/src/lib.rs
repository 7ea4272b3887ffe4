//! The public portal's pages, rendered on the server as HTML from plain views: the home page,
//! the search with its filters, the dataset page (metadata, column definitions, versions with
//! their changes, a preview, a chart, downloads with checksums and citations, the quality score
//! and the timeliness), the organization and topic pages, the about page with the data
//! center's public key, the diff of a version, and the Atom feeds of new releases.
//!
//! Nothing here reads storage: the server gathers a page's view ([`view`]) and calls its
//! renderer ([`pages`]). The rules that need no storage live here too: [`quality`] (the
//! score and its reasons), [`timeliness`] (the next expected update, *terlambat*), [`chart`]
//! (which columns make a chart, and its SVG) and [`cite`] (APA and BibTeX).
//!
//! Every page is Indonesian first, with English on a switch (`?lang=en`); [`tr`] keeps both
//! wordings of a text side by side.

pub mod atom;
pub mod chart;
pub mod cite;
pub mod format;
pub mod layout;
pub mod pages;
pub mod quality;
pub mod timeliness;
pub mod view;

pub use satudata_core::Lang;

/// The wording of a text in `lang`: Indonesian `id` or English `en`.
pub fn tr<'a>(lang: Lang, id: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}
