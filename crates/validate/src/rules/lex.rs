//! The rule's text as tokens, each with the character it starts at, in either syntax.

use super::error::{At, RuleError};
use super::{Cmp, NumKind, Op, Syntax};

/// One piece of a rule: a number, text, name, operator, comparison or bracket.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
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
pub(super) const PYTHON_KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
    "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
    "return", "try", "while", "with", "yield",
];

/// The characters a token is written with: from, to (exclusive), as indexes of the rule's characters.
pub(super) type Span = (usize, usize);

/// The tokens of `text`, and the span of each.
pub(super) fn tokenize(text: &str, syntax: Syntax) -> Result<(Vec<Token>, Vec<Span>), RuleError> {
    let python = syntax == Syntax::Python;
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| At::of(i, chars.len());
    let mut tokens = Vec::new();
    let mut spans = Vec::new();
    // How many brackets are open: Python allows line breaks and `name=value` only inside them.
    let mut depth = 0usize;
    let mut i = 0;
    // Where the last turn of the loop began: each turn pushes at most one token, which starts there.
    let mut turn = 0;
    while i < chars.len() {
        spans.resize(tokens.len(), (turn, i));
        turn = i;
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
                    return Err(RuleError::DoubledOperator {
                        at: at(i),
                        op: format!("{c}{c}"),
                    });
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
                return Err(RuleError::Bitwise {
                    at: at(i),
                    op: c.to_string(),
                });
            }
            '=' | '!' | '<' | '>' => {
                let (cmp, len) = match (c, next) {
                    ('=', Some('=')) => (Cmp::Eq, 2),
                    ('=', _) if python && depth > 0 => {
                        return Err(RuleError::KeywordArgument { at: at(i) });
                    }
                    ('=', _) if python => return Err(RuleError::SingleEquals { at: at(i) }),
                    ('=', _) => (Cmp::Eq, 1),
                    ('!', Some('=')) => (Cmp::Ne, 2),
                    ('<' | '>', Some(n)) if python && n == c => {
                        return Err(RuleError::Bitwise {
                            at: at(i),
                            op: format!("{c}{c}"),
                        });
                    }
                    ('<', Some('=')) => (Cmp::Le, 2),
                    ('<', Some('>')) if python => return Err(RuleError::Diamond { at: at(i) }),
                    ('<', Some('>')) => (Cmp::Ne, 2),
                    ('<', _) => (Cmp::Lt, 1),
                    ('>', Some('=')) => (Cmp::Ge, 2),
                    ('>', _) => (Cmp::Gt, 1),
                    _ => return Err(RuleError::Unexpected { at: at(i), found: c }),
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
                    text.parse().map_err(|_| RuleError::BadNumber { at: at(start), text })?,
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
                            return Err(RuleError::BytesLiteral { at: at(start) });
                        }
                        "f" | "fr" | "rf" => return Err(RuleError::FString { at: at(start) }),
                        _ => {
                            return Err(RuleError::TextPrefix {
                                at: at(start),
                                prefix: word,
                            });
                        }
                    }
                }
                tokens.push(Token::Ident(word));
            }
            c => return Err(RuleError::Unexpected { at: at(i), found: c }),
        }
    }
    spans.resize(tokens.len(), (turn, i));
    Ok((tokens, spans))
}

/// Reads a Python number literal at `start`: `12`, `1_000`, `0x1F`, `1.5`, `.5`, `2e3`. Returns
/// its value, kind and where it ends.
pub(super) fn python_number(chars: &[char], start: usize) -> Result<(f64, NumKind, usize), RuleError> {
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    let place = At::of(start, chars.len());
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
    let literal = |end: usize| chars[start..end.min(chars.len())].iter().collect::<String>();
    let bad = |end: usize| RuleError::BadNumber {
        at: place,
        text: literal(end),
    };
    let (value, kind) = if radix != 10 {
        i += 2;
        if at(i) == '_' {
            i += 1;
        }
        let end = digits(i, radix);
        if end == i {
            return Err(bad(end.max(i)));
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
            return Err(RuleError::LeadingZeros {
                at: place,
                text: literal(i),
            });
        }
        (text.parse().map_err(|_| bad(i))?, kind)
    };
    if matches!(at(i), 'j' | 'J') {
        return Err(RuleError::ComplexNumber {
            at: place,
            text: literal(i + 1),
        });
    }
    if at(i).is_alphanumeric() || at(i) == '_' || at(i) == '.' {
        return Err(bad(i + 1));
    }
    Ok((value, kind, i))
}

/// Reads a Python text literal whose quote is at `start` (`'…'`, `"…"`, `'''…'''`), with its
/// escapes unless `raw`. Returns the text and where the literal ends.
pub(super) fn python_string(chars: &[char], start: usize, raw: bool) -> Result<(String, usize), RuleError> {
    let quote = chars[start];
    let triple = chars.get(start + 1) == Some(&quote) && chars.get(start + 2) == Some(&quote);
    let unterminated = || {
        Err(RuleError::UnterminatedText {
            at: At::of(start, chars.len()),
            quote,
        })
    };
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
        let backslash = At::of(i - 2, chars.len());
        let hex = |len: usize, i: usize| -> Result<char, RuleError> {
            let digits: String = chars.get(i..i + len).unwrap_or_default().iter().collect();
            if digits.len() != len || !digits.chars().all(|d| d.is_ascii_hexdigit()) {
                return Err(RuleError::TruncatedEscape {
                    at: backslash,
                    escape: e,
                });
            }
            u32::from_str_radix(&digits, 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| RuleError::BadEscape {
                    at: backslash,
                    escape: format!("{e}{digits}"),
                })
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
            'N' => return Err(RuleError::NamedEscape { at: backslash }),
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
}
