//! Cross-field rules: `jumlah = laki_laki + perempuan`, `persentase between 0 and 100`,
//! `tanggal_selesai >= tanggal_mulai`, and Frictionless' `row-constraint` formulas, which are
//! Python expressions (`jumlah == laki_laki + perempuan and kode in ('A', 'B')`).
//!
//! A rule is parsed once into a tree over column names, numbers and texts, then evaluated per
//! row. Evaluation follows Python, which is what Frictionless runs (through `simpleeval`): a
//! missing value is `None`, `None == None` holds, and arithmetic or ordering with `None` raises;
//! an integer divided by an integer is a float, `%` and `//` floor as Python's do (a `Decimal`'s
//! truncate), `**` binds tighter than a unary minus on its left, and a `number` column's value
//! (a `Decimal` in Frictionless) cannot be mixed with a float in arithmetic; a text compares
//! equal only to a text and orders only against one; dates and times compare only with their
//! own kind and take no arithmetic; `int()`, `float()` and `str()` convert as Python's do.
//! Satu Data's consistency rules give every value as a float (dates as day numbers) and skip a
//! row where one is missing, so for them this is plain arithmetic.

use std::fmt;
use std::sync::Arc;

/// The syntax a rule is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// Satu Data's: `=` or `==`, `<>`, `between … and …` (`antara … dan …`), `and`/`dan`,
    /// `or`/`atau`, `not`/`bukan`, `+ - * / %`; the whole rule must compare.
    SatuData,
    /// Python's, as a Frictionless `row-constraint` formula: `==`, chained comparisons
    /// (`0 <= x <= 100`), `in`/`not in`, `is None`, `and`, `or`, `not`, `+ - * / // % **`,
    /// `True`, `False`, `None`, texts, `int()`, `float()`, `str()`, and a bare value tested for
    /// truth.
    Python,
}

/// What kind of number a value is, as Python sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumKind {
    /// `bool`: boolean columns, `True` and `False`; arithmetic on it gives an `int`.
    Bool,
    /// `int`: integer and year columns, whole literals.
    Int,
    /// `float`: literals with a decimal point or an exponent, results of `/` on integers.
    Float,
    /// `Decimal`: Frictionless' `number` columns.
    Decimal,
}

impl NumKind {
    /// The kind of an arithmetic result on the two kinds; `None` where Python raises (a
    /// `Decimal` with a `float`).
    fn mix(self, other: NumKind) -> Option<NumKind> {
        match (self, other) {
            (NumKind::Decimal, NumKind::Float) | (NumKind::Float, NumKind::Decimal) => None,
            (NumKind::Decimal, _) | (_, NumKind::Decimal) => Some(NumKind::Decimal),
            (NumKind::Float, _) | (_, NumKind::Float) => Some(NumKind::Float),
            _ => Some(NumKind::Int),
        }
    }
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
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// No value (an empty or invalid cell): Python's `None`.
    None,
    /// A number.
    Num(f64, NumKind),
    /// A date or time.
    When(f64, WhenKind),
    /// A text (Python's `str`): a `string` column's value or a literal.
    Text(Arc<str>),
}

/// Python's `MAX_POWER` in `simpleeval`: `a ** b` raises when `abs(a)` or `abs(b)` is larger.
const MAX_POWER: f64 = 4_000_000.0;

/// `simpleeval`'s `MAX_STRING_LENGTH`: joining or repeating texts beyond it raises.
const MAX_STRING_LENGTH: usize = 100_000;

impl Val {
    /// A number of `kind`; an integer zero loses its sign, as Python's `int` has none.
    fn num(n: f64, kind: NumKind) -> Val {
        match kind {
            NumKind::Bool | NumKind::Int | NumKind::Decimal if n == 0.0 => Val::Num(0.0, kind),
            _ => Val::Num(n, kind),
        }
    }

    fn text(s: impl Into<Arc<str>>) -> Val {
        Val::Text(s.into())
    }

    fn truthy(&self) -> bool {
        match self {
            Val::None => false,
            Val::Num(n, _) => *n != 0.0,
            Val::When(..) => true,
            Val::Text(s) => !s.is_empty(),
        }
    }

    /// The value as the finding shows it: numbers through `fmt`, texts quoted.
    fn show(&self, fmt: &dyn Fn(f64) -> String) -> String {
        match self {
            Val::None => "None".into(),
            Val::Num(n, NumKind::Bool) => if *n != 0.0 { "True" } else { "False" }.into(),
            Val::Num(n, _) => fmt(*n),
            Val::Text(s) => quoted(s),
            Val::When(v, kind) => {
                let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
                let shown = match kind {
                    WhenKind::Date => epoch
                        .checked_add_signed(chrono::Duration::days(*v as i64))
                        .map(|d| d.to_string()),
                    WhenKind::Datetime => chrono::DateTime::from_timestamp_millis(*v as i64)
                        .map(|t| t.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string()),
                    WhenKind::Time => Some(
                        (chrono::NaiveTime::MIN + chrono::Duration::nanoseconds(*v as i64))
                            .format("%H:%M:%S%.f")
                            .to_string(),
                    ),
                };
                shown.unwrap_or_else(|| fmt(*v))
            }
        }
    }
}

/// A text as Python's `repr` writes it: in single quotes unless it holds one and no double.
fn quoted(s: &str) -> String {
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

/// An arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::FloorDiv => "//",
            Op::Mod => "%",
            Op::Pow => "**",
        })
    }
}

/// A function a Python rule may call: `simpleeval`'s default ones that always give the same
/// answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    Int,
    Float,
    Str,
}

impl fmt::Display for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Func::Int => "int",
            Func::Float => "float",
            Func::Str => "str",
        })
    }
}

/// The brackets of a list (`[…]`), tuple (`(…)`) or set (`{…}`) after `in`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bracket {
    Round,
    Square,
    Curly,
}

/// An arithmetic expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Number(f64, NumKind),
    Text(Arc<str>),
    None,
    Field(String),
    Neg(Box<Expr>),
    Pos(Box<Expr>),
    Binary(Box<Expr>, Op, Box<Expr>),
    Call(Func, Vec<Expr>),
    /// A list, tuple or set of values: only the right side of `in` and `not in`.
    Items(Bracket, Vec<Expr>),
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
    In,
    NotIn,
    /// `is`, only against `None`.
    Is,
    /// `is not`, only against `None`.
    IsNot,
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
            Cmp::In => "in",
            Cmp::NotIn => "not in",
            Cmp::Is => "is",
            Cmp::IsNot => "is not",
        })
    }
}

impl Cmp {
    /// The comparison that holds when this one does not, as a finding shows it (`≠` for `=`).
    fn negated(self) -> &'static str {
        match self {
            Cmp::Eq => "≠",
            Cmp::Ne => "=",
            Cmp::Lt => "≥",
            Cmp::Le => ">",
            Cmp::Gt => "≤",
            Cmp::Ge => "<",
            Cmp::In => "not in",
            Cmp::NotIn => "in",
            Cmp::Is => "is not",
            Cmp::IsNot => "is",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64, NumKind),
    Text(String),
    Ident(String),
    Op(Op),
    Cmp(Cmp),
    Open,
    Close,
    OpenSquare,
    CloseSquare,
    OpenCurly,
    CloseCurly,
    Comma,
    Dot,
}

/// Python's keywords, which cannot name a column in a formula.
const PYTHON_KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
    "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
    "return", "try", "while", "with", "yield",
];

fn tokenize(text: &str, syntax: Syntax) -> Result<Vec<Token>, String> {
    let python = syntax == Syntax::Python;
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    // How many brackets are open: Python allows line breaks and `name=value` only inside them.
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' => i += 1,
            '\n' | '\r' | '\x0c' if python && depth > 0 => i += 1,
            '#' if python => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '(' | '[' | '{' if python || c == '(' => {
                tokens.push(match c {
                    '(' => Token::Open,
                    '[' => Token::OpenSquare,
                    _ => Token::OpenCurly,
                });
                depth += 1;
                i += 1;
            }
            ')' | ']' | '}' if python || c == ')' => {
                tokens.push(match c {
                    ')' => Token::Close,
                    ']' => Token::CloseSquare,
                    _ => Token::CloseCurly,
                });
                depth = depth.saturating_sub(1);
                i += 1;
            }
            ',' if python => {
                tokens.push(Token::Comma);
                i += 1;
            }
            '+' | '-' | '*' | '/' | '%' => {
                let doubled = next == Some(c) && matches!(c, '*' | '/');
                if doubled && !python {
                    return Err(format!("'{c}{c}' is not supported"));
                }
                tokens.push(Token::Op(match (c, doubled) {
                    ('+', _) => Op::Add,
                    ('-', _) => Op::Sub,
                    ('*', false) => Op::Mul,
                    ('*', true) => Op::Pow,
                    ('/', false) => Op::Div,
                    ('/', true) => Op::FloorDiv,
                    _ => Op::Mod,
                }));
                i += if doubled { 2 } else { 1 };
            }
            '&' | '|' | '^' | '~' if python => {
                return Err(format!(
                    "bitwise operator '{c}' is not supported (combine conditions with 'and', 'or', 'not')"
                ));
            }
            '=' | '!' | '<' | '>' => {
                let (cmp, len) = match (c, next) {
                    ('=', Some('=')) => (Cmp::Eq, 2),
                    ('=', _) if python && depth > 0 => {
                        return Err("keyword arguments (name=value) are not supported".into());
                    }
                    ('=', _) if python => return Err("write '==' to compare".into()),
                    ('=', _) => (Cmp::Eq, 1),
                    ('!', Some('=')) => (Cmp::Ne, 2),
                    ('<' | '>', Some(n)) if python && n == c => {
                        return Err(format!("bitwise shift '{c}{c}' is not supported"));
                    }
                    ('<', Some('=')) => (Cmp::Le, 2),
                    ('<', Some('>')) if python => return Err("write '!=' for 'not equal'".into()),
                    ('<', Some('>')) => (Cmp::Ne, 2),
                    ('<', _) => (Cmp::Lt, 1),
                    ('>', Some('=')) => (Cmp::Ge, 2),
                    ('>', _) => (Cmp::Gt, 1),
                    _ => return Err(format!("unexpected '{c}'")),
                };
                tokens.push(Token::Cmp(cmp));
                i += len;
            }
            '.' if python && !next.is_some_and(|n| n.is_ascii_digit()) => {
                tokens.push(Token::Dot);
                i += 1;
            }
            c if python && (c.is_ascii_digit() || c == '.') => {
                let (n, kind, end) = python_number(&chars, i)?;
                tokens.push(Token::Number(n, kind));
                i = end;
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
            '\'' | '"' if python => {
                let (s, end) = python_string(&chars, i, false)?;
                tokens.push(Token::Text(s));
                i = end;
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if python && matches!(chars.get(i), Some('\'' | '"')) {
                    match word.to_ascii_lowercase().as_str() {
                        "r" | "u" => {
                            let (s, end) = python_string(&chars, i, word.eq_ignore_ascii_case("r"))?;
                            tokens.push(Token::Text(s));
                            i = end;
                            continue;
                        }
                        "b" | "br" | "rb" => {
                            return Err("bytes literals (b'…') are not supported: they never equal a text".into());
                        }
                        "f" | "fr" | "rf" => return Err("f-strings (f'…') are not supported".into()),
                        _ => return Err(format!("unexpected text {word} before a quote")),
                    }
                }
                tokens.push(Token::Ident(word));
            }
            c => return Err(format!("unexpected '{c}'")),
        }
    }
    Ok(tokens)
}

/// Reads a Python number literal at `start`: `12`, `1_000`, `0x1F`, `1.5`, `.5`, `2e3`. Returns
/// its value, kind and where it ends.
fn python_number(chars: &[char], start: usize) -> Result<(f64, NumKind, usize), String> {
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    // Digits in `radix` with single underscores between them, from `i`; returns the end.
    let digits = |mut i: usize, radix: u32| {
        while at(i).is_digit(radix) || (at(i) == '_' && at(i + 1).is_digit(radix) && i > start) {
            i += 1;
        }
        i
    };
    let mut i = start;
    let radix = match (at(i), at(i + 1).to_ascii_lowercase()) {
        ('0', 'x') => 16,
        ('0', 'o') => 8,
        ('0', 'b') => 2,
        _ => 10,
    };
    let literal = |end: usize| chars[start..end].iter().collect::<String>();
    let (value, kind) = if radix != 10 {
        i += 2;
        if at(i) == '_' {
            i += 1;
        }
        let end = digits(i, radix);
        if end == i {
            return Err(format!("bad number {}", literal(end.max(i))));
        }
        let value = chars[i..end]
            .iter()
            .filter_map(|c| c.to_digit(radix))
            .fold(0.0, |v, d| v * f64::from(radix) + f64::from(d));
        i = end;
        (value, NumKind::Int)
    } else {
        i = digits(i, 10);
        let mut kind = NumKind::Int;
        if at(i) == '.' {
            kind = NumKind::Float;
            i += 1;
            if at(i).is_ascii_digit() {
                i = digits(i, 10);
            }
        }
        if matches!(at(i), 'e' | 'E') {
            let sign = usize::from(matches!(at(i + 1), '+' | '-'));
            if at(i + 1 + sign).is_ascii_digit() {
                kind = NumKind::Float;
                i = digits(i + 1 + sign, 10);
            }
        }
        let text: String = chars[start..i].iter().filter(|c| **c != '_').collect();
        if kind == NumKind::Int && text.len() > 1 && text.starts_with('0') && text.chars().any(|c| c != '0') {
            return Err(format!(
                "leading zeros are not allowed in {} (Python refuses it)",
                literal(i)
            ));
        }
        (text.parse().map_err(|_| format!("bad number {}", literal(i)))?, kind)
    };
    if matches!(at(i), 'j' | 'J') {
        return Err(format!("complex numbers ({}j) are not supported", literal(i)));
    }
    if at(i).is_alphanumeric() || at(i) == '_' || at(i) == '.' {
        return Err(format!("bad number {}", literal(i + 1)));
    }
    Ok((value, kind, i))
}

/// Reads a Python text literal whose quote is at `start` (`'…'`, `"…"`, `'''…'''`), with its
/// escapes unless `raw`. Returns the text and where the literal ends.
fn python_string(chars: &[char], start: usize, raw: bool) -> Result<(String, usize), String> {
    let quote = chars[start];
    let triple = chars.get(start + 1) == Some(&quote) && chars.get(start + 2) == Some(&quote);
    let unterminated = || Err(format!("unterminated text starting with {quote}"));
    let mut out = String::new();
    let mut i = start + if triple { 3 } else { 1 };
    loop {
        let Some(&c) = chars.get(i) else {
            return unterminated();
        };
        if c == quote && (!triple || (chars.get(i + 1) == Some(&quote) && chars.get(i + 2) == Some(&quote))) {
            return Ok((out, i + if triple { 3 } else { 1 }));
        }
        if !triple && matches!(c, '\n' | '\r') {
            return unterminated();
        }
        if c != '\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let Some(&e) = chars.get(i + 1) else {
            return unterminated();
        };
        i += 2;
        if raw {
            out.push('\\');
            out.push(e);
            continue;
        }
        // A code point written with exactly `len` hex digits after the escape letter.
        let hex = |len: usize, i: usize| -> Result<char, String> {
            let digits: String = chars.get(i..i + len).unwrap_or_default().iter().collect();
            if digits.len() != len || !digits.chars().all(|d| d.is_ascii_hexdigit()) {
                return Err(format!("truncated \\{e} escape in a text"));
            }
            u32::from_str_radix(&digits, 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("escape \\{e}{digits} is not a character satudata can hold"))
        };
        match e {
            '\n' => {}
            '\\' | '\'' | '"' => out.push(e),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut code = 0;
                let mut len = 0;
                while len < 3
                    && let Some(d) = chars.get(i - 1 + len).and_then(|c| c.to_digit(8))
                {
                    code = code * 8 + d;
                    len += 1;
                }
                i += len - 1;
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            'x' | 'u' | 'U' => {
                let len = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                out.push(hex(len, i)?);
                i += len;
            }
            'N' => return Err("\\N{…} escapes are not supported".into()),
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
}

/// How deep a rule may nest: each bracket, `not`, sign and chained operator (`a + b + c` has two)
/// is one level. Parsing and evaluating recurse once a level, so this bounds the stack they take
/// whatever the rule's length (4,000 brackets, or a sum of 20,000 terms, overflowed it: docs/FUZZING.md).
const MAX_DEPTH: usize = 256;

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    syntax: Syntax,
    /// Levels open now; see [`MAX_DEPTH`].
    depth: usize,
}

impl Parser {
    fn python(&self) -> bool {
        self.syntax == Syntax::Python
    }

    /// Opens one more level, or fails past [`MAX_DEPTH`]; whoever opens it closes it on success
    /// (`self.depth -= 1`), and a parse that backtracks restores the depth it started at.
    fn descend(&mut self) -> Result<(), String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!(
                "the rule nests deeper than {MAX_DEPTH} levels (brackets, not, signs, operators in a row)"
            ));
        }
        self.depth += 1;
        Ok(())
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    /// Whether the token `ahead` of the next one is the word `w`.
    fn is_word(&self, ahead: usize, w: &str) -> bool {
        matches!(self.tokens.get(self.pos + ahead), Some(Token::Ident(x)) if x == w)
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
        let mut links = 0;
        while self.word("or", &["atau"]) {
            self.descend()?;
            links += 1;
            left = Rule::Or(Box::new(left), Box::new(self.and()?));
        }
        self.depth -= links;
        Ok(left)
    }

    fn and(&mut self) -> Result<Rule, String> {
        let mut left = self.not()?;
        let mut links = 0;
        while self.word("and", &["dan"]) {
            self.descend()?;
            links += 1;
            left = Rule::And(Box::new(left), Box::new(self.not()?));
        }
        self.depth -= links;
        Ok(left)
    }

    fn not(&mut self) -> Result<Rule, String> {
        self.descend()?;
        let rule = self.negation()?;
        self.depth -= 1;
        Ok(rule)
    }

    fn negation(&mut self) -> Result<Rule, String> {
        if self.word("not", &["bukan"]) {
            return Ok(Rule::Not(Box::new(self.not()?)));
        }
        // `(` opens either arithmetic (`(a + b) > c`) or a rule (`(a > b or c > d) and …`).
        let (start, depth) = (self.pos, self.depth);
        match self.comparison() {
            Ok(rule) => Ok(rule),
            Err(e) if self.tokens.get(start) == Some(&Token::Open) => {
                self.pos = start + 1;
                self.depth = depth;
                let rule = self.or().map_err(|_| e)?;
                match self.next() {
                    Some(Token::Close) => Ok(rule),
                    _ => Err("missing ')'".into()),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// The comparison operator next, if any, consumed: a symbol, or (Python) `in`, `not in`,
    /// `is`, `is not`.
    fn comparator(&mut self) -> Option<Cmp> {
        if let Some(Token::Cmp(cmp)) = self.peek().cloned() {
            self.pos += 1;
            return Some(cmp);
        }
        if !self.python() {
            return None;
        }
        let (cmp, len) = if self.is_word(0, "in") {
            (Cmp::In, 1)
        } else if self.is_word(0, "not") && self.is_word(1, "in") {
            (Cmp::NotIn, 2)
        } else if self.is_word(0, "is") && self.is_word(1, "not") {
            (Cmp::IsNot, 2)
        } else if self.is_word(0, "is") {
            (Cmp::Is, 1)
        } else {
            return None;
        };
        self.pos += len;
        Some(cmp)
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
        let mut links: Vec<(Cmp, Expr)> = Vec::new();
        while let Some(cmp) = self.comparator() {
            let right = match cmp {
                Cmp::In | Cmp::NotIn => self.container()?,
                _ => self.expr()?,
            };
            if matches!(cmp, Cmp::Is | Cmp::IsNot) {
                let before = links.last().map_or(&left, |(_, e)| e);
                if *before != Expr::None && right != Expr::None {
                    return Err("'is' and 'is not' are only supported against None (x is None)".into());
                }
            }
            let items = matches!(right, Expr::Items(..));
            links.push((cmp, right));
            if items && let Some(t) = self.peek() {
                if matches!(t, Token::Cmp(_)) || self.is_word(0, "in") || self.is_word(0, "is") {
                    return Err("a list or tuple must end its comparison".into());
                }
                if matches!(t, Token::Op(_)) {
                    return Err("arithmetic on a list or tuple is not supported".into());
                }
            }
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

    /// The right side of `in`: a list, tuple or set written out, or any value.
    fn container(&mut self) -> Result<Expr, String> {
        let (bracket, close) = match self.peek() {
            Some(Token::OpenSquare) => (Bracket::Square, Token::CloseSquare),
            Some(Token::OpenCurly) => (Bracket::Curly, Token::CloseCurly),
            Some(Token::Open) => {
                // `(…)` is a tuple when empty or when a comma follows its first value.
                let (start, depth) = (self.pos, self.depth);
                self.pos += 1;
                if self.peek() == Some(&Token::Close) {
                    self.pos += 1;
                    return Ok(Expr::Items(Bracket::Round, Vec::new()));
                }
                if let Ok(first) = self.expr()
                    && self.peek() == Some(&Token::Comma)
                {
                    self.pos += 1;
                    let mut items = vec![first];
                    items.extend(self.items(&Token::Close, ")")?);
                    return Ok(Expr::Items(Bracket::Round, items));
                }
                self.pos = start;
                self.depth = depth;
                return self.expr();
            }
            _ => return self.expr(),
        };
        self.pos += 1;
        let closing = if bracket == Bracket::Square { "]" } else { "}" };
        Ok(Expr::Items(bracket, self.items(&close, closing)?))
    }

    /// Values separated by commas up to `close`, which is consumed; a trailing comma is allowed.
    fn items(&mut self, close: &Token, closing: &str) -> Result<Vec<Expr>, String> {
        let mut items = Vec::new();
        loop {
            if self.peek() == Some(close) {
                self.pos += 1;
                return Ok(items);
            }
            items.push(self.expr()?);
            match self.next() {
                Some(Token::Comma) => {}
                Some(t) if t == *close => return Ok(items),
                _ => return Err(format!("missing '{closing}' (or ',' between values)")),
            }
        }
    }

    fn expr(&mut self) -> Result<Expr, String> {
        let mut left = self.term()?;
        let mut links = 0;
        while let Some(Token::Op(op @ (Op::Add | Op::Sub))) = self.peek().cloned() {
            self.pos += 1;
            self.descend()?;
            links += 1;
            left = Expr::Binary(Box::new(left), op, Box::new(self.term()?));
        }
        self.depth -= links;
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        let mut links = 0;
        while let Some(Token::Op(op @ (Op::Mul | Op::Div | Op::FloorDiv | Op::Mod))) = self.peek().cloned() {
            self.pos += 1;
            self.descend()?;
            links += 1;
            left = Expr::Binary(Box::new(left), op, Box::new(self.unary()?));
        }
        self.depth -= links;
        Ok(left)
    }

    /// A unary minus (or Python's plus) binds looser than `**` on its right: `-2 ** 2` is `-4`.
    fn unary(&mut self) -> Result<Expr, String> {
        self.descend()?;
        let expr = self.signed()?;
        self.depth -= 1;
        Ok(expr)
    }

    fn signed(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some(Token::Op(Op::Sub)) => {
                self.pos += 1;
                Ok(Expr::Neg(Box::new(self.unary()?)))
            }
            Some(Token::Op(Op::Add)) if self.python() => {
                self.pos += 1;
                Ok(Expr::Pos(Box::new(self.unary()?)))
            }
            _ => self.power(),
        }
    }

    /// `**` groups to the right and takes a unary operand: `2 ** -1`, `2 ** 3 ** 2`.
    fn power(&mut self) -> Result<Expr, String> {
        let base = self.primary()?;
        if self.peek() == Some(&Token::Op(Op::Pow)) {
            self.pos += 1;
            return Ok(Expr::Binary(Box::new(base), Op::Pow, Box::new(self.unary()?)));
        }
        Ok(base)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let python = self.python();
        let atom = match self.next() {
            Some(Token::Number(n, kind)) => Expr::Number(n, kind),
            Some(Token::Text(mut s)) => {
                // Python joins texts written next to each other: `'a' 'b'` is `'ab'`.
                while let Some(Token::Text(more)) = self.peek() {
                    s.push_str(more);
                    self.pos += 1;
                }
                Expr::Text(s.into())
            }
            Some(Token::Ident(name)) if python && name == "True" => Expr::Number(1.0, NumKind::Bool),
            Some(Token::Ident(name)) if python && name == "False" => Expr::Number(0.0, NumKind::Bool),
            Some(Token::Ident(name)) if python && name == "None" => Expr::None,
            Some(Token::Ident(name)) if python && name == "if" => {
                return Err("conditional expressions (x if c else y) are not supported".into());
            }
            Some(Token::Ident(name)) if python && name == "lambda" => {
                return Err("lambda is not supported".into());
            }
            Some(Token::Ident(name))
                if ["and", "or", "not"].contains(&name.as_str())
                    || (python && PYTHON_KEYWORDS.contains(&name.as_str())) =>
            {
                return Err(format!("expected a value, found '{name}'"));
            }
            Some(Token::Ident(name)) if self.peek() == Some(&Token::Open) => self.call(name)?,
            Some(Token::Ident(name)) => Expr::Field(name),
            Some(Token::Open) => {
                let e = self.expr()?;
                match self.next() {
                    Some(Token::Close) => e,
                    Some(Token::Comma) => return Err("tuples are only supported after 'in' or 'not in'".into()),
                    _ => return Err("missing ')'".into()),
                }
            }
            Some(Token::OpenSquare | Token::OpenCurly) => {
                return Err("lists, tuples and sets are only supported after 'in' or 'not in'".into());
            }
            None => return Err("expected a value, found the end of the rule".into()),
            Some(other) => return Err(format!("expected a value, found {}", describe(&other))),
        };
        match self.peek() {
            Some(Token::OpenSquare) => Err("indexing and slicing (x[0], x[1:3]) are not supported".into()),
            Some(Token::Dot) => Err("attributes and methods (x.upper()) are not supported".into()),
            Some(Token::Open) if python => Err("only int(), float() and str() can be called".into()),
            _ => Ok(atom),
        }
    }

    /// A call of `name`, whose `(` is next: `int(x)`, `float(x)`, `str(x)`, `int(x, 16)`.
    fn call(&mut self, name: String) -> Result<Expr, String> {
        if !self.python() {
            return Err(format!("function calls ({name}(…)) are not supported"));
        }
        let func = match name.as_str() {
            "int" => Func::Int,
            "float" => Func::Float,
            "str" => Func::Str,
            "rand" | "randint" => {
                return Err(format!(
                    "{name}() gives a random number, so the rule would not give the same answer twice"
                ));
            }
            _ => {
                return Err(format!(
                    "unknown function {name}(): a row constraint can call int(), float() and str()"
                ));
            }
        };
        self.pos += 1;
        let args = self.items(&Token::Close, ")")?;
        let most = if func == Func::Int { 2 } else { 1 };
        if args.len() > most {
            return Err(format!("{func}() takes at most {most} argument(s) here"));
        }
        Ok(Expr::Call(func, args))
    }
}

/// A token as an error message names it.
fn describe(token: &Token) -> String {
    match token {
        Token::Number(n, _) => n.to_string(),
        Token::Text(s) => quoted(s),
        Token::Ident(w) => format!("'{w}'"),
        Token::Op(op) => format!("'{op}'"),
        Token::Cmp(cmp) => format!(
            "'{}'",
            if *cmp == Cmp::Eq {
                "==".to_owned()
            } else {
                cmp.to_string()
            }
        ),
        Token::Open => "'('".into(),
        Token::Close => "')'".into(),
        Token::OpenSquare => "'['".into(),
        Token::CloseSquare => "']'".into(),
        Token::OpenCurly => "'{'".into(),
        Token::CloseCurly => "'}'".into(),
        Token::Comma => "','".into(),
        Token::Dot => "'.'".into(),
    }
}

/// Parses a rule written in `syntax`.
pub(crate) fn parse(text: &str, syntax: Syntax) -> Result<Rule, String> {
    let mut p = Parser {
        tokens: tokenize(text, syntax)?,
        pos: 0,
        syntax,
        depth: 0,
    };
    let rule = p.or()?;
    match p.peek() {
        None => Ok(rule),
        Some(Token::Ident(w)) if syntax == Syntax::Python && w == "if" => {
            Err("conditional expressions (x if c else y) are not supported".into())
        }
        Some(Token::Comma) if syntax == Syntax::Python => {
            Err("a ',' outside brackets makes a tuple, which is always true: join conditions with 'and'".into())
        }
        Some(t @ (Token::Close | Token::CloseSquare | Token::CloseCurly)) => {
            Err(format!("unbalanced {}: no bracket to close", describe(t)))
        }
        Some(t) => Err(format!("unexpected {} after the rule", describe(t))),
    }
}

/// Why evaluation stopped, as Python would raise it: the operation that failed, with its values.
type Raised = String;

impl Expr {
    pub(crate) fn fields<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Number(..) | Expr::Text(_) | Expr::None => {}
            Expr::Field(f) => out.push(f),
            Expr::Neg(e) | Expr::Pos(e) => e.fields(out),
            Expr::Binary(a, _, b) => {
                a.fields(out);
                b.fields(out);
            }
            Expr::Call(_, items) | Expr::Items(_, items) => {
                for e in items {
                    e.fields(out);
                }
            }
        }
    }

    /// Evaluates with `value` giving each field's value.
    fn eval(&self, value: &dyn Fn(&str) -> Val, fmt: &dyn Fn(f64) -> String) -> Result<Val, Raised> {
        match self {
            Expr::Number(n, kind) => Ok(Val::Num(*n, *kind)),
            Expr::Text(s) => Ok(Val::Text(s.clone())),
            Expr::None => Ok(Val::None),
            Expr::Field(f) => Ok(value(f)),
            Expr::Neg(e) => match e.eval(value, fmt)? {
                Val::Num(n, kind) => Ok(Val::num(-n, kind.mix(NumKind::Int).unwrap_or(kind))),
                other => Err(format!("-{}", other.show(fmt))),
            },
            Expr::Pos(e) => match e.eval(value, fmt)? {
                Val::Num(n, kind) => Ok(Val::num(n, kind.mix(NumKind::Int).unwrap_or(kind))),
                other => Err(format!("+{}", other.show(fmt))),
            },
            Expr::Binary(a, op, b) => {
                let (x, y) = (a.eval(value, fmt)?, b.eval(value, fmt)?);
                binary(&x, *op, &y).ok_or_else(|| format!("{} {op} {}", x.show(fmt), y.show(fmt)))
            }
            Expr::Call(func, args) => {
                let args = args.iter().map(|a| a.eval(value, fmt)).collect::<Result<Vec<_>, _>>()?;
                call(*func, &args).ok_or_else(|| {
                    let shown: Vec<String> = args.iter().map(|a| a.show(fmt)).collect();
                    format!("{func}({})", shown.join(", "))
                })
            }
            // The parser puts a list only after `in`, where `Rule::eval` reads it.
            Expr::Items(..) => Err("a list outside 'in'".into()),
        }
    }
}

/// `x op y` as Python computes it; `None` where Python raises.
fn binary(x: &Val, op: Op, y: &Val) -> Option<Val> {
    match (x, y) {
        (Val::Num(p, pk), Val::Num(q, qk)) => arithmetic(*p, *pk, op, *q, *qk),
        (Val::Text(a), Val::Text(b)) if op == Op::Add => {
            (a.chars().count() + b.chars().count() <= MAX_STRING_LENGTH).then(|| Val::text(format!("{a}{b}")))
        }
        (Val::Text(s), Val::Num(n, NumKind::Int | NumKind::Bool))
        | (Val::Num(n, NumKind::Int | NumKind::Bool), Val::Text(s))
            if op == Op::Mul =>
        {
            let times = n.max(0.0);
            (times * s.chars().count() as f64 <= MAX_STRING_LENGTH as f64).then(|| Val::text(s.repeat(times as usize)))
        }
        (Val::Text(s), arg) if op == Op::Mod => percent_format(s, arg).map(Val::text),
        _ => None,
    }
}

/// Arithmetic on two numbers as Python does it for their kinds; `None` where Python raises.
fn arithmetic(p: f64, pk: NumKind, op: Op, q: f64, qk: NumKind) -> Option<Val> {
    if op == Op::Pow && (p.abs() > MAX_POWER || q.abs() > MAX_POWER) {
        return None;
    }
    let kind = pk.mix(qk)?;
    let decimal = kind == NumKind::Decimal;
    let n = match op {
        Op::Add => p + q,
        Op::Sub => p - q,
        Op::Mul => p * q,
        _ if q == 0.0 && op != Op::Pow => return None,
        Op::Div => {
            let kind = if kind == NumKind::Int { NumKind::Float } else { kind };
            return Some(Val::num(p / q, kind));
        }
        // A Decimal's `//` truncates and its `%` keeps the dividend's sign.
        Op::FloorDiv if decimal => ((p - p % q) / q).round(),
        Op::Mod if decimal => p % q,
        Op::FloorDiv => floor_div_mod(p, q).0,
        Op::Mod => floor_div_mod(p, q).1,
        Op::Pow => return power(p, q, kind),
    };
    Some(Val::num(n, kind))
}

/// Python's `divmod` on floats (CPython's `float_divmod`): the floored quotient, and the
/// remainder with the divisor's sign. Exact for whole numbers, so `int`s use it too.
fn floor_div_mod(vx: f64, wx: f64) -> (f64, f64) {
    let mut rem = vx % wx;
    let mut div = (vx - rem) / wx;
    if rem != 0.0 {
        if (wx < 0.0) != (rem < 0.0) {
            rem += wx;
            div -= 1.0;
        }
    } else {
        rem = 0.0f64.copysign(wx);
    }
    let floor = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 { f + 1.0 } else { f }
    } else {
        0.0f64.copysign(vx / wx)
    };
    (floor, rem)
}

/// `p ** q` for numbers of `kind`; `None` where Python raises.
fn power(p: f64, q: f64, kind: NumKind) -> Option<Val> {
    let whole = q.fract() == 0.0;
    match kind {
        // `int ** int` stays whole unless the exponent is negative, when it is a float.
        NumKind::Int if q >= 0.0 => Some(Val::num(p.powf(q), NumKind::Int)),
        NumKind::Decimal => {
            // `Decimal(0) ** 0` and a negative Decimal to a fractional power raise.
            if (p == 0.0 && q == 0.0) || (p < 0.0 && !whole) {
                return None;
            }
            Some(Val::num(p.powf(q), NumKind::Decimal))
        }
        _ => {
            // Zero to a negative power raises; a negative float to a fractional power is a
            // complex number in Python, which satudata does not model.
            if (p == 0.0 && q < 0.0) || (p < 0.0 && q.is_finite() && !whole) {
                return None;
            }
            let n = p.powf(q);
            // A finite float overflowing raises `OverflowError`.
            (n.is_finite() || !p.is_finite() || !q.is_finite()).then_some(Val::Num(n, NumKind::Float))
        }
    }
}

/// `text % arg` for a single argument: `%s`, `%d`, `%i`, `%u` and `%%`; `None` where Python
/// raises, and for the directives satudata does not format (flags, widths, other conversions).
fn percent_format(text: &str, arg: &Val) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut used = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            conversion @ ('s' | 'd' | 'i' | 'u') if !used => {
                used = true;
                match (conversion, arg) {
                    ('s', _) => out.push_str(&python_str(arg)),
                    (_, Val::Num(..)) => out.push_str(&python_str(&to_int(arg)?)),
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    used.then_some(out)
}

/// `func(args…)` as Python computes it; `None` where Python raises.
fn call(func: Func, args: &[Val]) -> Option<Val> {
    match (func, args) {
        (Func::Int, []) => Some(Val::Num(0.0, NumKind::Int)),
        (Func::Int, [x]) => to_int(x),
        (Func::Int, [Val::Text(s), Val::Num(base, NumKind::Int | NumKind::Bool)]) => {
            if *base == 1.0 || !(0.0..=36.0).contains(base) {
                return None;
            }
            parse_int(s, *base as u32).map(|n| Val::num(n, NumKind::Int))
        }
        (Func::Float, []) => Some(Val::Num(0.0, NumKind::Float)),
        (Func::Float, [Val::Num(n, _)]) => Some(Val::Num(*n, NumKind::Float)),
        (Func::Float, [Val::Text(s)]) => parse_float(s).map(|n| Val::Num(n, NumKind::Float)),
        (Func::Str, []) => Some(Val::text("")),
        (Func::Str, [x]) => Some(Val::text(python_str(x))),
        _ => None,
    }
}

/// Python's `int(x)`: numbers truncate, texts are read as integer literals.
fn to_int(x: &Val) -> Option<Val> {
    match x {
        Val::Num(n, _) if n.is_finite() => Some(Val::num(n.trunc(), NumKind::Int)),
        Val::Text(s) => parse_int(s, 10).map(|n| Val::num(n, NumKind::Int)),
        _ => None,
    }
}

/// Reads a text as Python's `int(text, base)` does: surrounding blanks, a sign, digits with
/// single underscores between them, and for base 0 (or the matching base) a `0x`/`0o`/`0b`
/// prefix.
fn parse_int(text: &str, base: u32) -> Option<f64> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let prefix = t.get(..2).map(str::to_ascii_lowercase);
    let prefixed = match prefix.as_deref() {
        Some("0x") => Some(16),
        Some("0o") => Some(8),
        Some("0b") => Some(2),
        _ => None,
    };
    let (base, digits) = match (base, prefixed) {
        (0, Some(b)) => (b, t.get(2..)?),
        (b, Some(p)) if b == p => (b, t.get(2..)?),
        (0, None) => {
            // Base 0 reads decimals as Python source does: no leading zeros.
            if t.starts_with('0') && t.chars().any(|c| c != '0' && c != '_') {
                return None;
            }
            (10, t)
        }
        (b, _) => (b, t),
    };
    // After a prefix, one underscore may come first: `0x_1f`.
    let digits = match prefixed {
        Some(_) if digits != t => digits.strip_prefix('_').unwrap_or(digits),
        _ => digits,
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    let mut value = 0.0;
    for c in digits.chars().filter(|c| *c != '_') {
        value = value * f64::from(base) + f64::from(c.to_digit(base)?);
    }
    Some(if negative { -value } else { value })
}

/// Reads a text as Python's `float(text)` does: blanks around, underscores only between digits,
/// `inf`, `infinity` and `nan` in any case.
fn parse_float(text: &str) -> Option<f64> {
    let t = text.trim();
    let chars: Vec<char> = t.chars().collect();
    let digit_at = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(char::is_ascii_digit);
    for (i, c) in chars.iter().enumerate() {
        if *c == '_' && !(digit_at(i.checked_sub(1)) && digit_at(Some(i + 1))) {
            return None;
        }
    }
    let cleaned: String = chars.iter().filter(|c| **c != '_').collect();
    // Rust reads a few spellings Python refuses; these are the forms Python takes.
    let body = cleaned.trim_start_matches(['+', '-']);
    let named = ["inf", "infinity", "nan"].iter().any(|w| body.eq_ignore_ascii_case(w));
    if !named && !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') || cleaned.len() - body.len() > 1 {
        return None;
    }
    cleaned.parse().ok()
}

/// Python's `str(x)`.
fn python_str(x: &Val) -> String {
    match x {
        Val::None => "None".into(),
        Val::Num(n, NumKind::Bool) => if *n != 0.0 { "True" } else { "False" }.into(),
        Val::Num(n, NumKind::Int) => whole(*n),
        Val::Num(n, NumKind::Float) => float_repr(*n),
        Val::Num(n, NumKind::Decimal) => decimal_str(*n),
        Val::Text(s) => s.to_string(),
        Val::When(v, kind) => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
            let micros = |t: chrono::NaiveTime| match chrono::Timelike::nanosecond(&t) / 1000 {
                0 => String::new(),
                us => format!(".{us:06}"),
            };
            let shown = match kind {
                WhenKind::Date => epoch
                    .checked_add_signed(chrono::Duration::days(*v as i64))
                    .map(|d| d.to_string()),
                WhenKind::Datetime => chrono::DateTime::from_timestamp_millis(*v as i64).map(|t| {
                    let t = t.naive_utc();
                    format!("{}{}", t.format("%Y-%m-%d %H:%M:%S"), micros(t.time()))
                }),
                WhenKind::Time => {
                    let t = chrono::NaiveTime::MIN + chrono::Duration::nanoseconds(*v as i64);
                    Some(format!("{}{}", t.format("%H:%M:%S"), micros(t)))
                }
            };
            shown.unwrap_or_else(|| whole(*v))
        }
    }
}

/// A whole number written out in full.
fn whole(n: f64) -> String {
    if n.abs() < 9e18 {
        format!("{}", n as i64)
    } else {
        format!("{n:.0}")
    }
}

/// The shortest digits that read back as `n`, and the power of ten of the first one.
fn shortest_digits(n: f64) -> (String, i32) {
    let e = format!("{:e}", n.abs());
    let (mantissa, exponent) = e.split_once('e').unwrap_or((&e, "0"));
    (mantissa.replace('.', ""), exponent.parse().unwrap_or(0))
}

/// Python's `repr` of a float: `1.0`, `0.1`, `1e+16`, `1e-05`, `inf`, `nan`.
fn float_repr(n: f64) -> String {
    if n.is_nan() {
        return "nan".into();
    }
    let sign = if n.is_sign_negative() { "-" } else { "" };
    if n.is_infinite() {
        return format!("{sign}inf");
    }
    if n == 0.0 {
        return format!("{sign}0.0");
    }
    let (digits, exp) = shortest_digits(n);
    if (-4..16).contains(&exp) {
        format!("{sign}{}", place_point(&digits, exp, true))
    } else {
        format!("{sign}{}", scientific(&digits, exp, "e", 2))
    }
}

/// Python's `str` of a `Decimal` holding `n`. A Decimal keeps the zeros it was written with
/// (`12.50`); satudata holds the value only, so this shows the shortest form (`12.5`).
fn decimal_str(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    if n.is_infinite() {
        return format!("{sign}Infinity");
    }
    if n.fract() == 0.0 && n.abs() < 1e16 {
        return whole(n);
    }
    let (digits, exp) = shortest_digits(n);
    let exponent = exp - (digits.len() as i32 - 1);
    if exponent <= 0 && exp >= -6 {
        format!("{sign}{}", place_point(&digits, exp, false))
    } else {
        format!("{sign}{}", scientific(&digits, exp, "E", 1))
    }
}

/// `digits` in scientific notation (`1.25e+07`): the exponent after `mark`, with its sign and
/// at least `width` digits.
fn scientific(digits: &str, exp: i32, mark: &str, width: usize) -> String {
    let (first, rest) = digits.split_at(1);
    let point = if rest.is_empty() { "" } else { "." };
    let exp_sign = if exp < 0 { '-' } else { '+' };
    format!("{first}{point}{rest}{mark}{exp_sign}{:0width$}", exp.abs())
}

/// `digits` with the decimal point after the digit worth `10^exp`; `point_zero` writes `1.0`
/// rather than `1` for whole numbers.
fn place_point(digits: &str, exp: i32, point_zero: bool) -> String {
    if exp < 0 {
        return format!("0.{}{digits}", "0".repeat((-exp - 1) as usize));
    }
    let int_len = exp as usize + 1;
    if digits.len() <= int_len {
        let zeros = "0".repeat(int_len - digits.len());
        return if point_zero {
            format!("{digits}{zeros}.0")
        } else {
            format!("{digits}{zeros}")
        };
    }
    format!("{}.{}", &digits[..int_len], &digits[int_len..])
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Python's `==`: `None` equals `None`, numbers of any kind equal each other (allowing for a
/// tiny floating-point error), dates and times their own kind, texts texts.
fn equal(x: &Val, y: &Val) -> bool {
    match (x, y) {
        (Val::None, Val::None) => true,
        (Val::Num(a, _), Val::Num(b, _)) => close(*a, *b),
        (Val::When(a, k), Val::When(b, l)) => k == l && a == b,
        (Val::Text(a), Val::Text(b)) => a == b,
        _ => false,
    }
}

/// Compares as Python does: `==` between anything, ordering only between numbers, between
/// texts, or between dates/times of one kind; `in` on a text looks for a part of it.
fn compare(x: &Val, cmp: Cmp, y: &Val, fmt: &dyn Fn(f64) -> String) -> Result<bool, Raised> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let raised = || format!("{} {cmp} {}", x.show(fmt), y.show(fmt));
    let both_none = *x == Val::None && *y == Val::None;
    match cmp {
        Cmp::Eq => Ok(equal(x, y)),
        Cmp::Ne => Ok(!equal(x, y)),
        Cmp::Is => Ok(both_none),
        Cmp::IsNot => Ok(!both_none),
        Cmp::In | Cmp::NotIn => match (x, y) {
            (Val::Text(part), Val::Text(whole)) => Ok(whole.contains(&**part) == (cmp == Cmp::In)),
            // `in` a number, a date or None: not iterable; a number `in` a text: not a text.
            _ => Err(raised()),
        },
        Cmp::Lt | Cmp::Le | Cmp::Gt | Cmp::Ge => {
            // The order, or `None` where Python raises; an order of `None` is a NaN: false.
            let order = match (x, y) {
                (Val::Num(a, _), Val::Num(b, _)) if close(*a, *b) => Some(Some(Equal)),
                (Val::Num(a, _), Val::Num(b, _)) => Some(a.partial_cmp(b)),
                (Val::When(a, k), Val::When(b, l)) if k == l => Some(a.partial_cmp(b)),
                (Val::Text(a), Val::Text(b)) => Some(Some(a.cmp(b))),
                _ => None,
            };
            let order = order.ok_or_else(raised)?;
            Ok(order.is_some_and(|o| match cmp {
                Cmp::Lt => o == Less,
                Cmp::Le => o != Greater,
                Cmp::Gt => o == Greater,
                _ => o != Less,
            }))
        }
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

/// Values written in their brackets, as Python shows a list, tuple or set.
fn show_items(bracket: Bracket, items: &[Val], fmt: &dyn Fn(f64) -> String) -> String {
    let shown: Vec<String> = items.iter().map(|v| v.show(fmt)).collect();
    let mut inner = shown.join(", ");
    match bracket {
        Bracket::Round if items.len() == 1 => format!("({inner},)"),
        Bracket::Round => format!("({inner})"),
        Bracket::Square => format!("[{inner}]"),
        Bracket::Curly => {
            if items.is_empty() {
                inner = String::new();
            }
            format!("{{{inner}}}")
        }
    }
}

/// How tightly an expression binds, to know where it needs brackets when written out.
fn binding(e: &Expr) -> u8 {
    match e {
        Expr::Binary(_, Op::Add | Op::Sub, _) => 1,
        Expr::Binary(_, Op::Mul | Op::Div | Op::FloorDiv | Op::Mod, _) => 2,
        Expr::Neg(_) | Expr::Pos(_) => 3,
        Expr::Binary(_, Op::Pow, _) => 4,
        _ => 5,
    }
}

impl Expr {
    /// The expression written out with each field's value beside it: `laki_laki (12) + perempuan (10)`.
    fn explain(&self, value: &dyn Fn(&str) -> Val, fmt: &dyn Fn(f64) -> String) -> String {
        let inner = |e: &Expr, bracket: bool| {
            let text = e.explain(value, fmt);
            if bracket { format!("({text})") } else { text }
        };
        match self {
            Expr::Number(n, kind) => Val::Num(*n, *kind).show(fmt),
            Expr::Text(s) => quoted(s),
            Expr::None => "None".into(),
            Expr::Field(f) => format!("{f} ({})", value(f).show(fmt)),
            Expr::Neg(e) => format!("-{}", inner(e, binding(e) < 3)),
            Expr::Pos(e) => format!("+{}", inner(e, binding(e) < 3)),
            Expr::Binary(a, op, b) => {
                let own = binding(self);
                // `**` groups from the right, the others from the left.
                let (left, right) = match op {
                    Op::Pow => (binding(a) <= own, binding(b) < own),
                    _ => (binding(a) < own, binding(b) <= own),
                };
                format!("{} {op} {}", inner(a, left), inner(b, right))
            }
            Expr::Call(func, args) => {
                let args: Vec<String> = args.iter().map(|a| a.explain(value, fmt)).collect();
                format!("{func}({})", args.join(", "))
            }
            Expr::Items(bracket, items) => {
                let items: Vec<String> = items.iter().map(|i| i.explain(value, fmt)).collect();
                let inner = items.join(", ");
                match bracket {
                    Bracket::Round if items.len() == 1 => format!("({inner},)"),
                    Bracket::Round => format!("({inner})"),
                    Bracket::Square => format!("[{inner}]"),
                    Bracket::Curly => format!("{{{inner}}}"),
                }
            }
        }
    }
}

impl Rule {
    /// The rule written out with each field's value beside it:
    /// `jumlah (23) = laki_laki (12) + perempuan (10)`.
    pub(crate) fn explain(&self, value: &dyn Fn(&str) -> Val, fmt: &dyn Fn(f64) -> String) -> String {
        let joined = |r: &Rule, bracket: bool| {
            let text = r.explain(value, fmt);
            if bracket { format!("({text})") } else { text }
        };
        match self {
            Rule::Compare(first, links) => {
                let mut out = first.explain(value, fmt);
                for (cmp, e) in links {
                    out.push_str(&format!(" {cmp} {}", e.explain(value, fmt)));
                }
                out
            }
            Rule::Between(x, lo, hi) => format!(
                "{} between {} and {}",
                x.explain(value, fmt),
                lo.explain(value, fmt),
                hi.explain(value, fmt)
            ),
            Rule::Truth(e) => e.explain(value, fmt),
            Rule::Not(r) => format!("not {}", joined(r, true)),
            Rule::And(a, b) => format!(
                "{} and {}",
                joined(a, matches!(**a, Rule::Or(..))),
                joined(b, matches!(**b, Rule::Or(..)))
            ),
            Rule::Or(a, b) => format!("{} or {}", joined(a, false), joined(b, false)),
        }
    }

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
                    if let Expr::Items(bracket, items) = e {
                        // Python builds the whole list first, then looks for the value with `==`.
                        let items = items
                            .iter()
                            .map(|i| i.eval(value, fmt))
                            .collect::<Result<Vec<_>, _>>()?;
                        let list = show_items(*bracket, &items, fmt);
                        shown = format!("{} {cmp} {list}", x.show(fmt));
                        let found = items.iter().any(|i| equal(&x, i));
                        if found != (*cmp == Cmp::In) {
                            return Ok((false, format!("{} {} {list}", x.show(fmt), cmp.negated())));
                        }
                        continue;
                    }
                    let y = e.eval(value, fmt)?;
                    shown = format!("{} {cmp} {}", x.show(fmt), y.show(fmt));
                    if !compare(&x, *cmp, &y, fmt)? {
                        // What the row does hold: `23 ≠ 22`.
                        return Ok((false, format!("{} {} {}", x.show(fmt), cmp.negated(), y.show(fmt))));
                    }
                    x = y;
                }
                Ok((true, shown))
            }
            Rule::Between(e, lo, hi) => {
                let (x, l, h) = (e.eval(value, fmt)?, lo.eval(value, fmt)?, hi.eval(value, fmt)?);
                let ok = compare(&x, Cmp::Ge, &l, fmt)? && compare(&x, Cmp::Le, &h, fmt)?;
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
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(Val::None, |(_, v)| v.clone())
        }
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
            Outcome::Fails("10 ≠ 9".into())
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
            Outcome::Fails("0 ≤ 0".into())
        );
        let either = "a > 0 atau b > 0";
        assert_eq!(check(either, sd, &row(&[("a", 0.0), ("b", 1.0)])), Outcome::Holds);
        assert_eq!(
            check(either, sd, &row(&[("a", 0.0), ("b", 0.0)])),
            Outcome::Fails("0 ≤ 0".into())
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
        assert_eq!(check(rule, py, &typed(&r)), Outcome::Fails("None ≠ 10".into()));
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
            Outcome::Fails("10:00:00 ≥ 01:00:00".into())
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
            "a // 2 = 1",
            "a = 'x'",
            "int(a) = 1",
            "a in (1, 2)",
        ] {
            assert!(parse(bad, Syntax::SatuData).is_err(), "{bad}");
        }
        for bad in [
            "a = b",
            "a <> b",
            "a between 1 and 2",
            "(a == b",
            "a == b)",
            "a in [1, 2",
            "a in (1, 2",
            "int(a == 1",
            "a ==",
            "a == 'x",
            "a == 007",
            "a == 1j",
            "a == b'x'",
            "a == f'{b}'",
            "a & b",
            "a << 1 == 2",
            "a[0] == 'x'",
            "a.upper() == 'X'",
            "a == 1 if b else 2",
            "a > 0, b > 0",
            "a == (1, 2)",
            "a == [1]",
            "a in (1, 2) == b",
            "a in (1, 2) + (3,)",
            "a is 1",
            "int(a, base=16) == 1",
            "str(a, 'utf-8') == 'x'",
            "lambda: 1",
            "a == class",
        ] {
            assert!(parse(bad, Syntax::Python).is_err(), "{bad}");
        }
    }

    fn err(rule: &str) -> String {
        parse(rule, Syntax::Python).unwrap_err()
    }

    #[test]
    fn functions_other_than_int_float_str_are_refused_by_name() {
        let random = err("rand() > 0.5");
        assert!(random.contains("rand() gives a random number"), "{random}");
        assert!(err("randint(10) == 1").contains("randint()"));
        let unknown = err("abs(a) < 1");
        assert!(unknown.contains("unknown function abs()"), "{unknown}");
        assert!(err("len(kode) == 4").contains("len()"));
        assert!(err("a(1) == 1").contains("unknown function a()"));
        assert!(err("int(a, 10, 2) == 1").contains("at most 2"));
        assert!(err("float(a, b) == 1").contains("at most 1"));
        assert!(err("int(a, base=16) == 1").contains("keyword arguments"));
        assert!(
            parse("a(1) = 1", Syntax::SatuData)
                .unwrap_err()
                .contains("not supported")
        );
        // Unbalanced brackets say what is missing.
        assert_eq!(err("(a == b"), "missing ')'");
        assert!(err("a == b)").contains("unbalanced ')'"));
        assert!(err("a in [1, 2").contains("missing ']'"));
        assert!(err("int(a == 1").contains("')'"));
    }

    fn int(n: f64) -> Val {
        Val::Num(n, NumKind::Int)
    }

    fn float(n: f64) -> Val {
        Val::Num(n, NumKind::Float)
    }

    fn dec(n: f64) -> Val {
        Val::Num(n, NumKind::Decimal)
    }

    fn text(s: &str) -> Val {
        Val::text(s)
    }

    /// The value of `expr` on a row, as Python computes it; `None` where Python raises.
    fn value(expr: &str, row: &[(&str, Val)]) -> Option<Val> {
        let mut p = Parser {
            tokens: tokenize(expr, Syntax::Python).unwrap(),
            pos: 0,
            syntax: Syntax::Python,
            depth: 0,
        };
        let e = p.expr().unwrap();
        assert_eq!(p.pos, p.tokens.len(), "{expr}");
        e.eval(&typed(row), &plain).ok()
    }

    /// Asserts that each expression has the value (same number, same kind), or raises (`None`).
    fn values(cases: &[(&str, Option<Val>)], row: &[(&str, Val)]) {
        for (expr, want) in cases {
            let got = value(expr, row);
            let same = match (&got, want) {
                (Some(Val::Num(a, k)), Some(Val::Num(b, l))) => {
                    k == l && (a == b || (a.is_nan() && b.is_nan())) && a.is_sign_negative() == b.is_sign_negative()
                }
                _ => got == *want,
            };
            assert!(same, "{expr}: got {got:?}, want {want:?}");
        }
    }

    #[test]
    fn modulo_and_floor_division_follow_python() {
        let row = [
            ("d", dec(-7.0)),
            ("e", dec(7.5)),
            ("z", dec(0.0)),
            ("t", Val::Num(1.0, NumKind::Bool)),
        ];
        values(
            &[
                // int: the remainder takes the divisor's sign, the quotient floors.
                ("-7 % 2", Some(int(1.0))),
                ("7 % -2", Some(int(-1.0))),
                ("-7 // 2", Some(int(-4.0))),
                ("7 // -2", Some(int(-4.0))),
                ("7 // 2", Some(int(3.0))),
                ("0 % -5", Some(int(0.0))),
                ("6 // -3", Some(int(-2.0))),
                // float: the same, as floats, zeros signed as Python's.
                ("-7.5 % 2", Some(float(0.5))),
                ("7 % -2.0", Some(float(-1.0))),
                ("-7.5 // 2", Some(float(-4.0))),
                ("7.5 // -2", Some(float(-4.0))),
                ("7.0 // 2", Some(float(3.0))),
                ("5 % -0.5", Some(float(-0.0))),
                ("0.0 // -1", Some(float(-0.0))),
                // Decimal: the remainder keeps the dividend's sign, the quotient truncates.
                ("d % 2", Some(dec(-1.0))),
                ("d // 2", Some(dec(-3.0))),
                ("e % 2", Some(dec(1.5))),
                ("e // 2", Some(dec(3.0))),
                ("7 % d", Some(dec(0.0))),
                // bool is an int.
                ("t % 2", Some(int(1.0))),
                ("t // 2", Some(int(0.0))),
                // By zero, or a Decimal with a float, or with None: raises.
                ("5 % 0", None),
                ("5 // 0", None),
                ("5.0 // 0", None),
                ("1 // -0.0", None),
                ("1.5 % 0.0", None),
                ("d % 0", None),
                ("z // 0", None),
                ("d % 2.0", None),
                ("e // 2.5", None),
                ("n % 2", None),
                ("2 // n", None),
            ],
            &row,
        );
        // Precedence: `%` and `//` bind like `*`, tighter than `+`, left to right.
        values(
            &[
                ("1 + 7 % 4", Some(int(4.0))),
                ("10 - 7 // 2 * 2", Some(int(4.0))),
                ("100 // 10 % 7", Some(int(3.0))),
                ("-7 % 3", Some(int(2.0))),
            ],
            &[],
        );
        assert_eq!(
            check("n % 2 == 0", Syntax::Python, &typed(&[("n", int(5.0))])),
            Outcome::Fails("1 ≠ 0".into())
        );
        assert_eq!(
            check(
                "n // m > 0",
                Syntax::Python,
                &typed(&[("n", int(5.0)), ("m", int(0.0))])
            ),
            Outcome::Raises("5 // 0".into())
        );
    }

    #[test]
    fn power_follows_python() {
        let row = [("d", dec(1.5)), ("z", dec(0.0)), ("m", dec(-8.0)), ("h", dec(0.5))];
        values(
            &[
                ("2 ** 10", Some(int(1024.0))),
                // Right-associative, and tighter than a unary minus on its left.
                ("2 ** 3 ** 2", Some(int(512.0))),
                ("-2 ** 2", Some(int(-4.0))),
                ("(-2) ** 2", Some(int(4.0))),
                ("2 ** -1", Some(float(0.5))),
                ("-2 ** -1", Some(float(-0.5))),
                ("2 * 3 ** 2", Some(int(18.0))),
                ("0 ** 0", Some(int(1.0))),
                ("2.0 ** 3", Some(float(8.0))),
                ("4 ** 0.5", Some(float(2.0))),
                ("True ** 2", Some(int(1.0))),
                ("d ** 2", Some(dec(2.25))),
                ("2 ** d", Some(dec(2.0f64.powf(1.5)))),
                ("m ** 2", Some(dec(64.0))),
                ("z ** -1", Some(dec(f64::INFINITY))),
                // Raises: zero to a negative power, too large for simpleeval, a float overflow,
                // Decimal 0 ** 0, a negative Decimal to a fractional power, Decimal with float.
                ("0 ** -1", None),
                ("0.0 ** -2", None),
                ("5000000 ** 1", None),
                ("2 ** 4000001", None),
                ("10.0 ** 400", None),
                ("z ** 0", None),
                ("m ** h", None),
                ("d ** 0.5", None),
                ("n ** 2", None),
                ("'a' ** 2", None),
                // A negative float to a fractional power is complex in Python: not modelled.
                ("(-8) ** 0.5", None),
            ],
            &row,
        );
    }

    #[test]
    fn texts_compare_join_and_repeat_as_python_strs() {
        let py = Syntax::Python;
        let row = [
            ("kode", text("K001")),
            ("nama", text("Ani")),
            ("kosong", text("")),
            ("n", int(3.0)),
        ];
        let ok = |rule: &str| assert_eq!(check(rule, py, &typed(&row)), Outcome::Holds, "{rule}");
        let fails = |rule: &str| assert!(matches!(check(rule, py, &typed(&row)), Outcome::Fails(_)), "{rule}");
        let raises = |rule: &str| assert!(matches!(check(rule, py, &typed(&row)), Outcome::Raises(_)), "{rule}");
        ok("kode == 'K001'");
        ok(r#"kode == "K001""#);
        ok("kode != ''");
        ok("kosong == ''");
        ok("not kosong");
        ok("kode");
        ok("'A' < nama < 'B'");
        ok("'Z' > nama");
        ok("nama + '!' == 'Ani!'");
        ok("kode == 'K' '001'");
        ok("'ab' * 2 == 'abab'");
        ok("2 * 'ab' == 'abab'");
        ok("'ab' * -1 == ''");
        ok("'ab' * True == 'ab'");
        ok("kode != 1");
        fails("kode == 1");
        fails("kode == None");
        fails("kosong");
        // Ordering a text against a number, or adding one, raises.
        raises("kode > 1");
        raises("kode + 1 == 2");
        raises("-kode == 1");
        raises("'ab' * 2.0 == 'abab'");
        raises("'a' * 100001 == ''");
        assert_eq!(
            check("kode < 1", py, &typed(&row)),
            Outcome::Raises("'K001' < 1".into())
        );
        assert_eq!(
            check("kode == 'K002'", py, &typed(&row)),
            Outcome::Fails("'K001' ≠ 'K002'".into())
        );
        assert_eq!(
            check("kode == \"it's\"", py, &typed(&row)),
            Outcome::Fails("'K001' ≠ \"it's\"".into())
        );
        // `%` on a text formats it.
        ok("'%d-x' % n == '3-x'");
        ok("'K%s' % 'A' == 'KA'");
        ok("'%d%%' % 2.9 == '2%'");
        ok("'%s' % None == 'None'");
        raises("'ab' % n == 'ab'");
        raises("'%s%s' % n == ''");
        raises("'%d' % kode == ''");
        raises("'50%' % n == ''");
        // Escapes, raw texts, triple quotes.
        values(
            &[
                (r"'a\tb'", Some(text("a\tb"))),
                (r"'\x41\u0042\101\U00000043'", Some(text("ABAC"))),
                (r"'\d'", Some(text(r"\d"))),
                (r"r'\d\''", Some(text(r"\d\'"))),
                (r#"'it\'s' + "it's""#, Some(text("it'sit's"))),
                ("'''a'b'''", Some(text("a'b"))),
                (r#""""a"b""""#, Some(text("a\"b"))),
                ("u'x'", Some(text("x"))),
            ],
            &[],
        );
        for bad in [r"'\x4'", r"'\N{DASH}'", "'abc", "'a\nb'", r"'\ud800'"] {
            assert!(parse(bad, py).is_err(), "{bad}");
        }
    }

    #[test]
    fn in_and_not_in() {
        let py = Syntax::Python;
        let row = [
            ("kode", text("A")),
            ("x", int(2.0)),
            ("d", dec(1.0)),
            ("t", text("ABC")),
        ];
        let holds = |rule: &str| check(rule, py, &typed(&row));
        for rule in [
            "kode in ('A', 'B')",
            "kode in ['A']",
            "kode in {'A', 'B'}",
            "kode not in ('B', 'C')",
            "kode not in ()",
            "kode not in []",
            "kode not in {}",
            "x in [1, 2, 3]",
            "x in (1, 2,)",
            "x in (2,)",
            "x in [1.0, 2.0]",
            "d in (1, 2)",
            "x in (kode, x)",
            "x + 1 in [3]",
            "None in (None, 1)",
            "x not in ('2', None)",
            "x in [\n 1,\n 2,\n]",
            // A text `in` a text looks for a part of it; `('A')` is a text, not a tuple.
            "kode in t",
            "'BC' in t",
            "'' in t",
            "kode in ('A')",
            "not kode in ['B']",
            "kode in ('A', 'B') and x in (2, 3)",
            "(kode in ('A', 'B')) and x > 0",
            "0 < x in (2, 3)",
        ] {
            assert_eq!(holds(rule), Outcome::Holds, "{rule}");
        }
        assert_eq!(
            holds("kode in ('B', 'C')"),
            Outcome::Fails("'A' not in ('B', 'C')".into())
        );
        assert_eq!(holds("x in [1]"), Outcome::Fails("2 not in [1]".into()));
        assert_eq!(holds("kode not in ('A',)"), Outcome::Fails("'A' in ('A',)".into()));
        assert_eq!(holds("kode in {}"), Outcome::Fails("'A' not in {}".into()));
        // In a number or None raises (not iterable), so does a number in a text, and a list
        // whose building raises.
        for rule in [
            "x in (1)",
            "x in x",
            "x in t",
            "kode in n",
            "n in t",
            "kode in (n + 1, 'A')",
        ] {
            assert!(matches!(holds(rule), Outcome::Raises(_)), "{rule}");
        }
        assert_eq!(parse("kode in ('A', b)", py).unwrap().fields(), ["kode", "b"]);
    }

    #[test]
    fn is_none() {
        let py = Syntax::Python;
        let row = [("a", int(0.0))];
        assert_eq!(check("b is None", py, &typed(&row)), Outcome::Holds);
        assert_eq!(check("a is not None", py, &typed(&row)), Outcome::Holds);
        assert_eq!(check("None is b", py, &typed(&row)), Outcome::Holds);
        assert_eq!(
            check("a is None", py, &typed(&row)),
            Outcome::Fails("0 is not None".into())
        );
        assert!(matches!(check("b is not None", py, &typed(&row)), Outcome::Fails(_)));
    }

    #[test]
    fn int_float_str_convert_as_python() {
        let row = [
            ("kode", text(" 12 ")),
            ("d", dec(-2.9)),
            ("t", Val::Num(1.0, NumKind::Bool)),
            ("tgl", Val::When(19_723.0, WhenKind::Date)),
            ("jam", Val::When(36_000.5e9, WhenKind::Time)),
            ("waktu", Val::When(1_704_103_200_000.0, WhenKind::Datetime)),
        ];
        values(
            &[
                ("int(kode)", Some(int(12.0))),
                ("int('-1_000')", Some(int(-1000.0))),
                ("int(2.9)", Some(int(2.0))),
                ("int(-2.9)", Some(int(-2.0))),
                ("int(d)", Some(int(-2.0))),
                ("int(t)", Some(int(1.0))),
                ("int()", Some(int(0.0))),
                ("int('ff', 16)", Some(int(255.0))),
                ("int('0x1f', 16)", Some(int(31.0))),
                ("int('0x_1f', 0)", Some(int(31.0))),
                ("int('0b101', 0)", Some(int(5.0))),
                ("int('0_0', 0)", Some(int(0.0))),
                ("int('z', 36)", Some(int(35.0))),
                ("float(kode)", Some(float(12.0))),
                ("float('1_0.5')", Some(float(10.5))),
                ("float('.5')", Some(float(0.5))),
                ("float('5.')", Some(float(5.0))),
                ("float('1e1_0')", Some(float(1e10))),
                ("float(' -Infinity ')", Some(float(f64::NEG_INFINITY))),
                ("float('nan')", Some(float(f64::NAN))),
                ("float('1e400')", Some(float(f64::INFINITY))),
                ("float(d)", Some(float(-2.9))),
                ("float(3)", Some(float(3.0))),
                ("float()", Some(float(0.0))),
                ("str()", Some(text(""))),
                ("str(None)", Some(text("None"))),
                ("str(t)", Some(text("True"))),
                ("str(12)", Some(text("12"))),
                ("str(-7 // 2)", Some(text("-4"))),
                ("str(1.0)", Some(text("1.0"))),
                ("str(0.1 + 0.2)", Some(text("0.30000000000000004"))),
                ("str(1e16)", Some(text("1e+16"))),
                ("str(1e-5)", Some(text("1e-05"))),
                ("str(0.0001)", Some(text("0.0001"))),
                ("str(123456789012345678.0)", Some(text("1.2345678901234568e+17"))),
                ("str(-0.0)", Some(text("-0.0"))),
                ("str(float('inf'))", Some(text("inf"))),
                ("str(d)", Some(text("-2.9"))),
                // (A Decimal keeps its scale in Python, `str(d * 10)` is `'-29.0'`; satudata
                // holds the value only and would show `-29`.)
                ("str(kode)", Some(text(" 12 "))),
                ("str(tgl)", Some(text("2024-01-01"))),
                ("str(jam)", Some(text("10:00:00.500000"))),
                ("str(waktu)", Some(text("2024-01-01 10:00:00"))),
                ("str(2 ** 70)", Some(text("1180591620717411303424"))),
                // Raises, as Python's do.
                ("int('1.5')", None),
                ("int('')", None),
                ("int('1_')", None),
                ("int('_1')", None),
                ("int('1__0')", None),
                ("int('+ 1')", None),
                ("int('010', 0)", None),
                ("int('10', 1)", None),
                ("int('10', 37)", None),
                ("int(10, 10)", None),
                ("int('10', 2.0)", None),
                ("int(None)", None),
                ("int(tgl)", None),
                ("int(float('inf'))", None),
                ("int(float('nan'))", None),
                ("float('1_.5')", None),
                ("float('1.5e')", None),
                ("float('')", None),
                ("float('0x10')", None),
                ("float('+-1')", None),
                ("float(None)", None),
                ("float(jam)", None),
            ],
            &row,
        );
        let py = Syntax::Python;
        assert_eq!(check("int(kode) == 12", py, &typed(&row)), Outcome::Holds);
        assert_eq!(
            check("int(kode) > int('x')", py, &typed(&row)),
            Outcome::Raises("int('x')".into())
        );
        assert_eq!(
            parse("int(a) + float(b) > len", py).unwrap().fields(),
            ["a", "b", "len"]
        );
    }

    #[test]
    fn python_literals() {
        values(
            &[
                ("1_000", Some(int(1000.0))),
                ("0x1F", Some(int(31.0))),
                ("0o17", Some(int(15.0))),
                ("0b101", Some(int(5.0))),
                ("00", Some(int(0.0))),
                ("1e3", Some(float(1000.0))),
                ("1.5e-3", Some(float(0.0015))),
                ("1.e2", Some(float(100.0))),
                (".5", Some(float(0.5))),
                ("True + True", Some(int(2.0))),
                ("-True", Some(int(-1.0))),
                ("+True", Some(int(1.0))),
                ("+None", None),
                ("+'a'", None),
            ],
            &[],
        );
        let py = Syntax::Python;
        // Comments, and line breaks inside brackets, as Python allows.
        assert_eq!(check("(1 +\n 1) == 2  # dua", py, &typed(&[])), Outcome::Holds);
        assert!(parse("1 +\n 1 == 2", py).is_err());
        assert_eq!(check("True", py, &typed(&[])), Outcome::Holds);
        assert_eq!(check("False or 0", py, &typed(&[])), Outcome::Fails("0".into()));
        assert_eq!(
            check("b == True", py, &typed(&[("b", Val::Num(0.0, NumKind::Bool))])),
            Outcome::Fails("False ≠ True".into())
        );
    }

    #[test]
    fn satu_data_takes_modulo_too() {
        let sd = Syntax::SatuData;
        assert_eq!(check("a % 2 = 0", sd, &row(&[("a", 4.0)])), Outcome::Holds);
        assert_eq!(check("a % 2 = 1", sd, &row(&[("a", -3.0)])), Outcome::Holds);
        assert_eq!(
            check("a % 2 = 0", sd, &row(&[("a", 3.0)])),
            Outcome::Fails("1 ≠ 0".into())
        );
        assert_eq!(
            check("a % b = 0", sd, &row(&[("a", 3.0), ("b", 0.0)])),
            Outcome::Raises("3 % 0".into())
        );
    }

    #[test]
    fn dates_and_times_compare_exactly() {
        let py = Syntax::Python;
        let dt = |ms: f64| Val::When(ms, WhenKind::Datetime);
        let r = [("a", dt(1_704_103_200_000.0)), ("b", dt(1_704_103_201_000.0))];
        assert!(matches!(check("a == b", py, &typed(&r)), Outcome::Fails(_)));
        assert_eq!(check("a < b", py, &typed(&r)), Outcome::Holds);
        assert_eq!(check("a != b", py, &typed(&r)), Outcome::Holds);
    }
}
