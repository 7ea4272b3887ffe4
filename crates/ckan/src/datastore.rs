//! `datastore_search`'s answer (`ckanext/datastore/backend/postgres.py: search_data`,
//! `_insert_links`): fields, records in three formats, total and paging links.

use serde_json::{Map, Value, json};

use crate::actions::{DatastoreQ, DatastoreSearch, RecordsFormat};
use crate::error::{ApiError, Result};

/// A column type as the DataStore names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ColumnType {
    /// `int`.
    Int,
    /// `numeric`.
    Numeric,
    /// `text`.
    Text,
    /// `date`.
    Date,
    /// `timestamp`.
    Timestamp,
    /// `bool`.
    Bool,
}

impl ColumnType {
    /// The type's name in `fields[].type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Int => "int",
            Self::Numeric => "numeric",
            Self::Text => "text",
            Self::Date => "date",
            Self::Timestamp => "timestamp",
            Self::Bool => "bool",
        }
    }
}

/// One column of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Its name.
    pub id: String,
    /// Its type.
    pub column_type: ColumnType,
}

/// One row: its `_id` (the row's number in the release, from 1) and its values in column order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `_id`.
    pub id: u64,
    /// Values, one per table column.
    pub values: Vec<Value>,
}

/// The request URL, from which `_links` are built: the path and the raw query string (a POST
/// has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestUrl<'a> {
    /// `/api/3/action/datastore_search`.
    pub path: &'a str,
    /// `resource_id=...&limit=5`, without `?`.
    pub query: &'a str,
}

/// `_links`: `start` (the URL without `offset`), `next` (`offset` + `limit`) and `prev` when
/// `offset` − `limit` > 0, as `_insert_links` builds them.
pub fn links(url: RequestUrl<'_>, limit: u64, offset: u64) -> Value {
    let mut args: Vec<(String, String)> = Vec::new();
    for (k, v) in form_urlencoded::parse(url.query.as_bytes()) {
        if v.is_empty() {
            continue;
        }
        match args.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = v.into_owned(),
            None => args.push((k.into_owned(), v.into_owned())),
        }
    }
    let build = |offset: Option<i128>| {
        let mut args = args.clone();
        match offset {
            None => args.retain(|(k, _)| k != "offset"),
            Some(o) => match args.iter_mut().find(|(k, _)| k == "offset") {
                Some(slot) => slot.1 = o.to_string(),
                None => args.push(("offset".into(), o.to_string())),
            },
        }
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(args)
            .finish();
        if query.is_empty() {
            url.path.to_owned()
        } else {
            format!("{}?{query}", url.path)
        }
    };
    let (limit, offset) = (i128::from(limit), i128::from(offset));
    let mut out = Map::new();
    out.insert("start".into(), build(None).into());
    out.insert("next".into(), build(Some(offset + limit)).into());
    if offset - limit > 0 {
        out.insert("prev".into(), build(Some(offset - limit)).into());
    }
    Value::Object(out)
}

/// The columns a search returns: `fields` in the order asked, else `_id` then every column.
/// Each is `(index into the row values or None for _id, Column)`.
fn selected(search: &DatastoreSearch, columns: &[Column]) -> Result<Vec<(Option<usize>, Column)>> {
    let id = || Column {
        id: "_id".into(),
        column_type: ColumnType::Int,
    };
    match &search.fields {
        None => Ok(std::iter::once((None, id()))
            .chain(columns.iter().enumerate().map(|(i, c)| (Some(i), c.clone())))
            .collect()),
        Some(names) => names
            .iter()
            .map(|n| {
                if n == "_id" {
                    return Ok((None, id()));
                }
                columns
                    .iter()
                    .position(|c| &c.id == n)
                    .map(|i| (Some(i), columns[i].clone()))
                    .ok_or_else(|| ApiError::field("fields", format!("invalid value \"{n}\"")))
            })
            .collect(),
    }
}

/// The `datastore_search` result for one page of rows that the integrator found.
///
/// `total` is the number of matching rows (used when `include_total`); `rows` are already
/// filtered, sorted and cut to `limit`/`offset`. Without a `sort`, CKAN orders rows by `_id`
/// (or by text rank when `q` is given), so paging is stable. Columns named in the parameters that the
/// table lacks are the Validation Error CKAN answers.
pub fn datastore_result(
    search: &DatastoreSearch,
    columns: &[Column],
    rows: &[Row],
    total: u64,
    url: RequestUrl<'_>,
) -> Result<Value> {
    let names: Vec<&str> = columns.iter().map(|c| c.id.as_str()).collect();
    search.check_columns(&names)?;
    let selected = selected(search, columns)?;
    let cell = |row: &Row, index: Option<usize>| match index {
        None => Value::from(row.id),
        Some(i) => row.values.get(i).cloned().unwrap_or(Value::Null),
    };
    let records: Value = match search.records_format {
        RecordsFormat::Objects => rows
            .iter()
            .map(|r| Value::Object(selected.iter().map(|(i, c)| (c.id.clone(), cell(r, *i))).collect()))
            .collect(),
        RecordsFormat::Lists => rows
            .iter()
            .map(|r| Value::Array(selected.iter().map(|(i, _)| cell(r, *i)).collect()))
            .collect(),
        RecordsFormat::Csv | RecordsFormat::Tsv => {
            let delimiter = if search.records_format == RecordsFormat::Csv {
                ','
            } else {
                '\t'
            };
            let mut out = String::new();
            for r in rows {
                let line: Vec<String> = selected
                    .iter()
                    .map(|(i, c)| copy_cell(&cell(r, *i), c.column_type, delimiter))
                    .collect();
                out.push_str(&line.join(&delimiter.to_string()));
                out.push('\n');
            }
            out.into()
        }
    };
    let mut m = Map::new();
    m.insert("include_total".into(), search.include_total.into());
    m.insert("limit".into(), search.limit.into());
    m.insert("offset".into(), search.offset.into());
    m.insert("records_format".into(), search.records_format.as_str().into());
    m.insert("resource_id".into(), search.resource_id.clone().into());
    m.insert("total_estimation_threshold".into(), Value::Null);
    if !search.filters.is_empty() {
        let filters: Map<String, Value> = search
            .filters
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    if v.len() == 1 {
                        v[0].clone()
                    } else {
                        Value::Array(v.clone())
                    },
                )
            })
            .collect();
        m.insert("filters".into(), filters.into());
    }
    match &search.q {
        Some(DatastoreQ::Text(t)) => {
            m.insert("q".into(), t.clone().into());
        }
        Some(DatastoreQ::PerField(pairs)) => {
            m.insert(
                "q".into(),
                pairs
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::from(v.clone())))
                    .collect::<Map<_, _>>()
                    .into(),
            );
        }
        None => {}
    }
    if !search.sort.is_empty() {
        let sort: Vec<&str> = search.sort.iter().map(|k| k.clause.as_str()).collect();
        m.insert("sort".into(), sort.join(", ").into());
    }
    m.insert("records".into(), records);
    m.insert(
        "fields".into(),
        selected
            .iter()
            .map(|(_, c)| json!({"id": c.id, "type": c.column_type.as_str()}))
            .collect(),
    );
    m.insert("_links".into(), links(url, search.limit, search.offset));
    if search.include_total {
        m.insert("total".into(), total.into());
        m.insert("total_was_estimated".into(), false.into());
    }
    Ok(Value::Object(m))
}

/// One cell as PostgreSQL's `COPY ... TO STDOUT csv` writes it: NULL empty and unquoted, an
/// empty string `""`, booleans `t`/`f`, timestamps with a space, quotes only where needed.
fn copy_cell(value: &Value, column_type: ColumnType, delimiter: char) -> String {
    let text = match value {
        Value::Null => return String::new(),
        Value::Bool(b) => return if *b { "t" } else { "f" }.to_owned(),
        Value::Number(n) => return n.to_string(),
        Value::String(s) if column_type == ColumnType::Timestamp => s.replacen('T', " ", 1),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let needs_quotes = text.is_empty()
        || text == "\\."
        || text.contains(delimiter)
        || text.contains('"')
        || text.contains('\n')
        || text.contains('\r');
    if needs_quotes {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;

    #[test]
    fn links_as_ckan_builds_them() {
        let url = RequestUrl {
            path: "/api/3/action/datastore_search",
            query: "resource_id=r&limit=5&offset=10",
        };
        assert_eq!(
            links(url, 5, 10),
            json!({
                "start": "/api/3/action/datastore_search?resource_id=r&limit=5",
                "next": "/api/3/action/datastore_search?resource_id=r&limit=5&offset=15",
                "prev": "/api/3/action/datastore_search?resource_id=r&limit=5&offset=5",
            })
        );
        let post = RequestUrl {
            path: "/api/action/datastore_search",
            query: "",
        };
        assert_eq!(
            links(post, 100, 0),
            json!({"start": "/api/action/datastore_search", "next": "/api/action/datastore_search?offset=100"})
        );
        // prev only when offset - limit > 0
        assert!(links(post, 5, 5).get("prev").is_none());
    }

    #[test]
    fn csv_cells_like_copy() {
        assert_eq!(copy_cell(&Value::Null, ColumnType::Text, ','), "");
        assert_eq!(copy_cell(&json!(""), ColumnType::Text, ','), "\"\"");
        assert_eq!(copy_cell(&json!("a,b"), ColumnType::Text, ','), "\"a,b\"");
        assert_eq!(copy_cell(&json!("a,b"), ColumnType::Text, '\t'), "a,b");
        assert_eq!(
            copy_cell(&json!("say \"x\""), ColumnType::Text, ','),
            "\"say \"\"x\"\"\""
        );
        assert_eq!(copy_cell(&json!(true), ColumnType::Bool, ','), "t");
        assert_eq!(copy_cell(&json!(1.5), ColumnType::Numeric, ','), "1.5");
        assert_eq!(
            copy_cell(&json!("2024-01-02T03:04:05"), ColumnType::Timestamp, ','),
            "2024-01-02 03:04:05"
        );
    }

    #[test]
    fn fields_select_and_order() {
        let columns = vec![
            Column {
                id: "a".into(),
                column_type: ColumnType::Text,
            },
            Column {
                id: "b".into(),
                column_type: ColumnType::Int,
            },
        ];
        let rows = vec![Row {
            id: 1,
            values: vec![json!("x"), json!(2)],
        }];
        let url = RequestUrl { path: "/p", query: "" };
        let s = DatastoreSearch::from_params(&Params::from_query("resource_id=r&fields=b,_id&records_format=lists"))
            .unwrap();
        let r = datastore_result(&s, &columns, &rows, 1, url).unwrap();
        assert_eq!(
            r["fields"],
            json!([{"id": "b", "type": "int"}, {"id": "_id", "type": "int"}])
        );
        assert_eq!(r["records"], json!([[2, 1]]));
        let s = DatastoreSearch::from_params(&Params::from_query("resource_id=r&include_total=false")).unwrap();
        let r = datastore_result(&s, &columns, &rows, 1, url).unwrap();
        assert!(r.get("total").is_none());
        assert!(r.get("total_was_estimated").is_none());
        assert_eq!(r["records"], json!([{"_id": 1, "a": "x", "b": 2}]));
        let s = DatastoreSearch::from_params(&Params::from_query("resource_id=r&sort=c")).unwrap();
        assert_eq!(
            datastore_result(&s, &columns, &rows, 1, url).unwrap_err(),
            ApiError::field("sort", "invalid value \"c\"")
        );
    }
}
