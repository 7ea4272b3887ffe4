//! The Solr-lite query language of `q` and `fq`, as CKAN clients write it.
//!
//! `field:value`, `-field:value`, `field:"quoted value"`, `OR`/`AND` (also `||`/`&&`) between
//! terms, `NOT`, AND implied between clauses side by side, groups in parentheses, `field:(a OR b)`, ranges
//! `metadata_modified:[2024-01-01T00:00:00Z TO *]` (`{..}` for exclusive ends, `NOW`,
//! `NOW-1DAY`, `NOW/DAY`), `*:*` and bare words (text). [`parse`] turns a string into an
//! [`Expr`]; [`Expr::matches_at`] is the one meaning of a filter over [`PackageFields`].
//!
//! Precedence, loosest first: clauses side by side (all must match), `OR`, explicit `AND`,
//! negation. So `organization:a OR organization:b metadata_modified:[2024-01-01T00:00:00Z TO *]`,
//! which ckanext-harvest builds by joining its constraints with spaces, means
//! `(a OR b) AND modified since`, as the harvester intends; `a AND b OR c` is `(a AND b) OR c`.
//!
//! Input is bounded: at most [`MAX_QUERY_CHARS`] characters, [`MAX_DEPTH`] nested groups and
//! [`MAX_TERMS`] terms, so no input makes the parser recurse without end or panic.

use std::fmt::{self, Write as _};

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};

use crate::error::{ApiError, Result};

/// Longest `q` or `fq` accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 4096;
/// Deepest nesting of parentheses and negations.
pub const MAX_DEPTH: usize = 32;
/// Most terms in one query.
pub const MAX_TERMS: usize = 256;

/// A field a query may name: the package dict's searchable fields and the SDI extras.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// `name`: the dataset's slug.
    Name,
    /// `id`: the dataset's UUID.
    Id,
    /// `title` (text).
    Title,
    /// `notes`: the description (text).
    Notes,
    /// `organization` (also `owner_org`): the organization's slug.
    Organization,
    /// `groups`: topic slugs.
    Groups,
    /// `tags`.
    Tags,
    /// `res_format`: the resources' formats.
    ResFormat,
    /// `license_id`.
    LicenseId,
    /// `metadata_modified` (a date).
    MetadataModified,
    /// `metadata_created` (a date).
    MetadataCreated,
    /// `text`: everything searchable, what bare words search.
    Text,
    /// `type`: always `dataset`.
    Type,
    /// `capacity`: `public` or `private`.
    Capacity,
    /// `num_resources` (a number: `num_resources:[1 TO *]`).
    NumResources,
    /// `num_tags` (a number).
    NumTags,
    /// An SDI extra, by its key in `extras[]` (`frekuensi_penerbitan`, `tahun`, ...).
    Extra(Extra),
}

/// The SDI extras of the package dict, which are also query fields (also as `extras_<key>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Extra {
    /// `frekuensi_penerbitan`: how often it is published (`bulanan`).
    FrekuensiPenerbitan,
    /// `tahun`: the year or years the data covers (`2024`, `2020-2024`).
    Tahun,
    /// `cakupan`: the region code covered (`61.71`).
    Cakupan,
    /// `level_penyajian`: the presentation level (`kecamatan`).
    LevelPenyajian,
    /// `rujukan`: a reference document.
    Rujukan,
    /// `status_kerahasiaan`: `terbuka`, `terbatas`, `rahasia`.
    StatusKerahasiaan,
    /// `standard_id`: the data standard followed.
    StandardId,
    /// `standard_version`: its version.
    StandardVersion,
}

impl Extra {
    /// Every extra, in the order the package dict lists them.
    pub const ALL: [Extra; 8] = [
        Extra::FrekuensiPenerbitan,
        Extra::Tahun,
        Extra::Cakupan,
        Extra::LevelPenyajian,
        Extra::Rujukan,
        Extra::StatusKerahasiaan,
        Extra::StandardId,
        Extra::StandardVersion,
    ];

    /// The key in `extras[]`.
    pub fn key(self) -> &'static str {
        match self {
            Self::FrekuensiPenerbitan => "frekuensi_penerbitan",
            Self::Tahun => "tahun",
            Self::Cakupan => "cakupan",
            Self::LevelPenyajian => "level_penyajian",
            Self::Rujukan => "rujukan",
            Self::StatusKerahasiaan => "status_kerahasiaan",
            Self::StandardId => "standard_id",
            Self::StandardVersion => "standard_version",
        }
    }
}

impl Field {
    /// The field named `name` in a query, if it is one.
    pub fn parse(name: &str) -> Option<Field> {
        let field = match name {
            "name" => Self::Name,
            "id" => Self::Id,
            "title" => Self::Title,
            "notes" => Self::Notes,
            "organization" | "owner_org" => Self::Organization,
            "groups" => Self::Groups,
            "tags" => Self::Tags,
            "res_format" => Self::ResFormat,
            "license_id" => Self::LicenseId,
            "metadata_modified" => Self::MetadataModified,
            "metadata_created" => Self::MetadataCreated,
            "text" => Self::Text,
            "type" | "dataset_type" => Self::Type,
            "capacity" => Self::Capacity,
            "num_resources" => Self::NumResources,
            "num_tags" => Self::NumTags,
            other => {
                let key = other.strip_prefix("extras_").unwrap_or(other);
                return Extra::ALL.into_iter().find(|e| e.key() == key).map(Self::Extra);
            }
        };
        Some(field)
    }

    /// The field's name as CKAN writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Id => "id",
            Self::Title => "title",
            Self::Notes => "notes",
            Self::Organization => "organization",
            Self::Groups => "groups",
            Self::Tags => "tags",
            Self::ResFormat => "res_format",
            Self::LicenseId => "license_id",
            Self::MetadataModified => "metadata_modified",
            Self::MetadataCreated => "metadata_created",
            Self::Text => "text",
            Self::Type => "type",
            Self::Capacity => "capacity",
            Self::NumResources => "num_resources",
            Self::NumTags => "num_tags",
            Self::Extra(e) => e.key(),
        }
    }

    /// Whether the field holds a timestamp (ranges and values are dates).
    pub fn is_date(self) -> bool {
        matches!(self, Self::MetadataModified | Self::MetadataCreated)
    }

    /// Whether the field holds a count (ranges and values are numbers).
    pub fn is_number(self) -> bool {
        matches!(self, Self::NumResources | Self::NumTags)
    }

    /// Whether the field is tokenized text (matched word by word, case-insensitively) rather
    /// than an exact string.
    pub fn is_text(self) -> bool {
        matches!(self, Self::Title | Self::Notes | Self::Text | Self::Extra(_))
    }
}

/// What a term looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A word (`bulanan`).
    Word(String),
    /// A quoted phrase (`"Kota Pontianak"`).
    Phrase(String),
    /// A word ending in `*` (`kes*`), without the star.
    Prefix(String),
    /// `field:*`: the field has any value.
    Any,
}

/// A point in time in a date range: fixed, or relative to now (Solr date math).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatePoint {
    /// A fixed instant.
    At(DateTime<Utc>),
    /// `NOW` with its steps, applied in order (`NOW-1DAY/DAY`).
    Now(Vec<DateStep>),
}

impl DatePoint {
    /// The instant this point names when it is `now`.
    pub fn at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        resolve(self, now)
    }
}

/// One step of date math after `NOW`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStep {
    /// `+N UNIT` or `-N UNIT`.
    Add(i64, DateUnit),
    /// `/UNIT`: round down to the start of the unit.
    Round(DateUnit),
}

/// A unit of date math.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateUnit {
    /// `YEAR(S)`.
    Year,
    /// `MONTH(S)`.
    Month,
    /// `DAY(S)` or `DATE`.
    Day,
    /// `HOUR(S)`.
    Hour,
    /// `MINUTE(S)`.
    Minute,
    /// `SECOND(S)`.
    Second,
}

/// One end of a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    /// `*`.
    Open,
    /// `[x` or `x]`.
    Inclusive(Point),
    /// `{x` or `x}`.
    Exclusive(Point),
}

/// A range end's value: a date for date fields, text for the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Point {
    /// A date.
    Date(DatePoint),
    /// Compared as a string.
    Text(String),
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// `*:*` or an empty query: everything.
    All,
    /// `field:value`, or a bare word or phrase searched in [`Field::Text`].
    Term {
        /// The field searched.
        field: Field,
        /// What it must hold.
        value: Value,
    },
    /// `field:[lower TO upper]`.
    Range {
        /// The field compared.
        field: Field,
        /// Lower end.
        lower: Bound,
        /// Upper end.
        upper: Bound,
    },
    /// `-x`, `NOT x`.
    Not(Box<Expr>),
    /// Every part must match.
    And(Vec<Expr>),
    /// One part must match.
    Or(Vec<Expr>),
}

/// The fields of one package that a query reads: what [`Expr::matches_at`] evaluates, and
/// what the SQL translation of a query must agree with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackageFields {
    /// UUID.
    pub id: String,
    /// Slug.
    pub name: String,
    /// Title.
    pub title: String,
    /// Description.
    pub notes: String,
    /// Organization slug.
    pub organization: String,
    /// Organization title (the facet's display name).
    pub organization_title: String,
    /// Group (topic) slugs and titles.
    pub groups: Vec<(String, String)>,
    /// Tags.
    pub tags: Vec<String>,
    /// Resource formats.
    pub res_format: Vec<String>,
    /// CKAN licence id.
    pub license_id: String,
    /// Last change.
    pub metadata_modified: DateTime<Utc>,
    /// Creation.
    pub metadata_created: DateTime<Utc>,
    /// SDI extras present on the package.
    pub extras: Vec<(Extra, String)>,
    /// Private (not open) dataset.
    pub private: bool,
    /// Other searchable text (column names, concepts), searched by bare words with the rest.
    pub text: String,
    /// Downloads, for `sort=views_total desc`.
    pub downloads: u64,
    /// How many resources (files of the newest release) it has.
    pub num_resources: u64,
}

impl PackageFields {
    /// The string values of `field` (dates excepted).
    pub fn values(&self, field: Field) -> Vec<&str> {
        match field {
            Field::Name => vec![&self.name],
            Field::Id => vec![&self.id],
            Field::Title => vec![&self.title],
            Field::Notes => vec![&self.notes],
            Field::Organization => vec![&self.organization],
            Field::Groups => self.groups.iter().map(|(n, _)| n.as_str()).collect(),
            Field::Tags => self.tags.iter().map(String::as_str).collect(),
            Field::ResFormat => self.res_format.iter().map(String::as_str).collect(),
            Field::LicenseId => vec![&self.license_id],
            Field::Type => vec!["dataset"],
            Field::Capacity => vec![if self.private { "private" } else { "public" }],
            Field::Extra(e) => self
                .extras
                .iter()
                .filter(|(k, _)| *k == e)
                .map(|(_, v)| v.as_str())
                .collect(),
            Field::Text => {
                let mut all = vec![
                    self.name.as_str(),
                    self.title.as_str(),
                    self.notes.as_str(),
                    self.organization.as_str(),
                    self.organization_title.as_str(),
                    self.text.as_str(),
                ];
                all.extend(self.tags.iter().map(String::as_str));
                all.extend(self.groups.iter().flat_map(|(n, t)| [n.as_str(), t.as_str()]));
                all.extend(self.res_format.iter().map(String::as_str));
                all.extend(self.extras.iter().map(|(_, v)| v.as_str()));
                all
            }
            Field::MetadataModified | Field::MetadataCreated | Field::NumResources | Field::NumTags => Vec::new(),
        }
    }

    fn number(&self, field: Field) -> Option<f64> {
        match field {
            Field::NumResources => Some(self.num_resources as f64),
            Field::NumTags => Some(self.tags.len() as f64),
            _ => None,
        }
    }

    fn date(&self, field: Field) -> Option<DateTime<Utc>> {
        match field {
            Field::MetadataModified => Some(self.metadata_modified),
            Field::MetadataCreated => Some(self.metadata_created),
            _ => None,
        }
    }
}

/// The words of a text value as the evaluator compares them: lower case, split at anything
/// that is not a letter or digit.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

impl Expr {
    /// Whether the package matches, with `NOW` taken from the clock.
    pub fn matches(&self, fields: &PackageFields) -> bool {
        self.matches_at(fields, Utc::now())
    }

    /// Whether the package matches, with `NOW` = `now`.
    pub fn matches_at(&self, fields: &PackageFields, now: DateTime<Utc>) -> bool {
        match self {
            Self::All => true,
            Self::Not(e) => !e.matches_at(fields, now),
            Self::And(parts) => parts.iter().all(|e| e.matches_at(fields, now)),
            Self::Or(parts) => parts.iter().any(|e| e.matches_at(fields, now)),
            Self::Term { field, value } => term_matches(fields, *field, value),
            Self::Range { field, lower, upper } => {
                if let Some(date) = fields.date(*field) {
                    bound_ok(lower, &date, now, true) && bound_ok(upper, &date, now, false)
                } else if let Some(n) = fields.number(*field) {
                    bound_ok_number(lower, n, true) && bound_ok_number(upper, n, false)
                } else {
                    fields.values(*field).iter().any(|v| {
                        let v = v.to_string();
                        bound_ok_text(lower, &v, true) && bound_ok_text(upper, &v, false)
                    })
                }
            }
        }
    }

    /// The words and phrases searched as text outside any negation: what a full-text index
    /// ranks by for `sort=score desc`.
    pub fn text_terms(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Self::Term {
                field: Field::Text,
                value: Value::Word(w) | Value::Phrase(w) | Value::Prefix(w),
            } => out.push(w),
            Self::And(parts) | Self::Or(parts) => parts.iter().for_each(|p| p.collect_text(out)),
            _ => {}
        }
    }

    /// `a AND b`, flattening and dropping `*:*`.
    pub fn and(parts: Vec<Expr>) -> Expr {
        let mut out = Vec::with_capacity(parts.len());
        for p in parts {
            match p {
                Expr::All => {}
                Expr::And(inner) => out.extend(inner),
                other => out.push(other),
            }
        }
        match out.len() {
            0 => Expr::All,
            1 => out.pop().unwrap_or(Expr::All),
            _ => Expr::And(out),
        }
    }
}

fn term_matches(fields: &PackageFields, field: Field, value: &Value) -> bool {
    if let Some(n) = fields.number(field) {
        return match value {
            Value::Any => true,
            Value::Word(w) | Value::Phrase(w) => w.trim().parse::<f64>().is_ok_and(|v| v == n),
            Value::Prefix(_) => false,
        };
    }
    if let Some(date) = fields.date(field) {
        return match value {
            Value::Any => true,
            Value::Word(w) | Value::Phrase(w) => parse_instant(w).is_some_and(|d| d == date),
            Value::Prefix(p) => crate::package::ckan_time(date).starts_with(p.as_str()),
        };
    }
    let values = fields.values(field);
    if field.is_text() {
        let haystack: Vec<Vec<String>> = values.iter().map(|v| tokens(v)).collect();
        match value {
            Value::Any => values.iter().any(|v| !v.is_empty()),
            Value::Prefix(p) => {
                let p = p.to_lowercase();
                haystack.iter().flatten().any(|t| t.starts_with(&p))
            }
            Value::Word(w) => {
                let wanted = tokens(w);
                !wanted.is_empty() && wanted.iter().all(|t| haystack.iter().flatten().any(|h| h == t))
            }
            Value::Phrase(p) => {
                let wanted = tokens(p);
                !wanted.is_empty()
                    && haystack
                        .iter()
                        .any(|h| h.windows(wanted.len()).any(|w| w == wanted.as_slice()))
            }
        }
    } else {
        match value {
            Value::Any => values.iter().any(|v| !v.is_empty()),
            Value::Prefix(p) => values.iter().any(|v| v.starts_with(p.as_str())),
            Value::Word(w) | Value::Phrase(w) => values.iter().any(|v| v == w),
        }
    }
}

fn resolve(point: &DatePoint, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match point {
        DatePoint::At(d) => Some(*d),
        DatePoint::Now(steps) => {
            let mut t = now;
            for step in steps {
                t = match *step {
                    DateStep::Add(n, unit) => add(t, n, unit)?,
                    DateStep::Round(unit) => round(t, unit)?,
                };
            }
            Some(t)
        }
    }
}

fn add(t: DateTime<Utc>, n: i64, unit: DateUnit) -> Option<DateTime<Utc>> {
    let months = |m: i64| {
        let abs = Months::new(u32::try_from(m.unsigned_abs()).ok()?);
        if m >= 0 {
            t.checked_add_months(abs)
        } else {
            t.checked_sub_months(abs)
        }
    };
    match unit {
        DateUnit::Year => months(n.checked_mul(12)?),
        DateUnit::Month => months(n),
        DateUnit::Day => t.checked_add_signed(Duration::try_days(n)?),
        DateUnit::Hour => t.checked_add_signed(Duration::try_hours(n)?),
        DateUnit::Minute => t.checked_add_signed(Duration::try_minutes(n)?),
        DateUnit::Second => t.checked_add_signed(Duration::try_seconds(n)?),
    }
}

fn round(t: DateTime<Utc>, unit: DateUnit) -> Option<DateTime<Utc>> {
    let (y, mo, d, h, mi, s) = (t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second());
    let parts = match unit {
        DateUnit::Year => (y, 1, 1, 0, 0, 0),
        DateUnit::Month => (y, mo, 1, 0, 0, 0),
        DateUnit::Day => (y, mo, d, 0, 0, 0),
        DateUnit::Hour => (y, mo, d, h, 0, 0),
        DateUnit::Minute => (y, mo, d, h, mi, 0),
        DateUnit::Second => (y, mo, d, h, mi, s),
    };
    Utc.with_ymd_and_hms(parts.0, parts.1, parts.2, parts.3, parts.4, parts.5)
        .single()
}

/// Whether `value` is on the right side of one end of a range.
fn within<T: PartialOrd>(value: &T, edge: &T, lower: bool, inclusive: bool) -> bool {
    match (lower, inclusive) {
        (true, true) => value >= edge,
        (true, false) => value > edge,
        (false, true) => value <= edge,
        (false, false) => value < edge,
    }
}

/// A bound's point and whether it is inclusive; `None` for an open end.
fn edge(bound: &Bound) -> Option<(&Point, bool)> {
    match bound {
        Bound::Open => None,
        Bound::Inclusive(p) => Some((p, true)),
        Bound::Exclusive(p) => Some((p, false)),
    }
}

fn bound_ok(bound: &Bound, value: &DateTime<Utc>, now: DateTime<Utc>, lower: bool) -> bool {
    let Some((point, inclusive)) = edge(bound) else {
        return true;
    };
    let Point::Date(point) = point else { return false };
    resolve(point, now).is_some_and(|e| within(value, &e, lower, inclusive))
}

fn bound_ok_number(bound: &Bound, value: f64, lower: bool) -> bool {
    let Some((point, inclusive)) = edge(bound) else {
        return true;
    };
    let Point::Text(e) = point else { return false };
    e.trim()
        .parse::<f64>()
        .is_ok_and(|e| within(&value, &e, lower, inclusive))
}

fn bound_ok_text(bound: &Bound, value: &str, lower: bool) -> bool {
    let Some((point, inclusive)) = edge(bound) else {
        return true;
    };
    let Point::Text(e) = point else { return false };
    within(&value, &e.as_str(), lower, inclusive)
}

/// Parses an instant as Solr and CKAN write it: `2024-01-02T03:04:05Z`, with or without the
/// `Z`, with any fraction of a second, or a date alone (`2024-01-02`, midnight UTC).
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    let s = s.strip_suffix('Z').unwrap_or(s);
    if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(t.and_utc());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

fn parse_date_point(s: &str) -> Option<DatePoint> {
    let Some(mut rest) = s.strip_prefix("NOW") else {
        return parse_instant(s).map(DatePoint::At);
    };
    let mut steps = Vec::new();
    while let Some(op) = rest.chars().next() {
        rest = &rest[op.len_utf8()..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let n = if op == '/' {
            0
        } else {
            let n: i64 = rest[..digits].parse().ok()?;
            rest = &rest[digits..];
            n
        };
        let letters = rest.chars().take_while(char::is_ascii_uppercase).count();
        let unit = match &rest[..letters] {
            "YEAR" | "YEARS" => DateUnit::Year,
            "MONTH" | "MONTHS" => DateUnit::Month,
            "DAY" | "DAYS" | "DATE" => DateUnit::Day,
            "HOUR" | "HOURS" => DateUnit::Hour,
            "MINUTE" | "MINUTES" => DateUnit::Minute,
            "SECOND" | "SECONDS" => DateUnit::Second,
            _ => return None,
        };
        rest = &rest[letters..];
        steps.push(match op {
            '+' => DateStep::Add(n, unit),
            '-' => DateStep::Add(-n, unit),
            '/' => DateStep::Round(unit),
            _ => return None,
        });
        if steps.len() > 16 {
            return None;
        }
    }
    Some(DatePoint::Now(steps))
}

/// Parses `q` or `fq`. An empty or blank query is [`Expr::All`].
pub fn parse(input: &str) -> Result<Expr> {
    let chars: Vec<char> = input.chars().collect();
    if chars.len() > MAX_QUERY_CHARS {
        return Err(ApiError::SearchQuery(format!(
            "query is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    let mut p = Parser {
        chars,
        pos: 0,
        terms: 0,
    };
    p.skip_ws();
    if p.at_end() {
        return Ok(Expr::All);
    }
    let expr = p.sequence(None, 0)?;
    p.skip_ws();
    match p.peek() {
        None => Ok(expr),
        Some(')') => Err(p.error("unexpected \")\" without a matching \"(\"")),
        Some(c) => Err(p.error(&format!("unexpected \"{c}\""))),
    }
}

/// Parses every filter of a call (`fq` and the items of `fq_list`) into one conjunction.
pub fn parse_all<'a>(filters: impl IntoIterator<Item = &'a str>) -> Result<Expr> {
    let parts = filters.into_iter().map(parse).collect::<Result<Vec<_>>>()?;
    Ok(Expr::and(parts))
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    terms: usize,
}

const SPECIAL: &[char] = &['(', ')', '"', '[', ']', '{', '}'];

impl Parser {
    fn error(&self, what: &str) -> ApiError {
        ApiError::SearchQuery(format!("{what} at position {}", self.pos))
    }

    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// The operator word at the cursor (`OR`, `AND`, `NOT`, `||`, `&&`) followed by a space or
    /// a group, without consuming it.
    fn operator(&self) -> Option<(&'static str, usize)> {
        for (word, name) in [
            ("OR", "OR"),
            ("||", "OR"),
            ("AND", "AND"),
            ("&&", "AND"),
            ("NOT", "NOT"),
        ] {
            let len = word.chars().count();
            let matches = self
                .chars
                .get(self.pos..self.pos + len)
                .is_some_and(|s| s.iter().copied().eq(word.chars()));
            let ends = self
                .chars
                .get(self.pos + len)
                .is_none_or(|c| c.is_whitespace() || *c == '(');
            if matches && ends {
                return Some((name, len));
            }
        }
        None
    }

    /// Clauses side by side: all must match (the implied AND binds loosest, so the list of
    /// constraints a harvester joins with spaces keeps each `a OR b` whole).
    fn sequence(&mut self, field: Option<Field>, depth: usize) -> Result<Expr> {
        let mut parts = vec![self.or_expr(field, depth)?];
        loop {
            self.skip_ws();
            if matches!(self.peek(), None | Some(')')) {
                break;
            }
            parts.push(self.or_expr(field, depth)?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn or_expr(&mut self, field: Option<Field>, depth: usize) -> Result<Expr> {
        let mut parts = vec![self.and_expr(field, depth)?];
        loop {
            self.skip_ws();
            match self.operator() {
                Some(("OR", len)) => {
                    self.pos += len;
                    parts.push(self.and_expr(field, depth)?);
                }
                _ => break,
            }
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    /// Clauses joined by an explicit `AND`, which binds tighter than `OR`.
    fn and_expr(&mut self, field: Option<Field>, depth: usize) -> Result<Expr> {
        let mut parts = vec![self.unary(field, depth)?];
        loop {
            self.skip_ws();
            match self.operator() {
                Some(("AND", len)) => {
                    self.pos += len;
                    parts.push(self.unary(field, depth)?);
                }
                _ => break,
            }
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn unary(&mut self, field: Option<Field>, depth: usize) -> Result<Expr> {
        if depth >= MAX_DEPTH {
            return Err(self.error(&format!("query nests deeper than {MAX_DEPTH} levels")));
        }
        self.skip_ws();
        match self.operator() {
            Some(("NOT", len)) => {
                self.pos += len;
                return Ok(Expr::Not(Box::new(self.unary(field, depth + 1)?)));
            }
            Some((op, _)) => return Err(self.error(&format!("missing a term before \"{op}\""))),
            None => {}
        }
        match self.peek() {
            None => Err(self.error("missing a term")),
            Some('-' | '!') => {
                self.pos += 1;
                if self.peek().is_none_or(char::is_whitespace) {
                    return Err(self.error("missing a term after \"-\""));
                }
                Ok(Expr::Not(Box::new(self.unary(field, depth + 1)?)))
            }
            Some('+') => {
                self.pos += 1;
                if self.peek().is_none_or(char::is_whitespace) {
                    return Err(self.error("missing a term after \"+\""));
                }
                self.unary(field, depth + 1)
            }
            Some(_) => self.primary(field, depth),
        }
    }

    fn count_term(&mut self) -> Result<()> {
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(self.error(&format!("query has more than {MAX_TERMS} terms")));
        }
        Ok(())
    }

    fn group(&mut self, field: Option<Field>, depth: usize) -> Result<Expr> {
        let open = self.pos;
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(')') {
            return Err(self.error("empty group \"()\""));
        }
        let inner = self.sequence(field, depth + 1)?;
        self.skip_ws();
        if self.peek() != Some(')') {
            self.pos = open;
            return Err(self.error("unclosed \"(\""));
        }
        self.pos += 1;
        Ok(inner)
    }

    fn primary(&mut self, field: Option<Field>, depth: usize) -> Result<Expr> {
        match self.peek() {
            Some('(') => self.group(field, depth),
            Some('"') => {
                self.count_term()?;
                let phrase = self.phrase()?;
                Ok(Expr::Term {
                    field: field.unwrap_or(Field::Text),
                    value: Value::Phrase(phrase),
                })
            }
            Some(c) if SPECIAL.contains(&c) => Err(self.error(&format!("unexpected \"{c}\""))),
            _ => {
                self.count_term()?;
                let start = self.pos;
                let word = self.word(false);
                if word.text.is_empty() {
                    return Err(self.error("missing a term"));
                }
                if self.peek() == Some(':') && field.is_none() {
                    self.pos += 1;
                    if word.is_star() {
                        if self.peek() == Some('*') {
                            self.pos += 1;
                            return Ok(Expr::All);
                        }
                        return Err(self.error("\"*:\" must be \"*:*\""));
                    }
                    let Some(named) = Field::parse(&word.text) else {
                        self.pos = start;
                        return Err(self.error(&format!("unknown field \"{}\"", word.text)));
                    };
                    return self.field_value(named, depth);
                }
                if word.is_star() {
                    return Ok(field.map_or(Expr::All, |f| Expr::Term {
                        field: f,
                        value: Value::Any,
                    }));
                }
                let field = field.unwrap_or(Field::Text);
                Ok(Expr::Term {
                    field,
                    value: word_value(field, word, self)?,
                })
            }
        }
    }

    fn field_value(&mut self, field: Field, depth: usize) -> Result<Expr> {
        match self.peek() {
            None => Err(self.error(&format!("missing a value after \"{}:\"", field.as_str()))),
            Some(c) if c.is_whitespace() => Err(self.error(&format!("missing a value after \"{}:\"", field.as_str()))),
            Some('(') => self.group(Some(field), depth),
            Some('"') => Ok(Expr::Term {
                field,
                value: Value::Phrase(self.phrase()?),
            }),
            Some('[' | '{') => self.range(field),
            Some(c) if SPECIAL.contains(&c) => Err(self.error(&format!("unexpected \"{c}\""))),
            _ => {
                let word = self.word(true);
                if word.is_star() {
                    return Ok(Expr::Term {
                        field,
                        value: Value::Any,
                    });
                }
                Ok(Expr::Term {
                    field,
                    value: word_value(field, word, self)?,
                })
            }
        }
    }

    fn phrase(&mut self) -> Result<String> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => {
                    self.pos = open;
                    return Err(self.error("unclosed quote"));
                }
                Some('"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') => {
                    self.pos += 1;
                    if let Some(c) = self.peek() {
                        out.push(c);
                        self.pos += 1;
                    }
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// A word: up to a space or a special character; `:` ends it unless `colon_ok` (values
    /// may hold colons, field names may not). A backslash escapes the next character.
    fn word(&mut self, colon_ok: bool) -> Word {
        let mut text = String::new();
        let mut star = false;
        while let Some(c) = self.peek() {
            if c.is_whitespace() || SPECIAL.contains(&c) || (c == ':' && !colon_ok) {
                break;
            }
            self.pos += 1;
            star = c == '*';
            if c == '\\' {
                if let Some(next) = self.peek() {
                    text.push(next);
                    self.pos += 1;
                }
                continue;
            }
            text.push(c);
        }
        Word { text, star }
    }

    fn range(&mut self, field: Field) -> Result<Expr> {
        let open = self.pos;
        let inclusive_low = self.peek() == Some('[');
        self.pos += 1;
        self.skip_ws();
        let low = self.range_word()?;
        self.skip_ws();
        if !(self.peek() == Some('T') && self.chars.get(self.pos + 1) == Some(&'O')) {
            return Err(self.error("a range needs \"TO\" between its ends"));
        }
        self.pos += 2;
        self.skip_ws();
        let high = self.range_word()?;
        self.skip_ws();
        let inclusive_high = match self.peek() {
            Some(']') => true,
            Some('}') => false,
            _ => {
                self.pos = open;
                return Err(self.error("unclosed range \"[\""));
            }
        };
        self.pos += 1;
        if (low.text.is_empty() && !low.quoted) || (high.text.is_empty() && !high.quoted) {
            self.pos = open;
            return Err(self.error("a range needs two ends (use * for an open end)"));
        }
        let lower = self.bound(field, &low, inclusive_low)?;
        let upper = self.bound(field, &high, inclusive_high)?;
        Ok(Expr::Range { field, lower, upper })
    }

    /// One end of a range: a quoted value, or a word up to a space or a bracket (a backslash
    /// escapes the next character).
    fn range_word(&mut self) -> Result<RangeEnd> {
        if self.peek() == Some('"') {
            return Ok(RangeEnd {
                text: self.phrase()?,
                quoted: true,
                open: false,
            });
        }
        let mut text = String::new();
        let mut escaped = false;
        while let Some(c) = self.peek() {
            if c.is_whitespace() || matches!(c, ']' | '}' | '[' | '{' | '(' | ')' | '"') {
                break;
            }
            self.pos += 1;
            if c == '\\' {
                if let Some(next) = self.peek() {
                    text.push(next);
                    self.pos += 1;
                    escaped = true;
                }
                continue;
            }
            text.push(c);
        }
        let open = text == "*" && !escaped;
        Ok(RangeEnd {
            text,
            quoted: false,
            open,
        })
    }

    fn bound(&self, field: Field, end: &RangeEnd, inclusive: bool) -> Result<Bound> {
        if end.open {
            return Ok(Bound::Open);
        }
        let text = end.text.as_str();
        let point = if field.is_date() {
            Point::Date(parse_date_point(text).ok_or_else(|| {
                self.error(&format!(
                    "\"{text}\" is not a date like 2024-01-01T00:00:00Z or NOW-1DAY"
                ))
            })?)
        } else if field.is_number() && text.trim().parse::<f64>().is_err() {
            return Err(self.error(&format!("\"{text}\" is not a number")));
        } else {
            Point::Text(text.to_owned())
        };
        Ok(if inclusive {
            Bound::Inclusive(point)
        } else {
            Bound::Exclusive(point)
        })
    }
}

/// A word as read, and whether it ended in a `*` that was not escaped (a prefix, or `*` alone).
struct Word {
    text: String,
    star: bool,
}

impl Word {
    fn is_star(&self) -> bool {
        self.star && self.text == "*"
    }
}

/// One end of a range as read.
struct RangeEnd {
    text: String,
    quoted: bool,
    open: bool,
}

fn word_value(field: Field, word: Word, p: &Parser) -> Result<Value> {
    if field.is_number() && word.text.trim().parse::<f64>().is_err() {
        return Err(p.error(&format!("\"{}\" is not a number", word.text)));
    }
    if field.is_date() && !word.star && parse_instant(&word.text).is_none() {
        return Err(p.error(&format!("\"{}\" is not a date like 2024-01-01T00:00:00Z", word.text)));
    }
    let mut text = word.text;
    Ok(if word.star && text.len() > 1 {
        text.pop();
        Value::Prefix(text)
    } else {
        Value::Word(text)
    })
}

/// Writes a word so that [`parse`] reads it back: special characters, a trailing star, a
/// leading sign and operator words are escaped with a backslash.
fn write_word(f: &mut fmt::Formatter<'_>, word: &str, bare: bool) -> fmt::Result {
    let operator = matches!(word, "OR" | "AND" | "NOT" | "||" | "&&");
    for (i, c) in word.chars().enumerate() {
        let escape = c.is_whitespace()
            || SPECIAL.contains(&c)
            || matches!(c, '\\' | '*')
            || (bare && c == ':')
            || (i == 0 && (operator || matches!(c, '-' | '+' | '!')));
        if escape {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    Ok(())
}

fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}

fn write_end(f: &mut fmt::Formatter<'_>, bound: &Bound) -> fmt::Result {
    let point = match bound {
        Bound::Open => return f.write_str("*"),
        Bound::Inclusive(p) | Bound::Exclusive(p) => p,
    };
    match point {
        Point::Text(t) => write_quoted(f, t),
        Point::Date(DatePoint::At(t)) => write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S%.fZ")),
        Point::Date(DatePoint::Now(steps)) => {
            f.write_str("NOW")?;
            for step in steps {
                match *step {
                    DateStep::Add(n, unit) => write!(
                        f,
                        "{}{}{}",
                        if n < 0 { '-' } else { '+' },
                        n.unsigned_abs(),
                        unit.as_str()
                    )?,
                    DateStep::Round(unit) => write!(f, "/{}", unit.as_str())?,
                }
            }
            Ok(())
        }
    }
}

impl DateUnit {
    /// The unit's name in date math (`DAY`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Year => "YEAR",
            Self::Month => "MONTH",
            Self::Day => "DAY",
            Self::Hour => "HOUR",
            Self::Minute => "MINUTE",
            Self::Second => "SECOND",
        }
    }
}

/// The query written back in the language [`parse`] reads, so that
/// `parse(&e.to_string()) == e`: for logs, and for handing a filter on.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let child = |f: &mut fmt::Formatter<'_>, e: &Expr| match e {
            Expr::And(_) | Expr::Or(_) => write!(f, "({e})"),
            _ => write!(f, "{e}"),
        };
        let join = |f: &mut fmt::Formatter<'_>, parts: &[Expr], op: &str| {
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    f.write_str(op)?;
                }
                child(f, part)?;
            }
            Ok(())
        };
        match self {
            Expr::All => f.write_str("*:*"),
            Expr::Not(inner) => {
                f.write_char('-')?;
                child(f, inner)
            }
            Expr::And(parts) => join(f, parts, " AND "),
            Expr::Or(parts) => join(f, parts, " OR "),
            Expr::Range { field, lower, upper } => {
                let open = if matches!(lower, Bound::Exclusive(_)) { '{' } else { '[' };
                let close = if matches!(upper, Bound::Exclusive(_)) { '}' } else { ']' };
                write!(f, "{}:{open}", field.as_str())?;
                write_end(f, lower)?;
                f.write_str(" TO ")?;
                write_end(f, upper)?;
                f.write_char(close)
            }
            Expr::Term { field, value } => {
                let bare = *field == Field::Text;
                if !bare || *value == Value::Any {
                    write!(f, "{}:", field.as_str())?;
                }
                match value {
                    Value::Any => f.write_char('*'),
                    Value::Word(w) => write_word(f, w, bare),
                    Value::Phrase(p) => write_quoted(f, p),
                    Value::Prefix(p) => {
                        write_word(f, p, bare)?;
                        f.write_char('*')
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(field: Field, w: &str) -> Expr {
        Expr::Term {
            field,
            value: Value::Word(w.into()),
        }
    }

    fn t(s: &str) -> DateTime<Utc> {
        parse_instant(s).unwrap()
    }

    fn err(q: &str) -> String {
        match parse(q) {
            Err(ApiError::SearchQuery(m)) => m,
            other => panic!("{q}: {other:?}"),
        }
    }

    #[test]
    fn empty_and_match_all() {
        assert_eq!(parse("").unwrap(), Expr::All);
        assert_eq!(parse("   ").unwrap(), Expr::All);
        assert_eq!(parse("*:*").unwrap(), Expr::All);
        assert_eq!(parse("*").unwrap(), Expr::All);
    }

    #[test]
    fn field_value_and_negation() {
        assert_eq!(
            parse("organization:dinkes").unwrap(),
            term(Field::Organization, "dinkes")
        );
        assert_eq!(parse("owner_org:dinkes").unwrap(), term(Field::Organization, "dinkes"));
        assert_eq!(
            parse("-organization:x").unwrap(),
            Expr::Not(Box::new(term(Field::Organization, "x")))
        );
        assert_eq!(
            parse("NOT tags:a").unwrap(),
            Expr::Not(Box::new(term(Field::Tags, "a")))
        );
        assert_eq!(parse("+tags:a").unwrap(), term(Field::Tags, "a"));
        assert_eq!(
            parse("extras_tahun:2024").unwrap(),
            term(Field::Extra(Extra::Tahun), "2024")
        );
        assert_eq!(
            parse("frekuensi_penerbitan:bulanan").unwrap(),
            term(Field::Extra(Extra::FrekuensiPenerbitan), "bulanan")
        );
    }

    #[test]
    fn quoted_values_and_escapes() {
        assert_eq!(
            parse("title:\"Kota Pontianak\"").unwrap(),
            Expr::Term {
                field: Field::Title,
                value: Value::Phrase("Kota Pontianak".into())
            }
        );
        assert_eq!(
            parse(r#"title:"say \"hi\"""#).unwrap(),
            Expr::Term {
                field: Field::Title,
                value: Value::Phrase("say \"hi\"".into())
            }
        );
        assert_eq!(parse(r"name:a\:b").unwrap(), term(Field::Name, "a:b"));
        assert_eq!(parse("id:a:b").unwrap(), term(Field::Id, "a:b"));
    }

    #[test]
    fn or_and_precedence() {
        let a = || term(Field::Organization, "a");
        let b = || term(Field::Organization, "b");
        let c = || term(Field::Tags, "c");
        assert_eq!(
            parse("organization:a OR organization:b").unwrap(),
            Expr::Or(vec![a(), b()])
        );
        assert_eq!(
            parse("organization:a || organization:b").unwrap(),
            Expr::Or(vec![a(), b()])
        );
        assert_eq!(parse("organization:a AND tags:c").unwrap(), Expr::And(vec![a(), c()]));
        assert_eq!(parse("organization:a tags:c").unwrap(), Expr::And(vec![a(), c()]));
        assert_eq!(
            parse("organization:a OR organization:b tags:c").unwrap(),
            Expr::And(vec![Expr::Or(vec![a(), b()]), c()]),
            "side by side binds loosest: the harvester's joined constraints"
        );
        assert_eq!(
            parse("tags:c organization:a OR organization:b").unwrap(),
            Expr::And(vec![c(), Expr::Or(vec![a(), b()])])
        );
        assert_eq!(
            parse("organization:a AND tags:c OR organization:b").unwrap(),
            Expr::Or(vec![Expr::And(vec![a(), c()]), b()]),
            "an explicit AND binds tighter than OR"
        );
        assert_eq!(
            parse("(organization:a OR organization:b) AND tags:c").unwrap(),
            Expr::And(vec![Expr::Or(vec![a(), b()]), c()])
        );
        assert_eq!(parse("organization:(a OR b)").unwrap(), Expr::Or(vec![a(), b()]));
        assert_eq!(
            parse("-organization:(a OR b)").unwrap(),
            Expr::Not(Box::new(Expr::Or(vec![a(), b()])))
        );
    }

    #[test]
    fn operators_need_a_boundary() {
        // "ORGAN" and "ANDI" are words, not operators.
        assert_eq!(parse("ORGAN").unwrap(), term(Field::Text, "ORGAN"));
        assert_eq!(
            parse("a ANDI").unwrap(),
            Expr::And(vec![term(Field::Text, "a"), term(Field::Text, "ANDI")])
        );
    }

    #[test]
    fn bare_words_are_text() {
        assert_eq!(
            parse("penduduk kota").unwrap(),
            Expr::And(vec![term(Field::Text, "penduduk"), term(Field::Text, "kota")])
        );
        assert_eq!(
            parse("\"jumlah penduduk\"").unwrap(),
            Expr::Term {
                field: Field::Text,
                value: Value::Phrase("jumlah penduduk".into())
            }
        );
        assert_eq!(
            parse("kes*").unwrap(),
            Expr::Term {
                field: Field::Text,
                value: Value::Prefix("kes".into())
            }
        );
        assert_eq!(
            parse("tags:*").unwrap(),
            Expr::Term {
                field: Field::Tags,
                value: Value::Any
            }
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(
            parse("metadata_modified:[2024-01-01T00:00:00Z TO *]").unwrap(),
            Expr::Range {
                field: Field::MetadataModified,
                lower: Bound::Inclusive(Point::Date(DatePoint::At(t("2024-01-01T00:00:00Z")))),
                upper: Bound::Open,
            }
        );
        assert_eq!(
            parse("metadata_created:{* TO 2024-06-01T00:00:00.123456Z}").unwrap(),
            Expr::Range {
                field: Field::MetadataCreated,
                lower: Bound::Open,
                upper: Bound::Exclusive(Point::Date(DatePoint::At(t("2024-06-01T00:00:00.123456Z")))),
            }
        );
        assert_eq!(
            parse("metadata_modified:[NOW-1DAY TO NOW]").unwrap(),
            Expr::Range {
                field: Field::MetadataModified,
                lower: Bound::Inclusive(Point::Date(DatePoint::Now(vec![DateStep::Add(-1, DateUnit::Day)]))),
                upper: Bound::Inclusive(Point::Date(DatePoint::Now(vec![]))),
            }
        );
        assert_eq!(
            parse("tahun:[2020 TO 2023]").unwrap(),
            Expr::Range {
                field: Field::Extra(Extra::Tahun),
                lower: Bound::Inclusive(Point::Text("2020".into())),
                upper: Bound::Inclusive(Point::Text("2023".into())),
            }
        );
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert!(
            err("title:\"open").starts_with("unclosed quote at position 6"),
            "{}",
            err("title:\"open")
        );
        assert!(err("(a OR b").starts_with("unclosed \"(\""));
        assert!(err("a)").starts_with("unexpected \")\""));
        assert!(err("metadata_modified:[2024-01-01T00:00:00Z TO *").starts_with("unclosed range"));
        assert!(err("metadata_modified:[2024-01-01 *]").contains("TO"));
        assert!(err("metadata_modified:[yesterday TO *]").contains("is not a date"));
        assert!(err("metadata_modified:[NOW-1FORTNIGHT TO *]").contains("is not a date"));
        assert!(err("metadata_modified:soon").contains("is not a date"));
        assert!(err("num_resources:[satu TO *]").contains("is not a number"));
        assert!(err("num_tags:dua").contains("is not a number"));
        assert_eq!(err("colour:red"), "unknown field \"colour\" at position 0");
        assert!(err("name:").starts_with("missing a value after \"name:\""));
        assert!(err("name: x").starts_with("missing a value"));
        assert!(err("a OR").starts_with("missing a term"));
        assert!(err("a OR OR b").starts_with("missing a term before \"OR\""));
        assert!(err("AND a").starts_with("missing a term before \"AND\""));
        assert_eq!(parse("\\OR").unwrap(), term(Field::Text, "OR"));
        assert!(err("- a").contains("after \"-\""));
        assert!(err("()").contains("empty group"));
        assert!(err("*:x").contains("*:*"));
        assert!(err("]").contains("unexpected"));
        for odd in [
            "metadata_modified:[NOWé TO *]",
            "metadata_modified:[NOW-é TO *]",
            "metadata_modified:[NOW-1é TO *]",
        ] {
            assert!(err(odd).contains("is not a date"), "{odd}");
        }
    }

    #[test]
    fn limits_hold() {
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert!(err(&deep).contains("deeper"));
        let negs = format!("{}a", "-".repeat(100));
        assert!(err(&negs).contains("deeper"));
        let many = vec!["a"; MAX_TERMS + 1].join(" ");
        assert!(err(&many).contains("terms"));
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert!(err(&long).contains("longer"));
        assert!(parse(&vec!["a"; MAX_TERMS].join(" ")).is_ok());
    }

    /// A xorshift generator: the fuzz loops are the same on every run.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// The two promises over every query: the parser returns (no panic, no endless
    /// recursion), and what it accepts evaluates and is written back to itself. Returns how
    /// many were accepted, so a loop that only builds garbage is noticed.
    fn check_all(queries: impl Iterator<Item = String>) -> usize {
        let fields = sample();
        let now = t("2025-01-01T00:00:00Z");
        let mut accepted = 0;
        for q in queries {
            if let Ok(e) = parse(&q) {
                accepted += 1;
                let _ = e.matches_at(&fields, now);
                let shown = e.to_string();
                assert_eq!(parse(&shown).as_ref(), Ok(&e), "{q:?} was written back as {shown:?}");
            }
        }
        accepted
    }

    /// Random strings over the grammar's pieces.
    #[test]
    fn fuzz_pieces() {
        const PIECES: &[&str] = &[
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "\"",
            ":",
            "-",
            "+",
            "!",
            "*",
            "\\",
            " ",
            " ",
            " ",
            "OR",
            "AND",
            "NOT",
            "||",
            "&&",
            "TO",
            "name",
            "tags",
            "metadata_modified",
            "tahun",
            "x",
            "kes",
            "2024-01-01T00:00:00Z",
            "NOW",
            "-1DAY",
            "/DAY",
            "é",
            "\t",
            "*:*",
            "organization",
            "metadata_modified:[NOW",
            "[NOWé",
            "tahun:[",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let queries = (0..5000).map(|_| {
            let len = rng.below(24);
            (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect::<String>()
        });
        let accepted = check_all(queries.collect::<Vec<_>>().into_iter());
        assert!(accepted > 100, "the fuzz strings should not all be refused: {accepted}");
    }

    /// Random characters: inputs the grammar's pieces would not build.
    #[test]
    fn fuzz_characters() {
        let alphabet: Vec<char> = "()[]{}\":-+!*\\/ \tabOANDRTNOW019é中_".chars().collect();
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let queries: Vec<String> = (0..5000)
            .map(|_| {
                let len = rng.below(20);
                (0..len).map(|_| alphabet[rng.below(alphabet.len())]).collect()
            })
            .collect();
        let accepted = check_all(queries.into_iter());
        assert!(accepted > 300, "too few random strings parsed: {accepted}");
    }

    #[test]
    fn written_back_and_read_again() {
        for q in [
            "organization:a OR organization:b -groups:c",
            "title:\"Kota \\\"Pontianak\\\"\" kes* -rujukan:*",
            "name:a\\*",
            "\\OR \\-x a\\:b",
            "tahun:[\"2020\" TO \"2024\"} metadata_modified:{NOW-1DAY/DAY TO *]",
            "metadata_created:[2024-01-01T00:00:00.5Z TO 2024-02-01]",
            "((a OR b) c) OR NOT (d AND -e)",
            "*:* -*:*",
        ] {
            let e = parse(q).unwrap();
            assert_eq!(parse(&e.to_string()).unwrap(), e, "{q} -> {e}");
        }
        assert_eq!(
            parse("name:a\\*").unwrap(),
            term(Field::Name, "a*"),
            "an escaped star is not a prefix"
        );
        assert_eq!(
            parse("organization:(a OR b)").unwrap().to_string(),
            "organization:a OR organization:b"
        );
        assert_eq!(
            parse("tahun:[\"20 20\" TO 2024]").unwrap(),
            Expr::Range {
                field: Field::Extra(Extra::Tahun),
                lower: Bound::Inclusive(Point::Text("20 20".into())),
                upper: Bound::Inclusive(Point::Text("2024".into())),
            }
        );
    }

    fn sample() -> PackageFields {
        PackageFields {
            id: "6f1c0f7e-0000-4000-8000-000000000001".into(),
            name: "kunjungan-puskesmas".into(),
            title: "Jumlah Kunjungan Pasien Puskesmas".into(),
            notes: "Kunjungan rawat jalan per puskesmas di Kota Pontianak".into(),
            organization: "dinkes".into(),
            organization_title: "Dinas Kesehatan".into(),
            groups: vec![("kesehatan".into(), "Kesehatan".into())],
            tags: vec!["puskesmas".into(), "jkn".into()],
            res_format: vec!["CSV".into(), "Parquet".into()],
            license_id: "cc-by".into(),
            metadata_modified: t("2024-06-15T10:00:00Z"),
            metadata_created: t("2024-01-10T08:00:00Z"),
            extras: vec![
                (Extra::FrekuensiPenerbitan, "bulanan".into()),
                (Extra::Tahun, "2024".into()),
                (Extra::LevelPenyajian, "kabupaten/kota".into()),
            ],
            private: false,
            text: String::new(),
            downloads: 0,
            num_resources: 2,
        }
    }

    #[test]
    fn text_terms_skip_negations_and_fields() {
        let e = parse("penduduk \"kota pontianak\" -jakarta title:x (kes* OR sehat)").unwrap();
        assert_eq!(e.text_terms(), ["penduduk", "kota pontianak", "kes", "sehat"]);
        assert!(parse("*:*").unwrap().text_terms().is_empty());
    }

    #[test]
    fn evaluation() {
        let f = sample();
        let now = t("2024-06-16T09:00:00Z");
        let yes = |q: &str| assert!(parse(q).unwrap().matches_at(&f, now), "{q} should match");
        let no = |q: &str| assert!(!parse(q).unwrap().matches_at(&f, now), "{q} should not match");
        yes("*:*");
        yes("organization:dinkes");
        no("organization:dinkes-lain");
        no("-organization:dinkes");
        yes("organization:a OR organization:dinkes");
        yes("organization:(a OR dinkes)");
        no("organization:a OR organization:b");
        yes("tags:jkn AND res_format:CSV");
        no("tags:JKN");
        yes("title:puskesmas");
        yes("title:PUSKESMAS");
        yes("title:\"kunjungan pasien\"");
        no("title:\"pasien kunjungan\"");
        yes("level_penyajian:kota");
        yes("level_penyajian:\"kabupaten/kota\"");
        yes("frekuensi_penerbitan:bulanan");
        no("frekuensi_penerbitan:tahunan");
        yes("tahun:[2020 TO 2024]");
        no("tahun:{2020 TO 2024}");
        no("rujukan:*");
        yes("-rujukan:*");
        yes("metadata_modified:[2024-06-01T00:00:00Z TO *]");
        yes("metadata_modified:[* TO 2024-06-15T10:00:00Z]");
        no("metadata_modified:{* TO 2024-06-15T10:00:00Z}");
        no("metadata_modified:[2024-06-15T10:00:00.000001Z TO *]");
        yes("metadata_modified:[NOW-1DAY TO NOW]");
        no("metadata_modified:[NOW/DAY TO *]");
        yes("metadata_modified:[NOW-1MONTH/MONTH TO *]");
        yes("metadata_modified:2024-06-15T10:00:00Z");
        yes("pontianak");
        yes("Kesehatan");
        yes("kes*");
        no("jakarta");
        yes("capacity:public type:dataset");
        yes("name:kunjungan*");
        no("name:kunjungan");
        yes("id:6f1c0f7e-0000-4000-8000-000000000001");
        yes("num_resources:[1 TO *]");
        no("num_resources:[3 TO *]");
        yes("num_resources:2");
        yes("num_tags:{1 TO 3}");
        no("num_tags:{2 TO 3}");
    }
}
