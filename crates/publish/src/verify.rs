//! Checking a release: every file against the manifest, the manifest against its signature,
//! and the signer against the keys the reader trusts.

use std::collections::BTreeMap;
use std::path::Path;

use ed25519_dalek::{Signature, VerifyingKey};
use satudata_core::{
    DetachedSignature, Lang, MANIFEST_FORMAT, MANIFEST_FORMAT_V1, Manifest, SIGNATURE_FORMAT, messages, sha256_hex,
};

use crate::{Error, MANIFEST_FILE, Result, SIGNATURE_FILE};

/// A public key the reader trusts, with the name it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    /// The key.
    pub key: VerifyingKey,
    /// Who it belongs to, as the reader named it (may be empty).
    pub name: String,
}

impl TrustedKey {
    /// A trusted key from its hex.
    pub fn from_hex(hex: &str, name: &str) -> Result<Self> {
        Ok(TrustedKey {
            key: parse_public_key(hex)?,
            name: name.trim().to_owned(),
        })
    }
}

/// Whose signature a verification accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// Only these keys; with none, every signer is unknown.
    Keys(Vec<TrustedKey>),
    /// Any valid signature: integrity only, the signer is not checked.
    AnySigner,
}

/// The outcome of checking a release.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verification {
    /// What is wrong; empty when the release is intact and its signer trusted.
    pub problems: Vec<Problem>,
    /// Fingerprint of the key whose valid signature the manifest carries.
    pub signer: Option<String>,
    /// The trusted key that signed it, when one did.
    pub trusted: Option<TrustedKey>,
}

/// One thing wrong with a release.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// `manifest.json` is missing or unreadable.
    Manifest(String),
    /// The manifest's or signature's format is not one this version reads.
    UnknownFormat {
        /// The file.
        path: String,
        /// Its format tag.
        format: String,
    },
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
    /// `manifest.json` is not the file `manifest.sig` signed (its SHA-256 differs).
    ManifestChanged,
    /// A file in the folder is not listed in the manifest.
    UnlistedFile(String),
    /// The signature file is missing or unreadable.
    SignatureMissing(String),
    /// A file's bytes are not the ones it was written with (a re-serialised form differs).
    Reformatted(String),
    /// The signature in this file does not verify.
    BadSignature(String),
    /// The signature is valid, but no trusted key was given: the signer's fingerprint.
    UnknownSigner(String),
    /// The signature is valid but made by a key the reader does not trust.
    UntrustedKey {
        /// Fingerprint of the signer's key.
        signer: String,
        /// Fingerprints of the trusted keys.
        trusted: Vec<String>,
    },
    /// The previous release's manifest does not have the hash this one records.
    BrokenChain(String),
}

impl Problem {
    /// Whether the problem is who signed, not what the files hold.
    pub fn is_about_signer(&self) -> bool {
        matches!(self, Problem::UnknownSigner(_) | Problem::UntrustedKey { .. })
    }

    /// The problem in words, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let r = |key: &str, args: &[(&str, &str)]| messages::render(lang, key, args);
        match self {
            Problem::Manifest(d) => r("verify.manifest", &[("detail", d)]),
            Problem::UnknownFormat { path, format } => r("verify.format", &[("path", path), ("format", format)]),
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
            Problem::ManifestChanged => r("verify.manifest-changed", &[]),
            Problem::UnlistedFile(p) => r("verify.unlisted", &[("path", p)]),
            Problem::SignatureMissing(d) => r("verify.signature-missing", &[("detail", d)]),
            Problem::Reformatted(p) => r("verify.reformatted", &[("path", p)]),
            Problem::BadSignature(p) => r("verify.signature", &[("path", p)]),
            Problem::UnknownSigner(k) => r("verify.unknown-signer", &[("key", k)]),
            Problem::UntrustedKey { signer, trusted } => {
                r("verify.untrusted", &[("key", signer), ("trusted", &trusted.join(", "))])
            }
            Problem::BrokenChain(p) => r("verify.chain", &[("path", p)]),
        }
    }
}

/// A key's fingerprint, as every message prints it: `SHA256:` and the hex of the first 16
/// bytes of the SHA-256 of the 32 key bytes.
pub fn fingerprint(key: &VerifyingKey) -> String {
    let digest = sha256_hex(key.as_bytes());
    format!("SHA256:{}", &digest[..32])
}

/// Parses a hex public key.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(text.trim())
        .map_err(|e| Error::Key(e.to_string()))?
        .try_into()
        .map_err(|_| Error::Key("expected 32 bytes".into()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| Error::Key(e.to_string()))
}

/// Parses a trusted-keys file: one key a line, its hex first and then, optionally, the name it
/// is trusted under; blank lines and lines starting with `#` are skipped.
pub fn parse_trusted_keys(text: &str) -> Result<Vec<TrustedKey>> {
    let mut keys = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (hex, name) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let key = TrustedKey::from_hex(hex, name).map_err(|e| Error::TrustedKeys {
            line: i + 1,
            detail: e.to_string(),
        })?;
        keys.push(key);
    }
    Ok(keys)
}

/// Checks in-memory release files against their manifest, signature and the trusted keys.
pub fn verify_files(files: &[(String, Vec<u8>)], trust: &Trust) -> Verification {
    let by_name: BTreeMap<&str, &[u8]> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let mut out = Verification::default();
    let Some(manifest_bytes) = by_name.get(MANIFEST_FILE) else {
        out.problems.push(Problem::Manifest(MANIFEST_FILE.into()));
        return out;
    };
    let manifest = match Manifest::from_json(manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            out.problems.push(Problem::Manifest(e.to_string()));
            return out;
        }
    };
    let signed_by = match manifest.format.as_str() {
        MANIFEST_FORMAT if manifest.signature.is_none() => {
            check_detached(manifest_bytes, by_name.get(SIGNATURE_FILE).copied(), &mut out.problems)
        }
        MANIFEST_FORMAT_V1 => check_embedded(manifest_bytes, &manifest, &mut out.problems),
        MANIFEST_FORMAT => {
            out.problems.push(Problem::Manifest(format!(
                "{MANIFEST_FORMAT} carries no embedded signature"
            )));
            None
        }
        other => {
            out.problems.push(Problem::UnknownFormat {
                path: MANIFEST_FILE.into(),
                format: other.to_owned(),
            });
            None
        }
    };
    if let Some(key) = signed_by {
        out.signer = Some(fingerprint(&key));
        match trusted_signer(&key, trust) {
            Ok(trusted) => out.trusted = trusted,
            Err(problem) => out.problems.push(problem),
        }
    }
    check_listed(&manifest, &by_name, &mut out.problems);
    out
}

/// Format 2: `manifest.sig` must be as written and verify over the exact bytes of
/// `manifest.json`; the hash it records tells which of the two changed. Returns the signer's key
/// when the signature verifies.
fn check_detached(manifest: &[u8], sig: Option<&[u8]>, problems: &mut Vec<Problem>) -> Option<VerifyingKey> {
    let Some(sig_bytes) = sig else {
        problems.push(Problem::SignatureMissing(SIGNATURE_FILE.into()));
        return None;
    };
    let sig = match DetachedSignature::from_json(sig_bytes) {
        Ok(s) => s,
        Err(e) => {
            problems.push(Problem::SignatureMissing(format!("{SIGNATURE_FILE}: {e}")));
            return None;
        }
    };
    if sig.format != SIGNATURE_FORMAT {
        problems.push(Problem::UnknownFormat {
            path: SIGNATURE_FILE.into(),
            format: sig.format,
        });
        return None;
    }
    let manifest_changed = sig.manifest_sha256 != sha256_hex(manifest);
    let key = verified_key(&sig.algorithm, &sig.public_key, &sig.value, manifest);
    if key.is_some() && (manifest_changed || sig.to_file_bytes() != sig_bytes) {
        problems.push(Problem::Reformatted(SIGNATURE_FILE.into()));
    } else if key.is_none() && manifest_changed {
        problems.push(Problem::ManifestChanged);
    } else if key.is_none() {
        problems.push(Problem::BadSignature(SIGNATURE_FILE.into()));
    }
    key
}

/// Format 1: the signature covers a re-serialisation, so the file must also be exactly that
/// serialisation for a changed byte (whitespace included) to be caught.
fn check_embedded(bytes: &[u8], manifest: &Manifest, problems: &mut Vec<Problem>) -> Option<VerifyingKey> {
    if manifest.to_file_bytes() != bytes {
        problems.push(Problem::Reformatted(MANIFEST_FILE.into()));
    }
    let key = manifest
        .signature
        .as_ref()
        .and_then(|s| verified_key(&s.algorithm, &s.public_key, &s.value, &manifest.signing_bytes()));
    if key.is_none() {
        problems.push(Problem::BadSignature(MANIFEST_FILE.into()));
    }
    key
}

/// The key, when `value` is its valid Ed25519 signature over `message`.
fn verified_key(algorithm: &str, public_key: &str, value: &str, message: &[u8]) -> Option<VerifyingKey> {
    let key = parse_public_key(public_key).ok()?;
    let signature = Signature::from_slice(&hex::decode(value).ok()?).ok()?;
    (algorithm == "ed25519" && key.verify_strict(message, &signature).is_ok()).then_some(key)
}

fn trusted_signer(key: &VerifyingKey, trust: &Trust) -> Result<Option<TrustedKey>, Problem> {
    match trust {
        Trust::AnySigner => Ok(None),
        Trust::Keys(keys) if keys.is_empty() => Err(Problem::UnknownSigner(fingerprint(key))),
        Trust::Keys(keys) => match keys.iter().find(|t| &t.key == key) {
            Some(t) => Ok(Some(t.clone())),
            None => Err(Problem::UntrustedKey {
                signer: fingerprint(key),
                trusted: keys.iter().map(|t| fingerprint(&t.key)).collect(),
            }),
        },
    }
}

fn check_listed(manifest: &Manifest, by_name: &BTreeMap<&str, &[u8]>, problems: &mut Vec<Problem>) {
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
    let detached = manifest.format == MANIFEST_FORMAT;
    for name in by_name.keys() {
        let own = *name == MANIFEST_FILE || (detached && *name == SIGNATURE_FILE);
        if !own && !manifest.files.iter().any(|f| f.path == *name) {
            problems.push(Problem::UnlistedFile((*name).to_owned()));
        }
    }
}

/// Checks a release folder: every file against the manifest, the signature and its signer,
/// and, when the previous release's folder sits beside it (`v{N-1}`), the hash chain.
pub fn verify_dir(dir: &Path, trust: &Trust) -> std::io::Result<Verification> {
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
    let mut verification = verify_files(&files, trust);
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
            verification
                .problems
                .push(Problem::BrokenChain(previous.display().to_string()));
        }
    }
    Ok(verification)
}
