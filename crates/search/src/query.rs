//! A user's query, analysed like the documents, and rendered for SQLite FTS5 and PostgreSQL.

use crate::stem::root_start;
use crate::{analyze, is_stopword, normalize};

/// At most this many clauses are searched; the rest of a longer query is dropped and
/// [`Query::truncated`] says so.
pub const MAX_CLAUSES: usize = 32;

/// Terms shorter than this (in bytes) match exactly, not as a prefix: a prefix of one or two
/// letters matches nearly every dataset and makes the index scan a large part of itself.
pub const MIN_PREFIX_LEN: usize = 3;

/// A search query: its words analysed as documents are ([`analyze`]), each word also matching
/// as a prefix (a half-typed word finds results), and quoted phrases kept as phrases. All
/// clauses must match.
///
/// Render it with [`Query::to_fts5`] for `... WHERE t MATCH ?` and with [`Query::to_tsquery`]
/// for `to_tsquery('simple', $1)`, bound as parameters. Every term is made of letters and
/// digits only and is quoted, so no input can change the syntax of either (the tests send
/// quotes, brackets, operators, NUL and 10 kB of noise through both engines). A query with no
/// terms left (empty, or only stopwords) renders as `None`: search without a text condition.
///
/// ```
/// let q = satudata_search::analyze_query(r#"Penduduk "tingkat kemiskinan" di Kota Pontianak"#);
/// assert_eq!(
///     q.to_fts5().as_deref(),
///     Some(r#""duduk"* AND "tingkat miskin" AND "kota"* AND "pontianak"*"#)
/// );
/// assert_eq!(
///     q.to_tsquery().as_deref(),
///     Some("'duduk':* & ('tingkat' <-> 'miskin') & 'kota':* & 'pontianak':*")
/// );
/// assert_eq!(satudata_search::analyze_query("yang dan di").to_fts5(), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    clauses: Vec<Clause>,
    truncated: bool,
}

/// One part of a [`Query`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Clause {
    /// An analysed word; matches every term that starts with it (or only itself when shorter
    /// than [`MIN_PREFIX_LEN`]).
    Word(String),
    /// A quoted phrase: these terms, adjacent and in this order. A quoted single word matches
    /// exactly, not as a prefix.
    Phrase(Vec<String>),
    /// The last word of a query that ends inside it (no space after), which may be cut short:
    /// matches terms that start with `word`, or with `root_start`, what its prefixes leave of
    /// the root (`kependud` -> `dud`, which finds `duduk`, the stem of `kependudukan`).
    Partial {
        /// The word as typed (normalised; it did not stem).
        word: String,
        /// The start of a root left once the word's prefixes are stripped.
        root_start: String,
    },
}

/// Analyses a user's query: quoted parts (`"..."`, also typographic quotes) become phrases, the
/// rest words; stopwords are dropped and every word is stemmed, as in [`analyze`]. An unclosed
/// quote runs to the end. Repeated words count once. When the text ends inside a word that does
/// not stem, that word may be half-typed and becomes a [`Clause::Partial`].
pub fn analyze_query(text: &str) -> Query {
    let mut query = Query::default();
    let mut segment = String::new();
    let mut quoted = false;
    for c in text.chars() {
        if matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}') {
            query.add_segment(&segment, quoted, false);
            segment.clear();
            quoted = !quoted;
        } else {
            segment.push(c);
        }
    }
    let typing = !quoted && text.chars().next_back().is_some_and(char::is_alphanumeric);
    query.add_segment(&segment, quoted, typing);
    query
}

impl Query {
    /// Adds the clauses of one segment; `typing` when the query ends inside its last word.
    fn add_segment(&mut self, segment: &str, quoted: bool, typing: bool) {
        let terms = analyze(segment);
        if quoted {
            if !terms.is_empty() {
                self.push(Clause::Phrase(terms));
            }
            return;
        }
        // The last token must be the last term: a trailing stopword is a finished word.
        let last_is_term = typing && normalize(segment).rsplit(' ').next().is_some_and(|t| !is_stopword(t));
        let count = terms.len();
        for (i, term) in terms.into_iter().enumerate() {
            let partial = (last_is_term && i + 1 == count)
                .then(|| root_start(&term, MIN_PREFIX_LEN))
                .flatten();
            self.push(match partial {
                Some(root_start) => Clause::Partial { word: term, root_start },
                None => Clause::Word(term),
            });
        }
    }

    fn push(&mut self, clause: Clause) {
        if self.clauses.contains(&clause) {
            return;
        }
        if self.clauses.len() >= MAX_CLAUSES {
            self.truncated = true;
            return;
        }
        self.clauses.push(clause);
    }

    /// The clauses, in the order the user wrote them.
    pub fn clauses(&self) -> &[Clause] {
        &self.clauses
    }

    /// Every term of every clause, for highlighting matches.
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.clauses.iter().flat_map(|c| match c {
            Clause::Word(t) => vec![t.as_str()],
            Clause::Phrase(ts) => ts.iter().map(String::as_str).collect(),
            Clause::Partial { word, root_start } => vec![word.as_str(), root_start.as_str()],
        })
    }

    /// Whether nothing is left to search for (empty, or only stopwords and punctuation).
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// Whether clauses past [`MAX_CLAUSES`] were dropped.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// The query as an SQLite FTS5 `MATCH` expression: `"term"*` for a word, `"a b"` for a
    /// phrase, `("word"* OR "start"*)` for a partial word, joined with `AND` (FTS5's implicit
    /// AND joins phrases only: `"a" ("b"* OR "c"*)` is a syntax error). `None` when the query
    /// is empty. Column filters (`{title_terms body_terms} : (...)`) are the caller's to add
    /// around it.
    pub fn to_fts5(&self) -> Option<String> {
        self.render(" AND ", |out, clause| match clause {
            Clause::Word(t) => {
                fts5_string(out, std::slice::from_ref(t));
                if t.len() >= MIN_PREFIX_LEN {
                    out.push('*');
                }
            }
            Clause::Phrase(ts) => fts5_string(out, ts),
            Clause::Partial { word, root_start } => {
                out.push('(');
                fts5_string(out, std::slice::from_ref(word));
                out.push_str("* OR ");
                fts5_string(out, std::slice::from_ref(root_start));
                out.push_str("*)");
            }
        })
    }

    /// The query in PostgreSQL `to_tsquery` syntax, for the `'simple'` configuration:
    /// `'term':*` for a word, `('a' <-> 'b')` for a phrase, `('word':* | 'start':*)` for a
    /// partial word, joined with `&`. `None` when the
    /// query is empty.
    pub fn to_tsquery(&self) -> Option<String> {
        self.render(" & ", |out, clause| match clause {
            Clause::Word(t) => {
                tsquery_lexeme(out, t);
                if t.len() >= MIN_PREFIX_LEN {
                    out.push_str(":*");
                }
            }
            Clause::Phrase(ts) if ts.len() == 1 => tsquery_lexeme(out, &ts[0]),
            Clause::Phrase(ts) => {
                out.push('(');
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" <-> ");
                    }
                    tsquery_lexeme(out, t);
                }
                out.push(')');
            }
            Clause::Partial { word, root_start } => {
                out.push('(');
                tsquery_lexeme(out, word);
                out.push_str(":* | ");
                tsquery_lexeme(out, root_start);
                out.push_str(":*)");
            }
        })
    }

    fn render(&self, separator: &str, mut clause: impl FnMut(&mut String, &Clause)) -> Option<String> {
        if self.clauses.is_empty() {
            return None;
        }
        let mut out = String::new();
        for (i, c) in self.clauses.iter().enumerate() {
            if i > 0 {
                out.push_str(separator);
            }
            clause(&mut out, c);
        }
        Some(out)
    }
}

/// An FTS5 string: the terms in double quotes, a `"` inside doubled. Terms from [`analyze`]
/// hold only letters and digits; the escaping is there so that this stays true of any input.
fn fts5_string(out: &mut String, terms: &[String]) {
    out.push('"');
    for (i, t) in terms.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for c in t.chars().filter(|&c| c != '\0') {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
    }
    out.push('"');
}

/// A tsquery lexeme in single quotes, a `'` inside doubled and a backslash escaped.
fn tsquery_lexeme(out: &mut String, term: &str) {
    out.push('\'');
    for c in term.chars().filter(|&c| c != '\0') {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_holds_for_terms_analyze_would_never_make() {
        let mut out = String::new();
        fts5_string(&mut out, &["a\"b".to_owned(), "c\0".to_owned()]);
        assert_eq!(out, r#""a""b c""#);
        let mut out = String::new();
        tsquery_lexeme(&mut out, "o'k\\");
        assert_eq!(out, r"'o''k\\'");
    }

    #[test]
    fn short_terms_are_exact() {
        let q = analyze_query("b 12 abc");
        assert_eq!(q.to_fts5().as_deref(), Some(r#""b" AND "12" AND "abc"*"#));
        assert_eq!(q.to_tsquery().as_deref(), Some("'b' & '12' & 'abc':*"));
    }

    #[test]
    fn quoted_single_word_is_exact_and_repeats_collapse() {
        let q = analyze_query(r#""sekolah" sekolah persekolahan"#);
        assert_eq!(q.to_fts5().as_deref(), Some(r#""sekolah" AND "sekolah"*"#));
        assert_eq!(q.to_tsquery().as_deref(), Some("'sekolah' & 'sekolah':*"));
    }

    #[test]
    fn unclosed_quote_runs_to_the_end() {
        let q = analyze_query(r#"data "angka kelahiran"#);
        assert_eq!(
            q.clauses(),
            &[
                Clause::Word("data".into()),
                Clause::Phrase(vec!["angka".into(), "lahir".into()])
            ]
        );
    }

    #[test]
    fn long_queries_are_cut_at_max_clauses() {
        let text: String = (0..100).map(|i| format!("kata{i} ")).collect();
        let q = analyze_query(&text);
        assert_eq!(q.clauses().len(), MAX_CLAUSES);
        assert!(q.truncated());
        assert!(!analyze_query("data").truncated());
    }
}
