//! Cross-field consistency rules: `jumlah = laki_laki + perempuan`,
//! `persentase between 0 and 100`, `tanggal_selesai >= tanggal_mulai`.
//!
//! A rule is parsed once into an expression tree over column names and numbers, then evaluated
//! per row on the typed values (numbers, years and dates as days). A row where a referenced value
//! is missing or failed its own check is skipped: that cell already has its finding.

use std::fmt;

/// An arithmetic expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Number(f64),
    Field(String),
    Neg(Box<Expr>),
    Binary(Box<Expr>, char, Box<Expr>),
}

/// A comparison between expressions.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Rule {
    Compare(Expr, Cmp, Expr),
    Between(Expr, Expr, Expr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl fmt::Display for Cmp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cmp::Eq => "=",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Ident(String),
    Op(char),
    Cmp(Cmp),
    Open,
    Close,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' => i += 1,
            '(' => {
                tokens.push(Token::Open);
                i += 1;
            }
            ')' => {
                tokens.push(Token::Close);
                i += 1;
            }
            '+' | '-' | '*' | '/' => {
                tokens.push(Token::Op(c));
                i += 1;
            }
            '=' | '!' | '<' | '>' => {
                let (cmp, len) = match (c, next) {
                    ('=', Some('=')) => (Cmp::Eq, 2),
                    ('=', _) => (Cmp::Eq, 1),
                    ('!', Some('=')) => (Cmp::Ne, 2),
                    ('<', Some('=')) => (Cmp::Le, 2),
                    ('<', Some('>')) => (Cmp::Ne, 2),
                    ('<', _) => (Cmp::Lt, 1),
                    ('>', Some('=')) => (Cmp::Ge, 2),
                    ('>', _) => (Cmp::Gt, 1),
                    _ => return Err(format!("unexpected '{c}'")),
                };
                tokens.push(Token::Cmp(cmp));
                i += len;
            }
            c if c.is_ascii_digit() || c == '.' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                tokens.push(Token::Number(text.parse().map_err(|_| format!("bad number {text}"))?));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                tokens.push(Token::Ident(chars[start..i].iter().collect()));
            }
            c => return Err(format!("unexpected '{c}'")),
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Ident(w)) if w.eq_ignore_ascii_case(word))
    }

    fn expr(&mut self) -> Result<Expr, String> {
        let mut left = self.term()?;
        while let Some(Token::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.pos += 1;
            left = Expr::Binary(Box::new(left), op, Box::new(self.term()?));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, String> {
        let mut left = self.factor()?;
        while let Some(Token::Op(op @ ('*' | '/'))) = self.peek().cloned() {
            self.pos += 1;
            left = Expr::Binary(Box::new(left), op, Box::new(self.factor()?));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, String> {
        match self.next() {
            Some(Token::Number(n)) => Ok(Expr::Number(n)),
            Some(Token::Ident(name)) => Ok(Expr::Field(name)),
            Some(Token::Op('-')) => Ok(Expr::Neg(Box::new(self.factor()?))),
            Some(Token::Open) => {
                let e = self.expr()?;
                match self.next() {
                    Some(Token::Close) => Ok(e),
                    _ => Err("missing ')'".into()),
                }
            }
            other => Err(format!("expected a value, found {other:?}")),
        }
    }
}

/// Parses a rule.
pub(crate) fn parse(text: &str) -> Result<Rule, String> {
    let mut p = Parser {
        tokens: tokenize(text)?,
        pos: 0,
    };
    let left = p.expr()?;
    let rule = if p.keyword("between") || p.keyword("antara") {
        p.pos += 1;
        let low = p.expr()?;
        if !(p.keyword("and") || p.keyword("dan")) {
            return Err("expected 'and' after 'between'".into());
        }
        p.pos += 1;
        Rule::Between(left, low, p.expr()?)
    } else {
        match p.next() {
            Some(Token::Cmp(cmp)) => Rule::Compare(left, cmp, p.expr()?),
            _ => return Err("expected a comparison (=, !=, <, <=, >, >=) or 'between'".into()),
        }
    };
    if p.pos < p.tokens.len() {
        return Err("unexpected text after the rule".into());
    }
    Ok(rule)
}

impl Expr {
    pub(crate) fn fields<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Number(_) => {}
            Expr::Field(f) => out.push(f),
            Expr::Neg(e) => e.fields(out),
            Expr::Binary(a, _, b) => {
                a.fields(out);
                b.fields(out);
            }
        }
    }

    /// Evaluates with `value` giving each field's value, `None` when missing.
    pub(crate) fn eval(&self, value: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
        match self {
            Expr::Number(n) => Some(*n),
            Expr::Field(f) => value(f),
            Expr::Neg(e) => e.eval(value).map(|v| -v),
            Expr::Binary(a, op, b) => {
                let (a, b) = (a.eval(value)?, b.eval(value)?);
                match op {
                    '+' => Some(a + b),
                    '-' => Some(a - b),
                    '*' => Some(a * b),
                    '/' if b != 0.0 => Some(a / b),
                    _ => None,
                }
            }
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

impl Rule {
    /// Every field the rule reads.
    pub(crate) fn fields(&self) -> Vec<&str> {
        let mut out = Vec::new();
        match self {
            Rule::Compare(a, _, b) => {
                a.fields(&mut out);
                b.fields(&mut out);
            }
            Rule::Between(x, lo, hi) => {
                x.fields(&mut out);
                lo.fields(&mut out);
                hi.fields(&mut out);
            }
        }
        out
    }

    /// `Some(true)` when the row satisfies the rule, `Some(false)` with the values seen when it
    /// does not, `None` when a value is missing.
    pub(crate) fn check(
        &self,
        value: &dyn Fn(&str) -> Option<f64>,
        fmt: &dyn Fn(f64) -> String,
    ) -> Option<Result<(), String>> {
        match self {
            Rule::Compare(a, cmp, b) => {
                let (x, y) = (a.eval(value)?, b.eval(value)?);
                let ok = match cmp {
                    Cmp::Eq => close(x, y),
                    Cmp::Ne => !close(x, y),
                    Cmp::Lt => x < y,
                    Cmp::Le => x <= y || close(x, y),
                    Cmp::Gt => x > y,
                    Cmp::Ge => x >= y || close(x, y),
                };
                Some(if ok {
                    Ok(())
                } else {
                    Err(format!("{} {cmp} {}", fmt(x), fmt(y)))
                })
            }
            Rule::Between(e, lo, hi) => {
                let (x, l, h) = (e.eval(value)?, lo.eval(value)?, hi.eval(value)?);
                let ok = (x >= l || close(x, l)) && (x <= h || close(x, h));
                Some(if ok {
                    Ok(())
                } else {
                    Err(format!("{} ∉ [{}, {}]", fmt(x), fmt(l), fmt(h)))
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(v: f64) -> String {
        if v.fract() == 0.0 {
            format!("{}", v as i64)
        } else {
            format!("{v}")
        }
    }

    fn row<'a>(pairs: &'a [(&'a str, f64)]) -> impl Fn(&str) -> Option<f64> + 'a {
        move |name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    impl Rule {
        fn check_plain(&self, value: &dyn Fn(&str) -> Option<f64>) -> Option<Result<(), String>> {
            self.check(value, &plain)
        }
    }

    #[test]
    fn sums_and_ranges() {
        let total = parse("jumlah = laki_laki + perempuan").unwrap();
        assert_eq!(total.fields(), ["jumlah", "laki_laki", "perempuan"]);
        assert_eq!(
            total.check_plain(&row(&[("jumlah", 10.0), ("laki_laki", 4.0), ("perempuan", 6.0)])),
            Some(Ok(()))
        );
        assert_eq!(
            total.check_plain(&row(&[("jumlah", 10.0), ("laki_laki", 4.0), ("perempuan", 5.0)])),
            Some(Err("10 = 9".into()))
        );
        assert_eq!(total.check_plain(&row(&[("jumlah", 10.0)])), None);
        let pct = parse("persentase between 0 and 100").unwrap();
        assert_eq!(pct.check_plain(&row(&[("persentase", 100.0)])), Some(Ok(())));
        assert!(matches!(pct.check_plain(&row(&[("persentase", 100.5)])), Some(Err(_))));
        let dates = parse("tanggal_selesai >= tanggal_mulai").unwrap();
        assert_eq!(
            dates.check_plain(&row(&[("tanggal_selesai", 5.0), ("tanggal_mulai", 5.0)])),
            Some(Ok(()))
        );
        let ratio = parse("rasio = (siswa / guru) * 1").unwrap();
        assert_eq!(
            ratio.check_plain(&row(&[("rasio", 16.5), ("siswa", 33.0), ("guru", 2.0)])),
            Some(Ok(()))
        );
        assert_eq!(
            ratio.check_plain(&row(&[("rasio", 1.0), ("siswa", 33.0), ("guru", 0.0)])),
            None
        );
        assert_eq!(
            parse("x antara 1 dan 2").unwrap().check_plain(&row(&[("x", 1.5)])),
            Some(Ok(()))
        );
    }

    #[test]
    fn bad_rules_are_refused() {
        for bad in [
            "jumlah",
            "jumlah = ",
            "a = b c",
            "a between 1",
            "(a = b",
            "a # b",
            "= 3",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
