//! The typed parameters of each action, with CKAN's defaults and limits
//! (`ckan/logic/schema.py`, `ckan/logic/action/get.py`, `ckanext/datastore/logic/schema.py`).

use serde_json::Value;

use crate::error::{ApiError, FieldErrors, Result};
use crate::params::Params;
use crate::query::{self, Expr};
use crate::sort::{DEFAULT_SORT, Sort};

/// `ckan.search.rows_max`.
pub const ROWS_MAX: u64 = 1000;
/// `package_search`'s default `rows`.
pub const ROWS_DEFAULT: u64 = 10;
/// `search.facets.limit`.
pub const FACET_LIMIT_DEFAULT: usize = 50;
/// `ckan.datastore.search.rows_max`.
pub const DATASTORE_LIMIT_MAX: u64 = 32000;
/// `ckan.datastore.search.rows_default`.
pub const DATASTORE_LIMIT_DEFAULT: u64 = 100;
/// `ckan.group_and_organization_list_max`.
pub const GROUP_LIST_MAX: u64 = 1000;
/// `ckan.group_and_organization_list_all_fields_max`.
pub const GROUP_LIST_ALL_FIELDS_MAX: u64 = 25;

/// `package_search`.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageSearch {
    /// `q` parsed (`*:*` when absent, empty, `""` or `''`).
    pub q: Expr,
    /// `q` as sent (after the default), for ranking by the integrator's full-text search.
    pub q_text: String,
    /// `fq` and every `fq_list` item, parsed and joined by AND.
    pub fq: Expr,
    /// `rows`: default 10, larger values become 1000.
    pub rows: u64,
    /// `start`: default 0.
    pub start: u64,
    /// `sort` parsed.
    pub sort: Sort,
    /// `sort` as the answer echoes it.
    pub sort_text: String,
    /// `facet.field` (a JSON list, or JSON text in a string); empty when `facet` is false.
    pub facet_fields: Vec<String>,
    /// `facet.limit`: default 50; a negative value means no limit (`None`).
    pub facet_limit: Option<usize>,
    /// `facet.mincount`: default 1.
    pub facet_mincount: u64,
    /// `include_private`: default false; the integrator decides what the token may see.
    pub include_private: bool,
    /// `include_drafts`: default false.
    pub include_drafts: bool,
}

impl PackageSearch {
    /// Reads and checks the parameters; every field error is reported at once, as CKAN's
    /// schema validation does.
    pub fn from_params(p: &Params) -> Result<Self> {
        let mut errors = Errors::default();
        let rows = errors
            .take(p.natural_capped("rows", ROWS_DEFAULT, ROWS_MAX))
            .unwrap_or(ROWS_DEFAULT);
        let start = errors.take(p.natural("start", 0)).unwrap_or(0);
        let facet_mincount = errors.take(p.natural("facet.mincount", 1)).unwrap_or(1);
        let facet_limit = match errors.take(p.int("facet.limit")).flatten() {
            None => Some(FACET_LIMIT_DEFAULT),
            Some(n) => usize::try_from(n).ok(),
        };
        let facet_fields = errors
            .take(p.json_list_of_strings("facet.field"))
            .flatten()
            .unwrap_or_default();
        let include_private = errors.take(p.strict_bool("include_private", false)).unwrap_or(false);
        let include_drafts = errors.take(p.strict_bool("include_drafts", false)).unwrap_or(false);
        let facet = p.string("facet").is_none_or(|f| f.to_lowercase() != "false");
        let fq_list = match p.get("fq_list") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(_) => {
                errors.push("fq_list", "Not a list");
                Vec::new()
            }
        };
        errors.finish()?;

        let q_text = match p.string("q") {
            Some(q) if !q.trim().is_empty() && q != "\"\"" && q != "''" => q,
            _ => "*:*".to_owned(),
        };
        let q = query::parse(&q_text)?;
        let fq_text = p.string("fq").unwrap_or_default();
        let fq = query::parse_all(std::iter::once(fq_text.as_str()).chain(fq_list.iter().map(String::as_str)))?;
        let sort_text = match p.string("sort") {
            Some(s) if !s.trim().is_empty() => s,
            _ => DEFAULT_SORT.to_owned(),
        };
        let sort = Sort::parse(&sort_text)?;
        for field in &facet_fields {
            if query::Field::parse(field).is_none() {
                return Err(ApiError::SearchQuery(format!("unknown facet field \"{field}\"")));
            }
        }
        Ok(Self {
            q,
            q_text,
            fq,
            rows,
            start,
            sort,
            sort_text,
            facet_fields: if facet { facet_fields } else { Vec::new() },
            facet_limit,
            facet_mincount,
            include_private,
            include_drafts,
        })
    }

    /// The query and filters as one expression: what a package must match to be counted.
    /// Visibility is not in it: which private datasets a caller may see (`include_private`
    /// and the token's rights) is the integrator's, as CKAN adds `+capacity:public` or the
    /// caller's permission labels itself.
    pub fn filter(&self) -> Expr {
        Expr::and(vec![self.q.clone(), self.fq.clone()])
    }
}

/// `package_list` and `current_package_list_with_resources`: `limit` and `offset` (`page`,
/// deprecated, counts pages of `limit`). `package_list` without a `limit` lists every name;
/// `current_package_list_with_resources` runs a search of [`PackageList::search_rows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackageList {
    /// `limit`, if given.
    pub limit: Option<u64>,
    /// `offset` (or `(page - 1) * limit`).
    pub offset: u64,
}

impl PackageList {
    /// Reads `limit`, `offset` and `page`.
    pub fn from_params(p: &Params) -> Result<Self> {
        let mut errors = Errors::default();
        let limit = errors.take(p.int("limit")).flatten();
        let offset = errors.take(p.natural("offset", 0)).unwrap_or(0);
        let page = errors.take(p.int("page")).flatten();
        let limit = match limit {
            Some(n) if n < 0 => {
                errors.push("limit", "Must be a natural number");
                None
            }
            other => other.map(|n| n.unsigned_abs()),
        };
        errors.finish()?;
        // `current_package_list_with_resources`: `page` counts only without `offset`, and only
        // with a `limit`; the offset it makes is then checked as package_search's `start`.
        let offset = match (page, limit) {
            (Some(page), Some(limit)) if p.get("offset").is_none() => {
                let start = (page - 1).saturating_mul(i64::try_from(limit).unwrap_or(i64::MAX));
                u64::try_from(start).map_err(|_| ApiError::field("start", "Must be a natural number"))?
            }
            (Some(_), None) if p.get("offset").is_none() => 0,
            _ => offset,
        };
        Ok(Self { limit, offset })
    }

    /// The `rows` of the search `current_package_list_with_resources` makes: `limit`, or
    /// package_search's default of 10, at most 1000.
    pub fn search_rows(&self) -> u64 {
        self.limit.unwrap_or(ROWS_DEFAULT).min(ROWS_MAX)
    }
}

/// `package_show`, `resource_show`: `id` (a name or an id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Show {
    /// The id or name asked for.
    pub id: String,
}

impl Show {
    /// `{"id": ["Missing value"]}` without an id.
    pub fn from_params(p: &Params) -> Result<Self> {
        Ok(Self {
            id: p.required_string("id")?,
        })
    }
}

/// `package_show`'s parameters.
pub type PackageShow = Show;
/// `resource_show`'s parameters.
pub type ResourceShow = Show;

/// How `organization_list` and `group_list` sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupSort {
    /// `name`.
    Name,
    /// `title` (the default, ascending).
    Title,
    /// `package_count` (`packages`); descending when no direction is given.
    PackageCount,
}

/// `organization_list` and `group_list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupList {
    /// `all_fields`: dicts rather than names.
    pub all_fields: bool,
    /// `limit`: at most 1000 names or 25 dicts.
    pub limit: u64,
    /// `offset`.
    pub offset: u64,
    /// `sort` field.
    pub sort: GroupSort,
    /// `sort` direction.
    pub descending: bool,
    /// `organizations` / `groups`: only these names.
    pub only: Option<Vec<String>>,
}

impl GroupList {
    /// Reads the parameters; `only_key` is `organizations` or `groups`.
    pub fn from_params(p: &Params, only_key: &str) -> Result<Self> {
        let all_fields = p.boolean("all_fields", false);
        let max = if all_fields {
            GROUP_LIST_ALL_FIELDS_MAX
        } else {
            GROUP_LIST_MAX
        };
        let mut errors = Errors::default();
        let limit = errors.take(p.natural_capped("limit", max, max)).unwrap_or(max);
        let offset = errors.take(p.natural("offset", 0)).unwrap_or(0);
        let only = errors.take(p.list_or_comma_string(only_key)).flatten();
        errors.finish()?;
        let text = p
            .string("sort")
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "title asc".into());
        let text = match text.trim() {
            "packages" | "package_count" => "package_count desc".to_owned(),
            other => other.to_owned(),
        };
        // `_unpick_search(sort, allowed_fields, total=1)`: every clause is checked, then counted.
        let mut clauses = Vec::new();
        for part in text.split(',') {
            let mut words = part.split_whitespace();
            let field = words.next().unwrap_or_default();
            let sort = match field {
                "name" => GroupSort::Name,
                "title" => GroupSort::Title,
                "packages" | "package_count" => GroupSort::PackageCount,
                other => return Err(ApiError::ValidationMessage(format!("Cannot sort by field `{other}`"))),
            };
            let descending = match words.next().map(str::to_ascii_lowercase).as_deref() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(other) => {
                    return Err(ApiError::ValidationMessage(format!("Invalid sort direction `{other}`")));
                }
            };
            clauses.push((sort, descending));
        }
        let [(sort, descending)] = clauses[..] else {
            return Err(ApiError::ValidationMessage(
                "Too many sort criteria provided only 1 allowed".into(),
            ));
        };
        Ok(Self {
            all_fields,
            limit,
            offset,
            sort,
            descending,
            only,
        })
    }
}

/// `organization_show` and `group_show`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupShow {
    /// The id or name asked for.
    pub id: String,
    /// `include_datasets`: default false; then the first 10 datasets are listed.
    pub include_datasets: bool,
}

/// `organization_show`'s parameters.
pub type OrganizationShow = GroupShow;
/// `organization_list`'s parameters.
pub type OrganizationList = GroupList;

/// How many datasets `organization_show` lists with `include_datasets`.
pub const SHOW_DATASETS: usize = 10;

impl GroupShow {
    /// Reads `id` and `include_datasets`.
    pub fn from_params(p: &Params) -> Result<Self> {
        Ok(Self {
            id: p.required_string("id")?,
            include_datasets: p.boolean("include_datasets", false),
        })
    }
}

/// `tag_list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagList {
    /// `query` (or `q`): only tags containing it.
    pub query: Option<String>,
    /// `all_fields`: tag dicts rather than names.
    pub all_fields: bool,
}

impl TagList {
    /// Reads `query`/`q` and `all_fields`.
    pub fn from_params(p: &Params) -> Result<Self> {
        let query = p.string("query").or_else(|| p.string("q")).filter(|q| !q.is_empty());
        Ok(Self {
            query,
            all_fields: p.boolean("all_fields", false),
        })
    }
}

/// `datastore_search`'s `records_format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordsFormat {
    /// A list of objects (the default).
    Objects,
    /// A list of lists, in `fields` order.
    Lists,
    /// One CSV string, no header.
    Csv,
    /// One TSV string, no header.
    Tsv,
}

impl RecordsFormat {
    /// The word clients send.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Objects => "objects",
            Self::Lists => "lists",
            Self::Csv => "csv",
            Self::Tsv => "tsv",
        }
    }
}

/// `datastore_search`'s `q`: text over every column, or text per column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatastoreQ {
    /// Full text over the row.
    Text(String),
    /// `{"column": "text"}`.
    PerField(Vec<(String, String)>),
}

/// `datastore_search`'s `filters`: a value, or a list meaning any of them.
pub type Filters = Vec<(String, Vec<Value>)>;

/// One `sort` clause of `datastore_search` (`"a desc"`, `"\"b c\" asc nulls last"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatastoreSortKey {
    /// The clause as sent, trimmed (what an error about it quotes).
    pub clause: String,
    /// Column.
    pub field: String,
    /// `desc`.
    pub descending: bool,
    /// `nulls first` (`Some(true)`) or `nulls last` (`Some(false)`).
    pub nulls_first: Option<bool>,
}

/// `datastore_search`.
#[derive(Debug, Clone, PartialEq)]
pub struct DatastoreSearch {
    /// `resource_id` (or `id`).
    pub resource_id: String,
    /// `filters`.
    pub filters: Filters,
    /// `q`.
    pub q: Option<DatastoreQ>,
    /// `fields`: the columns to return, in order (`None`: all).
    pub fields: Option<Vec<String>>,
    /// `sort`.
    pub sort: Vec<DatastoreSortKey>,
    /// `limit`: default 100, larger values become 32000.
    pub limit: u64,
    /// `offset`.
    pub offset: u64,
    /// `include_total`: default true.
    pub include_total: bool,
    /// `records_format`.
    pub records_format: RecordsFormat,
    /// `distinct`.
    pub distinct: bool,
    /// `plain`: default true (plain text rather than tsquery syntax).
    pub plain: bool,
}

impl DatastoreSearch {
    /// Reads the parameters. Whether the named columns exist is checked later, against the
    /// table, by [`DatastoreSearch::check_columns`].
    pub fn from_params(p: &Params) -> Result<Self> {
        let mut errors = Errors::default();
        let resource_id = p
            .string("resource_id")
            .or_else(|| p.string("id"))
            .filter(|s| !s.is_empty());
        if resource_id.is_none() {
            errors.push("resource_id", "Missing value");
        }
        let limit = errors
            .take(p.natural_capped("limit", DATASTORE_LIMIT_DEFAULT, DATASTORE_LIMIT_MAX))
            .unwrap_or(DATASTORE_LIMIT_DEFAULT);
        let offset = errors.take(p.natural("offset", 0)).unwrap_or(0);
        let fields = errors.take(p.list_or_comma_string("fields")).flatten();
        let sort_clauses = errors
            .take(p.list_or_comma_string("sort"))
            .flatten()
            .unwrap_or_default();
        let filters = match errors.take(p.json("filters")).flatten() {
            None => Vec::new(),
            Some(Value::Object(map)) => map
                .into_iter()
                .map(|(k, v)| match v {
                    Value::Array(values) => (k, values),
                    one => (k, vec![one]),
                })
                .collect(),
            Some(_) => {
                errors.push("filters", "Not a json object");
                Vec::new()
            }
        };
        let q = match p.get("q") {
            None => None,
            Some(Value::Object(map)) => Some(per_field(map, &mut errors)),
            Some(Value::String(s)) if s.trim_start().starts_with('{') => match serde_json::from_str::<Value>(s) {
                Ok(Value::Object(map)) => Some(per_field(&map, &mut errors)),
                _ => {
                    errors.push("q", "Cannot parse JSON");
                    None
                }
            },
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => Some(DatastoreQ::Text(s.clone())),
            Some(_) => {
                errors.push("q", "Must be a string or a JSON object");
                None
            }
        };
        let records_format = match p.string("records_format").as_deref() {
            None | Some("objects") => RecordsFormat::Objects,
            Some("lists") => RecordsFormat::Lists,
            Some("csv") => RecordsFormat::Csv,
            Some("tsv") => RecordsFormat::Tsv,
            Some(_) => {
                errors.push(
                    "records_format",
                    "Value must be one of ['objects', 'lists', 'csv', 'tsv']",
                );
                RecordsFormat::Objects
            }
        };
        let mut sort = Vec::new();
        for clause in &sort_clauses {
            match parse_sort_clause(clause) {
                Some(key) => sort.push(key),
                None => errors.push("sort", format!("invalid value \"{clause}\"")),
            }
        }
        errors.finish()?;
        Ok(Self {
            resource_id: resource_id.unwrap_or_default(),
            filters,
            q,
            fields,
            sort,
            limit,
            offset,
            include_total: p.boolean("include_total", true),
            records_format,
            distinct: p.boolean("distinct", false),
            plain: p.boolean("plain", true),
        })
    }

    /// CKAN's check against the table: a filter, a `q` column, a field or a sort on a column
    /// that does not exist is `{"<param>": ["invalid value \"<column>\""]}`. `_id` always exists.
    pub fn check_columns(&self, columns: &[&str]) -> Result<()> {
        let known = |c: &str| c == "_id" || columns.contains(&c);
        let bad = |param: &str, value: &str| Err(ApiError::field(param, format!("invalid value \"{value}\"")));
        if let Some((name, _)) = self.filters.iter().find(|(k, _)| !known(k)) {
            return bad("filters", name);
        }
        if let Some(DatastoreQ::PerField(pairs)) = &self.q
            && let Some((name, _)) = pairs.iter().find(|(k, _)| !known(k))
        {
            return bad("q", name);
        }
        if let Some(name) = self.fields.iter().flatten().find(|f| !known(f)) {
            return bad("fields", name);
        }
        if let Some(key) = self.sort.iter().find(|k| !known(&k.field)) {
            return bad("sort", &key.clause);
        }
        Ok(())
    }
}

fn per_field(map: &serde_json::Map<String, Value>, errors: &mut Errors) -> DatastoreQ {
    let mut pairs = Vec::new();
    for (k, v) in map {
        match v {
            Value::String(s) => pairs.push((k.clone(), s.clone())),
            other => {
                errors.push("q", format!("invalid value \"{other}\""));
            }
        }
    }
    DatastoreQ::PerField(pairs)
}

/// `_parse_sort_clause`: `field`, `field asc|desc`, then optional `nulls first|last`; a field
/// may be double-quoted.
fn parse_sort_clause(clause: &str) -> Option<DatastoreSortKey> {
    let clause = clause.trim();
    let (field, rest) = if let Some(quoted) = clause.strip_prefix('"') {
        let end = quoted.find('"')?;
        (&quoted[..end], &quoted[end + 1..])
    } else {
        match clause.find(' ') {
            Some(i) => (&clause[..i], &clause[i..]),
            None => (clause, ""),
        }
    };
    if field.is_empty() {
        return None;
    }
    let words: Vec<String> = rest.split_whitespace().map(str::to_lowercase).collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let (descending, rest) = match words.as_slice() {
        ["asc", rest @ ..] => (false, rest),
        ["desc", rest @ ..] => (true, rest),
        rest => (false, rest),
    };
    let nulls_first = match rest {
        [] => None,
        ["nulls", "first"] => Some(true),
        ["nulls", "last"] => Some(false),
        _ => return None,
    };
    Some(DatastoreSortKey {
        clause: clause.to_owned(),
        field: field.to_owned(),
        descending,
        nulls_first,
    })
}

/// Collects field errors so that one answer names every bad field.
#[derive(Default)]
struct Errors(FieldErrors);

impl Errors {
    /// The value, or `None` with its field errors recorded. The coercions only ever fail with
    /// field errors; anything else is kept as a message of its own.
    fn take<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(ApiError::Validation(FieldErrors(fields))) => {
                for (field, messages) in fields {
                    for m in messages {
                        self.push(&field, m);
                    }
                }
                None
            }
            Err(other) => {
                self.push("message", other.to_string());
                None
            }
        }
    }

    fn push(&mut self, field: &str, message: impl Into<String>) {
        match self.0.0.iter_mut().find(|(f, _)| f == field) {
            Some((_, messages)) => messages.push(message.into()),
            None => self.0.0.push((field.to_owned(), vec![message.into()])),
        }
    }

    fn finish(self) -> Result<()> {
        if self.0.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{Field, Value as QValue};
    use serde_json::json;

    fn p(v: Value) -> Params {
        Params::from_value(v).unwrap()
    }

    #[test]
    fn package_search_defaults() {
        let s = PackageSearch::from_params(&Params::default()).unwrap();
        assert_eq!(s.q, Expr::All);
        assert_eq!(s.q_text, "*:*");
        assert_eq!(s.fq, Expr::All);
        assert_eq!((s.rows, s.start), (10, 0));
        assert_eq!(s.sort, Sort::default_order());
        assert_eq!(s.sort_text, DEFAULT_SORT);
        assert_eq!(s.facet_fields, Vec::<String>::new());
        assert_eq!((s.facet_limit, s.facet_mincount), (Some(50), 1));
        assert!(!s.include_private);
    }

    #[test]
    fn package_search_from_a_query_string() {
        let q = Params::from_query(
            "q=puskesmas&fq=organization:dinkes&rows=100&start=200&sort=id+asc&facet.field=%5B%22tags%22%2C%22res_format%22%5D&facet.limit=-1&facet.mincount=2&include_private=True",
        );
        let s = PackageSearch::from_params(&q).unwrap();
        assert_eq!(
            s.q,
            Expr::Term {
                field: Field::Text,
                value: QValue::Word("puskesmas".into())
            }
        );
        assert_eq!(
            s.fq,
            Expr::Term {
                field: Field::Organization,
                value: QValue::Word("dinkes".into())
            }
        );
        assert_eq!((s.rows, s.start), (100, 200));
        assert_eq!(s.sort_text, "id asc");
        assert_eq!(s.facet_fields, vec!["tags", "res_format"]);
        assert_eq!((s.facet_limit, s.facet_mincount), (None, 2));
        assert!(s.include_private);
    }

    #[test]
    fn package_search_from_a_body() {
        let s = PackageSearch::from_params(&p(json!({
            "rows": 5000, "facet.field": ["organization"], "fq_list": ["tags:a", "-tags:b"], "fq": "", "q": "\"\""
        })))
        .unwrap();
        assert_eq!(s.rows, ROWS_MAX);
        assert_eq!(s.q, Expr::All);
        assert_eq!(s.fq, parse("tags:a -tags:b"));
        assert_eq!(s.facet_fields, vec!["organization"]);
        let s = PackageSearch::from_params(&p(json!({"facet": "false", "facet.field": ["tags"]}))).unwrap();
        assert!(s.facet_fields.is_empty());
    }

    fn parse(q: &str) -> Expr {
        crate::query::parse(q).unwrap()
    }

    #[test]
    fn package_search_errors_name_fields() {
        let e = PackageSearch::from_params(&p(json!({"rows": "-1", "start": "x", "facet.field": "tags"}))).unwrap_err();
        let ApiError::Validation(fields) = e else {
            panic!("{e:?}")
        };
        assert_eq!(fields.get("rows"), Some(&["Must be a natural number".to_owned()][..]));
        assert_eq!(fields.get("start"), Some(&["Invalid integer".to_owned()][..]));
        assert_eq!(
            fields.get("facet.field"),
            Some(&["Could not parse as valid JSON".to_owned()][..])
        );
        assert!(matches!(
            PackageSearch::from_params(&p(json!({"sort": "colour asc"}))),
            Err(ApiError::SearchQuery(_))
        ));
        assert!(matches!(
            PackageSearch::from_params(&p(json!({"fq": "colour:red"}))),
            Err(ApiError::SearchQuery(_))
        ));
        assert!(matches!(
            PackageSearch::from_params(&p(json!({"q": "(a"}))),
            Err(ApiError::SearchQuery(_))
        ));
        assert!(matches!(
            PackageSearch::from_params(&p(json!({"facet.field": ["colour"]}))),
            Err(ApiError::SearchQuery(_))
        ));
    }

    #[test]
    fn package_list() {
        assert_eq!(
            PackageList::from_params(&Params::default()).unwrap(),
            PackageList { limit: None, offset: 0 }
        );
        assert_eq!(
            PackageList::from_params(&p(json!({"limit": "10", "offset": 20}))).unwrap(),
            PackageList {
                limit: Some(10),
                offset: 20
            }
        );
        assert_eq!(
            PackageList::from_params(&p(json!({"limit": 10, "page": 3}))).unwrap(),
            PackageList {
                limit: Some(10),
                offset: 20
            }
        );
        assert_eq!(
            PackageList::from_params(&p(json!({"limit": -1}))).unwrap_err(),
            ApiError::field("limit", "Must be a natural number")
        );
        assert_eq!(
            PackageList::from_params(&p(json!({"page": 0, "limit": 5}))).unwrap_err(),
            ApiError::field("start", "Must be a natural number")
        );
        assert_eq!(
            PackageList::from_params(&p(json!({"page": 3}))).unwrap(),
            PackageList { limit: None, offset: 0 }
        );
        assert_eq!(
            PackageList::from_params(&p(json!({"page": 3, "limit": 10, "offset": 5}))).unwrap(),
            PackageList {
                limit: Some(10),
                offset: 5
            },
            "offset wins over page"
        );
        assert_eq!(PackageList::from_params(&Params::default()).unwrap().search_rows(), 10);
        assert_eq!(
            PackageList::from_params(&p(json!({"limit": 5000})))
                .unwrap()
                .search_rows(),
            1000
        );
    }

    #[test]
    fn shows() {
        assert_eq!(Show::from_params(&p(json!({"id": "abc"}))).unwrap().id, "abc");
        assert_eq!(
            Show::from_params(&Params::default()).unwrap_err(),
            ApiError::missing("id")
        );
        let g = GroupShow::from_params(&Params::from_query("id=dinkes&include_datasets=true")).unwrap();
        assert!(g.include_datasets);
        assert!(
            !GroupShow::from_params(&Params::from_query("id=dinkes"))
                .unwrap()
                .include_datasets
        );
    }

    #[test]
    fn group_lists() {
        let g = GroupList::from_params(&Params::default(), "organizations").unwrap();
        assert_eq!(
            (g.all_fields, g.limit, g.offset, g.sort, g.descending),
            (false, 1000, 0, GroupSort::Title, false)
        );
        let g = GroupList::from_params(&Params::from_query("all_fields=true&limit=500"), "organizations").unwrap();
        assert_eq!(g.limit, GROUP_LIST_ALL_FIELDS_MAX);
        let g = GroupList::from_params(&Params::from_query("sort=package_count"), "groups").unwrap();
        assert_eq!((g.sort, g.descending), (GroupSort::PackageCount, true));
        let g = GroupList::from_params(&Params::from_query("sort=name+desc&groups=a,b"), "groups").unwrap();
        assert_eq!((g.sort, g.descending), (GroupSort::Name, true));
        assert_eq!(g.only, Some(vec!["a".into(), "b".into()]));
        assert_eq!(
            GroupList::from_params(&Params::from_query("sort=colour"), "groups").unwrap_err(),
            ApiError::ValidationMessage("Cannot sort by field `colour`".into())
        );
        assert_eq!(
            GroupList::from_params(&Params::from_query("sort=name+up"), "groups").unwrap_err(),
            ApiError::ValidationMessage("Invalid sort direction `up`".into())
        );
        assert_eq!(
            GroupList::from_params(&Params::from_query("sort=name,title"), "groups").unwrap_err(),
            ApiError::ValidationMessage("Too many sort criteria provided only 1 allowed".into())
        );
    }

    #[test]
    fn tag_list() {
        assert_eq!(
            TagList::from_params(&Params::from_query("q=kes")).unwrap(),
            TagList {
                query: Some("kes".into()),
                all_fields: false
            }
        );
    }

    #[test]
    fn datastore_defaults_and_coercions() {
        let d = DatastoreSearch::from_params(&Params::from_query("resource_id=r1")).unwrap();
        assert_eq!(
            (d.limit, d.offset, d.include_total, d.records_format),
            (100, 0, true, RecordsFormat::Objects)
        );
        let d = DatastoreSearch::from_params(&Params::from_query(
            "id=r1&limit=99999&offset=10&fields=a,b&sort=a+desc,+b&include_total=false&records_format=csv&filters=%7B%22a%22%3A%5B1%2C2%5D%2C%22b%22%3A%22x%22%7D&q=%7B%22b%22%3A%22kota%22%7D",
        ))
        .unwrap();
        assert_eq!(d.resource_id, "r1");
        assert_eq!((d.limit, d.offset), (DATASTORE_LIMIT_MAX, 10));
        assert_eq!(d.fields, Some(vec!["a".into(), "b".into()]));
        assert_eq!(
            d.sort,
            vec![
                DatastoreSortKey {
                    clause: "a desc".into(),
                    field: "a".into(),
                    descending: true,
                    nulls_first: None
                },
                DatastoreSortKey {
                    clause: "b".into(),
                    field: "b".into(),
                    descending: false,
                    nulls_first: None
                },
            ]
        );
        assert!(!d.include_total);
        assert_eq!(d.records_format, RecordsFormat::Csv);
        assert_eq!(
            d.filters,
            vec![("a".into(), vec![json!(1), json!(2)]), ("b".into(), vec![json!("x")])]
        );
        assert_eq!(d.q, Some(DatastoreQ::PerField(vec![("b".into(), "kota".into())])));
        let d = DatastoreSearch::from_params(&p(
            json!({"resource_id": "r", "q": "kota", "sort": ["\"a b\" desc nulls last"]}),
        ))
        .unwrap();
        assert_eq!(d.q, Some(DatastoreQ::Text("kota".into())));
        assert_eq!(
            d.sort,
            vec![DatastoreSortKey {
                clause: "\"a b\" desc nulls last".into(),
                field: "a b".into(),
                descending: true,
                nulls_first: Some(false)
            }]
        );
    }

    #[test]
    fn datastore_errors() {
        let e = DatastoreSearch::from_params(&p(json!({"limit": -5, "records_format": "xml", "filters": "[1]"})))
            .unwrap_err();
        let ApiError::Validation(fields) = e else { panic!() };
        assert_eq!(fields.get("resource_id"), Some(&["Missing value".to_owned()][..]));
        assert_eq!(fields.get("limit"), Some(&["Must be a natural number".to_owned()][..]));
        assert_eq!(fields.get("filters"), Some(&["Not a json object".to_owned()][..]));
        assert!(fields.get("records_format").is_some());
        let e = DatastoreSearch::from_params(&p(json!({"resource_id": "r", "sort": "a sideways"}))).unwrap_err();
        assert_eq!(e, ApiError::field("sort", "invalid value \"a sideways\""));
        let e = DatastoreSearch::from_params(&p(json!({"resource_id": "r", "filters": "{bad"}))).unwrap_err();
        assert_eq!(e, ApiError::field("filters", "Cannot parse JSON"));
    }

    #[test]
    fn datastore_unknown_columns_are_named() {
        let cols = ["tahun", "jumlah"];
        let d = |v: Value| DatastoreSearch::from_params(&p(v)).unwrap();
        assert!(
            d(json!({"resource_id": "r", "filters": {"tahun": 2024}, "sort": "_id desc", "fields": "tahun"}))
                .check_columns(&cols)
                .is_ok()
        );
        assert_eq!(
            d(json!({"resource_id": "r", "filters": {"bulan": 1}}))
                .check_columns(&cols)
                .unwrap_err(),
            ApiError::field("filters", "invalid value \"bulan\"")
        );
        assert_eq!(
            d(json!({"resource_id": "r", "sort": "bulan desc"}))
                .check_columns(&cols)
                .unwrap_err(),
            ApiError::field("sort", "invalid value \"bulan desc\"")
        );
        assert_eq!(
            d(json!({"resource_id": "r", "fields": ["tahun", "x"]}))
                .check_columns(&cols)
                .unwrap_err(),
            ApiError::field("fields", "invalid value \"x\"")
        );
        assert_eq!(
            d(json!({"resource_id": "r", "q": {"y": "a"}}))
                .check_columns(&cols)
                .unwrap_err(),
            ApiError::field("q", "invalid value \"y\"")
        );
    }
}
