//! The package dict and its kin (`model_dictize.package_dictize`, `group_dictize`), built from
//! view structs that the integrator fills from the catalog.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::query::{Extra, PackageFields};

/// The SPDX URI of SHA-256, which ckanext-dcat reads from `hash_algorithm`.
pub const SHA256_SPDX: &str = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256";

/// A Perangkat Daerah as CKAN's organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationView {
    /// Stable UUID.
    pub id: String,
    /// Slug (`dinkes`): CKAN's `name`.
    pub slug: String,
    /// Full name (`Dinas Kesehatan`): CKAN's `title`.
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Logo URL, if any.
    #[serde(default)]
    pub image_url: String,
    /// When it was added.
    pub created: DateTime<Utc>,
}

/// A topic (basis-data group) as CKAN's group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    /// Stable UUID.
    pub id: String,
    /// Slug (`kesehatan`).
    pub slug: String,
    /// Title (`Kesehatan`).
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// When it was added.
    pub created: DateTime<Utc>,
}

/// One published file of a release: a CKAN resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileView {
    /// Stable UUID.
    pub id: String,
    /// File name (`kunjungan-puskesmas.csv`).
    pub name: String,
    /// The download URL.
    pub url: String,
    /// `CSV`, `Parquet`, `JSON`.
    pub format: String,
    /// `text/csv`.
    pub mimetype: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256, hex.
    pub sha256: String,
    /// When it was written.
    pub last_modified: DateTime<Utc>,
}

/// A release (a version) of a dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseView {
    /// Version number (1, 2, ...).
    pub version: u32,
    /// When it was published.
    pub published: DateTime<Utc>,
    /// Its files.
    pub files: Vec<FileView>,
}

/// Everything the package dict is made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetView {
    /// Stable UUID.
    pub id: String,
    /// The dataset metadata as stored (`name`, `title`, `description`, `tags`, `license`,
    /// `frequency`, `presentation_level`, `temporal_coverage`, `spatial_coverage`,
    /// `status_kerahasiaan`, `standard`, `reference`, ...).
    pub metadata: Map<String, Value>,
    /// The producing organization.
    pub organization: OrganizationView,
    /// The topic, as a group.
    pub topic: Option<GroupView>,
    /// First registration.
    pub created: DateTime<Utc>,
    /// Last change (metadata or a release).
    pub modified: DateTime<Utc>,
    /// Version of the data standard followed.
    pub standard_version: Option<String>,
    /// Published releases; the newest is the one the resources describe.
    pub releases: Vec<ReleaseView>,
    /// Downloads of all its files, for sorting by popularity.
    #[serde(default)]
    pub downloads: u64,
}

/// CKAN's timestamps: ISO 8601 without a zone, always with microseconds
/// (`2024-01-02T03:04:05.123456`), so that they compare as strings.
pub fn ckan_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// A licence as CKAN's default licence list has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct License {
    /// `license_id`.
    pub id: &'static str,
    /// `license_title`.
    pub title: &'static str,
    /// `license_url` (absent for licences without one).
    pub url: Option<&'static str>,
    /// `isopen`.
    pub open: bool,
}

/// Maps the metadata standard's licence words to CKAN's default licences; an unknown word
/// is passed through as a closed licence with no URL.
pub fn license(word: &str) -> License {
    let (id, title, url, open) = match word {
        "cc-by" => (
            "cc-by",
            "Creative Commons Attribution",
            Some("http://www.opendefinition.org/licenses/cc-by"),
            true,
        ),
        "cc-by-sa" => (
            "cc-by-sa",
            "Creative Commons Attribution Share-Alike",
            Some("http://www.opendefinition.org/licenses/cc-by-sa"),
            true,
        ),
        "cc0" | "cc-zero" => (
            "cc-zero",
            "Creative Commons CCZero",
            Some("http://www.opendefinition.org/licenses/cc-zero"),
            true,
        ),
        "odbl" | "odc-odbl" => (
            "odc-odbl",
            "Open Data Commons Open Database License (ODbL)",
            Some("http://www.opendefinition.org/licenses/odc-odbl"),
            true,
        ),
        "tertutup" | "other-closed" => ("other-closed", "Other (Not Open)", None, false),
        "" | "notspecified" => ("notspecified", "License not specified", None, false),
        _ => {
            return License {
                id: "other-closed",
                title: "Other (Not Open)",
                url: None,
                open: false,
            };
        }
    };
    License { id, title, url, open }
}

/// A UUID-shaped id derived from a kind and a name (SHA-256, version nibble 8): tags and
/// other things that have no id of their own get the same one in every answer.
pub fn stable_id(kind: &str, name: &str) -> String {
    let digest = Sha256::digest(format!("{kind}\0{name}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

fn text<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    m.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

impl DatasetView {
    /// The slug.
    pub fn name(&self) -> &str {
        text(&self.metadata, "name").unwrap_or(&self.id)
    }

    /// The newest release.
    pub fn latest(&self) -> Option<&ReleaseView> {
        self.releases.iter().max_by_key(|r| (r.version, r.published))
    }

    /// Private unless its status kerahasiaan is `terbuka` (an unknown status is closed).
    pub fn private(&self) -> bool {
        text(&self.metadata, "status_kerahasiaan") != Some("terbuka")
    }

    fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = match self.metadata.get("tags") {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => Vec::new(),
        };
        tags.sort();
        tags.dedup();
        tags
    }

    /// The SDI extras present, in the order of [`Extra::ALL`].
    pub fn extras(&self) -> Vec<(Extra, String)> {
        let m = &self.metadata;
        Extra::ALL
            .into_iter()
            .filter_map(|e| {
                let value = match e {
                    Extra::FrekuensiPenerbitan => text(m, "frequency").map(str::to_owned),
                    Extra::Tahun => tahun(m.get("temporal_coverage")),
                    Extra::Cakupan => text(m, "spatial_coverage").map(str::to_owned),
                    Extra::LevelPenyajian => text(m, "presentation_level").map(str::to_owned),
                    Extra::Rujukan => text(m, "reference").map(str::to_owned),
                    Extra::StatusKerahasiaan => text(m, "status_kerahasiaan").map(str::to_owned),
                    Extra::StandardId => text(m, "standard").map(str::to_owned),
                    Extra::StandardVersion => self.standard_version.clone(),
                };
                value.map(|v| (e, v))
            })
            .collect()
    }

    /// What the query evaluator and the facets read.
    pub fn fields(&self) -> PackageFields {
        let m = &self.metadata;
        let mut formats: Vec<String> = self
            .latest()
            .map(|r| r.files.iter().map(|f| f.format.clone()).collect())
            .unwrap_or_default();
        formats.sort();
        formats.dedup();
        PackageFields {
            id: self.id.clone(),
            name: self.name().to_owned(),
            title: text(m, "title").unwrap_or(self.name()).to_owned(),
            notes: text(m, "description").unwrap_or_default().to_owned(),
            organization: self.organization.slug.clone(),
            organization_title: self.organization.title.clone(),
            groups: self.topic.iter().map(|g| (g.slug.clone(), g.title.clone())).collect(),
            tags: self.tags(),
            res_format: formats,
            license_id: license(text(m, "license").unwrap_or_default()).id.to_owned(),
            metadata_modified: self.modified,
            metadata_created: self.created,
            extras: self.extras(),
            private: self.private(),
            text: column_text(m.get("columns")),
            downloads: self.downloads,
            num_resources: self.latest().map_or(0, |r| r.files.len() as u64),
        }
    }
}

/// The searchable words of the standard's columns (`nama`, `konsep`, `definisi`), which a
/// release's metadata carries as `columns`.
fn column_text(columns: Option<&Value>) -> String {
    let Some(Value::Array(columns)) = columns else {
        return String::new();
    };
    let mut words = Vec::new();
    for column in columns {
        for key in ["nama", "konsep", "definisi"] {
            if let Some(text) = column.get(key).and_then(Value::as_str).filter(|t| !t.is_empty()) {
                words.push(text);
            }
        }
    }
    words.join(" ")
}

/// `tahun` from `temporal_coverage`: `2024`, or `2020-2024` when it spans years.
fn tahun(coverage: Option<&Value>) -> Option<String> {
    let c = coverage?;
    let year = |k: &str| {
        c.get(k)
            .and_then(Value::as_str)
            .and_then(|s| s.get(..4))
            .map(str::to_owned)
    };
    match (year("start"), year("end")) {
        (Some(a), Some(b)) if a != b => Some(format!("{a}-{b}")),
        (Some(a), _) | (None, Some(a)) => Some(a),
        (None, None) => None,
    }
}

/// The organization as it appears inside a package dict.
pub fn package_organization(org: &OrganizationView) -> Value {
    json!({
        "id": org.id,
        "name": org.slug,
        "title": org.title,
        "type": "organization",
        "description": org.description,
        "image_url": org.image_url,
        "created": ckan_time(org.created),
        "is_organization": true,
        "approval_status": "approved",
        "state": "active",
    })
}

/// The group as it appears in a package dict's `groups[]`.
pub fn package_group(group: &GroupView) -> Value {
    json!({
        "description": group.description,
        "display_name": group.title,
        "id": group.id,
        "image_display_url": "",
        "name": group.slug,
        "title": group.title,
    })
}

/// A tag dict.
pub fn tag_dict(name: &str) -> Value {
    json!({"display_name": name, "id": stable_id("tag", name), "name": name, "state": "active", "vocabulary_id": null})
}

/// One resource dict.
pub fn resource_dict(package_id: &str, position: usize, file: &FileView, created: DateTime<Utc>) -> Value {
    json!({
        "cache_last_updated": null,
        "cache_url": null,
        "created": ckan_time(created),
        "datastore_active": true,
        "description": "",
        "format": file.format,
        "hash": file.sha256,
        "hash_algorithm": SHA256_SPDX,
        "id": file.id,
        "last_modified": ckan_time(file.last_modified),
        "metadata_modified": ckan_time(file.last_modified),
        "mimetype": file.mimetype,
        "mimetype_inner": null,
        "name": file.name,
        "package_id": package_id,
        "position": position,
        "resource_type": null,
        "size": file.size,
        "state": "active",
        "url": file.url,
        "url_type": "upload",
    })
}

/// The package dict of `package_show`, `package_search` and the harvesters.
pub fn package_dict(view: &DatasetView) -> Value {
    let m = &view.metadata;
    let lic = license(text(m, "license").unwrap_or_default());
    let tags = view.tags();
    let latest = view.latest();
    let resources: Vec<Value> = latest
        .map(|r| {
            r.files
                .iter()
                .enumerate()
                .map(|(i, f)| resource_dict(&view.id, i, f, r.published))
                .collect()
        })
        .unwrap_or_default();
    let mut extras: Vec<(&str, String)> = view.extras().into_iter().map(|(e, v)| (e.key(), v)).collect();
    extras.sort_by(|a, b| a.0.cmp(b.0));
    let mut d = Map::new();
    d.insert("author".into(), view.organization.title.clone().into());
    d.insert("author_email".into(), Value::Null);
    d.insert("creator_user_id".into(), Value::Null);
    d.insert(
        "extras".into(),
        extras.into_iter().map(|(k, v)| json!({"key": k, "value": v})).collect(),
    );
    d.insert("groups".into(), view.topic.iter().map(package_group).collect());
    d.insert("id".into(), view.id.clone().into());
    d.insert("isopen".into(), lic.open.into());
    d.insert("license_id".into(), lic.id.into());
    d.insert("license_title".into(), lic.title.into());
    if let Some(url) = lic.url {
        d.insert("license_url".into(), url.into());
    }
    d.insert(
        "maintainer".into(),
        text(m, "maintainer").map_or(Value::Null, Into::into),
    );
    d.insert(
        "maintainer_email".into(),
        text(m, "maintainer_email").map_or(Value::Null, Into::into),
    );
    d.insert("metadata_created".into(), ckan_time(view.created).into());
    d.insert("metadata_modified".into(), ckan_time(view.modified).into());
    d.insert("name".into(), view.name().into());
    d.insert("notes".into(), text(m, "description").unwrap_or_default().into());
    d.insert("num_resources".into(), resources.len().into());
    d.insert("num_tags".into(), tags.len().into());
    d.insert("organization".into(), package_organization(&view.organization));
    d.insert("owner_org".into(), view.organization.id.clone().into());
    d.insert("private".into(), view.private().into());
    d.insert("state".into(), "active".into());
    d.insert("title".into(), text(m, "title").unwrap_or(view.name()).into());
    d.insert("type".into(), "dataset".into());
    d.insert("url".into(), text(m, "reference").unwrap_or_default().into());
    d.insert(
        "version".into(),
        latest.map_or(Value::Null, |r| r.version.to_string().into()),
    );
    d.insert("resources".into(), resources.into());
    d.insert("tags".into(), tags.iter().map(|t| tag_dict(t)).collect());
    d.insert("relationships_as_object".into(), json!([]));
    d.insert("relationships_as_subject".into(), json!([]));
    Value::Object(d)
}

/// `resource_show`: the resource `id` cut from its package dict, or `None`.
pub fn resource_show(view: &DatasetView, id: &str) -> Option<Value> {
    let mut dict = package_dict(view);
    let resources = dict.get_mut("resources")?.as_array_mut()?;
    let i = resources.iter().position(|r| r["id"] == id)?;
    Some(resources.swap_remove(i))
}

/// What an organization and a group share in their dicts.
struct GroupRow<'a> {
    id: &'a str,
    slug: &'a str,
    title: &'a str,
    description: &'a str,
    image: &'a str,
    created: DateTime<Utc>,
    is_organization: bool,
}

impl<'a> From<&'a OrganizationView> for GroupRow<'a> {
    fn from(o: &'a OrganizationView) -> Self {
        Self {
            id: &o.id,
            slug: &o.slug,
            title: &o.title,
            description: &o.description,
            image: &o.image_url,
            created: o.created,
            is_organization: true,
        }
    }
}

impl<'a> From<&'a GroupView> for GroupRow<'a> {
    fn from(g: &'a GroupView) -> Self {
        Self {
            id: &g.id,
            slug: &g.slug,
            title: &g.title,
            description: &g.description,
            image: "",
            created: g.created,
            is_organization: false,
        }
    }
}

impl GroupRow<'_> {
    /// The dict `*_list(all_fields=true)` lists.
    fn listed(&self, package_count: u64) -> Map<String, Value> {
        let mut m = Map::new();
        let kind = if self.is_organization { "organization" } else { "group" };
        m.insert("approval_status".into(), "approved".into());
        m.insert("created".into(), ckan_time(self.created).into());
        m.insert("description".into(), self.description.into());
        m.insert("display_name".into(), self.title.into());
        m.insert("id".into(), self.id.into());
        m.insert("image_display_url".into(), self.image.into());
        m.insert("image_url".into(), self.image.into());
        m.insert("is_organization".into(), self.is_organization.into());
        m.insert("name".into(), self.slug.into());
        m.insert("num_followers".into(), 0.into());
        m.insert("package_count".into(), package_count.into());
        m.insert("state".into(), "active".into());
        m.insert("title".into(), self.title.into());
        m.insert("type".into(), kind.into());
        m
    }

    /// The dict `*_show` answers: the listed dict with its (empty) lists, and the packages.
    fn shown(&self, package_count: u64, packages: Option<Vec<Value>>) -> Value {
        let mut m = self.listed(package_count);
        for list in ["extras", "groups", "tags", "users"] {
            m.insert(list.into(), json!([]));
        }
        if let Some(p) = packages {
            m.insert("packages".into(), p.into());
        }
        Value::Object(m)
    }
}

/// An organization as `organization_list(all_fields=true)` lists it.
pub fn organization_dict(org: &OrganizationView, package_count: u64) -> Value {
    Value::Object(GroupRow::from(org).listed(package_count))
}

/// `organization_show`; `packages` (package dicts, the first 10) only with `include_datasets`.
pub fn organization_show(org: &OrganizationView, package_count: u64, packages: Option<Vec<Value>>) -> Value {
    GroupRow::from(org).shown(package_count, packages)
}

/// A topic as `group_list(all_fields=true)` lists it.
pub fn group_dict(group: &GroupView, package_count: u64) -> Value {
    Value::Object(GroupRow::from(group).listed(package_count))
}

/// `group_show`; `packages` only with `include_datasets`.
pub fn group_show(group: &GroupView, package_count: u64, packages: Option<Vec<Value>>) -> Value {
    GroupRow::from(group).shown(package_count, packages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_have_microseconds_and_no_zone() {
        let t = DateTime::parse_from_rfc3339("2024-01-02T03:04:05.123456789Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(ckan_time(t), "2024-01-02T03:04:05.123456");
        let t = DateTime::parse_from_rfc3339("2024-01-02T03:04:05Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(ckan_time(t), "2024-01-02T03:04:05.000000");
    }

    #[test]
    fn licences_map_to_ckan_ids() {
        assert_eq!(license("cc-by").id, "cc-by");
        assert_eq!(license("cc0").id, "cc-zero");
        assert_eq!(license("odbl").id, "odc-odbl");
        assert_eq!(license("cc-by-sa").title, "Creative Commons Attribution Share-Alike");
        assert!(license("odbl").open);
        let closed = license("tertutup");
        assert_eq!((closed.id, closed.url, closed.open), ("other-closed", None, false));
        assert_eq!(license("entah").id, "other-closed");
        assert_eq!(license("").id, "notspecified");
    }

    #[test]
    fn stable_ids_look_like_uuids_and_do_not_move() {
        let a = stable_id("tag", "kesehatan");
        assert_eq!(a, stable_id("tag", "kesehatan"));
        assert_ne!(a, stable_id("tag", "pendidikan"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
    }

    #[test]
    fn tahun_from_coverage() {
        assert_eq!(
            tahun(Some(&json!({"start": "2024-01", "end": "2024-12"}))).as_deref(),
            Some("2024")
        );
        assert_eq!(
            tahun(Some(&json!({"start": "2020", "end": "2024-12-31"}))).as_deref(),
            Some("2020-2024")
        );
        assert_eq!(tahun(Some(&json!({}))), None);
        assert_eq!(tahun(None), None);
    }
}
