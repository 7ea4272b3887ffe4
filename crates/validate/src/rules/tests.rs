//! Tests of the rule parser and evaluator: Satu Data and Python syntax, values as Python computes them.

use super::eval::*;
use super::parse::*;
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

fn err(rule: &str) -> RuleError {
    parse(rule, Syntax::Python).unwrap_err()
}

#[test]
fn functions_other_than_int_float_str_are_refused_by_name() {
    let name = |n: &str| n.to_owned();
    assert_eq!(
        err("rand() > 0.5"),
        RuleError::RandomFunction {
            at: At::Char(1),
            name: name("rand")
        }
    );
    assert!(matches!(err("randint(10) == 1"), RuleError::RandomFunction { name, .. } if name == "randint"));
    assert_eq!(
        err("abs(a) < 1"),
        RuleError::UnknownFunction {
            at: At::Char(1),
            name: name("abs")
        }
    );
    assert!(
        matches!(err("a > 0 and len(kode) == 4"), RuleError::UnknownFunction { at: At::Char(11), name } if name == "len")
    );
    assert!(matches!(err("a(1) == 1"), RuleError::UnknownFunction { name, .. } if name == "a"));
    assert!(matches!(
        err("int(a, 10, 2) == 1"),
        RuleError::TooManyArguments { most: 2, .. }
    ));
    assert!(matches!(
        err("float(a, b) == 1"),
        RuleError::TooManyArguments { most: 1, .. }
    ));
    assert_eq!(
        err("int(a, base=16) == 1"),
        RuleError::KeywordArgument { at: At::Char(12) }
    );
    assert_eq!(
        parse("a(1) = 1", Syntax::SatuData).unwrap_err(),
        RuleError::FunctionCall {
            at: At::Char(1),
            name: name("a")
        }
    );
    // Unbalanced brackets say what is missing, and where.
    assert_eq!(
        err("(a == b"),
        RuleError::MissingClose {
            at: At::End,
            bracket: ')'
        }
    );
    assert_eq!(
        err("a == b)"),
        RuleError::Unbalanced {
            at: At::Char(7),
            bracket: ')'
        }
    );
    assert_eq!(
        err("a in [1, 2"),
        RuleError::MissingCloseOrComma {
            at: At::End,
            bracket: ']'
        }
    );
    assert!(matches!(
        err("int(a == 1"),
        RuleError::MissingCloseOrComma { bracket: ')', .. }
    ));
}

/// Which variant an error is, by a match without a wildcard: a new variant must be added here,
/// and so to the table of `every_problem_is_found_where_it_is_and_phrased_in_both_languages`.
fn variant(e: &RuleError) -> usize {
    use RuleError as E;
    match e {
        E::Unexpected { .. } => 0,
        E::DoubledOperator { .. } => 1,
        E::Bitwise { .. } => 2,
        E::KeywordArgument { .. } => 3,
        E::SingleEquals { .. } => 4,
        E::Diamond { .. } => 5,
        E::BadNumber { .. } => 6,
        E::LeadingZeros { .. } => 7,
        E::ComplexNumber { .. } => 8,
        E::BytesLiteral { .. } => 9,
        E::FString { .. } => 10,
        E::TextPrefix { .. } => 11,
        E::UnterminatedText { .. } => 12,
        E::TruncatedEscape { .. } => 13,
        E::BadEscape { .. } => 14,
        E::NamedEscape { .. } => 15,
        E::Empty => 16,
        E::EndsEarly { .. } => 17,
        E::ExpectedValue { .. } => 18,
        E::NoComparison { .. } => 19,
        E::BetweenWithoutAnd { .. } => 20,
        E::MissingClose { .. } => 21,
        E::MissingCloseOrComma { .. } => 22,
        E::Unbalanced { .. } => 23,
        E::Trailing { .. } => 24,
        E::TopLevelComma { .. } => 25,
        E::TooDeep { .. } => 26,
        E::IsNotNone { .. } => 27,
        E::ListNotLast { .. } => 28,
        E::ListArithmetic { .. } => 29,
        E::Collection { .. } => 30,
        E::Conditional { .. } => 31,
        E::Lambda { .. } => 32,
        E::Indexing { .. } => 33,
        E::Attribute { .. } => 34,
        E::NotCallable { .. } => 35,
        E::FunctionCall { .. } => 36,
        E::RandomFunction { .. } => 37,
        E::UnknownFunction { .. } => 38,
        E::TooManyArguments { .. } => 39,
        E::UnreadableColumn { .. } => 40,
    }
}

#[test]
fn every_problem_is_found_where_it_is_and_phrased_in_both_languages() {
    use satudata_core::{Lang, Localize};
    let (sd, py) = (Syntax::SatuData, Syntax::Python);
    let text = |s: &str| s.to_owned();
    let deep = format!("{}a{} = 1", "(".repeat(300), ")".repeat(300));
    let cases: Vec<(&str, Syntax, RuleError)> = vec![
        (
            "a ? b = 1",
            sd,
            RuleError::Unexpected {
                at: At::Char(3),
                found: '?',
            },
        ),
        (
            "a ** 2 = 4",
            sd,
            RuleError::DoubledOperator {
                at: At::Char(3),
                op: text("**"),
            },
        ),
        (
            "a & b",
            py,
            RuleError::Bitwise {
                at: At::Char(3),
                op: text("&"),
            },
        ),
        (
            "a << 1 == 2",
            py,
            RuleError::Bitwise {
                at: At::Char(3),
                op: text("<<"),
            },
        ),
        (
            "int(a, base=16) == 1",
            py,
            RuleError::KeywordArgument { at: At::Char(12) },
        ),
        ("a = b", py, RuleError::SingleEquals { at: At::Char(3) }),
        ("a <> b", py, RuleError::Diamond { at: At::Char(3) }),
        (
            "a = 1.2.3",
            sd,
            RuleError::BadNumber {
                at: At::Char(5),
                text: text("1.2.3"),
            },
        ),
        (
            "a == 12abc",
            py,
            RuleError::BadNumber {
                at: At::Char(6),
                text: text("12a"),
            },
        ),
        (
            "a == 007",
            py,
            RuleError::LeadingZeros {
                at: At::Char(6),
                text: text("007"),
            },
        ),
        (
            "a == 1j",
            py,
            RuleError::ComplexNumber {
                at: At::Char(6),
                text: text("1j"),
            },
        ),
        ("a == b'x'", py, RuleError::BytesLiteral { at: At::Char(6) }),
        ("a == f'{b}'", py, RuleError::FString { at: At::Char(6) }),
        (
            "a == x'y'",
            py,
            RuleError::TextPrefix {
                at: At::Char(6),
                prefix: text("x"),
            },
        ),
        (
            "a == 'x",
            py,
            RuleError::UnterminatedText {
                at: At::Char(6),
                quote: '\'',
            },
        ),
        (
            r"a == '\x4'",
            py,
            RuleError::TruncatedEscape {
                at: At::Char(7),
                escape: 'x',
            },
        ),
        (
            r"a == '\ud800'",
            py,
            RuleError::BadEscape {
                at: At::Char(7),
                escape: text("ud800"),
            },
        ),
        (r"a == '\N{DASH}'", py, RuleError::NamedEscape { at: At::Char(7) }),
        ("", sd, RuleError::Empty),
        ("  # nothing", py, RuleError::Empty),
        ("jumlah = laki_laki +", sd, RuleError::EndsEarly { after: text("'+'") }),
        ("a == 'x' +", py, RuleError::EndsEarly { after: text("'+'") }),
        (
            "= 3",
            sd,
            RuleError::ExpectedValue {
                at: At::Char(1),
                found: text("'='"),
            },
        ),
        (
            "a == and",
            py,
            RuleError::ExpectedValue {
                at: At::Char(6),
                found: text("'and'"),
            },
        ),
        ("jumlah", sd, RuleError::NoComparison { at: At::End }),
        (
            "a between 1 or 2",
            sd,
            RuleError::BetweenWithoutAnd { at: At::Char(13) },
        ),
        (
            "(a == b",
            py,
            RuleError::MissingClose {
                at: At::End,
                bracket: ')',
            },
        ),
        (
            "a in [1 2]",
            py,
            RuleError::MissingCloseOrComma {
                at: At::Char(9),
                bracket: ']',
            },
        ),
        (
            "a == b]",
            py,
            RuleError::Unbalanced {
                at: At::Char(7),
                bracket: ']',
            },
        ),
        (
            "a = b c",
            sd,
            RuleError::Trailing {
                at: At::Char(7),
                found: text("'c'"),
            },
        ),
        ("a > 0, b > 0", py, RuleError::TopLevelComma { at: At::Char(6) }),
        (
            &deep,
            sd,
            RuleError::TooDeep {
                at: At::Char(255),
                max: 256,
            },
        ),
        ("a is 1", py, RuleError::IsNotNone { at: At::Char(6) }),
        ("a in (1, 2) == b", py, RuleError::ListNotLast { at: At::Char(13) }),
        ("a in (1, 2) + (3,)", py, RuleError::ListArithmetic { at: At::Char(13) }),
        ("a == [1]", py, RuleError::Collection { at: At::Char(6) }),
        ("a == 1 if b else 2", py, RuleError::Conditional { at: At::Char(8) }),
        ("lambda == 1", py, RuleError::Lambda { at: At::Char(1) }),
        ("a[0] == 'x'", py, RuleError::Indexing { at: At::Char(2) }),
        ("a.upper() == 'X'", py, RuleError::Attribute { at: At::Char(2) }),
        ("a == 1(2)", py, RuleError::NotCallable { at: At::Char(7) }),
        (
            "a(1) = 1",
            sd,
            RuleError::FunctionCall {
                at: At::Char(1),
                name: text("a"),
            },
        ),
        (
            "rand() > 0.5",
            py,
            RuleError::RandomFunction {
                at: At::Char(1),
                name: text("rand"),
            },
        ),
        (
            "abs(a) < 1",
            py,
            RuleError::UnknownFunction {
                at: At::Char(1),
                name: text("abs"),
            },
        ),
        (
            "int(a, 10, 2) == 1",
            py,
            RuleError::TooManyArguments {
                at: At::Char(1),
                function: text("int"),
                most: 2,
            },
        ),
    ];
    let mut seen = std::collections::BTreeSet::new();
    let mut errors = Vec::new();
    for (rule, syntax, want) in cases {
        assert_eq!(parse(rule, syntax).unwrap_err(), want, "{rule}");
        errors.push(want);
    }
    errors.push(RuleError::UnreadableColumn {
        field: text("batas"),
        tipe: satudata_core::DataType::Geojson,
    });
    for e in &errors {
        seen.insert(variant(e));
        let (id, en) = (e.localize(Lang::Id), e.localize(Lang::En));
        for text in [&id, &en] {
            let unfilled = text.replace("\\N{…}", "").contains('{');
            assert!(!text.starts_with("error.") && !unfilled && !text.is_empty(), "{text}");
        }
        assert_ne!(id, en, "{e:?}");
        if let Some(At::Char(n)) = e.at() {
            for text in [&id, &en] {
                assert!(text.contains(&n.to_string()), "{text} does not say where: {n}");
            }
        }
    }
    assert_eq!(
        seen.len(),
        variant(&errors[errors.len() - 1]) + 1,
        "a variant has no case"
    );
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
    let mut p = Parser::new(expr, Syntax::Python).unwrap();
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
