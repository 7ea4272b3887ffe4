//! The views the portal pages show, gathered from the catalog, the read cache and the release
//! files: dataset cards, the home page's lists, the search, and the dataset page with its
//! versions, preview, chart, downloads and quality score.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use satudata_catalog::ReferenceKind;
use satudata_catalog::ReleaseRecord;
use satudata_catalog::search::{Filter, SearchHit, SearchHits, SearchQuery, SearchSort, TextMatch, group_name};
use satudata_core::{CodeList, DataStandard, Frequency};
use satudata_portal::chart::{self, Chart, Dimension};
use satudata_portal::timeliness::timeliness;
use satudata_portal::view::{Card, Changes, Codes, Download, Named, Preview, PublicKey, Version};
use satudata_workflow::Grouping;

use super::ckan_views::{Packages, time};
use crate::error::{Error, Result};
use crate::read;
use crate::state::AppState;

/// At most this many entries of a code list are shown under a column.
const CODES_SHOWN: usize = 50;

/// Rows in a dataset page's preview.
const PREVIEW_ROWS: usize = 10;

/// Versions whose changes a dataset page shows.
const VERSIONS_WITH_CHANGES: usize = 10;

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal { detail: e.to_string() }
}

/// A topic's title from its group name: `kesehatan-masyarakat` → `Kesehatan Masyarakat`.
pub fn topic_title(slug: &str) -> String {
    slug.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A found dataset as a list shows it, judged for timeliness at `now`.
pub fn card(packages: &Packages<'_>, hit: &SearchHit, now: DateTime<Utc>) -> Card {
    let m = &hit.entry.metadata;
    let frequency = m.text("frequency").and_then(Frequency::from_word);
    let latest = hit.entry.latest.as_ref().map(|l| (l.version, time(&l.created_at)));
    Card {
        name: hit.entry.name.clone(),
        title: m.title().to_owned(),
        description: m.text("description").unwrap_or_default().to_owned(),
        organization: Named {
            slug: hit.entry.organization.clone(),
            title: packages.organization_view(&hit.entry.organization).title,
        },
        topic: m
            .text("topic")
            .map(|t| Named {
                slug: group_name(t),
                title: t.to_owned(),
            })
            .filter(|n| !n.slug.is_empty()),
        tags: m
            .rest
            .get("tags")
            .and_then(|t| t.as_array())
            .map(|t| t.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default(),
        modified: time(&hit.modified_at),
        latest,
        downloads: hit.downloads,
        frequency,
        timeliness: timeliness(frequency, latest.map(|l| l.1), now),
        status: hit.entry.latest.as_ref().map_or_else(
            || m.status_kerahasiaan().as_str().to_owned(),
            |l| l.status_kerahasiaan.clone(),
        ),
    }
}

/// The cards of `hits`.
pub fn cards(packages: &Packages<'_>, hits: &SearchHits) -> Vec<Card> {
    let now = Utc::now();
    hits.items.iter().map(|h| card(packages, h, now)).collect()
}

/// The text match of the words `q`, `None` when they hold nothing to look for.
pub fn text_match(q: &str) -> Option<TextMatch> {
    let query = satudata_search::analyze_query(q);
    match (query.to_fts5(), query.to_tsquery()) {
        (Some(fts5), Some(tsquery)) => Some(TextMatch { fts5, tsquery }),
        _ => None,
    }
}

/// The first `limit` published datasets the caller may see, in `sort` order, under `filter`.
pub async fn listed(
    packages: &Packages<'_>,
    filter: Option<Filter>,
    sort: SearchSort,
    limit: u64,
    facets: &[&str],
) -> Result<SearchHits> {
    let query = SearchQuery {
        filter,
        sort,
        facets: facets.iter().map(|f| (*f).to_owned()).collect(),
        facet_limit: u64::MAX,
        facet_mincount: 1,
        ..SearchQuery::default()
    };
    packages.search(&query, limit, 0).await.map_err(ckan_error)
}

/// A CKAN view's error as the server's.
pub fn ckan_error(e: satudata_ckan::ApiError) -> Error {
    match e {
        satudata_ckan::ApiError::NotFound(key) => Error::NotFound { kind: "dataset", key },
        other => internal(other),
    }
}

/// The data center's signing key as the pages show it.
pub fn public_key(state: &AppState, base: &str) -> PublicKey {
    let hex = state.center().public_key_hex();
    let fingerprint =
        satudata_publish::parse_public_key(&hex).map_or_else(|_| String::new(), |k| satudata_publish::fingerprint(&k));
    PublicKey {
        url: format!("{base}{}", super::pages::KEY_PATH),
        fingerprint,
        hex,
    }
}

/// The served releases of a dataset, newest first.
pub fn served(view: &satudata_catalog::cache::DatasetView) -> Vec<&ReleaseRecord> {
    view.releases
        .iter()
        .rev()
        .filter(|r| !view.withdrawn.contains(&r.version))
        .collect()
}

fn changes_of(diff: &satudata_workflow::diff::TableDiff) -> Changes {
    Changes {
        added: diff.added.count,
        changed: diff.changed.count,
        removed: diff.removed.count,
    }
}

/// The versions of a dataset with their changes where known; changes not yet known are
/// computed in the background (a large release takes a while) and shown once ready.
pub fn versions(state: &AppState, releases: &[&ReleaseRecord], key: &[String]) -> Vec<Version> {
    releases
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let before = releases.get(i + 1).copied();
            let changes = match before {
                None => Some(Changes {
                    added: r.rows,
                    changed: 0,
                    removed: 0,
                }),
                Some(_) if i >= VERSIONS_WITH_CHANGES => None,
                Some(before) => changes_or_start(state, before, r, key),
            };
            Version {
                version: r.version,
                published: time(&r.created_at),
                rows: r.rows,
                changes,
            }
        })
        .collect()
}

fn changes_or_start(
    state: &AppState,
    before: &ReleaseRecord,
    after: &ReleaseRecord,
    key: &[String],
) -> Option<Changes> {
    let memo_key = format!("{}>{}", before.path, after.path);
    if let Some(held) = state.portal().changes.get(&memo_key) {
        return Some(*held);
    }
    let started = state
        .portal()
        .computing
        .lock()
        .map(|mut c| c.insert(memo_key.clone()))
        .unwrap_or(false);
    if started {
        let (state, before, after, key) = (state.clone(), before.clone(), after.clone(), key.to_vec());
        tokio::spawn(async move {
            match state.center().release_changes(Some(&before), &after, &key, 0).await {
                Ok(diff) => state.portal().changes.keep(&memo_key, Arc::new(changes_of(&diff))),
                Err(e) => tracing::warn!(error = %e, dataset = %after.dataset, "version changes not computed"),
            }
            if let Ok(mut c) = state.portal().computing.lock() {
                c.remove(&memo_key);
            }
        });
    }
    None
}

/// How long a code list read for a page is kept.
const CODE_LIST_KEPT: std::time::Duration = std::time::Duration::from_secs(60);

/// The first rows of `release`, once per release.
pub async fn preview(state: &AppState, release: &ReleaseRecord) -> Result<Preview> {
    if let Some(held) = state.portal().previews.get(&release.path) {
        return Ok(held.as_ref().clone());
    }
    let preview = read_preview(state, release).await?;
    state.portal().previews.keep(&release.path, Arc::new(preview.clone()));
    Ok(preview)
}

/// The data standard `id` at `version` (when the read cache knows it), read once per version.
pub async fn standard(state: &AppState, id: &str, version: Option<&str>) -> Result<Option<DataStandard>> {
    let key = version.map(|v| format!("{id}@{v}"));
    if let Some(held) = key.as_deref().and_then(|k| state.portal().standards.get(k)) {
        return Ok(Some(held.as_ref().clone()));
    }
    match state.center().catalog().standard(id).await {
        Ok(s) => {
            if let Some(key) = key.as_deref().filter(|_| version == Some(s.versi.as_str())) {
                state.portal().standards.keep(key, Arc::new(s.clone()));
            }
            Ok(Some(s))
        }
        Err(satudata_catalog::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

async fn read_preview(state: &AppState, release: &ReleaseRecord) -> Result<Preview> {
    let query = satudata_workflow::datastore::RowQuery {
        limit: PREVIEW_ROWS,
        ..Default::default()
    };
    let page = state.center().release_rows(release, &query).await.map_err(internal)?;
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    Ok(Preview {
        columns: page.columns.into_iter().map(|(n, _)| n).collect(),
        rows: page
            .rows
            .iter()
            .map(|(_, values)| values.iter().map(text).collect())
            .collect(),
        total: page.total,
    })
}

/// The chart of `release` under `standard`, once per release.
pub async fn chart(state: &AppState, release: &ReleaseRecord, standard: &DataStandard) -> Result<Option<Chart>> {
    if let Some(held) = state.portal().charts.get(&release.path) {
        return Ok(held.as_ref().clone());
    }
    let drawn = match chart::plan(standard) {
        Some(plan) => draw(state, release, standard, &plan).await?,
        None => None,
    };
    state.portal().charts.keep(&release.path, Arc::new(drawn.clone()));
    Ok(drawn)
}

async fn draw(
    state: &AppState,
    release: &ReleaseRecord,
    standard: &DataStandard,
    plan: &chart::Plan,
) -> Result<Option<Chart>> {
    let by: Vec<Grouping> = plan
        .dimensions
        .iter()
        .map(|(column, dimension)| Grouping {
            column: column.clone(),
            at_least: if *dimension == Dimension::Period {
                chart::MIN_PERIODS
            } else {
                2
            },
            period: *dimension == Dimension::Period,
        })
        .collect();
    let Some(sums) = state
        .center()
        .release_sums(release, &plan.measure, &by)
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let (column, dimension) = &plan.dimensions[sums.by];
    let concept = |name: &str| {
        standard
            .kolom
            .iter()
            .find(|c| c.nama == name)
            .map(|c| {
                if c.konsep.is_empty() {
                    c.nama.clone()
                } else {
                    c.konsep.clone()
                }
            })
            .unwrap_or_else(|| name.to_owned())
    };
    let labels = match dimension {
        Dimension::Category => code_labels(state, standard, column).await,
        _ => Vec::new(),
    };
    let points = sums
        .sums
        .into_iter()
        .map(|(key, value)| {
            let label = match dimension {
                Dimension::Region => satudata_workflow::region_name(&key).map_or_else(|| key.clone(), str::to_owned),
                Dimension::Category => labels
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map_or(key.clone(), |(_, v)| v.clone()),
                Dimension::Period => key.clone(),
            };
            (label, value)
        })
        .collect();
    let (points, omitted) = chart::trim(points, *dimension);
    let unit = standard
        .kolom
        .iter()
        .find(|c| c.nama == plan.measure)
        .map(|c| c.satuan.clone())
        .unwrap_or_default();
    Ok(Some(Chart {
        measure: concept(&plan.measure),
        unit,
        by: concept(column),
        dimension: *dimension,
        points,
        omitted,
    }))
}

async fn code_labels(state: &AppState, standard: &DataStandard, column: &str) -> Vec<(String, String)> {
    let Some(list) = standard
        .kolom
        .iter()
        .find(|c| c.nama == column)
        .and_then(|c| c.klasifikasi.clone())
    else {
        return Vec::new();
    };
    match state
        .center()
        .catalog()
        .reference::<CodeList>(ReferenceKind::CodeList, &list)
        .await
    {
        Ok(list) => list.isian.into_iter().map(|e| (e.kode, e.nilai)).collect(),
        Err(_) => Vec::new(),
    }
}

/// The code lists `standard`'s public columns use: id, the first entries, and how many in all.
pub async fn code_lists(state: &AppState, standard: &DataStandard) -> Vec<Codes> {
    let mut out: Vec<Codes> = Vec::new();
    for id in standard
        .kolom
        .iter()
        .filter(|c| c.dapat_diakses_umum)
        .filter_map(|c| c.klasifikasi.as_ref())
    {
        if out.iter().any(|(have, _, _)| have == id) {
            continue;
        }
        if let Some(held) = state
            .portal()
            .code_lists
            .get(id)
            .filter(|h| h.0.elapsed() < CODE_LIST_KEPT)
        {
            out.push(held.1.clone());
            continue;
        }
        if let Ok(list) = state
            .center()
            .catalog()
            .reference::<CodeList>(ReferenceKind::CodeList, id)
            .await
        {
            let total = list.isian.len() as u64;
            let shown = list
                .isian
                .into_iter()
                .take(CODES_SHOWN)
                .map(|e| (e.kode, e.nilai))
                .collect();
            let codes: Codes = (id.clone(), shown, total);
            state
                .portal()
                .code_lists
                .keep(id, Arc::new((std::time::Instant::now(), codes.clone())));
            out.push(codes);
        }
    }
    out
}

/// The files of `release` as downloads: every file its manifest lists.
pub async fn downloads(state: &AppState, base: &str, release: &ReleaseRecord) -> Result<Vec<Download>> {
    let manifest = read::manifest_shared(state, release).await?;
    Ok(manifest
        .files
        .iter()
        .map(|f| Download {
            file: f.path.clone(),
            format: match f.path.rsplit('.').next() {
                Some("csv") => "CSV".into(),
                Some("parquet") => "Parquet".into(),
                Some("json") => "JSON".into(),
                Some(other) => other.to_uppercase(),
                None => String::new(),
            },
            url: format!(
                "{base}/api/v1/datasets/{}/releases/v{}/files/{}",
                read::segment(&release.dataset),
                release.version,
                f.path
            ),
            size: f.size,
            sha256: f.sha256.clone(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_title_reads_back_from_its_group_name() {
        assert_eq!(topic_title("kesehatan-masyarakat"), "Kesehatan Masyarakat");
        assert_eq!(topic_title(&group_name("Kependudukan")), "Kependudukan");
    }
}
