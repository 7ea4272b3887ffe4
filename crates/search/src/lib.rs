//! Indonesian-aware text analysis for the dataset search of the portal.
//!
//! Search must behave the same on SQLite (FTS5) and PostgreSQL (full-text search), so the
//! language work is done here, in Rust, and the databases only match plain terms. The data flow:
//!
//! ```text
//! title, description, tags, column names, konsep/definisi
//!   -> normalize   lowercase, accents stripped, letters and digits, `61.71.01` one token
//!   -> stopwords   `dan`, `yang`, `di`, ... dropped
//!   -> stem        Enhanced Confix Stripping over a root-word list: kependudukan -> duduk
//!   = terms        index_terms(): "duduk kota pontianak", stored per field by the catalog
//!
//! the user's query -> analyze_query -> Query -> to_fts5() / to_tsquery()
//! ```
//!
//! The catalog keeps, per dataset, one column of terms per field weight (for example
//! `title_terms` and `body_terms`), indexes them with FTS5 (`tokenize='unicode61'`, `bm25` with
//! column weights) and with `to_tsvector('simple', ...)` (`setweight`, `ts_rank`), and runs the
//! user's [`Query`] rendered for each. Terms are made of letters and digits only, so both
//! tokenizers split them exactly as this crate did and no language rule of either database
//! takes part.
//!
//! ```
//! use satudata_search::{analyze, analyze_query, index_terms};
//!
//! assert_eq!(analyze("Jumlah Penduduk menurut Kecamatan"), ["jumlah", "duduk", "camat"]);
//! assert_eq!(index_terms("Data KEPENDUDUKAN Kota Pontianak"), "data duduk kota pontianak");
//! let query = analyze_query("penduduk");
//! assert_eq!(query.to_fts5().as_deref(), Some(r#""duduk"*"#));
//! assert_eq!(query.to_tsquery().as_deref(), Some("'duduk':*"));
//! ```
//!
//! What the catalog runs (the shape `tests/engines.rs` checks on both engines):
//!
//! ```text
//! -- SQLite
//! CREATE VIRTUAL TABLE ds_fts USING fts5(title_terms, body_terms, tokenize='unicode61');
//! SELECT rowid FROM ds_fts WHERE ds_fts MATCH ?1 ORDER BY bm25(ds_fts, 10.0, 1.0);
//! -- PostgreSQL
//! tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', title_terms), 'A')
//!                                || setweight(to_tsvector('simple', body_terms), 'B')) STORED
//! SELECT id FROM ds, to_tsquery('simple', $1) q WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC;
//! ```
//!
//! The same datasets match on both; the order within them is each engine's ranking (bm25 and
//! `ts_rank` differ in detail), with a title match above a body match on both.
//!
//! Nothing here fails: every text has an analysis, and a query with nothing left to search for
//! is [`Query::is_empty`] and renders as `None`. So the crate has no error type.

mod normalize;
mod query;
mod stem;
mod stopwords;

pub use normalize::{MAX_TOKEN_LEN, normalize};
pub use query::{Clause, MAX_CLAUSES, MIN_PREFIX_LEN, Query, analyze_query};
pub use stem::{is_root, stem};
pub use stopwords::is_stopword;

/// The analyser's version: a catalog rebuilds its search index when the terms it stored came
/// from another version (raise it with any change of the root list, normalisation, stopwords
/// or stemming).
pub const VERSION: u32 = 1;

/// The search terms of `text`: its tokens ([`normalize`]) without stopwords, each stemmed.
///
/// ```
/// assert_eq!(satudata_search::analyze("Pendidikan dan Kesehatan"), ["didik", "sehat"]);
/// ```
pub fn analyze(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    normalize::for_each_token(text, |token| {
        if !is_stopword(token) {
            terms.push(stem(token).into_owned());
        }
    });
    terms
}

/// The search terms of `text` joined by single spaces: the text a catalog stores in a terms
/// column and hands to FTS5 or `to_tsvector('simple', ...)`.
///
/// ```
/// assert_eq!(satudata_search::index_terms("Angka Kelahiran (61.71)"), "angka lahir 6171");
/// ```
pub fn index_terms(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize::for_each_token(text, |token| {
        if !is_stopword(token) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&stem(token));
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_terms_is_analyze_joined() {
        let text = "Persentase Penduduk Miskin menurut Kabupaten/Kota di Kalimantan Barat, 2024";
        assert_eq!(index_terms(text), analyze(text).join(" "));
        assert_eq!(
            index_terms(text),
            "persentase duduk miskin kabupaten kota kalimantan barat 2024"
        );
    }
}
