//! The errors of the action API, with CKAN's `__type` strings and HTTP statuses
//! (`ckan/views/api.py: action`).

use serde_json::{Map, Value};

/// Field errors of a `Validation Error`: field name -> messages, in the order they were found.
///
/// CKAN puts them beside `__type` in the error object:
/// `{"__type": "Validation Error", "rows": ["Must be a natural number"]}`. A validation error
/// that is not about one field (`Cannot sort by field ...`) carries `message` instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(String, Vec<String>)>);

impl FieldErrors {
    /// One message about one field.
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self(vec![(field.into(), vec![message.into()])])
    }

    /// The messages recorded for `field`.
    pub fn get(&self, field: &str) -> Option<&[String]> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_slice())
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for (field, messages) in &self.0 {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{field}: {}", messages.join(", "))?;
        }
        Ok(())
    }
}

/// An action that could not be answered, as CKAN says it.
///
/// [`ApiError::status`] is the HTTP status and [`ApiError::body`] the JSON body; both come from
/// one table so that every route answers an error the same way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// `Not Found Error`, 404; the message becomes `Not found: <detail>`.
    #[error("not found: {0}")]
    NotFound(String),
    /// `Authorization Error`, 403; the message becomes `Access denied: <detail>`.
    #[error("access denied: {0}")]
    Authorization(String),
    /// `Validation Error`, 409, with the field errors beside `__type`.
    #[error("validation error: {0}")]
    Validation(FieldErrors),
    /// A `Validation Error` that is not about one field: `{"__type", "message"}`, 409.
    #[error("validation error: {0}")]
    ValidationMessage(String),
    /// `Search Query Error`, 400; the message becomes `Search Query is invalid: ('<detail>',)`.
    #[error("search query error: {0}")]
    SearchQuery(String),
    /// An action name CKAN does not know: 400 and a bare JSON string, no envelope.
    #[error("action name not known: {0}")]
    UnknownAction(String),
    /// A body that is not a JSON object: 400 and a bare JSON string, no envelope.
    #[error("json error: {0}")]
    BadJson(String),
    /// `Internal Server Error`, 500; the detail is logged, never sent.
    #[error("internal server error: {0}")]
    Internal(String),
}

/// The crate's error is the API error: every failure here is something a client sent.
pub type Error = ApiError;

/// Result of this crate.
pub type Result<T, E = ApiError> = std::result::Result<T, E>;

impl ApiError {
    /// A `Validation Error` with one message about one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(FieldErrors::one(field, message))
    }

    /// `{"id": ["Missing value"]}`: what `_get_or_bust` and `not_missing` answer.
    pub fn missing(field: &str) -> Self {
        Self::field(field, "Missing value")
    }

    /// The HTTP status CKAN answers with.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound(_) => 404,
            Self::Authorization(_) => 403,
            Self::Validation(_) | Self::ValidationMessage(_) => 409,
            Self::SearchQuery(_) | Self::UnknownAction(_) | Self::BadJson(_) => 400,
            Self::Internal(_) => 500,
        }
    }

    /// CKAN's `__type`, or `None` for the two answers that have no envelope.
    pub fn type_name(&self) -> Option<&'static str> {
        match self {
            Self::NotFound(_) => Some("Not Found Error"),
            Self::Authorization(_) => Some("Authorization Error"),
            Self::Validation(_) | Self::ValidationMessage(_) => Some("Validation Error"),
            Self::SearchQuery(_) => Some("Search Query Error"),
            Self::Internal(_) => Some("Internal Server Error"),
            Self::UnknownAction(_) | Self::BadJson(_) => None,
        }
    }

    /// The `error` object of the envelope, or for [`ApiError::UnknownAction`] and
    /// [`ApiError::BadJson`] the bare string that is the whole body.
    pub fn error_value(&self) -> Value {
        let mut error = Map::new();
        if let Some(t) = self.type_name() {
            error.insert("__type".into(), t.into());
        }
        let message = match self {
            Self::NotFound(d) => with_detail("Not found", d),
            Self::Authorization(d) => with_detail("Access denied", d),
            Self::ValidationMessage(m) => m.clone(),
            Self::Validation(fields) => {
                for (field, messages) in &fields.0 {
                    error.insert(field.clone(), messages.clone().into());
                }
                return Value::Object(error);
            }
            Self::SearchQuery(d) => format!("Search Query is invalid: ({},)", python_repr(d)),
            Self::Internal(_) => "Internal Server Error".into(),
            Self::UnknownAction(name) => {
                return format!("Bad request - Action name not known: {name}").into();
            }
            Self::BadJson(d) => return format!("Bad request - JSON Error: {d}").into(),
        };
        error.insert("message".into(), message.into());
        Value::Object(error)
    }

    /// The whole response body: the error envelope with `help`, or the bare string.
    pub fn body(&self, help: &str) -> Value {
        let error = self.error_value();
        if self.type_name().is_none() {
            return error;
        }
        serde_json::json!({ "help": help, "success": false, "error": error })
    }
}

fn with_detail(head: &str, detail: &str) -> String {
    if detail.is_empty() {
        head.to_owned()
    } else {
        format!("{head}: {detail}")
    }
}

/// Python's `repr` of a `str`, which CKAN puts in `Search Query is invalid: %r`.
pub(crate) fn python_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statuses_and_types_follow_ckan() {
        let cases = [
            (ApiError::NotFound(String::new()), 404, Some("Not Found Error")),
            (ApiError::Authorization(String::new()), 403, Some("Authorization Error")),
            (ApiError::missing("id"), 409, Some("Validation Error")),
            (ApiError::SearchQuery("x".into()), 400, Some("Search Query Error")),
            (ApiError::UnknownAction("x".into()), 400, None),
            (ApiError::BadJson("x".into()), 400, None),
            (ApiError::Internal("db".into()), 500, Some("Internal Server Error")),
        ];
        for (e, status, t) in cases {
            assert_eq!(e.status(), status, "{e}");
            assert_eq!(e.type_name(), t, "{e}");
        }
    }

    #[test]
    fn validation_puts_fields_beside_type() {
        let e = ApiError::field("rows", "Must be a natural number");
        assert_eq!(
            e.error_value(),
            json!({"__type": "Validation Error", "rows": ["Must be a natural number"]})
        );
    }

    #[test]
    fn messages_carry_ckan_prefixes() {
        assert_eq!(ApiError::NotFound(String::new()).error_value()["message"], "Not found");
        assert_eq!(
            ApiError::NotFound("Dataset".into()).error_value()["message"],
            "Not found: Dataset"
        );
        assert_eq!(
            ApiError::Authorization("x".into()).error_value()["message"],
            "Access denied: x"
        );
        assert_eq!(
            ApiError::SearchQuery("Invalid \"sort\" parameter".into()).error_value()["message"],
            "Search Query is invalid: ('Invalid \"sort\" parameter',)"
        );
        assert_eq!(
            ApiError::Internal("secret detail".into()).error_value()["message"],
            "Internal Server Error"
        );
    }

    #[test]
    fn unknown_action_is_a_bare_string() {
        let e = ApiError::UnknownAction("pakage_show".into());
        assert_eq!(e.body("h"), json!("Bad request - Action name not known: pakage_show"));
        let e = ApiError::BadJson("expected value".into());
        assert_eq!(e.body("h"), json!("Bad request - JSON Error: expected value"));
    }

    #[test]
    fn repr_matches_python() {
        assert_eq!(python_repr("a"), "'a'");
        assert_eq!(python_repr("it's"), "\"it's\"");
        assert_eq!(python_repr("it's \"x\""), "'it\\'s \"x\"'");
        assert_eq!(python_repr("a\nb\\"), "'a\\nb\\\\'");
    }
}
