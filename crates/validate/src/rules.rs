//! Cross-field rules: `jumlah = laki_laki + perempuan`, `persentase between 0 and 100`,
//! `tanggal_selesai >= tanggal_mulai`, and Frictionless' `row-constraint` formulas, which are
//! Python expressions (`jumlah == laki_laki + perempuan and laki_laki >= 0`).
//!
//! A rule is parsed once into a tree over column names and numbers, then evaluated per row.
//! Evaluation follows Python, which is what Frictionless runs (through `simpleeval`): a missing
//! value is `None`, `None == None` holds, and arithmetic or ordering with `None` raises; an
//! integer divided by an integer is a float, and a `number` column's value (a `Decimal` in
//! Frictionless) cannot be mixed with a float in arithmetic; dates and times compare only with
//! their own kind and take no arithmetic. Satu Data's consistency rules give every value as a
//! float (dates as day numbers) and skip a row where one is missing, so for them this is plain
//! arithmetic.

use std::fmt;

/// The syntax a rule is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// Satu Data's: `=` or `==`, `<>`, `between … and …` (`antara … dan …`), `and`/`dan`,
    /// `or`/`atau`, `not`/`bukan`; the whole rule must compare.
    SatuData,
    /// Python's, as a Frictionless `row-constraint` formula: `==`, chained comparisons
    /// (`0 <= x <= 100`), `and`, `or`, `not`, `True`, `False`, `None`, and a bare value tested
    /// for truth.
    Python,
}

/// What kind of number a value is, as Python sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumKind {
    /// `int` (and `bool`): integer and year columns, whole literals.
    Int,
    /// `float`: literals with a decimal point, results of `/` on integers.
    Float,
    /// `Decimal`: Frictionless' `number` columns.
    Decimal,
}

/// The kind of a date or time value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WhenKind {
    /// A date, as days since 1970-01-01.
    Date,
    /// A date and time, as milliseconds since 1970-01-01T00:00:00.
    Datetime,
    /// A time of day, as nanoseconds since midnight.
    Time,
}

/// A value in a rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Val {
    /// No value (an empty or invalid cell): Python's `None`.
    None,
    /// A number.
    Num(f64, NumKind),
    /// A date or time.
    When(f64, WhenKind),
}

impl Val {
    fn truthy(self) -> bool {
        match self {
            Val::None => false,
            Val::Num(n, _) => n != 0.0,
            Val::When(..) => true,
        }
    }

    fn show(self, fmt: &dyn Fn(f64) -> String) -> String {
        match self {
            Val::None => "None".into(),
            Val::Num(n, _) => fmt(n),
            Val::When(v, kind) => {
                let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
                let shown = match kind {
                    WhenKind::Date => epoch
                        .checked_add_signed(chrono::Duration::days(v as i64))
                        .map(|d| d.to_string()),
                    WhenKind::Datetime => chrono::DateTime::from_timestamp_millis(v as i64)
                        .map(|t| t.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string()),
                    WhenKind::Time => Some(
                        (chrono::NaiveTime::MIN + chrono::Duration::nanoseconds(v as i64))
                            .format("%H:%M:%S%.f")
                            .to_string(),
                    ),
                };
                shown.unwrap_or_else(|| fmt(v))
            }
        }
    }
}

/// An arithmetic expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Number(f64, NumKind),
    None,
    Field(String),
    Neg(Box<Expr>),
    Binary(Box<Expr>, char, Box<Expr>),
}

/// A rule: comparisons combined with `and`, `or`, `not`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Rule {
    /// `a < b <= c`: every link must hold.
    Compare(Expr, Vec<(Cmp, Expr)>),
    Between(Expr, Expr, Expr),
    /// A bare value, tested for truth (Python syntax only).
    Truth(Expr),
    Not(Box<Rule>),
    And(Box<Rule>, Box<Rule>),
    Or(Box<Rule>, Box<Rule>),
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
    Number(f64, NumKind),
    Ident(String),
    Op(char),
    Cmp(Cmp),
    Open,
    Close,
}

fn tokenize(text: &str, syntax: Syntax) -> Result<Vec<Token>, String> {
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
                if next == Some(c) && matches!(c, '*' | '/') {
                    return Err(format!("'{c}{c}' is not supported"));
                }
                tokens.push(Token::Op(c));
                i += 1;
            }
            '=' | '!' | '<' | '>' => {
                let (cmp, len) = match (c, next) {
                    ('=', Some('=')) => (Cmp::Eq, 2),
                    ('=', _) if syntax == Syntax::Python => return Err("write '==' to compare".into()),
                    ('=', _) => (Cmp::Eq, 1),
                    ('!', Some('=')) => (Cmp::Ne, 2),
                    ('<', Some('=')) => (Cmp::Le, 2),
                    ('<', Some('>')) if syntax == Syntax::Python => return Err("write '!=' for 'not equal'".into()),
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
                let kind = if text.contains('.') {
                    NumKind::Float
                } else {
                    NumKind::Int
                };
                tokens.push(Token::Number(
                    text.parse().map_err(|_| format!("bad number {text}"))?,
                    kind,
                ));
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
    syntax: Syntax,
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

    /// Whether the next token is one of the words, and if so consumes it.
    fn word(&mut self, python: &str, satu_data: &[&str]) -> bool {
        let found = match (self.peek(), self.syntax) {
            (Some(Token::Ident(w)), Syntax::Python) => w == python,
            (Some(Token::Ident(w)), Syntax::SatuData) => {
                w.eq_ignore_ascii_case(python) || satu_data.iter().any(|s| w.eq_ignore_ascii_case(s))
            }
            _ => false,
        };
        if found {
            self.pos += 1;
        }
        found
    }

    fn or(&mut self) -> Result<Rule, String> {
        let mut left = self.and()?;
        while self.word("or", &["atau"]) {
            left = Rule::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Rule, String> {
        let mut left = self.not()?;
        while self.word("and", &["dan"]) {
            left = Rule::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Rule, String> {
        if self.word("not", &["bukan"]) {
            return Ok(Rule::Not(Box::new(self.not()?)));
        }
        // `(` opens either arithmetic (`(a + b) > c`) or a rule (`(a > b or c > d) and …`).
        let start = self.pos;
        match self.comparison() {
            Ok(rule) => Ok(rule),
            Err(e) if self.tokens.get(start) == Some(&Token::Open) => {
                self.pos = start + 1;
                let rule = self.or().map_err(|_| e)?;
                match self.next() {
                    Some(Token::Close) => Ok(rule),
                    _ => Err("missing ')'".into()),
                }
            }
            Err(e) => Err(e),
        }
    }

    fn comparison(&mut self) -> Result<Rule, String> {
        let left = self.expr()?;
        if self.syntax == Syntax::SatuData && self.word("between", &["antara"]) {
            let low = self.expr()?;
            if !self.word("and", &["dan"]) {
                return Err("expected 'and' after 'between'".into());
            }
            return Ok(Rule::Between(left, low, self.expr()?));
        }
        let mut links = Vec::new();
        while let Some(Token::Cmp(cmp)) = self.peek().cloned() {
            self.pos += 1;
            links.push((cmp, self.expr()?));
            if self.syntax == Syntax::SatuData {
                break;
            }
        }
        match (links.is_empty(), self.syntax) {
            (false, _) => Ok(Rule::Compare(left, links)),
            (true, Syntax::Python) => Ok(Rule::Truth(left)),
            (true, Syntax::SatuData) => Err("expected a comparison (=, !=, <, <=, >, >=) or 'between'".into()),
        }
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
        let python = self.syntax == Syntax::Python;
        match self.next() {
            Some(Token::Number(n, kind)) => Ok(Expr::Number(n, kind)),
            Some(Token::Ident(name)) if python && name == "True" => Ok(Expr::Number(1.0, NumKind::Int)),
            Some(Token::Ident(name)) if python && name == "False" => Ok(Expr::Number(0.0, NumKind::Int)),
            Some(Token::Ident(name)) if python && name == "None" => Ok(Expr::None),
            Some(Token::Ident(name)) if ["and", "or", "not"].contains(&name.as_str()) => {
                Err(format!("expected a value, found '{name}'"))
            }
            Some(Token::Ident(name)) => Ok(Expr::Field(name)),
            Some(Token::Op('-')) => Ok(Expr::Neg(Box::new(self.factor()?))),
            Some(Token::Op('+')) if python => self.factor(),
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

/// Parses a rule written in `syntax`.
pub(crate) fn parse(text: &str, syntax: Syntax) -> Result<Rule, String> {
    let mut p = Parser {
        tokens: tokenize(text, syntax)?,
        pos: 0,
        syntax,
    };
    let rule = p.or()?;
    if p.pos < p.tokens.len() {
        return Err("unexpected text after the rule".into());
    }
    Ok(rule)
}

/// Why evaluation stopped, as Python would raise it: the operation that failed, with its values.
type Raised = String;

impl Expr {
    pub(crate) fn fields<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Number(..) | Expr::None => {}
            Expr::Field(f) => out.push(f),
            Expr::Neg(e) => e.fields(out),
            Expr::Binary(a, _, b) => {
                a.fields(out);
                b.fields(out);
            }
        }
    }

    /// Evaluates with `value` giving each field's value.
    fn eval(&self, value: &dyn Fn(&str) -> Val, fmt: &dyn Fn(f64) -> String) -> Result<Val, Raised> {
        match self {
            Expr::Number(n, kind) => Ok(Val::Num(*n, *kind)),
            Expr::None => Ok(Val::None),
            Expr::Field(f) => Ok(value(f)),
            Expr::Neg(e) => match e.eval(value, fmt)? {
                Val::Num(n, kind) => Ok(Val::Num(-n, kind)),
                other => Err(format!("-{}", other.show(fmt))),
            },
            Expr::Binary(a, op, b) => {
                let (x, y) = (a.eval(value, fmt)?, b.eval(value, fmt)?);
                let raised = || format!("{} {op} {}", x.show(fmt), y.show(fmt));
                let (Val::Num(p, pk), Val::Num(q, qk)) = (x, y) else {
                    return Err(raised());
                };
                let kind = match (pk, qk) {
                    (NumKind::Decimal, NumKind::Float) | (NumKind::Float, NumKind::Decimal) => return Err(raised()),
                    (NumKind::Decimal, _) | (_, NumKind::Decimal) => NumKind::Decimal,
                    (NumKind::Float, _) | (_, NumKind::Float) => NumKind::Float,
                    (NumKind::Int, NumKind::Int) if *op == '/' => NumKind::Float,
                    (NumKind::Int, NumKind::Int) => NumKind::Int,
                };
                let n = match op {
                    '+' => p + q,
                    '-' => p - q,
                    '*' => p * q,
                    _ if q == 0.0 => return Err(raised()),
                    _ => p / q,
                };
                Ok(Val::Num(n, kind))
            }
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Compares as Python does: `==` between anything, ordering only between numbers or between
/// dates/times of one kind.
fn compare(x: Val, cmp: Cmp, y: Val, fmt: &dyn Fn(f64) -> String) -> Result<bool, Raised> {
    let ordered = match (x, y) {
        (Val::Num(a, _), Val::Num(b, _)) => Some((a, b)),
        (Val::When(a, k), Val::When(b, l)) if k == l => Some((a, b)),
        _ => None,
    };
    let equal = match (x, y) {
        (Val::None, Val::None) => true,
        _ => ordered.is_some_and(|(a, b)| close(a, b)),
    };
    match (cmp, ordered) {
        (Cmp::Eq, _) => Ok(equal),
        (Cmp::Ne, _) => Ok(!equal),
        (Cmp::Lt, Some((a, b))) => Ok(a < b && !equal),
        (Cmp::Le, Some((a, b))) => Ok(a <= b || equal),
        (Cmp::Gt, Some((a, b))) => Ok(a > b && !equal),
        (Cmp::Ge, Some((a, b))) => Ok(a >= b || equal),
        (_, None) => Err(format!("{} {cmp} {}", x.show(fmt), y.show(fmt))),
    }
}

/// How a row fares against a rule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// The rule holds.
    Holds,
    /// The rule is false; the part that decided it, with its values (`10 = 9`).
    Fails(String),
    /// The rule cannot be evaluated (Python raises); the operation, with its values (`4 + None`).
    Raises(String),
}

impl Rule {
    /// Every field the rule reads.
    pub(crate) fn fields(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_fields(&mut out);
        out
    }

    fn collect_fields<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Rule::Compare(first, links) => {
                first.fields(out);
                for (_, e) in links {
                    e.fields(out);
                }
            }
            Rule::Between(x, lo, hi) => {
                x.fields(out);
                lo.fields(out);
                hi.fields(out);
            }
            Rule::Truth(e) => e.fields(out),
            Rule::Not(r) => r.collect_fields(out),
            Rule::And(a, b) | Rule::Or(a, b) => {
                a.collect_fields(out);
                b.collect_fields(out);
            }
        }
    }

    /// Evaluates the rule on one row; `value` gives each field's value, `fmt` shows numbers.
    pub(crate) fn check(&self, value: &dyn Fn(&str) -> Val, fmt: &dyn Fn(f64) -> String) -> Outcome {
        match self.eval(value, fmt) {
            Ok((true, _)) => Outcome::Holds,
            Ok((false, detail)) => Outcome::Fails(detail),
            Err(raised) => Outcome::Raises(raised),
        }
    }

    /// Whether the rule holds, with the last part evaluated shown with its values.
    fn eval(&self, value: &dyn Fn(&str) -> Val, fmt: &dyn Fn(f64) -> String) -> Result<(bool, String), Raised> {
        match self {
            Rule::Compare(first, links) => {
                let mut x = first.eval(value, fmt)?;
                let mut shown = String::new();
                for (cmp, e) in links {
                    let y = e.eval(value, fmt)?;
                    shown = format!("{} {cmp} {}", x.show(fmt), y.show(fmt));
                    if !compare(x, *cmp, y, fmt)? {
                        return Ok((false, shown));
                    }
                    x = y;
                }
                Ok((true, shown))
            }
            Rule::Between(e, lo, hi) => {
                let (x, l, h) = (e.eval(value, fmt)?, lo.eval(value, fmt)?, hi.eval(value, fmt)?);
                let ok = compare(x, Cmp::Ge, l, fmt)? && compare(x, Cmp::Le, h, fmt)?;
                Ok((ok, format!("{} ∉ [{}, {}]", x.show(fmt), l.show(fmt), h.show(fmt))))
            }
            Rule::Truth(e) => {
                let v = e.eval(value, fmt)?;
                Ok((v.truthy(), v.show(fmt)))
            }
            Rule::Not(r) => {
                let (holds, shown) = r.eval(value, fmt)?;
                Ok((!holds, format!("not ({shown})")))
            }
            Rule::And(a, b) => match a.eval(value, fmt)? {
                (true, _) => b.eval(value, fmt),
                failed => Ok(failed),
            },
            Rule::Or(a, b) => match a.eval(value, fmt)? {
                (false, _) => b.eval(value, fmt),
                held => Ok(held),
            },
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

    /// A row of floats (Satu Data's consistency rules); absent names are `None`.
    fn row<'a>(pairs: &'a [(&'a str, f64)]) -> impl Fn(&str) -> Val + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(Val::None, |(_, v)| Val::Num(*v, NumKind::Float))
        }
    }

    /// A row of typed values (a Frictionless row).
    fn typed<'a>(pairs: &'a [(&'a str, Val)]) -> impl Fn(&str) -> Val + 'a {
        move |name| pairs.iter().find(|(n, _)| *n == name).map_or(Val::None, |(_, v)| *v)
    }

    fn check(rule: &str, syntax: Syntax, value: &dyn Fn(&str) -> Val) -> Outcome {
        parse(rule, syntax).unwrap().check(value, &plain)
    }

    #[test]
    fn sums_and_ranges() {
        let total = parse("jumlah = laki_laki + perempuan", Syntax::SatuData).unwrap();
        assert_eq!(total.fields(), ["jumlah", "laki_laki", "perempuan"]);
        let sd = Syntax::SatuData;
        let rule = "jumlah = laki_laki + perempuan";
        assert_eq!(
            check(
                rule,
                sd,
                &row(&[("jumlah", 10.0), ("laki_laki", 4.0), ("perempuan", 6.0)])
            ),
            Outcome::Holds
        );
        assert_eq!(
            check(
                rule,
                sd,
                &row(&[("jumlah", 10.0), ("laki_laki", 4.0), ("perempuan", 5.0)])
            ),
            Outcome::Fails("10 = 9".into())
        );
        let pct = "persentase between 0 and 100";
        assert_eq!(check(pct, sd, &row(&[("persentase", 100.0)])), Outcome::Holds);
        assert_eq!(
            check(pct, sd, &row(&[("persentase", 100.5)])),
            Outcome::Fails("100.5 ∉ [0, 100]".into())
        );
        let dates = "tanggal_selesai >= tanggal_mulai";
        assert_eq!(
            check(dates, sd, &row(&[("tanggal_selesai", 5.0), ("tanggal_mulai", 5.0)])),
            Outcome::Holds
        );
        let ratio = "rasio = (siswa / guru) * 1";
        assert_eq!(
            check(ratio, sd, &row(&[("rasio", 16.5), ("siswa", 33.0), ("guru", 2.0)])),
            Outcome::Holds
        );
        assert_eq!(
            check(ratio, sd, &row(&[("rasio", 1.0), ("siswa", 33.0), ("guru", 0.0)])),
            Outcome::Raises("33 / 0".into())
        );
        assert_eq!(check("x antara 1 dan 2", sd, &row(&[("x", 1.5)])), Outcome::Holds);
    }

    #[test]
    fn and_or_not() {
        let sd = Syntax::SatuData;
        let both = "a > 0 and b > 0";
        assert_eq!(check(both, sd, &row(&[("a", 1.0), ("b", 1.0)])), Outcome::Holds);
        assert_eq!(
            check(both, sd, &row(&[("a", 1.0), ("b", 0.0)])),
            Outcome::Fails("0 > 0".into())
        );
        let either = "a > 0 atau b > 0";
        assert_eq!(check(either, sd, &row(&[("a", 0.0), ("b", 1.0)])), Outcome::Holds);
        assert_eq!(
            check(either, sd, &row(&[("a", 0.0), ("b", 0.0)])),
            Outcome::Fails("0 > 0".into())
        );
        assert_eq!(
            check("not (a = b)", sd, &row(&[("a", 1.0), ("b", 1.0)])),
            Outcome::Fails("not (1 = 1)".into())
        );
        // `and` binds tighter than `or`; parentheses group rules and arithmetic alike.
        let mixed = "(a + b) = c or a = 0 and b = 0";
        assert_eq!(
            check(mixed, sd, &row(&[("a", 0.0), ("b", 0.0), ("c", 9.0)])),
            Outcome::Holds
        );
        let grouped = "(a = 1 or a = 2) and b >= a";
        assert_eq!(check(grouped, sd, &row(&[("a", 2.0), ("b", 3.0)])), Outcome::Holds);
        assert!(matches!(
            check(grouped, sd, &row(&[("a", 3.0), ("b", 3.0)])),
            Outcome::Fails(_)
        ));
        assert_eq!(parse("x between 1 and 2 and y > 0", sd).unwrap().fields(), ["x", "y"]);
    }

    #[test]
    fn python_semantics_of_missing_values() {
        let py = Syntax::Python;
        let rule = "jumlah == laki_laki + perempuan";
        let int = |n: f64| Val::Num(n, NumKind::Int);
        let dec = |n: f64| Val::Num(n, NumKind::Decimal);
        let r = [("jumlah", dec(10.0)), ("laki_laki", int(4.0)), ("perempuan", int(6.0))];
        assert_eq!(check(rule, py, &typed(&r)), Outcome::Holds);
        // An empty `jumlah` is None: `None == 10` is false.
        let r = [("laki_laki", int(4.0)), ("perempuan", int(6.0))];
        assert_eq!(check(rule, py, &typed(&r)), Outcome::Fails("None = 10".into()));
        // An empty `perempuan`: `4 + None` raises.
        let r = [("jumlah", dec(10.0)), ("laki_laki", int(4.0))];
        assert_eq!(check(rule, py, &typed(&r)), Outcome::Raises("4 + None".into()));
        // `!=` with None holds unless both are None.
        assert_eq!(check("a != b", py, &typed(&[("b", int(1.0))])), Outcome::Holds);
        assert!(matches!(check("a != b", py, &typed(&[])), Outcome::Fails(_)));
        assert_eq!(check("a == None", py, &typed(&[])), Outcome::Holds);
        // Ordering with None raises, unless `or` has already decided.
        assert_eq!(check("a > 0", py, &typed(&[])), Outcome::Raises("None > 0".into()));
        assert_eq!(check("b > 0 or a > 0", py, &typed(&[("b", int(1.0))])), Outcome::Holds);
        // A chain stops at its first false link, like Python's.
        assert!(matches!(
            check("0 <= a <= b", py, &typed(&[("a", int(-1.0))])),
            Outcome::Fails(_)
        ));
        assert_eq!(check("0 <= a <= 100", py, &typed(&[("a", int(50.0))])), Outcome::Holds);
        // A bare value is tested for truth.
        assert_eq!(check("a", py, &typed(&[("a", int(2.0))])), Outcome::Holds);
        assert!(matches!(
            check("a and b", py, &typed(&[("a", int(2.0))])),
            Outcome::Fails(_)
        ));
        assert_eq!(
            check("aktif == True", py, &typed(&[("aktif", int(1.0))])),
            Outcome::Holds
        );
    }

    #[test]
    fn python_number_kinds_and_dates() {
        let py = Syntax::Python;
        let dec = |n: f64| Val::Num(n, NumKind::Decimal);
        let int = |n: f64| Val::Num(n, NumKind::Int);
        // Decimal and float do not mix in arithmetic, but compare.
        assert_eq!(
            check("gaji * 0.5 > 1", py, &typed(&[("gaji", dec(4.0))])),
            Outcome::Raises("4 * 0.5".into())
        );
        assert_eq!(check("gaji > 1.5", py, &typed(&[("gaji", dec(4.0))])), Outcome::Holds);
        assert_eq!(
            check(
                "gaji > bonus * 2",
                py,
                &typed(&[("gaji", dec(5.0)), ("bonus", dec(2.0))])
            ),
            Outcome::Holds
        );
        // int / int is a float, which then cannot meet a Decimal.
        assert!(matches!(
            check(
                "a / b + c > 0",
                py,
                &typed(&[("a", int(1.0)), ("b", int(2.0)), ("c", dec(1.0))])
            ),
            Outcome::Raises(_)
        ));
        let date = |d: f64| Val::When(d, WhenKind::Date);
        let r = [("mulai", date(19_000.0)), ("selesai", date(19_010.0))];
        assert_eq!(check("selesai >= mulai", py, &typed(&r)), Outcome::Holds);
        assert_eq!(
            check("selesai - mulai > 5", py, &typed(&r)),
            Outcome::Raises("2022-01-18 - 2022-01-08".into())
        );
        assert!(matches!(check("selesai > 5", py, &typed(&r)), Outcome::Raises(_)));
        assert!(matches!(check("selesai == 5", py, &typed(&r)), Outcome::Fails(_)));
        let time = |s: f64| Val::When(s * 1e9, WhenKind::Time);
        assert_eq!(
            check(
                "buka < tutup",
                py,
                &typed(&[("buka", time(36_000.0)), ("tutup", time(3_600.0))])
            ),
            Outcome::Fails("10:00:00 < 01:00:00".into())
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
            "a > 0 and",
            "a and b",
            "a ** 2 = 4",
        ] {
            assert!(parse(bad, Syntax::SatuData).is_err(), "{bad}");
        }
        for bad in [
            "a = b",
            "a <> b",
            "a between 1 and 2",
            "a == 'x'",
            "a // 2 == 1",
            "(a == b",
            "a ==",
        ] {
            assert!(parse(bad, Syntax::Python).is_err(), "{bad}");
        }
    }
}
