use serde::{Deserialize, Serialize};

/// Format tag written in every new manifest: signed by a detached [`DetachedSignature`] over
/// the manifest file's exact bytes.
pub const MANIFEST_FORMAT: &str = "satudata-manifest/2";

/// Format tag of the first releases: the signature sits inside the manifest and covers its
/// compact re-serialisation ([`Manifest::signing_bytes`]). Still verified, never written.
pub const MANIFEST_FORMAT_V1: &str = "satudata-manifest/1";

/// Format tag of `manifest.sig`.
pub const SIGNATURE_FORMAT: &str = "satudata-signature/1";

/// One file of a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// File name within the release folder.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
}

/// The signature inside a format-1 manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestSignature {
    /// Always `ed25519`.
    pub algorithm: String,
    /// Hex of the signer's 32-byte public key.
    pub public_key: String,
    /// Hex of the 64-byte signature over [`Manifest::signing_bytes`].
    pub value: String,
}

/// The list of a release's files with their checksums, chained to the previous release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`MANIFEST_FORMAT`] (or [`MANIFEST_FORMAT_V1`] in old releases).
    pub format: String,
    /// Organization slug.
    pub organization: String,
    /// Dataset name.
    pub dataset: String,
    /// Release number, from 1.
    pub version: u32,
    /// When the release was made (RFC 3339, UTC).
    pub created_at: String,
    /// Digest of the release's content (data and metadata, not provenance), to detect re-runs.
    pub content_digest: String,
    /// SHA-256 of the previous release's manifest file, if any.
    pub previous_manifest_sha256: Option<String>,
    /// The files, in a fixed order.
    pub files: Vec<ManifestFile>,
    /// Format 1 only: the embedded signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<ManifestSignature>,
}

impl Manifest {
    /// Parses a manifest from JSON.
    pub fn from_json(bytes: &[u8]) -> crate::Result<Self> {
        crate::error::parse_json("manifest", bytes)
    }

    /// Format 1: the bytes its signature covers, the compact JSON without the signature.
    pub fn signing_bytes(&self) -> Vec<u8> {
        let unsigned = Manifest {
            signature: None,
            ..self.clone()
        };
        serde_json::to_vec(&unsigned).unwrap_or_default()
    }

    /// The manifest as it is written to `manifest.json`.
    pub fn to_file_bytes(&self) -> Vec<u8> {
        pretty_file(self)
    }
}

/// `manifest.sig`: the Ed25519 signature over the exact bytes of `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetachedSignature {
    /// [`SIGNATURE_FORMAT`].
    pub format: String,
    /// Always `ed25519`.
    pub algorithm: String,
    /// Hex of the signer's 32-byte public key.
    pub public_key: String,
    /// Hex SHA-256 of the signed `manifest.json`: tells a changed manifest from a changed
    /// signature (not itself trusted: the signature is).
    pub manifest_sha256: String,
    /// Hex of the 64-byte signature over the bytes of `manifest.json`.
    pub value: String,
}

impl DetachedSignature {
    /// Parses `manifest.sig`.
    pub fn from_json(bytes: &[u8]) -> crate::Result<Self> {
        crate::error::parse_json("signature", bytes)
    }

    /// The signature as it is written to `manifest.sig`; a file with other bytes was changed.
    pub fn to_file_bytes(&self) -> Vec<u8> {
        pretty_file(self)
    }
}

fn pretty_file<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signing_bytes_ignore_the_signature() {
        let mut m = Manifest {
            format: MANIFEST_FORMAT_V1.into(),
            organization: "o".into(),
            dataset: "d".into(),
            version: 1,
            created_at: "2026-01-01T00:00:00Z".into(),
            content_digest: "c".into(),
            previous_manifest_sha256: None,
            files: vec![],
            signature: None,
        };
        let before = m.signing_bytes();
        m.signature = Some(ManifestSignature {
            algorithm: "ed25519".into(),
            public_key: "k".into(),
            value: "v".into(),
        });
        assert_eq!(before, m.signing_bytes());
        assert_eq!(Manifest::from_json(&m.to_file_bytes()).unwrap(), m);
    }

    #[test]
    fn a_signature_file_round_trips_byte_for_byte() {
        let sig = DetachedSignature {
            format: SIGNATURE_FORMAT.into(),
            algorithm: "ed25519".into(),
            public_key: "ab".into(),
            manifest_sha256: "cd".into(),
            value: "ef".into(),
        };
        let bytes = sig.to_file_bytes();
        assert_eq!(DetachedSignature::from_json(&bytes).unwrap().to_file_bytes(), bytes);
        assert!(DetachedSignature::from_json(br#"{"format":"x"}"#).is_err());
    }
}
