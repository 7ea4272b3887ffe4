//! Harvest feeds: the catalog as DCAT-AP 3 (`/catalog.jsonld`, `/catalog.ttl`, `/catalog.rdf`,
//! 100 datasets a page, `?page=` and `?modified_since=`), one dataset as DCAT
//! (`/dataset/{name}.{jsonld,ttl,rdf}`), and Project Open Data 1.1 (`/data.json`).
//!
//! A feed lists the published datasets the caller may read (anonymous harvesters: the open
//! ones), from the catalog's search index; `satudata-dcat` writes the documents.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use satudata_catalog::listing::Visibility;
use satudata_catalog::search::{Filter, SearchHit, SearchQuery, SearchSort};
use satudata_core::Organization;
use satudata_core::access::Actor;
use satudata_dcat::{
    CatalogInfo, Contact, DatasetView, DistributionView, Page, Publisher, RdfFormat, Spatial, Temporal,
};

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::read;
use crate::state::AppState;

/// Datasets per page of a catalog feed (ckanext-dcat's default).
pub const PER_PAGE: u64 = 100;

/// The release file a feed lists besides the resources (`resources::FILES`): the data package.
const DATA_PACKAGE: (&str, &str, &str) = ("datapackage.json", "JSON", "application/json");

/// The feed routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/catalog.jsonld", get(catalog_jsonld))
        .route("/catalog.ttl", get(catalog_ttl))
        .route("/catalog.rdf", get(catalog_rdf))
        .route("/data.json", get(data_json))
        .route("/dataset/{file}", get(dataset))
}

/// The query of a catalog feed.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedQuery {
    /// The page, from 1.
    page: Option<String>,
    /// Only datasets changed at or after this time (ISO 8601).
    modified_since: Option<String>,
}

/// The public address of this server: `--public-url`, else the request's `Host`.
pub(crate) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config().public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".:-[]".contains(&b)));
    match host {
        Some(host) => format!("http://{host}"),
        None => format!("http://{}", state.config().listen),
    }
}

/// `text` (an ISO 8601 date or time) as the catalog's UTC time text.
pub(crate) fn catalog_time(parameter: &'static str, text: &str) -> Result<String> {
    let bad = || Error::BadParameter {
        parameter,
        value: text.chars().take(100).collect(),
    };
    let time = DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").map(|t| t.and_utc()))
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        })
        .map_err(|_| bad())?;
    Ok(time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).map_or_else(|_| Utc::now(), |t| t.with_timezone(&Utc))
}

fn info(base: &str, modified: DateTime<Utc>) -> CatalogInfo {
    CatalogInfo {
        base_url: base.to_owned(),
        title: "Satu Data".into(),
        description: "Katalog data Pusat Data: dataset perangkat daerah yang diverifikasi walidata daerah.".into(),
        language: "id".into(),
        modified,
        publisher_name: "Pusat Data".into(),
        publisher_homepage: base.to_owned(),
    }
}

/// The published datasets `actor` may read that `filter` keeps, a page of them by id.
async fn published(
    state: &AppState,
    actor: &Actor,
    filter: Option<Filter>,
    limit: u64,
    offset: u64,
) -> Result<satudata_catalog::search::SearchHits> {
    let (everything, organization, statuses) = read::visibility(actor);
    let visibility = Visibility {
        everything,
        organization,
        statuses: &statuses,
    };
    let filter = match filter {
        Some(f) => Filter::All(vec![Filter::Published, f]),
        None => Filter::Published,
    };
    let query = SearchQuery {
        filter: Some(filter),
        sort: SearchSort::Id,
        limit,
        offset,
        ..SearchQuery::default()
    };
    Ok(state.center().catalog().search_datasets(&visibility, &query).await?)
}

/// The DCAT view of a found dataset: its metadata, its PD and its latest release's files.
async fn view(
    state: &AppState,
    base: &str,
    hit: &SearchHit,
    organizations: &HashMap<String, Organization>,
) -> Result<Option<DatasetView>> {
    let entry = &hit.entry;
    let Some(latest) = &entry.latest else {
        return Ok(None);
    };
    let Some(cached) = state.center().catalog().dataset_view(&entry.name).await? else {
        return Ok(None);
    };
    let Some(release) = cached.releases.iter().find(|r| r.version == latest.version) else {
        return Ok(None);
    };
    let manifest = read::manifest_shared(state, release).await?;
    let m = &entry.metadata;
    let text = |k: &str| m.text(k).unwrap_or_default().to_owned();
    let landing = format!("{base}/dataset/{}", entry.name);
    let released = time(&latest.created_at);
    let distributions = satudata_catalog::resources::FILES
        .iter()
        .chain([&DATA_PACKAGE])
        .filter_map(|(file, format, media)| {
            let listed = manifest.files.iter().find(|f| f.path == *file)?;
            Some(DistributionView {
                id: satudata_catalog::resources::resource_id(&hit.id, latest.version, file),
                title: format!("{} ({format})", m.title()),
                access_url: landing.clone(),
                download_url: format!(
                    "{base}/api/v1/datasets/{}/releases/v{}/files/{file}",
                    entry.name, latest.version
                ),
                media_type: (*media).to_owned(),
                format: (*format).to_owned(),
                byte_size: listed.size,
                sha256: listed.sha256.clone(),
                issued: released,
                modified: released,
            })
        })
        .collect();
    let org = organizations.get(&entry.organization);
    let coverage = m.rest.get("temporal_coverage");
    let bound = |k: &str| {
        coverage
            .and_then(|c| c.get(k))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let spatial = m.text("spatial_coverage").map(|code| Spatial {
        code: code.to_owned(),
        name: satudata_workflow::region_name(code).unwrap_or(code).to_owned(),
    });
    let keywords = m
        .rest
        .get("tags")
        .and_then(|t| t.as_array())
        .map(|a| a.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let topic = satudata_catalog::search::group_name(&text("topic"));
    Ok(Some(DatasetView {
        id: hit.id.clone(),
        name: entry.name.clone(),
        title: m.title().to_owned(),
        description: text("description"),
        keywords,
        themes: if topic.is_empty() { Vec::new() } else { vec![topic] },
        issued: time(&hit.created_at),
        modified: time(&hit.modified_at),
        version: latest.version.to_string(),
        frequency: text("frequency")
            .parse()
            .unwrap_or(satudata_dcat::Frequency::TidakTetap),
        spatial,
        temporal: Some(Temporal {
            start: bound("start"),
            end: bound("end"),
        })
        .filter(|t| t.start.is_some() || t.end.is_some()),
        publisher: Publisher {
            slug: entry.organization.clone(),
            name: org.map_or_else(|| entry.organization.clone(), |o| o.nama.clone()),
            email: org.map(|o| o.email.clone()).filter(|e| !e.is_empty()),
        },
        contact: Contact {
            name: m.text("maintainer").unwrap_or(entry.organization.as_str()).to_owned(),
            email: m.text("maintainer_email").map(str::to_owned),
        },
        status: latest
            .status_kerahasiaan
            .parse()
            .unwrap_or(satudata_dcat::StatusKerahasiaan::Rahasia),
        license: text("license").parse().unwrap_or(satudata_dcat::License::CcBy),
        conforms_to: Some(format!("{base}/api/v1/standards/{}", m.standard)),
        landing_page: landing,
        distributions,
    }))
}

/// The views of `hits`, skipping any that has no release to list.
async fn views(state: &AppState, base: &str, hits: &[SearchHit]) -> Result<Vec<DatasetView>> {
    let organizations: HashMap<String, Organization> = state
        .center()
        .catalog()
        .organizations()
        .await?
        .into_iter()
        .map(|o| (o.slug.clone(), o))
        .collect();
    let mut out = Vec::with_capacity(hits.len());
    for hit in hits {
        if let Some(view) = view(state, base, hit, &organizations).await? {
            out.push(view);
        }
    }
    Ok(out)
}

fn feed_error(e: satudata_dcat::Error) -> Error {
    Error::Internal {
        detail: format!("feed: {e}"),
    }
}

fn document(format: RdfFormat, body: String) -> Response {
    let mut response = body.into_response();
    if let Ok(value) = HeaderValue::from_str(format.media_type()) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// What every catalog feed takes.
type FeedRequest = (State<AppState>, Caller, HeaderMap, Query<FeedQuery>);

async fn catalog_jsonld(s: State<AppState>, c: Caller, h: HeaderMap, q: Query<FeedQuery>) -> Result<Response> {
    catalog((s, c, h, q), RdfFormat::JsonLd).await
}

async fn catalog_ttl(s: State<AppState>, c: Caller, h: HeaderMap, q: Query<FeedQuery>) -> Result<Response> {
    catalog((s, c, h, q), RdfFormat::Turtle).await
}

async fn catalog_rdf(s: State<AppState>, c: Caller, h: HeaderMap, q: Query<FeedQuery>) -> Result<Response> {
    catalog((s, c, h, q), RdfFormat::RdfXml).await
}

/// A page of the catalog as DCAT-AP 3.
async fn catalog(
    (State(state), Caller(actor), headers, Query(query)): FeedRequest,
    format: RdfFormat,
) -> Result<Response> {
    let page = match &query.page {
        None => 1,
        Some(p) => p
            .parse::<u64>()
            .ok()
            .filter(|p| (1..=1_000_000).contains(p))
            .ok_or_else(|| Error::BadParameter {
                parameter: "page",
                value: p.chars().take(100).collect(),
            })?,
    };
    let since = query
        .modified_since
        .as_deref()
        .map(|t| catalog_time("modified_since", t))
        .transpose()?;
    let filter = since.clone().map(|from| Filter::Modified {
        from: Some(from),
        until: None,
    });
    let hits = published(&state, &actor, filter, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let base = base_url(&state, &headers);
    let datasets = views(&state, &base, &hits.items).await?;
    let modified = datasets.iter().map(|d| d.modified).max().unwrap_or_else(Utc::now);
    let path = format!("/catalog.{}", format.extension());
    let mut paging = Page::new(path, page, PER_PAGE, hits.total);
    if let Some(since) = &query.modified_since {
        paging = paging.with_query("modified_since", since.clone());
    }
    let graph = satudata_dcat::catalog_graph(&info(&base, modified), &datasets, &paging).map_err(feed_error)?;
    Ok(document(format, graph.serialize(format)))
}

/// One dataset as DCAT-AP 3: `/dataset/{name}.jsonld`, `.ttl`, `.rdf` (or `.xml`); any other
/// `/dataset/{name}` is the dataset's page.
async fn dataset(
    State(state): State<AppState>,
    visit: super::pages::Visit,
    Path(file): Path<String>,
) -> Result<Response> {
    let not_found = || Error::NotFound {
        kind: "dataset",
        key: file.clone(),
    };
    let rdf = file
        .rsplit_once('.')
        .and_then(|(name, extension)| RdfFormat::from_extension(extension).map(|f| (name, f)));
    let Some((name, format)) = rdf else {
        return super::pages::dataset(&state, &visit, &file).await;
    };
    read::visible_view(&state, visit.actor(), name).await?;
    let hits = published(&state, visit.actor(), Some(Filter::Name(name.to_owned())), 1, 0).await?;
    let base = visit.base();
    let view = views(&state, base, &hits.items)
        .await?
        .into_iter()
        .next()
        .ok_or_else(not_found)?;
    let graph = satudata_dcat::dataset_graph(&info(base, view.modified), &view).map_err(feed_error)?;
    Ok(document(format, graph.serialize(format)))
}

/// Every published dataset the caller may read, as Project Open Data 1.1.
async fn data_json(State(state): State<AppState>, Caller(actor): Caller, headers: HeaderMap) -> Result<Response> {
    let hits = published(&state, &actor, None, u64::MAX / 2, 0).await?;
    let base = base_url(&state, &headers);
    let datasets = views(&state, &base, &hits.items).await?;
    let modified = datasets.iter().map(|d| d.modified).max().unwrap_or_else(Utc::now);
    let doc = satudata_dcat::data_json(&info(&base, modified), &datasets).map_err(feed_error)?;
    Ok(axum::Json(doc).into_response())
}
