//! Writes signed, versioned releases and verifies them offline.
//!
//! A release is a folder `v{N}` with `data.parquet`, `data.csv`, `metadata.json` and
//! `manifest.json`. [`build_release`] turns an approved, typed table and its metadata into the
//! bytes of those files: the manifest lists each file's SHA-256 and size, chains to the previous
//! release's manifest, and is signed with the data center's Ed25519 key ([`Signer`]).
//! [`verify_dir`] checks a downloaded release folder against its manifest and signature.
//! Storing the files and committing the catalog row is the workflow's job: files first,
//! catalog row last.
//!
//! ```
//! use polars::prelude::*;
//! use satudata_publish::{build_release, verify_files, ReleaseInput, Signer};
//! let signer = Signer::generate().unwrap();
//! let mut table = df!("jumlah" => [1i64, 2]).unwrap();
//! let release = build_release(ReleaseInput {
//!     organization: "dinkes", dataset: "kunjungan", version: 1,
//!     table: &mut table, metadata: serde_json::json!({"name": "kunjungan"}),
//!     provenance: serde_json::json!({}), previous_manifest_sha256: None,
//!     created_at: "2026-01-01T00:00:00Z".into(),
//! }, &signer).unwrap();
//! assert!(verify_files(&release.files, None).is_empty());
//! ```

mod localize;

use std::collections::BTreeMap;
use std::path::Path;

use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use polars::prelude::*;
use satudata_core::{Lang, MANIFEST_FORMAT, Manifest, ManifestFile, ManifestSignature, messages, sha256_hex};

/// Errors that stop a release from being built or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Writing Parquet or CSV failed.
    #[error("cannot write the data files")]
    Write(#[from] PolarsError),
    /// A key is malformed.
    #[error("invalid signing key: {0}")]
    Key(String),
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

    /// Signs a manifest in place.
    pub fn sign(&self, manifest: &mut Manifest) {
        let signature = self.key.sign(&manifest.signing_bytes());
        manifest.signature = Some(ManifestSignature {
            algorithm: "ed25519".into(),
            public_key: self.public_key_hex(),
            value: hex::encode(signature.to_bytes()),
        });
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
    /// Where the release came from (submission, report digest, reviewer): not content.
    pub provenance: serde_json::Value,
    /// SHA-256 of the previous release's manifest file.
    pub previous_manifest_sha256: Option<String>,
    /// Release time, RFC 3339 UTC.
    pub created_at: String,
}

/// The files of a release, in memory, manifest last.
#[derive(Debug, Clone)]
pub struct Release {
    /// (file name, bytes), in write order; `manifest.json` is last.
    pub files: Vec<(String, Vec<u8>)>,
    /// The signed manifest.
    pub manifest: Manifest,
}

impl Release {
    /// SHA-256 of the manifest file.
    pub fn manifest_sha256(&self) -> String {
        self.files.last().map(|(_, b)| sha256_hex(b)).unwrap_or_default()
    }
}

/// Writes the table as CSV: UTF-8, comma, header of field names; times as `HH:MM:SS` (with a
/// fraction only when there is one).
pub fn write_csv(table: &mut DataFrame) -> Result<Vec<u8>> {
    let mut csv = Vec::new();
    CsvWriter::new(&mut csv)
        .include_header(true)
        .with_separator(b',')
        .with_time_format(Some("%H:%M:%S%.f".into()))
        .finish(table)?;
    Ok(csv)
}

/// Digest of a release's content (CSV data and metadata), equal for equal content.
pub fn content_digest(csv: &[u8], metadata: &serde_json::Value) -> String {
    let mut buf = sha256_hex(csv).into_bytes();
    buf.push(b'\n');
    buf.extend(serde_json::to_vec(metadata).unwrap_or_default());
    sha256_hex(&buf)
}

/// Builds and signs the files of a release.
pub fn build_release(input: ReleaseInput<'_>, signer: &Signer) -> Result<Release> {
    let mut parquet = Vec::new();
    ParquetWriter::new(&mut parquet)
        .with_compression(ParquetCompression::Zstd(None))
        .finish(input.table)?;
    let csv = write_csv(input.table)?;
    let content_digest = content_digest(&csv, &input.metadata);
    let mut metadata_doc = serde_json::Map::new();
    metadata_doc.insert("dataset".into(), input.metadata);
    metadata_doc.insert(
        "release".into(),
        serde_json::json!({ "version": input.version, "created_at": input.created_at }),
    );
    metadata_doc.insert("provenance".into(), input.provenance);
    let mut metadata = serde_json::to_vec_pretty(&metadata_doc)?;
    metadata.push(b'\n');
    let files: Vec<(String, Vec<u8>)> = vec![
        ("data.parquet".into(), parquet),
        ("data.csv".into(), csv),
        ("metadata.json".into(), metadata),
    ];
    let mut manifest = Manifest {
        format: MANIFEST_FORMAT.into(),
        organization: input.organization.into(),
        dataset: input.dataset.into(),
        version: input.version,
        created_at: input.created_at,
        content_digest,
        previous_manifest_sha256: input.previous_manifest_sha256,
        files: files
            .iter()
            .map(|(path, bytes)| ManifestFile {
                path: path.clone(),
                size: bytes.len() as u64,
                sha256: sha256_hex(bytes),
            })
            .collect(),
        signature: None,
    };
    signer.sign(&mut manifest);
    let mut files = files;
    files.push((MANIFEST_FILE.into(), manifest.to_file_bytes()));
    Ok(Release { files, manifest })
}

/// One thing wrong with a release.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// `manifest.json` is missing or unreadable.
    Manifest(String),
    /// A listed file is missing.
    MissingFile(String),
    /// A file's size differs from the manifest.
    SizeMismatch {
        /// The file.
        path: String,
        /// Size in the manifest.
        expected: u64,
        /// Size found.
        actual: u64,
    },
    /// A file's SHA-256 differs from the manifest.
    ChecksumMismatch(String),
    /// A file in the folder is not listed in the manifest.
    UnlistedFile(String),
    /// The manifest has no signature, or one that does not verify.
    BadSignature,
    /// The signature is valid but made by a key other than the trusted one.
    UntrustedKey(String),
    /// The previous release's manifest does not have the hash this one records.
    BrokenChain(String),
}

impl Problem {
    /// The problem in words, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let r = |key: &str, args: &[(&str, &str)]| messages::render(lang, key, args);
        match self {
            Problem::Manifest(d) => r("verify.manifest", &[("detail", d)]),
            Problem::MissingFile(p) => r("verify.missing-file", &[("path", p)]),
            Problem::SizeMismatch { path, expected, actual } => r(
                "verify.size",
                &[
                    ("path", path),
                    ("expected", &expected.to_string()),
                    ("actual", &actual.to_string()),
                ],
            ),
            Problem::ChecksumMismatch(p) => r("verify.checksum", &[("path", p)]),
            Problem::UnlistedFile(p) => r("verify.unlisted", &[("path", p)]),
            Problem::BadSignature => r("verify.signature", &[]),
            Problem::UntrustedKey(k) => r("verify.untrusted", &[("key", k)]),
            Problem::BrokenChain(p) => r("verify.chain", &[("path", p)]),
        }
    }
}

/// Parses a hex public key.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(text.trim())
        .map_err(|e| Error::Key(e.to_string()))?
        .try_into()
        .map_err(|_| Error::Key("expected 32 bytes".into()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| Error::Key(e.to_string()))
}

fn check_signature(manifest: &Manifest, trusted: Option<&VerifyingKey>) -> Vec<Problem> {
    let Some(sig) = &manifest.signature else {
        return vec![Problem::BadSignature];
    };
    let Ok(key) = parse_public_key(&sig.public_key) else {
        return vec![Problem::BadSignature];
    };
    let signature = hex::decode(&sig.value)
        .ok()
        .and_then(|b| Signature::from_slice(&b).ok());
    let Some(signature) = signature else {
        return vec![Problem::BadSignature];
    };
    if sig.algorithm != "ed25519" || key.verify(&manifest.signing_bytes(), &signature).is_err() {
        return vec![Problem::BadSignature];
    }
    match trusted {
        Some(t) if t != &key => vec![Problem::UntrustedKey(sig.public_key.clone())],
        _ => Vec::new(),
    }
}

/// Checks in-memory release files against their manifest (the last file) and signature.
pub fn verify_files(files: &[(String, Vec<u8>)], trusted: Option<&VerifyingKey>) -> Vec<Problem> {
    let by_name: BTreeMap<&str, &[u8]> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let Some(manifest_bytes) = by_name.get(MANIFEST_FILE) else {
        return vec![Problem::Manifest(MANIFEST_FILE.into())];
    };
    let manifest = match Manifest::from_json(manifest_bytes) {
        Ok(m) => m,
        Err(e) => return vec![Problem::Manifest(e.to_string())],
    };
    let mut problems = check_signature(&manifest, trusted);
    for file in &manifest.files {
        match by_name.get(file.path.as_str()) {
            None => problems.push(Problem::MissingFile(file.path.clone())),
            Some(bytes) => {
                if bytes.len() as u64 != file.size {
                    problems.push(Problem::SizeMismatch {
                        path: file.path.clone(),
                        expected: file.size,
                        actual: bytes.len() as u64,
                    });
                }
                if sha256_hex(bytes) != file.sha256 {
                    problems.push(Problem::ChecksumMismatch(file.path.clone()));
                }
            }
        }
    }
    for name in by_name.keys() {
        if *name != MANIFEST_FILE && !manifest.files.iter().any(|f| f.path == *name) {
            problems.push(Problem::UnlistedFile((*name).to_owned()));
        }
    }
    problems
}

/// Checks a release folder: every file against the manifest, the signature, and, when the
/// previous release's folder sits beside it (`v{N-1}`), the hash chain.
pub fn verify_dir(dir: &Path, trusted: Option<&VerifyingKey>) -> std::io::Result<Vec<Problem>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            files.push((
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path())?,
            ));
        }
    }
    let mut problems = verify_files(&files, trusted);
    let manifest = files
        .iter()
        .find(|(n, _)| n == MANIFEST_FILE)
        .and_then(|(_, b)| Manifest::from_json(b).ok());
    if let Some(m) = manifest
        && let Some(expected) = &m.previous_manifest_sha256
        && m.version > 1
        && let Some(parent) = dir.parent()
    {
        let previous = parent.join(format!("v{}", m.version - 1)).join(MANIFEST_FILE);
        if let Ok(bytes) = std::fs::read(&previous)
            && &sha256_hex(&bytes) != expected
        {
            problems.push(Problem::BrokenChain(previous.display().to_string()));
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(signer: &Signer) -> Release {
        let mut table = df!("kode" => ["61.71.01", "61.71.02"], "jumlah" => [10i64, 20]).unwrap();
        build_release(
            ReleaseInput {
                organization: "disdukcapil",
                dataset: "penduduk",
                version: 1,
                table: &mut table,
                metadata: serde_json::json!({"name": "penduduk"}),
                provenance: serde_json::json!({"submission": 1}),
                previous_manifest_sha256: None,
                created_at: "2026-01-01T00:00:00Z".into(),
            },
            signer,
        )
        .unwrap()
    }

    #[test]
    fn times_are_written_as_clock_times() {
        let nanos = Int64Chunked::new(
            "jam".into(),
            &[Some(30_600_000_000_000i64), Some(30_600_500_000_000), None],
        );
        let jam = nanos.into_series().cast(&DataType::Time).unwrap();
        let mut table = DataFrame::new(3, vec![jam.into_column()]).unwrap();
        let csv = String::from_utf8(write_csv(&mut table).unwrap()).unwrap();
        assert_eq!(csv, "jam\n08:30:00\n08:30:00.500\n\n");
    }

    #[test]
    fn a_fresh_release_verifies() {
        let signer = Signer::generate().unwrap();
        let r = release(&signer);
        let names: Vec<_> = r.files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["data.parquet", "data.csv", "metadata.json", "manifest.json"]);
        let key = parse_public_key(&signer.public_key_hex()).unwrap();
        assert_eq!(verify_files(&r.files, Some(&key)), vec![]);
        assert_eq!(
            String::from_utf8(r.files[1].1.clone()).unwrap(),
            "kode,jumlah\n61.71.01,10\n61.71.02,20\n"
        );
    }

    #[test]
    fn one_changed_byte_is_caught() {
        let signer = Signer::generate().unwrap();
        let mut r = release(&signer);
        r.files[1].1[12] ^= 1;
        let problems = verify_files(&r.files, None);
        assert_eq!(problems, vec![Problem::ChecksumMismatch("data.csv".into())]);
        assert!(problems[0].message(Lang::Id).contains("data.csv"));
    }

    #[test]
    fn an_edited_manifest_breaks_the_signature() {
        let signer = Signer::generate().unwrap();
        let mut r = release(&signer);
        let mut m = r.manifest.clone();
        m.version = 7;
        r.files[3].1 = m.to_file_bytes();
        assert_eq!(verify_files(&r.files, None), vec![Problem::BadSignature]);
    }

    #[test]
    fn another_key_is_untrusted() {
        let r = release(&Signer::generate().unwrap());
        let other = parse_public_key(&Signer::generate().unwrap().public_key_hex()).unwrap();
        assert!(matches!(
            verify_files(&r.files, Some(&other))[..],
            [Problem::UntrustedKey(_)]
        ));
    }

    #[test]
    fn content_digest_ignores_provenance_and_time() {
        let signer = Signer::generate().unwrap();
        let a = release(&signer);
        let b = release(&signer);
        assert_eq!(a.manifest.content_digest, b.manifest.content_digest);
        let key_round_trip = Signer::from_secret_hex(&signer.secret_hex()).unwrap();
        assert_eq!(key_round_trip.public_key_hex(), signer.public_key_hex());
    }
}
