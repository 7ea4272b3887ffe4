//! A parsed rule on one row, as Python computes it: values, arithmetic, comparisons, and the
//! rule written out with the row's values for a finding.

use super::{Bracket, Cmp, Expr, Func, MAX_POWER, MAX_STRING_LENGTH, NumKind, Op, Rule, Val, WhenKind, quoted};

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
    pub(super) fn eval(&self, value: &dyn Fn(&str) -> Val, fmt: &dyn Fn(f64) -> String) -> Result<Val, Raised> {
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
