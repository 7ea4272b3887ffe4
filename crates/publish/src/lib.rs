//! Writes signed, versioned releases and verifies them offline.
//!
//! A release is a folder `v{N}` with `data.parquet`, `data.csv`, `data.json`, `datapackage.json`,
//! `metadata.json`, `manifest.json` and `manifest.sig`. [`build_release`] turns an approved,
//! typed table and its metadata into the bytes of those files: the manifest lists each file's
//! SHA-256 and size and chains to the previous release's manifest; `manifest.sig` holds the data
//! center's Ed25519 signature ([`Signer`]) over the exact bytes of `manifest.json`, so any
//! changed byte of any file is caught by checking that one release. `datapackage.json`
//! ([`datapackage`]) describes the data files as a Frictionless Data Package, and
//! `data.parquet` ([`write_parquet`]) is readable by old Arrow readers.
//! [`verify_dir`] checks a downloaded release folder against its manifest, its signature and the
//! keys the reader trusts ([`Trust`]). Storing the files and committing the catalog row is the
//! workflow's job: files first, catalog row last.
//!
//! ```
//! use polars::prelude::*;
//! use satudata_publish::{build_release, verify_files, ReleaseInput, Signer, Trust, TrustedKey};
//! let signer = Signer::generate().unwrap();
//! let mut table = df!("jumlah" => [1i64, 2]).unwrap();
//! let release = build_release(ReleaseInput {
//!     organization: "dinkes", dataset: "kunjungan", version: 1,
//!     table: &mut table, metadata: serde_json::json!({"name": "kunjungan"}),
//!     standard: None,
//!     provenance: serde_json::json!({}), previous_manifest_sha256: None,
//!     created_at: "2026-01-01T00:00:00Z".into(),
//! }, &signer).unwrap();
//! let trusted = TrustedKey::from_hex(&signer.public_key_hex(), "pusat data").unwrap();
//! assert!(verify_files(&release.files, &Trust::Keys(vec![trusted])).problems.is_empty());
//! ```

pub mod datapackage;
pub mod json_rows;
mod localize;
mod parquet;
mod verify;

use ed25519_dalek::{Signer as _, SigningKey};
use polars::prelude::*;
use satudata_core::{
    DataStandard, DetachedSignature, MANIFEST_FORMAT, Manifest, ManifestFile, SIGNATURE_FORMAT, sha256_hex,
};

pub use parquet::write_parquet;
pub use verify::{
    Problem, Trust, TrustedKey, Verification, fingerprint, parse_public_key, parse_trusted_keys, verify_dir,
    verify_files,
};

/// Errors that stop a release from being built or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Writing Parquet or CSV failed.
    #[error("cannot write the data files")]
    Write(#[from] PolarsError),
    /// A key is malformed.
    #[error("invalid key: {0}")]
    Key(String),
    /// A line of a trusted-keys file is malformed.
    #[error("line {line}: {detail}")]
    TrustedKeys {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        detail: String,
    },
    /// The system's random source failed.
    #[error("cannot get random bytes: {0}")]
    Random(String),
    /// JSON could not be written.
    #[error("cannot write JSON")]
    Json(#[from] serde_json::Error),
}

/// Result with the publish [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Name of the manifest file in a release folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Name of the detached signature over `manifest.json`; listed in no manifest.
pub const SIGNATURE_FILE: &str = "manifest.sig";

/// Name of the rows as JSON in a release folder ([`json_rows`]).
pub const JSON_FILE: &str = "data.json";

/// Name of the Frictionless Data Package descriptor in a release folder.
pub const DATAPACKAGE_FILE: &str = "datapackage.json";

/// The data center's Ed25519 signing key (kenirsangkalan).
pub struct Signer {
    key: SigningKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.public_key_hex())
    }
}

impl Signer {
    /// A new random key.
    pub fn generate() -> Result<Self> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| Error::Random(e.to_string()))?;
        Ok(Signer {
            key: SigningKey::from_bytes(&secret),
        })
    }

    /// A key from the hex of its 32 secret bytes.
    pub fn from_secret_hex(text: &str) -> Result<Self> {
        let bytes: [u8; 32] = hex::decode(text.trim())
            .map_err(|e| Error::Key(e.to_string()))?
            .try_into()
            .map_err(|_| Error::Key("expected 32 bytes".into()))?;
        Ok(Signer {
            key: SigningKey::from_bytes(&bytes),
        })
    }

    /// Hex of the 32 secret bytes, for the key file.
    pub fn secret_hex(&self) -> String {
        hex::encode(self.key.to_bytes())
    }

    /// Hex of the public key.
    pub fn public_key_hex(&self) -> String {
        hex::encode(self.key.verifying_key().to_bytes())
    }

    /// The public key's fingerprint ([`fingerprint`]).
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.key.verifying_key())
    }

    /// Signs the exact bytes of a manifest file, giving the bytes of `manifest.sig`.
    pub fn sign_manifest(&self, manifest_file: &[u8]) -> Vec<u8> {
        DetachedSignature {
            format: SIGNATURE_FORMAT.into(),
            algorithm: "ed25519".into(),
            public_key: self.public_key_hex(),
            manifest_sha256: sha256_hex(manifest_file),
            value: hex::encode(self.key.sign(manifest_file).to_bytes()),
        }
        .to_file_bytes()
    }
}

/// What goes into a release.
#[derive(Debug)]
pub struct ReleaseInput<'a> {
    /// Organization slug.
    pub organization: &'a str,
    /// Dataset name.
    pub dataset: &'a str,
    /// Release number, from 1.
    pub version: u32,
    /// The approved table, typed per the standard.
    pub table: &'a mut DataFrame,
    /// Dataset metadata with the standard's columns: the release's content.
    pub metadata: serde_json::Value,
    /// The standard the table follows: field types, titles and the primary key of
    /// `datapackage.json` (without one, types come from the table).
    pub standard: Option<&'a DataStandard>,
    /// Where the release came from (submission, report digest, reviewer): not content.
    pub provenance: serde_json::Value,
    /// SHA-256 of the previous release's manifest file.
    pub previous_manifest_sha256: Option<String>,
    /// Release time, RFC 3339 UTC.
    pub created_at: String,
}

/// The files of a release, in memory, in write order.
#[derive(Debug, Clone)]
pub struct Release {
    /// (file name, bytes), in write order: the listed files, then `manifest.json`, then
    /// `manifest.sig`.
    pub files: Vec<(String, Vec<u8>)>,
    /// The manifest.
    pub manifest: Manifest,
}

impl Release {
    /// SHA-256 of the manifest file.
    pub fn manifest_sha256(&self) -> String {
        self.files
            .iter()
            .find(|(name, _)| name == MANIFEST_FILE)
            .map(|(_, b)| sha256_hex(b))
            .unwrap_or_default()
    }
}

/// Writes the table as CSV: UTF-8, comma, header of field names, an empty field for a missing
/// value; times as `HH:MM:SS` (with a fraction only when there is one).
pub fn write_csv(table: &mut DataFrame) -> Result<Vec<u8>> {
    let mut csv = Vec::new();
    CsvWriter::new(&mut csv)
        .include_header(true)
        .with_separator(b',')
        .with_null_value(PlSmallStr::EMPTY)
        .with_time_format(Some("%H:%M:%S%.f".into()))
        .finish(table)?;
    Ok(csv)
}

/// Digest of a release's content (CSV data, metadata and data package), equal for equal content.
pub fn content_digest(csv: &[u8], metadata: &serde_json::Value, datapackage: &[u8]) -> String {
    content_digest_of(&sha256_hex(csv), metadata, datapackage)
}

/// [`content_digest`] from the CSV's SHA-256 (hex), hashed once where the release is built.
fn content_digest_of(csv_sha256: &str, metadata: &serde_json::Value, datapackage: &[u8]) -> String {
    let mut buf = csv_sha256.as_bytes().to_vec();
    buf.push(b'\n');
    buf.extend(serde_json::to_vec(metadata).unwrap_or_default());
    buf.push(b'\n');
    buf.extend(sha256_hex(datapackage).into_bytes());
    sha256_hex(&buf)
}

/// Builds and signs the files of a release.
pub fn build_release(input: ReleaseInput<'_>, signer: &Signer) -> Result<Release> {
    let (parquet, csv, json) = write_both(input.table)?;
    let package = datapackage::describe(&datapackage::Describe {
        dataset: input.dataset,
        organization: input.organization,
        metadata: &input.metadata,
        standard: input.standard,
        table: input.table,
        csv: &csv.bytes,
        csv_sha256: &csv.sha256,
        parquet: &parquet.bytes,
    });
    let package = json_file(&package)?;
    let content_digest = content_digest_of(&csv.sha256, &input.metadata, &package);
    let mut metadata_doc = serde_json::Map::new();
    metadata_doc.insert("dataset".into(), input.metadata);
    metadata_doc.insert(
        "release".into(),
        serde_json::json!({ "version": input.version, "created_at": input.created_at }),
    );
    metadata_doc.insert("provenance".into(), input.provenance);
    let metadata = json_file(&serde_json::Value::Object(metadata_doc))?;
    let package = Hashed::of(package);
    let metadata = Hashed::of(metadata);
    let hashed = [
        ("data.parquet", parquet),
        ("data.csv", csv),
        (JSON_FILE, json),
        (DATAPACKAGE_FILE, package),
        ("metadata.json", metadata),
    ];
    let listed: Vec<ManifestFile> = hashed
        .iter()
        .map(|(path, file)| ManifestFile {
            path: (*path).to_owned(),
            size: file.bytes.len() as u64,
            sha256: file.sha256.clone(),
        })
        .collect();
    let mut files: Vec<(String, Vec<u8>)> = hashed
        .into_iter()
        .map(|(path, file)| (path.to_owned(), file.bytes))
        .collect();
    let manifest = Manifest {
        format: MANIFEST_FORMAT.into(),
        organization: input.organization.into(),
        dataset: input.dataset.into(),
        version: input.version,
        created_at: input.created_at,
        content_digest,
        previous_manifest_sha256: input.previous_manifest_sha256,
        files: listed,
        signature: None,
    };
    let manifest_file = manifest.to_file_bytes();
    let signature = signer.sign_manifest(&manifest_file);
    files.push((MANIFEST_FILE.into(), manifest_file));
    files.push((SIGNATURE_FILE.into(), signature));
    Ok(Release { files, manifest })
}

/// A file's bytes with their SHA-256 (hex), hashed once.
struct Hashed {
    bytes: Vec<u8>,
    sha256: String,
}

impl Hashed {
    fn of(bytes: Vec<u8>) -> Hashed {
        let sha256 = sha256_hex(&bytes);
        Hashed { bytes, sha256 }
    }
}

/// The table's Parquet, CSV and JSON files, written side by side on two threads (Parquet on
/// one, CSV then JSON on the other; each writer is mostly serial) and hashed where written.
fn write_both(table: &mut DataFrame) -> Result<(Hashed, Hashed, Hashed)> {
    let mut for_text = table.clone();
    std::thread::scope(|scope| {
        let text = scope.spawn(move || {
            let csv = write_csv(&mut for_text).map(Hashed::of)?;
            let json = json_rows::write_json(&for_text).map(Hashed::of)?;
            Ok::<_, Error>((csv, json))
        });
        let parquet = write_parquet(table).map(Hashed::of);
        let (csv, json) = text
            .join()
            .unwrap_or_else(|_| Err(Error::Write(PolarsError::ComputeError("the CSV writer stopped".into()))))?;
        Ok((parquet?, csv, json))
    })
}

/// Pretty JSON with a final newline, as every JSON file of a release is written.
fn json_file(value: &serde_json::Value) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests;
