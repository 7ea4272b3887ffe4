//! Text to tokens: lowercase, accents stripped, letters and digits kept, everything else a
//! separator; a dotted code (`61.71.01`) stays one token.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Tokens longer than this many bytes are dropped: no word is that long, and a base64 blob or a
/// 10 kB run of letters is no use as a search term (PostgreSQL also refuses words over 2 kB).
pub const MAX_TOKEN_LEN: usize = 64;

/// Lowercases `text`, strips accents and diacritics (NFKD, combining marks dropped), and returns
/// its tokens separated by single spaces.
///
/// A token is a run of letters and digits; everything else separates tokens. Digit groups joined
/// by dots, like the kode wilayah `61.71.01` or `1.234.567`, are one token written without the
/// dots (`617101`, as BPS writes region codes), so a code stays a term of its own in both the
/// FTS5 `unicode61` tokenizer and PostgreSQL's parser, which would split it at the dots.
///
/// ```
/// assert_eq!(satudata_search::normalize("Kesehätan  Kota-Pontianak (61.71)"), "kesehatan kota pontianak 6171");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for_each_token(text, |token| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(token);
    });
    out
}

/// Calls `f` with each token of `text`, in order, as [`normalize`] splits it.
pub(crate) fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let mut token = Tokenizer::default();
    if text.is_ascii() {
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let next = bytes.get(i + 1).map(|&n| char::from(n));
            token.push(char::from(b.to_ascii_lowercase()), next, &mut f);
        }
    } else {
        // Lowercase first: `İ` lowercases to `i` + a combining dot, which NFKD then drops.
        let mut chars = text
            .chars()
            .flat_map(char::to_lowercase)
            .nfkd()
            .filter(|c| !is_combining_mark(*c))
            .peekable();
        while let Some(c) = chars.next() {
            let next = chars.peek().copied();
            token.push(c, next, &mut f);
        }
    }
    token.finish(&mut f);
}

/// The token being built, and whether it is all digits so far (a dot may then join it).
#[derive(Default)]
struct Tokenizer {
    buf: String,
    digits_only: bool,
}

impl Tokenizer {
    fn push(&mut self, c: char, next: Option<char>, f: &mut impl FnMut(&str)) {
        if c.is_alphanumeric() {
            if self.buf.is_empty() {
                self.digits_only = true;
            }
            self.digits_only &= c.is_ascii_digit();
            self.buf.push(c);
        } else if c == '.' && self.digits_only && !self.buf.is_empty() && next.is_some_and(|n| n.is_ascii_digit()) {
            // `61.71`: the dot joins two digit groups; the token goes on.
        } else {
            self.finish(f);
        }
    }

    fn finish(&mut self, f: &mut impl FnMut(&str)) {
        if !self.buf.is_empty() && self.buf.len() <= MAX_TOKEN_LEN {
            f(&self.buf);
        }
        self.buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_accents_do_not_matter() {
        assert_eq!(
            normalize("Kesehatan KESEHATAN kesehätan Kesehâtan"),
            "kesehatan kesehatan kesehatan kesehatan"
        );
        assert_eq!(normalize("İstanbul ﬁle Ｐｏｎｔｉａｎａｋ"), "istanbul file pontianak");
    }

    #[test]
    fn punctuation_separates() {
        assert_eq!(
            normalize("anak-anak, (jumlah)/tahun;2024"),
            "anak anak jumlah tahun 2024"
        );
        assert_eq!(normalize("  \t\n"), "");
        assert_eq!(normalize("a\0b"), "a b");
    }

    #[test]
    fn dotted_codes_are_one_token() {
        assert_eq!(normalize("61.71.01.1001"), "6171011001");
        assert_eq!(normalize("kode 61.71."), "kode 6171");
        assert_eq!(normalize("v1.2 3,5 .5 1..2"), "v1 2 3 5 5 1 2");
        assert_eq!(normalize("Tahun 2024. Kota"), "tahun 2024 kota");
    }

    #[test]
    fn long_tokens_are_dropped() {
        let long = "a".repeat(MAX_TOKEN_LEN + 1);
        assert_eq!(normalize(&format!("x {long} y")), "x y");
        assert_eq!(normalize(&"a".repeat(MAX_TOKEN_LEN)).len(), MAX_TOKEN_LEN);
    }
}
