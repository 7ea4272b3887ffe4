//! Uploads streamed to a temporary file under the data directory, never held whole in memory:
//! the SHA-256 is computed on the way, and a body past the upload limit is refused
//! (`payload-too-large`) as soon as it passes it. The form of `POST
//! /datasets/{name}/submissions` is read here too: a multipart body (a `file` part and the
//! `period`, `encoding`, `delimiter`, `format`, `sheet`, `header_row` fields) or a raw body with
//! the same names as query parameters.

use std::path::{Path, PathBuf};

use axum::body::Bytes;
use futures::{Stream, StreamExt as _};
use satudata_ingest::IngestOptions;
use serde::Deserialize;
use sha2::{Digest as _, Sha256};
use tokio::io::AsyncWriteExt as _;
use utoipa::IntoParams;

use crate::error::{Error, Result};

/// The folder of the data directory that holds uploads while they arrive.
pub const SPOOL_DIR: &str = "tmp/uploads";

/// The longest text field of a multipart upload, in bytes.
const MAX_FIELD: usize = 1024;

/// An upload kept in a temporary file (removed when this is dropped, unless the store took it).
#[derive(Debug)]
pub struct Spooled {
    /// The temporary file.
    pub path: tempfile::TempPath,
    /// SHA-256 of the bytes (hex).
    pub sha256: String,
    /// Their number.
    pub size: u64,
}

/// Where uploads are spooled for the data directory `data_dir` (created if missing).
pub async fn spool_dir(data_dir: &Path) -> Result<PathBuf> {
    let dir = data_dir.join(SPOOL_DIR);
    tokio::fs::create_dir_all(&dir).await.map_err(|e| Error::Internal {
        detail: format!("{}: {e}", dir.display()),
    })?;
    Ok(dir)
}

/// Writes `body` to a new temporary file in `dir`, hashing it, refusing it past `limit` bytes.
pub async fn spool<S, E>(dir: &Path, body: S, limit: u64) -> Result<Spooled>
where
    S: Stream<Item = std::result::Result<Bytes, E>>,
    E: std::fmt::Display,
{
    let internal = |e: std::io::Error| Error::Internal {
        detail: format!("spooling an upload: {e}"),
    };
    let named = tempfile::Builder::new()
        .prefix("upload-")
        .tempfile_in(dir)
        .map_err(internal)?;
    let (file, path) = named.into_parts();
    let mut file = tokio::fs::File::from_std(file);
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut body = std::pin::pin!(body);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| Error::BadUpload { detail: e.to_string() })?;
        size += chunk.len() as u64;
        if size > limit {
            return Err(Error::PayloadTooLarge);
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await.map_err(internal)?;
    }
    file.flush().await.map_err(internal)?;
    file.sync_all().await.map_err(internal)?;
    Ok(Spooled {
        path,
        sha256: hex::encode(hasher.finalize()),
        size,
    })
}

/// How an upload is to be read, and for which period: the query parameters of a raw upload,
/// or the fields of a multipart one.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadForm {
    /// The period the data covers (`2024`, `2024-03`, `2024-Q1`, ... as the dataset's frequency has it).
    pub period: Option<String>,
    /// The file's name as the producer has it (a raw upload; a multipart one names its part).
    /// Shown only: the stored name is made by the server.
    pub filename: Option<String>,
    /// Text encoding (`utf-8`, `windows-1252`, ...); sniffed when absent.
    pub encoding: Option<String>,
    /// Delimiter (`,`, `;`, `tab`, ...); sniffed when absent.
    pub delimiter: Option<String>,
    /// File kind (`csv`, `xlsx`, `json`, `parquet`); sniffed when absent.
    pub format: Option<String>,
    /// Workbook sheet (the first when absent).
    pub sheet: Option<String>,
    /// Sheet row where the header starts (found by looking when absent).
    #[param(minimum = 1)]
    pub header_row: Option<u64>,
}

impl UploadForm {
    /// Sets the multipart text field `name` (an unknown field is `bad-upload`).
    pub fn set(&mut self, name: &str, value: String) -> Result<()> {
        let slot = match name {
            "period" => &mut self.period,
            "filename" => &mut self.filename,
            "encoding" => &mut self.encoding,
            "delimiter" => &mut self.delimiter,
            "format" => &mut self.format,
            "sheet" => &mut self.sheet,
            "header_row" => {
                let row = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|r| *r > 0)
                    .ok_or_else(|| Error::BadUpload {
                        detail: format!("header_row must be a whole number from 1, not {value:?}"),
                    })?;
                self.header_row = Some(row);
                return Ok(());
            }
            other => {
                return Err(Error::BadUpload {
                    detail: format!("unknown field {other:?}"),
                });
            }
        };
        *slot = Some(value);
        Ok(())
    }

    /// The period, which every upload needs.
    pub fn period(&self) -> Result<&str> {
        self.period
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .ok_or_else(|| Error::BadUpload {
                detail: "the period is missing".into(),
            })
    }

    /// The reading options it asks for (within the data center's limits, which the worker
    /// applies when it reads the file).
    pub fn options(&self) -> Result<IngestOptions> {
        let mut options = IngestOptions::default();
        if self.header_row == Some(0) {
            return Err(Error::BadUpload {
                detail: "header_row counts from 1".into(),
            });
        }
        if let Some(e) = &self.encoding {
            options = options.with_encoding_name(e).map_err(Error::BadOption)?;
        }
        if let Some(d) = &self.delimiter {
            options = options.with_delimiter_name(d).map_err(Error::BadOption)?;
        }
        if let Some(f) = &self.format {
            options = options.with_kind_name(f).map_err(Error::BadOption)?;
        }
        options.sheet = self.sheet.clone();
        options.header_row = self.header_row;
        Ok(options)
    }
}

/// Reads a multipart text field of at most [`MAX_FIELD`] bytes.
pub async fn field_text(field: &mut axum::extract::multipart::Field<'_>) -> Result<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_FIELD {
            return Err(Error::BadUpload {
                detail: format!("a field is longer than {MAX_FIELD} bytes"),
            });
        }
    }
    String::from_utf8(bytes).map_err(|_| Error::BadUpload {
        detail: "a field is not UTF-8 text".into(),
    })
}

/// A multipart parser's error as the API's.
pub fn multipart_error(e: axum::extract::multipart::MultipartError) -> Error {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        return Error::PayloadTooLarge;
    }
    Error::BadUpload { detail: e.body_text() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: &[&'static [u8]]) -> impl Stream<Item = std::result::Result<Bytes, std::io::Error>> {
        futures::stream::iter(parts.iter().map(|p| Ok(Bytes::from_static(p))).collect::<Vec<_>>())
    }

    #[tokio::test]
    async fn a_spooled_upload_has_its_bytes_size_and_sha256() {
        let dir = tempfile::tempdir().unwrap();
        let spooled = spool(dir.path(), chunks(&[b"kode,nama\n", b"1,a\n"]), 100)
            .await
            .unwrap();
        let bytes = std::fs::read(&spooled.path).unwrap();
        assert_eq!(bytes, b"kode,nama\n1,a\n");
        assert_eq!(spooled.size, 14);
        assert_eq!(spooled.sha256, satudata_core::sha256_hex(&bytes));
    }

    #[tokio::test]
    async fn an_upload_past_the_limit_is_refused_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let refused = spool(dir.path(), chunks(&[b"12345", b"67890", b"1"]), 10).await;
        assert!(matches!(refused, Err(Error::PayloadTooLarge)));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn form_fields_are_checked() {
        let mut form = UploadForm::default();
        assert!(matches!(form.period(), Err(Error::BadUpload { .. })));
        form.set("period", " 2024 ".into()).unwrap();
        assert_eq!(form.period().unwrap(), "2024");
        assert!(matches!(
            form.set("header_row", "0".into()),
            Err(Error::BadUpload { .. })
        ));
        assert!(matches!(form.set("path", "/etc".into()), Err(Error::BadUpload { .. })));
        form.set("encoding", "no-such-encoding".into()).unwrap();
        assert!(matches!(form.options(), Err(Error::BadOption(_))));
    }
}
