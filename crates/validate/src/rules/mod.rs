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
//!
//! `lex` cuts the text into tokens, `parse` builds the tree, `eval` computes it on a row and
//! writes it out with the row's values; `error` says, in the catalogs' words, why a rule cannot be
//! read and where.

use std::fmt;
use std::sync::Arc;

mod error;
mod eval;
mod lex;
mod parse;
#[cfg(test)]
mod tests;

pub(crate) use error::excerpt;
pub use error::{At, RuleError};
pub(crate) use eval::Outcome;
pub(crate) use parse::parse;

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
