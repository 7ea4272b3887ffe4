//! An action's parameters, from a GET query string or a POST JSON body, coerced the way CKAN's
//! validators do (`ckan/logic/validators.py`, `ckan/lib/navl/validators.py`).

use serde_json::{Map, Value};

use crate::error::{ApiError, Result};

/// The raw parameters of one call: keys to JSON values.
///
/// From a query string every value is a string, or a list of strings when the key repeats
/// (CKAN's `mixed`); from a body they are whatever JSON the client sent. The typed parameter
/// structs read them through the coercions below, so `rows=10` and `{"rows": 10}` mean the same.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params(pub Map<String, Value>);

impl Params {
    /// Parameters from a URL query string (without the `?`). `callback` (JSONP) is dropped.
    pub fn from_query(query: &str) -> Self {
        let mut map = Map::new();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            if key == "callback" {
                continue;
            }
            let value = Value::String(value.into_owned());
            match map.get_mut(key.as_ref()) {
                Some(Value::Array(values)) => values.push(value),
                Some(first) => *first = Value::Array(vec![first.take(), value]),
                None => {
                    map.insert(key.into_owned(), value);
                }
            }
        }
        Self(map)
    }

    /// Parameters from a POST body. An empty body is no parameters; anything but a JSON object
    /// is [`ApiError::BadJson`], as CKAN answers it.
    pub fn from_json(body: &[u8]) -> Result<Self> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| ApiError::BadJson(format!("Error decoding JSON data. Error: {e}")))?;
        match value {
            Value::Object(mut map) => {
                map.remove("callback");
                Ok(Self(map))
            }
            other => Err(ApiError::BadJson(format!(
                "Request data JSON decoded to {other} but it needs to be a dictionary."
            ))),
        }
    }

    /// Parameters from a JSON object already parsed (tests, internal calls).
    pub fn from_value(value: Value) -> Result<Self> {
        match value {
            Value::Object(map) => Ok(Self(map)),
            other => Err(ApiError::BadJson(format!(
                "Request data JSON decoded to {other} but it needs to be a dictionary."
            ))),
        }
    }

    /// The raw value of `key`, if given and not null.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    /// `int_validator`: an integer from `10`, `"10"`, `" 10 "` or `10.0`; `None` when missing or
    /// blank; `Invalid integer` otherwise.
    pub fn int(&self, key: &str) -> Result<Option<i64>> {
        let Some(value) = self.get(key) else { return Ok(None) };
        let invalid = || ApiError::field(key, "Invalid integer");
        match value {
            Value::Bool(b) => Ok(Some(i64::from(*b))),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Ok(Some(i))
                } else {
                    match n.as_f64() {
                        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
                        _ => Err(invalid()),
                    }
                }
            }
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) => s.trim().parse::<i64>().map(Some).map_err(|_| invalid()),
            _ => Err(invalid()),
        }
    }

    /// `natural_number_validator` with a default: `Must be a natural number` when negative.
    pub fn natural(&self, key: &str, default: u64) -> Result<u64> {
        match self.int(key)? {
            None => Ok(default),
            Some(i) => u64::try_from(i).map_err(|_| ApiError::field(key, "Must be a natural number")),
        }
    }

    /// `natural_number_validator` then `limit_to_configured_maximum`: larger values become `max`.
    pub fn natural_capped(&self, key: &str, default: u64, max: u64) -> Result<u64> {
        Ok(self.natural(key, default)?.min(max))
    }

    /// `boolean_validator`: `true` for `true`, `"true"`, `"True"`, `"yes"`, `"t"`, `"y"`, `"1"`;
    /// every other given value is `false`; `default` when missing.
    pub fn boolean(&self, key: &str, default: bool) -> bool {
        match self.get(key) {
            None => default,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => matches!(s.to_lowercase().as_str(), "true" | "yes" | "t" | "y" | "1"),
            Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f == 1.0),
            Some(_) => false,
        }
    }

    /// `asbool`, stricter than [`Params::boolean`]: a word that is neither true nor false is a
    /// `Validation Error` naming the field (CKAN would fail with a 500).
    pub fn strict_bool(&self, key: &str, default: bool) -> Result<bool> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::Number(n)) if n.as_i64() == Some(0) => Ok(false),
            Some(Value::Number(n)) if n.as_i64() == Some(1) => Ok(true),
            Some(Value::String(s)) => match s.trim().to_lowercase().as_str() {
                "true" | "yes" | "on" | "y" | "t" | "1" => Ok(true),
                "false" | "no" | "off" | "n" | "f" | "0" | "" => Ok(false),
                _ => Err(ApiError::field(
                    key,
                    format!("String is not true/false: {}", crate::error::python_repr(s)),
                )),
            },
            Some(_) => Err(ApiError::field(key, "Must be a boolean")),
        }
    }

    /// `unicode_safe`: a string as given; any other JSON is written out as JSON text.
    pub fn string(&self, key: &str) -> Option<String> {
        self.get(key).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    /// The id of a `*_show` action: `Missing value` when absent or empty (`_get_or_bust`).
    pub fn required_string(&self, key: &str) -> Result<String> {
        match self.string(key) {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(ApiError::missing(key)),
        }
    }

    /// `convert_to_json_if_string` then `list_of_strings`: `["tags","res_format"]` as a list
    /// or as JSON text in a string.
    pub fn json_list_of_strings(&self, key: &str) -> Result<Option<Vec<String>>> {
        let Some(value) = self.get(key) else { return Ok(None) };
        let parsed;
        let value = match value {
            Value::String(s) => {
                parsed = serde_json::from_str::<Value>(s)
                    .map_err(|_| ApiError::field(key, "Could not parse as valid JSON"))?;
                &parsed
            }
            v => v,
        };
        let Value::Array(items) = value else {
            return Err(ApiError::field(key, "Not a list"));
        };
        items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(ApiError::field(key, format!("Not a string: {other}"))),
            })
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }

    /// `list_of_strings_or_string` then the datastore's `get_list`: a list, or a comma
    /// separated string, each item trimmed.
    pub fn list_or_comma_string(&self, key: &str) -> Result<Option<Vec<String>>> {
        let Some(value) = self.get(key) else { return Ok(None) };
        match value {
            Value::String(s) if s.is_empty() => Ok(Some(Vec::new())),
            Value::String(s) => Ok(Some(s.split(',').map(|p| p.trim().to_owned()).collect())),
            Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.trim().to_owned()),
                    _ => Err(ApiError::field(key, "Not a list of strings")),
                })
                .collect::<Result<Vec<_>>>()
                .map(Some),
            _ => Err(ApiError::field(key, "Not a list of strings")),
        }
    }

    /// `json_validator`: a JSON object or list as given, or parsed from a string
    /// (`Cannot parse JSON`).
    pub fn json(&self, key: &str) -> Result<Option<Value>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => serde_json::from_str(s)
                .map(Some)
                .map_err(|_| ApiError::field(key, "Cannot parse JSON")),
            Some(v) => Ok(Some(v.clone())),
        }
    }
}

/// The API token of a call: the `Authorization` header first (CKAN's
/// `apitoken_header_name`), then `X-CKAN-API-Key`; `ckanapi` sends both. A `Bearer ` prefix is
/// dropped; a blank header counts as absent.
pub fn api_token<'a>(authorization: Option<&'a str>, x_ckan_api_key: Option<&'a str>) -> Option<&'a str> {
    let clean = |h: &'a str| {
        let h = h.trim();
        let h = h
            .strip_prefix("Bearer ")
            .or_else(|| h.strip_prefix("bearer "))
            .unwrap_or(h)
            .trim();
        (!h.is_empty()).then_some(h)
    };
    authorization.and_then(clean).or_else(|| x_ckan_api_key.and_then(clean))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(v: Value) -> Params {
        Params::from_value(v).unwrap()
    }

    #[test]
    fn query_strings_repeat_into_lists() {
        let q = Params::from_query("fq=a%3A1&rows=10&fq=b:2&q=x+y&callback=cb");
        assert_eq!(q.get("fq"), Some(&json!(["a:1", "b:2"])));
        assert_eq!(q.get("q"), Some(&json!("x y")));
        assert_eq!(q.get("callback"), None);
    }

    #[test]
    fn bodies_must_be_objects() {
        assert_eq!(Params::from_json(b"").unwrap(), Params::default());
        assert_eq!(Params::from_json(b" \n").unwrap(), Params::default());
        assert!(
            matches!(Params::from_json(b"[1]"), Err(ApiError::BadJson(m)) if m.contains("needs to be a dictionary"))
        );
        assert!(
            matches!(Params::from_json(b"{\"a\":"), Err(ApiError::BadJson(m)) if m.starts_with("Error decoding JSON data"))
        );
        assert_eq!(
            Params::from_json(br#"{"rows": 5}"#).unwrap().int("rows").unwrap(),
            Some(5)
        );
    }

    #[test]
    fn integers_as_ckan_reads_them() {
        let q =
            p(json!({"a": "10", "b": 10, "c": " 7 ", "d": 3.0, "e": "", "f": "1e3", "g": 2.5, "h": ["1"], "i": "-1"}));
        assert_eq!(q.int("a").unwrap(), Some(10));
        assert_eq!(q.int("b").unwrap(), Some(10));
        assert_eq!(q.int("c").unwrap(), Some(7));
        assert_eq!(q.int("d").unwrap(), Some(3));
        assert_eq!(q.int("e").unwrap(), None);
        assert_eq!(q.int("zz").unwrap(), None);
        for bad in ["f", "g", "h"] {
            assert_eq!(q.int(bad).unwrap_err(), ApiError::field(bad, "Invalid integer"));
        }
        assert_eq!(
            q.natural("i", 0).unwrap_err(),
            ApiError::field("i", "Must be a natural number")
        );
        assert_eq!(q.natural("zz", 10).unwrap(), 10);
        assert_eq!(
            p(json!({"rows": "5000"})).natural_capped("rows", 10, 1000).unwrap(),
            1000
        );
    }

    #[test]
    fn booleans_as_ckan_reads_them() {
        let q = p(json!({"a": "true", "b": "True", "c": true, "d": "yes", "e": "false", "f": "nonsense", "g": "1"}));
        for t in ["a", "b", "c", "d", "g"] {
            assert!(q.boolean(t, false), "{t}");
        }
        assert!(!q.boolean("e", true));
        assert!(!q.boolean("f", true));
        assert!(q.boolean("missing", true));
        assert!(q.strict_bool("b", false).unwrap());
        assert!(!q.strict_bool("e", true).unwrap());
        assert_eq!(
            q.strict_bool("f", false).unwrap_err(),
            ApiError::field("f", "String is not true/false: 'nonsense'")
        );
    }

    #[test]
    fn lists() {
        let q = p(json!({"a": "[\"tags\",\"res_format\"]", "b": ["x"], "c": "tags", "d": "[1]", "e": "{}"}));
        assert_eq!(
            q.json_list_of_strings("a").unwrap(),
            Some(vec!["tags".into(), "res_format".into()])
        );
        assert_eq!(q.json_list_of_strings("b").unwrap(), Some(vec!["x".into()]));
        assert_eq!(
            q.json_list_of_strings("c").unwrap_err(),
            ApiError::field("c", "Could not parse as valid JSON")
        );
        assert_eq!(
            q.json_list_of_strings("d").unwrap_err(),
            ApiError::field("d", "Not a string: 1")
        );
        assert_eq!(
            q.json_list_of_strings("e").unwrap_err(),
            ApiError::field("e", "Not a list")
        );
        let q = p(json!({"f": "a, b ,c", "g": ["a", " b"], "h": 3}));
        assert_eq!(
            q.list_or_comma_string("f").unwrap(),
            Some(vec!["a".into(), "b".into(), "c".into()])
        );
        assert_eq!(q.list_or_comma_string("g").unwrap(), Some(vec!["a".into(), "b".into()]));
        assert!(q.list_or_comma_string("h").is_err());
    }

    #[test]
    fn tokens_from_either_header() {
        assert_eq!(api_token(Some("sdt_a"), Some("sdt_b")), Some("sdt_a"));
        assert_eq!(api_token(Some("Bearer sdt_a"), None), Some("sdt_a"));
        assert_eq!(api_token(Some("  "), Some("sdt_b")), Some("sdt_b"));
        assert_eq!(api_token(None, None), None);
    }

    #[test]
    fn strings_and_required() {
        let q = p(json!({"id": "", "n": 5, "s": "x"}));
        assert_eq!(q.required_string("id").unwrap_err(), ApiError::missing("id"));
        assert_eq!(q.required_string("nope").unwrap_err(), ApiError::missing("nope"));
        assert_eq!(q.string("n").as_deref(), Some("5"));
        assert_eq!(q.required_string("s").unwrap(), "x");
    }
}
