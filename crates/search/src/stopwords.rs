//! The stopwords: function words that carry no meaning for search, Indonesian and English.
//!
//! Reviewed by hand and kept short. Left out on purpose: negations (`tidak`, `bukan`, `belum`:
//! "penduduk tidak bekerja" is a category of its own), numbers and time words (`tahun`,
//! `bulan`), and anything that names a thing.

/// The stopwords, sorted (binary search; a unit test keeps the order).
const STOPWORDS: &[&str] = &[
    // English
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "in",
    "is",
    "it",
    "of",
    "on",
    "or",
    "that",
    "the",
    "this",
    "to",
    "with",
    // Indonesian
    "adalah",
    "agar",
    "akan",
    "antara",
    "atas",
    "atau",
    "bagi",
    "bahwa",
    "berdasarkan",
    "dalam",
    "dan",
    "dari",
    "dengan",
    "di",
    "ialah",
    "ini",
    "itu",
    "juga",
    "kami",
    "karena",
    "ke",
    "kepada",
    "menurut",
    "oleh",
    "pada",
    "para",
    "per",
    "sebagai",
    "secara",
    "serta",
    "tersebut",
    "terhadap",
    "untuk",
    "yaitu",
    "yakni",
    "yang",
];

/// Whether `word` (normalised, not stemmed) is a stopword.
pub fn is_stopword(word: &str) -> bool {
    sorted().binary_search(&word).is_ok()
}

fn sorted() -> &'static [&'static str] {
    use std::sync::LazyLock;
    static SORTED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        let mut words = STOPWORDS.to_vec();
        words.sort_unstable();
        words
    });
    &SORTED
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_found_and_content_words_are_not() {
        for w in [
            "dan", "yang", "di", "ke", "dari", "untuk", "pada", "dengan", "atau", "menurut", "the", "of",
        ] {
            assert!(is_stopword(w), "{w}");
        }
        for w in ["tidak", "belum", "tahun", "penduduk", "data", "kota", "dinas", ""] {
            assert!(!is_stopword(w), "{w}");
        }
    }

    #[test]
    fn stopwords_are_normalised_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for w in STOPWORDS {
            assert_eq!(crate::normalize(w), *w);
            assert!(seen.insert(w), "{w} twice");
        }
    }
}
