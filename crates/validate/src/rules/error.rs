//! Why a rule cannot be read: one [`RuleError`] variant per problem, with where it is in the rule
//! and the token it found, phrased by the catalogs (`error.rule.*`) for the walidata who wrote it.
//!
//! A message is a predicate whose subject is the rule, quoted by [`crate::Error::Rule`]:
//! `Rumus aturan konsistensi "total" tidak sah: 'jumlah = laki_laki +' berakhir sebelum selesai,
//! setelah '+'`.

use std::fmt;

use satudata_core::messages::{render, type_name};
use satudata_core::{DataType, Lang, Localize};

/// Where in a rule a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// At the `n`th character of the rule, counted from 1.
    Char(usize),
    /// After the rule's last character.
    End,
}

impl At {
    /// The place of the character with index `i` (from 0) in a rule of `len` characters.
    pub(crate) fn of(i: usize, len: usize) -> At {
        if i < len { At::Char(i + 1) } else { At::End }
    }

    fn phrase(self, lang: Lang) -> String {
        match self {
            At::Char(n) => render(lang, "error.rule.at", &[("n", &n.to_string())]),
            At::End => render(lang, "error.rule.at-end", &[]),
        }
    }
}

/// Why a consistency rule or row constraint cannot be read.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RuleError {
    /// A character no rule uses (`a ? b`, `a $ b`).
    Unexpected {
        /// Where it is.
        at: At,
        /// The character.
        found: char,
    },
    /// `**` or `//` in a Satu Data rule, which has only `+ - * / %`.
    DoubledOperator {
        /// Where it is.
        at: At,
        /// `**` or `//`.
        op: String,
    },
    /// A bitwise operator or shift (`&`, `|`, `^`, `~`, `<<`, `>>`) in a row constraint.
    Bitwise {
        /// Where it is.
        at: At,
        /// The operator.
        op: String,
    },
    /// `name=value` inside a call's brackets.
    KeywordArgument {
        /// Where the `=` is.
        at: At,
    },
    /// A single `=` in a row constraint, where Python compares with `==`.
    SingleEquals {
        /// Where it is.
        at: At,
    },
    /// `<>` in a row constraint, where Python writes `!=`.
    Diamond {
        /// Where it is.
        at: At,
    },
    /// A number that cannot be read (`1.2.3`, `0x`, `12abc`).
    BadNumber {
        /// Where it starts.
        at: At,
        /// The number as written.
        text: String,
    },
    /// An integer with leading zeros (`007`), which Python refuses.
    LeadingZeros {
        /// Where it starts.
        at: At,
        /// The number as written.
        text: String,
    },
    /// A complex number (`1j`).
    ComplexNumber {
        /// Where it starts.
        at: At,
        /// The number as written, with its `j`.
        text: String,
    },
    /// A bytes literal (`b'…'`), which never equals a text.
    BytesLiteral {
        /// Where it starts.
        at: At,
    },
    /// An f-string (`f'…'`).
    FString {
        /// Where it starts.
        at: At,
    },
    /// A word before a quote that is no text prefix Python knows (`x'…'`).
    TextPrefix {
        /// Where the word starts.
        at: At,
        /// The word.
        prefix: String,
    },
    /// A text whose closing quote never comes.
    UnterminatedText {
        /// Where its opening quote is.
        at: At,
        /// The quote.
        quote: char,
    },
    /// An escape with fewer hex digits than it needs (`\x4`).
    TruncatedEscape {
        /// Where the backslash is.
        at: At,
        /// The escape letter (`x`, `u`, `U`).
        escape: char,
    },
    /// An escape whose code is no character (`\U00110000`, a surrogate).
    BadEscape {
        /// Where the backslash is.
        at: At,
        /// The escape as written, without its backslash (`ud800`).
        escape: String,
    },
    /// A `\N{…}` escape.
    NamedEscape {
        /// Where the backslash is.
        at: At,
    },
    /// Nothing but spaces or comments.
    Empty,
    /// The rule stops where a value must follow.
    EndsEarly {
        /// The last token, as written (`'+'`).
        after: String,
    },
    /// Something that is not a value where one must be (`a = = b`, `a == and`).
    ExpectedValue {
        /// Where it is.
        at: At,
        /// The token found, as written.
        found: String,
    },
    /// A Satu Data rule that compares nothing (`jumlah`).
    NoComparison {
        /// Where a comparison was looked for.
        at: At,
    },
    /// `between` without its `and`.
    BetweenWithoutAnd {
        /// Where the `and` was looked for.
        at: At,
    },
    /// A bracket opened and not closed.
    MissingClose {
        /// Where the closing bracket was looked for.
        at: At,
        /// The closing bracket.
        bracket: char,
    },
    /// A list or call whose values are neither separated nor closed (`[1, 2`, `[1 2]`).
    MissingCloseOrComma {
        /// Where the `,` or the bracket was looked for.
        at: At,
        /// The closing bracket.
        bracket: char,
    },
    /// A closing bracket that closes nothing.
    Unbalanced {
        /// Where it is.
        at: At,
        /// The bracket.
        bracket: char,
    },
    /// More after a complete rule (`a = b c`).
    Trailing {
        /// Where the rest starts.
        at: At,
        /// Its first token, as written.
        found: String,
    },
    /// A `,` outside brackets, which makes a tuple that is always true.
    TopLevelComma {
        /// Where it is.
        at: At,
    },
    /// Brackets, `not`, signs or operators nested deeper than the parser allows.
    TooDeep {
        /// Where the limit was passed.
        at: At,
        /// The deepest nesting allowed.
        max: usize,
    },
    /// `is` or `is not` against something other than `None`.
    IsNotNone {
        /// Where the right side starts.
        at: At,
    },
    /// A comparison that goes on after a list (`a in (1, 2) == b`).
    ListNotLast {
        /// Where it goes on.
        at: At,
    },
    /// Arithmetic on a list (`a in (1, 2) + (3,)`).
    ListArithmetic {
        /// Where the operator is.
        at: At,
    },
    /// A list, tuple or set anywhere but after `in` and `not in`.
    Collection {
        /// Where it starts.
        at: At,
    },
    /// `x if c else y`.
    Conditional {
        /// Where `if` is.
        at: At,
    },
    /// `lambda`.
    Lambda {
        /// Where it is.
        at: At,
    },
    /// `x[0]`, `x[1:3]`.
    Indexing {
        /// Where the `[` is.
        at: At,
    },
    /// `x.upper()`.
    Attribute {
        /// Where the `.` is.
        at: At,
    },
    /// A call of something that is not a function name (`(a)(1)`).
    NotCallable {
        /// Where the `(` is.
        at: At,
    },
    /// A function call in a Satu Data rule, which calls none.
    FunctionCall {
        /// Where the name starts.
        at: At,
        /// The function's name.
        name: String,
    },
    /// `rand()` or `randint()`, whose answer changes from run to run.
    RandomFunction {
        /// Where the name starts.
        at: At,
        /// The function's name.
        name: String,
    },
    /// A function other than `int()`, `float()` and `str()`.
    UnknownFunction {
        /// Where the name starts.
        at: At,
        /// The function's name.
        name: String,
    },
    /// A call with more arguments than the function takes here.
    TooManyArguments {
        /// Where the name starts.
        at: At,
        /// The function's name.
        function: String,
        /// How many it takes at most.
        most: usize,
    },
    /// A row constraint reads a column of a type it cannot hold (`geojson`).
    UnreadableColumn {
        /// The column.
        field: String,
        /// Its type.
        tipe: DataType,
    },
}

impl RuleError {
    /// Where in the rule the problem is, when it is at one place.
    pub fn at(&self) -> Option<At> {
        use RuleError as E;
        match self {
            E::Unexpected { at, .. }
            | E::DoubledOperator { at, .. }
            | E::Bitwise { at, .. }
            | E::KeywordArgument { at }
            | E::SingleEquals { at }
            | E::Diamond { at }
            | E::BadNumber { at, .. }
            | E::LeadingZeros { at, .. }
            | E::ComplexNumber { at, .. }
            | E::BytesLiteral { at }
            | E::FString { at }
            | E::TextPrefix { at, .. }
            | E::UnterminatedText { at, .. }
            | E::TruncatedEscape { at, .. }
            | E::BadEscape { at, .. }
            | E::NamedEscape { at }
            | E::ExpectedValue { at, .. }
            | E::NoComparison { at }
            | E::BetweenWithoutAnd { at }
            | E::MissingClose { at, .. }
            | E::MissingCloseOrComma { at, .. }
            | E::Unbalanced { at, .. }
            | E::Trailing { at, .. }
            | E::TopLevelComma { at }
            | E::TooDeep { at, .. }
            | E::IsNotNone { at }
            | E::ListNotLast { at }
            | E::ListArithmetic { at }
            | E::Collection { at }
            | E::Conditional { at }
            | E::Lambda { at }
            | E::Indexing { at }
            | E::Attribute { at }
            | E::NotCallable { at }
            | E::FunctionCall { at, .. }
            | E::RandomFunction { at, .. }
            | E::UnknownFunction { at, .. }
            | E::TooManyArguments { at, .. } => Some(*at),
            E::EndsEarly { .. } => Some(At::End),
            E::Empty | E::UnreadableColumn { .. } => None,
        }
    }
}

impl Localize for RuleError {
    fn key(&self) -> &'static str {
        use RuleError as E;
        match self {
            E::Unexpected { .. } => "error.rule.unexpected",
            E::DoubledOperator { .. } => "error.rule.doubled-operator",
            E::Bitwise { .. } => "error.rule.bitwise",
            E::KeywordArgument { .. } => "error.rule.keyword-argument",
            E::SingleEquals { .. } => "error.rule.single-equals",
            E::Diamond { .. } => "error.rule.diamond",
            E::BadNumber { .. } => "error.rule.bad-number",
            E::LeadingZeros { .. } => "error.rule.leading-zeros",
            E::ComplexNumber { .. } => "error.rule.complex-number",
            E::BytesLiteral { .. } => "error.rule.bytes-literal",
            E::FString { .. } => "error.rule.f-string",
            E::TextPrefix { .. } => "error.rule.text-prefix",
            E::UnterminatedText { .. } => "error.rule.unterminated-text",
            E::TruncatedEscape { .. } => "error.rule.truncated-escape",
            E::BadEscape { .. } => "error.rule.bad-escape",
            E::NamedEscape { .. } => "error.rule.named-escape",
            E::Empty => "error.rule.empty",
            E::EndsEarly { .. } => "error.rule.ends-early",
            E::ExpectedValue { .. } => "error.rule.expected-value",
            E::NoComparison { .. } => "error.rule.no-comparison",
            E::BetweenWithoutAnd { .. } => "error.rule.between-without-and",
            E::MissingClose { .. } => "error.rule.missing-close",
            E::MissingCloseOrComma { .. } => "error.rule.missing-close-or-comma",
            E::Unbalanced { .. } => "error.rule.unbalanced",
            E::Trailing { .. } => "error.rule.trailing",
            E::TopLevelComma { .. } => "error.rule.top-level-comma",
            E::TooDeep { .. } => "error.rule.too-deep",
            E::IsNotNone { .. } => "error.rule.is-not-none",
            E::ListNotLast { .. } => "error.rule.list-not-last",
            E::ListArithmetic { .. } => "error.rule.list-arithmetic",
            E::Collection { .. } => "error.rule.collection",
            E::Conditional { .. } => "error.rule.conditional",
            E::Lambda { .. } => "error.rule.lambda",
            E::Indexing { .. } => "error.rule.indexing",
            E::Attribute { .. } => "error.rule.attribute",
            E::NotCallable { .. } => "error.rule.not-callable",
            E::FunctionCall { .. } => "error.rule.function-call",
            E::RandomFunction { .. } => "error.rule.random-function",
            E::UnknownFunction { .. } => "error.rule.unknown-function",
            E::TooManyArguments { .. } => "error.rule.too-many-arguments",
            E::UnreadableColumn { .. } => "error.rule.unreadable-column",
        }
    }

    fn args(&self, lang: Lang) -> Vec<(&'static str, String)> {
        use RuleError as E;
        let mut args = Vec::new();
        if let Some(at) = self.at() {
            args.push(("where", at.phrase(lang)));
        }
        match self {
            // A tab or line break shows as `\t`, `\n`, not as itself.
            E::Unexpected { found, .. } => args.push(("found", found.escape_debug().to_string())),
            E::DoubledOperator { op, .. } | E::Bitwise { op, .. } => args.push(("op", op.clone())),
            E::BadNumber { text, .. } | E::LeadingZeros { text, .. } | E::ComplexNumber { text, .. } => {
                args.push(("text", text.clone()));
            }
            E::TextPrefix { prefix, .. } => args.push(("prefix", prefix.clone())),
            E::UnterminatedText { quote, .. } => args.push(("quote", quote.to_string())),
            E::TruncatedEscape { escape, .. } => args.push(("escape", escape.to_string())),
            E::BadEscape { escape, .. } => args.push(("escape", escape.clone())),
            E::NamedEscape { .. } => args.push(("escape", "\\N{…}".into())),
            E::EndsEarly { after } => args.push(("after", after.clone())),
            E::ExpectedValue { found, .. } | E::Trailing { found, .. } => args.push(("found", found.clone())),
            E::MissingClose { bracket, .. }
            | E::MissingCloseOrComma { bracket, .. }
            | E::Unbalanced { bracket, .. } => {
                args.push(("bracket", bracket.to_string()));
            }
            E::TooDeep { max, .. } => args.push(("max", max.to_string())),
            E::FunctionCall { name, .. } | E::RandomFunction { name, .. } | E::UnknownFunction { name, .. } => {
                args.push(("name", name.clone()));
            }
            E::TooManyArguments { function, most, .. } => {
                args.push(("function", function.clone()));
                args.push(("most", most.to_string()));
            }
            E::UnreadableColumn { field, tipe } => {
                args.push(("field", field.clone()));
                args.push(("type", type_name(lang, *tipe)));
            }
            _ => {}
        }
        args
    }
}

/// English, for logs; users see [`Localize::localize`] in their language.
impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

/// A rule as a message quotes it: on one line (line breaks become spaces, so character positions
/// still count true), and around `at` when it is long.
pub(crate) fn excerpt(rule: &str, at: Option<At>) -> String {
    const WIDE: usize = 120;
    let flat: Vec<char> = rule.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
    if flat.len() <= WIDE {
        return flat.into_iter().collect();
    }
    let centre = match at {
        Some(At::Char(n)) => n.saturating_sub(1),
        Some(At::End) => flat.len(),
        None => 0,
    };
    let start = centre.saturating_sub(WIDE * 3 / 4).min(flat.len() - WIDE);
    let end = (start + WIDE).min(flat.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&flat[start..end]);
    if end < flat.len() {
        out.push('…');
    }
    out
}
