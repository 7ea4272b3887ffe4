use std::fmt;

/// Errors of the core crate: a domain document that cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A JSON document does not have the expected shape.
    #[error("invalid {kind} document")]
    Json {
        /// What kind of document was read.
        kind: &'static str,
        /// The parser's error.
        source: serde_json::Error,
    },
    /// A Frictionless resource names its schema by path and the schema could not be read.
    #[error("resource {resource}: cannot read schema file {path}")]
    SchemaPath {
        /// The resource.
        resource: String,
        /// The schema's path.
        path: String,
    },
    /// A Frictionless checklist asks for a check (or an error filter) satudata does not run.
    #[error("check {0} is not supported: satudata runs the row-constraint and duplicate-row checks of a checklist")]
    UnsupportedCheck(String),
    /// A value is outside the set the domain allows.
    #[error("invalid {what}: {value}")]
    InvalidValue {
        /// What was parsed.
        what: &'static str,
        /// The offending text.
        value: String,
    },
}

/// Result with the core [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(kind: &'static str, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|source| Error::Json { kind, source })
}

impl Error {
    pub(crate) fn invalid(what: &'static str, value: impl fmt::Display) -> Self {
        Error::InvalidValue {
            what,
            value: value.to_string(),
        }
    }
}
