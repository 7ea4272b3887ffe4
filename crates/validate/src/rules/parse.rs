//! The tokens of a rule as a [`Rule`] tree, by recursive descent, in either syntax.

use super::error::{At, RuleError};
use super::lex::{PYTHON_KEYWORDS, Span, Token, tokenize};
use super::{Bracket, Cmp, Expr, Func, NumKind, Op, Rule, Syntax};

/// How deep a rule may nest: each bracket, `not`, sign and chained operator (`a + b + c` has two)
/// is one level. Parsing and evaluating recurse once a level, so this bounds the stack they take
/// whatever the rule's length (4,000 brackets, or a sum of 20,000 terms, overflowed it: docs/FUZZING.md).
const MAX_DEPTH: usize = 256;

/// A rule's tokens being read, one level of the grammar a method.
pub(super) struct Parser {
    pub(super) tokens: Vec<Token>,
    /// The characters each token is written with (from, to).
    pub(super) spans: Vec<Span>,
    /// The rule's characters.
    pub(super) chars: Vec<char>,
    pub(super) pos: usize,
    pub(super) syntax: Syntax,
    /// Levels open now; see [`MAX_DEPTH`].
    pub(super) depth: usize,
}

impl Parser {
    /// Reads the tokens of `text`.
    pub(super) fn new(text: &str, syntax: Syntax) -> Result<Parser, RuleError> {
        let (tokens, spans) = tokenize(text, syntax)?;
        Ok(Parser {
            tokens,
            spans,
            chars: text.chars().collect(),
            pos: 0,
            syntax,
            depth: 0,
        })
    }

    fn python(&self) -> bool {
        self.syntax == Syntax::Python
    }

    /// Where the token at index `pos` starts; [`At::End`] past the last one.
    fn at(&self, pos: usize) -> At {
        self.spans
            .get(pos)
            .map_or(At::End, |&(from, _)| At::of(from, self.chars.len()))
    }

    /// The token at index `pos` as written, in quotes (a text keeps its own).
    fn shown(&self, pos: usize) -> String {
        let Some(&(from, to)) = self.spans.get(pos) else {
            return String::new();
        };
        let written: String = self.chars[from..to].iter().collect();
        match self.tokens.get(pos) {
            Some(Token::Text(_)) => written,
            _ => format!("'{written}'"),
        }
    }

    /// Where the next token starts.
    fn here(&self) -> At {
        self.at(self.pos)
    }

    /// Where the token just read starts.
    fn last(&self) -> At {
        self.at(self.pos.saturating_sub(1))
    }

    /// Opens one more level, or fails past [`MAX_DEPTH`]; whoever opens it closes it on success
    /// (`self.depth -= 1`), and a parse that backtracks restores the depth it started at.
    fn descend(&mut self) -> Result<(), RuleError> {
        if self.depth >= MAX_DEPTH {
            return Err(RuleError::TooDeep {
                at: self.last(),
                max: MAX_DEPTH,
            });
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

    fn or(&mut self) -> Result<Rule, RuleError> {
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

    fn and(&mut self) -> Result<Rule, RuleError> {
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

    fn not(&mut self) -> Result<Rule, RuleError> {
        self.descend()?;
        let rule = self.negation()?;
        self.depth -= 1;
        Ok(rule)
    }

    fn negation(&mut self) -> Result<Rule, RuleError> {
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
                    _ => Err(RuleError::MissingClose {
                        at: self.last(),
                        bracket: ')',
                    }),
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

    fn comparison(&mut self) -> Result<Rule, RuleError> {
        let left = self.expr()?;
        if self.syntax == Syntax::SatuData && self.word("between", &["antara"]) {
            let low = self.expr()?;
            if !self.word("and", &["dan"]) {
                return Err(RuleError::BetweenWithoutAnd { at: self.here() });
            }
            return Ok(Rule::Between(left, low, self.expr()?));
        }
        let mut links: Vec<(Cmp, Expr)> = Vec::new();
        while let Some(cmp) = self.comparator() {
            let right_at = self.here();
            let right = match cmp {
                Cmp::In | Cmp::NotIn => self.container()?,
                _ => self.expr()?,
            };
            if matches!(cmp, Cmp::Is | Cmp::IsNot) {
                let before = links.last().map_or(&left, |(_, e)| e);
                if *before != Expr::None && right != Expr::None {
                    return Err(RuleError::IsNotNone { at: right_at });
                }
            }
            let items = matches!(right, Expr::Items(..));
            links.push((cmp, right));
            if items && let Some(t) = self.peek() {
                if matches!(t, Token::Cmp(_)) || self.is_word(0, "in") || self.is_word(0, "is") {
                    return Err(RuleError::ListNotLast { at: self.here() });
                }
                if matches!(t, Token::Op(_)) {
                    return Err(RuleError::ListArithmetic { at: self.here() });
                }
            }
            if self.syntax == Syntax::SatuData {
                break;
            }
        }
        match (links.is_empty(), self.syntax) {
            (false, _) => Ok(Rule::Compare(left, links)),
            (true, Syntax::Python) => Ok(Rule::Truth(left)),
            (true, Syntax::SatuData) => Err(RuleError::NoComparison { at: self.here() }),
        }
    }

    /// The right side of `in`: a list, tuple or set written out, or any value.
    fn container(&mut self) -> Result<Expr, RuleError> {
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
                    items.extend(self.items(&Token::Close, ')')?);
                    return Ok(Expr::Items(Bracket::Round, items));
                }
                self.pos = start;
                self.depth = depth;
                return self.expr();
            }
            _ => return self.expr(),
        };
        self.pos += 1;
        let closing = if bracket == Bracket::Square { ']' } else { '}' };
        Ok(Expr::Items(bracket, self.items(&close, closing)?))
    }

    /// Values separated by commas up to `close`, which is consumed; a trailing comma is allowed.
    fn items(&mut self, close: &Token, closing: char) -> Result<Vec<Expr>, RuleError> {
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
                _ => {
                    return Err(RuleError::MissingCloseOrComma {
                        at: self.last(),
                        bracket: closing,
                    });
                }
            }
        }
    }

    pub(super) fn expr(&mut self) -> Result<Expr, RuleError> {
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

    fn term(&mut self) -> Result<Expr, RuleError> {
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
    fn unary(&mut self) -> Result<Expr, RuleError> {
        self.descend()?;
        let expr = self.signed()?;
        self.depth -= 1;
        Ok(expr)
    }

    fn signed(&mut self) -> Result<Expr, RuleError> {
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
    fn power(&mut self) -> Result<Expr, RuleError> {
        let base = self.primary()?;
        if self.peek() == Some(&Token::Op(Op::Pow)) {
            self.pos += 1;
            return Ok(Expr::Binary(Box::new(base), Op::Pow, Box::new(self.unary()?)));
        }
        Ok(base)
    }

    fn primary(&mut self) -> Result<Expr, RuleError> {
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
                return Err(RuleError::Conditional { at: self.last() });
            }
            Some(Token::Ident(name)) if python && name == "lambda" => {
                return Err(RuleError::Lambda { at: self.last() });
            }
            Some(Token::Ident(name))
                if ["and", "or", "not"].contains(&name.as_str())
                    || (python && PYTHON_KEYWORDS.contains(&name.as_str())) =>
            {
                return Err(RuleError::ExpectedValue {
                    at: self.last(),
                    found: self.shown(self.pos - 1),
                });
            }
            Some(Token::Ident(name)) if self.peek() == Some(&Token::Open) => self.call(name)?,
            Some(Token::Ident(name)) => Expr::Field(name),
            Some(Token::Open) => {
                let open = self.last();
                let e = self.expr()?;
                match self.next() {
                    Some(Token::Close) => e,
                    Some(Token::Comma) => return Err(RuleError::Collection { at: open }),
                    _ => {
                        return Err(RuleError::MissingClose {
                            at: self.last(),
                            bracket: ')',
                        });
                    }
                }
            }
            Some(Token::OpenSquare | Token::OpenCurly) => {
                return Err(RuleError::Collection { at: self.last() });
            }
            None => {
                return Err(match self.tokens.len() {
                    0 => RuleError::Empty,
                    n => RuleError::EndsEarly {
                        after: self.shown(n - 1),
                    },
                });
            }
            Some(_) => {
                return Err(RuleError::ExpectedValue {
                    at: self.last(),
                    found: self.shown(self.pos - 1),
                });
            }
        };
        match self.peek() {
            Some(Token::OpenSquare) => Err(RuleError::Indexing { at: self.here() }),
            Some(Token::Dot) => Err(RuleError::Attribute { at: self.here() }),
            Some(Token::Open) if python => Err(RuleError::NotCallable { at: self.here() }),
            _ => Ok(atom),
        }
    }

    /// A call of `name`, whose `(` is next: `int(x)`, `float(x)`, `str(x)`, `int(x, 16)`.
    fn call(&mut self, name: String) -> Result<Expr, RuleError> {
        let at = self.last();
        if !self.python() {
            return Err(RuleError::FunctionCall { at, name });
        }
        let func = match name.as_str() {
            "int" => Func::Int,
            "float" => Func::Float,
            "str" => Func::Str,
            "rand" | "randint" => {
                return Err(RuleError::RandomFunction { at, name });
            }
            _ => return Err(RuleError::UnknownFunction { at, name }),
        };
        self.pos += 1;
        let args = self.items(&Token::Close, ')')?;
        let most = if func == Func::Int { 2 } else { 1 };
        if args.len() > most {
            return Err(RuleError::TooManyArguments {
                at,
                function: func.to_string(),
                most,
            });
        }
        Ok(Expr::Call(func, args))
    }
}

/// Parses a rule written in `syntax`.
pub(crate) fn parse(text: &str, syntax: Syntax) -> Result<Rule, RuleError> {
    let mut p = Parser::new(text, syntax)?;
    let rule = p.or()?;
    let at = p.here();
    match p.peek() {
        None => Ok(rule),
        Some(Token::Ident(w)) if syntax == Syntax::Python && w == "if" => Err(RuleError::Conditional { at }),
        Some(Token::Comma) if syntax == Syntax::Python => Err(RuleError::TopLevelComma { at }),
        Some(Token::Close) => Err(RuleError::Unbalanced { at, bracket: ')' }),
        Some(Token::CloseSquare) => Err(RuleError::Unbalanced { at, bracket: ']' }),
        Some(Token::CloseCurly) => Err(RuleError::Unbalanced { at, bracket: '}' }),
        Some(_) => Err(RuleError::Trailing {
            at,
            found: p.shown(p.pos),
        }),
    }
}
