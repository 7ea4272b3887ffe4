//! JSON records: an array of objects, or an object holding one under `data`.

use serde_json::Value;

use crate::{Error, Format, Result, Table, TableBuilder, number_text};

fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(
            n.as_i64()
                .map_or_else(|| number_text(n.as_f64().unwrap_or(f64::NAN)), |i| i.to_string()),
        ),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

/// Reads JSON records into a [`Table`]; the labels are the keys in order of first appearance,
/// and record `i` is row `i + 2` (as if the keys were a header row).
pub fn read_json(bytes: &[u8]) -> Result<Table> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(body).map_err(|e| Error::format("JSON", e))?;
    let records = match doc {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("data") {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(Error::format(
                    "JSON",
                    "expected an array of objects or {\"data\": [...]}",
                ));
            }
        },
        _ => {
            return Err(Error::format(
                "JSON",
                "expected an array of objects or {\"data\": [...]}",
            ));
        }
    };
    let mut labels: Vec<String> = Vec::new();
    for record in &records {
        let Value::Object(map) = record else {
            return Err(Error::format("JSON", "every record must be an object"));
        };
        for key in map.keys() {
            if !labels.contains(key) {
                labels.push(key.clone());
            }
        }
    }
    if labels.is_empty() {
        return Err(Error::Empty);
    }
    let mut table = TableBuilder::new(labels.clone(), records.len());
    for (i, record) in records.iter().enumerate() {
        let texts: Vec<Option<String>> = labels.iter().map(|k| record.get(k).and_then(value_text)).collect();
        let cells: Vec<Option<&str>> = texts.iter().map(Option::as_deref).collect();
        table.push(i as u64 + 2, &cells);
    }
    table.finish(Format::Json)
}
