//! The read side of the API: catalog and store reads, each checked by `access::decide`.
//!
//! Handlers call one function here. What the caller may not see is `not-found`, exactly as
//! what does not exist, so that existence does not leak. A dataset's status kerahasiaan is its
//! latest release's (the one a verifier published under), or its metadata's while it is a draft.

use std::path::PathBuf;
use std::sync::Arc;

use satudata_catalog::ReleaseRecord;
use satudata_catalog::cache::DatasetView;
use satudata_catalog::listing::{DatasetEntry, DatasetFilter, Visibility};
use satudata_core::access::{Action, Actor, DatasetTarget, Decision, ReleaseTarget, Target, decide};
use satudata_core::{Manifest, StatusKerahasiaan};
use satudata_publish::{MANIFEST_FILE, SIGNATURE_FILE};

use crate::error::{Error, Result};
use crate::paging::{Page, Paging};
use crate::state::AppState;
use crate::views::{
    DatasetDetail, DatasetLinks, DatasetSummary, FileView, OrganizationLinks, OrganizationView, ReleaseDetail,
    ReleaseSummary,
};

const STATUSES: [StatusKerahasiaan; 3] = [
    StatusKerahasiaan::Terbuka,
    StatusKerahasiaan::Terbatas,
    StatusKerahasiaan::Rahasia,
];

/// An organization slug no account belongs to: asking `decide` about it tells what an actor
/// may see of other PDs.
const ANOTHER_PD: &str = "\u{0}another";

/// A path segment, percent-encoded.
pub(crate) fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn link(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.config().public_url.as_deref().unwrap_or(""))
}

/// A refused [`Decision`] as the API error it answers with (hidden: `not-found` of `kind` `key`).
pub(crate) fn refuse(decision: Decision, kind: &'static str, key: &str) -> Result<()> {
    match decision {
        Decision::Allow => Ok(()),
        Decision::Hidden => Err(Error::NotFound { kind, key: key.into() }),
        Decision::Unauthenticated => Err(Error::Unauthenticated),
        Decision::Forbidden => Err(Error::Forbidden),
    }
}

fn status_of(text: &str) -> StatusKerahasiaan {
    text.parse().unwrap_or(StatusKerahasiaan::Rahasia)
}

fn dataset_status(entry: &DatasetEntry) -> StatusKerahasiaan {
    entry.latest.as_ref().map_or_else(
        || entry.metadata.status_kerahasiaan(),
        |l| status_of(&l.status_kerahasiaan),
    )
}

pub(crate) fn dataset_target(entry: &DatasetEntry) -> Target<'_> {
    Target::Dataset(DatasetTarget {
        organization: &entry.organization,
        status: dataset_status(entry),
        served: entry.latest.is_some(),
    })
}

/// What `actor` may see of the datasets, as the listing query applies it; derived from
/// `decide`, not restated.
pub(crate) fn visibility(actor: &Actor) -> (bool, Option<&str>, Vec<&'static str>) {
    let sees = |organization: &str, status, served| {
        decide(
            actor,
            Action::Read,
            &Target::Dataset(DatasetTarget {
                organization,
                status,
                served,
            }),
        ) == Decision::Allow
    };
    let everything = STATUSES.iter().all(|s| sees(ANOTHER_PD, *s, false));
    let own = actor
        .organization()
        .filter(|org| STATUSES.iter().all(|s| sees(org, *s, false)));
    let statuses = STATUSES
        .iter()
        .filter(|s| sees(ANOTHER_PD, **s, true))
        .map(|s| s.as_str())
        .collect();
    (everything, own, statuses)
}

pub(crate) fn dataset_path(name: &str) -> String {
    format!("/api/v1/datasets/{}", segment(name))
}

fn release_path(name: &str, version: u32) -> String {
    format!("{}/releases/v{version}", dataset_path(name))
}

fn release_summary(state: &AppState, r: &ReleaseRecord) -> ReleaseSummary {
    ReleaseSummary {
        version: r.version,
        created_at: r.created_at.clone(),
        rows: r.rows,
        status_kerahasiaan: r.status_kerahasiaan.clone(),
        link: link(state, &release_path(&r.dataset, r.version)),
    }
}

fn dataset_summary(state: &AppState, entry: &DatasetEntry) -> DatasetSummary {
    let path = dataset_path(&entry.name);
    DatasetSummary {
        name: entry.name.clone(),
        title: entry.metadata.title().to_owned(),
        organization: entry.organization.clone(),
        standard: entry.metadata.standard.clone(),
        status_kerahasiaan: dataset_status(entry).as_str().to_owned(),
        latest_release: entry.latest.as_ref().map(|l| ReleaseSummary {
            version: l.version,
            created_at: l.created_at.clone(),
            rows: l.rows,
            status_kerahasiaan: l.status_kerahasiaan.clone(),
            link: link(state, &release_path(&entry.name, l.version)),
        }),
        links: DatasetLinks {
            this: link(state, &path),
            releases: link(state, &format!("{path}/releases")),
        },
    }
}

fn organization_view(state: &AppState, o: satudata_core::Organization) -> OrganizationView {
    let slug = segment(&o.slug);
    OrganizationView {
        links: OrganizationLinks {
            this: link(state, &format!("/api/v1/organizations/{slug}")),
            datasets: link(state, &format!("/api/v1/datasets?organization={slug}")),
        },
        slug: o.slug,
        nama: o.nama,
        singkatan: o.singkatan,
        kode_wilayah: o.kode_wilayah,
    }
}

/// A page of the organizations (public: every account and every reader may know the PDs).
pub async fn organizations(state: &AppState, paging: &Paging) -> Result<Page<OrganizationView>> {
    let listing = state
        .center()
        .catalog()
        .list_organizations(paging.limit, paging.offset)
        .await?;
    let items = listing.items.into_iter().map(|o| organization_view(state, o)).collect();
    Ok(paging.page(items, listing.total))
}

/// One organization.
pub async fn organization(state: &AppState, actor: &Actor, slug: &str) -> Result<OrganizationView> {
    refuse(
        decide(actor, Action::Read, &Target::Organization(slug)),
        "organization",
        slug,
    )?;
    let o = state.center().catalog().organization(slug).await?;
    Ok(organization_view(state, o))
}

/// A page of the datasets `actor` may see, filtered.
pub async fn datasets(
    state: &AppState,
    actor: &Actor,
    filter: &DatasetFilter<'_>,
    paging: &Paging,
) -> Result<Page<DatasetSummary>> {
    let (everything, organization, statuses) = visibility(actor);
    let visibility = Visibility {
        everything,
        organization,
        statuses: &statuses,
    };
    let listing = state
        .center()
        .catalog()
        .list_datasets(&visibility, filter, paging.limit, paging.offset)
        .await?;
    let mut items = Vec::with_capacity(listing.items.len());
    for entry in &listing.items {
        // The query applied the same rule; asking again keeps a mistake there from leaking.
        if decide(actor, Action::Read, &dataset_target(entry)) != Decision::Allow {
            return Err(Error::Internal {
                detail: format!("listing showed {} that the rules hide", entry.name),
            });
        }
        items.push(dataset_summary(state, entry));
    }
    Ok(paging.page(items, listing.total))
}

pub(crate) async fn visible_dataset(state: &AppState, actor: &Actor, name: &str) -> Result<DatasetEntry> {
    Ok(visible_view(state, actor, name).await?.entry.clone())
}

/// Dataset `name` as its reads show it (from the catalog's read cache), if it exists and
/// `actor` may see it.
pub(crate) async fn visible_view(state: &AppState, actor: &Actor, name: &str) -> Result<Arc<DatasetView>> {
    let view = state
        .center()
        .catalog()
        .dataset_view(name)
        .await?
        .ok_or_else(|| Error::NotFound {
            kind: "dataset",
            key: name.into(),
        })?;
    refuse(
        decide(actor, Action::Read, &dataset_target(&view.entry)),
        "dataset",
        name,
    )?;
    Ok(view)
}

fn release_decision(
    actor: &Actor,
    action: Action,
    r: &ReleaseRecord,
    organization: &str,
    withdrawn: &[u32],
) -> Decision {
    let target = Target::Release(ReleaseTarget {
        organization,
        status: status_of(&r.status_kerahasiaan),
        withdrawn: withdrawn.contains(&r.version),
    });
    decide(actor, action, &target)
}

/// One dataset with its metadata and latest release.
pub async fn dataset(state: &AppState, actor: &Actor, name: &str) -> Result<DatasetDetail> {
    let view = visible_view(state, actor, name).await?;
    Ok(DatasetDetail {
        summary: dataset_summary(state, &view.entry),
        metadata: view.entry.metadata.to_value(),
        switches: view.switches.clone().into(),
    })
}

/// A page of a dataset's releases that `actor` may see, newest first.
pub async fn releases(state: &AppState, actor: &Actor, name: &str, paging: &Paging) -> Result<Page<ReleaseSummary>> {
    let view = visible_view(state, actor, name).await?;
    // A dataset has few releases (one a period): take them all and keep the visible ones.
    let mut all: Vec<&ReleaseRecord> = view
        .releases
        .iter()
        .filter(|r| {
            release_decision(actor, Action::Read, r, &view.entry.organization, &view.withdrawn) == Decision::Allow
        })
        .collect();
    all.reverse();
    let total = all.len() as u64;
    let start = usize::try_from(paging.offset).unwrap_or(usize::MAX).min(all.len());
    let end = start
        .saturating_add(usize::try_from(paging.limit).unwrap_or(usize::MAX))
        .min(all.len());
    let items = all[start..end].iter().map(|r| release_summary(state, r)).collect();
    Ok(paging.page(items, total))
}

/// The OpenAPI document's pattern for a release number (`routes/releases.rs` repeats it, as
/// utoipa takes only a literal; a test checks that they agree, and agree with [`parse_version`]).
pub const VERSION_PATTERN: &str = "^v?[1-9][0-9]{0,8}$";

/// The OpenAPI document's pattern for a release file name: what [`check_file_name`] lets
/// through (no leading dot, no `/`, `\`, or control character, at most 255 characters).
pub const FILE_NAME_PATTERN: &str = r"^[^./\\\u0000-\u001f\u007f-\u009f][^/\\\u0000-\u001f\u007f-\u009f]{0,254}$";

/// `v3` or `3` as a release number: exactly what [`VERSION_PATTERN`] lets through (no leading
/// zero, at most nine digits).
pub fn parse_version(text: &str) -> Result<u32> {
    let digits = text.strip_prefix('v').unwrap_or(text);
    let well_formed =
        (1..=9).contains(&digits.len()) && !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit());
    digits
        .parse::<u32>()
        .ok()
        .filter(|_| well_formed)
        .ok_or_else(|| Error::BadParameter {
            parameter: "version",
            value: text.into(),
        })
}

async fn visible_release(
    state: &AppState,
    actor: &Actor,
    action: Action,
    name: &str,
    version: u32,
) -> Result<ReleaseRecord> {
    let view = visible_view(state, actor, name).await?;
    let key = format!("{name} v{version}");
    let record = view
        .releases
        .iter()
        .find(|r| r.version == version)
        .ok_or_else(|| Error::NotFound {
            kind: "release",
            key: key.clone(),
        })?;
    refuse(
        release_decision(actor, action, record, &view.entry.organization, &view.withdrawn),
        "release",
        &key,
    )?;
    Ok(record.clone())
}

async fn read_json(state: &AppState, key: &str) -> Result<serde_json::Value> {
    let bytes = state.center().store().get(key).await?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Internal {
        detail: format!("{key} is not JSON: {e}"),
    })
}

pub(crate) async fn manifest(state: &AppState, record: &ReleaseRecord) -> Result<Manifest> {
    Ok(manifest_shared(state, record).await?.as_ref().clone())
}

/// Release `record`'s manifest, read once per process (a release's files never change).
pub(crate) async fn manifest_shared(state: &AppState, record: &ReleaseRecord) -> Result<Arc<Manifest>> {
    if let Some(held) = state.manifests().get(&record.path) {
        return Ok(held);
    }
    let bytes = state
        .center()
        .store()
        .get(&format!("{}/{MANIFEST_FILE}", record.path))
        .await?;
    let manifest = Arc::new(Manifest::from_json(&bytes)?);
    state.manifests().keep(&record.path, manifest.clone());
    Ok(manifest)
}

/// One release: its files, manifest and metadata.
pub async fn release(state: &AppState, actor: &Actor, name: &str, version: u32) -> Result<ReleaseDetail> {
    let record = visible_release(state, actor, Action::Read, name, version).await?;
    let manifest = manifest(state, &record).await?;
    let metadata = read_json(state, &format!("{}/metadata.json", record.path)).await?;
    let files_path = format!("{}/files", release_path(name, version));
    let mut files: Vec<FileView> = manifest
        .files
        .iter()
        .map(|f| FileView {
            name: f.path.clone(),
            size: Some(f.size),
            sha256: Some(f.sha256.clone()),
            link: link(state, &format!("{files_path}/{}", segment(&f.path))),
        })
        .collect();
    files.push(FileView {
        name: MANIFEST_FILE.into(),
        size: None,
        sha256: Some(record.manifest_sha256.clone()),
        link: link(state, &format!("{files_path}/{MANIFEST_FILE}")),
    });
    files.push(FileView {
        name: SIGNATURE_FILE.into(),
        size: None,
        sha256: None,
        link: link(state, &format!("{files_path}/{SIGNATURE_FILE}")),
    });
    Ok(ReleaseDetail {
        dataset: name.into(),
        summary: release_summary(state, &record),
        manifest_sha256: record.manifest_sha256.clone(),
        files,
        manifest: serde_json::to_value(&manifest).unwrap_or_default(),
        metadata,
    })
}

/// A release file to stream: where it is and what its headers say.
#[derive(Debug, Clone)]
pub struct Download {
    /// The file on disk.
    pub path: PathBuf,
    /// Hex SHA-256 of its content (the `ETag`).
    pub sha256: String,
    /// Its media type.
    pub content_type: &'static str,
    /// When the release was published (`Last-Modified`).
    pub published: chrono::DateTime<chrono::Utc>,
    /// The name offered to save it under.
    pub download_name: String,
}

/// Refuses a file name that holds a path: `..`, separators, NUL, or a leading dot.
pub fn check_file_name(name: &str) -> Result<()> {
    let bad = name.is_empty()
        || name.starts_with('.')
        || name.chars().count() > 255
        || name.chars().any(|c| matches!(c, '/' | '\\' | '\0') || c.is_control());
    if bad {
        return Err(Error::BadFileName { name: name.into() });
    }
    Ok(())
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("csv") => "text/csv; charset=utf-8",
        Some("parquet") => "application/vnd.apache.parquet",
        Some("json" | "sig") => "application/json",
        _ => "application/octet-stream",
    }
}

/// A file of a release, if `actor` may download it. Only the files the manifest lists, the
/// manifest and its signature are served: no other name reaches the store.
pub async fn file(state: &AppState, actor: &Actor, name: &str, version: u32, file: &str) -> Result<Download> {
    check_file_name(file)?;
    let record = visible_release(state, actor, Action::Download, name, version).await?;
    let not_found = || Error::NotFound {
        kind: "file",
        key: format!("{name} v{version} {file}"),
    };
    let sha256 = if file == MANIFEST_FILE {
        record.manifest_sha256.clone()
    } else if file == SIGNATURE_FILE {
        // The signature is small and its hash is recorded nowhere: hash it now.
        let bytes = state.center().store().get(&format!("{}/{file}", record.path)).await?;
        satudata_core::sha256_hex(&bytes)
    } else {
        let manifest = manifest(state, &record).await?;
        let listed = manifest
            .files
            .into_iter()
            .find(|f| f.path == file)
            .ok_or_else(not_found)?;
        listed.sha256
    };
    let path = state
        .center()
        .store()
        .local_path(&format!("{}/{file}", record.path))
        .ok_or_else(|| Error::Internal {
            detail: "the store has no local files to stream".into(),
        })?;
    let published = chrono::DateTime::parse_from_rfc3339(&record.created_at)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| Error::Internal {
            detail: format!("release time {}: {e}", record.created_at),
        })?;
    Ok(Download {
        path,
        sha256,
        content_type: content_type(file),
        published,
        download_name: format!("{name}-v{version}-{file}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use satudata_core::access::Role;

    #[test]
    fn visibility_follows_decide() {
        assert_eq!(visibility(&Actor::anonymous()), (false, None, vec!["terbuka"]));
        let producer = Actor::user("a", Role::Produsen, Some("dinkes"));
        assert_eq!(
            visibility(&producer),
            (false, Some("dinkes"), vec!["terbuka", "terbatas"])
        );
        let verifier = Actor::user("w", Role::Walidata, Some("diskominfo"));
        assert!(visibility(&verifier).0);
    }

    /// The listing's SQL shows each caller exactly what `decide` lets it read, for datasets of
    /// every status, published or draft, of its own PD and of another.
    #[tokio::test]
    async fn listings_show_exactly_what_decide_allows() {
        use satudata_catalog::{NewSubmission, ReleaseRecord};
        let dir = tempfile::tempdir().unwrap();
        let center = satudata_workflow::DataCenter::init(&dir.path().join("data"))
            .await
            .unwrap();
        let catalog = center.catalog();
        for slug in ["dinkes", "disdik"] {
            let org = satudata_core::Organization {
                slug: slug.into(),
                nama: slug.into(),
                singkatan: slug.into(),
                kode_wilayah: "61.71".into(),
                email: String::new(),
            };
            catalog.put_organization(&org, "admin").await.unwrap();
        }
        for org in ["dinkes", "disdik"] {
            for status in STATUSES {
                for served in [false, true] {
                    let name = format!("{org}-{status}-{served}");
                    let doc = serde_json::json!({
                        "name": name, "organization": org, "standard": "s", "status_kerahasiaan": status.as_str()
                    });
                    let metadata = satudata_core::DatasetMetadata::from_json(doc.to_string().as_bytes()).unwrap();
                    catalog.put_dataset(&metadata, "admin").await.unwrap();
                    if !served {
                        continue;
                    }
                    let admin = Actor::user("admin", satudata_core::access::Role::Admin, None);
                    let submission = NewSubmission {
                        dataset: &name,
                        period: "2024",
                        source_name: "a.csv",
                        source_sha256: "00",
                        source_path: "x",
                        source_size: 1,
                        duplicate_of: None,
                        actor: &admin,
                    };
                    let id = catalog.create_submission(&submission).await.unwrap();
                    let start = satudata_core::lifecycle::Event::Start;
                    catalog
                        .transition(id, start, &admin, serde_json::json!({}))
                        .await
                        .unwrap();
                    let report = satudata_core::ReportBuilder::new(1).finish(1);
                    catalog.record_report(id, &report, "r.json", &admin).await.unwrap();
                    catalog.consent(id, &admin).await.unwrap();
                    let approve = satudata_catalog::Verdict::Approve;
                    catalog.review(id, approve, Some(status), None, &admin).await.unwrap();
                    let release = ReleaseRecord {
                        dataset: name.clone(),
                        version: 1,
                        submission_id: id,
                        path: format!("datasets/{org}/{name}/v1"),
                        manifest_sha256: "ab".into(),
                        content_digest: "cd".into(),
                        status_kerahasiaan: status.as_str().into(),
                        rows: 1,
                        created_at: "2026-01-01T00:00:00Z".into(),
                    };
                    catalog.commit_release(&release, &admin).await.unwrap();
                }
            }
        }
        let state = AppState::new(center, crate::Config::default());
        let actors = [
            Actor::anonymous(),
            Actor::user("p", Role::Produsen, Some("dinkes")),
            Actor::user("q", Role::Produsen, Some("disdik")),
            Actor::user("w", Role::Walidata, Some("diskominfo")),
            Actor::user("a", Role::Admin, None),
        ];
        let all = state
            .center()
            .catalog()
            .list_datasets(
                &Visibility {
                    everything: true,
                    organization: None,
                    statuses: &[],
                },
                &DatasetFilter::default(),
                500,
                0,
            )
            .await
            .unwrap();
        assert_eq!(all.total, 12);
        for actor in &actors {
            let expected: Vec<&str> = all
                .items
                .iter()
                .filter(|e| decide(actor, Action::Read, &dataset_target(e)) == Decision::Allow)
                .map(|e| e.name.as_str())
                .collect();
            let paging = Paging::parse(Some("limit=500"), String::new()).unwrap();
            let page = datasets(&state, actor, &DatasetFilter::default(), &paging)
                .await
                .unwrap();
            let shown: Vec<&str> = page.items.iter().map(|d| d.name.as_str()).collect();
            assert_eq!(shown, expected, "{actor:?}");
            assert_eq!(page.total, expected.len() as u64);
            for entry in &all.items {
                let one = dataset(&state, actor, &entry.name).await;
                assert_eq!(
                    one.is_ok(),
                    expected.contains(&entry.name.as_str()),
                    "{actor:?} {}",
                    entry.name
                );
            }
        }
    }

    #[test]
    fn file_names_with_paths_are_refused() {
        for bad in ["..", "../x", "a/b", "a\\b", "a\0b", ".hidden", "", "a\nb"] {
            assert!(
                matches!(check_file_name(bad), Err(Error::BadFileName { .. })),
                "{bad:?}"
            );
        }
        check_file_name("data.csv").unwrap();
    }

    #[test]
    fn versions_read_with_or_without_v() {
        assert_eq!(parse_version("v3").unwrap(), 3);
        assert_eq!(parse_version("12").unwrap(), 12);
        assert_eq!(parse_version("v999999999").unwrap(), 999_999_999);
        for bad in [
            "v0",
            "v",
            "x",
            "v-1",
            "v+1",
            "99999999999",
            "1000000000",
            "v03",
            "00",
            "vv1",
            " 1",
        ] {
            assert!(parse_version(bad).is_err(), "{bad}");
        }
    }

    /// The patterns the document states refuse exactly what the handlers refuse, and the
    /// document states them.
    #[test]
    fn the_documented_patterns_are_the_checks() {
        let version = regex::Regex::new(VERSION_PATTERN).unwrap();
        for text in [
            "v3",
            "3",
            "v999999999",
            "v0",
            "0",
            "v03",
            "1000000000",
            "v",
            "",
            "vv1",
            "٣",
            "v-1",
        ] {
            assert_eq!(version.is_match(text), parse_version(text).is_ok(), "{text:?}");
        }
        let file = regex::Regex::new(FILE_NAME_PATTERN).unwrap();
        let long = "é".repeat(255);
        let longer = "é".repeat(256);
        for name in [
            "data.csv",
            "manifest.json",
            "a b",
            "é",
            &long,
            &longer,
            "",
            ".x",
            "..",
            "a/b",
            "a\\b",
            "a\0b",
            "a\u{1f}",
            "a\u{7f}",
            "a\u{9f}",
            "a\u{a0}",
            "x.",
            "\u{80}",
        ] {
            assert_eq!(file.is_match(name), check_file_name(name).is_ok(), "{name:?}");
        }
        let doc = serde_json::to_value(crate::openapi::document()).unwrap();
        let params = &doc["paths"]["/api/v1/datasets/{name}/releases/{version}/files/{file}"]["get"]["parameters"];
        let pattern = |name: &str| {
            params.as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["schema"]["pattern"].clone()
        };
        assert_eq!(pattern("version"), VERSION_PATTERN);
        assert_eq!(pattern("file"), FILE_NAME_PATTERN);
    }

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(segment("a b/c"), "a%20b%2Fc");
        assert_eq!(segment("penduduk-2024"), "penduduk-2024");
    }
}
