//! What the read API answers with: the JSON bodies, and their OpenAPI schemas.

use serde::Serialize;
use utoipa::ToSchema;

/// An organization (perangkat daerah).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganizationView {
    /// Short identifier (`disdukcapil`).
    pub slug: String,
    /// Full name.
    pub nama: String,
    /// Abbreviation.
    pub singkatan: String,
    /// The region it serves (`61.71`).
    pub kode_wilayah: String,
    /// Links: itself, and its datasets.
    pub links: OrganizationLinks,
}

/// Links of an organization.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganizationLinks {
    /// The organization.
    #[serde(rename = "self")]
    #[schema(rename = "self")]
    pub this: String,
    /// Its datasets.
    pub datasets: String,
}

/// A release as lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReleaseSummary {
    /// Release number.
    pub version: u32,
    /// When it was published (RFC 3339).
    pub created_at: String,
    /// Data rows.
    pub rows: u64,
    /// Its status kerahasiaan (`terbuka`, `terbatas`, `rahasia`).
    pub status_kerahasiaan: String,
    /// The release.
    pub link: String,
}

/// A dataset as lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetSummary {
    /// Name (slug).
    pub name: String,
    /// Title.
    pub title: String,
    /// Owning organization's slug.
    pub organization: String,
    /// Id of the data standard it follows.
    pub standard: String,
    /// Status kerahasiaan: the latest release's, or the metadata's for a draft.
    pub status_kerahasiaan: String,
    /// Its latest release; `null` for a draft.
    pub latest_release: Option<ReleaseSummary>,
    /// Links: itself, and its releases.
    pub links: DatasetLinks,
}

/// Links of a dataset.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetLinks {
    /// The dataset.
    #[serde(rename = "self")]
    #[schema(rename = "self")]
    pub this: String,
    /// Its releases.
    pub releases: String,
}

/// A dataset with its whole metadata.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetDetail {
    /// The summary fields.
    #[serde(flatten)]
    pub summary: DatasetSummary,
    /// The metadata document as registered (`schemas/dataset.schema.json`).
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
    /// h-sub: its switches for recurring feeds.
    pub switches: SwitchesView,
}

// h-sub
/// A dataset's switches for recurring feeds, each a recorded decision.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct SwitchesView {
    /// Valid submissions are approved without a verifier, with this status kerahasiaan (a
    /// verifier's decision); `null` when off.
    pub auto_approve: Option<AutoApproveView>,
    /// The PD's standing consent to publish its approved submissions; `null` when off.
    pub standing_consent: Option<RecordedView>,
}

/// Automatic approval: with which status, decided by whom and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AutoApproveView {
    /// The status kerahasiaan approvals get.
    pub status_kerahasiaan: String,
    /// Who switched it on.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
}

/// A recorded decision: who and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordedView {
    /// Who decided.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
}

impl From<satudata_catalog::DatasetSwitches> for SwitchesView {
    fn from(s: satudata_catalog::DatasetSwitches) -> Self {
        SwitchesView {
            auto_approve: s.auto_approve.map(|(status, r)| AutoApproveView {
                status_kerahasiaan: status.as_str().to_owned(),
                by: r.by,
                at: r.at,
            }),
            standing_consent: s.standing_consent.map(|r| RecordedView { by: r.by, at: r.at }),
        }
    }
}

/// A file of a release.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FileView {
    /// File name within the release.
    pub name: String,
    /// Size in bytes, as the manifest records it (`null` for the manifest and its signature).
    pub size: Option<u64>,
    /// Hex SHA-256, as the manifest records it (`null` for the manifest's signature).
    pub sha256: Option<String>,
    /// Where to download it.
    pub link: String,
}

/// A release: its files, its manifest and its metadata.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReleaseDetail {
    /// Dataset name.
    pub dataset: String,
    /// The summary fields.
    #[serde(flatten)]
    pub summary: ReleaseSummary,
    /// Hex SHA-256 of `manifest.json`.
    pub manifest_sha256: String,
    /// Every file of the release, the manifest and its signature last.
    pub files: Vec<FileView>,
    /// `manifest.json` (`satudata-manifest/2`).
    #[schema(value_type = Object)]
    pub manifest: serde_json::Value,
    /// `metadata.json`: dataset metadata, standard and provenance.
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
}

/// The answer of `/healthz` and `/readyz`.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
}
